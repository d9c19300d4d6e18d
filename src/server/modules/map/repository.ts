import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { CameraTable, DB, IncidentStatus, PatrolRouteTable } from '../../db/schema.js';
import { subtreePattern } from '../../platform/access/scope.js';
import { likeEscape } from '../../db/like.js';

/**
 * The only SQL of the one map (docs/api-command.md "The one map"). The layers read the org, registry, incident and
 * portal tables (one bounded domain may read them); this module writes only `cameras` and `patrol_routes`.
 * Every layer query filters by the caller's org path (`path LIKE scope%`).
 */
type Db = Kysely<DB>;

export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['received', 'handling', 'diverted', 'closed'];

export interface IncidentLayerFilter {
  scopePath: string;
  from: Date;
  /** exclusive */
  to: Date;
  /** The category and every category below it. */
  categoryIds?: string[];
  statuses?: IncidentStatus[];
  /** The top-level categories in the order of the response's `categories`: `cat` is an index into it. */
  rootIds: string[];
  max: number;
}

export interface CameraFilter {
  scopePath: string;
  q?: string;
  kind?: 'public' | 'social';
  status?: 'active' | 'inactive';
}

export interface RouteFilter {
  scopePath: string;
  q?: string;
  mode?: 'patrol' | 'volunteer';
  status?: 'active' | 'inactive';
}

function cameraSelect(db: Db) {
  return db
    .selectFrom('cameras as c')
    .innerJoin('org_units as o', 'o.id', 'c.org_unit_id')
    .select(['c.id', 'c.org_unit_id', 'c.code', 'c.name', 'c.kind', 'c.lng', 'c.lat', 'c.note', 'c.status', 'c.created_at', 'c.updated_at', 'o.name as org_unit_name', 'o.path as org_path']);
}
export type CameraRow = Awaited<ReturnType<ReturnType<typeof cameraSelect>['executeTakeFirstOrThrow']>>;

function routeSelect(db: Db) {
  return db
    .selectFrom('patrol_routes as r')
    .innerJoin('org_units as o', 'o.id', 'r.org_unit_id')
    .select(['r.id', 'r.org_unit_id', 'r.name', 'r.mode', 'r.geometry', 'r.note', 'r.status', 'r.created_at', 'r.updated_at', 'o.name as org_unit_name', 'o.path as org_path']);
}
export type RouteRow = Awaited<ReturnType<ReturnType<typeof routeSelect>['executeTakeFirstOrThrow']>>;

export const mapRepository = {
  // ---- layers --------------------------------------------------------------------------------------------------

  boundaries(db: Db, path: string) {
    return db
      .selectFrom('org_units')
      .select(['id', 'parent_id', 'kind', 'code', 'name', 'boundary'])
      .where('path', 'like', subtreePattern(path))
      .where('status', '=', 'active')
      .where('boundary', 'is not', null)
      .orderBy('path')
      .execute();
  },

  addressesInBox(db: Db, scopePath: string, box: { w: number; s: number; e: number; n: number }, limit: number) {
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as o', 'o.id', 'a.grid_id')
      .select(['a.id', 'a.code', 'a.full_text as label', 'a.lat', 'a.lng'])
      .where('o.path', 'like', subtreePattern(scopePath))
      .where('a.status', '=', 'active')
      .where('a.lat', '>=', box.s)
      .where('a.lat', '<=', box.n)
      .where('a.lng', '>=', box.w)
      .where('a.lng', '<=', box.e)
      .orderBy('a.code')
      .limit(limit)
      .$narrowType<{ lat: number; lng: number }>()
      .execute();
  },

  /** The category tree, parents before children (roots ordered by sort, code). */
  categories(db: Db) {
    return db.selectFrom('incident_categories').select(['id', 'parent_id', 'code', 'name', 'sort', 'status']).orderBy('sort').orderBy('code').execute();
  },

  /**
   * The incident points as column arrays, built by the database in one statement: the newest `max` incidents of the
   * period in scope (with coordinates), and how many there were up to `max + 1` (more than `max` = truncated).
   * Returns the JSON text of `{ids, lat, lng, cat, status, t}` and the count, so the server does no per-row work.
   */
  async incidentColumns(db: Db, f: IncidentLayerFilter): Promise<{ n: number; json: string }> {
    const cats = f.categoryIds ? sql`AND i.category_id = ANY(${f.categoryIds}::uuid[])` : sql``;
    const statuses = f.statuses ? sql`AND i.status = ANY(${f.statuses}::text[])` : sql``;
    const r = await sql<{ n: number; json: string | null }>`
      WITH RECURSIVE tops AS (
        SELECT id, id AS top_id FROM incident_categories WHERE parent_id IS NULL
        UNION ALL
        SELECT c.id, t.top_id FROM incident_categories c JOIN tops t ON c.parent_id = t.id
      ),
      picked AS (
        SELECT i.id, i.lat, i.lng, i.category_id, i.status, i.occurred_at
        FROM incidents i
        WHERE i.org_path LIKE ${subtreePattern(f.scopePath)}
          AND i.occurred_at >= ${f.from} AND i.occurred_at < ${f.to}
          AND i.lat IS NOT NULL AND i.lng IS NOT NULL
          ${cats} ${statuses}
        ORDER BY i.occurred_at DESC, i.id DESC
        LIMIT ${f.max + 1}
      ),
      numbered AS (
        SELECT p.*, row_number() OVER (ORDER BY p.occurred_at DESC, p.id DESC) AS rn FROM picked p
      )
      SELECT (SELECT count(*)::int FROM picked) AS n,
        json_build_object(
          'ids', coalesce(json_agg(x.id ORDER BY x.rn), '[]'),
          'lat', coalesce(json_agg(round(x.lat::numeric, 5) ORDER BY x.rn), '[]'),
          'lng', coalesce(json_agg(round(x.lng::numeric, 5) ORDER BY x.rn), '[]'),
          'cat', coalesce(json_agg(coalesce(array_position(${f.rootIds}::uuid[], t.top_id), 0) - 1 ORDER BY x.rn), '[]'),
          'status', coalesce(json_agg(array_position(${[...INCIDENT_STATUSES]}::text[], x.status) - 1 ORDER BY x.rn), '[]'),
          't', coalesce(json_agg(floor(extract(epoch FROM x.occurred_at))::bigint ORDER BY x.rn), '[]')
        )::text AS json
      FROM numbered x LEFT JOIN tops t ON t.id = x.category_id
      WHERE x.rn <= ${f.max}`.execute(db);
    const row = r.rows[0];
    return { n: Number(row?.n ?? 0), json: row?.json ?? '{"ids":[],"lat":[],"lng":[],"cat":[],"status":[],"t":[]}' };
  },

  offices(db: Db, scopePath: string) {
    return db
      .selectFrom('police_offices as po')
      .innerJoin('org_units as o', 'o.id', 'po.org_unit_id')
      .select(['po.id', 'po.kind', 'po.name', 'po.address', 'po.phone', 'po.lat', 'po.lng', 'po.org_unit_id', 'o.name as org_unit_name'])
      .where('o.path', 'like', subtreePattern(scopePath))
      .where('po.status', '=', 'active')
      .where('po.lat', 'is not', null)
      .where('po.lng', 'is not', null)
      .orderBy(sql`CASE po.kind WHEN 'station' THEN 0 WHEN 'office' THEN 1 ELSE 2 END`)
      .orderBy('po.name')
      .$narrowType<{ lat: number; lng: number }>()
      .execute();
  },

  keyUnits(db: Db, scopePath: string) {
    return db
      .selectFrom('units as u')
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .innerJoin('addresses as a', 'a.id', 'u.address_id')
      .select(['u.id', 'u.name', 'u.key_industry', 'u.org_unit_id', 'a.full_text as address', 'a.lat', 'a.lng'])
      .where('o.path', 'like', subtreePattern(scopePath))
      .where('u.key_industry', 'is not', null)
      .where('u.status', '=', 'active')
      .where('a.lat', 'is not', null)
      .where('a.lng', 'is not', null)
      .orderBy('u.key_industry')
      .orderBy('u.name')
      .$narrowType<{ lat: number; lng: number; key_industry: NonNullable<DB['units']['key_industry']> }>()
      .execute();
  },

  // ---- cameras ---------------------------------------------------------------------------------------------------

  cameraBase(db: Db, f: CameraFilter) {
    let q = cameraSelect(db).where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.q) {
      const text = `%${likeEscape(f.q)}%`;
      q = q.where((eb) => eb.or([eb('c.name', 'ilike', text), eb('c.code', 'ilike', text)]));
    }
    if (f.kind) q = q.where('c.kind', '=', f.kind);
    if (f.status) q = q.where('c.status', '=', f.status);
    return q;
  },

  activeCameras(db: Db, scopePath: string) {
    return this.cameraBase(db, { scopePath, status: 'active' }).orderBy('c.code').execute();
  },

  async cameraPage(db: Db, f: CameraFilter, limit: number, offset: number) {
    const base = this.cameraBase(db, f);
    const [rows, count] = await Promise.all([
      base.orderBy('c.code').limit(limit).offset(offset).execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  cameraInScope(db: Db, scopePath: string, id: string) {
    return cameraSelect(db).where('c.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  cameraByCode(db: Db, code: string) {
    return db.selectFrom('cameras').select('id').where('code', '=', code).executeTakeFirst();
  },

  async insertCamera(db: Db, row: Insertable<CameraTable>) {
    await db.insertInto('cameras').values(row).execute();
  },

  async updateCamera(db: Db, id: string, patch: Updateable<CameraTable>) {
    await db.updateTable('cameras').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
  },

  // ---- patrol routes ---------------------------------------------------------------------------------------------

  routeBase(db: Db, f: RouteFilter) {
    let q = routeSelect(db).where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.q) q = q.where('r.name', 'ilike', `%${likeEscape(f.q)}%`);
    if (f.mode) q = q.where('r.mode', '=', f.mode);
    if (f.status) q = q.where('r.status', '=', f.status);
    return q;
  },

  activeRoutes(db: Db, scopePath: string) {
    return this.routeBase(db, { scopePath, status: 'active' }).orderBy('o.path').orderBy('r.name').execute();
  },

  async routePage(db: Db, f: RouteFilter, limit: number, offset: number) {
    const base = this.routeBase(db, f);
    const [rows, count] = await Promise.all([
      base.orderBy('o.path').orderBy('r.name').orderBy('r.id').limit(limit).offset(offset).execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  routeInScope(db: Db, scopePath: string, id: string) {
    return routeSelect(db).where('r.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  async insertRoute(db: Db, row: Insertable<PatrolRouteTable>) {
    await db.insertInto('patrol_routes').values(row).execute();
  },

  async updateRoute(db: Db, id: string, patch: Updateable<PatrolRouteTable>) {
    await db.updateTable('patrol_routes').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
  },

  // ---- demo seed -------------------------------------------------------------------------------------------------

  /** The busiest H3 cells of a county's incidents (for placing demo cameras), with their mean position and grid. */
  async busiestCells(db: Db, countyCode: string, limit: number) {
    const r = await sql<{ h3: string; n: number; lat: number; lng: number; grid_id: string }>`
      SELECT h3::text AS h3, count(*)::int AS n, avg(lat) AS lat, avg(lng) AS lng, mode() WITHIN GROUP (ORDER BY grid_id) AS grid_id
      FROM incidents
      WHERE county_code = ${countyCode} AND h3 IS NOT NULL AND grid_id IS NOT NULL
      GROUP BY h3 ORDER BY n DESC, h3 LIMIT ${limit}`.execute(db);
    return r.rows.map((x) => ({ ...x, n: Number(x.n), lat: Number(x.lat), lng: Number(x.lng) }));
  },

  unitsOfCounty(db: Db, countyCode: string) {
    return db.selectFrom('org_units').select(['id', 'parent_id', 'kind', 'code', 'name', 'boundary']).where('county_code', '=', countyCode).where('status', '=', 'active').orderBy('code').execute();
  },

  async countAssets(db: Db) {
    const c = await db.selectFrom('cameras').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const r = await db.selectFrom('patrol_routes').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { cameras: Number(c.n), routes: Number(r.n) };
  },
};
