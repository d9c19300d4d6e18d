import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { DB, PortalAttachmentTable, PortalSubmissionEventTable, PortalSubmissionTable, SubmissionKind, SubmissionStatus } from '../../db/schema.js';
import { subtreePattern } from '../../platform/access/scope.js';
import { addressSearchKey, likeEscape } from '../population/rules.js';

type Db = Kysely<DB>;

export { nextTrackingNo } from './rules.js';

/** A submission with what every view of it shows: the address, the grid, the resident's phone, the assignee. */
function submissionSelect(db: Db) {
  return db
    .selectFrom('portal_submissions as s')
    .innerJoin('addresses as a', 'a.id', 's.address_id')
    .innerJoin('org_units as g', 'g.id', 's.grid_id')
    .innerJoin('residents as r', 'r.id', 's.resident_id')
    .leftJoin('users as u', 'u.id', 's.assigned_to')
    .selectAll('s')
    .select([
      'a.full_text as address_text',
      'a.level as address_level',
      'a.county_code as county_code',
      'g.name as grid_name',
      'g.path as grid_path',
      'r.phone as resident_phone',
      'u.display_name as assigned_name',
    ]);
}

export type SubmissionRow = Awaited<ReturnType<ReturnType<typeof submissionSelect>['executeTakeFirstOrThrow']>>;

export interface QueueFilter {
  scopePath: string;
  statuses?: readonly SubmissionStatus[];
  kind?: SubmissionKind;
  q?: string;
}

function queueBase(db: Db, f: QueueFilter) {
  let q = submissionSelect(db).where('g.path', 'like', subtreePattern(f.scopePath));
  if (f.statuses) q = q.where('s.status', 'in', [...f.statuses]);
  if (f.kind) q = q.where('s.kind', '=', f.kind);
  const text = f.q?.trim();
  if (text) {
    const key = addressSearchKey(text);
    q = q.where((eb) =>
      eb.or([
        eb('s.tracking_no', 'like', `${likeEscape(text.toUpperCase())}%`),
        ...(key ? [eb('a.search_text', 'like', `%${likeEscape(key)}%`)] : []),
      ]),
    );
  }
  return q;
}

/** Figures of one org unit's subtree (`path`), for the statistics page. */
export interface Figures {
  id: string;
  floating: number;
  floating_self_declared: number;
  rentals: number;
  rentals_registered: number;
  pending: number;
  oldest_pending_hours: number | null;
  pending_over_72h: number;
  submitted_30d: number;
}

export const portalRepository = {
  // ---- submissions ---------------------------------------------------------------------------------------------

  async insertSubmission(db: Db, row: Insertable<PortalSubmissionTable>) {
    await db.insertInto('portal_submissions').values(row).execute();
  },

  /** The resident's earlier submission with this client id (an idempotent retry). */
  byClient(db: Db, residentId: string, clientId: string) {
    return submissionSelect(db).where('s.resident_id', '=', residentId).where('s.client_id', '=', clientId).executeTakeFirst();
  },

  /** A submission of this resident (another resident's is the same as a missing one). */
  own(db: Db, residentId: string, id: string) {
    return submissionSelect(db).where('s.id', '=', id).where('s.resident_id', '=', residentId).executeTakeFirst();
  },

  /** A submission whose grid lies inside the scope. */
  inScope(db: Db, scopePath: string, id: string) {
    return submissionSelect(db).where('s.id', '=', id).where('g.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  byId(db: Db, id: string) {
    return submissionSelect(db).where('s.id', '=', id).executeTakeFirst();
  },

  async listOwn(db: Db, residentId: string, kind: SubmissionKind | undefined, limit: number, offset: number) {
    let base = db.selectFrom('portal_submissions as s').where('s.resident_id', '=', residentId);
    if (kind) base = base.where('s.kind', '=', kind);
    const [{ n }] = await base.select((eb) => eb.fn.countAll<string>().as('n')).execute();
    let q = submissionSelect(db).where('s.resident_id', '=', residentId);
    if (kind) q = q.where('s.kind', '=', kind);
    const rows = await q.orderBy('s.created_at', 'desc').orderBy('s.id', 'desc').limit(limit).offset(offset).execute();
    return { rows, total: Number(n) };
  },

  /** The review queue: waiting submissions first, oldest first. */
  async queue(db: Db, f: QueueFilter, limit: number, offset: number) {
    const [{ n }] = await queueBase(db, f)
      .clearSelect()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .execute();
    const rows = await queueBase(db, f)
      .orderBy(sql`CASE WHEN s.status IN ('submitted', 'reviewing') THEN 0 ELSE 1 END`)
      .orderBy('s.submitted_at', 'asc')
      .orderBy('s.id', 'asc')
      .limit(limit)
      .offset(offset)
      .execute();
    return { rows, total: Number(n) };
  },

  /**
   * Changes a submission only while it is in one of `from` (the check and the change are one statement, so of
   * two concurrent callers exactly one wins); returns whether it did.
   */
  async updateIfStatus(db: Db, id: string, from: readonly SubmissionStatus[], set: Updateable<PortalSubmissionTable>): Promise<boolean> {
    const r = await db
      .updateTable('portal_submissions')
      .set({ ...set, updated_at: new Date() })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /**
   * Takes over an approval left in `approved` by a process that stopped half-way: only when it has not moved
   * for `staleMs` (an approval's registry writes take well under a second), and only once.
   */
  async takeStaleApproval(db: Db, id: string, staleMs: number): Promise<boolean> {
    const r = await db
      .updateTable('portal_submissions')
      .set({ updated_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .where('updated_at', '<', new Date(Date.now() - staleMs))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  // ---- timeline -----------------------------------------------------------------------------------------------

  async insertEvent(db: Db, row: Insertable<PortalSubmissionEventTable>) {
    await db.insertInto('portal_submission_events').values(row).execute();
  },

  events(db: Db, submissionId: string) {
    return db.selectFrom('portal_submission_events').selectAll().where('submission_id', '=', submissionId).orderBy('at').orderBy('id').execute();
  },

  // ---- attachments --------------------------------------------------------------------------------------------

  async insertAttachment(db: Db, row: Insertable<PortalAttachmentTable>) {
    await db.insertInto('portal_attachments').values(row).execute();
  },

  /** An attachment with the grid path of the submission naming it (null while unused). */
  attachment(db: Db, id: string) {
    return db
      .selectFrom('portal_attachments as t')
      .leftJoin('portal_submissions as s', 's.id', 't.submission_id')
      .leftJoin('org_units as g', 'g.id', 's.grid_id')
      .selectAll('t')
      .select(['g.path as grid_path', 's.grid_id as grid_id'])
      .where('t.id', '=', id)
      .executeTakeFirst();
  },

  attachmentsByIds(db: Db, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('portal_attachments').select(['id', 'resident_id', 'submission_id']).where('id', 'in', ids).execute();
  },

  attachmentsOf(db: Db, submissionId: string) {
    return db.selectFrom('portal_attachments').select(['id', 'content_type', 'bytes']).where('submission_id', '=', submissionId).orderBy('created_at').orderBy('id').execute();
  },

  /** Links the resident's unused attachments to a submission; returns how many were linked. */
  async linkAttachments(db: Db, ids: string[], residentId: string, submissionId: string): Promise<number> {
    if (ids.length === 0) return 0;
    const r = await db
      .updateTable('portal_attachments')
      .set({ submission_id: submissionId })
      .where('id', 'in', ids)
      .where('resident_id', '=', residentId)
      .where('submission_id', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async unlinkAttachments(db: Db, submissionId: string) {
    await db.updateTable('portal_attachments').set({ submission_id: null }).where('submission_id', '=', submissionId).execute();
  },

  /** Unused uploads of a resident since a moment (a cap against filling the table). */
  async submissionsSince(db: Db, residentId: string, since: Date): Promise<number> {
    const r = await db
      .selectFrom('portal_submissions')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('resident_id', '=', residentId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async unusedUploadsSince(db: Db, residentId: string, since: Date): Promise<number> {
    const r = await db
      .selectFrom('portal_attachments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('resident_id', '=', residentId)
      .where('submission_id', 'is', null)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  // ---- statistics ----------------------------------------------------------------------------------------------

  /**
   * Figures for each unit's subtree. Reads the registry's tables (persons, residences, housing, addresses)
   * read-only, as counts: floating residents with a current residence under the unit and how many of those
   * residences came from a resident's own declaration; rented housing and how much of it is registered; and the
   * unit's submissions.
   */
  async figures(db: Db, units: Array<{ id: string; path: string }>): Promise<Figures[]> {
    if (units.length === 0) return [];
    const buckets = sql.join(units.map((u) => sql`(${u.id}::uuid, ${subtreePattern(u.path)}::text)`));
    const r = await sql<Figures>`
      WITH b(id, pattern) AS (VALUES ${buckets})
      SELECT b.id,
        pop.floating, pop.floating_self_declared,
        h.rentals, h.rentals_registered,
        s.pending, s.oldest_pending_hours, s.pending_over_72h, s.submitted_30d
      FROM b
      CROSS JOIN LATERAL (
        SELECT count(DISTINCT p.id)::int AS floating,
               count(DISTINCT p.id) FILTER (WHERE r.source = 'resident')::int AS floating_self_declared
          FROM org_units g
          JOIN addresses a ON a.grid_id = g.id
          JOIN residences r ON r.address_id = a.id AND r.to_date IS NULL
          JOIN persons p ON p.id = r.person_id AND p.person_type = 'floating'
         WHERE g.path LIKE b.pattern
      ) pop
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS rentals,
               count(*) FILTER (WHERE hs.rental_registration = 'registered')::int AS rentals_registered
          FROM org_units g
          JOIN addresses a ON a.grid_id = g.id
          JOIN housing hs ON hs.address_id = a.id AND hs.use = 'rent'
         WHERE g.path LIKE b.pattern
      ) h
      CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE ps.status IN ('submitted', 'reviewing'))::int AS pending,
               floor(extract(epoch FROM now() - min(ps.submitted_at) FILTER (WHERE ps.status IN ('submitted', 'reviewing'))) / 3600)::int AS oldest_pending_hours,
               count(*) FILTER (WHERE ps.status IN ('submitted', 'reviewing') AND ps.submitted_at < now() - interval '72 hours')::int AS pending_over_72h,
               count(*) FILTER (WHERE ps.submitted_at >= now() - interval '30 days')::int AS submitted_30d
          FROM org_units g
          JOIN portal_submissions ps ON ps.grid_id = g.id
         WHERE g.path LIKE b.pattern
      ) s`.execute(db);
    return r.rows;
  },

  /** The direct children of an org unit, by code. */
  childUnits(db: Db, parentId: string) {
    return db.selectFrom('org_units').select(['id', 'name', 'path', 'kind', 'code']).where('parent_id', '=', parentId).orderBy('code').execute();
  },
};
