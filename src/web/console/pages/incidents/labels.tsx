import { Tag, Typography } from 'antd';
import { useI18n } from '../../../shared/i18n';
import { AGE_ALERT_HOURS, AGE_WARN_HOURS, isOpen } from '../../data/incidents';
import type { CategoryNode } from '../../data/incidents';

const STATUS_COLOURS: Record<string, string> = { received: 'blue', handling: 'gold', diverted: 'purple', closed: 'green' };
const DIVERSION_COLOURS: Record<string, string> = { sent: 'blue', accepted: 'gold', done: 'green', returned: 'red' };

export function IncidentStatusTag({ status }: { status: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={STATUS_COLOURS[status]} style={{ marginInlineEnd: 0 }}>
      {tx(`incident.status.${status}`, status)}
    </Tag>
  );
}

export function DiversionStatusTag({ status }: { status: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={DIVERSION_COLOURS[status]} style={{ marginInlineEnd: 0 }}>
      {tx(`incident.diversion.status.${status}`, status)}
    </Tag>
  );
}

/** Hours as "5 小时" / "3 天 4 小时". */
export function useAgeLabel() {
  const { t } = useI18n();
  return (hours: number) => {
    if (hours < 1) return t('incident.age.lessThanHour');
    if (hours < 24) return t('incident.age.hours', { h: Math.floor(hours) });
    return t('incident.age.days', { d: Math.floor(hours / 24), h: Math.floor(hours % 24) });
  };
}

/** The time an open incident has been waiting: amber after 24 h, red after 72 h; cleared ones show a dash. */
export function AgeText({ hours, status }: { hours: number | null; status: string }) {
  const label = useAgeLabel();
  if (hours === null || !isOpen(status)) return <Typography.Text type="secondary">—</Typography.Text>;
  const colour = hours > AGE_ALERT_HOURS ? '#cf1322' : hours > AGE_WARN_HOURS ? '#d48806' : undefined;
  return <span style={{ color: colour, fontWeight: colour ? 600 : undefined, whiteSpace: 'nowrap' }}>{label(hours)}</span>;
}

export interface CategoryTreeOption {
  value: string;
  title: string;
  disabled?: boolean;
  selectable?: boolean;
  children?: CategoryTreeOption[];
}

/**
 * The category tree for a TreeSelect. `leavesOnly`: only second-level categories can be picked (recording); inactive
 * ones are hidden unless `withInactive` (filters may look for old incidents).
 */
export function categoryOptions(tree: CategoryNode[], o: { leavesOnly?: boolean; withInactive?: boolean; nonPoliceMark?: string } = {}): CategoryTreeOption[] {
  const keep = (c: CategoryNode) => o.withInactive || c.status === 'active';
  return tree.filter(keep).map((top) => ({
    value: top.id,
    title: top.name,
    selectable: !o.leavesOnly,
    children: top.children.filter(keep).map((c) => ({ value: c.id, title: !c.policeMatter && o.nonPoliceMark ? `${c.name}（${o.nonPoliceMark}）` : c.name })),
  }));
}
