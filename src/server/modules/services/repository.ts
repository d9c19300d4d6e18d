import { sql, type Kysely, type Selectable } from 'kysely';
import type { AppointmentTable, DB, OpeningPeriod, PoliceOfficeTable, SafetyArticleTable, ServiceCategory } from '../../db/schema.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;

export type OfficeRow = Selectable<PoliceOfficeTable> & { org_unit_name: string; org_path: string };
export type ArticleRow = Selectable<SafetyArticleTable> & { org_unit_name: string };

export interface OfficeValues {
  org_unit_id: string;
  kind: 'station' | 'office' | 'post';
  name: string;
  address: string | null;
  lng: number | null;
  lat: number | null;
  phone: string | null;
  hours: OpeningPeriod[];
  hours_note: string | null;
  status: 'active' | 'inactive';
}

export interface ServiceValues {
  office_id: string;
  category: ServiceCategory;
  name: string;
  description: string | null;
  required_docs: string[];
  fully_online: boolean;
  slot_minutes: number;
  capacity: number;
  days_ahead: number;
  status: 'active' | 'inactive';
}

const KIND_ORDER = sql<number>`CASE po.kind WHEN 'station' THEN 0 WHEN 'office' THEN 1 ELSE 2 END`;

function officeQuery(db: Db) {
  return db.selectFrom('police_offices as po').innerJoin('org_units as o', 'o.id', 'po.org_unit_id').selectAll('po').select(['o.name as org_unit_name', 'o.path as org_path']);
}

function serviceQuery(db: Db) {
  return db
    .selectFrom('appointment_services as s')
    .innerJoin('police_offices as po', 'po.id', 's.office_id')
    .innerJoin('org_units as o', 'o.id', 'po.org_unit_id')
    .selectAll('s')
    .select(['po.name as office_name', 'po.address as office_address', 'po.status as office_status', 'po.hours', 'po.org_unit_id', 'po.kind as office_kind', 'o.path as org_path']);
}
export type ServiceRow = Awaited<ReturnType<ReturnType<typeof serviceQuery>['executeTakeFirstOrThrow']>>;

function appointmentQuery(db: Db) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('appointment_services as s', 's.id', 'a.service_id')
    .innerJoin('police_offices as po', 'po.id', 'a.office_id')
    .innerJoin('org_units as o', 'o.id', 'po.org_unit_id')
    .leftJoin('users as h', 'h.id', 'a.handled_by')
    .selectAll('a')
    .select(['s.name as service_name', 's.required_docs', 'po.name as office_name', 'po.address as office_address', 'po.org_unit_id', 'o.path as org_path', 'h.display_name as handled_by_name']);
}
export type AppointmentRow = Awaited<ReturnType<ReturnType<typeof appointmentQuery>['executeTakeFirstOrThrow']>>;

function articleQuery(db: Db) {
  return db.selectFrom('safety_articles as sa').innerJoin('org_units as o', 'o.id', 'sa.org_unit_id').selectAll('sa').select(['o.name as org_unit_name']);
}

/** Staff on a plate page: active users holding `role` whose unit is `orgUnitId`. */
function staffCards(db: Db, orgUnitId: string, role: string) {
  return db
    .selectFrom('users as u')
    .innerJoin('user_roles as ur', 'ur.user_id', 'u.id')
    .select(['u.id', 'u.display_name', 'u.police_no', 'u.phone', sql<boolean>`EXISTS (SELECT 1 FROM staff_photos p WHERE p.user_id = u.id)`.as('has_photo')])
    .where('ur.role_code', '=', role)
    .where('u.org_unit_id', '=', orgUnitId)
    .where('u.status', '=', 'active')
    .orderBy('u.username')
    .execute();
}

export const servicesRepository = {
  // -- org units ----------------------------------------------------------------------------------------

  unit(db: Db, id: string) {
    return db.selectFrom('org_units').select(['id', 'parent_id', 'kind', 'name', 'path', 'status']).where('id', '=', id).executeTakeFirst();
  },

  unitInScope(db: Db, scopePath: string, id: string) {
    return db.selectFrom('org_units').select(['id', 'parent_id', 'kind', 'name', 'path', 'status']).where('id', '=', id).where('path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  /** The units named by the ids of a materialised path, with their kinds. */
  unitsOnPath(db: Db, path: string) {
    const ids = path.split('/').filter(Boolean);
    if (!ids.length) return Promise.resolve([]);
    return db.selectFrom('org_units').select(['id', 'parent_id', 'kind', 'name', 'path']).where('id', 'in', ids).execute();
  },

  address(db: Db, id: string) {
    return db.selectFrom('addresses').select(['id', 'lng', 'lat', 'grid_id']).where('id', '=', id).executeTakeFirst();
  },

  // -- staff cards --------------------------------------------------------------------------------------

  officers: (db: Db, communityId: string) => staffCards(db, communityId, 'officer'),
  gridWorkers: (db: Db, gridId: string) => staffCards(db, gridId, 'gridworker'),

  // -- offices ------------------------------------------------------------------------------------------

  officesInScope(db: Db, scopePath: string, underPath?: string): Promise<OfficeRow[]> {
    let q = officeQuery(db).where('o.path', 'like', subtreePattern(scopePath));
    if (underPath) q = q.where('o.path', 'like', subtreePattern(underPath));
    return q.orderBy(KIND_ORDER).orderBy('o.path').orderBy('po.name').execute();
  },

  officeInScope(db: Db, scopePath: string, id: string): Promise<OfficeRow | undefined> {
    return officeQuery(db).where('po.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  office(db: Db, id: string): Promise<OfficeRow | undefined> {
    return officeQuery(db).where('po.id', '=', id).executeTakeFirst();
  },

  /** The oldest active office of a kind on one org unit. */
  activeOfficeOn(db: Db, orgUnitId: string, kind: 'station' | 'office' | 'post'): Promise<OfficeRow | undefined> {
    return officeQuery(db).where('po.org_unit_id', '=', orgUnitId).where('po.kind', '=', kind).where('po.status', '=', 'active').orderBy('po.created_at').orderBy('po.id').limit(1).executeTakeFirst();
  },

  activeOfficesUnder(db: Db, path: string): Promise<OfficeRow[]> {
    return officeQuery(db).where('o.path', 'like', subtreePattern(path)).where('po.status', '=', 'active').orderBy(KIND_ORDER).orderBy('po.name').execute();
  },

  async insertOffice(db: Db, id: string, v: OfficeValues): Promise<void> {
    await db.insertInto('police_offices').values({ id, ...v, hours: JSON.stringify(v.hours) }).execute();
  },

  async updateOffice(db: Db, id: string, v: Partial<OfficeValues>): Promise<void> {
    const { hours, ...rest } = v;
    await db
      .updateTable('police_offices')
      .set({ ...rest, ...(hours ? { hours: JSON.stringify(hours) } : {}), updated_at: new Date() })
      .where('id', '=', id)
      .execute();
  },

  // -- services -----------------------------------------------------------------------------------------

  servicesInScope(db: Db, scopePath: string, officeId?: string): Promise<ServiceRow[]> {
    let q = serviceQuery(db).where('o.path', 'like', subtreePattern(scopePath));
    if (officeId) q = q.where('s.office_id', '=', officeId);
    return q.orderBy('o.path').orderBy('po.name').orderBy('s.category').orderBy('s.name').execute();
  },

  serviceInScope(db: Db, scopePath: string, id: string): Promise<ServiceRow | undefined> {
    return serviceQuery(db).where('s.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  service(db: Db, id: string): Promise<ServiceRow | undefined> {
    return serviceQuery(db).where('s.id', '=', id).executeTakeFirst();
  },

  /** Active services of active offices, in the order of `officeIds`, then by category and name. */
  async activeServicesOf(db: Db, officeIds: string[]): Promise<ServiceRow[]> {
    if (!officeIds.length) return [];
    const rows = await serviceQuery(db).where('s.office_id', 'in', officeIds).where('s.status', '=', 'active').where('po.status', '=', 'active').orderBy('s.category').orderBy('s.name').execute();
    return rows.sort((a, b) => officeIds.indexOf(a.office_id) - officeIds.indexOf(b.office_id));
  },

  /** Locks a service row until the transaction ends (bookings of one service queue here). */
  lockService(trx: Db, id: string) {
    return trx.selectFrom('appointment_services').select(['id', 'status', 'capacity']).where('id', '=', id).forUpdate().executeTakeFirst();
  },

  async insertService(db: Db, id: string, v: ServiceValues): Promise<void> {
    await db.insertInto('appointment_services').values({ id, ...v }).execute();
  },

  async updateService(db: Db, id: string, v: Partial<ServiceValues>): Promise<void> {
    await db.updateTable('appointment_services').set({ ...v, updated_at: new Date() }).where('id', '=', id).execute();
  },

  // -- appointments -------------------------------------------------------------------------------------

  /** Non-cancelled bookings per slot start of a service in [from, to). */
  async bookedCounts(db: Db, serviceId: string, from: Date, to: Date): Promise<Map<number, number>> {
    const rows = await db
      .selectFrom('appointments')
      .select(['slot_start', (eb) => eb.fn.countAll<string>().as('n')])
      .where('service_id', '=', serviceId)
      .where('status', '<>', 'cancelled')
      .where('slot_start', '>=', from)
      .where('slot_start', '<', to)
      .groupBy('slot_start')
      .execute();
    return new Map(rows.map((r) => [new Date(r.slot_start).getTime(), Number(r.n)]));
  },

  async countSlot(db: Db, serviceId: string, slotStart: Date): Promise<number> {
    const r = await db
      .selectFrom('appointments')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('service_id', '=', serviceId)
      .where('slot_start', '=', slotStart)
      .where('status', '<>', 'cancelled')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  /** A booked (not yet handled) appointment of the resident for the service starting in [from, to). */
  activeOnDay(db: Db, residentId: string, serviceId: string, from: Date, to: Date) {
    return db
      .selectFrom('appointments')
      .select(['id', 'slot_start'])
      .where('resident_id', '=', residentId)
      .where('service_id', '=', serviceId)
      .where('status', '=', 'booked')
      .where('slot_start', '>=', from)
      .where('slot_start', '<', to)
      .executeTakeFirst();
  },

  byClient(db: Db, residentId: string, clientId: string): Promise<AppointmentRow | undefined> {
    return appointmentQuery(db).where('a.resident_id', '=', residentId).where('a.client_id', '=', clientId).executeTakeFirst();
  },

  async insertAppointment(db: Db, row: Omit<Selectable<AppointmentTable>, 'created_at' | 'cancelled_at' | 'handled_at' | 'handled_by'>): Promise<void> {
    await db.insertInto('appointments').values(row).execute();
  },

  appointment(db: Db, id: string): Promise<AppointmentRow | undefined> {
    return appointmentQuery(db).where('a.id', '=', id).executeTakeFirst();
  },

  ownAppointment(db: Db, residentId: string, id: string): Promise<AppointmentRow | undefined> {
    return appointmentQuery(db).where('a.id', '=', id).where('a.resident_id', '=', residentId).executeTakeFirst();
  },

  async residentPage(db: Db, residentId: string, limit: number, offset: number) {
    const [rows, count] = await Promise.all([
      appointmentQuery(db).where('a.resident_id', '=', residentId).orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').limit(limit).offset(offset).execute(),
      db.selectFrom('appointments').select((eb) => eb.fn.countAll<string>().as('n')).where('resident_id', '=', residentId).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  /** Cancels a booked appointment whose slot has not begun; false when it no longer qualifies. */
  async cancel(trx: Db, id: string, now: Date): Promise<boolean> {
    const r = await trx
      .updateTable('appointments')
      .set({ status: 'cancelled', cancelled_at: now })
      .where('id', '=', id)
      .where('status', '=', 'booked')
      .where('slot_start', '>', now)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** booked → done / no_show; `startedBefore` requires the slot to have begun. False when it no longer qualifies. */
  async handle(trx: Db, id: string, status: 'done' | 'no_show', userId: string, now: Date, startedBefore?: Date): Promise<boolean> {
    let q = trx.updateTable('appointments').set({ status, handled_at: now, handled_by: userId }).where('id', '=', id).where('status', '=', 'booked');
    if (startedBefore) q = q.where('slot_start', '<=', startedBefore);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  appointmentInScope(db: Db, scopePath: string, id: string): Promise<AppointmentRow | undefined> {
    return appointmentQuery(db).where('a.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst();
  },

  /** Appointments of the offices in scope with a slot in [from, to), by slot. */
  staffDay(db: Db, f: { scopePath: string; officeId?: string; status?: string; from: Date; to: Date }): Promise<AppointmentRow[]> {
    let q = appointmentQuery(db).where('o.path', 'like', subtreePattern(f.scopePath)).where('a.slot_start', '>=', f.from).where('a.slot_start', '<', f.to);
    if (f.officeId) q = q.where('a.office_id', '=', f.officeId);
    if (f.status) q = q.where('a.status', '=', f.status as AppointmentRow['status']);
    return q.orderBy('a.slot_start').orderBy('po.name').orderBy('a.created_at').execute();
  },

  /**
   * Claims the reminders due: booked appointments starting in (now, horizon) without a reminder get
   * `reminder_sent_at` in this one statement, so two runners never claim the same row.
   */
  async claimReminders(db: Db, now: Date, horizon: Date, limit = 200): Promise<string[]> {
    const r = await sql<{ id: string }>`
      UPDATE appointments SET reminder_sent_at = ${now}
      WHERE id IN (
        SELECT id FROM appointments
        WHERE status = 'booked' AND reminder_sent_at IS NULL AND slot_start > ${now} AND slot_start < ${horizon}
        ORDER BY slot_start LIMIT ${limit}
      ) AND reminder_sent_at IS NULL
      RETURNING id`.execute(db);
    return r.rows.map((x) => x.id);
  },

  async unclaimReminder(db: Db, id: string): Promise<void> {
    await db.updateTable('appointments').set({ reminder_sent_at: null }).where('id', '=', id).execute();
  },

  appointments(db: Db, ids: string[]): Promise<AppointmentRow[]> {
    if (!ids.length) return Promise.resolve([]);
    return appointmentQuery(db).where('a.id', 'in', ids).orderBy('a.slot_start').execute();
  },

  // -- safety articles ----------------------------------------------------------------------------------

  async articlesInScope(db: Db, f: { scopePath: string; status?: string }, limit: number, offset: number) {
    let base = db.selectFrom('safety_articles as sa').innerJoin('org_units as o', 'o.id', 'sa.org_unit_id').where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.status) base = base.where('sa.status', '=', f.status as ArticleRow['status']);
    const [rows, count] = await Promise.all([
      base.selectAll('sa').select(['o.name as org_unit_name']).orderBy('sa.updated_at', 'desc').orderBy('sa.id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ArticleRow[], total: Number(count.n) };
  },

  articleInScope(db: Db, scopePath: string, id: string): Promise<ArticleRow | undefined> {
    return articleQuery(db).where('sa.id', '=', id).where('o.path', 'like', subtreePattern(scopePath)).executeTakeFirst() as Promise<ArticleRow | undefined>;
  },

  publishedArticle(db: Db, id: string): Promise<ArticleRow | undefined> {
    return articleQuery(db).where('sa.id', '=', id).where('sa.status', '=', 'published').executeTakeFirst() as Promise<ArticleRow | undefined>;
  },

  /** Published articles of the units on a path (the unit itself and its ancestors), newest first. */
  async publishedFor(db: Db, unitPath: string, limit: number, offset: number) {
    const base = db
      .selectFrom('safety_articles as sa')
      .innerJoin('org_units as o', 'o.id', 'sa.org_unit_id')
      .where('sa.status', '=', 'published')
      .where(sql<boolean>`starts_with(${unitPath}, o.path)`);
    const [rows, count] = await Promise.all([
      base.selectAll('sa').select(['o.name as org_unit_name']).orderBy('sa.published_at', 'desc').orderBy('sa.id', 'desc').limit(limit).offset(offset).execute(),
      base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows: rows as ArticleRow[], total: Number(count.n) };
  },

  async insertArticle(db: Db, row: { id: string; org_unit_id: string; title: string; summary: string | null; body: string; created_by: string; status?: 'draft' | 'published'; published_at?: Date | null }): Promise<void> {
    await db.insertInto('safety_articles').values({ ...row, updated_by: row.created_by }).execute();
  },

  async updateArticle(db: Db, id: string, patch: Partial<{ org_unit_id: string; title: string; summary: string | null; body: string }>, userId: string): Promise<void> {
    await db.updateTable('safety_articles').set({ ...patch, updated_by: userId, updated_at: new Date() }).where('id', '=', id).execute();
  },

  /** Moves an article between states; false when it was not in one of `from` (a concurrent change). */
  async setArticleStatus(db: Db, id: string, from: Array<'draft' | 'published' | 'withdrawn'>, to: 'published' | 'withdrawn', userId: string, now: Date): Promise<boolean> {
    const r = await db
      .updateTable('safety_articles')
      .set({ status: to, updated_by: userId, updated_at: now, ...(to === 'published' ? { published_at: now } : {}) })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },
};
