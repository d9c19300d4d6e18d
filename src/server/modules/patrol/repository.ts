import { sql, type Insertable, type Kysely } from 'kysely';
import type { DB, PatrolCheckinTable, PatrolMode, PatrolPlanItemTable, PatrolTable, PatrolTeamMemberTable, PatrolTeamTable } from '../../db/schema.js';
import type { BasisRow } from './rules.js';

type Db = Kysely<DB>;

/**
 * The only SQL of 巡防: plans and their items, patrols and check-ins, teams, members, shifts and the points ledger.
 * Reads the incidents, categories, org units, cameras and patrol routes (one bounded domain), writes only the
 * patrol_* tables.
 */
export const patrolRepository = {
  // ---- reads of other parts' tables --------------------------------------------------------------------------------

  /** Incidents of police matters in a scope and basis window, by cell, hour of the week, day and grid. */
  async basis(db: Db, pattern: string, start: Date, end: Date): Promise<BasisRow[]> {
    const rows = await sql<BasisRow>`
      SELECT i.h3::text AS h3, i.how, i.day::text AS day, i.grid_id, count(*)::int AS n
      FROM incidents i JOIN incident_categories c ON c.id = i.category_id
      WHERE i.occurred_at >= ${start.toISOString()}::timestamptz AND i.occurred_at < ${end.toISOString()}::timestamptz
        AND i.org_path LIKE ${pattern} AND i.h3 IS NOT NULL AND c.police_matter
      GROUP BY i.h3, i.how, i.day, i.grid_id`.execute(db);
    return rows.rows.map((r) => ({ ...r, how: Number(r.how), n: Number(r.n) }));
  },

  units(db: Db, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('org_units').select(['id', 'name', 'kind', 'parent_id', 'path', 'boundary']).where('id', 'in', ids).execute();
  },

  unitsByPath(db: Db, path: string) {
    const ids = path.split('/').filter(Boolean);
    return patrolRepository.units(db, ids);
  },

  /** Active cameras in a box (mapped assets only: a place and a name). */
  camerasIn(db: Db, box: { s: number; n: number; w: number; e: number }) {
    return db
      .selectFrom('cameras')
      .select(['id', 'lat', 'lng'])
      .where('status', '=', 'active')
      .where('lat', '>=', box.s)
      .where('lat', '<=', box.n)
      .where('lng', '>=', box.w)
      .where('lng', '<=', box.e)
      .execute();
  },

  routeActive(db: Db, id: string) {
    return db
      .selectFrom('patrol_routes as r')
      .innerJoin('org_units as o', 'o.id', 'r.org_unit_id')
      .select(['r.id', 'r.name', 'o.path as unit_path'])
      .where('r.id', '=', id)
      .where('r.status', '=', 'active')
      .executeTakeFirst();
  },

  /** Demo seed: user ids by username, and whether any team exists yet. */
  usersByName(db: Db, usernames: string[]) {
    if (!usernames.length) return Promise.resolve([]);
    return db.selectFrom('users').select(['id', 'username']).where('username', 'in', usernames).execute();
  },

  async anyTeam(db: Db): Promise<boolean> {
    return !!(await db.selectFrom('patrol_teams').select('id').limit(1).executeTakeFirst());
  },

  // ---- plans -----------------------------------------------------------------------------------------------------

  /** Creates the plan of a unit and week, or takes the existing one (locking it until the transaction ends). */
  async upsertPlan(db: Db, row: { id: string; org_unit_id: string; week_start: string; basis_from: string; basis_to: string; params: string; generated_by: string | null }) {
    return db
      .insertInto('patrol_plans')
      .values({ ...row, generated_at: new Date() })
      .onConflict((oc) =>
        oc.columns(['org_unit_id', 'week_start']).doUpdateSet({
          basis_from: row.basis_from,
          basis_to: row.basis_to,
          params: row.params,
          generated_by: row.generated_by,
          generated_at: new Date(),
        }),
      )
      .returning(['id'])
      .executeTakeFirstOrThrow();
  },

  planItems(db: Db, planIds: string[]) {
    if (!planIds.length) return Promise.resolve([]);
    return db
      .selectFrom('patrol_plan_items as i')
      .leftJoin('patrol_teams as t', 't.id', 'i.team_id')
      .leftJoin('org_units as g', 'g.id', 'i.grid_id')
      .selectAll('i')
      .select(['t.name as team_name', 'g.name as grid_name'])
      .where('i.plan_id', 'in', planIds)
      .orderBy('i.mode')
      .orderBy('i.rank')
      .execute();
  },

  deleteItems(db: Db, planId: string, keep: string[]) {
    let q = db.deleteFrom('patrol_plan_items').where('plan_id', '=', planId);
    if (keep.length) q = q.where('id', 'not in', keep);
    return q.execute();
  },

  updateItem(db: Db, id: string, row: Omit<Insertable<PatrolPlanItemTable>, 'id' | 'plan_id'>) {
    return db.updateTable('patrol_plan_items').set(row).where('id', '=', id).execute();
  },

  insertItems(db: Db, rows: Array<Insertable<PatrolPlanItemTable>>) {
    if (!rows.length) return Promise.resolve();
    return db.insertInto('patrol_plan_items').values(rows).execute().then(() => undefined);
  },

  planSelect(db: Db) {
    return db
      .selectFrom('patrol_plans as p')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .leftJoin('users as u', 'u.id', 'p.generated_by')
      .select(['p.id', 'p.org_unit_id', 'p.week_start', 'p.basis_from', 'p.basis_to', 'p.params', 'p.generated_at', 'p.generated_by', 'o.name as unit_name', 'o.path as unit_path', 'u.display_name as generated_by_name']);
  },

  planInScope(db: Db, pattern: string, id: string) {
    return patrolRepository.planSelect(db).where('p.id', '=', id).where('o.path', 'like', pattern).executeTakeFirst();
  },

  /** The plans of a week for some units (e.g. the caller's unit and its ancestors). */
  plansOfWeek(db: Db, unitIds: string[], weekStart: string) {
    if (!unitIds.length) return Promise.resolve([]);
    return patrolRepository.planSelect(db).where('p.org_unit_id', 'in', unitIds).where('p.week_start', '=', weekStart).execute();
  },

  async listPlans(db: Db, pattern: string, f: { unitId?: string }, page: { limit: number; offset: number }) {
    let q = db.selectFrom('patrol_plans as p').innerJoin('org_units as o', 'o.id', 'p.org_unit_id').where('o.path', 'like', pattern);
    if (f.unitId) q = q.where('p.org_unit_id', '=', f.unitId);
    const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const ids = (await q.select('p.id').orderBy('p.week_start', 'desc').orderBy('o.path').limit(page.limit).offset(page.offset).execute()).map((r) => r.id);
    if (!ids.length) return { total, rows: [] };
    const rows = await patrolRepository.planSelect(db).where('p.id', 'in', ids).orderBy('p.week_start', 'desc').orderBy('o.path').execute();
    return { total, rows };
  },

  itemById(db: Db, id: string) {
    return db
      .selectFrom('patrol_plan_items as i')
      .innerJoin('patrol_plans as p', 'p.id', 'i.plan_id')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .select(['i.id', 'i.mode', 'i.label', 'i.h3', 'i.team_id', 'p.id as plan_id', 'p.week_start', 'o.path as unit_path'])
      .where('i.id', '=', id)
      .executeTakeFirst();
  },

  /** (cell, hour of week) of the check-ins of a week by patrols of a subtree. */
  async weekCheckins(db: Db, pattern: string, start: Date, end: Date): Promise<Array<{ h3: string; how: number }>> {
    const rows = await sql<{ h3: string; how: number }>`
      SELECT DISTINCT c.h3::text AS h3, c.how
      FROM patrol_checkins c JOIN patrols p ON p.id = c.patrol_id JOIN org_units o ON o.id = p.org_unit_id
      WHERE c.at >= ${start.toISOString()}::timestamptz AND c.at < ${end.toISOString()}::timestamptz AND o.path LIKE ${pattern}`.execute(db);
    return rows.rows.map((r) => ({ h3: r.h3, how: Number(r.how) }));
  },

  // ---- patrols ---------------------------------------------------------------------------------------------------

  insertPatrol(db: Db, row: Insertable<PatrolTable>) {
    return db.insertInto('patrols').values(row).execute();
  },

  patrolSelect(db: Db) {
    return db
      .selectFrom('patrols as p')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .innerJoin('users as u', 'u.id', 'p.created_by')
      .leftJoin('patrol_plan_items as i', 'i.id', 'p.plan_item_id')
      .leftJoin('patrol_teams as t', 't.id', 'p.team_id')
      .leftJoin('patrol_routes as r', 'r.id', 'p.route_id')
      .selectAll('p')
      .select([
        'o.name as unit_name',
        'o.path as unit_path',
        'u.display_name as created_by_name',
        'i.label as item_label',
        'i.mode as item_mode',
        'i.hours as item_hours',
        't.name as team_name',
        'r.name as route_name',
        (eb) => eb.selectFrom('patrol_checkins as c').whereRef('c.patrol_id', '=', 'p.id').select((e) => e.fn.countAll<number>().as('n')).as('checkin_count'),
      ]);
  },

  patrolInScope(db: Db, pattern: string, id: string) {
    return patrolRepository.patrolSelect(db).where('p.id', '=', id).where('o.path', 'like', pattern).executeTakeFirst();
  },

  /** A patrol for a write, locked until the transaction ends. */
  patrolForUpdate(db: Db, id: string) {
    return db.selectFrom('patrols').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  },

  openPatrolOf(db: Db, userId: string) {
    return patrolRepository.patrolSelect(db).where('p.created_by', '=', userId).where('p.ended_at', 'is', null).orderBy('p.started_at', 'desc').limit(1).executeTakeFirst();
  },

  recentPatrolsOf(db: Db, userId: string, limit: number) {
    return patrolRepository.patrolSelect(db).where('p.created_by', '=', userId).where('p.ended_at', 'is not', null).orderBy('p.started_at', 'desc').limit(limit).execute();
  },

  async listPatrols(db: Db, pattern: string, f: { unitPattern?: string; mode?: PatrolMode; start?: Date; end?: Date; planItemId?: string }, page: { limit: number; offset: number }) {
    let q = patrolRepository.patrolSelect(db).where('o.path', 'like', pattern);
    if (f.unitPattern) q = q.where('o.path', 'like', f.unitPattern);
    if (f.mode) q = q.where('p.mode', '=', f.mode);
    if (f.start) q = q.where('p.started_at', '>=', f.start);
    if (f.end) q = q.where('p.started_at', '<', f.end);
    if (f.planItemId) q = q.where('p.plan_item_id', '=', f.planItemId);
    const total = Number((await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await q.orderBy('p.started_at', 'desc').orderBy('p.id', 'desc').limit(page.limit).offset(page.offset).execute();
    return { total, rows };
  },

  endPatrol(db: Db, id: string, endedAt: Date, note: string | null | undefined) {
    const set: { ended_at: Date; note?: string | null } = { ended_at: endedAt };
    if (note !== undefined) set.note = note;
    return db.updateTable('patrols').set(set).where('id', '=', id).where('ended_at', 'is', null).returning('id').executeTakeFirst();
  },

  checkins(db: Db, patrolId: string) {
    return db.selectFrom('patrol_checkins').selectAll().where('patrol_id', '=', patrolId).orderBy('at').orderBy('id').execute();
  },

  /** Stores a check-in once per (patrol, clientId): the row when it was new, undefined when it was already there. */
  insertCheckin(db: Db, row: Insertable<PatrolCheckinTable>) {
    return db
      .insertInto('patrol_checkins')
      .values(row)
      .onConflict((oc) => oc.columns(['patrol_id', 'client_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  checkinByClient(db: Db, patrolId: string, clientId: string) {
    return db.selectFrom('patrol_checkins').selectAll().where('patrol_id', '=', patrolId).where('client_id', '=', clientId).executeTakeFirst();
  },

  lastCheckinAt(db: Db, patrolId: string) {
    return db.selectFrom('patrol_checkins').select((eb) => eb.fn.max('at').as('at')).where('patrol_id', '=', patrolId).executeTakeFirst();
  },

  // ---- teams -----------------------------------------------------------------------------------------------------

  teamSelect(db: Db, monthStart: Date, monthEnd: Date) {
    return db
      .selectFrom('patrol_teams as t')
      .innerJoin('org_units as o', 'o.id', 't.org_unit_id')
      .selectAll('t')
      .select([
        'o.name as unit_name',
        'o.path as unit_path',
        (eb) => eb.selectFrom('patrol_team_members as m').whereRef('m.team_id', '=', 't.id').where('m.status', '=', 'active').select((e) => e.fn.countAll<number>().as('n')).as('member_count'),
        (eb) => eb.selectFrom('patrol_team_members as m').whereRef('m.team_id', '=', 't.id').select((e) => e.fn.coalesce(e.fn.sum<number>('m.points'), sql<number>`0`).as('p')).as('points'),
        (eb) =>
          eb
            .selectFrom('patrol_shifts as s')
            .whereRef('s.team_id', '=', 't.id')
            .where('s.starts_at', '>=', monthStart)
            .where('s.starts_at', '<', monthEnd)
            .where('s.status', '<>', 'cancelled')
            .select((e) => e.fn.countAll<number>().as('n'))
            .as('shifts_this_month'),
      ]);
  },

  listTeams(db: Db, pattern: string, month: { start: Date; end: Date }, unitPattern?: string) {
    let q = patrolRepository.teamSelect(db, month.start, month.end).where('o.path', 'like', pattern);
    if (unitPattern) q = q.where('o.path', 'like', unitPattern);
    return q.orderBy('o.path').orderBy('t.name').execute();
  },

  teamInScope(db: Db, pattern: string, id: string, month: { start: Date; end: Date }) {
    return patrolRepository.teamSelect(db, month.start, month.end).where('t.id', '=', id).where('o.path', 'like', pattern).executeTakeFirst();
  },

  teamBrief(db: Db, pattern: string, id: string) {
    return db
      .selectFrom('patrol_teams as t')
      .innerJoin('org_units as o', 'o.id', 't.org_unit_id')
      .select(['t.id', 't.name', 't.status', 't.org_unit_id', 'o.path as unit_path'])
      .where('t.id', '=', id)
      .where('o.path', 'like', pattern)
      .executeTakeFirst();
  },

  /** Active teams of some org units, with their active members. */
  activeTeamsOf(db: Db, unitIds: string[]) {
    if (!unitIds.length) return Promise.resolve([]);
    return db
      .selectFrom('patrol_teams as t')
      .select(['t.id', 't.name', 't.org_unit_id', (eb) => eb.selectFrom('patrol_team_members as m').whereRef('m.team_id', '=', 't.id').where('m.status', '=', 'active').select((e) => e.fn.countAll<number>().as('n')).as('members')])
      .where('t.org_unit_id', 'in', unitIds)
      .where('t.status', '=', 'active')
      .orderBy('t.name')
      .execute();
  },

  insertTeam(db: Db, row: Insertable<PatrolTeamTable>) {
    return db.insertInto('patrol_teams').values(row).execute();
  },

  updateTeam(db: Db, id: string, set: Partial<Insertable<PatrolTeamTable>>) {
    return db.updateTable('patrol_teams').set({ ...set, updated_at: new Date() }).where('id', '=', id).execute();
  },

  teamByName(db: Db, orgUnitId: string, name: string) {
    return db.selectFrom('patrol_teams').select('id').where('org_unit_id', '=', orgUnitId).where('name', '=', name).executeTakeFirst();
  },

  members(db: Db, teamId: string) {
    return db.selectFrom('patrol_team_members').selectAll().where('team_id', '=', teamId).orderBy('status').orderBy('points', 'desc').orderBy('joined_on').orderBy('id').execute();
  },

  memberInScope(db: Db, pattern: string, id: string) {
    return db
      .selectFrom('patrol_team_members as m')
      .innerJoin('patrol_teams as t', 't.id', 'm.team_id')
      .innerJoin('org_units as o', 'o.id', 't.org_unit_id')
      .selectAll('m')
      .select(['t.name as team_name', 't.org_unit_id'])
      .where('m.id', '=', id)
      .where('o.path', 'like', pattern)
      .executeTakeFirst();
  },

  memberByPhone(db: Db, teamId: string, phone: string) {
    return db.selectFrom('patrol_team_members').select('id').where('team_id', '=', teamId).where('phone', '=', phone).executeTakeFirst();
  },

  insertMember(db: Db, row: Insertable<PatrolTeamMemberTable>) {
    return db.insertInto('patrol_team_members').values(row).execute();
  },

  updateMember(db: Db, id: string, set: Partial<Insertable<PatrolTeamMemberTable>>) {
    return db.updateTable('patrol_team_members').set(set).where('id', '=', id).execute();
  },

  addPoints(db: Db, memberId: string, delta: number) {
    return db
      .updateTable('patrol_team_members')
      .set({ points: sql`points + ${delta}` })
      .where('id', '=', memberId)
      .execute();
  },

  memberPoints(db: Db, id: string) {
    return db.selectFrom('patrol_team_members').select('points').where('id', '=', id).executeTakeFirstOrThrow();
  },

  // ---- shifts ----------------------------------------------------------------------------------------------------

  insertShift(db: Db, row: { id: string; team_id: string; plan_item_id: string | null; starts_at: Date; ends_at: Date; area: string; created_by: string | null }) {
    return db.insertInto('patrol_shifts').values(row).execute();
  },

  insertShiftMembers(db: Db, shiftId: string, memberIds: string[]) {
    if (!memberIds.length) return Promise.resolve();
    return db
      .insertInto('patrol_shift_members')
      .values(memberIds.map((member_id) => ({ shift_id: shiftId, member_id, attended: null, recorded_by: null, recorded_at: null })))
      .onConflict((oc) => oc.columns(['shift_id', 'member_id']).doNothing())
      .execute()
      .then(() => undefined);
  },

  shifts(db: Db, teamId: string, limit: number) {
    return db
      .selectFrom('patrol_shifts as s')
      .leftJoin('patrol_plan_items as i', 'i.id', 's.plan_item_id')
      .selectAll('s')
      .select('i.label as item_label')
      .where('s.team_id', '=', teamId)
      .orderBy('s.starts_at', 'desc')
      .limit(limit)
      .execute();
  },

  shiftMembers(db: Db, shiftIds: string[]) {
    if (!shiftIds.length) return Promise.resolve([]);
    return db
      .selectFrom('patrol_shift_members as sm')
      .innerJoin('patrol_team_members as m', 'm.id', 'sm.member_id')
      .select(['sm.shift_id', 'sm.member_id', 'sm.attended', 'sm.points', 'sm.recorded_at', 'm.name'])
      .where('sm.shift_id', 'in', shiftIds)
      .orderBy('m.name')
      .execute();
  },

  shiftInScope(db: Db, pattern: string, id: string) {
    return db
      .selectFrom('patrol_shifts as s')
      .innerJoin('patrol_teams as t', 't.id', 's.team_id')
      .innerJoin('org_units as o', 'o.id', 't.org_unit_id')
      .selectAll('s')
      .select(['t.org_unit_id', 't.name as team_name'])
      .where('s.id', '=', id)
      .where('o.path', 'like', pattern)
      .executeTakeFirst();
  },

  lockShift(db: Db, id: string) {
    return db.selectFrom('patrol_shifts').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
  },

  setShiftStatus(db: Db, id: string, status: 'planned' | 'done' | 'cancelled') {
    return db.updateTable('patrol_shifts').set({ status }).where('id', '=', id).execute();
  },

  recordAttendance(db: Db, row: { shift_id: string; member_id: string; attended: boolean; points: number; recorded_by: string | null; recorded_at: Date }) {
    return db
      .insertInto('patrol_shift_members')
      .values(row)
      .onConflict((oc) => oc.columns(['shift_id', 'member_id']).doUpdateSet({ attended: row.attended, points: row.points, recorded_by: row.recorded_by, recorded_at: row.recorded_at }))
      .execute();
  },

  teamMembersIn(db: Db, teamId: string, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('patrol_team_members').select(['id', 'status', 'name']).where('team_id', '=', teamId).where('id', 'in', ids).execute();
  },

  // ---- points ledger ---------------------------------------------------------------------------------------------

  /** Removes a shift's earlier points of some members, returning what each had. */
  async takeShiftPoints(db: Db, shiftId: string, memberIds: string[]): Promise<Map<string, number>> {
    if (!memberIds.length) return new Map();
    const rows = await db.deleteFrom('patrol_points_ledger').where('shift_id', '=', shiftId).where('member_id', 'in', memberIds).returning(['member_id', 'points']).execute();
    const out = new Map<string, number>();
    for (const r of rows) out.set(r.member_id, (out.get(r.member_id) ?? 0) + r.points);
    return out;
  },

  insertLedger(db: Db, rows: Array<{ id: string; member_id: string; shift_id: string | null; points: number; reason: string; created_by: string | null; created_at?: Date }>) {
    if (!rows.length) return Promise.resolve();
    return db.insertInto('patrol_points_ledger').values(rows).execute().then(() => undefined);
  },

  async ledger(db: Db, memberId: string, page: { limit: number; offset: number }) {
    const total = Number((await db.selectFrom('patrol_points_ledger').select((eb) => eb.fn.countAll<number>().as('n')).where('member_id', '=', memberId).executeTakeFirstOrThrow()).n);
    const rows = await db
      .selectFrom('patrol_points_ledger as l')
      .leftJoin('users as u', 'u.id', 'l.created_by')
      .leftJoin('patrol_shifts as s', 's.id', 'l.shift_id')
      .select(['l.id', 'l.shift_id', 'l.points', 'l.reason', 'l.created_at', 'u.display_name as created_by_name', 's.starts_at as shift_starts_at'])
      .where('l.member_id', '=', memberId)
      .orderBy('l.created_at', 'desc')
      .orderBy('l.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { total, rows };
  },

  /** Members of the teams in a scope ranked by their points in a month. */
  ranking(db: Db, pattern: string, start: Date, end: Date, limit: number) {
    return db
      .selectFrom('patrol_team_members as m')
      .innerJoin('patrol_teams as t', 't.id', 'm.team_id')
      .innerJoin('org_units as o', 'o.id', 't.org_unit_id')
      .select([
        'm.id',
        'm.name',
        'm.points',
        'm.status',
        't.id as team_id',
        't.name as team_name',
        'o.name as unit_name',
        (eb) =>
          eb
            .selectFrom('patrol_points_ledger as l')
            .whereRef('l.member_id', '=', 'm.id')
            .where('l.created_at', '>=', start)
            .where('l.created_at', '<', end)
            .select((e) => e.fn.coalesce(e.fn.sum<number>('l.points'), sql<number>`0`).as('p'))
            .as('month_points'),
        (eb) =>
          eb
            .selectFrom('patrol_shift_members as sm')
            .innerJoin('patrol_shifts as s', 's.id', 'sm.shift_id')
            .whereRef('sm.member_id', '=', 'm.id')
            .where('sm.attended', '=', true)
            .where('s.starts_at', '>=', start)
            .where('s.starts_at', '<', end)
            .select((e) => e.fn.countAll<number>().as('n'))
            .as('month_shifts'),
      ])
      .where('o.path', 'like', pattern)
      .orderBy('month_points', 'desc')
      .orderBy('m.points', 'desc')
      .orderBy('m.name')
      .limit(limit)
      .execute();
  },
};

export type PatrolRow = NonNullable<Awaited<ReturnType<typeof patrolRepository.patrolInScope>>>;
export type PlanRow = NonNullable<Awaited<ReturnType<typeof patrolRepository.planInScope>>>;
export type ItemRow = Awaited<ReturnType<typeof patrolRepository.planItems>>[number];
export type TeamRow = NonNullable<Awaited<ReturnType<typeof patrolRepository.teamInScope>>>;
