import { addDays, todayCst } from '../../population/rules.js';

/**
 * Task periods in Asia/Shanghai (pure functions): ISO weeks `2026-W47` (Monday to Sunday, due Sunday), months
 * `2026-11` (due the last day) and quarters `2026-Q4` (due the last day). Days are `YYYY-MM-DD` strings.
 */

export const RECURRENCES = ['weekly', 'monthly', 'quarterly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];

export interface PeriodRange {
  period: string;
  recurrence: Recurrence;
  /** first day */
  start: string;
  /** last day: the due date of the period's tasks */
  end: string;
}

const DAY_MS = 86_400_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const toMs = (day: string) => Date.parse(`${day}T00:00:00Z`);
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
/** Monday = 0 … Sunday = 6 */
const weekday = (day: string) => (new Date(toMs(day)).getUTCDay() + 6) % 7;

/** The ISO week holding a day: the week belongs to the year of its Thursday. */
export function isoWeekOf(day: string): { year: number; week: number } {
  const thursday = addDays(day, 3 - weekday(day));
  const year = Number(thursday.slice(0, 4));
  const week = 1 + Math.floor((toMs(thursday) - toMs(`${year}-01-01`)) / DAY_MS / 7);
  return { year, week };
}

/** Monday of week 1 of an ISO year (the week holding 4 January). */
const week1Monday = (year: number) => {
  const jan4 = `${pad(year, 4)}-01-04`;
  return addDays(jan4, -weekday(jan4));
};

/** 52 or 53. */
export const isoWeeksInYear = (year: number) => isoWeekOf(`${pad(year, 4)}-12-28`).week;

/** The period of a recurrence that holds a day. */
export function periodOf(recurrence: Recurrence, day: string): string {
  const y = day.slice(0, 4);
  const m = Number(day.slice(5, 7));
  if (recurrence === 'monthly') return day.slice(0, 7);
  if (recurrence === 'quarterly') return `${y}-Q${Math.ceil(m / 3)}`;
  const w = isoWeekOf(day);
  return `${pad(w.year, 4)}-W${pad(w.week)}`;
}

/** The current period of a recurrence at an instant (China Standard Time). */
export const currentPeriod = (recurrence: Recurrence, now: Date = new Date()) => periodOf(recurrence, todayCst(now));

const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;
const QUARTER_RE = /^(\d{4})-Q([1-4])$/;

/** A period's kind and days, or undefined when the text is not a valid period. */
export function parsePeriod(period: string): PeriodRange | undefined {
  let m = WEEK_RE.exec(period);
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (year < 1900 || week < 1 || week > isoWeeksInYear(year)) return undefined;
    const start = addDays(week1Monday(year), (week - 1) * 7);
    return { period, recurrence: 'weekly', start, end: addDays(start, 6) };
  }
  m = MONTH_RE.exec(period);
  if (m) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (year < 1900 || month < 1 || month > 12) return undefined;
    return { period, recurrence: 'monthly', start: `${m[1]}-${m[2]}-01`, end: `${m[1]}-${m[2]}-${pad(lastDayOfMonth(year, month))}` };
  }
  m = QUARTER_RE.exec(period);
  if (m) {
    const year = Number(m[1]);
    if (year < 1900) return undefined;
    const q = Number(m[2]);
    const lastMonth = q * 3;
    return { period, recurrence: 'quarterly', start: `${m[1]}-${pad(lastMonth - 2)}-01`, end: `${m[1]}-${pad(lastMonth)}-${pad(lastDayOfMonth(year, lastMonth))}` };
  }
  return undefined;
}

/** The due date of a period's tasks (its last day). */
export function dueDateOf(period: string): string {
  const r = parsePeriod(period);
  if (!r) throw new RangeError(`not a period: ${period}`);
  return r.end;
}

/** The period after (or, with a negative step, before) a period of the same kind. */
export function shiftPeriod(period: string, steps: number): string {
  const r = parsePeriod(period);
  if (!r) throw new RangeError(`not a period: ${period}`);
  if (r.recurrence === 'weekly') return periodOf('weekly', addDays(r.start, 7 * steps));
  const months = r.recurrence === 'monthly' ? steps : steps * 3;
  const [y, m] = r.start.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  return periodOf(r.recurrence, `${pad(Math.floor(total / 12), 4)}-${pad((total % 12) + 1)}-01`);
}

/** The periods of every kind that hold a day: what an item collected that day may complete. */
export const periodsHolding = (day: string): string[] => RECURRENCES.map((r) => periodOf(r, day));

/**
 * Every period (of any kind) that shares at least one day with a period: a month's progress covers the ISO weeks
 * touching it, the month itself and its quarter.
 */
export function overlappingPeriods(period: string): string[] {
  const r = parsePeriod(period);
  if (!r) throw new RangeError(`not a period: ${period}`);
  const out = new Set<string>();
  for (let d = r.start; d <= r.end; d = addDays(d, 1)) for (const p of periodsHolding(d)) out.add(p);
  return [...out];
}

/** The days of a month `YYYY-MM` (assessment), or undefined. */
export function monthRange(month: string): PeriodRange | undefined {
  const r = parsePeriod(month);
  return r?.recurrence === 'monthly' ? r : undefined;
}
