import { sql, type Insertable, type Kysely, type SqlBool, type Updateable } from 'kysely';
import type { DB, EmploymentTable, UnitTable } from '../../db/schema.js';
import { likeEscape } from '../population/rules.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;

export interface UnitFilter {
  scopePath: string;
  q?: string;
  keyIndustry?: string;
  status?: 'active' | 'closed';
  /** Units at an address or below it in the address tree: that address's materialised path. */
  addressPath?: string;
}

function unitSelect(db: Db) {
  return db
    .selectFrom('units as u')
    .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
    .leftJoin('addresses as a', 'a.id', 'u.address_id')
    .selectAll('u')
    .select(['o.name as org_unit_name', 'o.path as org_path', 'a.full_text as address_text', 'a.lng as address_lng', 'a.lat as address_lat']);
}

export type UnitRow = Awaited<ReturnType<ReturnType<typeof unitSelect>['executeTakeFirstOrThrow']>>;

function employmentSelect(db: Db) {
  return db
    .selectFrom('employments as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .innerJoin('persons as p', 'p.id', 'e.person_id')
    .leftJoin('addresses as a', 'a.id', 'u.address_id')
    .select([
      'e.id',
      'e.unit_id',
      'e.person_id',
      'e.role',
      'e.from_date',
      'e.to_date',
      'e.created_at',
      'u.name as unit_name',
      'u.key_industry as unit_key_industry',
      'u.org_unit_id as unit_org_unit_id',
      'a.full_text as unit_address_text',
      'p.name as person_name',
      'p.sex as person_sex',
      'p.birth_date as person_birth_date',
      'p.region_code as person_region_code',
      'p.id_last4 as person_id_last4',
      'p.id_legacy as person_id_legacy',
      'p.id_kind as person_id_kind',
    ]);
}

export type EmploymentRow = Awaited<ReturnType<ReturnType<typeof employmentSelect>['executeTakeFirstOrThrow']>>;

export const unitsRepository = {
  base(db: Db, f: UnitFilter) {
    let q = unitSelect(db).where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.q) {
      const text = f.q.trim();
      const upper = text.toUpperCase();
      q = q.where((eb) =>
        eb.or([
          eb('u.name', 'ilike', `%${likeEscape(text)}%`),
          eb('u.credit_code', 'like', `${likeEscape(upper)}%`),
          eb('u.other_reg_no', '=', text),
        ]),
      );
    }
    if (f.keyIndustry) q = q.where('u.key_industry', '=', f.keyIndustry as UnitTable['key_industry']);
    if (f.status) q = q.where('u.status', '=', f.status);
    if (f.addressPath) q = q.where('a.path', 'like', `${likeEscape(f.addressPath)}%`);
    return q;
  },

  async count(db: Db, f: UnitFilter): Promise<number> {
    const r = await this.base(db, f).clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /**
   * One batch of an export: the units after `afterId` in id order (UUIDv7, so the order of registration).
   * Keyset paging on the primary key: batch n costs the same as batch 1 at a million rows.
   */
  exportBatch(db: Db, f: UnitFilter, afterId: string | undefined, limit: number) {
    let q = this.base(db, f);
    if (afterId !== undefined) q = q.where('u.id', '>', afterId);
    return q.orderBy('u.id').limit(limit).execute();
  },

  async page(db: Db, f: UnitFilter, limit: number, offset: number) {
    const base = this.base(db, f);
    const [rows, count] = await Promise.all([
      base.orderBy('u.name').orderBy('u.id').limit(limit).offset(offset).execute(),
      base.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  unitInScope(db: Db, scopePath: string, id: string) {
    return unitSelect(db).where('u.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  byCreditCode(db: Db, code: string) {
    return db.selectFrom('units').select('id').where('credit_code', '=', code).executeTakeFirst();
  },

  byOtherRegNo(db: Db, no: string) {
    return db.selectFrom('units').select('id').where('other_reg_no', '=', no).executeTakeFirst();
  },

  async insertUnit(db: Db, row: Insertable<UnitTable>) {
    await db.insertInto('units').values(row).execute();
  },

  async updateUnit(db: Db, id: string, patch: Updateable<UnitTable>) {
    await db
      .updateTable('units')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  },

  // ---- employments -----------------------------------------------------------------------------------------

  employmentsOfUnit(db: Db, unitId: string) {
    return employmentSelect(db)
      .where('e.unit_id', '=', unitId)
      .orderBy(sql`e.to_date IS NULL`, 'desc')
      .orderBy('e.from_date', 'desc')
      .execute();
  },

  employmentsOfPerson(db: Db, personId: string, currentOnly = false) {
    let q = employmentSelect(db).where('e.person_id', '=', personId);
    if (currentOnly) q = q.where('e.to_date', 'is', null);
    return q.orderBy(sql`e.to_date IS NULL`, 'desc').orderBy('e.from_date', 'desc').execute();
  },

  /** An employment whose unit lies inside the scope. */
  employmentInScope(db: Db, scopePath: string, id: string) {
    return employmentSelect(db)
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .where('e.id', '=', id)
      .where(sql<SqlBool>`o.path LIKE ${subtreePattern(scopePath)}`)
      .executeTakeFirst();
  },

  employmentById(db: Db, id: string) {
    return employmentSelect(db).where('e.id', '=', id).executeTakeFirst();
  },

  currentEmployment(db: Db, unitId: string, personId: string) {
    return db.selectFrom('employments').select('id').where('unit_id', '=', unitId).where('person_id', '=', personId).where('to_date', 'is', null).executeTakeFirst();
  },

  async insertEmployment(db: Db, row: Insertable<EmploymentTable>) {
    await db.insertInto('employments').values(row).execute();
  },

  async endEmployment(db: Db, id: string, toDate: string) {
    await db.updateTable('employments').set({ to_date: toDate }).where('id', '=', id).where('to_date', 'is', null).execute();
  },
};
