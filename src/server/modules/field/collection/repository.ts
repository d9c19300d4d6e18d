import { sql, type Insertable, type Kysely, type Selectable, type SqlBool } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { DB, FieldAttachmentTable, FieldChangeKind, FieldChangeStatus, FieldChangeTable, FieldItemStatus, FieldItemTable, FieldItemTypeTable } from '../../../db/schema.js';
import type { FormSchema } from '../../../../shared/forms.js';
import { subtreePattern } from '../../../platform/access/scope.js';
import { likeEscape } from '../../../db/like.js';

type Db = Kysely<DB>;

export type ItemTypeRow = Selectable<FieldItemTypeTable> & { category_name: string };
export type ItemRow = Selectable<FieldItemTable>;
export type ChangeRow = Selectable<FieldChangeTable>;

/** How long an apply may hold a change before another reviewer may take it (its process has stopped). */
export const CLAIM_STALE_SECONDS = 120;
/** field_settings key of an item type's form as it was at a version (kept when an edit changes the form). */
export const schemaHistoryKey = (code: string, version: number) => `item_type_schema:${code}:${version}`;

function itemTypeSelect(db: Db) {
  return db.selectFrom('field_item_types as t').innerJoin('field_categories as c', 'c.code', 't.category_code').selectAll('t').select('c.name as category_name');
}

function itemSelect(db: Db) {
  return db
    .selectFrom('field_items as i')
    .innerJoin('org_units as o', 'o.id', 'i.org_unit_id')
    .innerJoin('users as w', 'w.id', 'i.worker_id')
    .innerJoin('field_item_types as t', 't.code', 'i.type_code')
    .innerJoin('field_categories as c', 'c.code', 'i.category_code')
    .leftJoin('addresses as a', 'a.id', 'i.address_id')
    .leftJoin('users as rb', 'rb.id', 'i.returned_by')
    .selectAll('i')
    .select([
      'o.name as org_unit_name',
      'o.path as org_path',
      'w.display_name as worker_name',
      't.name as type_name',
      'c.name as category_name',
      'a.full_text as address_text',
      'rb.display_name as returned_by_name',
    ]);
}
export type ItemView = Awaited<ReturnType<ReturnType<typeof itemSelect>['executeTakeFirstOrThrow']>>;

function changeSelect(db: Db) {
  return db
    .selectFrom('field_changes as ch')
    .innerJoin('org_units as o', 'o.id', 'ch.org_unit_id')
    .innerJoin('users as w', 'w.id', 'ch.worker_id')
    .innerJoin('addresses as a', 'a.id', 'ch.address_id')
    .leftJoin('users as rv', 'rv.id', 'ch.reviewed_by')
    .selectAll('ch')
    .select(['o.name as org_unit_name', 'o.path as org_path', 'w.display_name as worker_name', 'a.full_text as address_text', 'a.level as address_level', 'rv.display_name as reviewer_name']);
}
export type ChangeView = Awaited<ReturnType<ReturnType<typeof changeSelect>['executeTakeFirstOrThrow']>>;

export interface ItemFilter {
  scopePath: string;
  /** a unit inside the scope: its subtree */
  unitPath?: string;
  category?: string;
  type?: string;
  status?: FieldItemStatus;
  workerId?: string;
  /** received on or after / before (ISO instants) */
  from?: string;
  to?: string;
  q?: string;
}

export interface ChangeFilter {
  scopePath: string;
  unitPath?: string;
  status?: FieldChangeStatus;
  kind?: FieldChangeKind;
  workerId?: string;
}

/** A change claimed by an apply that is still running (not stale). */
const claimed = sql<SqlBool>`(result ? 'claimedAt' AND (result->>'claimedAt')::timestamptz > now() - make_interval(secs => ${CLAIM_STALE_SECONDS}))`;

export const collectionRepository = {
  // ---- catalogue --------------------------------------------------------------------------------------------

  async insertMissingCatalogue(
    db: Db,
    categories: Array<{ code: string; name: string; sort: number }>,
    types: Array<Omit<Insertable<FieldItemTypeTable>, 'id'>>,
  ) {
    await db
      .insertInto('field_categories')
      .values(categories.map((c) => ({ code: c.code, name: c.name, sort: c.sort })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
    if (types.length === 0) return;
    await db
      .insertInto('field_item_types')
      .values(types.map((t) => ({ ...t, id: uuidv7(), builtin: true })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  },

  categories(db: Db) {
    return db
      .selectFrom('field_categories as c')
      .select(['c.code', 'c.name', 'c.sort', 'c.status', sql<number>`(SELECT count(*)::int FROM field_item_types t WHERE t.category_code = c.code)`.as('type_count')])
      .orderBy('c.sort')
      .orderBy('c.code')
      .execute();
  },

  category(db: Db, code: string) {
    return db.selectFrom('field_categories').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async upsertCategory(db: Db, row: { code: string; name: string; sort?: number; status?: 'active' | 'inactive' }) {
    await db
      .insertInto('field_categories')
      .values({ code: row.code, name: row.name, sort: row.sort ?? 0, status: row.status ?? 'active' })
      .onConflict((oc) =>
        oc.column('code').doUpdateSet({
          name: row.name,
          ...(row.sort !== undefined ? { sort: row.sort } : {}),
          ...(row.status !== undefined ? { status: row.status } : {}),
          updated_at: new Date(),
        }),
      )
      .execute();
  },

  itemTypes(db: Db, f: { category?: string; status?: 'active' | 'inactive'; activeCategoriesOnly?: boolean }) {
    let q = itemTypeSelect(db);
    if (f.category) q = q.where('t.category_code', '=', f.category);
    if (f.status) q = q.where('t.status', '=', f.status);
    if (f.activeCategoriesOnly) q = q.where('c.status', '=', 'active');
    return q.orderBy('c.sort').orderBy('t.sort').orderBy('t.code').execute();
  },

  itemTypeById(db: Db, id: string): Promise<ItemTypeRow | undefined> {
    return itemTypeSelect(db).where('t.id', '=', id).executeTakeFirst();
  },

  itemTypeByCode(db: Db, code: string): Promise<ItemTypeRow | undefined> {
    return itemTypeSelect(db).where('t.code', '=', code).executeTakeFirst();
  },

  async insertItemType(db: Db, row: Insertable<FieldItemTypeTable>) {
    await db.insertInto('field_item_types').values(row).execute();
  },

  /** Applies an edit if the type is still at `version`; returns whether it was. */
  async updateItemType(db: Db, id: string, version: number, set: Partial<Omit<Insertable<FieldItemTypeTable>, 'id' | 'code'>>) {
    const r = await db
      .updateTable('field_item_types')
      .set({ ...set, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async saveSchemaVersion(db: Db, code: string, version: number, schema: FormSchema, by: string) {
    await db
      .insertInto('field_settings')
      .values({ key: schemaHistoryKey(code, version), value: JSON.stringify(schema), updated_by: by })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  },

  /**
   * The form in effect at a version: history rows are kept at the last version of each form (when an edit
   * changed it), so it is the row with the smallest version at or after the one asked for; none → the current form.
   */
  async schemaAt(db: Db, code: string, version: number): Promise<FormSchema | undefined> {
    const rows = await db.selectFrom('field_settings').select(['key', 'value']).where('key', 'like', `${likeEscape(`item_type_schema:${code}:`)}%`).execute();
    let best: { v: number; schema: FormSchema } | undefined;
    for (const r of rows) {
      const v = Number(r.key.slice(r.key.lastIndexOf(':') + 1));
      if (Number.isInteger(v) && v >= version && (!best || v < best.v)) best = { v, schema: r.value as FormSchema };
    }
    return best?.schema;
  },

  // ---- attachments ------------------------------------------------------------------------------------------

  /** Inserts an upload unless the id exists; returns the owner of the row under that id. */
  async insertAttachment(db: Db, row: Insertable<FieldAttachmentTable>): Promise<{ created: boolean; workerId: string }> {
    const r = await db.insertInto('field_attachments').values(row).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
    if (r) return { created: true, workerId: row.worker_id };
    const prior = await db.selectFrom('field_attachments').select('worker_id').where('id', '=', row.id).executeTakeFirstOrThrow();
    return { created: false, workerId: prior.worker_id };
  },

  attachmentsMeta(db: Db, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('field_attachments').select(['id', 'worker_id', 'content_type', 'bytes', 'created_at']).where('id', 'in', ids).execute();
  },

  attachment(db: Db, id: string) {
    return db.selectFrom('field_attachments').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Items naming a photo, with their unit paths. */
  itemsUsingPhoto(db: Db, photoId: string) {
    return db
      .selectFrom('field_items as i')
      .innerJoin('org_units as o', 'o.id', 'i.org_unit_id')
      .select(['i.id', 'i.org_unit_id', 'o.path'])
      .where(sql<SqlBool>`i.photo_ids @> ARRAY[${photoId}]::uuid[]`)
      .execute();
  },

  // ---- items ------------------------------------------------------------------------------------------------

  itemByClient(db: Db, workerId: string, clientId: string) {
    return db.selectFrom('field_items').selectAll().where('worker_id', '=', workerId).where('client_id', '=', clientId).executeTakeFirst();
  },

  /** The new item, or undefined when the worker's client id was taken (by a concurrent send of the same op). */
  insertItem(db: Db, row: Insertable<FieldItemTable>): Promise<ItemRow | undefined> {
    return db
      .insertInto('field_items')
      .values(row)
      .onConflict((oc) => oc.columns(['worker_id', 'client_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  /** Counts a verification of an address; a verification that happened earlier than the last one recorded keeps the latter. */
  async recordAddressCheck(db: Db, addressId: string, at: Date, by: string, itemId: string) {
    await db
      .insertInto('field_address_checks')
      .values({ address_id: addressId, last_checked_at: at, last_checked_by: by, last_item_id: itemId, check_count: 1 })
      .onConflict((oc) =>
        oc.column('address_id').doUpdateSet({
          check_count: sql`field_address_checks.check_count + 1`,
          last_checked_by: sql`CASE WHEN excluded.last_checked_at >= field_address_checks.last_checked_at THEN excluded.last_checked_by ELSE field_address_checks.last_checked_by END`,
          last_item_id: sql`CASE WHEN excluded.last_checked_at >= field_address_checks.last_checked_at THEN excluded.last_item_id ELSE field_address_checks.last_item_id END`,
          last_checked_at: sql`GREATEST(excluded.last_checked_at, field_address_checks.last_checked_at)`,
        }),
      )
      .execute();
  },

  /** What became of an item: its status, how many dispatches it has, the tasks it completed. */
  async itemOutcome(db: Db, itemId: string) {
    const [item, d, tasks] = await Promise.all([
      db.selectFrom('field_items').select('status').where('id', '=', itemId).executeTakeFirstOrThrow(),
      db.selectFrom('dispatches').select((eb) => eb.fn.countAll<number>().as('n')).where('item_id', '=', itemId).executeTakeFirstOrThrow(),
      db.selectFrom('tasks').select('id').where('done_item_id', '=', itemId).orderBy('id').execute(),
    ]);
    return { status: item.status, dispatches: Number(d.n), tasksDone: tasks.map((t) => t.id) };
  },

  itemById(db: Db, id: string) {
    return db.selectFrom('field_items').selectAll().where('id', '=', id).executeTakeFirst();
  },

  itemInScope(db: Db, scopePath: string, id: string): Promise<ItemView | undefined> {
    return itemSelect(db).where('i.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  async listItems(db: Db, f: ItemFilter, limit: number, offset: number) {
    let q = itemSelect(db).where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.unitPath) q = q.where('o.path', 'like', subtreePattern(f.unitPath));
    if (f.category) q = q.where('i.category_code', '=', f.category);
    if (f.type) q = q.where('i.type_code', '=', f.type);
    if (f.status) q = q.where('i.status', '=', f.status);
    if (f.workerId) q = q.where('i.worker_id', '=', f.workerId);
    if (f.from) q = q.where('i.occurred_at', '>=', new Date(f.from));
    if (f.to) q = q.where('i.occurred_at', '<', new Date(f.to));
    if (f.q) {
      const like = `%${likeEscape(f.q)}%`;
      q = q.where((eb) => eb.or([eb('a.full_text', 'like', like), eb('t.name', 'like', like), eb('i.note', 'like', like), eb('w.display_name', 'like', like), eb(sql`i.data::text`, 'like', like)]));
    }
    const [rows, count] = await Promise.all([
      q.orderBy('i.received_at', 'desc').orderBy('i.id', 'desc').limit(limit).offset(offset).execute(),
      q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** A worker's own items inside their jurisdiction (a worker moved to another grid no longer sees the old one's). */
  async itemsOfWorker(db: Db, scopePath: string, workerId: string, status: FieldItemStatus | undefined, limit: number, offset: number) {
    let q = itemSelect(db).where('i.worker_id', '=', workerId).where('o.path', 'like', subtreePattern(scopePath));
    if (status) q = q.where('i.status', '=', status);
    const [rows, count] = await Promise.all([
      q.orderBy('i.occurred_at', 'desc').orderBy('i.id', 'desc').limit(limit).offset(offset).execute(),
      q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** 退回: any item not returned yet; returns whether this call returned it. */
  async returnItem(db: Db, id: string, by: string, reason: string) {
    const r = await db
      .updateTable('field_items')
      .set({ status: 'returned', return_reason: reason, returned_by: by, returned_at: new Date() })
      .where('id', '=', id)
      .where('status', '<>', 'returned')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Tasks an item completed (the tasks part owns the table). */
  tasksDoneBy(db: Db, itemIds: string[]) {
    if (itemIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('tasks as k')
      .innerJoin('task_templates as tt', 'tt.id', 'k.template_id')
      .select(['k.id', 'k.title', 'k.period', 'k.due_date', 'k.done_at', 'k.done_item_id', 'tt.name as template_name'])
      .where('k.done_item_id', 'in', itemIds)
      .orderBy('k.due_date')
      .execute();
  },

  taskById(db: Db, id: string) {
    return db
      .selectFrom('tasks as k')
      .innerJoin('org_units as g', 'g.id', 'k.grid_id')
      .select(['k.id', 'k.worker_id', 'k.status', 'k.grid_id', 'g.path as grid_path'])
      .where('k.id', '=', id)
      .executeTakeFirst();
  },

  /** The timelines of dispatches (the routing part owns the table). */
  dispatchEvents(db: Db, dispatchIds: string[]) {
    if (dispatchIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('dispatch_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_id')
      .select(['e.id', 'e.dispatch_id', 'e.action', 'e.note', 'e.at', 'u.display_name as actor_name'])
      .where('e.dispatch_id', 'in', dispatchIds)
      .orderBy('e.at')
      .orderBy('e.id')
      .execute();
  },

  /** Dispatch ids of an item (the summaries come from the routing part). */
  dispatchIdsOfItem(db: Db, itemId: string) {
    return db.selectFrom('dispatches').select('id').where('item_id', '=', itemId).orderBy('created_at').execute();
  },

  // ---- changes ----------------------------------------------------------------------------------------------

  changeByClient(db: Db, workerId: string, clientId: string) {
    return db.selectFrom('field_changes').selectAll().where('worker_id', '=', workerId).where('client_id', '=', clientId).executeTakeFirst();
  },

  insertChange(db: Db, row: Insertable<FieldChangeTable>): Promise<ChangeRow | undefined> {
    return db
      .insertInto('field_changes')
      .values(row)
      .onConflict((oc) => oc.columns(['worker_id', 'client_id']).doNothing())
      .returningAll()
      .executeTakeFirst();
  },

  changeById(db: Db, id: string) {
    return db.selectFrom('field_changes').selectAll().where('id', '=', id).executeTakeFirst();
  },

  changeInScope(db: Db, scopePath: string, id: string): Promise<ChangeView | undefined> {
    return changeSelect(db).where('ch.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  async listChanges(db: Db, f: ChangeFilter, limit: number, offset: number) {
    let q = changeSelect(db).where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.unitPath) q = q.where('o.path', 'like', subtreePattern(f.unitPath));
    if (f.status) q = q.where('ch.status', '=', f.status);
    if (f.kind) q = q.where('ch.kind', '=', f.kind);
    if (f.workerId) q = q.where('ch.worker_id', '=', f.workerId);
    const open = sql`ch.status IN ('pending', 'conflict')`;
    const [rows, count] = await Promise.all([
      q
        .orderBy(sql`CASE WHEN ${open} THEN 0 ELSE 1 END`)
        .orderBy(sql`CASE WHEN ${open} THEN ch.received_at END`, 'asc')
        .orderBy('ch.updated_at', 'desc')
        .orderBy('ch.id')
        .limit(limit)
        .offset(offset)
        .execute(),
      q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async changesOfWorker(db: Db, scopePath: string, workerId: string, status: FieldChangeStatus | undefined, limit: number, offset: number) {
    let q = changeSelect(db).where('ch.worker_id', '=', workerId).where('o.path', 'like', subtreePattern(scopePath));
    if (status) q = q.where('ch.status', '=', status);
    const [rows, count] = await Promise.all([
      q.orderBy('ch.received_at', 'desc').orderBy('ch.id', 'desc').limit(limit).offset(offset).execute(),
      q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** Open changes (pending or conflict) at an address. */
  async openChangesAt(db: Db, addressId: string) {
    const r = await db
      .selectFrom('field_changes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('address_id', '=', addressId)
      .where('status', 'in', ['pending', 'conflict'])
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /**
   * Takes an open change for applying: one statement, so of two reviewers (or a reviewer and the worker's direct
   * apply) one gets it. A claim left by a stopped process expires after CLAIM_STALE_SECONDS.
   */
  async claimChange(db: Db, id: string, by: string): Promise<ChangeRow | undefined> {
    return db
      .updateTable('field_changes')
      .set({ result: sql`jsonb_build_object('claimedBy', ${by}::text, 'claimedAt', now())` as never, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'conflict'])
      .where(sql<SqlBool>`NOT (result IS NOT NULL AND ${claimed})`)
      .returningAll()
      .executeTakeFirst();
  },

  /** Gives a claimed change back (an apply that failed), keeping what it said before. */
  async releaseChange(db: Db, id: string, result: Record<string, unknown> | null) {
    await db
      .updateTable('field_changes')
      .set({ result: result ? JSON.stringify(result) : null, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'conflict'])
      .execute();
  },

  /** Ends a claimed change as applied or as a conflict. */
  async finishChange(
    db: Db,
    id: string,
    set: { status: 'applied' | 'conflict'; result: Record<string, unknown> | null; conflict?: Record<string, unknown> | null; reviewedBy?: string | null; reviewNote?: string | null },
  ) {
    const r = await db
      .updateTable('field_changes')
      .set({
        status: set.status,
        result: set.result ? JSON.stringify(set.result) : null,
        ...(set.conflict !== undefined ? { conflict: set.conflict ? JSON.stringify(set.conflict) : null } : {}),
        ...(set.reviewedBy !== undefined ? { reviewed_by: set.reviewedBy, reviewed_at: set.reviewedBy ? new Date() : null } : {}),
        ...(set.reviewNote !== undefined ? { review_note: set.reviewNote } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'conflict'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** 驳回 an open change that no apply holds; returns whether this call did. */
  async rejectChange(db: Db, id: string, by: string, reason: string) {
    const r = await db
      .updateTable('field_changes')
      .set({ status: 'rejected', reviewed_by: by, reviewed_at: new Date(), review_note: reason, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', ['pending', 'conflict'])
      .where(sql<SqlBool>`NOT (result IS NOT NULL AND ${claimed})`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  // ---- direct-change grants ---------------------------------------------------------------------------------

  grantOf(db: Db, userId: string) {
    return db.selectFrom('field_direct_grants').selectAll().where('user_id', '=', userId).executeTakeFirst();
  },

  async putGrant(db: Db, userId: string, by: string, note: string | null) {
    await db
      .insertInto('field_direct_grants')
      .values({ user_id: userId, granted_by: by, note })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ granted_by: by, granted_at: new Date(), note }))
      .execute();
  },

  async dropGrant(db: Db, userId: string) {
    await db.deleteFrom('field_direct_grants').where('user_id', '=', userId).execute();
  },

  /** Active accounts in the scope holding `field.collect` through a role, with their grant. */
  collectorsInScope(db: Db, scopePath: string, userId?: string) {
    let q = db
      .selectFrom('users as u')
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .leftJoin('field_direct_grants as g', 'g.user_id', 'u.id')
      .leftJoin('users as gb', 'gb.id', 'g.granted_by')
      .select([
        'u.id',
        'u.username',
        'u.display_name',
        'u.phone',
        'u.status',
        'o.id as org_unit_id',
        'o.name as org_unit_name',
        'g.granted_at',
        'g.note as grant_note',
        'gb.display_name as granted_by_name',
        sql<string[]>`(SELECT array_agg(ur.role_code ORDER BY ur.role_code) FROM user_roles ur WHERE ur.user_id = u.id)`.as('roles'),
      ])
      .where('o.path', 'like', subtreePattern(scopePath))
      .where(
        sql<SqlBool>`EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.code = ur.role_code WHERE ur.user_id = u.id AND 'field.collect' = ANY(r.permissions))`,
      );
    if (userId) q = q.where('u.id', '=', userId);
    return q.orderBy('o.path').orderBy('u.display_name').execute();
  },

  // ---- records of addresses (the registry's tables, read) ---------------------------------------------------------

  /** Active grids whose path lies under the scope. */
  gridsInScope(db: Db, scopePath: string) {
    return db
      .selectFrom('org_units')
      .select(['id', 'code', 'name', 'path'])
      .where('kind', '=', 'grid')
      .where('status', '=', 'active')
      .where('path', 'like', subtreePattern(scopePath))
      .orderBy('code')
      .execute();
  },

  async countAddresses(db: Db, gridIds: string[]) {
    if (gridIds.length === 0) return 0;
    const r = await db.selectFrom('addresses').select((eb) => eb.fn.countAll<number>().as('n')).where('grid_id', 'in', gridIds).where('status', '=', 'active').executeTakeFirstOrThrow();
    return Number(r.n);
  },

  packAddresses(db: Db, gridIds: string[]) {
    return db
      .selectFrom('addresses as a')
      .select([
        'a.id',
        'a.code',
        'a.full_text',
        'a.level',
        'a.parent_id',
        'a.grid_id',
        'a.lng',
        'a.lat',
        sql<string[]>`COALESCE((SELECT array_agg(p.token ORDER BY p.issued_at) FROM plates p WHERE p.address_id = a.id AND p.status = 'active'), '{}')`.as('plate_tokens'),
      ])
      .where('a.grid_id', 'in', gridIds)
      .where('a.status', '=', 'active')
      .orderBy('a.code')
      .execute();
  },

  /** Current residents of addresses (of some grids, or one address). */
  currentResidents(db: Db, where: { gridIds: string[] } | { addressId: string }) {
    let q = db
      .selectFrom('residences as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .innerJoin('addresses as a', 'a.id', 'r.address_id')
      .select([
        'r.id as residence_id',
        'r.address_id',
        'r.relation',
        'r.from_date',
        'p.id as person_id',
        'p.updated_at',
        'p.name',
        'p.sex',
        'p.birth_date',
        'p.id_kind',
        'p.region_code',
        'p.id_last4',
        'p.id_legacy',
        'p.person_type',
        'p.phone',
        'p.expected_stay_until',
      ])
      .where('r.to_date', 'is', null);
    q = 'gridIds' in where ? q.where('a.grid_id', 'in', where.gridIds).where('a.status', '=', 'active') : q.where('r.address_id', '=', where.addressId);
    return q.orderBy('r.address_id').orderBy(sql`CASE WHEN r.relation = 'householder' THEN 0 ELSE 1 END`).orderBy('r.from_date').orderBy('p.name').execute();
  },

  housingOf(db: Db, where: { gridIds: string[] } | { addressId: string }) {
    let q = db.selectFrom('housing as h').innerJoin('addresses as a', 'a.id', 'h.address_id').selectAll('h');
    q = 'gridIds' in where ? q.where('a.grid_id', 'in', where.gridIds).where('a.status', '=', 'active') : q.where('h.address_id', '=', where.addressId);
    return q.execute();
  },

  unitsAt(db: Db, where: { gridIds: string[] } | { addressId: string }) {
    let q = db
      .selectFrom('units as u')
      .innerJoin('addresses as a', 'a.id', 'u.address_id')
      .select(['u.id', 'u.address_id', 'u.updated_at', 'u.name', 'u.unit_type', 'u.key_industry', 'u.credit_code', 'u.contact_name', 'u.contact_phone', 'u.status'])
      .where('u.status', '=', 'active');
    q = 'gridIds' in where ? q.where('a.grid_id', 'in', where.gridIds).where('a.status', '=', 'active') : q.where('u.address_id', '=', where.addressId);
    return q.orderBy('u.name').execute();
  },

  checksOf(db: Db, where: { gridIds: string[] } | { addressId: string }) {
    let q = db
      .selectFrom('field_address_checks as c')
      .innerJoin('addresses as a', 'a.id', 'c.address_id')
      .leftJoin('users as u', 'u.id', 'c.last_checked_by')
      .select(['c.address_id', 'c.last_checked_at', 'c.check_count', 'u.display_name as checked_by_name']);
    q = 'gridIds' in where ? q.where('a.grid_id', 'in', where.gridIds) : q.where('c.address_id', '=', where.addressId);
    return q.execute();
  },

  /** A standard address in the scope with its grid. */
  addressInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .select(['a.id', 'a.code', 'a.full_text', 'a.level', 'a.grid_id', 'a.county_code', 'a.lng', 'a.lat', 'a.status', 'g.name as grid_name', 'g.path as grid_path'])
      .where('a.id', '=', id)
      .where('g.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  /** The address of an active plate. */
  async addressOfPlate(db: Db, token: string) {
    const r = await db.selectFrom('plates').select('address_id').where('token', '=', token).where('status', '=', 'active').executeTakeFirst();
    return r?.address_id;
  },

  childAddresses(db: Db, parentId: string, limit: number) {
    return db
      .selectFrom('addresses')
      .select(['id', 'name', 'level', 'full_text'])
      .where('parent_id', '=', parentId)
      .where('status', '=', 'active')
      .orderBy('code')
      .limit(limit)
      .execute();
  },

  /** The org unit row of a user's unit (county code for items without an address). */
  orgUnit(db: Db, id: string) {
    return db.selectFrom('org_units').select(['id', 'path', 'county_code', 'kind', 'name']).where('id', '=', id).executeTakeFirst();
  },

  orgUnitInScope(db: Db, scopePath: string, id: string) {
    return db.selectFrom('org_units').select(['id', 'path', 'county_code', 'kind', 'name']).where('id', '=', id).where('path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  /** A user by id in the scope (the worker filter of the lists). */
  userInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('users as u')
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .select(['u.id', 'u.display_name', 'u.org_unit_id'])
      .where('u.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },
};
