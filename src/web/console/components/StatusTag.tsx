import { Tag } from 'antd';
import { useI18n } from '../../shared/i18n';

const COLORS: Record<string, string> = {
  active: 'success',
  inactive: 'default',
  disabled: 'default',
};

/** Tag for the record statuses of units, departments and users. */
export function StatusTag({ status }: { status: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={COLORS[status] ?? 'default'} variant="filled">
      {tx(`status.${status}`, status)}
    </Tag>
  );
}
