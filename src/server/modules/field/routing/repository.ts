// The only SQL of field/routing: routing rules, dispatches and their timelines. Reads the collection part's tables
// (items, item types, attachments) and the org tables; writes its own tables and field_items.status alone.
import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { DB, DispatchStatus, DispatchTable, RoutingCondition, RoutingRuleTable } from '../../../db/schema.js';
import type { FormSchema } from '../../../../shared/forms.js';
import { subtreePattern } from '../../../platform/access/scope.js';

type Db = Kysely<DB>;

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';

// ---- rules --------------------------------------------------------------------------------------------------------

function ruleSelect(db: Db) {
  return db
    .selectFrom('routing_rules as r')
    .leftJoin('field_item_types as t', 't.code', 'r.item_type_code')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .leftJoin('org_units as do', 'do.id', 'd.org_unit_id')
    .leftJoin('departments as e', 'e.id', 'r.escalate_to_department_id')
    .leftJoin('org_units as eo', 'eo.id', 'e.org_unit_id')
    .selectAll('r')
    .select([
      't.name as item_type_name',
      't.form_schema as form_schema',
      'd.name as department_name',
      'd.status as department_status',
      'd.org_unit_id as department_unit_id',
      'd.contact_phone as department_phone',
      'do.path as department_path',
      'e.name as escalate_name',
    ])
    .select((eb) =>
      eb
        .selectFrom('dispatches as x')
        .whereRef('x.rule_id', '=', 'r.id')
        .select((e2) => e2.fn.countAll<number>().as('n'))
        .as('dispatch_count'),
    );
}

export type RuleRow = Awaited<ReturnType<ReturnType<typeof ruleSelect>['executeTakeFirstOrThrow']>>;

/**
 * Rules whose departments (target and escalation) lie in the scope (`related`: or above it, i.e. the departments that
 * serve the jurisdiction); officer rules are everyone's.
 */
function ruleInScope(db: Db, scopePath: string, related = false) {
  const pattern = subtreePattern(scopePath);
  const near = (path: 'do.path' | 'eo.path') =>
    related ? sql<boolean>`(${sql.ref(path)} LIKE ${pattern} OR ${scopePath} LIKE ${sql.ref(path)} || '%')` : sql<boolean>`${sql.ref(path)} LIKE ${pattern}`;
  return ruleSelect(db)
    .where((eb) => eb.or([eb('r.department_id', 'is', null), near('do.path')]))
    .where((eb) => eb.or([eb('r.escalate_to_department_id', 'is', null), near('eo.path')]));
}

export interface ItemTypeRef {
  code: string;
  name: string;
  category_code: string;
  form_schema: FormSchema;
  status: 'active' | 'inactive';
}

export const routingRepository = {
  /** The rules serving the scope (departments in it or above it), for reading. */
  listRules(db: Db, f: { scopePath: string; itemType?: string; status?: 'active' | 'inactive' }): Promise<RuleRow[]> {
    let q = ruleInScope(db, f.scopePath, true);
    if (f.itemType) q = q.where('r.item_type_code', '=', f.itemType);
    if (f.status) q = q.where('r.status', '=', f.status);
    return q.orderBy('r.item_type_code').orderBy('r.priority').orderBy('r.created_at').execute();
  },

  /** A rule the scope may edit: its departments lie inside the scope. */
  ruleInScope(db: Db, scopePath: string, id: string): Promise<RuleRow | undefined> {
    return ruleInScope(db, scopePath).where('r.id', '=', id).executeTakeFirst();
  },

  /** The active rules of an item type, lowest priority first, with their departments (for routing and dry runs). */
  activeRulesOf(db: Db, itemTypeCode: string): Promise<RuleRow[]> {
    return ruleSelect(db)
      .where('r.item_type_code', '=', itemTypeCode)
      .where('r.status', '=', 'active')
      .orderBy('r.priority')
      .orderBy('r.created_at')
      .orderBy('r.id')
      .execute();
  },

  async insertRule(db: Db, row: Insertable<RoutingRuleTable>) {
    await db.insertInto('routing_rules').values(row).execute();
  },

  async updateRule(db: Db, id: string, set: Updateable<RoutingRuleTable>) {
    await db.updateTable('routing_rules').set(set).where('id', '=', id).execute();
  },

  async deleteRule(db: Db, id: string) {
    await db.deleteFrom('routing_rules').where('id', '=', id).execute();
  },

  async ruleHasDispatches(db: Db, id: string): Promise<boolean> {
    return !!(await db.selectFrom('dispatches').select('id').where('rule_id', '=', id).limit(1).executeTakeFirst());
  },

  async itemType(db: Db, code: string): Promise<ItemTypeRef | undefined> {
    return db.selectFrom('field_item_types').select(['code', 'name', 'category_code', 'form_schema', 'status']).where('code', '=', code).executeTakeFirst();
  },

  // ---- routing an item ----------------------------------------------------------------------------------------------

  unitPath(db: Db, orgUnitId: string) {
    return db.selectFrom('org_units').select(['id', 'path', 'kind']).where('id', '=', orgUnitId).executeTakeFirst();
  },

  /** The community on a unit's path (the unit itself when it is a community); undefined above communities. */
  communityOn(db: Db, unitPath: string) {
    return db
      .selectFrom('org_units')
      .select(['id', 'path'])
      .where('kind', '=', 'community')
      .where(sql<boolean>`${unitPath} LIKE path || '%'`)
      .orderBy(sql`length(path)`, 'desc')
      .limit(1)
      .executeTakeFirst();
  },

  /** Inserts a dispatch unless the item already has one for this owner; true when inserted. */
  async insertDispatch(db: Db, row: Insertable<DispatchTable>): Promise<boolean> {
    const r = await db.insertInto('dispatches').values(row).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
    return !!r;
  },

  async insertEvent(db: Db, e: { id: string; dispatch_id: string; action: string; actor_id: string | null; note: string | null; at: Date }) {
    await db.insertInto('dispatch_events').values(e).execute();
  },

  async setItemStatus(db: Db, itemId: string, status: 'routed' | 'closed', onlyFrom?: Array<'submitted' | 'routed' | 'closed'>) {
    let q = db.updateTable('field_items').set({ status }).where('id', '=', itemId);
    if (onlyFrom) q = q.where('status', 'in', onlyFrom);
    await q.execute();
  },

  dispatchesOfItems(db: Db, itemIds: string[]) {
    return db
      .selectFrom('dispatches as x')
      .leftJoin('departments as d', 'd.id', 'x.department_id')
      .selectAll('x')
      .select('d.name as department_name')
      .where('x.item_id', 'in', itemIds)
      .orderBy('x.created_at')
      .orderBy('x.id')
      .execute();
  },

  /** Whether a department handles (or, escalated, oversees) a dispatch of the item. */
  async departmentHandlesItem(db: Db, departmentId: string, itemId: string): Promise<boolean> {
    const r = await db
      .selectFrom('dispatches as x')
      .leftJoin('routing_rules as r', 'r.id', 'x.rule_id')
      .select('x.id')
      .where('x.item_id', '=', itemId)
      .where((eb) =>
        eb.or([
          eb.and([eb('x.department_id', '=', departmentId), eb('x.status', '!=', 'rejected')]),
          eb.and([eb('r.escalate_to_department_id', '=', departmentId), eb('x.escalation_level', '>', 0)]),
        ]),
      )
      .limit(1)
      .executeTakeFirst();
    return !!r;
  },

  /** The officer-targeted dispatch of an item, if any. */
  officerDispatchOf(db: Db, itemId: string) {
    return db.selectFrom('dispatches').selectAll().where('item_id', '=', itemId).where('department_id', 'is', null).executeTakeFirst();
  },

  // ---- the inbox ----------------------------------------------------------------------------------------------------

  listDispatches(db: Db, f: DispatchFilter, paging: { limit: number; offset: number }) {
    const base = dispatchBase(db, f);
    const rows = dispatchSelect(base)
      .orderBy(sql`CASE x.status WHEN 'pending' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END`)
      .orderBy(sql`CASE WHEN x.status = 'pending' THEN x.accept_due_at END`)
      .orderBy('x.created_at', 'desc')
      .orderBy('x.id', 'desc')
      .limit(paging.limit)
      .offset(paging.offset)
      .execute();
    const total = base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Promise.all([rows, total]).then(([items, t]) => ({ items, total: Number(t.n) }));
  },

  dispatch(db: Db, id: string) {
    return dispatchSelect(fromDispatches(db)).where('x.id', '=', id).executeTakeFirst();
  },

  events(db: Db, dispatchId: string) {
    return db
      .selectFrom('dispatch_events as ev')
      .leftJoin('users as u', 'u.id', 'ev.actor_id')
      .select(['ev.id', 'ev.action', 'ev.note', 'ev.at', 'ev.actor_id', 'u.display_name as actor_name'])
      .where('ev.dispatch_id', '=', dispatchId)
      .orderBy('ev.at')
      .orderBy('ev.id')
      .execute();
  },

  /** The item behind a dispatch with what its detail shows. */
  item(db: Db, itemId: string) {
    return db
      .selectFrom('field_items as i')
      .innerJoin('users as w', 'w.id', 'i.worker_id')
      .innerJoin('org_units as o', 'o.id', 'i.org_unit_id')
      .leftJoin('addresses as a', 'a.id', 'i.address_id')
      .leftJoin('field_item_types as t', 't.code', 'i.type_code')
      .leftJoin('field_categories as c', 'c.code', 'i.category_code')
      .selectAll('i')
      .select([
        'w.display_name as worker_name',
        'w.phone as worker_phone',
        'o.name as org_unit_name',
        'a.full_text as address_text',
        't.name as type_name',
        't.form_schema as form_schema',
        'c.name as category_name',
      ])
      .where('i.id', '=', itemId)
      .executeTakeFirst();
  },

  /** Conditional transition: updates only while the status is one of `from`; the row when it did. */
  transition(db: Db, id: string, from: DispatchStatus[], set: Updateable<DispatchTable>) {
    return db
      .updateTable('dispatches')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', from)
      .returning(['id', 'status'])
      .executeTakeFirst();
  },

  async openDispatchesOfItem(db: Db, itemId: string): Promise<number> {
    const r = await db
      .selectFrom('dispatches')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('item_id', '=', itemId)
      .where('status', 'in', ['pending', 'accepted'])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async reopen(db: Db, id: string, dueAt: Date, now: Date) {
    await db
      .updateTable('dispatches')
      .set({ status: 'pending', accept_due_at: dueAt, created_at: now, escalation_level: 0, escalated_at: null, accepted_at: null, accepted_by: null, closed_at: null, closed_by: null, result: null, feedback: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'closed')
      .execute();
  },

  // ---- escalation -----------------------------------------------------------------------------------------------

  /**
   * Claims the escalations due at `now` in ONE statement: a pending dispatch past its accept_due_at reaches level 1,
   * past another accept period (accept_due_at − created_at) level 2. The row lock and the re-checked WHERE make a
   * concurrent claim of the same level find nothing.
   */
  async claimEscalations(db: Db, now: Date, limit = 500) {
    const r = await sql<{ id: string; item_id: string; escalation_level: number; department_id: string | null; rule_id: string | null; org_unit_id: string }>`
      WITH due AS (
        SELECT id, CASE WHEN accept_due_at + (accept_due_at - created_at) <= ${now} THEN 2 ELSE 1 END AS target
          FROM dispatches
         WHERE status = 'pending' AND escalation_level < 2 AND accept_due_at <= ${now}
           AND escalation_level < CASE WHEN accept_due_at + (accept_due_at - created_at) <= ${now} THEN 2 ELSE 1 END
         ORDER BY accept_due_at
         LIMIT ${limit}
      )
      UPDATE dispatches x
         SET escalation_level = due.target, escalated_at = ${now}, updated_at = ${now}
        FROM due
       WHERE x.id = due.id AND x.status = 'pending' AND x.escalation_level < due.target
         AND x.accept_due_at <= ${now}
         AND x.escalation_level < CASE WHEN x.accept_due_at + (x.accept_due_at - x.created_at) <= ${now} THEN 2 ELSE 1 END
      RETURNING x.id, x.item_id, x.escalation_level, x.department_id, x.rule_id, x.org_unit_id`.execute(db);
    return r.rows;
  },

  /** Who is told of an escalation: the owner department's and the escalation department's phones and names. */
  escalationContacts(db: Db, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('dispatches as x')
      .innerJoin('field_items as i', 'i.id', 'x.item_id')
      .innerJoin('org_units as o', 'o.id', 'x.org_unit_id')
      .leftJoin('field_item_types as t', 't.code', 'i.type_code')
      .leftJoin('departments as d', 'd.id', 'x.department_id')
      .leftJoin('routing_rules as r', 'r.id', 'x.rule_id')
      .leftJoin('departments as e', 'e.id', 'r.escalate_to_department_id')
      .select([
        'x.id',
        'x.escalation_level',
        'x.accept_due_at',
        'o.name as org_unit_name',
        'o.contact_phone as unit_phone',
        't.name as type_name',
        'd.name as department_name',
        'd.contact_phone as department_phone',
        'e.name as escalate_name',
        'e.contact_phone as escalate_phone',
      ])
      .where('x.id', 'in', ids)
      .execute();
  },

  // ---- statistics ---------------------------------------------------------------------------------------------

  /** Per owner (department, or the officers), of the dispatches created in [from, to) under `pattern`. */
  async stats(db: Db, pattern: string, from: Date, to: Date, now: Date) {
    const r = await sql<{
      department_id: string | null;
      department_name: string | null;
      received: number;
      accepted: number;
      closed: number;
      rejected: number;
      pending: number;
      overdue: number;
      escalated: number;
      median_accept_hours: number | null;
      median_close_hours: number | null;
    }>`
      SELECT x.department_id, d.name AS department_name,
             count(*)::int AS received,
             count(*) FILTER (WHERE x.accepted_at IS NOT NULL)::int AS accepted,
             count(*) FILTER (WHERE x.status = 'closed')::int AS closed,
             count(*) FILTER (WHERE x.status = 'rejected')::int AS rejected,
             count(*) FILTER (WHERE x.status = 'pending')::int AS pending,
             count(*) FILTER (WHERE x.status = 'pending' AND x.accept_due_at < ${now})::int AS overdue,
             count(*) FILTER (WHERE x.escalation_level > 0)::int AS escalated,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.accepted_at - x.created_at) / 3600)
                FILTER (WHERE x.accepted_at IS NOT NULL))::float8 AS median_accept_hours,
             (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.closed_at - x.created_at) / 3600)
                FILTER (WHERE x.status = 'closed'))::float8 AS median_close_hours
        FROM dispatches x
        JOIN org_units o ON o.id = x.org_unit_id
        LEFT JOIN departments d ON d.id = x.department_id
       WHERE o.path LIKE ${pattern} AND x.created_at >= ${from} AND x.created_at < ${to}
       GROUP BY x.department_id, d.name
       ORDER BY received DESC, d.name NULLS FIRST`.execute(db);
    return r.rows;
  },
};

// ---- dispatch queries ---------------------------------------------------------------------------------------------

export type Box = 'inbox' | 'oversight' | 'all';

export interface DispatchFilter {
  box: Box;
  /** the caller's department (department staff), else null */
  departmentId: string | null;
  /** without a department: whether the caller works the officers' inbox (the jurisdiction's police) */
  officer: boolean;
  scopePath: string;
  status?: DispatchStatus;
  overdue?: boolean;
  now: Date;
}

function fromDispatches(db: Db) {
  return db
    .selectFrom('dispatches as x')
    .innerJoin('org_units as o', 'o.id', 'x.org_unit_id')
    .innerJoin('field_items as i', 'i.id', 'x.item_id')
    .leftJoin('routing_rules as r', 'r.id', 'x.rule_id');
}

function dispatchBase(db: Db, f: DispatchFilter) {
  let q = fromDispatches(db);
  if (f.box === 'inbox') {
    if (f.departmentId) q = q.where('x.department_id', '=', f.departmentId);
    else if (f.officer) q = q.where('x.target_kind', '=', 'officer').where('o.path', 'like', subtreePattern(f.scopePath));
    else q = q.where(sql<boolean>`false`);
  } else if (f.box === 'oversight') {
    q = q.where('x.escalation_level', '>', 0).where('r.escalate_to_department_id', '=', f.departmentId ?? ZERO_UUID);
  } else {
    q = q.where('o.path', 'like', subtreePattern(f.scopePath));
  }
  if (f.status) q = q.where('x.status', '=', f.status);
  if (f.overdue) q = q.where('x.status', '=', 'pending').where('x.accept_due_at', '<', f.now);
  return q;
}

function dispatchSelect(q: ReturnType<typeof fromDispatches>) {
  return q
    .leftJoin('departments as d', 'd.id', 'x.department_id')
    .leftJoin('departments as e', 'e.id', 'r.escalate_to_department_id')
    .leftJoin('field_item_types as t', 't.code', 'i.type_code')
    .leftJoin('addresses as a', 'a.id', 'i.address_id')
    .leftJoin('users as w', 'w.id', 'i.worker_id')
    .leftJoin('users as ua', 'ua.id', 'x.accepted_by')
    .leftJoin('users as uc', 'uc.id', 'x.closed_by')
    .selectAll('x')
    .select([
      'o.path as org_path',
      'o.name as org_unit_name',
      'd.name as department_name',
      'r.name as rule_name',
      'r.escalate_to_department_id as escalate_to_department_id',
      'e.name as escalate_name',
      'i.type_code as item_type_code',
      'i.status as item_status',
      'i.occurred_at as item_occurred_at',
      'i.address_id as item_address_id',
      't.name as item_type_name',
      'a.full_text as address_text',
      'w.display_name as worker_name',
      'ua.display_name as accepted_by_name',
      'uc.display_name as closed_by_name',
    ]);
}

export type DispatchRow = Awaited<ReturnType<(typeof routingRepository)['dispatch']>> & object;
export type { RoutingCondition };
