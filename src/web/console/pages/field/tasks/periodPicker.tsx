import { DatePicker, Segmented, Space } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../../../shared/i18n';
import { isoWeekOf, monthOf, quarterOf } from '../../../data/field-tasks';

export type PeriodKind = 'month' | 'week' | 'quarter';

/** The kind of a period string, and its first day. */
export function parsePeriodText(p: string | null | undefined): { kind: PeriodKind; day: dayjs.Dayjs } | undefined {
  if (!p) return undefined;
  let m = /^(\d{4})-(\d{2})$/.exec(p);
  if (m) return { kind: 'month', day: dayjs(`${m[1]}-${m[2]}-01`) };
  m = /^(\d{4})-Q([1-4])$/.exec(p);
  if (m) return { kind: 'quarter', day: dayjs(`${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`) };
  m = /^(\d{4})-W(\d{2})$/.exec(p);
  if (m) {
    const jan4 = dayjs(`${m[1]}-01-04`);
    const monday = jan4.subtract((jan4.day() + 6) % 7, 'day');
    return { kind: 'week', day: monday.add((Number(m[2]) - 1) * 7, 'day') };
  }
  return undefined;
}

export const periodText = (kind: PeriodKind, day: dayjs.Dayjs) => (kind === 'month' ? monthOf(day) : kind === 'week' ? isoWeekOf(day) : quarterOf(day));

/** A period chooser: month, ISO week or quarter. */
export function PeriodPicker({ kind, day, onChange }: { kind: PeriodKind; day: dayjs.Dayjs; onChange: (kind: PeriodKind, day: dayjs.Dayjs) => void }) {
  const { t } = useI18n();
  return (
    <Space.Compact>
      <Segmented<PeriodKind>
        value={kind}
        onChange={(k) => onChange(k, day)}
        options={[
          { value: 'month', label: t('fieldTasks.period.month') },
          { value: 'week', label: t('fieldTasks.period.week') },
          { value: 'quarter', label: t('fieldTasks.period.quarter') },
        ]}
        style={{ marginInlineEnd: 8 }}
      />
      <DatePicker
        picker={kind}
        value={day}
        allowClear={false}
        onChange={(d) => d && onChange(kind, d)}
        format={(d) => periodText(kind, d)}
        style={{ width: 150 }}
        data-testid="period-picker"
      />
    </Space.Compact>
  );
}
