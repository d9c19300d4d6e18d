import { sql, type Kysely } from 'kysely';
import type { AuditRow, DB } from '../../db/schema.js';
import { subtreePattern } from '../access/scope.js';
import { likeEscape } from '../../db/like.js';

export type Executor = Kysely<DB>;

export const AUDIT_LOCK_KEY = 7_310_016_001;

export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  action?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
  /** Org-unit scope: rows of actors inside this path prefix; `includeUnscoped` adds rows with no org unit. */
  scopePath: string;
  includeUnscoped: boolean;
}

export const auditRepository = {
  async lockChain(trx: Executor): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  },

  async last(trx: Executor): Promise<{ seq: number; hash: string } | undefined> {
    return trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  },

  async insert(trx: Executor, row: AuditRow): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({ ...row, detail: row.detail === null || row.detail === undefined ? null : JSON.stringify(row.detail) })
      .execute();
  },

  async setHead(trx: Executor, seq: number, hash: string): Promise<void> {
    await trx
      .insertInto('audit_head')
      .values({ id: 1, seq, hash })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seq, hash }))
      .execute();
  },

  async head(db: Executor): Promise<{ seq: number; hash: string } | undefined> {
    return db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  },

  query(db: Executor, f: AuditFilter) {
    let q = db.selectFrom('audit_log');
    if (f.subjectType) q = q.where('subject_type', '=', f.subjectType);
    if (f.subjectId) q = q.where(sql<boolean>`subject_ids @> ARRAY[${f.subjectId}]::text[]`);
    if (f.actorId) q = q.where('actor_id', '=', f.actorId);
    if (f.action) q = q.where('action', 'like', `${likeEscape(f.action)}%`);
    if (f.outcome) q = q.where('outcome', '=', f.outcome as AuditRow['outcome']);
    if (f.from) q = q.where('at', '>=', f.from);
    if (f.to) q = q.where('at', '<', f.to);
    const scoped = sql<boolean>`org_unit_id IN (SELECT id FROM org_units WHERE path LIKE ${subtreePattern(f.scopePath)})`;
    q = q.where((eb) => (f.includeUnscoped ? eb.or([scoped, eb('org_unit_id', 'is', null)]) : scoped));
    return q;
  },

  async page(db: Executor, f: AuditFilter, limit: number, offset: number): Promise<{ rows: AuditRow[]; total: number }> {
    const base = this.query(db, f);
    const [rows, count] = await Promise.all([
      base.selectAll().orderBy('seq', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** Rows in chain order, in batches, for verification and export. */
  async *walk(db: Executor, batch = 2000, f?: AuditFilter): AsyncGenerator<AuditRow[]> {
    let after = -1;
    for (;;) {
      const q = f ? this.query(db, f) : db.selectFrom('audit_log');
      const rows = await q.selectAll().where('seq', '>', after).orderBy('seq', 'asc').limit(batch).execute();
      if (rows.length === 0) return;
      yield rows;
      after = Number(rows[rows.length - 1].seq);
    }
  },
};
