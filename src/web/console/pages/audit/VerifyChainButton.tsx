import { useState } from 'react';
import { Button, Descriptions, Modal, Result } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { AuditVerifyResult } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';

/** Walks the audit hash chain on the server and shows the verdict. */
export function VerifyChainButton() {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const verify = useMutation({ mutationFn: () => api.get<AuditVerifyResult>('/audit/verify') });
  const r = verify.data;

  return (
    <>
      <Button
        icon={<SafetyCertificateOutlined />}
        loading={verify.isPending}
        data-testid="audit-verify"
        onClick={() => {
          setOpen(true);
          verify.mutate();
        }}
      >
        {t('audit.verify')}
      </Button>
      <Modal
        open={open}
        title={t('audit.verify.title')}
        onCancel={() => setOpen(false)}
        footer={
          <Button type="primary" onClick={() => setOpen(false)}>
            {t('common.close')}
          </Button>
        }
      >
        {verify.isPending ? (
          <Result icon={<SafetyCertificateOutlined spin />} title={t('audit.verify.running')} />
        ) : verify.isError ? (
          <ProblemAlert error={verify.error} />
        ) : r ? (
          <div data-testid="audit-verify-result">
            <Result
              status={r.ok ? 'success' : 'error'}
              title={r.ok ? t('audit.verify.ok') : t('audit.verify.broken')}
              subTitle={
                r.ok
                  ? t('audit.verify.okDesc', { checked: r.checked })
                  : t('audit.verify.brokenDesc', { seq: r.firstBrokenSeq ?? '—' })
              }
              style={{ paddingBottom: 8 }}
            />
            <Descriptions
              bordered
              size="small"
              column={1}
              items={[
                { key: 'checked', label: t('audit.verify.checked'), children: r.checked },
                ...(r.ok
                  ? []
                  : [
                      { key: 'seq', label: t('audit.verify.firstBrokenSeq'), children: r.firstBrokenSeq ?? '—' },
                      { key: 'reason', label: t('audit.verify.reason'), children: r.reason ?? '—' },
                    ]),
              ]}
            />
          </div>
        ) : null}
      </Modal>
    </>
  );
}
