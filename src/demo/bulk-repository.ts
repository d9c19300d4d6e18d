import { sql, type Kysely } from 'kysely';
import type { DB } from '../server/db/schema.js';

/** SQL of the demo registry's bulk loader: multi-row INSERTs and the few reads it needs. */

type Db = Kysely<DB>;
export type Cell = string | number | boolean | null;

export const BULK_COLUMNS = {
  addresses: ['id', 'parent_id', 'level', 'name', 'code', 'full_text', 'search_text', 'grid_id', 'county_code', 'path', 'lng', 'lat', 'status'],
  address_status_history: ['id', 'address_id', 'status', 'reason', 'changed_by'],
  plates: ['id', 'address_id', 'kind', 'token', 'status'],
  persons: [
    'id', 'id_cipher', 'id_blind', 'id_kind', 'id_legacy', 'id_last4', 'birth_date', 'sex', 'region_code', 'name', 'name_pinyin', 'name_initials',
    'name_pinyin_alt', 'name_initials_alt', 'ethnicity', 'phone', 'hukou_address', 'person_type', 'floating_registered_on', 'expected_stay_until',
    'permit_issued_on', 'permit_next_endorsement', 'org_unit_id', 'county_code',
  ],
  units: ['id', 'credit_code', 'name', 'unit_type', 'key_industry', 'address_id', 'legal_rep_name', 'contact_name', 'contact_phone', 'status', 'org_unit_id', 'county_code'],
  housing: [
    'id', 'address_id', 'owner_person_id', 'owner_name', 'owner_phone', 'property_type', 'use', 'group_rental', 'area_m2', 'rooms', 'landlord_person_id',
    'lease_from', 'lease_to', 'rental_registration',
  ],
  residences: ['id', 'person_id', 'address_id', 'relation', 'from_date', 'to_date', 'source'],
  employments: ['id', 'unit_id', 'person_id', 'role', 'from_date', 'to_date'],
} as const;

export type BulkTable = keyof typeof BULK_COLUMNS;
/** Insert order that keeps every foreign key satisfied within one flush. */
export const BULK_ORDER: BulkTable[] = ['addresses', 'address_status_history', 'plates', 'persons', 'units', 'housing', 'residences', 'employments'];

const literal = (v: Cell): string => {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new RangeError('non-finite number in bulk insert');
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return `'${v.replace(/'/g, "''")}'`;
};

export interface GridInfo {
  id: string;
  code: string;
  county_code: string | null;
  boundary: unknown;
  community_name: string | null;
}

export const bulkRepository = {
  /** One multi-row INSERT (values written as literals; callers keep batches to about a thousand rows). */
  async insert(db: Db, table: BulkTable, rows: Cell[][]) {
    if (!rows.length) return;
    const cols = BULK_COLUMNS[table];
    const values = rows.map((r) => `(${r.map(literal).join(',')})`).join(',\n');
    await sql.raw(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${values}`).execute(db);
  },

  /** Active grids of a county, by code, with their community's name and boundary. */
  async gridsOfCounty(db: Db, countyCode: string): Promise<GridInfo[]> {
    const r = await sql<GridInfo>`
      SELECT g.id, g.code, g.county_code, g.boundary, c.name AS community_name
      FROM org_units g LEFT JOIN org_units c ON c.id = g.parent_id
      WHERE g.kind = 'grid' AND g.status = 'active' AND g.county_code = ${countyCode}
      ORDER BY g.code`.execute(db);
    return r.rows;
  },

  /** Highest top-level address code below a street (serials continue after it). */
  async maxTopCode(db: Db, street: string): Promise<string | undefined> {
    const r = await sql<{ code: string | null }>`
      SELECT max(code) AS code FROM addresses WHERE parent_id IS NULL AND code LIKE ${`${street}%`} AND length(code) = ${street.length + 4}`.execute(db);
    return r.rows[0]?.code ?? undefined;
  },

  /** Names of the top-level addresses already in a grid. */
  async topNames(db: Db, gridId: string): Promise<string[]> {
    const r = await sql<{ name: string }>`SELECT name FROM addresses WHERE parent_id IS NULL AND grid_id = ${gridId}`.execute(db);
    return r.rows.map((x) => x.name);
  },

  async countPersons(db: Db): Promise<number> {
    const r = await sql<{ n: number | string }>`SELECT count(*) AS n FROM persons`.execute(db);
    return Number(r.rows[0].n);
  },

  async unitByCode(db: Db, code: string): Promise<{ id: string } | undefined> {
    const r = await sql<{ id: string }>`SELECT id FROM org_units WHERE code = ${code}`.execute(db);
    return r.rows[0];
  },
};
