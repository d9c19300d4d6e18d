import { sql, type Kysely, type Selectable } from 'kysely';
import type { AddressTable, DB, PlateTable } from '../../db/schema.js';
import type { Level } from './rules.js';
import { likeEscape } from '../../db/like.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;
export type AddressRow = Selectable<AddressTable>;
export type PlateRow = Selectable<PlateTable>;

const like = likeEscape;
const inScope = subtreePattern;

/** Lock namespace for serial allocation (pg_advisory_xact_lock(int, int)); the audit chain uses a one-key lock. */
const SERIAL_LOCK_NS = 7310;

export interface GridRow {
  id: string;
  code: string;
  county_code: string | null;
  path: string;
  status: 'active' | 'inactive';
  community_id: string | null;
  community_name: string | null;
  community_phone: string | null;
}

export interface AddressFilter {
  scopePath: string;
  gridId?: string;
  parentId?: string;
  level?: Level;
  status?: 'active' | 'inactive';
  /** Search key (see `searchKey`) matched anywhere in `search_text`. */
  q?: string;
  /** A code prefix (digits only). */
  codePrefix?: string;
}

export interface GridFilter {
  scopePath: string;
  q?: string;
  status?: 'active' | 'inactive';
}

export const addressesRepository = {
  // -- grids --------------------------------------------------------------------------------------

  /** A grid inside the scope with its community (the parent org unit), or undefined. */
  gridInScope(db: Db, scopePath: string, gridId: string): Promise<GridRow | undefined> {
    return db
      .selectFrom('org_units as g')
      .leftJoin('org_units as c', 'c.id', 'g.parent_id')
      .select(['g.id', 'g.code', 'g.county_code', 'g.path', 'g.status', 'c.id as community_id', 'c.name as community_name', 'c.contact_phone as community_phone'])
      .where('g.id', '=', gridId)
      .where('g.kind', '=', 'grid')
      .where('g.path', 'like', inScope(scopePath))
      .executeTakeFirst();
  },

  /** A grid by id, without scope (the public scan and text recomputation of a record already found in scope). */
  grid(db: Db, gridId: string): Promise<GridRow | undefined> {
    return this.gridInScope(db, '/', gridId);
  },

  /** Every grid in the scope with its community name (for free-text prefix stripping). */
  gridsInScope(db: Db, scopePath: string) {
    return db
      .selectFrom('org_units as g')
      .leftJoin('org_units as c', 'c.id', 'g.parent_id')
      .select(['g.id', 'g.code', 'g.county_code', 'c.name as community_name'])
      .where('g.kind', '=', 'grid')
      .where('g.path', 'like', inScope(scopePath))
      .orderBy('g.code')
      .execute();
  },

  /**
   * A page of the grids in the scope (org units of kind `grid`) with their community, by code; `q` matches a
   * part of the name or a code prefix.
   */
  async gridPage(db: Db, f: GridFilter, limit: number, offset: number) {
    let base = db.selectFrom('org_units as g').leftJoin('org_units as c', 'c.id', 'g.parent_id').where('g.kind', '=', 'grid').where('g.path', 'like', inScope(f.scopePath));
    if (f.q) {
      const q = f.q;
      base = base.where((eb) => eb.or([eb('g.name', 'ilike', `%${like(q)}%`), eb('g.code', 'like', `${like(q)}%`)]));
    }
    if (f.status) base = base.where('g.status', '=', f.status);
    const [rows, count] = await Promise.all([
      base
        .select(['g.id', 'g.code', 'g.name', 'g.status', 'c.id as community_id', 'c.name as community_name'])
        .orderBy('g.code')
        .limit(limit)
        .offset(offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  // -- addresses ----------------------------------------------------------------------------------

  /** An address whose grid lies inside the scope, or undefined (outside looks the same as missing). */
  inScope(db: Db, scopePath: string, id: string): Promise<AddressRow | undefined> {
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .selectAll('a')
      .where('a.id', '=', id)
      .where('g.path', 'like', inScope(scopePath))
      .executeTakeFirst();
  },

  byId(db: Db, id: string): Promise<AddressRow | undefined> {
    return db.selectFrom('addresses').selectAll().where('id', '=', id).executeTakeFirst();
  },

  manyInScope(db: Db, scopePath: string, ids: string[]): Promise<AddressRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .selectAll('a')
      .where('a.id', 'in', ids)
      .where('g.path', 'like', inScope(scopePath))
      .execute();
  },

  /** Id, level and name of the given addresses (ancestors of a record already found in scope). */
  elements(db: Db, ids: string[]) {
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('addresses').select(['id', 'parent_id', 'level', 'name', 'code', 'status']).where('id', 'in', ids).execute();
  },

  /** Names of the siblings of one level: children of `parentId`, or top-level elements of the grid. */
  siblingNames(db: Db, parentId: string | null, gridId: string, level: Level) {
    let q = db.selectFrom('addresses').select(['id', 'name']).where('level', '=', level);
    q = parentId ? q.where('parent_id', '=', parentId) : q.where('parent_id', 'is', null).where('grid_id', '=', gridId);
    return q.execute();
  },

  /** Serialises code allocation below one parent (or one street) until the transaction ends. */
  async lockSerials(trx: Db, key: string): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${SERIAL_LOCK_NS}, hashtext(${key}))`.execute(trx);
  },

  /** Locks the given addresses for the rest of the transaction, coarse to fine (one order for everyone: no deadlocks). */
  lockForUpdate(trx: Db, ids: string[]) {
    return trx.selectFrom('addresses').select(['id', 'name', 'full_text', 'search_text', 'status']).where('id', 'in', ids).orderBy('path').forUpdate().execute();
  },

  /** Keeps an address from being renamed or deactivated until the transaction ends, and reads it as committed. */
  lockForShare(trx: Db, id: string) {
    return trx.selectFrom('addresses').select(['id', 'full_text', 'status']).where('id', '=', id).forShare().executeTakeFirstOrThrow();
  },

  async maxChildCode(trx: Db, parentId: string): Promise<string | undefined> {
    const r = await trx.selectFrom('addresses').select((eb) => eb.fn.max('code').as('code')).where('parent_id', '=', parentId).executeTakeFirst();
    return r?.code ?? undefined;
  },

  /** The highest top-level code of a street: every grid whose code starts with the street code. */
  async maxTopCode(trx: Db, streetCode: string): Promise<string | undefined> {
    const r = await trx
      .selectFrom('addresses')
      .select((eb) => eb.fn.max('code').as('code'))
      .where('parent_id', 'is', null)
      .where('grid_id', 'in', (eb) => eb.selectFrom('org_units').select('id').where('kind', '=', 'grid').where('code', 'like', `${like(streetCode)}%`))
      .where('code', 'like', `${like(streetCode)}%`)
      .executeTakeFirst();
    return r?.code ?? undefined;
  },

  async insert(trx: Db, row: Omit<AddressRow, 'created_at' | 'updated_at'>): Promise<void> {
    await trx.insertInto('addresses').values(row).execute();
  },

  async update(trx: Db, id: string, patch: Partial<Pick<AddressRow, 'name' | 'lng' | 'lat' | 'status' | 'full_text' | 'search_text'>>): Promise<void> {
    await trx.updateTable('addresses').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
  },

  /**
   * After a rename: every descendant's full text and search key start with the renamed element's, so
   * both are rewritten by replacing that prefix, in one statement.
   */
  async rewriteDescendantTexts(trx: Db, node: { path: string; oldFull: string; newFull: string; oldSearch: string; newSearch: string }): Promise<number> {
    const r = await trx
      .updateTable('addresses')
      .set({
        full_text: sql<string>`${node.newFull} || substr(full_text, char_length(${node.oldFull}) + 1)`,
        search_text: sql<string>`${node.newSearch} || substr(search_text, char_length(${node.oldSearch}) + 1)`,
        updated_at: new Date(),
      })
      .where('path', 'like', `${like(node.path)}_%`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  childCounts(db: Db, id: string) {
    return db
      .selectFrom('addresses')
      .select(['level', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('parent_id', '=', id)
      .groupBy(['level', 'status'])
      .execute();
  },

  activeChildren(db: Db, id: string, limit = 3) {
    return db.selectFrom('addresses').select(['id', 'name']).where('parent_id', '=', id).where('status', '=', 'active').orderBy('code').limit(limit).execute();
  },

  base(db: Db, f: AddressFilter) {
    let q = db.selectFrom('addresses as a').innerJoin('org_units as g', 'g.id', 'a.grid_id').where('g.path', 'like', inScope(f.scopePath));
    if (f.gridId) q = q.where('a.grid_id', '=', f.gridId);
    if (f.parentId) q = q.where('a.parent_id', '=', f.parentId);
    if (f.level) q = q.where('a.level', '=', f.level);
    if (f.status) q = q.where('a.status', '=', f.status);
    if (f.q) q = q.where('a.search_text', 'like', `%${like(f.q)}%`);
    if (f.codePrefix) q = q.where('a.code', 'like', `${like(f.codePrefix)}%`);
    return q;
  },

  async page(db: Db, f: AddressFilter, limit: number, offset: number) {
    const [rows, count] = await Promise.all([
      this.base(db, f)
        .selectAll('a')
        .select((eb) => eb.selectFrom('addresses as c').select((e) => e.fn.countAll<number>().as('n')).whereRef('c.parent_id', '=', 'a.id').as('child_count'))
        .orderBy('a.code')
        .limit(limit)
        .offset(offset)
        .execute(),
      this.base(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  async count(db: Db, f: AddressFilter): Promise<number> {
    const r = await this.base(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /**
   * One batch of an export: the rows after `afterCode` in code order. Keyset paging on the unique code (its
   * index serves both the order and the `>`), so batch n costs the same as batch 1 at a million rows.
   */
  exportBatch(db: Db, f: AddressFilter, afterCode: string | undefined, limit: number) {
    let q = this.base(db, f)
      .leftJoin('org_units as c', 'c.id', 'g.parent_id')
      .select(['a.code', 'a.full_text', 'a.level', 'a.name', 'a.lng', 'a.lat', 'a.status', 'a.updated_at', 'g.name as grid_name', 'c.name as community_name']);
    if (afterCode !== undefined) q = q.where('a.code', '>', afterCode);
    return q.orderBy('a.code').limit(limit).execute();
  },

  async insertHistory(trx: Db, row: { id: string; address_id: string; status: 'active' | 'inactive'; reason: string | null; changed_by: string | null }): Promise<void> {
    await trx.insertInto('address_status_history').values(row).execute();
  },

  history(db: Db, addressId: string) {
    return db
      .selectFrom('address_status_history as h')
      .leftJoin('users as u', 'u.id', 'h.changed_by')
      .select(['h.id', 'h.status', 'h.reason', 'h.changed_by', 'u.display_name as changed_by_name', 'h.changed_at'])
      .where('h.address_id', '=', addressId)
      .orderBy('h.changed_at')
      .orderBy('h.id')
      .execute();
  },

  /**
   * Free-text candidates: active addresses in scope whose search key contains the query with a trigram
   * word similarity ≥ `threshold` (the GIN trigram index serves `<%`). Exact hits on the finest element
   * come first so that a large compound cannot push the right room out of the candidate set.
   */
  async matchCandidates(trx: Db, scopePath: string, q: string, threshold: number, finest: { level: Level; names: string[] } | undefined, limit: number) {
    await sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(threshold)}, true)`.execute(trx);
    let query = trx
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .selectAll('a')
      .select([sql<number>`word_similarity(${q}, a.search_text)`.as('t'), sql<number>`similarity(${q}, a.search_text)`.as('s')])
      .where('g.path', 'like', inScope(scopePath))
      .where('a.status', '=', 'active')
      .where(sql<boolean>`${q} <% a.search_text`);
    if (finest) query = query.orderBy(sql`(a.level = ${finest.level} AND a.name IN (${sql.join(finest.names)}))`, 'desc');
    return query
      .orderBy('t', 'desc')
      .orderBy('s', 'desc')
      .orderBy('a.code')
      .limit(limit)
      .execute();
  },

  // -- plates -------------------------------------------------------------------------------------

  activePlate(db: Db, addressId: string): Promise<PlateRow | undefined> {
    return db.selectFrom('plates').selectAll().where('address_id', '=', addressId).where('status', '=', 'active').executeTakeFirst();
  },

  activePlates(db: Db, addressIds: string[]): Promise<PlateRow[]> {
    if (!addressIds.length) return Promise.resolve([]);
    return db.selectFrom('plates').selectAll().where('address_id', 'in', addressIds).where('status', '=', 'active').execute();
  },

  plates(db: Db, addressId: string): Promise<PlateRow[]> {
    return db.selectFrom('plates').selectAll().where('address_id', '=', addressId).orderBy('issued_at', 'desc').orderBy('id', 'desc').execute();
  },

  plateInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('plates as p')
      .innerJoin('addresses as a', 'a.id', 'p.address_id')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .selectAll('p')
      .select(['a.grid_id'])
      .where('p.id', '=', id)
      .where('g.path', 'like', inScope(scopePath))
      .executeTakeFirst();
  },

  /** A plate by its public token with its address, grid path and community (no scope: the public scan). */
  plateByToken(db: Db, token: string) {
    return db
      .selectFrom('plates as p')
      .innerJoin('addresses as a', 'a.id', 'p.address_id')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .leftJoin('org_units as c', 'c.id', 'g.parent_id')
      .select([
        'p.id',
        'p.kind',
        'p.status',
        'p.replaced_by',
        'p.revoked_at',
        'a.id as address_id',
        'a.level',
        'a.name',
        'a.code',
        'a.full_text',
        'a.status as address_status',
        'a.grid_id',
        'g.path as grid_path',
        'c.id as community_id',
        'c.name as community_name',
        'c.contact_phone as community_phone',
      ])
      .where('p.token', '=', token)
      .executeTakeFirst();
  },

  async insertPlate(trx: Db, row: { id: string; address_id: string; kind: PlateRow['kind']; token: string; issued_by: string | null }): Promise<void> {
    await trx.insertInto('plates').values({ ...row, status: 'active' }).execute();
  },

  /** Revokes an active plate; false when it was no longer active (a concurrent revoke). */
  async revokePlate(trx: Db, id: string, reason: string, replacedBy: string | null): Promise<boolean> {
    const r = await trx
      .updateTable('plates')
      .set({ status: 'revoked', revoked_at: new Date(), revoked_reason: reason, replaced_by: replacedBy })
      .where('id', '=', id)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async setReplacedBy(trx: Db, id: string, replacedBy: string): Promise<void> {
    await trx.updateTable('plates').set({ replaced_by: replacedBy }).where('id', '=', id).execute();
  },

  /** Community police officers: active users holding the `officer` role whose unit is the community. */
  communityOfficers(db: Db, communityId: string) {
    return db
      .selectFrom('users as u')
      .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
      .select(['u.display_name', 'u.phone'])
      .where('ur.role_code', '=', 'officer')
      .where('u.org_unit_id', '=', communityId)
      .where('u.status', '=', 'active')
      .orderBy('u.username')
      .execute();
  },
};
