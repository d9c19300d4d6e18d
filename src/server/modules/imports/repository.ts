import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB, ImportIssueTable, ImportJobTable, ImportKind, PersonTable, ResidenceTable } from '../../db/schema.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;
export type ImportJobRow = Selectable<ImportJobTable>;
export type ImportIssueInsert = Insertable<ImportIssueTable>;

/** How long a runner's hold on a job lasts without a heartbeat before another runner may take it over. */
export const LEASE_SECONDS = 60;

export interface BulkAddress {
  id: string;
  code: string;
  level: string;
  status: 'active' | 'inactive';
  full_text: string;
  grid_id: string;
  county_code: string;
  grid_path: string;
}

export interface BulkPerson extends Selectable<PersonTable> {
  org_path: string;
}

export const importsRepository = {
  // ---- jobs ---------------------------------------------------------------------------------------------------

  async insertJob(db: Db, row: Insertable<ImportJobTable>) {
    await db.insertInto('import_jobs').values(row).execute();
  },

  /** A job whose creator's unit lies inside the scope. */
  jobInScope(db: Db, scopePath: string, id: string) {
    return db
      .selectFrom('import_jobs as j')
      .innerJoin('org_units as o', 'o.id', 'j.org_unit_id')
      .innerJoin('users as u', 'u.id', 'j.created_by')
      .selectAll('j')
      .select(['u.display_name as creator_name', 'o.name as org_unit_name'])
      .where('j.id', '=', id)
      .where('o.path', 'like', subtreePattern(scopePath))
      .executeTakeFirst();
  },

  jobById(db: Db, id: string) {
    return db.selectFrom('import_jobs').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async listJobs(db: Db, scopePath: string, kinds: ImportKind[], limit: number, offset: number) {
    if (!kinds.length) return { rows: [], total: 0 };
    const base = db
      .selectFrom('import_jobs as j')
      .innerJoin('org_units as o', 'o.id', 'j.org_unit_id')
      .where('o.path', 'like', subtreePattern(scopePath))
      .where('j.kind', 'in', kinds);
    const [rows, count] = await Promise.all([
      base
        .innerJoin('users as u', 'u.id', 'j.created_by')
        .selectAll('j')
        .select(['u.display_name as creator_name', 'o.name as org_unit_name'])
        .orderBy('j.created_at', 'desc')
        .orderBy('j.id', 'desc')
        .limit(limit)
        .offset(offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** Moves a job from one of `from` to a new state; false when it was not in one of them (a concurrent change). */
  async transition(db: Db, id: string, from: ImportJobRow['status'][], set: Updateable<ImportJobTable>): Promise<boolean> {
    const r = await db
      .updateTable('import_jobs')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** Progress of the runner that holds the job; returns the job as stored (its cancel flag), or undefined when lost. */
  async saveProgress(db: Db, id: string, runnerId: string, set: Updateable<ImportJobTable>) {
    return db
      .updateTable('import_jobs')
      .set({ ...set, heartbeat_at: new Date(), updated_at: new Date() })
      .where('id', '=', id)
      .where('runner_id', '=', runnerId)
      .returning(['cancel_requested', 'status'])
      .executeTakeFirst();
  },

  /**
   * Takes the oldest job waiting for a runner: never held, held by a runner that stopped beating, or (with
   * `any`, when this process is known to be the only one) held by anyone.
   */
  async claimJob(db: Db, runnerId: string, any: boolean): Promise<ImportJobRow | undefined> {
    const r = await sql<ImportJobRow>`
      UPDATE import_jobs SET runner_id = ${runnerId}, heartbeat_at = now(), updated_at = now()
       WHERE id = (
         SELECT id FROM import_jobs
          WHERE status IN ('validating', 'committing')
            AND (runner_id IS NULL OR ${any} OR heartbeat_at < now() - make_interval(secs => ${LEASE_SECONDS}))
          ORDER BY created_at
          LIMIT 1
          FOR UPDATE SKIP LOCKED)
      RETURNING *`.execute(db);
    return r.rows[0];
  },

  async releaseJob(db: Db, id: string, runnerId: string) {
    await db.updateTable('import_jobs').set({ runner_id: null }).where('id', '=', id).where('runner_id', '=', runnerId).execute();
  },

  // ---- the report -------------------------------------------------------------------------------------------

  async insertIssues(db: Db, rows: ImportIssueInsert[]) {
    if (rows.length) await db.insertInto('import_issues').values(rows).execute();
  },

  async issuesPage(db: Db, jobId: string, limit: number, offset: number) {
    const [rows, count] = await Promise.all([
      db.selectFrom('import_issues').selectAll().where('job_id', '=', jobId).orderBy('row_no').orderBy('id').limit(limit).offset(offset).execute(),
      db.selectFrom('import_issues').select((eb) => eb.fn.countAll<string>().as('n')).where('job_id', '=', jobId).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** The report in id order after `afterId` (keyset paging for the download). */
  issuesAfter(db: Db, jobId: string, afterId: number, limit: number) {
    return db.selectFrom('import_issues').selectAll().where('job_id', '=', jobId).where('id', '>', afterId).orderBy('id').limit(limit).execute();
  },

  /** Rows of a range that the dry run already reported. */
  async reportedRows(db: Db, jobId: string, fromRow: number, toRow: number): Promise<Set<number>> {
    const rows = await db
      .selectFrom('import_issues')
      .select('row_no')
      .distinct()
      .where('job_id', '=', jobId)
      .where('phase', '=', 'validate')
      .where('row_no', '>=', fromRow)
      .where('row_no', '<=', toRow)
      .execute();
    return new Set(rows.map((r) => r.row_no));
  },

  async deleteIssues(db: Db, jobId: string, phase: 'validate' | 'commit') {
    await db.deleteFrom('import_issues').where('job_id', '=', jobId).where('phase', '=', phase).execute();
  },

  // ---- record keys (repeats inside one file) ------------------------------------------------------------------

  /** Records keys with their rows; keys already recorded are left as they were. Returns the first row of each key. */
  async recordKeys(db: Db, jobId: string, keys: Array<{ key: string; rowNo: number }>): Promise<Map<string, number>> {
    if (!keys.length) return new Map();
    await db
      .insertInto('import_keys')
      .values(keys.map((k) => ({ job_id: jobId, key: k.key, row_no: k.rowNo })))
      .onConflict((oc) => oc.columns(['job_id', 'key']).doNothing())
      .execute();
    return importsRepository.keyRows(db, jobId, keys.map((k) => k.key));
  },

  async keyRows(db: Db, jobId: string, keys: string[]): Promise<Map<string, number>> {
    if (!keys.length) return new Map();
    const rows = await db.selectFrom('import_keys').select(['key', 'row_no']).where('job_id', '=', jobId).where('key', 'in', keys).execute();
    return new Map(rows.map((r) => [r.key, r.row_no]));
  },

  async deleteKeys(db: Db, jobId: string, fromRow?: number) {
    let q = db.deleteFrom('import_keys').where('job_id', '=', jobId);
    if (fromRow !== undefined) q = q.where('row_no', '>', fromRow);
    await q.execute();
  },

  // ---- registry look-ups for a batch -------------------------------------------------------------------------

  async personsByBlinds(db: Db, idBlinds: string[], passportBlinds: string[]): Promise<BulkPerson[]> {
    if (!idBlinds.length && !passportBlinds.length) return [];
    return db
      .selectFrom('persons as p')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .selectAll('p')
      .select('o.path as org_path')
      .where((eb) =>
        eb.or([
          ...(idBlinds.length ? [eb('p.id_blind', 'in', idBlinds)] : []),
          ...(passportBlinds.length ? [eb('p.passport_blind', 'in', passportBlinds)] : []),
        ]),
      )
      .execute();
  },

  async addressesByCodes(db: Db, codes: string[]): Promise<BulkAddress[]> {
    if (!codes.length) return [];
    return db
      .selectFrom('addresses as a')
      .innerJoin('org_units as g', 'g.id', 'a.grid_id')
      .select(['a.id', 'a.code', 'a.level', 'a.status', 'a.full_text', 'a.grid_id', 'a.county_code', 'g.path as grid_path'])
      .where('a.code', 'in', codes)
      .execute();
  },

  async orgUnitsByCodes(db: Db, codes: string[]) {
    if (!codes.length) return [];
    return db.selectFrom('org_units').select(['id', 'code', 'kind', 'path', 'county_code', 'status']).where('code', 'in', codes).execute();
  },

  async currentResidences(db: Db, personIds: string[]) {
    if (!personIds.length) return [];
    return db.selectFrom('residences').selectAll().where('person_id', 'in', personIds).where('to_date', 'is', null).execute();
  },

  async currentHouseholders(db: Db, addressIds: string[]) {
    if (!addressIds.length) return [];
    return db
      .selectFrom('residences')
      .select(['address_id', 'person_id'])
      .where('address_id', 'in', addressIds)
      .where('relation', '=', 'householder')
      .where('to_date', 'is', null)
      .execute();
  },

  async insertPersons(db: Db, rows: Insertable<PersonTable>[]) {
    if (rows.length) await db.insertInto('persons').values(rows).execute();
  },

  async insertResidences(db: Db, rows: Insertable<ResidenceTable>[]) {
    if (rows.length) await db.insertInto('residences').values(rows).execute();
  },

  async setRelation(db: Db, residenceId: string, relation: ResidenceTable['relation']) {
    await db.updateTable('residences').set({ relation }).where('id', '=', residenceId).execute();
  },
};

/** Registry look-ups of the units and housing imports. */
export const importLookups = {
  unitsByKeys(db: Db, creditCodes: string[], otherRegNos: string[]) {
    if (!creditCodes.length && !otherRegNos.length) return Promise.resolve([]);
    return db
      .selectFrom('units as u')
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .selectAll('u')
      .select('o.path as org_path')
      .where((eb) =>
        eb.or([...(creditCodes.length ? [eb('u.credit_code', 'in', creditCodes)] : []), ...(otherRegNos.length ? [eb('u.other_reg_no', 'in', otherRegNos)] : [])]),
      )
      .execute();
  },

  housingByAddresses(db: Db, addressIds: string[]) {
    if (!addressIds.length) return Promise.resolve([]);
    return db.selectFrom('housing').selectAll().where('address_id', 'in', addressIds).execute();
  },

  personIdsByBlinds(db: Db, blinds: string[]) {
    if (!blinds.length) return Promise.resolve([]);
    return db
      .selectFrom('persons as p')
      .innerJoin('org_units as o', 'o.id', 'p.org_unit_id')
      .select(['p.id', 'p.id_blind', 'o.path'])
      .where('p.id_blind', 'in', blinds)
      .execute();
  },
};
