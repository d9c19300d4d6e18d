import { Tag } from 'antd';
import { useI18n } from '../../../shared/i18n';

const COLORS: Record<string, string> = { success: 'success', denied: 'warning', failure: 'error' };

export function OutcomeTag({ outcome }: { outcome: string }) {
  const { tx } = useI18n();
  return (
    <Tag color={COLORS[outcome] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {tx(`audit.outcome.${outcome}`, outcome)}
    </Tag>
  );
}
