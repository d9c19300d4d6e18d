import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';
import { mergeRanges, splitByMonth, type Periods, type Window } from './periods.js';

type Db = Kysely<DB>;

/** What an analysis reads: the scope (a column of the index and its values), the categories (a subtree), the windows. */
export interface AnalysisFilter {
  scope: { column: 'grid_id' | 'community_id' | 'station_id' | 'county_code'; values: string[] };
  categoryIds?: string[];
  periods: Periods;
}

export type GroupBy = 'cell' | 'grid' | 'community' | 'how' | 'day' | 'category';

export interface CountRow {
  key: string | null;
  /** cell: the grid of these incidents; grid/community: the unit's name */
  sub: string | null;
  name: string | null;
  boundary: unknown;
  cur: number;
  prev: number;
  ly: number;
}

/** The Beijing calendar date of occurred_at (China keeps no daylight saving), from the indexed column. */
const BEIJING_DAY = sql`((i.occurred_at AT TIME ZONE 'UTC') + interval '8 hours')::date`;

const KEYS: Record<GroupBy, { select: RawBuilder<unknown>; group: RawBuilder<unknown> }> = {
  cell: { select: sql`i.h3::text AS key, i.grid_id AS sub`, group: sql`i.h3, i.grid_id` },
  grid: { select: sql`i.grid_id AS key, NULL::uuid AS sub`, group: sql`i.grid_id` },
  community: { select: sql`i.community_id AS key, NULL::uuid AS sub`, group: sql`i.community_id` },
  how: { select: sql`i.how::text AS key, NULL::uuid AS sub`, group: sql`i.how` },
  day: { select: sql`${BEIJING_DAY}::text AS key, NULL::uuid AS sub`, group: BEIJING_DAY },
  category: { select: sql`i.category_id AS key, NULL::uuid AS sub`, group: sql`i.category_id` },
};

/** Groupings the monthly rollup can answer: it keeps the cell, the category and the units, not the hour or the day. */
const ROLLUP_BY = new Set<GroupBy>(['cell', 'grid', 'community', 'category']);

const iso = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const anyOf = (parts: RawBuilder<unknown>[]) => (parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`FALSE`);
/** occurred_at within one of the instant ranges. */
const inRanges = (rs: Array<[Date, Date]>) => anyOf(rs.map(([a, b]) => sql`(i.occurred_at >= ${iso(a)} AND i.occurred_at < ${iso(b)})`));
/** a rollup row's month within the whole months of a window. */
const inMonths = (m: { first: string; last: string } | null) => anyOf(m ? [sql`(i.month BETWEEN ${m.first}::date AND ${m.last}::date)`] : []);

export const analysisRepository = {
  /**
   * Counts in the current period, the previous period and the year-ago window, grouped, in ONE statement.
   *
   * Incident by incident: the windows are merged into disjoint instant ranges joined to the incidents, so every range is
   * an index-only scan of incidents_time_idx (occurred_at INCLUDE category_id, h3, how, county_code, station_id,
   * community_id, grid_id) and no row is read twice; FILTER splits the counts by window.
   *
   * With the rollup (groupings by cell, unit or category): the whole Beijing months of each window are summed from
   * incident_month_counts and only the days before and after them are read incident by incident, so a year costs
   * two partial months of rows rather than the year's. Grids and communities get their names in the same statement.
   */
  async counts(db: Db, f: AnalysisFilter, by: GroupBy, opts: { rollup?: boolean } = {}): Promise<CountRow[]> {
    const windows: Window[] = [f.periods.current, f.periods.previous, f.periods.lastYear];
    const splits = windows.map((w) => (opts.rollup !== false && ROLLUP_BY.has(by) ? splitByMonth(w) : { months: null, raw: [[w.start, w.end] as [Date, Date]] }));
    const scope = sql`${sql.ref(`i.${f.scope.column}`)} = ANY(${f.scope.values}${f.scope.column === 'county_code' ? sql`::text[]` : sql`::uuid[]`})`;
    const cats = f.categoryIds ? sql`AND i.category_id = ANY(${f.categoryIds}::uuid[])` : sql``;
    const k = KEYS[by];
    const parts: RawBuilder<unknown>[] = [];
    const raw = mergeRanges(splits.flatMap((s) => s.raw));
    if (raw.length) {
      const ranges = sql.join(raw.map(([a, b]) => sql`(${iso(a)}, ${iso(b)})`));
      const [cur, prev, ly] = splits.map((s) => inRanges(s.raw));
      parts.push(sql`
        SELECT ${k.select}, count(*) FILTER (WHERE ${cur}) AS cur, count(*) FILTER (WHERE ${prev}) AS prev, count(*) FILTER (WHERE ${ly}) AS ly
        FROM (VALUES ${ranges}) AS w(a, b)
        JOIN incidents i ON i.occurred_at >= w.a AND i.occurred_at < w.b
        WHERE ${scope} ${cats}
        GROUP BY ${k.group}`);
    }
    if (splits.some((s) => s.months)) {
      const [cur, prev, ly] = splits.map((s) => inMonths(s.months));
      parts.push(sql`
        SELECT ${k.select}, coalesce(sum(i.n) FILTER (WHERE ${cur}), 0) AS cur, coalesce(sum(i.n) FILTER (WHERE ${prev}), 0) AS prev,
          coalesce(sum(i.n) FILTER (WHERE ${ly}), 0) AS ly
        FROM incident_month_counts i
        WHERE ${anyOf(splits.map((s) => inMonths(s.months)))} AND ${scope} ${cats}
        GROUP BY ${k.group}`);
    }
    const agg =
      parts.length === 1 ? parts[0] : sql`SELECT key, sub, sum(cur) AS cur, sum(prev) AS prev, sum(ly) AS ly FROM (${sql.join(parts, sql` UNION ALL `)}) u GROUP BY key, sub`;
    const named = by === 'grid' || by === 'community' || by === 'cell';
    const q = named
      ? sql<CountRow>`WITH agg AS (${agg})
          SELECT agg.*, u.name, ${by === 'cell' ? sql`NULL::jsonb` : sql`u.boundary`} AS boundary
          FROM agg LEFT JOIN org_units u ON u.id = ${by === 'cell' ? sql`agg.sub` : sql`agg.key`}`
      : sql<CountRow>`SELECT agg.*, NULL::text AS name, NULL::jsonb AS boundary FROM (${agg}) agg`;
    const rows = (await q.execute(db)).rows;
    // a rollup row may hold 0 after its incidents moved away: such groups are left out, as the incident scan would
    return rows.filter((r) => Number(r.cur) || Number(r.prev) || Number(r.ly)).map((r) => ({ ...r, cur: Number(r.cur), prev: Number(r.prev), ly: Number(r.ly) }));
  },

  /** The unit whose path is the caller's scope. */
  unitAtPath(db: Db, path: string) {
    return db.selectFrom('org_units').selectAll().where('path', '=', path).executeTakeFirst();
  },

  /** The counties of the branches under a unit (a city bureau's scope). */
  async countiesUnder(db: Db, path: string): Promise<string[]> {
    const r = await db.selectFrom('org_units').select('county_code').distinct().where('path', 'like', `${path}%`).where('county_code', 'is not', null).execute();
    return r.map((x) => x.county_code!);
  },

  /** The category tree (small): id, parent, code, name, sort. */
  categories(db: Db) {
    return db.selectFrom('incident_categories').select(['id', 'parent_id', 'code', 'name', 'sort', 'police_matter']).orderBy('sort').orderBy('code').execute();
  },
};
