import type { DirectiveLevel } from '../../db/schema.js';
import { addDays, todayCst } from '../population/rules.js';

/** Rules of directives and whistles that need no database (docs/api-command.md "Directives", "Whistles"). */

export const LEVEL_NAMES: Record<DirectiveLevel, string> = { red: '红色', orange: '橙色', blue: '蓝色', green: '绿色' };

export const TARGET_STATUSES = ['issued', 'signed', 'reported'] as const;
export const DIRECTIVE_STATUSES = ['active', 'closed', 'withdrawn'] as const;
export const WHISTLE_STATUSES = ['open', 'reported', 'confirmed'] as const;
export const RESPONSE_STATUSES = ['pending', 'acknowledged', 'acting', 'reported'] as const;

/** A share as a percentage with two decimals (2 of 3 → 66.67); null when there is nothing to divide by. */
export function pct(n: number, of: number): number | null {
  if (!of) return null;
  return Math.round((n / of) * 10_000) / 100;
}

export interface TargetCounts {
  targets: number;
  signed: number;
  reported: number;
  onTime: number;
}

/**
 * The three rates of a set of targets: sign-off = signed or reported ÷ targets, feedback = reported ÷ targets
 * (the headline figure), on-time feedback = reported by the deadline ÷ targets.
 */
export function rates(c: TargetCounts) {
  return { signRate: pct(c.signed, c.targets), feedbackRate: pct(c.reported, c.targets), onTimeRate: pct(c.onTime, c.targets) };
}

const CST_MS = 8 * 3_600_000;

/** `M月D日 HH:mm` in Beijing time, for texts. */
export function formatCst(d: Date): string {
  const x = new Date(d.getTime() + CST_MS);
  const hh = String(x.getUTCHours()).padStart(2, '0');
  const mm = String(x.getUTCMinutes()).padStart(2, '0');
  return `${x.getUTCMonth() + 1}月${x.getUTCDate()}日 ${hh}:${mm}`;
}

/** A period of Beijing days as instants [from, to): `to` is inclusive as a day. Defaults to the last 30 days. */
export function period(from: string | undefined, to: string | undefined, now = new Date()) {
  const toDay = to ?? todayCst(now);
  const fromDay = from ?? addDays(toDay, -29);
  return { fromDay, toDay, start: new Date(`${fromDay}T00:00:00+08:00`), end: new Date(`${addDays(toDay, 1)}T00:00:00+08:00`) };
}

/** Whole minutes between two instants (rounded down), never negative. */
export const minutesBetween = (a: Date, b: Date) => Math.max(0, Math.floor((b.getTime() - a.getTime()) / 60_000));

/** Median of numbers (the mean of the two middle ones for an even count); null for none. */
export function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Rounds to one decimal. */
export const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
