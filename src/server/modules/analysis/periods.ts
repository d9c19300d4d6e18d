import { changeSignificance } from '../../../shared/geo.js';
import { validationError, type FieldError } from '../../platform/errors/index.js';
import { addDays } from '../population/rules.js';

/**
 * The three windows every analysis compares (docs/api-command.md "Analysis"): the period asked for (Beijing dates,
 * both ends inclusive), the previous period of the same length right before it (环比) and the same dates a year
 * earlier (同比; 29 February becomes 28 February).
 */
export const MAX_SPAN_DAYS = 366;

export interface DateRange {
  from: string;
  to: string;
}

export interface Window extends DateRange {
  /** First instant (Beijing midnight of `from`). */
  start: Date;
  /** First instant after the window (Beijing midnight after `to`). */
  end: Date;
}

export interface Periods {
  days: number;
  current: Window;
  previous: Window;
  lastYear: Window;
}

const DAY_MS = 86_400_000;

/** Beijing midnight at the start of a date. */
export const beijingMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** Whole days from a to b (dates). */
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

/** The same date one year earlier; 29 February becomes 28 February. */
export function minusYear(day: string): string {
  const y = Number(day.slice(0, 4)) - 1;
  const md = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

/** The same date one year later; 29 February becomes 28 February. */
export function plusYear(day: string): string {
  const y = Number(day.slice(0, 4)) + 1;
  const md = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${String(y).padStart(4, '0')}-${md}`;
}

const window = (from: string, to: string): Window => ({ from, to, start: beijingMidnight(from), end: beijingMidnight(addDays(to, 1)) });

/** Checks a period and derives the comparison windows; a bad one is a 400 naming the field. */
export function periodsOf(from: string, to: string): Periods {
  const errors: FieldError[] = [];
  const days = daysBetween(from, to) + 1;
  if (Number.isNaN(days)) errors.push({ field: 'from', message: '日期格式应为 YYYY-MM-DD' });
  else if (days < 1) errors.push({ field: 'to', message: '结束日期不能早于开始日期' });
  else if (days > MAX_SPAN_DAYS) errors.push({ field: 'to', message: `统计区间最长 ${MAX_SPAN_DAYS} 天` });
  if (errors.length) throw validationError(errors);
  return {
    days,
    current: window(from, to),
    previous: window(addDays(from, -days), addDays(from, -1)),
    lastYear: window(minusYear(from), minusYear(to)),
  };
}

/** The first day of the month after the one `day` lies in. */
const nextMonth = (day: string) => {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  return m === 12 ? `${String(y + 1).padStart(4, '0')}-01-01` : `${day.slice(0, 4)}-${String(m + 1).padStart(2, '0')}-01`;
};

/**
 * A window cut for the monthly rollup (incident_month_counts): the whole Beijing months inside it, given as the first
 * days of the first and the last of them, and the instants before and after them that must be read incident by
 * incident. A window with no whole month is all `raw`.
 */
export interface MonthSplit {
  months: { first: string; last: string } | null;
  raw: Array<[Date, Date]>;
}

export function splitByMonth(w: Window): MonthSplit {
  const first = w.from.endsWith('-01') ? w.from : nextMonth(w.from);
  const afterLast = nextMonth(w.to) === addDays(w.to, 1) ? addDays(w.to, 1) : `${w.to.slice(0, 7)}-01`;
  if (first >= afterLast) return { months: null, raw: [[w.start, w.end]] };
  const raw: Array<[Date, Date]> = [];
  if (w.from < first) raw.push([w.start, beijingMidnight(first)]);
  if (afterLast <= w.to) raw.push([beijingMidnight(afterLast), w.end]);
  return { months: { first, last: addDays(afterLast, -1).slice(0, 8) + '01' }, raw };
}

/**
 * Disjoint, sorted instant ranges covering the given ones: one pass over the incidents reads each row once even when
 * the year-ago window touches the previous period (a span of a full year).
 */
export function mergeRanges(ranges: Array<[Date, Date]>): Array<[Date, Date]> {
  const rs = ranges.map(([a, b]) => [a.getTime(), b.getTime()] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push([...r]);
  }
  return out.map(([a, b]) => [new Date(a), new Date(b)]);
}

export interface Change {
  current: number;
  previous: number;
  /** current − previous */
  change: number;
  /** the change in per cent of the previous count, null when that was 0 */
  rate: number | null;
  z: number | null;
  verdict: 'up' | 'down' | 'noise' | 'too_few';
}

export function compare(current: number, previous: number): Change {
  const s = changeSignificance(current, previous);
  return { current, previous, change: current - previous, rate: previous > 0 ? Math.round(((current - previous) / previous) * 1000) / 10 : null, z: s.z, verdict: s.verdict };
}

export const presentPeriods = (p: Periods) => ({
  from: p.current.from,
  to: p.current.to,
  days: p.days,
  previous: { from: p.previous.from, to: p.previous.to },
  lastYear: { from: p.lastYear.from, to: p.lastYear.to },
});
