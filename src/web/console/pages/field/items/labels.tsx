// Tags and small formatters shared by the 网格采集 items, changes and item-type pages.
import { Tag, Typography } from 'antd';
import { useI18n, type I18n } from '../../../../shared/i18n';
import { CHANGE_OVERDUE_HOURS } from '../../../data/field';

const ITEM_STATUS_COLORS: Record<string, string> = { submitted: 'gold', routed: 'processing', closed: 'success', returned: 'error' };
const CHANGE_STATUS_COLORS: Record<string, string> = { pending: 'gold', conflict: 'error', applied: 'success', rejected: 'default' };
const CHANGE_KIND_COLORS: Record<string, string> = {
  person_add: 'blue',
  person_update: 'geekblue',
  move_out: 'purple',
  housing_update: 'cyan',
  unit_add: 'green',
  unit_update: 'lime',
};
const DISPATCH_STATUS_COLORS: Record<string, string> = { pending: 'gold', accepted: 'processing', closed: 'success', rejected: 'default' };
const CATEGORY_COLORS: Record<string, string> = {
  info: 'blue',
  patrol: 'cyan',
  service: 'green',
  watch: 'volcano',
  dispute: 'orange',
  safety: 'red',
  security: 'purple',
  city: 'geekblue',
  publicity: 'lime',
};

export const categoryColor = (code: string) => CATEGORY_COLORS[code] ?? 'default';

export function ItemStatusTag({ status, name }: { status: string; name?: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={ITEM_STATUS_COLORS[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {tx(`fieldItem.status.${status}`, name ?? status)}
    </Tag>
  );
}

export function ChangeStatusTag({ status }: { status: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={CHANGE_STATUS_COLORS[status] ?? 'default'} style={{ marginInlineEnd: 0 }} data-testid="change-status">
      {tx(`fieldChange.status.${status}`, status)}
    </Tag>
  );
}

export function ChangeKindTag({ kind, name }: { kind: string; name?: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={CHANGE_KIND_COLORS[kind] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {tx(`fieldChange.kind.${kind}`, name ?? kind)}
    </Tag>
  );
}

export function DispatchStatusTag({ status }: { status: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={DISPATCH_STATUS_COLORS[status] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {tx(`fieldDispatch.status.${status}`, status)}
    </Tag>
  );
}

export function CategoryTag({ code, name }: { code: string; name: string }) {
  return (
    <Tag color={categoryColor(code)} variant="outlined" style={{ marginInlineEnd: 0 }}>
      {name}
    </Tag>
  );
}

/** How long a change has waited: hours under two days, then days and hours. */
export function formatWait(t: I18n['t'], hours: number): string {
  const h = Math.max(0, Math.floor(hours));
  if (h < 1) return t('fieldChanges.age.minutes');
  if (h < 48) return t('fieldChanges.age.hours', { h });
  return t('fieldChanges.age.days', { d: Math.floor(h / 24), h: h % 24 });
}

export function WaitText({ hours, open }: { hours: number; open: boolean }) {
  const { t } = useI18n();
  const overdue = open && hours > CHANGE_OVERDUE_HOURS;
  return (
    <Typography.Text type={overdue ? 'danger' : open ? undefined : 'secondary'} strong={overdue} style={{ whiteSpace: 'nowrap' }}>
      {formatWait(t, hours)}
    </Typography.Text>
  );
}

/** The distinctive end of a full address (province, city and district repeat across a list). */
export function addressTail(full: string, max = 30): string {
  return full.length > max ? `…${full.slice(-max)}` : full;
}
