import { useState } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import dayjs from 'dayjs';
import { api } from '../../../shared/api';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import type { AuditQuery } from './AuditFilters';

/** Asks for the purpose (required by policy), then downloads the CSV for the current filters. */
export function ExportModal({ query, onClose }: { query: AuditQuery; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ purpose: string }>();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const run = async ({ purpose }: { purpose: string }) => {
    setBusy(true);
    setError(null);
    try {
      const name = await api.download(
        '/audit/export',
        { ...query, purpose: purpose.trim() },
        `audit-${dayjs().format('YYYYMMDD-HHmmss')}.csv`,
      );
      message.success(t('audit.export.done', { name }));
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('audit.export.title')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('audit.export.submit')}
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert type="warning" showIcon title={t('audit.export.hint')} style={{ marginBottom: 16 }} />
      {error ? <ProblemAlert error={error} fieldLabels={{ purpose: t('audit.field.purpose') }} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" onFinish={run}>
        <Form.Item
          name="purpose"
          label={t('audit.export.purpose')}
          rules={[
            { required: true, whitespace: true, message: t('audit.export.purpose.required') },
            { min: 2, message: t('validation.minLength', { min: 2 }) },
            { max: 200, message: t('validation.maxLength', { max: 200 }) },
          ]}
        >
          <Input.TextArea
            rows={3}
            maxLength={200}
            showCount
            placeholder={t('audit.export.purpose.placeholder')}
            data-testid="audit-export-purpose"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
