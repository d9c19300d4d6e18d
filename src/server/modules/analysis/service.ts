import type { Deps } from '../../deps.js';
import { cellCentre, hourOfWeekLabel, HOURS_PER_WEEK, parentCell, WEEKDAYS_ZH } from '../../../shared/geo.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { fieldError, notFound } from '../../platform/errors/index.js';
import { orgRepository } from '../org/repository.js';
import { addDays } from '../population/rules.js';
import { analysisRepository as repo, type AnalysisFilter, type CountRow } from './repository.js';
import { compare, periodsOf, plusYear, presentPeriods, type Periods } from './periods.js';

/**
 * 热点分析 (docs/api-command.md "Analysis"): hot spots by place, hours of the week, trends and categories, each
 * against the previous period (环比) and the same period a year earlier (同比) with a plain verdict on whether the
 * change is more than noise. Every request is one aggregate statement over the incidents' covering index.
 */
export interface AnalysisQuery {
  from: string;
  to: string;
  categoryId?: string;
  unitId?: string;
}

interface CategoryNode {
  id: string;
  parent_id: string | null;
  code: string;
  name: string;
  sort: number;
}

/** A category and everything under it. */
function subtree(all: CategoryNode[], rootId: string): string[] {
  const children = new Map<string, string[]>();
  for (const c of all) if (c.parent_id) children.set(c.parent_id, [...(children.get(c.parent_id) ?? []), c.id]);
  const out: string[] = [];
  const walk = (id: string) => {
    out.push(id);
    for (const k of children.get(id) ?? []) walk(k);
  };
  walk(rootId);
  return out;
}

/**
 * The scope of an analysis as a condition on the indexed columns of incidents_time_idx (so the hot-spot scan stays
 * index-only): a grid, community or station by its id column, a branch by its county, a city bureau by the counties of
 * its branches. These columns are the ancestors-or-self of each incident's org_path unit, so the condition selects
 * exactly the incidents under the unit. A unit asked for must lie inside the caller's jurisdiction (else 404).
 */
export async function scopeOf(deps: Deps, ctx: RequestContext, unitId?: string): Promise<AnalysisFilter['scope']> {
  const me = staffOf(ctx);
  const u = unitId ? await orgRepository.inScope(deps.db, me.scopePath, unitId) : await repo.unitAtPath(deps.db, me.scopePath);
  if (!u) throw notFound('单位不存在或不在您的辖区内');
  switch (u.kind) {
    case 'grid':
      return { column: 'grid_id', values: [u.id] };
    case 'community':
      return { column: 'community_id', values: [u.id] };
    case 'station':
      return { column: 'station_id', values: [u.id] };
    case 'branch':
      return { column: 'county_code', values: u.county_code ? [u.county_code] : [] };
    default:
      return { column: 'county_code', values: await repo.countiesUnder(deps.db, u.path) };
  }
}

async function filterOf(deps: Deps, ctx: RequestContext, q: AnalysisQuery): Promise<{ f: AnalysisFilter; cats: CategoryNode[] }> {
  const periods = periodsOf(q.from, q.to);
  const scope = await scopeOf(deps, ctx, q.unitId);
  const cats = await repo.categories(deps.db);
  let categoryIds: string[] | undefined;
  if (q.categoryId) {
    if (!cats.some((c) => c.id === q.categoryId)) throw fieldError('categoryId', '警情类别不存在');
    categoryIds = subtree(cats, q.categoryId);
  }
  return { f: { scope, categoryIds, periods }, cats };
}

const sum = (rows: CountRow[]) => rows.reduce((s, r) => ({ cur: s.cur + r.cur, prev: s.prev + r.prev, ly: s.ly + r.ly }), { cur: 0, prev: 0, ly: 0 });
const totalsOf = (t: { cur: number; prev: number; ly: number }) => ({ count: t.cur, mom: compare(t.cur, t.prev), yoy: compare(t.cur, t.ly) });
const share = (n: number, total: number) => (total > 0 ? Math.round((n / total) * 10_000) / 10_000 : 0);

/** The centre of a unit's boundary (a GeoJSON polygon), from its bounding box. */
function boundaryCentre(boundary: unknown): { lat: number; lng: number } | null {
  const b = boundary as { type?: string; coordinates?: unknown } | null;
  if (!b || !Array.isArray(b.coordinates)) return null;
  const pts: number[][] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x) && typeof x[0] === 'number' && typeof x[1] === 'number') pts.push(x as number[]);
    else if (Array.isArray(x)) x.forEach(walk);
  };
  walk(b.coordinates);
  if (!pts.length) return null;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { lng: (Math.min(...xs) + Math.max(...xs)) / 2, lat: (Math.min(...ys) + Math.max(...ys)) / 2 };
}

export interface HotspotQuery extends AnalysisQuery {
  by: 'cell' | 'grid' | 'community';
  res?: 7 | 8 | 9;
  limit?: number;
}

export async function hotspots(deps: Deps, ctx: RequestContext, q: HotspotQuery) {
  const { f } = await filterOf(deps, ctx, q);
  const res = q.res ?? 9;
  const limit = q.limit ?? 20;
  const rows = await repo.counts(deps.db, f, q.by);
  const totals = sum(rows);
  type Item = { key: string | null; label: string; lat: number | null; lng: number | null; cur: number; prev: number; ly: number; gridId?: string | null; gridName?: string | null };
  let items: Item[];
  if (q.by === 'cell') {
    // roll the stored resolution-9 cells up to the asked resolution; the label is the grid of most incidents
    const cells = new Map<string, { cur: number; prev: number; ly: number; grids: Map<string, { n: number; name: string | null }> }>();
    for (const r of rows) {
      if (!r.key) continue; // no coordinates: counted in the totals only
      const key = res === 9 ? r.key : parentCell(r.key, res);
      let c = cells.get(key);
      if (!c) cells.set(key, (c = { cur: 0, prev: 0, ly: 0, grids: new Map() }));
      c.cur += r.cur;
      c.prev += r.prev;
      c.ly += r.ly;
      if (r.sub) {
        const g = c.grids.get(r.sub) ?? { n: 0, name: r.name };
        g.n += r.cur * 1000 + r.prev + r.ly; // the current period first
        c.grids.set(r.sub, g);
      }
    }
    items = [...cells.entries()].map(([key, c]) => {
      const top = [...c.grids.entries()].sort((a, b) => b[1].n - a[1].n)[0];
      const [lat, lng] = cellCentre(key);
      return { key, label: top?.[1].name ? `${top[1].name}附近` : '辖区内未关联网格处', lat, lng, cur: c.cur, prev: c.prev, ly: c.ly, gridId: top?.[0] ?? null, gridName: top?.[1].name ?? null };
    });
  } else {
    items = rows.map((r) => {
      const centre = boundaryCentre(r.boundary);
      return { key: r.key, label: r.name ?? (q.by === 'grid' ? '未关联网格' : '未关联社区'), lat: centre?.lat ?? null, lng: centre?.lng ?? null, cur: r.cur, prev: r.prev, ly: r.ly };
    });
  }
  items = items.filter((i) => i.cur > 0).sort((a, b) => b.cur - a.cur || b.prev + b.ly - (a.prev + a.ly) || String(a.key).localeCompare(String(b.key)));
  return {
    period: presentPeriods(f.periods),
    by: q.by,
    res: q.by === 'cell' ? res : null,
    totals: totalsOf(totals),
    places: items.length,
    items: items.slice(0, limit).map((i, n) => ({
      rank: n + 1,
      key: i.key,
      label: i.label,
      lat: i.lat,
      lng: i.lng,
      ...(q.by === 'cell' ? { gridId: i.gridId ?? null, gridName: i.gridName ?? null } : {}),
      count: i.cur,
      share: share(i.cur, totals.cur),
      mom: compare(i.cur, i.prev),
      yoy: compare(i.cur, i.ly),
    })),
  };
}

export async function hours(deps: Deps, ctx: RequestContext, q: AnalysisQuery) {
  const { f } = await filterOf(deps, ctx, q);
  const rows = await repo.counts(deps.db, f, 'how');
  const counts = new Array<number>(HOURS_PER_WEEK).fill(0);
  const previous = new Array<number>(HOURS_PER_WEEK).fill(0);
  const lastYear = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const r of rows) {
    const h = Number(r.key);
    counts[h] = r.cur;
    previous[h] = r.prev;
    lastYear[h] = r.ly;
  }
  const matrix = Array.from({ length: 7 }, (_, d) => counts.slice(d * 24, d * 24 + 24));
  const byHour = Array.from({ length: 24 }, (_, h) => matrix.reduce((s, day) => s + day[h], 0));
  const byWeekday = matrix.map((day, d) => ({ day: d, label: WEEKDAYS_ZH[d], count: day.reduce((s, x) => s + x, 0) }));
  const peaks = counts
    .map((count, how) => ({ how, label: hourOfWeekLabel(how), count }))
    .filter((p) => p.count > 0)
    .sort((a, b) => b.count - a.count || a.how - b.how)
    .slice(0, 5);
  const t = sum(rows);
  return { period: presentPeriods(f.periods), totals: totalsOf(t), counts, previous, lastYear, matrix, byHour, byWeekday, peaks };
}

interface Bucket {
  key: string;
  from: string;
  to: string;
  label: string;
  count: number;
  previous: number;
  lastYear: number;
}

/** Calendar buckets (Beijing dates) of the current period: days, weeks from Monday, or months, clipped to it. */
function buckets(p: Periods, interval: 'day' | 'week' | 'month'): { list: Bucket[]; of: (day: string) => Bucket } {
  const list: Bucket[] = [];
  const byDay = new Map<string, Bucket>();
  for (let d = p.current.from; d <= p.current.to; d = addDays(d, 1)) {
    let key: string;
    let label: string;
    if (interval === 'day') {
      key = d;
      label = d.slice(5);
    } else if (interval === 'week') {
      const dow = (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7;
      key = addDays(d, -dow);
      label = `${key.slice(5)}周`;
    } else {
      key = d.slice(0, 7);
      label = `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月`;
    }
    let b = list[list.length - 1];
    if (!b || b.key !== key) list.push((b = { key, from: d, to: d, label, count: 0, previous: 0, lastYear: 0 }));
    b.to = d;
    byDay.set(d, b);
  }
  const first = list[0];
  const last = list[list.length - 1];
  return { list, of: (day) => byDay.get(day) ?? (day < p.current.from ? first : last) };
}

export async function trend(deps: Deps, ctx: RequestContext, q: AnalysisQuery & { interval?: 'day' | 'week' | 'month' }) {
  const { f } = await filterOf(deps, ctx, q);
  const p = f.periods;
  const interval = q.interval ?? (p.days > 92 ? 'week' : 'day');
  const rows = await repo.counts(deps.db, f, 'day');
  const { list, of } = buckets(p, interval);
  for (const r of rows) {
    const day = r.key!;
    if (r.cur) of(day).count += r.cur;
    // the previous period's day d lies exactly `days` before its counterpart; a year-ago day maps a year on
    if (r.prev) of(addDays(day, p.days)).previous += r.prev;
    if (r.ly) of(plusYear(day)).lastYear += r.ly;
  }
  const t = sum(rows);
  return { period: presentPeriods(p), interval, totals: totalsOf(t), series: list };
}

export async function categories(deps: Deps, ctx: RequestContext, q: AnalysisQuery) {
  const { f, cats } = await filterOf(deps, ctx, q);
  const rows = await repo.counts(deps.db, f, 'category');
  const byId = new Map(cats.map((c) => [c.id, c]));
  // the level shown: the top-level categories, or the children of the category asked for
  const levelParent = q.categoryId ?? null;
  const levelOf = (id: string): string => {
    let c = byId.get(id);
    while (c && c.parent_id !== levelParent && c.id !== levelParent) c = c.parent_id ? byId.get(c.parent_id) : undefined;
    return c?.id ?? id;
  };
  const acc = new Map<string, { cur: number; prev: number; ly: number }>();
  for (const r of rows) {
    const k = levelOf(r.key!);
    const a = acc.get(k) ?? { cur: 0, prev: 0, ly: 0 };
    a.cur += r.cur;
    a.prev += r.prev;
    a.ly += r.ly;
    acc.set(k, a);
  }
  const t = sum(rows);
  const items = [...acc.entries()]
    .map(([id, a]) => {
      const c = byId.get(id);
      return { id, code: c?.code ?? '', name: c ? (id === levelParent ? `${c.name}（本级）` : c.name) : '未知类别', count: a.cur, share: share(a.cur, t.cur), mom: compare(a.cur, a.prev), yoy: compare(a.cur, a.ly), sort: c?.sort ?? 0 };
    })
    .sort((a, b) => b.count - a.count || a.sort - b.sort || a.code.localeCompare(b.code))
    .map(({ sort: _sort, ...rest }) => rest);
  return { period: presentPeriods(f.periods), totals: totalsOf(t), items };
}
