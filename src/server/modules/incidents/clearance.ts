import type { Deps } from '../../deps.js';
import { staffOf, SYSTEM_USER_ID, type RequestContext } from '../../platform/access/context.js';
import { notFound, validationError } from '../../platform/errors/index.js';
import { addDays, todayCst } from '../population/rules.js';
import { ageHours, presentIncident } from './present.js';
import { incidentsRepository as repo, type UnitRef } from './repository.js';

/**
 * 警情清零: per unit and Beijing day, what was open at the start of the day, what came in, what was closed and what
 * was diverted (both count as cleared), and what stayed open; the clearance rate = cleared ÷ (open at start + new).
 * The unit is the one asked for (default: the caller's) with one row per child unit (stations under a branch,
 * communities under a station …), and the open incidents now by age with the ten oldest.
 */
export const MAX_DAYS = 92;

export interface DayFigures {
  day: string;
  openAtStart: number;
  new: number;
  closed: number;
  diverted: number;
  openAtEnd: number;
  rate: number | null;
}

const rate = (cleared: number, load: number) => (load > 0 ? Math.round((cleared / load) * 1000) / 1000 : null);
const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

function series(days: string[], start: number, flows: Map<string, { new: number; closed: number; diverted: number }>): { days: DayFigures[]; totals: Omit<DayFigures, 'day'> } {
  let open = start;
  const out: DayFigures[] = [];
  for (const day of days) {
    const f = flows.get(day) ?? { new: 0, closed: 0, diverted: 0 };
    const end = open + f.new - f.closed - f.diverted;
    out.push({ day, openAtStart: open, new: f.new, closed: f.closed, diverted: f.diverted, openAtEnd: end, rate: rate(f.closed + f.diverted, open + f.new) });
    open = end;
  }
  const sum = (k: 'new' | 'closed' | 'diverted') => out.reduce((s, d) => s + d[k], 0);
  const totals = { openAtStart: start, new: sum('new'), closed: sum('closed'), diverted: sum('diverted'), openAtEnd: open, rate: rate(sum('closed') + sum('diverted'), start + sum('new')) };
  return { days: out, totals };
}

export async function clearance(deps: Deps, ctx: RequestContext, q: { unitId?: string; from?: string; to?: string }) {
  const me = staffOf(ctx);
  const today = todayCst();
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -6);
  if (from > to) throw validationError([{ field: 'to', message: '结束日期不能早于开始日期' }]);
  if (daysOf(from, to).length > MAX_DAYS) throw validationError([{ field: 'from', message: `统计区间最长 ${MAX_DAYS} 天` }]);
  let unit: UnitRef | undefined;
  const unitId = q.unitId ?? (me.orgUnitId === SYSTEM_USER_ID ? undefined : me.orgUnitId);
  if (unitId) {
    unit = await repo.unitInScope(deps.db, me.scopePath, unitId);
    if (!unit) throw notFound('单位不存在或不在您的辖区内');
  }
  const path = unit?.path ?? me.scopePath;
  const days = daysOf(from, to);
  const start = dayStart(from);
  const end = dayStart(addDays(to, 1));
  const now = new Date();
  const [flows, children, ageing] = await Promise.all([
    repo.clearanceFlows(deps.db, path, start, end),
    unit ? repo.childUnits(deps.db, unit.id) : Promise.resolve([] as UnitRef[]),
    repo.openAgeing(deps.db, path, now),
  ]);
  // per child key ('' = the unit itself): the open count at the start and the daily flows
  const byChild = new Map<string, { start: number; flows: Map<string, { new: number; closed: number; diverted: number }> }>();
  const total = { start: 0, flows: new Map<string, { new: number; closed: number; diverted: number }>() };
  for (const f of flows) {
    const c = byChild.get(f.child) ?? { start: 0, flows: new Map() };
    byChild.set(f.child, c);
    for (const t of [c, total]) {
      if (f.kind === 'start') t.start += f.n;
      else {
        const d = t.flows.get(f.day!) ?? { new: 0, closed: 0, diverted: 0 };
        d[f.kind === 'new' ? 'new' : f.kind] += f.n;
        t.flows.set(f.day!, d);
      }
    }
  }
  const rows = children.map((c) => {
    const x = byChild.get(c.id) ?? { start: 0, flows: new Map() };
    return { unit: { id: c.id, name: c.name, kind: c.kind, code: c.code }, ...series(days, x.start, x.flows) };
  });
  const own = byChild.get('');
  if (own && children.length) rows.push({ unit: { id: unit!.id, name: `${unit!.name}（本级）`, kind: unit!.kind, code: unit!.code }, ...series(days, own.start, own.flows) });
  const whole = series(days, total.start, total.flows);
  const todayRow = whole.days.find((d) => d.day === today);
  const openNow = ageing.buckets.lt24h + ageing.buckets.d1to3 + ageing.buckets.d3to7 + ageing.buckets.gt7d;
  return {
    unit: unit ? { id: unit.id, name: unit.name, kind: unit.kind, code: unit.code } : null,
    from,
    to,
    headline: {
      openNow,
      newToday: todayRow?.new ?? null,
      clearedToday: todayRow ? todayRow.closed + todayRow.diverted : null,
      rate: whole.totals.rate,
    },
    ...whole,
    units: rows,
    ageing: ageing.buckets,
    oldest: ageing.oldest.map((i) => ({ ...presentIncident(i, now.getTime()), ageHours: ageHours(i.status, i.reported_at, now.getTime()) })),
  };
}
