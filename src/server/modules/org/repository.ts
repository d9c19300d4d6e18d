import type { Kysely, Selectable } from 'kysely';
import type { DB, DepartmentTable, OrgUnitRow } from '../../db/schema.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;

export const orgRepository = {
  subtree(db: Db, scopePath: string): Promise<OrgUnitRow[]> {
    return db.selectFrom('org_units').selectAll().where('path', 'like', subtreePattern(scopePath)).orderBy('path').execute();
  },

  /** A unit inside the scope, or undefined (outside the scope looks the same as missing). */
  inScope(db: Db, scopePath: string, id: string): Promise<OrgUnitRow | undefined> {
    return db.selectFrom('org_units').selectAll().where('id', '=', id).where('path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  byId(db: Db, id: string) {
    return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async count(db: Db): Promise<number> {
    const r = await db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  byCode(db: Db, code: string) {
    return db.selectFrom('org_units').select(['id']).where('code', '=', code).executeTakeFirst();
  },

  ancestors(db: Db, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('org_units').select(['id', 'name', 'kind', 'code']).where('id', 'in', ids).execute();
  },

  async insert(db: Db, row: Omit<OrgUnitRow, 'created_at' | 'updated_at' | 'boundary'> & { boundary: string | null }) {
    await db.insertInto('org_units').values(row).execute();
  },

  async update(db: Db, id: string, patch: Partial<{ name: string; contact_phone: string | null; address: string | null; boundary: string | null; status: 'active' | 'inactive' }>) {
    await db.updateTable('org_units').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
  },

  departments(db: Db, scopePath: string): Promise<Array<Selectable<DepartmentTable> & { org_unit_name: string }>> {
    return db
      .selectFrom('departments as d')
      .innerJoin('org_units as o', 'o.id', 'd.org_unit_id')
      .selectAll('d')
      .select('o.name as org_unit_name')
      .where('o.path', 'like', subtreePattern(scopePath))
      .orderBy('d.kind')
      .orderBy('d.name')
      .execute();
  },

  departmentInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('departments as d')
      .innerJoin('org_units as o', 'o.id', 'd.org_unit_id')
      .selectAll('d')
      .where('d.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  async departmentByName(db: Db, orgUnitId: string, name: string) {
    return db.selectFrom('departments').select('id').where('org_unit_id', '=', orgUnitId).where('name', '=', name).executeTakeFirst();
  },

  async insertDepartment(db: Db, row: Omit<Selectable<DepartmentTable>, 'created_at' | 'updated_at'>) {
    await db.insertInto('departments').values(row).execute();
  },

  async updateDepartment(db: Db, id: string, patch: Partial<{ name: string; contact_phone: string | null; status: 'active' | 'inactive' }>) {
    await db.updateTable('departments').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
  },
};
