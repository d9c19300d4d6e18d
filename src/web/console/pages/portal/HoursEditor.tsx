// Opening hours as rows of weekdays + one period (open–close); stored by the server as one period per day.
import { Button, Checkbox, Flex, Form, TimePicker, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Dayjs } from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import type { I18n } from '../../../shared/i18n';
import type { HoursPeriod } from '../../data/portal';

export interface HoursRow {
  days: number[];
  open: Dayjs | null;
  close: Dayjs | null;
}

const HM = 'HH:mm';
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const WORKDAYS = [1, 2, 3, 4, 5];
const WEEKEND = [6, 7];

const at = (hm: string) => dayjs(`2000-01-01 ${hm}`, `YYYY-MM-DD ${HM}`);

/** Quick presets: the usual office hours, weekend mornings, weekday evenings. */
export const HOURS_PRESETS: Array<{ key: 'workday' | 'weekendMorning' | 'evening'; rows: Array<{ days: number[]; open: string; close: string }> }> = [
  {
    key: 'workday',
    rows: [
      { days: WORKDAYS, open: '08:30', close: '12:00' },
      { days: WORKDAYS, open: '14:00', close: '17:30' },
    ],
  },
  { key: 'weekendMorning', rows: [{ days: WEEKEND, open: '09:00', close: '12:00' }] },
  { key: 'evening', rows: [{ days: WORKDAYS, open: '19:00', close: '21:00' }] },
];

/** The server's periods grouped into rows: one row per (open, close) pair with all its days. */
export function rowsFromHours(hours: HoursPeriod[]): HoursRow[] {
  const groups = new Map<string, { open: string; close: string; days: number[] }>();
  for (const h of hours) {
    const key = `${h.open}-${h.close}`;
    const g = groups.get(key) ?? { open: h.open, close: h.close, days: [] };
    if (!g.days.includes(h.day)) g.days.push(h.day);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => Math.min(...a.days) - Math.min(...b.days) || a.open.localeCompare(b.open))
    .map((g) => ({ days: g.days.sort((x, y) => x - y), open: at(g.open), close: at(g.close) }));
}

/** Rows back to periods, with the row each period came from (to place the server's `hours.N.close` errors). */
export function hoursFromRows(rows: HoursRow[]): { hours: HoursPeriod[]; rowOf: number[] } {
  const hours: HoursPeriod[] = [];
  const rowOf: number[] = [];
  rows.forEach((r, i) => {
    if (!r.open || !r.close) return;
    for (const day of [...r.days].sort((a, b) => a - b)) {
      hours.push({ day, open: r.open.format(HM), close: r.close.format(HM) });
      rowOf.push(i);
    }
  });
  return { hours, rowOf };
}

const minutes = (d: Dayjs | null) => (d ? d.hour() * 60 + d.minute() : null);

/** Days on which two rows' periods overlap, as "周一" labels. */
function overlaps(t: I18n['t'], rows: HoursRow[]): string[] {
  const out: string[] = [];
  for (const day of DAYS) {
    const periods = rows
      .map((r, i) => ({ i, open: minutes(r.open), close: minutes(r.close), on: r.days?.includes(day) }))
      .filter((p): p is { i: number; open: number; close: number; on: true } => !!p.on && p.open != null && p.close != null && p.open < p.close)
      .sort((a, b) => a.open - b.open);
    for (let k = 1; k < periods.length; k += 1) {
      if (periods[k].open < periods[k - 1].close) {
        out.push(t(`portalOffice.day.${day}` as 'portalOffice.day.1'));
        break;
      }
    }
  }
  return out;
}

/** The editor; lives inside a Form whose `hours` field holds HoursRow[]. */
export function HoursEditor({ form, name = 'hours' }: { form: FormInstance; name?: string }) {
  const { t } = useI18n();
  const addPreset = (key: (typeof HOURS_PRESETS)[number]['key']) => {
    const preset = HOURS_PRESETS.find((p) => p.key === key);
    if (!preset) return;
    const current = (form.getFieldValue(name) as HoursRow[] | undefined) ?? [];
    const keep = current.filter((r) => r.days?.length || r.open || r.close);
    form.setFieldValue(name, [...keep, ...preset.rows.map((r) => ({ days: [...r.days], open: at(r.open), close: at(r.close) }))]);
    void form.validateFields([name]).catch(() => undefined);
  };
  return (
    <div data-testid="hours-editor">
      <Flex gap={8} wrap style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary" style={{ lineHeight: '24px' }}>
          <ThunderboltOutlined /> {t('portalOffice.hours.presets')}
        </Typography.Text>
        {HOURS_PRESETS.map((p) => (
          <Button key={p.key} size="small" onClick={() => addPreset(p.key)} data-testid={`hours-preset-${p.key}`}>
            {t(`portalOffice.hours.preset.${p.key}`)}
          </Button>
        ))}
      </Flex>
      <Form.List
        name={name}
        rules={[
          {
            validator: async (_rule, rows: HoursRow[] | undefined) => {
              const days = overlaps(t, rows ?? []);
              if (days.length) throw new Error(t('portalOffice.hours.overlap', { days: days.join('、') }));
            },
          },
        ]}
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.length === 0 ? (
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                {t('portalOffice.hours.empty')}
              </Typography.Paragraph>
            ) : null}
            {fields.map((field) => (
              <Flex
                key={field.key}
                gap={8}
                align="start"
                wrap
                style={{ border: '1px solid rgba(5, 5, 5, 0.08)', borderRadius: 8, padding: '8px 10px 0', marginBottom: 8 }}
                data-testid="hours-row"
              >
                <Form.Item
                  name={[field.name, 'days']}
                  rules={[{ required: true, type: 'array', min: 1, message: t('portalOffice.hours.daysRequired') }]}
                  style={{ marginBottom: 8, flex: '1 1 300px' }}
                >
                  <Checkbox.Group
                    options={DAYS.map((d) => ({ value: d, label: t(`portalOffice.dayShort.${d}` as 'portalOffice.dayShort.1') }))}
                    style={{ lineHeight: '32px' }}
                  />
                </Form.Item>
                <Form.Item name={[field.name, 'open']} rules={[{ required: true, message: t('portalOffice.hours.openRequired') }]} style={{ marginBottom: 8 }}>
                  <TimePicker format={HM} minuteStep={5} needConfirm={false} placeholder={t('portalOffice.hours.open')} style={{ width: 108 }} data-testid="hours-open" />
                </Form.Item>
                <span style={{ lineHeight: '32px' }}>–</span>
                <Form.Item
                  name={[field.name, 'close']}
                  dependencies={[[name, field.name, 'open']]}
                  rules={[
                    { required: true, message: t('portalOffice.hours.closeRequired') },
                    ({ getFieldValue }) => ({
                      validator: async (_rule, value: Dayjs | null) => {
                        const open = getFieldValue([name, field.name, 'open']) as Dayjs | null;
                        const o = minutes(open);
                        const c = minutes(value);
                        if (o != null && c != null && c <= o) throw new Error(t('portalOffice.hours.order'));
                      },
                    }),
                  ]}
                  style={{ marginBottom: 8 }}
                >
                  <TimePicker format={HM} minuteStep={5} needConfirm={false} placeholder={t('portalOffice.hours.close')} style={{ width: 108 }} data-testid="hours-close" />
                </Form.Item>
                <Button type="text" danger icon={<DeleteOutlined />} onClick={() => remove(field.name)} aria-label={t('portalOffice.hours.remove')} />
              </Flex>
            ))}
            {errors.length ? (
              <div role="alert" style={{ marginBottom: 8 }} data-testid="hours-errors">
                {errors.map((e, i) => (
                  <Typography.Text key={i} type="danger" style={{ display: 'block' }}>
                    {e}
                  </Typography.Text>
                ))}
              </div>
            ) : null}
            <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ days: [], open: null, close: null })} data-testid="hours-add">
              {t('portalOffice.hours.add')}
            </Button>
          </>
        )}
      </Form.List>
    </div>
  );
}
