import { Alert, Button, Space, Typography } from 'antd';
import { useI18n } from '../../../../shared/i18n';
import { formatTime } from '../../../../shared/format';
import { useAuth } from '../../../auth/AuthProvider';
import { isOpen, useImportList } from '../../../data/imports';
import { KIND_META, StatusTag } from './meta';

/** The user's own imports that are running or wait for them (mapping, commit, resumption): one click to go on. */
export function OpenJobsNotice({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const list = useImportList({ page: 1, pageSize: 20 });
  const open = (list.data?.items ?? []).filter((j) => isOpen(j) && j.createdBy.id === me?.id).slice(0, 3);
  if (open.length === 0) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      title={t('imports.open.title', { n: open.length })}
      data-testid="import-open-jobs"
      description={
        <Space orientation="vertical" size={4} style={{ width: '100%' }}>
          {open.map((j) => (
            <Space key={j.id} wrap size={8}>
              <StatusTag job={j} />
              <Typography.Text ellipsis style={{ maxWidth: 260 }}>
                {t(KIND_META[j.kind].nameKey)} · {j.fileName}
              </Typography.Text>
              <Typography.Text type="secondary">{formatTime(j.createdAt, 'MM-DD HH:mm')}</Typography.Text>
              <Button size="small" type="link" onClick={() => onOpen(j.id)} style={{ paddingInline: 0 }}>
                {t('imports.open.continue')}
              </Button>
            </Space>
          ))}
        </Space>
      }
    />
  );
}
