import type { OpeningPeriod, ServiceCategory } from '../../db/schema.js';
import type { FieldError } from '../../platform/errors/index.js';
import { addDays, todayCst } from '../population/rules.js';

/**
 * Pure rules of the public face of the offices: names, opening hours (validation, readable text, open now),
 * appointment slots, distances and the time arithmetic of China Standard Time (UTC+8, no daylight saving).
 */

export const OFFICE_KINDS = ['station', 'office', 'post'] as const;
export type OfficeKind = (typeof OFFICE_KINDS)[number];
export const OFFICE_KIND_NAMES: Record<OfficeKind, string> = { station: '派出所', office: '社区警务室', post: '警务站' };

export const SERVICE_CATEGORIES = ['huzheng', 'zhian', 'churujing', 'zhengming', 'jiaotong', 'other'] as const satisfies readonly ServiceCategory[];
export const SERVICE_CATEGORY_NAMES: Record<ServiceCategory, string> = {
  huzheng: '户政业务',
  zhian: '治安业务',
  churujing: '出入境业务',
  zhengming: '证明开具',
  jiaotong: '交通管理',
  other: '其他业务',
};

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'done', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const APPOINTMENT_STATUS_NAMES: Record<AppointmentStatus, string> = { booked: '已预约', cancelled: '已取消', done: '已办结', no_show: '未到场' };

export const ARTICLE_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
export const ARTICLE_STATUS_NAMES: Record<ArticleStatus, string> = { draft: '草稿', published: '已发布', withdrawn: '已撤回' };

/** Which org-unit kinds each office kind may sit on. */
export const OFFICE_UNIT_KINDS: Record<OfficeKind, readonly string[]> = {
  station: ['station'],
  office: ['community'],
  post: ['branch', 'station', 'community', 'grid'],
};

// ---- China Standard Time -------------------------------------------------------------------------------

const CST_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export { todayCst, addDays };

/** 1 = Monday … 7 = Sunday of a `YYYY-MM-DD` date. */
export function weekdayOf(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Minutes after midnight of an `HH:MM` time (`24:00` → 1440). */
export const minutesOf = (hm: string) => Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3, 5));
export const hmOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** The instant of a local (CST) date and minute of the day. */
export function atCst(date: string, minutes: number): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CST_OFFSET_MS + minutes * 60_000);
}

/** Date, weekday and minute of the day of an instant in CST. */
export function cstParts(at: Date): { date: string; weekday: number; minutes: number } {
  const shifted = new Date(at.getTime() + CST_OFFSET_MS);
  const date = shifted.toISOString().slice(0, 10);
  return { date, weekday: weekdayOf(date), minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() };
}

/** `11月23日 09:00` in CST. */
export function formatMdHm(at: Date): string {
  const { date, minutes } = cstParts(at);
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日 ${hmOf(minutes)}`;
}

/**
 * Appointments whose slot starts before this instant are due for their reminder: the day before from 18:00
 * (so until the end of tomorrow), earlier in the day only those of today.
 */
export function reminderHorizon(now: Date): Date {
  const { date, minutes } = cstParts(now);
  return atCst(addDays(date, minutes >= 18 * 60 ? 2 : 1), 0);
}

// ---- opening hours ---------------------------------------------------------------------------------------

const OPEN_RE = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOSE_RE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/** Checks opening periods: `HH:MM`, open before close, day 1..7, no two periods of a day overlapping. */
export function checkHours(hours: Array<{ day: number; open: string; close: string }>, field = 'hours'): FieldError[] {
  const errors: FieldError[] = [];
  const valid: Array<{ i: number; day: number; open: number; close: number }> = [];
  hours.forEach((p, i) => {
    const at = `${field}.${i}`;
    let ok = true;
    if (!Number.isInteger(p.day) || p.day < 1 || p.day > 7) {
      errors.push({ field: `${at}.day`, message: '星期须为 1（周一）至 7（周日）' });
      ok = false;
    }
    if (!OPEN_RE.test(p.open)) {
      errors.push({ field: `${at}.open`, message: '开始时间格式应为 HH:MM（如 08:30）' });
      ok = false;
    }
    if (!CLOSE_RE.test(p.close)) {
      errors.push({ field: `${at}.close`, message: '结束时间格式应为 HH:MM（如 17:30）' });
      ok = false;
    }
    if (ok && minutesOf(p.close) <= minutesOf(p.open)) {
      errors.push({ field: `${at}.close`, message: '结束时间须晚于开始时间' });
      ok = false;
    }
    if (ok) valid.push({ i, day: p.day, open: minutesOf(p.open), close: minutesOf(p.close) });
  });
  const sorted = [...valid].sort((a, b) => a.day - b.day || a.open - b.open);
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1];
    const cur = sorted[k];
    if (cur.day === prev.day && cur.open < prev.close) {
      errors.push({ field: `${field}.${cur.i}.open`, message: `与同一天的 ${hmOf(prev.open)}–${hmOf(prev.close)} 时段重叠` });
    }
  }
  return errors;
}

/** Periods in a stable order: by day, then opening time. */
export const sortHours = (hours: OpeningPeriod[]): OpeningPeriod[] =>
  [...hours].map((p) => ({ day: p.day, open: p.open, close: p.close })).sort((a, b) => a.day - b.day || minutesOf(a.open) - minutesOf(b.open));

const DAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
/** Periods opening at or after this minute are evening hours and get their own line. */
const EVENING_FROM = 18 * 60;

/** `周一至周五`, `周六、周日`, `周一至周三、周五`, `每天`. */
export function formatDays(days: number[]): string {
  const ds = [...new Set(days)].sort((a, b) => a - b);
  if (ds.length === 7) return '每天';
  const parts: string[] = [];
  for (let i = 0; i < ds.length; ) {
    let j = i;
    while (j + 1 < ds.length && ds[j + 1] === ds[j] + 1) j++;
    if (j - i >= 2) parts.push(`${DAY_NAMES[ds[i]]}至${DAY_NAMES[ds[j]]}`);
    else for (let k = i; k <= j; k++) parts.push(DAY_NAMES[ds[k]]);
    i = j + 1;
  }
  return parts.join('、');
}

function groupLines(periods: OpeningPeriod[], render: (days: string, times: string) => string): string[] {
  const byDay = new Map<number, string>();
  for (const p of sortHours(periods)) {
    const t = `${p.open}–${p.close}`;
    byDay.set(p.day, byDay.has(p.day) ? `${byDay.get(p.day)}、${t}` : t);
  }
  const groups = new Map<string, number[]>();
  for (const [day, times] of [...byDay.entries()].sort((a, b) => a[0] - b[0])) groups.set(times, [...(groups.get(times) ?? []), day]);
  return [...groups.entries()].map(([times, days]) => render(formatDays(days), times));
}

/**
 * Opening hours as readable lines: equal days grouped (`周一至周五 08:30–12:00、14:00–17:30`,
 * `周六、周日 09:00–12:00`), evening periods on their own lines (`周一至周五晚间 19:00–21:00`).
 */
export function hoursText(hours: OpeningPeriod[]): string[] {
  const day = hours.filter((p) => minutesOf(p.open) < EVENING_FROM);
  const evening = hours.filter((p) => minutesOf(p.open) >= EVENING_FROM);
  return [...groupLines(day, (d, t) => `${d} ${t}`), ...groupLines(evening, (d, t) => `${d}晚间 ${t}`)];
}

/** Whether an office is open at this instant (CST). */
export function openAt(hours: OpeningPeriod[], at: Date): boolean {
  const { weekday, minutes } = cstParts(at);
  return hours.some((p) => p.day === weekday && minutesOf(p.open) <= minutes && minutes < minutesOf(p.close));
}

// ---- slots -----------------------------------------------------------------------------------------------

/** The slots of a day: each opening period of that weekday cut into whole slots of `slotMinutes`. */
export function daySlots(hours: OpeningPeriod[], date: string, slotMinutes: number): Array<{ start: Date; end: Date }> {
  const wd = weekdayOf(date);
  const out: Array<{ start: Date; end: Date }> = [];
  for (const p of sortHours(hours).filter((x) => x.day === wd)) {
    const close = minutesOf(p.close);
    for (let t = minutesOf(p.open); t + slotMinutes <= close; t += slotMinutes) out.push({ start: atCst(date, t), end: atCst(date, t + slotMinutes) });
  }
  return out;
}

/** The last day a service can be booked for: `daysAhead` days after today. */
export const lastBookableDay = (today: string, daysAhead: number) => addDays(today, daysAhead);

/** Days between two `YYYY-MM-DD` dates (b − a). */
export const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);

// ---- distance --------------------------------------------------------------------------------------------

/** Great-circle distance in metres (haversine, mean earth radius). */
export function haversineM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return Math.round(2 * R * Math.asin(Math.min(1, Math.sqrt(h))));
}

// ---- text ------------------------------------------------------------------------------------------------

/** A trimmed optional text: empty becomes null. */
export const optText = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : v.trim() || null);
