import { sql, type Insertable, type Kysely, type RawBuilder, type Updateable } from 'kysely';
import type { DB, TaskTable, TaskTargetKind, TaskTemplateTable } from '../../../db/schema.js';
import { subtreePattern } from '../../../platform/access/scope.js';

/**
 * SQL of field/tasks: templates, set-based generation, completion, lists, progress and the assessment figures.
 * Reads the registry (addresses, housing, persons, units), the users and the collection part's tables
 * (field_items, field_changes, field_item_types); writes only task_templates, tasks and field_settings.
 */

type Db = Kysely<DB>;

/** A timestamp's calendar day in China Standard Time (no daylight saving since 1991). */
const cstDay = (col: RawBuilder<unknown>) => sql`((${col} AT TIME ZONE 'UTC') + interval '8 hours')::date`;

/** A UUIDv7 made in SQL (millisecond time prefix, random rest), so set-based inserts keep the key order of the platform. */
const UUID7 = sql`(lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || '7'
  || substr(md5(random()::text), 1, 3) || substr('89ab', 1 + floor(random() * 4)::int, 1) || substr(md5(random()::text), 1, 15))::uuid`;

/** Holds `field.collect` through one of its roles. */
const COLLECTS = (userAlias: string) =>
  sql`EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.code = ur.role_code WHERE ur.user_id = ${sql.ref(`${userAlias}.id`)} AND 'field.collect' = ANY (r.permissions))`;

function templateSelect(db: Db) {
  return db
    .selectFrom('task_templates as tt')
    .innerJoin('org_units as o', 'o.id', 'tt.org_unit_id')
    .leftJoin('field_item_types as it', 'it.code', 'tt.item_type_code')
    .selectAll('tt')
    .select(['o.name as org_unit_name', 'o.kind as org_unit_kind', 'o.path as org_path', 'it.name as item_type_name']);
}
export type TemplateRow = Awaited<ReturnType<ReturnType<typeof templateSelect>['executeTakeFirstOrThrow']>>;

function taskSelect(db: Db) {
  return db
    .selectFrom('tasks as t')
    .innerJoin('task_templates as tt', 'tt.id', 't.template_id')
    .innerJoin('org_units as g', 'g.id', 't.grid_id')
    .leftJoin('field_item_types as it', 'it.code', 'tt.item_type_code')
    .leftJoin('users as u', 'u.id', 't.worker_id')
    .leftJoin('addresses as a', 'a.id', 't.address_id')
    .selectAll('t')
    .select([
      'tt.name as template_name',
      'tt.item_type_code',
      'tt.recurrence',
      'it.name as item_type_name',
      'g.name as grid_name',
      'u.display_name as worker_name',
      'a.full_text as address_text',
    ]);
}
export type TaskRow = Awaited<ReturnType<ReturnType<typeof taskSelect>['executeTakeFirstOrThrow']>>;

export interface TaskFilter {
  scopePath: string;
  /** periods the task's own period must be one of (a period and those overlapping it) */
  periods?: string[];
  workerId?: string;
  status?: 'open' | 'done' | 'overdue';
  /** the worker's own list: assigned to this worker, or unassigned in the scope */
  mineOf?: string;
  today: string;
}

export interface ProgressAgg {
  id: string | null;
  name: string | null;
  total: number;
  done: number;
  done_on_time: number;
  open: number;
  overdue: number;
}

export interface GenerateResult {
  targets: number;
  created: number;
  cancelled: number;
  unassigned: number;
  /** workers given tasks in this run (new, or unassigned ones now assigned): worker id → count */
  perWorker: Array<{ w: string; n: number }>;
}

export interface FigureRow {
  worker_id: string;
  name: string;
  username: string;
  org_unit_id: string;
  org_unit_name: string;
  tasks_due: number;
  tasks_on_time: number;
  items: number;
  timely_items: number;
  changes: number;
  timely_changes: number;
  verified: number;
  returned_items: number;
  rejected_changes: number;
}

/** The targets of one template as rows (grid_id, target_id, address_id, title), per target kind (docs/api-field.md). */
function targetsSql(kind: TaskTargetKind, today: string) {
  switch (kind) {
    case 'rental':
      return sql`SELECT a.grid_id, a.id AS target_id, a.id AS address_id, tpl.name AS title
        FROM housing h JOIN addresses a ON a.id = h.address_id JOIN grids g ON g.id = a.grid_id CROSS JOIN tpl
        WHERE h.use = 'rent' AND a.status = 'active'`;
    case 'floating_overdue':
      return sql`SELECT DISTINCT ON (p.id) a.grid_id, p.id AS target_id, a.id AS address_id,
          tpl.name || '：' || left(p.name, 1) || repeat('*', greatest(char_length(p.name) - 1, 1)) AS title
        FROM persons p JOIN residences r ON r.person_id = p.id AND r.to_date IS NULL
        JOIN addresses a ON a.id = r.address_id JOIN grids g ON g.id = a.grid_id CROSS JOIN tpl
        WHERE p.person_type = 'floating' AND p.expected_stay_until < ${today}::date
        ORDER BY p.id, r.from_date DESC, r.id`;
    case 'key_unit':
      return sql`SELECT u.org_unit_id AS grid_id, u.id AS target_id, u.address_id, tpl.name || '：' || u.name AS title
        FROM units u JOIN grids g ON g.id = u.org_unit_id CROSS JOIN tpl
        WHERE u.status = 'active' AND u.key_industry IS NOT NULL`;
    case 'patrol_point':
      return sql`SELECT DISTINCT a.grid_id, a.id AS target_id, a.id AS address_id, tpl.name AS title
        FROM tpl CROSS JOIN LATERAL unnest(tpl.point_ids) AS pt(id) JOIN addresses a ON a.id = pt.id JOIN grids g ON g.id = a.grid_id
        WHERE a.status = 'active'`;
    case 'address':
      return sql`SELECT a.grid_id, a.id AS target_id, a.id AS address_id, tpl.name AS title
        FROM addresses a JOIN grids g ON g.id = a.grid_id CROSS JOIN tpl
        WHERE a.level IN ('door', 'building') AND a.status = 'active'`;
  }
}

export const tasksRepository = {
  // ---- templates ---------------------------------------------------------------------------------------------

  templateById(db: Db, id: string) {
    return templateSelect(db).where('tt.id', '=', id).executeTakeFirst();
  },

  /** A template whose unit lies in the scope (what the caller may change). */
  templateInScope(db: Db, scopePath: string, id: string) {
    return templateSelect(db).where('tt.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  /** Templates that reach into the scope: set in it, or above it (a station's template covers its communities' grids). */
  templatesReaching(db: Db, scopePath: string) {
    return templateSelect(db)
      .where((eb) => eb.or([eb('o.path', 'like', subtreePattern(scopePath)), eb(sql.val(scopePath), 'like', sql<string>`o.path || '%'`)]))
      .orderBy('o.path')
      .orderBy('tt.name')
      .orderBy('tt.id')
      .execute();
  },

  activeTemplates(db: Db) {
    return db.selectFrom('task_templates').select(['id', 'recurrence']).where('status', '=', 'active').orderBy('id').execute();
  },

  async insertTemplate(db: Db, row: Insertable<TaskTemplateTable>) {
    await db.insertInto('task_templates').values(row).execute();
  },

  async updateTemplate(db: Db, id: string, patch: Updateable<TaskTemplateTable>) {
    await db
      .updateTable('task_templates')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  },

  /** Task counts of templates for given periods, only tasks of grids inside the scope. */
  async templateCounts(db: Db, scopePath: string, templateIds: string[], periods: string[], today: string) {
    if (!templateIds.length) return [];
    const r = await sql<{ template_id: string; period: string; total: number; done: number; open: number; overdue: number; unassigned: number }>`
      SELECT t.template_id, t.period,
        count(*)::int AS total,
        count(*) FILTER (WHERE t.status = 'done')::int AS done,
        count(*) FILTER (WHERE t.status = 'open')::int AS open,
        count(*) FILTER (WHERE t.status = 'open' AND t.due_date < ${today}::date)::int AS overdue,
        count(*) FILTER (WHERE t.status = 'open' AND t.worker_id IS NULL)::int AS unassigned
      FROM tasks t JOIN org_units g ON g.id = t.grid_id
      WHERE t.template_id = ANY (${templateIds}::uuid[]) AND t.period = ANY (${periods}::text[]) AND t.status <> 'cancelled'
        AND g.path LIKE ${subtreePattern(scopePath)}
      GROUP BY t.template_id, t.period`.execute(db);
    return r.rows;
  },

  /** Active addresses among some ids, with the path of their grid (patrol points). */
  pointAddresses(db: Db, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .select(['a.id', 'a.full_text', 'a.status', 'g.path as grid_path'])
      .where('a.id', 'in', ids)
      .execute();
  },

  itemType(db: Db, code: string) {
    return db.selectFrom('field_item_types').select(['code', 'name', 'status']).where('code', '=', code).executeTakeFirst();
  },

  // ---- generation --------------------------------------------------------------------------------------------

  /**
   * One template's tasks for one period, in one statement: every qualifying target gets a task (unique
   * (template, period, target): a target that has one already is left alone, so a run interrupted half-way is
   * completed by running it again), assigned round-robin by target id among the grid's workers (active users
   * holding field.collect whose unit is the grid) or left unassigned; open tasks without a worker get one when
   * the grid has gained workers; with `cancel`, open tasks whose target no longer qualifies are cancelled.
   */
  async generate(db: Db, a: { templateId: string; kind: TaskTargetKind; period: string; due: string; today: string; cancel: boolean }): Promise<GenerateResult> {
    const r = await sql<{ targets: number; created: number; cancelled: number; per_worker: Array<{ w: string; n: number }> }>`
      WITH tpl AS (
        SELECT t.id, t.name, t.target_kind, t.point_ids, u.path
        FROM task_templates t JOIN org_units u ON u.id = t.org_unit_id WHERE t.id = ${a.templateId}
      ),
      grids AS (
        SELECT g.id, g.county_code FROM org_units g CROSS JOIN tpl
        WHERE g.kind = 'grid' AND g.status = 'active' AND g.path LIKE tpl.path || '%'
      ),
      targets AS (${targetsSql(a.kind, a.today)}),
      workers AS (
        SELECT u.id, u.org_unit_id AS grid_id,
          row_number() OVER (PARTITION BY u.org_unit_id ORDER BY u.id) - 1 AS rn,
          count(*) OVER (PARTITION BY u.org_unit_id) AS n
        FROM users u JOIN grids g ON g.id = u.org_unit_id
        WHERE u.status = 'active' AND ${COLLECTS('u')}
      ),
      numbered AS (
        SELECT tg.grid_id, tg.target_id, tg.address_id, tg.title,
          row_number() OVER (PARTITION BY tg.grid_id ORDER BY tg.target_id) - 1 AS k
        FROM targets tg
      ),
      ins AS (
        INSERT INTO tasks (id, template_id, period, grid_id, county_code, worker_id, target_kind, target_id, address_id, title, due_date)
        SELECT ${UUID7}, tpl.id, ${a.period}, n.grid_id, g.county_code, w.id, tpl.target_kind, n.target_id, n.address_id, n.title, ${a.due}::date
        FROM numbered n JOIN grids g ON g.id = n.grid_id CROSS JOIN tpl
        LEFT JOIN workers w ON w.grid_id = n.grid_id AND w.rn = n.k % w.n
        ORDER BY n.grid_id, n.k
        ON CONFLICT (template_id, period, target_id) DO NOTHING
        RETURNING worker_id
      ),
      -- open tasks still without a worker in a grid that has workers now (rare: a worker joined), read once
      -- through the (template, period) prefix of the unique index, so the update below never scans the tasks
      -- table per target (a plan that grows with the table)
      pending AS MATERIALIZED (
        SELECT t.id, t.target_id FROM tasks t
        WHERE t.template_id = ${a.templateId} AND t.period = ${a.period} AND t.status = 'open' AND t.worker_id IS NULL
          AND t.grid_id IN (SELECT grid_id FROM workers)
      ),
      assigned AS (
        UPDATE tasks t SET worker_id = w.id
        FROM pending p JOIN numbered n ON n.target_id = p.target_id JOIN workers w ON w.grid_id = n.grid_id AND w.rn = n.k % w.n
        WHERE t.id = p.id
        RETURNING t.worker_id
      ),
      cancelled AS (
        UPDATE tasks t SET status = 'cancelled'
        WHERE ${a.cancel} AND t.template_id = ${a.templateId} AND t.period = ${a.period} AND t.status = 'open'
          AND NOT EXISTS (SELECT 1 FROM targets tg WHERE tg.target_id = t.target_id)
        RETURNING t.id
      )
      SELECT
        (SELECT count(*) FROM targets)::int AS targets,
        (SELECT count(*) FROM ins)::int AS created,
        (SELECT count(*) FROM cancelled)::int AS cancelled,
        (SELECT coalesce(json_agg(json_build_object('w', x.worker_id, 'n', x.n) ORDER BY x.worker_id), '[]'::json)
           FROM (SELECT worker_id, count(*)::int AS n FROM (SELECT worker_id FROM ins UNION ALL SELECT worker_id FROM assigned) y
                 WHERE worker_id IS NOT NULL GROUP BY worker_id) x) AS per_worker`.execute(db);
    const row = r.rows[0];
    const un = await db
      .selectFrom('tasks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('template_id', '=', a.templateId)
      .where('period', '=', a.period)
      .where('status', '=', 'open')
      .where('worker_id', 'is', null)
      .executeTakeFirstOrThrow();
    const perWorker = typeof row.per_worker === 'string' ? (JSON.parse(row.per_worker) as GenerateResult['perWorker']) : row.per_worker;
    return { targets: Number(row.targets), created: Number(row.created), cancelled: Number(row.cancelled), unassigned: Number(un.n), perWorker };
  },

  phonesOf(db: Db, userIds: string[]) {
    if (!userIds.length) return Promise.resolve([]);
    return db.selectFrom('users').select(['id', 'phone', 'display_name']).where('id', 'in', userIds).where('status', '=', 'active').execute();
  },

  // ---- completion --------------------------------------------------------------------------------------------

  /** Marks done the open task an item names, when it is of the item's type and in its worker's grid scope. */
  async completeNamed(db: Db, item: { id: string; task_id: string; type_code: string; worker_id: string; occurred_at: Date }): Promise<string[]> {
    const r = await sql<{ id: string }>`
      UPDATE tasks t SET status = 'done', done_at = ${item.occurred_at}, done_item_id = ${item.id}, worker_id = coalesce(t.worker_id, ${item.worker_id}::uuid)
      FROM task_templates tt, org_units g, users u, org_units wu
      WHERE t.id = ${item.task_id} AND t.status = 'open' AND tt.id = t.template_id AND tt.item_type_code = ${item.type_code}
        AND g.id = t.grid_id AND u.id = ${item.worker_id} AND wu.id = u.org_unit_id AND g.path LIKE wu.path || '%'
      RETURNING t.id`.execute(db);
    return r.rows.map((x) => x.id);
  },

  /** Marks done every open task of the item's type at its address whose period is one of `periods`. */
  async completeAtAddress(db: Db, item: { id: string; address_id: string; type_code: string; worker_id: string; occurred_at: Date }, periods: string[]): Promise<string[]> {
    const r = await sql<{ id: string }>`
      UPDATE tasks t SET status = 'done', done_at = ${item.occurred_at}, done_item_id = ${item.id}, worker_id = coalesce(t.worker_id, ${item.worker_id}::uuid)
      FROM task_templates tt
      WHERE t.address_id = ${item.address_id} AND t.status = 'open' AND t.period = ANY (${periods}::text[])
        AND tt.id = t.template_id AND tt.item_type_code = ${item.type_code}
      RETURNING t.id`.execute(db);
    return r.rows.map((x) => x.id);
  },

  openTasksAt(db: Db, addressId: string) {
    return db
      .selectFrom('tasks as t')
      .innerJoin('task_templates as tt', 'tt.id', 't.template_id')
      .select(['t.id', 't.title', 't.due_date', 'tt.item_type_code'])
      .where('t.address_id', '=', addressId)
      .where('t.status', '=', 'open')
      .orderBy('t.due_date')
      .orderBy('t.id')
      .execute();
  },

  // ---- lists and progress ------------------------------------------------------------------------------------

  taskBase(db: Db, f: TaskFilter) {
    let q = taskSelect(db).where('t.status', '<>', 'cancelled');
    if (f.mineOf) {
      const me = f.mineOf;
      q = q.where((eb) => eb.or([eb('t.worker_id', '=', me), eb.and([eb('t.worker_id', 'is', null), eb('g.path', 'like', subtreePattern(f.scopePath))])]));
    } else q = q.where('g.path', 'like', subtreePattern(f.scopePath));
    if (f.periods) q = q.where('t.period', 'in', f.periods);
    if (f.workerId) q = q.where('t.worker_id', '=', f.workerId);
    if (f.status === 'open') q = q.where('t.status', '=', 'open');
    if (f.status === 'done') q = q.where('t.status', '=', 'done');
    if (f.status === 'overdue') q = q.where('t.status', '=', 'open').where('t.due_date', '<', f.today);
    return q;
  },

  async taskPage(db: Db, f: TaskFilter, limit: number, offset: number) {
    const base = this.taskBase(db, f);
    const [rows, count] = await Promise.all([
      base
        .orderBy(sql`t.status = 'open'`, 'desc')
        .orderBy('t.due_date')
        .orderBy('t.done_at', 'desc')
        .orderBy('g.path')
        .orderBy('t.title')
        .orderBy('t.id')
        .limit(limit)
        .offset(offset)
        .execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async progress(db: Db, a: { scopePath: string; periods: string[]; today: string; level: 'community' | 'grid' | 'worker' }): Promise<ProgressAgg[]> {
    const key =
      a.level === 'grid'
        ? { join: sql``, id: sql`g.id`, name: sql`g.name`, order: sql`min(g.path)` }
        : a.level === 'community'
          ? { join: sql`LEFT JOIN org_units c ON c.id = g.parent_id`, id: sql`c.id`, name: sql`c.name`, order: sql`min(c.path)` }
          : { join: sql`LEFT JOIN users u ON u.id = t.worker_id`, id: sql`u.id`, name: sql`u.display_name`, order: sql`min(g.path), u.display_name` };
    const r = await sql<ProgressAgg>`
      SELECT ${key.id} AS id, ${key.name} AS name,
        count(*)::int AS total,
        count(*) FILTER (WHERE t.status = 'done')::int AS done,
        count(*) FILTER (WHERE t.status = 'done' AND ${cstDay(sql`t.done_at`)} <= t.due_date)::int AS done_on_time,
        count(*) FILTER (WHERE t.status = 'open')::int AS open,
        count(*) FILTER (WHERE t.status = 'open' AND t.due_date < ${a.today}::date)::int AS overdue
      FROM tasks t JOIN org_units g ON g.id = t.grid_id ${key.join}
      WHERE g.path LIKE ${subtreePattern(a.scopePath)} AND t.status <> 'cancelled' AND t.period = ANY (${a.periods}::text[])
      GROUP BY 1, 2
      ORDER BY ${key.order}, 1`.execute(db);
    return r.rows;
  },

  // ---- assessment --------------------------------------------------------------------------------------------

  /**
   * The monthly figures of the workers in a scope (active users holding field.collect), computed from the data:
   * tasks due in the month, items and changes by their occurredAt, returns and rejections by when they happened.
   */
  async figures(db: Db, a: { scopePath: string; workerId?: string; start: string; end: string; today: string; from: Date; to: Date }): Promise<FigureRow[]> {
    const only = a.workerId ? sql`AND u.id = ${a.workerId}` : sql``;
    const r = await sql<FigureRow>`
      WITH w AS (
        SELECT u.id, u.display_name, u.username, u.org_unit_id, o.name AS org_unit_name
        FROM users u JOIN org_units o ON o.id = u.org_unit_id
        WHERE o.path LIKE ${subtreePattern(a.scopePath)} AND u.status = 'active' AND ${COLLECTS('u')} ${only}
      )
      SELECT w.id AS worker_id, w.display_name AS name, w.username, w.org_unit_id, w.org_unit_name,
        coalesce(t.due, 0)::int AS tasks_due, coalesce(t.on_time, 0)::int AS tasks_on_time,
        coalesce(i.items, 0)::int AS items, coalesce(i.timely, 0)::int AS timely_items, coalesce(i.verified, 0)::int AS verified,
        coalesce(c.changes, 0)::int AS changes, coalesce(c.timely, 0)::int AS timely_changes,
        coalesce(ri.n, 0)::int AS returned_items, coalesce(rc.n, 0)::int AS rejected_changes
      FROM w
      LEFT JOIN LATERAL (
        SELECT count(*) AS due,
          count(*) FILTER (WHERE x.status = 'done' AND ${cstDay(sql`x.done_at`)} <= x.due_date) AS on_time
        FROM tasks x WHERE x.worker_id = w.id AND x.status <> 'cancelled' AND x.due_date BETWEEN ${a.start}::date AND ${a.end}::date
          -- in the month under way, a task counts once it is due or done (one not yet due cannot be late)
          AND (x.due_date <= ${a.today}::date OR x.status = 'done')
      ) t ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS items,
          count(*) FILTER (WHERE x.received_at <= x.occurred_at + interval '24 hours') AS timely,
          count(DISTINCT x.address_id) FILTER (WHERE x.type_code = 'address_verify') AS verified
        FROM field_items x WHERE x.worker_id = w.id AND x.occurred_at >= ${a.from} AND x.occurred_at < ${a.to}
      ) i ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS changes, count(*) FILTER (WHERE x.received_at <= x.occurred_at + interval '24 hours') AS timely
        FROM field_changes x WHERE x.worker_id = w.id AND x.occurred_at >= ${a.from} AND x.occurred_at < ${a.to}
      ) c ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM field_items x WHERE x.worker_id = w.id AND x.returned_at >= ${a.from} AND x.returned_at < ${a.to}
      ) ri ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM field_changes x
        WHERE x.worker_id = w.id AND x.status = 'rejected' AND x.reviewed_at >= ${a.from} AND x.reviewed_at < ${a.to}
      ) rc ON true
      ORDER BY w.id`.execute(db);
    return r.rows;
  },

  // ---- settings ----------------------------------------------------------------------------------------------

  async setting(db: Db, key: string): Promise<unknown> {
    const r = await db.selectFrom('field_settings').select('value').where('key', '=', key).executeTakeFirst();
    return r?.value;
  },

  async putSetting(db: Db, key: string, value: unknown, by: string | null) {
    const json = JSON.stringify(value);
    await db
      .insertInto('field_settings')
      .values({ key, value: json, updated_by: by, updated_at: new Date() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: json, updated_by: by, updated_at: new Date() }))
      .execute();
  },
};

export type NewTask = Insertable<TaskTable>;
