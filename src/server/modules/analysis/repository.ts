import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.js';
import { scanRanges, type Periods } from './periods.js';

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

export const analysisRepository = {
  /**
   * Counts in the current period, the previous period and the year-ago window, grouped, in ONE statement: the
   * windows are merged into disjoint instant ranges joined to the incidents, so every range is an index-only scan
   * of incidents_time_idx (occurred_at INCLUDE category_id, h3, how, county_code, station_id, community_id, grid_id) and no row
   * is read twice; FILTER splits the counts by window. Grids and communities get their names in the same statement.
   */
  async counts(db: Db, f: AnalysisFilter, by: GroupBy): Promise<CountRow[]> {
    const { current: c, previous: p, lastYear: y } = f.periods;
    const ranges = sql.join(scanRanges(f.periods).map(([a, b]) => sql`(${a.toISOString()}::timestamptz, ${b.toISOString()}::timestamptz)`));
    const cats = f.categoryIds ? sql`AND i.category_id = ANY(${f.categoryIds}::uuid[])` : sql``;
    const k = KEYS[by];
    const agg = sql`
      SELECT ${k.select},
        count(*) FILTER (WHERE i.occurred_at >= ${c.start.toISOString()}::timestamptz AND i.occurred_at < ${c.end.toISOString()}::timestamptz) AS cur,
        count(*) FILTER (WHERE i.occurred_at >= ${p.start.toISOString()}::timestamptz AND i.occurred_at < ${p.end.toISOString()}::timestamptz) AS prev,
        count(*) FILTER (WHERE i.occurred_at >= ${y.start.toISOString()}::timestamptz AND i.occurred_at < ${y.end.toISOString()}::timestamptz) AS ly
      FROM (VALUES ${ranges}) AS w(a, b)
      JOIN incidents i ON i.occurred_at >= w.a AND i.occurred_at < w.b
      WHERE ${sql.ref(`i.${f.scope.column}`)} = ANY(${f.scope.values}${f.scope.column === 'county_code' ? sql`::text[]` : sql`::uuid[]`}) ${cats}
      GROUP BY ${k.group}`;
    const named = by === 'grid' || by === 'community' || by === 'cell';
    const q = named
      ? sql<CountRow>`WITH agg AS (${agg})
          SELECT agg.*, u.name, ${by === 'cell' ? sql`NULL::jsonb` : sql`u.boundary`} AS boundary
          FROM agg LEFT JOIN org_units u ON u.id = ${by === 'cell' ? sql`agg.sub` : sql`agg.key`}`
      : sql<CountRow>`SELECT agg.*, NULL::text AS name, NULL::jsonb AS boundary FROM (${agg}) agg`;
    const rows = (await q.execute(db)).rows;
    return rows.map((r) => ({ ...r, cur: Number(r.cur), prev: Number(r.prev), ly: Number(r.ly) }));
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
