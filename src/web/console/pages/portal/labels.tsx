// Tags and small formatters shared by the 扫码服务 pages.
import { Tag, Typography } from 'antd';
import { useI18n, type I18n } from '../../../shared/i18n';
import { OVERDUE_HOURS, isPending } from '../../data/portal';

const KIND_COLORS: Record<string, string> = {
  residence: 'blue',
  rental: 'purple',
  help: 'red',
  mediation: 'orange',
  ebike: 'cyan',
};

const STATUS_COLORS: Record<string, string> = {
  submitted: 'gold',
  reviewing: 'processing',
  returned: 'warning',
  approved: 'success',
  done: 'success',
  withdrawn: 'default',
};

export function KindTag({ kind, name }: { kind: string; name?: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={KIND_COLORS[kind] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {tx(`portalKind.${kind}`, name ?? kind)}
    </Tag>
  );
}

export function SubmissionStatusTag({ status, name }: { status: string; name?: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status] ?? 'default'} variant="filled" style={{ marginInlineEnd: 0 }}>
      {tx(`portalStatus.${status}`, name ?? status)}
    </Tag>
  );
}

/** How long something has waited: hours under two days, then days and hours. */
export function formatAge(t: I18n['t'], hours: number | null | undefined): string {
  if (hours == null || Number.isNaN(hours)) return t('common.none');
  const h = Math.max(0, Math.floor(hours));
  if (h < 1) return t('portalReview.age.lessThanHour');
  if (h < 48) return t('portalReview.age.hours', { h });
  const d = Math.floor(h / 24);
  const rest = h % 24;
  return rest ? t('portalReview.age.daysHours', { d, h: rest }) : t('portalReview.age.days', { d });
}

/** The age of a submission; red while it is still pending after 72 hours. */
export function AgeText({ hours, status }: { hours: number | null | undefined; status?: string }) {
  const { t } = useI18n();
  const overdue = hours != null && hours > OVERDUE_HOURS && (!status || isPending(status));
  return (
    <Typography.Text type={overdue ? 'danger' : undefined} strong={overdue} style={{ whiteSpace: 'nowrap' }} data-overdue={overdue ? 'true' : undefined}>
      {formatAge(t, hours)}
    </Typography.Text>
  );
}

/** A phone number that dials on a phone (and opens the softphone on a desk). */
export function PhoneLink({ phone }: { phone: string | null | undefined }) {
  const { t } = useI18n();
  if (!phone) return <>{t('common.none')}</>;
  // masked numbers cannot be dialled
  if (phone.includes('*')) return <span style={{ whiteSpace: 'nowrap' }}>{phone}</span>;
  return (
    <a href={`tel:${phone.replace(/[\s-]/g, '')}`} style={{ whiteSpace: 'nowrap' }}>
      {phone}
    </a>
  );
}

const ARTICLE_COLORS: Record<string, string> = { draft: 'default', published: 'success', withdrawn: 'warning' };

export function ArticleStatusTag({ status, name }: { status: string; name?: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={ARTICLE_COLORS[status] ?? 'default'} variant="filled" style={{ marginInlineEnd: 0 }}>
      {tx(`portalArticle.status.${status}`, name ?? status)}
    </Tag>
  );
}

const APPOINTMENT_COLORS: Record<string, string> = { booked: 'processing', done: 'success', no_show: 'error', cancelled: 'default' };

export function AppointmentStatusTag({ status, name }: { status: string; name?: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={APPOINTMENT_COLORS[status] ?? 'default'} variant="filled" style={{ marginInlineEnd: 0 }}>
      {tx(`portalAppt.status.${status}`, name ?? status)}
    </Tag>
  );
}
