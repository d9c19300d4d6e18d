import type { Deps } from '../../deps.js';
import { notFound } from '../../platform/errors/index.js';
import { servicesRepository as repo, type ServiceRow } from './repository.js';
import { addDays, atCst, cstParts, daySlots, lastBookableDay, todayCst, weekdayOf } from './rules.js';

export const NOT_OFFERED = '办事事项不存在或已停办';

/** An active service of an active office, or 404. */
export async function offeredService(deps: Deps, id: string): Promise<ServiceRow> {
  const s = await repo.service(deps.db, id);
  if (!s || s.status !== 'active' || s.office_status !== 'active') throw notFound(NOT_OFFERED);
  return s;
}

/**
 * The bookable slot of a service that starts exactly at `start`: on a day from today to `daysAhead` days
 * ahead, cut from the office's hours, not yet begun. Undefined otherwise.
 */
export function bookableSlot(s: ServiceRow, start: Date, now: Date): { start: Date; end: Date } | undefined {
  if (Number.isNaN(start.getTime()) || start <= now) return undefined;
  const { date } = cstParts(start);
  const today = todayCst(now);
  if (date < today || date > lastBookableDay(today, s.days_ahead)) return undefined;
  return daySlots(s.hours ?? [], date, s.slot_minutes).find((x) => x.start.getTime() === start.getTime());
}

/** `SlotDay[]` from `from` (default today) for `days` days, clamped to the days the service can be booked for. */
export async function serviceSlots(deps: Deps, id: string, q: { from?: string; days?: number }, now = new Date()) {
  const s = await offeredService(deps, id);
  const today = todayCst(now);
  const last = lastBookableDay(today, s.days_ahead);
  const from = q.from && q.from > today ? q.from : today;
  if (from > last) return [];
  const requestedEnd = addDays(from, (q.days ?? 7) - 1);
  const end = requestedEnd < last ? requestedEnd : last;
  const booked = await repo.bookedCounts(deps.db, s.id, atCst(from, 0), atCst(addDays(end, 1), 0));
  const out = [];
  for (let date = from; date <= end; date = addDays(date, 1)) {
    const slots = daySlots(s.hours ?? [], date, s.slot_minutes)
      .filter((x) => x.start > now)
      .map((x) => {
        const n = booked.get(x.start.getTime()) ?? 0;
        return { start: x.start.toISOString(), end: x.end.toISOString(), capacity: s.capacity, booked: n, available: Math.max(0, s.capacity - n) };
      });
    out.push({ date, weekday: weekdayOf(date), slots });
  }
  return out;
}
