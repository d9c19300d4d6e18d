// The coloured tag of a submission's or an appointment's status.
import { Tag } from 'antd-mobile';

const STATUS_COLORS: Record<string, 'default' | 'primary' | 'success' | 'warning' | 'danger'> = {
  submitted: 'primary',
  reviewing: 'primary',
  returned: 'warning',
  approved: 'success',
  done: 'success',
  withdrawn: 'default',
  booked: 'primary',
  cancelled: 'default',
  no_show: 'danger',
};

export function StatusTag({ status, name }: { status: string; name: string }) {
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} fill="outline" data-testid="status-tag">
      {name}
    </Tag>
  );
}
