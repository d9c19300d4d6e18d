import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type {
  DB,
  IncidentCategoryTable,
  IncidentDiversionTable,
  IncidentEventTable,
  IncidentLinkTable,
  IncidentSource,
  IncidentStatus,
  IncidentTable,
} from '../../db/schema.js';
import { likeEscape } from '../../db/like.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;

export type CategoryRow = Selectable<IncidentCategoryTable>;

/** An incident with the names a list or a detail shows (category, unit, grid, address). */
function incidentSelect(db: Db) {
  return db
    .selectFrom('incidents as i')
    .innerJoin('incident_categories as c', 'c.id', 'i.category_id')
    .leftJoin('incident_categories as cp', 'cp.id', 'c.parent_id')
    .innerJoin('org_units as u', 'u.id', 'i.org_unit_id')
    .leftJoin('org_units as g', 'g.id', 'i.grid_id')
    .leftJoin('addresses as a', 'a.id', 'i.address_id')
    .select([
      'i.id',
      'i.code',
      'i.source',
      'i.external_no',
      'i.source_ref',
      'i.category_id',
      'i.occurred_at',
      'i.reported_at',
      'i.day',
      'i.address_id',
      'i.place',
      'i.lng',
      'i.lat',
      'i.org_unit_id',
      'i.station_id',
      'i.grid_id',
      'i.org_path',
      'i.summary',
      'i.status',
      'i.handler_id',
      'i.result',
      'i.closed_at',
      'i.closed_by',
      'i.created_by',
      'i.version',
      'i.created_at',
      'i.updated_at',
      'c.code as category_code',
      'c.name as category_name',
      'c.police_matter as category_police',
      'cp.name as category_parent_name',
      'u.name as unit_name',
      'g.name as grid_name',
      'a.full_text as address_text',
    ]);
}

export type IncidentRow = Awaited<ReturnType<ReturnType<typeof incidentSelect>['executeTakeFirstOrThrow']>>;
export type IncidentFull = IncidentRow & { caller_name: string | null; caller_phone: string | null };

export interface IncidentFilter {
  scopePath: string;
  q?: string;
  status?: IncidentStatus;
  categoryIds?: string[];
  source?: IncidentSource;
  from?: Date;
  to?: Date;
  /** open (received or handling) and reported before this instant */
  openBefore?: Date;
}

export interface GridShape {
  id: string;
  path: string;
  county_code: string | null;
  boundary: unknown;
  community_id: string;
  station_id: string | null;
}

export interface UnitRef {
  id: string;
  kind: string;
  code: string;
  name: string;
  path: string;
  parent_id: string | null;
  county_code: string | null;
  status: string;
}

export const incidentsRepository = {
  // ---- categories ------------------------------------------------------------------------------------------

  categories(db: Db) {
    return db.selectFrom('incident_categories').selectAll().orderBy('sort').orderBy('code').execute();
  },

  categoryById(db: Db, id: string) {
    return db.selectFrom('incident_categories').selectAll().where('id', '=', id).executeTakeFirst();
  },

  categoryByCode(db: Db, code: string) {
    return db.selectFrom('incident_categories').selectAll().where('code', '=', code).executeTakeFirst();
  },

  /** Active categories by code or by name (the import's 警情类别 column accepts either). */
  categoriesByCodesOrNames(db: Db, keys: string[]) {
    if (!keys.length) return Promise.resolve([] as CategoryRow[]);
    return db
      .selectFrom('incident_categories')
      .selectAll()
      .where((eb) => eb.or([eb('code', 'in', keys), eb('name', 'in', keys)]))
      .execute();
  },

  async insertCategory(db: Db, row: Insertable<IncidentCategoryTable>) {
    await db.insertInto('incident_categories').values(row).execute();
  },

  async updateCategory(db: Db, id: string, patch: Updateable<IncidentCategoryTable>) {
    await db.updateTable('incident_categories').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
  },

  /** A category and its children (a filter by a top-level category covers its subtree). */
  async categorySubtree(db: Db, id: string): Promise<string[]> {
    const r = await db.selectFrom('incident_categories').select('id').where((eb) => eb.or([eb('id', '=', id), eb('parent_id', '=', id)])).execute();
    return r.map((x) => x.id);
  },

  // ---- org units, grids, addresses (read-only) -------------------------------------------------------------

  unitInScope(db: Db, scopePath: string, id: string): Promise<UnitRef | undefined> {
    return db
      .selectFrom('org_units')
      .select(['id', 'kind', 'code', 'name', 'path', 'parent_id', 'county_code', 'status'])
      .where('id', '=', id)
      .where('path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  unitsByCodes(db: Db, codes: string[]): Promise<UnitRef[]> {
    if (!codes.length) return Promise.resolve([]);
    return db.selectFrom('org_units').select(['id', 'kind', 'code', 'name', 'path', 'parent_id', 'county_code', 'status']).where('code', 'in', codes).execute();
  },

  unitsByIds(db: Db, ids: string[]): Promise<UnitRef[]> {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('org_units').select(['id', 'kind', 'code', 'name', 'path', 'parent_id', 'county_code', 'status']).where('id', 'in', ids).execute();
  },

  childUnits(db: Db, parentId: string): Promise<UnitRef[]> {
    return db
      .selectFrom('org_units')
      .select(['id', 'kind', 'code', 'name', 'path', 'parent_id', 'county_code', 'status'])
      .where('parent_id', '=', parentId)
      .orderBy('code')
      .execute();
  },

  /** Every active grid with a boundary, with its community and station: the point-in-polygon lookup's data. */
  async gridShapes(db: Db): Promise<GridShape[]> {
    const r = await sql<GridShape>`
      SELECT g.id, g.path, g.county_code, g.boundary, c.id AS community_id, c.parent_id AS station_id
      FROM org_units g JOIN org_units c ON c.id = g.parent_id
      WHERE g.kind = 'grid' AND g.status = 'active' AND g.boundary IS NOT NULL`.execute(db);
    return r.rows;
  },

  gridById(db: Db, id: string) {
    return db
      .selectFrom('org_units as g')
      .innerJoin('org_units as c', 'c.id', 'g.parent_id')
      .select(['g.id', 'g.path', 'g.county_code', 'c.id as community_id', 'c.parent_id as station_id'])
      .where('g.id', '=', id)
      .executeTakeFirst();
  },

  addressesByCodes(db: Db, codes: string[]) {
    if (!codes.length) return Promise.resolve([]);
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .select(['a.id', 'a.code', 'a.full_text', 'a.grid_id', 'g.path as grid_path', 'a.lng', 'a.lat', 'a.status'])
      .where('a.code', 'in', codes)
      .execute();
  },

  /** Partner departments (非警务 matters go to them) of the units on a path: the branch's 民政, 12345 … */
  diversionTargets(db: Db, unitIdsOnPath: string[]) {
    if (!unitIdsOnPath.length) return Promise.resolve([]);
    return db
      .selectFrom('departments as d')
      .innerJoin('org_units as o', 'o.id', 'd.org_unit_id')
      .select(['d.id', 'd.name', 'd.category', 'd.contact_phone', 'd.org_unit_id', 'o.name as org_unit_name'])
      .where('d.kind', '=', 'partner')
      .where('d.status', '=', 'active')
      .where('d.org_unit_id', 'in', unitIdsOnPath)
      .orderBy(sql`d.category = 'hotline12345'`, 'desc')
      .orderBy('d.name')
      .execute();
  },

  departmentById(db: Db, id: string) {
    return db.selectFrom('departments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  userInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('users as us')
      .innerJoin('org_units as o', 'o.id', 'us.org_unit_id')
      .select(['us.id', 'us.display_name', 'us.status'])
      .where('us.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  // ---- incidents -------------------------------------------------------------------------------------------

  byIdInScope(db: Db, scopePath: string, id: string): Promise<IncidentFull | undefined> {
    return incidentSelect(db)
      .select(['i.caller_name', 'i.caller_phone'])
      .where('i.id', '=', id)
      .where('i.org_path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  byExternalNos(db: Db, nos: string[]) {
    if (!nos.length) return Promise.resolve([] as Array<{ id: string; external_no: string | null; org_path: string }>);
    return db.selectFrom('incidents').select(['id', 'external_no', 'org_path']).where('source', '=', '110').where('external_no', 'in', nos).execute();
  },

  bySourceRef(db: Db, source: IncidentSource, ref: string) {
    return db.selectFrom('incidents').select(['id', 'org_path']).where('source', '=', source).where('source_ref', '=', ref).executeTakeFirst();
  },

  base(db: Db, f: IncidentFilter) {
    let q = incidentSelect(db).where('i.org_path', 'like', subtreePattern(f.scopePath));
    if (f.q) {
      const text = f.q.trim();
      if (/^JQ\d{8,}/i.test(text)) q = q.where('i.code', 'like', `${likeEscape(text.toUpperCase())}%`);
      else q = q.where((eb) => eb.or([eb('i.summary', 'ilike', `%${likeEscape(text)}%`), eb('i.place', 'ilike', `%${likeEscape(text)}%`), eb('i.external_no', '=', text)]));
    }
    if (f.status) q = q.where('i.status', '=', f.status);
    if (f.categoryIds) q = q.where('i.category_id', 'in', f.categoryIds);
    if (f.source) q = q.where('i.source', '=', f.source);
    if (f.from) q = q.where('i.occurred_at', '>=', f.from);
    if (f.to) q = q.where('i.occurred_at', '<', f.to);
    if (f.openBefore) q = q.where('i.status', 'in', ['received', 'handling']).where('i.reported_at', '<', f.openBefore);
    return q;
  },

  async page(db: Db, f: IncidentFilter, limit: number, offset: number) {
    const base = this.base(db, f);
    const [rows, count] = await Promise.all([
      base.orderBy('i.occurred_at', 'desc').orderBy('i.id', 'desc').limit(limit).offset(offset).execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async insertIncident(db: Db, row: Insertable<IncidentTable>) {
    await db.insertInto('incidents').values(row).execute();
  },

  /** Updates when the version still matches; false when someone else changed it first. */
  async updateVersioned(db: Db, id: string, version: number, patch: Updateable<IncidentTable>): Promise<boolean> {
    const r = await db
      .updateTable('incidents')
      .set({ ...patch, version: sql`version + 1`, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async insertEvent(db: Db, row: Insertable<IncidentEventTable>) {
    await db.insertInto('incident_events').values(row).execute();
  },

  events(db: Db, incidentId: string) {
    return db
      .selectFrom('incident_events as e')
      .leftJoin('users as us', 'us.id', 'e.actor_id')
      .select(['e.id', 'e.at', 'e.action', 'e.note', 'e.data', 'e.actor_id', 'us.display_name as actor_name'])
      .where('e.incident_id', '=', incidentId)
      .orderBy('e.at')
      .orderBy('e.id')
      .execute();
  },

  userNames(db: Db, ids: string[]) {
    if (!ids.length) return Promise.resolve([] as Array<{ id: string; display_name: string }>);
    return db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute();
  },

  // ---- links -----------------------------------------------------------------------------------------------

  links(db: Db, incidentId: string) {
    return db
      .selectFrom('incident_links as l')
      .leftJoin('persons as p', (j) => j.onRef('p.id', '=', 'l.target_id').on('l.kind', '=', 'person'))
      .leftJoin('addresses as a', (j) => j.onRef('a.id', '=', 'l.target_id').on('l.kind', '=', 'address'))
      .leftJoin('units as un', (j) => j.onRef('un.id', '=', 'l.target_id').on('l.kind', '=', 'unit'))
      .select([
        'l.id',
        'l.kind',
        'l.target_id',
        'l.ref',
        'l.role',
        'l.note',
        'l.created_at',
        'p.name as person_name',
        'p.id_kind',
        'p.region_code',
        'p.id_last4',
        'p.id_legacy',
        'a.full_text as address_text',
        'un.name as unit_name',
      ])
      .where('l.incident_id', '=', incidentId)
      .orderBy('l.created_at')
      .execute();
  },

  linkOf(db: Db, incidentId: string, linkId: string) {
    return db.selectFrom('incident_links').selectAll().where('id', '=', linkId).where('incident_id', '=', incidentId).executeTakeFirst();
  },

  sameLink(db: Db, incidentId: string, kind: string, targetId: string | null, ref: string | null) {
    let q = db.selectFrom('incident_links').select('id').where('incident_id', '=', incidentId).where('kind', '=', kind as IncidentLinkTable['kind']);
    q = targetId ? q.where('target_id', '=', targetId) : q.where('ref', '=', ref);
    return q.executeTakeFirst();
  },

  async insertLink(db: Db, row: Insertable<IncidentLinkTable>) {
    await db.insertInto('incident_links').values(row).execute();
  },

  async deleteLink(db: Db, id: string) {
    await db.deleteFrom('incident_links').where('id', '=', id).execute();
  },

  personInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('persons as p')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .select(['p.id', 'p.name'])
      .where('p.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  addressInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .select(['a.id', 'a.full_text', 'a.grid_id', 'a.lng', 'a.lat', 'a.status', 'g.path as grid_path'])
      .where('a.id', '=', id)
      .where('g.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  unitRecordInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('units as un')
      .innerJoin('org_units as o', 'o.id', 'un.org_unit_id')
      .select(['un.id', 'un.name'])
      .where('un.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  // ---- diversions ------------------------------------------------------------------------------------------

  async insertDiversion(db: Db, row: Insertable<IncidentDiversionTable>) {
    await db.insertInto('incident_diversions').values(row).execute();
  },

  diversionsOfIncident(db: Db, incidentId: string) {
    return db
      .selectFrom('incident_diversions as d')
      .innerJoin('departments as dp', 'dp.id', 'd.department_id')
      .leftJoin('users as ub', 'ub.id', 'd.diverted_by')
      .leftJoin('users as ua', 'ua.id', 'd.answered_by')
      .selectAll('d')
      .select(['dp.name as department_name', 'ub.display_name as diverted_by_name', 'ua.display_name as answered_by_name'])
      .where('d.incident_id', '=', incidentId)
      .orderBy('d.diverted_at')
      .execute();
  },

  inboxBase(db: Db, departmentId: string, status?: string) {
    let q = db
      .selectFrom('incident_diversions as d')
      .innerJoin('incidents as i', 'i.id', 'd.incident_id')
      .innerJoin('incident_categories as c', 'c.id', 'i.category_id')
      .innerJoin('org_units as u', 'u.id', 'i.org_unit_id')
      .leftJoin('addresses as a', 'a.id', 'i.address_id')
      .leftJoin('users as ub', 'ub.id', 'd.diverted_by')
      .selectAll('d')
      .select([
        'i.code as incident_code',
        'i.occurred_at',
        'i.place',
        'i.summary',
        'i.status as incident_status',
        'c.name as category_name',
        'u.name as unit_name',
        'u.contact_phone as unit_phone',
        'a.full_text as address_text',
        'ub.display_name as diverted_by_name',
      ])
      .where('d.department_id', '=', departmentId);
    if (status) q = q.where('d.status', '=', status as 'sent');
    return q;
  },

  async inbox(db: Db, departmentId: string, status: string | undefined, limit: number, offset: number) {
    const base = this.inboxBase(db, departmentId, status);
    const [rows, count] = await Promise.all([
      base.orderBy('d.diverted_at', 'desc').orderBy('d.id', 'desc').limit(limit).offset(offset).execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  diversionOfDepartment(db: Db, departmentId: string, id: string) {
    return this.inboxBase(db, departmentId).where('d.id', '=', id).executeTakeFirst();
  },

  /** Moves a diversion on when it is still in one of `from` (false: someone answered first). */
  async answerDiversion(db: Db, id: string, from: string[], patch: Updateable<IncidentDiversionTable>): Promise<boolean> {
    const r = await db
      .updateTable('incident_diversions')
      .set(patch)
      .where('id', '=', id)
      .where('status', 'in', from as Array<'sent'>)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  incidentForUpdate(db: Db, id: string) {
    return db.selectFrom('incidents').select(['id', 'code', 'status', 'version', 'org_unit_id', 'org_path']).where('id', '=', id).forUpdate().executeTakeFirst();
  },

  // ---- sources ---------------------------------------------------------------------------------------------

  fieldItemInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('field_items as f')
      .innerJoin('org_units as o', 'o.id', 'f.org_unit_id')
      .leftJoin('users as w', 'w.id', 'f.worker_id')
      .select(['f.id', 'f.type_code', 'f.category_code', 'f.org_unit_id', 'f.address_id', 'f.data', 'f.note', 'f.lng', 'f.lat', 'f.occurred_at', 'f.received_at', 'o.path as org_path', 'o.kind as org_kind', 'w.display_name as worker_name', 'w.phone as worker_phone'])
      .where('f.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  helpSubmissionInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('portal_submissions as s')
      .innerJoin('org_units as g', 'g.id', 's.grid_id')
      .innerJoin('residents as r', 'r.id', 's.resident_id')
      .select(['s.id', 's.kind', 's.tracking_no', 's.address_id', 's.grid_id', 's.payload', 's.summary', 's.submitted_at', 'g.path as grid_path', 'r.phone as resident_phone'])
      .where('s.id', '=', id)
      .where('g.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  // ---- clearance -------------------------------------------------------------------------------------------

  /**
   * The flows of a period, set-based: for every incident under `path` that was open at some moment of [start, end)
   * (open now, or cleared at or after `start`, and reported before `end`), the child unit it falls in and its
   * reported / cleared Beijing days. Served by incidents_open_idx (open now) and incidents_closed_idx (cleared since
   * `start`), so the cost follows the period, not the table.
   */
  async clearanceFlows(db: Db, path: string, start: Date, end: Date) {
    const r = await sql<{ child: string; day: string | null; kind: 'start' | 'new' | 'closed' | 'diverted'; n: string }>`
      WITH rel AS (
        SELECT split_part(substr(org_path, ${path.length + 1}), '/', 1) AS child, status, reported_at, closed_at
        FROM incidents
        WHERE org_path LIKE ${subtreePattern(path)} AND reported_at < ${end}
          AND (status IN ('received', 'handling') OR closed_at >= ${start})
      )
      SELECT child, NULL::text AS day, 'start' AS kind, count(*)::text AS n FROM rel
        WHERE reported_at < ${start} AND (closed_at IS NULL OR closed_at >= ${start}) GROUP BY child
      UNION ALL
      SELECT child, to_char((reported_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), 'new', count(*)::text FROM rel
        WHERE reported_at >= ${start} GROUP BY 1, 2
      UNION ALL
      SELECT child, to_char((closed_at AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), status, count(*)::text FROM rel
        WHERE closed_at >= ${start} AND closed_at < ${end} AND status IN ('closed', 'diverted') GROUP BY 1, 2, 3`.execute(db);
    return r.rows.map((x) => ({ ...x, n: Number(x.n) }));
  },

  /** The open incidents under `path` by age at `now`, and the oldest of them. */
  async openAgeing(db: Db, path: string, now: Date) {
    const h = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
    const r = await sql<{ b24: string; b72: string; b168: string; older: string }>`
      SELECT count(*) FILTER (WHERE reported_at > ${h(24)})::text AS b24,
             count(*) FILTER (WHERE reported_at <= ${h(24)} AND reported_at > ${h(72)})::text AS b72,
             count(*) FILTER (WHERE reported_at <= ${h(72)} AND reported_at > ${h(168)})::text AS b168,
             count(*) FILTER (WHERE reported_at <= ${h(168)})::text AS older
      FROM incidents WHERE status IN ('received', 'handling') AND org_path LIKE ${subtreePattern(path)}`.execute(db);
    const oldest = await incidentSelect(db)
      .where('i.status', 'in', ['received', 'handling'])
      .where('i.org_path', 'like', subtreePattern(path))
      .orderBy('i.reported_at')
      .orderBy('i.id')
      .limit(10)
      .execute();
    const x = r.rows[0];
    return { buckets: { lt24h: Number(x.b24), d1to3: Number(x.b72), d3to7: Number(x.b168), gt7d: Number(x.older) }, oldest };
  },
};
