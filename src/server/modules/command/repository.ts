import { sql, type Kysely, type Insertable, type RawBuilder } from 'kysely';
import type { CommandEventTable, DB, DirectiveLevel, DirectiveTargetTable, DirectiveTable, WhistleResponseTable, WhistleScenarioTable, WhistleTable } from '../../db/schema.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;

const where = (conds: Array<RawBuilder<unknown>>) => (conds.length ? sql`WHERE ${sql.join(conds, sql` AND `)}` : sql``);

export interface DirectiveListRow {
  id: string;
  code: string;
  level: DirectiveLevel;
  title: string;
  status: 'active' | 'closed' | 'withdrawn';
  issued_at: Date;
  deadline: Date;
  issuer_id: string;
  issuer_name: string;
  issuer_unit_name: string;
  incident_id: string | null;
  incident_code: string | null;
  targets: string;
  signed: string;
  reported: string;
  on_time: string;
  overdue: string;
}

export interface TargetRow {
  id: string;
  directive_id: string;
  org_unit_id: string | null;
  department_id: string | null;
  unit_name: string | null;
  unit_kind: string | null;
  unit_path: string | null;
  department_name: string | null;
  status: 'issued' | 'signed' | 'reported';
  sign_due_at: Date;
  signed_at: Date | null;
  signed_by_name: string | null;
  feedback: string | null;
  reported_at: Date | null;
  reported_by_name: string | null;
  escalation_level: number;
  escalated_at: Date | null;
  overdue_notified_at: Date | null;
}

export interface InboxRow extends TargetRow {
  code: string;
  level: DirectiveLevel;
  title: string;
  deadline: Date;
  issued_at: Date;
  directive_status: 'active' | 'closed' | 'withdrawn';
  issuer_name: string;
}

const TARGET_COLUMNS = sql`t.id, t.directive_id, t.org_unit_id, t.department_id, o.name AS unit_name, o.kind AS unit_kind, o.path AS unit_path,
  dep.name AS department_name, t.status, t.sign_due_at, t.signed_at, su.display_name AS signed_by_name, t.feedback, t.reported_at,
  ru.display_name AS reported_by_name, t.escalation_level, t.escalated_at, t.overdue_notified_at`;
const TARGET_JOINS = sql`LEFT JOIN org_units o ON o.id = t.org_unit_id
  LEFT JOIN departments dep ON dep.id = t.department_id
  LEFT JOIN users su ON su.id = t.signed_by
  LEFT JOIN users ru ON ru.id = t.reported_by`;

/** directives, directive_targets and command_events (docs/api-command.md "Directives"). */
export const directivesRepository = {
  /** Org units by id inside a scope (the targets an issuer may pick). */
  unitsInScope(db: Db, scopePath: string, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('org_units').select(['id', 'kind', 'name', 'path', 'status']).where('id', 'in', ids).where('path', 'like', subtreePattern(scopePath)).execute();
  },

  /** Active departments by id whose unit lies under `underPath`. */
  departmentsUnder(db: Db, underPath: string, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('departments as d')
      .innerJoin('org_units as o', 'o.id', 'd.org_unit_id')
      .select(['d.id', 'd.name', 'd.category', 'd.org_unit_id'])
      .where('d.id', 'in', ids)
      .where('d.status', '=', 'active')
      .where('o.path', 'like', subtreePattern(underPath))
      .execute();
  },

  /** The nearest unit of `kind` at or above the unit with `path` (paths are /id/id/…/). */
  async ancestorOfKind(db: Db, path: string, kind: 'branch' | 'station') {
    const ids = path.split('/').filter(Boolean);
    if (!ids.length) return undefined;
    const rows = await db.selectFrom('org_units').select(['id', 'name', 'path', 'kind']).where('id', 'in', ids).where('kind', '=', kind).execute();
    return rows.sort((a, b) => b.path.length - a.path.length)[0];
  },

  incidentInScope(db: Db, scopePath: string, id: string) {
    return db.selectFrom('incidents').select(['id', 'code']).where('id', '=', id).where('org_path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  async insertDirective(db: Db, row: Insertable<DirectiveTable>, targets: Array<Insertable<DirectiveTargetTable>>) {
    await db.insertInto('directives').values(row).execute();
    if (targets.length) await db.insertInto('directive_targets').values(targets).execute();
  },

  async insertEvents(db: Db, rows: Array<Insertable<CommandEventTable>>) {
    if (rows.length) await db.insertInto('command_events').values(rows).execute();
  },

  async list(db: Db, f: { scopePath: string; status?: string; level?: string; from?: Date; to?: Date; limit: number; offset: number; now: Date }) {
    const conds = [sql`d.issuer_path LIKE ${subtreePattern(f.scopePath)}`];
    if (f.status) conds.push(sql`d.status = ${f.status}`);
    if (f.level) conds.push(sql`d.level = ${f.level}`);
    if (f.from) conds.push(sql`d.issued_at >= ${f.from}`);
    if (f.to) conds.push(sql`d.issued_at < ${f.to}`);
    const total = await sql<{ n: string }>`SELECT count(*)::text AS n FROM directives d ${where(conds)}`.execute(db);
    const rows = await sql<DirectiveListRow>`
      SELECT d.id, d.code, d.level, d.title, d.status, d.issued_at, d.deadline, d.issuer_id, u.display_name AS issuer_name,
             iu.name AS issuer_unit_name, d.incident_id, i.code AS incident_code,
             count(t.id)::text AS targets,
             count(t.id) FILTER (WHERE t.status <> 'issued')::text AS signed,
             count(t.id) FILTER (WHERE t.status = 'reported')::text AS reported,
             count(t.id) FILTER (WHERE t.status = 'reported' AND t.reported_at <= d.deadline)::text AS on_time,
             count(t.id) FILTER (WHERE d.status = 'active' AND ((t.status = 'issued' AND t.sign_due_at < ${f.now})
                                  OR (t.status <> 'reported' AND d.deadline < ${f.now})))::text AS overdue
        FROM directives d
        JOIN users u ON u.id = d.issuer_id
        JOIN org_units iu ON iu.id = d.issuer_unit_id
        LEFT JOIN incidents i ON i.id = d.incident_id
        LEFT JOIN directive_targets t ON t.directive_id = d.id
        ${where(conds)}
       GROUP BY d.id, u.display_name, iu.name, i.code
       ORDER BY d.issued_at DESC, d.id DESC
       LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
    return { total: Number(total.rows[0]?.n ?? 0), rows: rows.rows };
  },

  async byId(db: Db, id: string) {
    return db
      .selectFrom('directives as d')
      .innerJoin('users as u', 'u.id', 'd.issuer_id')
      .innerJoin('org_units as iu', 'iu.id', 'd.issuer_unit_id')
      .leftJoin('incidents as i', 'i.id', 'd.incident_id')
      .leftJoin('users as cu', 'cu.id', 'd.closed_by')
      .selectAll('d')
      .select(['u.display_name as issuer_name', 'iu.name as issuer_unit_name', 'i.code as incident_code', 'cu.display_name as closed_by_name'])
      .where('d.id', '=', id)
      .executeTakeFirst();
  },

  async targetsOf(db: Db, directiveId: string): Promise<TargetRow[]> {
    const r = await sql<TargetRow>`SELECT ${TARGET_COLUMNS} FROM directive_targets t ${TARGET_JOINS}
      WHERE t.directive_id = ${directiveId} ORDER BY t.department_id NULLS FIRST, o.path, dep.name`.execute(db);
    return r.rows;
  },

  /** A target with its directive, locked for the change when `forUpdate`. */
  async target(db: Db, id: string, forUpdate = false) {
    const r = await sql<TargetRow & { directive_status: string; issuer_id: string; title: string; level: DirectiveLevel; code: string; deadline: Date; issuer_path: string }>`
      SELECT ${TARGET_COLUMNS}, d.status AS directive_status, d.issuer_id, d.title, d.level, d.code, d.deadline, d.issuer_path
        FROM directive_targets t JOIN directives d ON d.id = t.directive_id ${TARGET_JOINS}
       WHERE t.id = ${id} ${forUpdate ? sql`FOR UPDATE OF t` : sql``}`.execute(db);
    return r.rows[0];
  },

  async sign(db: Db, id: string, by: string | null, at: Date) {
    return db
      .updateTable('directive_targets')
      .set({ status: 'signed', signed_at: at, signed_by: by })
      .where('id', '=', id)
      .where('status', '=', 'issued')
      .returning(['id'])
      .executeTakeFirst();
  },

  async report(db: Db, id: string, by: string | null, at: Date, feedback: string) {
    return db
      .updateTable('directive_targets')
      .set({ status: 'reported', reported_at: at, reported_by: by, feedback })
      .where('id', '=', id)
      .where('status', '=', 'signed')
      .returning(['id'])
      .executeTakeFirst();
  },

  async setStatus(db: Db, id: string, status: 'closed' | 'withdrawn', by: string, at: Date) {
    return db
      .updateTable('directives')
      .set({ status, closed_at: at, closed_by: by })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .returning(['id'])
      .executeTakeFirst();
  },

  async events(db: Db, subjectId: string) {
    return db
      .selectFrom('command_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.id', 'e.at', 'e.action', 'e.note', 'e.target_id', 'u.display_name as actor_name'])
      .where('e.subject_id', '=', subjectId)
      .orderBy('e.at')
      .orderBy('e.id')
      .execute();
  },

  /**
   * Targets the caller may sign for: its unit or one above it (the caller's path starts with the target's), or its
   * department. Withdrawn directives are left out.
   */
  async inbox(db: Db, f: { scopePath: string; departmentId: string | null; status?: string; limit: number; offset: number }) {
    const mine = sql`((t.org_unit_id IS NOT NULL AND ${f.scopePath} LIKE o.path || '%') OR (t.department_id IS NOT NULL AND t.department_id = ${f.departmentId}))`;
    const conds = [mine, sql`d.status <> 'withdrawn'`];
    if (f.status === 'open') conds.push(sql`t.status <> 'reported' AND d.status = 'active'`);
    else if (f.status) conds.push(sql`t.status = ${f.status}`);
    const from = sql`FROM directive_targets t JOIN directives d ON d.id = t.directive_id JOIN users iu ON iu.id = d.issuer_id ${TARGET_JOINS}`;
    const total = await sql<{ n: string }>`SELECT count(*)::text AS n ${from} ${where(conds)}`.execute(db);
    const rows = await sql<InboxRow>`
      SELECT ${TARGET_COLUMNS}, d.code, d.level, d.title, d.deadline, d.issued_at, d.status AS directive_status, iu.display_name AS issuer_name
      ${from} ${where(conds)}
      ORDER BY (t.status = 'reported' OR d.status <> 'active'), d.issued_at DESC, t.id
      LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
    return { total: Number(total.rows[0]?.n ?? 0), rows: rows.rows };
  },

  /** Per target of directives issued in a period within a scope (withdrawn ones left out), for the figures. */
  async statsTargets(db: Db, f: { scopePath: string; start: Date; end: Date }) {
    const r = await sql<{
      id: string;
      directive_id: string;
      level: DirectiveLevel;
      code: string;
      title: string;
      directive_status: string;
      deadline: Date;
      org_unit_id: string | null;
      department_id: string | null;
      name: string;
      status: 'issued' | 'signed' | 'reported';
      sign_due_at: Date;
      signed_at: Date | null;
      reported_at: Date | null;
      escalation_level: number;
    }>`
      SELECT t.id, t.directive_id, d.level, d.code, d.title, d.status AS directive_status, d.deadline, t.org_unit_id, t.department_id,
             coalesce(o.name, dep.name) AS name, t.status, t.sign_due_at, t.signed_at, t.reported_at, t.escalation_level
        FROM directives d
        JOIN directive_targets t ON t.directive_id = d.id
        LEFT JOIN org_units o ON o.id = t.org_unit_id
        LEFT JOIN departments dep ON dep.id = t.department_id
       WHERE d.issuer_path LIKE ${subtreePattern(f.scopePath)} AND d.status <> 'withdrawn'
         AND d.issued_at >= ${f.start} AND d.issued_at < ${f.end}
       ORDER BY d.issued_at, t.id`.execute(db);
    return r.rows;
  },

  /** Targets overdue now (not signed in time, or not reported by the deadline) of active directives in a scope. */
  async overdueTargets(db: Db, scopePath: string, now: Date, limit = 200) {
    const r = await sql<{
      id: string;
      directive_id: string;
      code: string;
      level: DirectiveLevel;
      title: string;
      name: string;
      status: 'issued' | 'signed';
      sign_due_at: Date;
      deadline: Date;
      escalation_level: number;
    }>`
      SELECT t.id, t.directive_id, d.code, d.level, d.title, coalesce(o.name, dep.name) AS name, t.status, t.sign_due_at, d.deadline, t.escalation_level
        FROM directive_targets t
        JOIN directives d ON d.id = t.directive_id
        LEFT JOIN org_units o ON o.id = t.org_unit_id
        LEFT JOIN departments dep ON dep.id = t.department_id
       WHERE d.issuer_path LIKE ${subtreePattern(scopePath)} AND d.status = 'active' AND t.status <> 'reported'
         AND ((t.status = 'issued' AND t.sign_due_at < ${now}) OR d.deadline < ${now})
       ORDER BY least(CASE WHEN t.status = 'issued' THEN t.sign_due_at END, d.deadline), t.id
       LIMIT ${limit}`.execute(db);
    return r.rows;
  },

  // ---- the runner's claims: one statement each, so concurrent ticks never act twice --------------------------

  /** Targets still unsigned past their sign-off time: level 1, or 2 after another sign-off period. */
  async claimSignEscalations(db: Db, now: Date, limit = 500) {
    const r = await sql<{ id: string; directive_id: string; escalation_level: number; org_unit_id: string | null; department_id: string | null }>`
      UPDATE directive_targets t
         SET escalation_level = CASE WHEN t.sign_due_at + (t.sign_due_at - d.issued_at) <= ${now} THEN 2 ELSE 1 END, escalated_at = ${now}
        FROM directives d
       WHERE d.id = t.directive_id AND d.status = 'active' AND t.status = 'issued' AND t.sign_due_at <= ${now}
         AND t.escalation_level < CASE WHEN t.sign_due_at + (t.sign_due_at - d.issued_at) <= ${now} THEN 2 ELSE 1 END
         AND t.id IN (SELECT x.id FROM directive_targets x WHERE x.status = 'issued' AND x.escalation_level < 2 AND x.sign_due_at <= ${now}
                       ORDER BY x.sign_due_at LIMIT ${limit})
      RETURNING t.id, t.directive_id, t.escalation_level, t.org_unit_id, t.department_id`.execute(db);
    return r.rows;
  },

  /** Targets not reported by the directive's deadline, flagged once. */
  async claimOverdueFeedback(db: Db, now: Date, limit = 500) {
    const r = await sql<{ id: string; directive_id: string; org_unit_id: string | null; department_id: string | null }>`
      UPDATE directive_targets t
         SET overdue_notified_at = ${now}
        FROM directives d
       WHERE d.id = t.directive_id AND d.status = 'active' AND t.status <> 'reported' AND d.deadline <= ${now}
         AND t.overdue_notified_at IS NULL
         AND t.id IN (SELECT x.id FROM directive_targets x JOIN directives y ON y.id = x.directive_id
                       WHERE x.status <> 'reported' AND x.overdue_notified_at IS NULL AND y.status = 'active' AND y.deadline <= ${now}
                       ORDER BY y.deadline LIMIT ${limit})
      RETURNING t.id, t.directive_id, t.org_unit_id, t.department_id`.execute(db);
    return r.rows;
  },

  /** What the runner's messages need about claimed targets. */
  async targetContexts(db: Db, ids: string[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('directive_targets as t')
      .innerJoin('directives as d', 'd.id', 't.directive_id')
      .leftJoin('org_units as o', 'o.id', 't.org_unit_id')
      .leftJoin('departments as dep', 'dep.id', 't.department_id')
      .select([
        't.id',
        't.directive_id',
        't.org_unit_id',
        't.department_id',
        't.escalation_level',
        't.sign_due_at',
        'd.code',
        'd.title',
        'd.level',
        'd.deadline',
        'd.issuer_id',
        'd.issuer_unit_id',
        'o.name as unit_name',
        'dep.name as department_name',
      ])
      .where('t.id', 'in', ids)
      .execute();
  },
};

// ---- whistles ----------------------------------------------------------------------------------------------------

export interface ScenarioRow {
  id: string;
  code: string;
  name: string;
  description: string | null;
  department_ids: string[];
  response_minutes: number;
  urgent: boolean;
  sort: number;
  builtin: boolean;
  status: 'active' | 'inactive';
}

export interface ResponseRow {
  id: string;
  whistle_id: string;
  department_id: string;
  department_name: string;
  round: number;
  status: 'pending' | 'acknowledged' | 'acting' | 'reported';
  due_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by_name: string | null;
  acted_at: Date | null;
  reported_at: Date | null;
  reported_by_name: string | null;
  report: string | null;
  overdue_notified_at: Date | null;
}

export interface WhistleRow {
  id: string;
  code: string;
  scenario_id: string;
  scenario_name: string;
  scenario_code: string;
  urgent: boolean;
  response_minutes: number;
  station_id: string;
  station_name: string;
  org_path: string;
  title: string;
  description: string;
  incident_id: string | null;
  incident_code: string | null;
  address_id: string | null;
  address_text: string | null;
  raised_by: string;
  raised_by_name: string;
  raised_at: Date;
  round: number;
  status: 'open' | 'reported' | 'confirmed';
  confirmed_at: Date | null;
  confirmed_by_name: string | null;
}

const RESPONSE_COLUMNS = sql`r.id, r.whistle_id, r.department_id, dep.name AS department_name, r.round, r.status, r.due_at, r.acknowledged_at,
  au.display_name AS acknowledged_by_name, r.acted_at, r.reported_at, ru.display_name AS reported_by_name, r.report, r.overdue_notified_at`;
const RESPONSE_JOINS = sql`JOIN departments dep ON dep.id = r.department_id
  LEFT JOIN users au ON au.id = r.acknowledged_by
  LEFT JOIN users ru ON ru.id = r.reported_by`;
const WHISTLE_SELECT = sql`SELECT w.id, w.code, w.scenario_id, s.name AS scenario_name, s.code AS scenario_code, s.urgent, s.response_minutes,
  w.station_id, st.name AS station_name, w.org_path, w.title, w.description, w.incident_id, i.code AS incident_code, w.address_id,
  a.full_text AS address_text, w.raised_by, u.display_name AS raised_by_name, w.raised_at, w.round, w.status, w.confirmed_at,
  cu.display_name AS confirmed_by_name
  FROM whistles w
  JOIN whistle_scenarios s ON s.id = w.scenario_id
  JOIN org_units st ON st.id = w.station_id
  JOIN users u ON u.id = w.raised_by
  LEFT JOIN users cu ON cu.id = w.confirmed_by
  LEFT JOIN incidents i ON i.id = w.incident_id
  LEFT JOIN addresses a ON a.id = w.address_id`;

/** whistle_scenarios, whistles and whistle_responses (docs/api-command.md "Whistles"). */
export const whistlesRepository = {
  scenarios(db: Db): Promise<ScenarioRow[]> {
    return db.selectFrom('whistle_scenarios').selectAll().orderBy('sort').orderBy('name').execute() as Promise<ScenarioRow[]>;
  },

  scenario(db: Db, id: string): Promise<ScenarioRow | undefined> {
    return db.selectFrom('whistle_scenarios').selectAll().where('id', '=', id).executeTakeFirst() as Promise<ScenarioRow | undefined>;
  },

  scenarioByCode(db: Db, code: string) {
    return db.selectFrom('whistle_scenarios').select(['id', 'department_ids', 'builtin']).where('code', '=', code).executeTakeFirst();
  },

  async insertScenario(db: Db, row: Insertable<WhistleScenarioTable>) {
    return db.insertInto('whistle_scenarios').values(row).onConflict((oc) => oc.column('code').doNothing()).returning(['id']).executeTakeFirst();
  },

  async updateScenario(db: Db, id: string, patch: Partial<Omit<ScenarioRow, 'id' | 'builtin'>>) {
    await db
      .updateTable('whistle_scenarios')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  },

  /** Departments with their unit's path, by id. */
  departments(db: Db, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('departments as d')
      .innerJoin('org_units as o', 'o.id', 'd.org_unit_id')
      .select(['d.id', 'd.name', 'd.category', 'd.status', 'o.path'])
      .where('d.id', 'in', ids)
      .execute();
  },

  branches(db: Db) {
    return db.selectFrom('org_units').select(['id', 'path']).where('kind', '=', 'branch').execute();
  },

  departmentsOfBranch(db: Db, branchPath: string) {
    return db
      .selectFrom('departments as d')
      .innerJoin('org_units as o', 'o.id', 'd.org_unit_id')
      .select(['d.id', 'd.category'])
      .where('o.path', 'like', subtreePattern(branchPath))
      .where('d.status', '=', 'active')
      .orderBy('d.created_at')
      .execute();
  },

  addressInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .select(['a.id'])
      .where('a.id', '=', id)
      .where('g.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  async insertWhistle(db: Db, row: Insertable<WhistleTable>) {
    await db.insertInto('whistles').values(row).execute();
  },

  async insertResponses(db: Db, rows: Array<Insertable<WhistleResponseTable>>) {
    if (rows.length) await db.insertInto('whistle_responses').values(rows).execute();
  },

  async byId(db: Db, id: string, forUpdate = false): Promise<WhistleRow | undefined> {
    if (forUpdate) await sql`SELECT id FROM whistles WHERE id = ${id} FOR UPDATE`.execute(db);
    const r = await sql<WhistleRow>`${WHISTLE_SELECT} WHERE w.id = ${id}`.execute(db);
    return r.rows[0];
  },

  async responsesOf(db: Db, whistleIds: string[], round?: 'current'): Promise<ResponseRow[]> {
    if (!whistleIds.length) return [];
    const r = await sql<ResponseRow>`SELECT ${RESPONSE_COLUMNS} FROM whistle_responses r ${RESPONSE_JOINS}
      ${round ? sql`JOIN whistles w ON w.id = r.whistle_id AND w.round = r.round` : sql``}
      WHERE r.whistle_id IN (${sql.join(whistleIds)}) ORDER BY r.round, dep.name, r.id`.execute(db);
    return r.rows;
  },

  async list(db: Db, f: { stationId?: string; scopePath: string; status?: string; limit: number; offset: number }) {
    const conds = f.stationId ? [sql`w.station_id = ${f.stationId}`] : [sql`w.org_path LIKE ${subtreePattern(f.scopePath)}`];
    if (f.status) conds.push(sql`w.status = ${f.status}`);
    const total = await sql<{ n: string }>`SELECT count(*)::text AS n FROM whistles w ${where(conds)}`.execute(db);
    const rows = await sql<WhistleRow>`${WHISTLE_SELECT} ${where(conds)} ORDER BY w.raised_at DESC, w.id DESC LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
    return { total: Number(total.rows[0]?.n ?? 0), rows: rows.rows };
  },

  async inbox(db: Db, f: { departmentId: string; status?: string; limit: number; offset: number }) {
    const conds = [sql`r.department_id = ${f.departmentId}`];
    if (f.status) conds.push(sql`r.status = ${f.status}`);
    const total = await sql<{ n: string }>`SELECT count(*)::text AS n FROM whistle_responses r ${where(conds)}`.execute(db);
    const rows = await sql<
      ResponseRow & { code: string; title: string; description: string; scenario_name: string; urgent: boolean; response_minutes: number; station_name: string; raised_at: Date; raised_by_name: string; whistle_status: string; whistle_round: number }
    >`
      SELECT ${RESPONSE_COLUMNS}, w.code, w.title, w.description, s.name AS scenario_name, s.urgent, s.response_minutes, st.name AS station_name, w.raised_at,
             wu.display_name AS raised_by_name, w.status AS whistle_status, w.round AS whistle_round
        FROM whistle_responses r ${RESPONSE_JOINS}
        JOIN whistles w ON w.id = r.whistle_id
        JOIN whistle_scenarios s ON s.id = w.scenario_id
        JOIN org_units st ON st.id = w.station_id
        JOIN users wu ON wu.id = w.raised_by
       ${where(conds)}
       ORDER BY (r.status = 'reported'), r.due_at DESC, r.id
       LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
    return { total: Number(total.rows[0]?.n ?? 0), rows: rows.rows };
  },

  async response(db: Db, id: string) {
    return db.selectFrom('whistle_responses').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** One transition of a response: only from the given states, else nothing (the caller answers 409). */
  async transition(db: Db, id: string, from: Array<ResponseRow['status']>, set: Partial<Insertable<WhistleResponseTable>>) {
    return db.updateTable('whistle_responses').set(set).where('id', '=', id).where('status', 'in', from).returning(['id', 'status']).executeTakeFirst();
  },

  /** Flips an open whistle to `reported` when every response of its current round is reported; once. */
  async markReportedIfDone(db: Db, whistleId: string) {
    const r = await sql<{ id: string }>`
      UPDATE whistles w SET status = 'reported'
       WHERE w.id = ${whistleId} AND w.status = 'open'
         AND NOT EXISTS (SELECT 1 FROM whistle_responses r WHERE r.whistle_id = w.id AND r.round = w.round AND r.status <> 'reported')
      RETURNING w.id`.execute(db);
    return r.rows.length > 0;
  },

  async confirm(db: Db, id: string, by: string, at: Date) {
    return db
      .updateTable('whistles')
      .set({ status: 'confirmed', confirmed_by: by, confirmed_at: at })
      .where('id', '=', id)
      .where('status', '=', 'reported')
      .returning(['id'])
      .executeTakeFirst();
  },

  async reopen(db: Db, id: string) {
    const r = await sql<{ round: number }>`UPDATE whistles SET round = round + 1, status = 'open' WHERE id = ${id} AND status = 'reported' RETURNING round`.execute(db);
    return r.rows[0];
  },

  /** First-round responses of whistles raised in a period within a scope, for the response-time figures. */
  async statsResponses(db: Db, f: { scopePath: string; start: Date; end: Date }) {
    const r = await sql<{ department_id: string; department_name: string; raised_at: Date; due_at: Date; acknowledged_at: Date | null; reported_at: Date | null; status: string }>`
      SELECT r.department_id, dep.name AS department_name, w.raised_at, r.due_at, r.acknowledged_at, r.reported_at, r.status
        FROM whistle_responses r
        JOIN whistles w ON w.id = r.whistle_id
        JOIN departments dep ON dep.id = r.department_id
       WHERE w.org_path LIKE ${subtreePattern(f.scopePath)} AND w.raised_at >= ${f.start} AND w.raised_at < ${f.end} AND r.round = 1
       ORDER BY dep.name`.execute(db);
    return r.rows;
  },

  async statsWhistles(db: Db, f: { scopePath: string; start: Date; end: Date }) {
    const r = await sql<{ status: string; n: string }>`
      SELECT status, count(*)::text AS n FROM whistles
       WHERE org_path LIKE ${subtreePattern(f.scopePath)} AND raised_at >= ${f.start} AND raised_at < ${f.end}
       GROUP BY status`.execute(db);
    return r.rows;
  },

  /** Responses of the current round not acknowledged by their due time, of open whistles in a scope. */
  async overdueResponses(db: Db, scopePath: string, now: Date, limit = 200) {
    const r = await sql<{ id: string; whistle_id: string; code: string; title: string; station_name: string; department_name: string; status: string; due_at: Date; urgent: boolean }>`
      SELECT r.id, r.whistle_id, w.code, w.title, st.name AS station_name, dep.name AS department_name, r.status, r.due_at, s.urgent
        FROM whistle_responses r
        JOIN whistles w ON w.id = r.whistle_id AND w.round = r.round
        JOIN whistle_scenarios s ON s.id = w.scenario_id
        JOIN org_units st ON st.id = w.station_id
        JOIN departments dep ON dep.id = r.department_id
       WHERE w.org_path LIKE ${subtreePattern(scopePath)} AND w.status = 'open' AND r.status = 'pending' AND r.due_at < ${now}
       ORDER BY r.due_at, r.id
       LIMIT ${limit}`.execute(db);
    return r.rows;
  },

  /** Responses of the current round of open whistles not acknowledged by their due time, flagged once. */
  async claimOverdueResponses(db: Db, now: Date, limit = 500) {
    const r = await sql<{ id: string; whistle_id: string; department_id: string }>`
      UPDATE whistle_responses r
         SET overdue_notified_at = ${now}
        FROM whistles w
       WHERE w.id = r.whistle_id AND w.status = 'open' AND w.round = r.round AND r.status = 'pending'
         AND r.due_at <= ${now} AND r.overdue_notified_at IS NULL
         AND r.id IN (SELECT x.id FROM whistle_responses x WHERE x.status = 'pending' AND x.overdue_notified_at IS NULL AND x.due_at <= ${now}
                       ORDER BY x.due_at LIMIT ${limit})
      RETURNING r.id, r.whistle_id, r.department_id`.execute(db);
    return r.rows;
  },

  async responseContexts(db: Db, ids: string[]) {
    if (!ids.length) return [];
    return db
      .selectFrom('whistle_responses as r')
      .innerJoin('whistles as w', 'w.id', 'r.whistle_id')
      .innerJoin('whistle_scenarios as s', 's.id', 'w.scenario_id')
      .innerJoin('departments as dep', 'dep.id', 'r.department_id')
      .innerJoin('org_units as st', 'st.id', 'w.station_id')
      .select(['r.id', 'r.whistle_id', 'r.department_id', 'r.due_at', 'w.code', 'w.title', 'w.station_id', 'w.raised_by', 's.urgent', 's.name as scenario_name', 'dep.name as department_name', 'st.name as station_name'])
      .where('r.id', 'in', ids)
      .execute();
  },
};
