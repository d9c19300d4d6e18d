// Tags and small formatters shared by the routing pages (分派事项, 分派规则, 分派办理统计).
import { Tag, Tooltip } from 'antd';
import { ClockCircleOutlined, WarningOutlined } from '@ant-design/icons';
import { useI18n, type I18n } from '../../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../../shared/format';
import type { DispatchStatus } from '../../../data/field-routing';

const STATUS_COLORS: Record<DispatchStatus, string> = { pending: 'gold', accepted: 'processing', closed: 'success', rejected: 'default' };

export function DispatchStatusTag({ status }: { status: DispatchStatus }) {
  const { t } = useI18n();
  return (
    <Tag color={STATUS_COLORS[status]} variant="filled" style={{ marginInlineEnd: 0 }}>
      {t(`fieldRouting.status.${status}`)}
    </Tag>
  );
}

/** A span of time in days, hours or minutes. */
export function formatSpan(t: I18n['t'], ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60_000));
  if (minutes < 60) return t('fieldRouting.span.minutes', { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? t('fieldRouting.span.hoursMinutes', { h: hours, m: minutes % 60 }) : t('fieldRouting.span.hours', { h: hours });
  const days = Math.floor(hours / 24);
  return hours % 24 ? t('fieldRouting.span.daysHours', { d: days, h: hours % 24 }) : t('fieldRouting.span.days', { d: days });
}

/** For a pending dispatch: the time left to accept it, or how long it is overdue (red). */
export function DueTag({ dueAt, status, now = Date.now() }: { dueAt: string; status: DispatchStatus; now?: number }) {
  const { t } = useI18n();
  if (status !== 'pending') return null;
  const left = Date.parse(dueAt) - now;
  const tip = `${t('fieldRouting.acceptDueAt')}${t('common.colon')}${formatTime(dueAt, DATE_TIME_SHORT)}`;
  return (
    <Tooltip title={tip}>
      {left < 0 ? (
        <Tag color="error" icon={<WarningOutlined />} style={{ marginInlineEnd: 0 }} data-testid="due-over">
          {t('fieldRouting.due.over', { span: formatSpan(t, left) })}
        </Tag>
      ) : (
        <Tag color={left < 2 * 3_600_000 ? 'warning' : 'default'} icon={<ClockCircleOutlined />} style={{ marginInlineEnd: 0 }}>
          {t('fieldRouting.due.left', { span: formatSpan(t, left) })}
        </Tag>
      )}
    </Tooltip>
  );
}

/** 督办 level 1 / 2. */
export function EscalationTag({ level, to }: { level: number; to?: string | null }) {
  const { t } = useI18n();
  if (!level) return null;
  const tag = (
    <Tag color={level >= 2 ? 'red' : 'volcano'} variant="solid" style={{ marginInlineEnd: 0 }}>
      {t(level >= 2 ? 'fieldRouting.escalation.level2' : 'fieldRouting.escalation.level1')}
    </Tag>
  );
  return to ? <Tooltip title={t('fieldRouting.escalation.to', { name: to })}>{tag}</Tooltip> : tag;
}

/** The owner: a department, or the community officer. */
export function OwnerTag({ kind, name }: { kind: 'department' | 'officer'; name: string }) {
  const { t } = useI18n();
  return (
    <Tag color={kind === 'officer' ? 'blue' : 'geekblue'} style={{ marginInlineEnd: 0 }}>
      {kind === 'officer' ? t('fieldRouting.officer') : name}
    </Tag>
  );
}

/** The distinctive end of a long address. */
export function addressTail(full: string | null | undefined, max = 26): string {
  if (!full) return '';
  return full.length > max ? `…${full.slice(-max)}` : full;
}
