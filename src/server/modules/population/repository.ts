import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Updateable } from 'kysely';
import type { DB, HousingTable, PersonTable, ResidenceTable } from '../../db/schema.js';
import { likeEscape } from './rules.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;
const pop = (db: Db) => db;

export type PersonRow = Selectable<PersonTable> & { org_unit_name: string; org_path: string };
export type PersonInsert = Insertable<PersonTable>;
export type PersonPatch = Updateable<PersonTable>;

/** The address columns this module reads (the addresses module owns the table). */
export interface AddressRef {
  id: string;
  level: string;
  full_text: string;
  grid_id: string;
  grid_name: string;
  grid_path: string;
  county_code: string;
  lng: number | null;
  lat: number | null;
  status: 'active' | 'inactive';
}

export interface SearchTerms {
  idBlind?: string;
  passportBlind?: string;
  name?: string;
  pinyin?: string;
  phone?: string;
  address?: string;
  personType?: string;
}

/** Search ranks, best first; the label says how a row matched. */
export const RANKS = {
  1: 'id_number',
  2: 'name',
  3: 'name_prefix',
  4: 'pinyin',
  5: 'initials',
  6: 'pinyin_prefix',
  7: 'phone',
  8: 'phone_partial',
  9: 'address',
} as const;

function personSelect(db: Db) {
  return pop(db)
    .selectFrom('persons as p')
    .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
    .selectAll('p')
    .select(['o.name as org_unit_name', 'o.path as org_path']);
}

function addressSelect(db: Db) {
  return db
    .selectFrom('addresses as a')
    .innerJoin('org_units as g', 'g.id', 'a.grid_id')
    .select(['a.id', 'a.level', 'a.full_text', 'a.grid_id', 'g.name as grid_name', 'g.path as grid_path', 'a.county_code', 'a.lng', 'a.lat', 'a.status']);
}

/** The full text of the person's current residence's address, for the list view. */
const currentAddressText = sql<string | null>`(SELECT a.full_text FROM residences r JOIN addresses a ON a.id = r.address_id
  WHERE r.person_id = p.id AND r.to_date IS NULL ORDER BY r.from_date DESC LIMIT 1)`;

/** A person a search matched, with what ranking and scoping need (read from the row the index led to). */
interface Hit {
  id: string;
  rank: number;
  org_unit_id: string;
  name_pinyin: string;
  person_type: string;
}

export type SearchRow = PersonRow & { rank: number; current_address: string | null };

/** Where the previous page of a search ended (its last row), for keyset paging. */
export interface SearchCursor {
  rank: number;
  name_pinyin: string;
  id: string;
}

/**
 * The people a search matches, with their rank: one scan of `persons` for the conditions on the person's own
 * columns, ORed so that PostgreSQL combines their indexes (B-tree for exact and prefix matches, trigram for a
 * part of a phone number) and ranked by the first condition that holds, best first; and, for an address, the
 * current residences at the matching addresses (trigram index, or pairs of characters for a two-character
 * text, which has no trigram). A person found both ways keeps the better rank. Undefined: no condition.
 */
function matches(t: SearchTerms): RawBuilder<Hit> | undefined {
  const conds: Array<[number, RawBuilder<unknown>]> = [];
  if (t.idBlind) conds.push([1, sql`id_blind = ${t.idBlind}`]);
  if (t.passportBlind) conds.push([1, sql`passport_blind = ${t.passportBlind}`]);
  if (t.name) {
    conds.push([2, sql`name = ${t.name}`]);
    conds.push([3, sql`name LIKE ${`${likeEscape(t.name)}%`}`]);
  }
  if (t.pinyin) {
    const pre = `${likeEscape(t.pinyin)}%`;
    // the second readings are indexed only where they exist (<> '')
    conds.push([4, sql`(name_pinyin = ${t.pinyin} OR (name_pinyin_alt <> '' AND name_pinyin_alt = ${t.pinyin}))`]);
    conds.push([5, sql`(name_initials = ${t.pinyin} OR (name_initials_alt <> '' AND name_initials_alt = ${t.pinyin}))`]);
    if (t.pinyin.length >= 2) {
      conds.push([
        6,
        sql`(name_pinyin LIKE ${pre} OR name_initials LIKE ${pre}
          OR (name_pinyin_alt <> '' AND name_pinyin_alt LIKE ${pre}) OR (name_initials_alt <> '' AND name_initials_alt LIKE ${pre}))`,
      ]);
    }
  }
  if (t.phone) {
    conds.push([7, sql`phone = ${t.phone}`]);
    conds.push([8, sql`phone LIKE ${`%${likeEscape(t.phone)}%`}`]);
  }
  const own = conds.length
    ? sql`SELECT id, org_unit_id, name_pinyin, person_type,
        CASE ${sql.join(conds.map(([r, c]) => sql`WHEN ${c} THEN ${sql.lit(r)}`), sql` `)} END AS rank
        FROM persons WHERE ${sql.join(conds.map(([, c]) => c), sql` OR `)}`
    : undefined;
  let address: RawBuilder<unknown> | undefined;
  if (t.address) {
    const like = sql`a.search_text LIKE ${`%${likeEscape(t.address)}%`}`;
    const where = [...t.address].length === 2 ? sql`search_bigrams(a.search_text) @> ARRAY[${t.address}]::text[] AND ${like}` : like;
    // one current residence per person (residences_one_current_per_person): no person twice
    address = sql`SELECT p.id, p.org_unit_id, p.name_pinyin, p.person_type, 9 AS rank
      FROM residences r JOIN addresses a ON a.id = r.address_id JOIN persons p ON p.id = r.person_id
      WHERE r.to_date IS NULL AND ${where}`;
  }
  if (own && address) {
    return sql<Hit>`(SELECT id, min(rank) AS rank, org_unit_id, name_pinyin, person_type
      FROM (${own} UNION ALL ${address}) m GROUP BY id, org_unit_id, name_pinyin, person_type)`;
  }
  const one = own ?? address;
  return one && sql<Hit>`(${one})`;
}

/**
 * A search inside a scope: a page at an offset with the total, or the page after a cursor (keyset paging).
 * With conditions, the matches are ranked, scoped, counted and sorted as the narrow rows `matches` returns, in
 * one query, and only the page's rows are read in full. Without, it is every person in scope in (pinyin, id)
 * order, rank 0, where an index gives the page and a separate count reads the scope.
 */
function searchQuery(db: Db, scopePath: string, t: SearchTerms) {
  const pattern = subtreePattern(scopePath);
  const type = t.personType as PersonTable['person_type'] | undefined;
  const hits = matches(t);
  if (!hits) {
    const base = pop(db)
      .selectFrom('persons as p')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .where('o.path', 'like', pattern)
      .$if(type !== undefined, (qb) => qb.where('p.person_type', '=', type!));
    const page = (limit: number, at: number | SearchCursor): Promise<SearchRow[]> => {
      let q = base.selectAll('p').select(['o.name as org_unit_name', 'o.path as org_path', sql<number>`0`.as('rank'), currentAddressText.as('current_address')]);
      if (typeof at !== 'number') q = q.where(sql<SqlBool>`(p.name_pinyin, p.id) > (${at.name_pinyin}, ${at.id})`);
      q = q.orderBy('p.name_pinyin').orderBy('p.id').limit(limit);
      return (typeof at === 'number' ? q.offset(at) : q).execute();
    };
    return {
      page,
      async first(limit: number, offset: number) {
        const [rows, count] = await Promise.all([page(limit, offset), base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()]);
        return { rows, total: Number(count.n) };
      },
    };
  }
  const matched = pop(db)
    .selectFrom(hits.as('h'))
    .innerJoin('org_units as o', 'o.id', 'h.org_unit_id')
    .where('o.path', 'like', pattern)
    .$if(type !== undefined, (qb) => qb.where('h.person_type', '=', type!));
  // the window count is taken over every match in scope before the page is cut from them (offset pages only)
  const page = (limit: number, at: number | SearchCursor) => {
    const total = typeof at === 'number' ? sql<number>`count(*) OVER ()` : sql<number>`NULL::bigint`;
    let top = matched.select(['h.id', 'h.rank', 'h.name_pinyin', total.as('total')]);
    if (typeof at !== 'number') top = top.where(sql<SqlBool>`(h.rank, h.name_pinyin, h.id) > (${at.rank}, ${at.name_pinyin}, ${at.id})`);
    top = top.orderBy('h.rank').orderBy('h.name_pinyin').orderBy('h.id').limit(limit);
    if (typeof at === 'number') top = top.offset(at);
    return pop(db)
      .selectFrom(top.as('t'))
      .innerJoin('persons as p', 'p.id', 't.id')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .selectAll('p')
      .select(['o.name as org_unit_name', 'o.path as org_path', 't.rank', 't.total', currentAddressText.as('current_address')])
      .orderBy('t.rank')
      .orderBy('t.name_pinyin')
      .orderBy('t.id')
      .execute();
  };
  const strip = (rows: Array<SearchRow & { total: number }>): SearchRow[] => rows.map(({ total: _total, ...r }) => r);
  return {
    page: async (limit: number, at: number | SearchCursor) => strip(await page(limit, at)),
    async first(limit: number, offset: number) {
      const rows = await page(limit, offset);
      if (rows.length) return { rows: strip(rows), total: Number(rows[0].total) };
      // an empty page: nothing matched, or the offset is past the end (then the count is asked for)
      const total = offset === 0 ? 0 : Number((await matched.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      return { rows: [] as SearchRow[], total };
    },
  };
}

export const populationRepository = {
  // ---- persons ---------------------------------------------------------------------------------------------

  /** A person whose record lies inside the scope, or undefined (outside looks the same as missing). */
  personInScope(db: Db, scopePath: string, id: string): Promise<PersonRow | undefined> {
    return personSelect(db).where('p.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  /** Any person, whatever the jurisdiction: only for 协查 (cross-jurisdiction assistance) and duplicate checks. */
  personAnywhere(db: Db, id: string): Promise<PersonRow | undefined> {
    return personSelect(db).where('p.id', '=', id).executeTakeFirst();
  },

  personByIdBlind(db: Db, blind: string) {
    return db.selectFrom('persons as p').innerJoin('org_units as o', 'o.id', 'p.org_unit_id').select(['p.id', 'o.path']).where('p.id_blind', '=', blind).executeTakeFirst();
  },

  personByPassportBlind(db: Db, blind: string) {
    return db
      .selectFrom('persons as p')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .select(['p.id', 'o.path'])
      .where('p.passport_blind', '=', blind)
      .executeTakeFirst();
  },

  async insertPerson(db: Db, row: PersonInsert) {
    await pop(db).insertInto('persons').values(row).execute();
  },

  async updatePerson(db: Db, id: string, patch: PersonPatch) {
    await pop(db)
      .updateTable('persons')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  },

  /** Ranked search inside the scope: a page and the total number of matches. */
  search(db: Db, scopePath: string, t: SearchTerms, limit: number, offset: number): Promise<{ rows: SearchRow[]; total: number }> {
    return searchQuery(db, scopePath, t).first(limit, offset);
  },

  /** The page of a search that follows `after` in the search's order (rank, pinyin, id), without a count. */
  searchAfter(db: Db, scopePath: string, t: SearchTerms, limit: number, after: SearchCursor) {
    return searchQuery(db, scopePath, t).page(limit, after);
  },

  /** Persons by id (names for co-residents, landlords…), whatever the jurisdiction. */
  personsByIds(db: Db, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([] as PersonRow[]);
    return personSelect(db).where('p.id', 'in', ids).execute();
  },

  // ---- addresses (read-only) -------------------------------------------------------------------------------

  /** A standard address whose grid lies inside the scope. */
  addressInScope(db: Db, scopePath: string, id: string): Promise<AddressRef | undefined> {
    return addressSelect(db).where('a.id', '=', id).where('g.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  addressAnywhere(db: Db, id: string): Promise<AddressRef | undefined> {
    return addressSelect(db).where('a.id', '=', id).executeTakeFirst();
  },

  // ---- residences ------------------------------------------------------------------------------------------

  /** A person's residences with their addresses, newest first. */
  residencesOfPerson(db: Db, personId: string) {
    return db
      .selectFrom('residences as r')
      .innerJoin('addresses as a', 'a.id', 'r.address_id')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .select([
        'r.id',
        'r.person_id',
        'r.address_id',
        'r.relation',
        'r.from_date',
        'r.to_date',
        'r.source',
        'r.created_at',
        'a.full_text',
        'a.lng',
        'a.lat',
        'a.grid_id',
        'g.name as grid_name',
      ])
      .where('r.person_id', '=', personId)
      .orderBy('r.from_date', 'desc')
      .orderBy('r.created_at', 'desc')
      .execute();
  },

  /** A residence whose person's record lies inside the scope. */
  residenceInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('residences as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .selectAll('r')
      .select(['p.org_unit_id as person_org_unit_id'])
      .where('r.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  residenceById(db: Db, id: string) {
    return db.selectFrom('residences').selectAll().where('id', '=', id).executeTakeFirst();
  },

  /** Residences of the person that overlap [from, to) (to = null: open-ended). */
  overlappingResidences(db: Db, personId: string, from: string, to: string | null) {
    let q = db
      .selectFrom('residences')
      .selectAll()
      .where('person_id', '=', personId)
      .where((eb) => eb.or([eb('to_date', 'is', null), eb('to_date', '>', from)]));
    if (to) q = q.where('from_date', '<', to);
    return q.execute();
  },

  currentHouseholder(db: Db, addressId: string) {
    return db.selectFrom('residences').select(['id', 'person_id']).where('address_id', '=', addressId).where('to_date', 'is', null).where('relation', '=', 'householder').executeTakeFirst();
  },

  async insertResidence(db: Db, row: Insertable<ResidenceTable>) {
    await db.insertInto('residences').values(row).execute();
  },

  async closeResidence(db: Db, id: string, toDate: string) {
    await db.updateTable('residences').set({ to_date: toDate }).where('id', '=', id).where('to_date', 'is', null).execute();
  },

  /**
   * Who lived at the address on `date`: residences with from_date ≤ date < to_date (the move-out day is the
   * first day the person no longer lives there), householder first.
   */
  residentsAt(db: Db, addressId: string, date: string) {
    return pop(db)
      .selectFrom('residences as r')
      .innerJoin('persons as p', 'p.id', 'r.person_id')
      .select([
        'r.id as residence_id',
        'r.person_id',
        'r.relation',
        'r.from_date',
        'r.to_date',
        'p.name',
        'p.sex',
        'p.birth_date',
        'p.region_code',
        'p.id_last4',
        'p.id_legacy',
        'p.id_kind',
        'p.person_type',
      ])
      .where('r.address_id', '=', addressId)
      .where('r.from_date', '<=', date)
      .where((eb) => eb.or([eb('r.to_date', 'is', null), eb('r.to_date', '>', date)]))
      .orderBy(sql`CASE WHEN r.relation = 'householder' THEN 0 ELSE 1 END`)
      .orderBy('r.from_date')
      .orderBy('p.name')
      .execute();
  },

  // ---- housing ---------------------------------------------------------------------------------------------

  housingByAddress(db: Db, addressId: string) {
    return db.selectFrom('housing').selectAll().where('address_id', '=', addressId).executeTakeFirst();
  },

  async upsertHousing(db: Db, row: Insertable<HousingTable>) {
    const { id: _id, address_id: _a, created_at: _c, ...rest } = row;
    await db
      .insertInto('housing')
      .values(row)
      .onConflict((oc) => oc.column('address_id').doUpdateSet({ ...rest, updated_at: new Date() }))
      .execute();
  },

  // ---- idempotent submissions ------------------------------------------------------------------------------

  clientSubmission(db: Db, clientId: string) {
    return pop(db).selectFrom('client_submissions').selectAll().where('client_id', '=', clientId).executeTakeFirst();
  },

  async insertClientSubmission(db: Db, row: { client_id: string; actor_id: string; kind: string; result_id: string }) {
    await pop(db).insertInto('client_submissions').values(row).execute();
  },
};
