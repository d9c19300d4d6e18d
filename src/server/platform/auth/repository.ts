import { sql, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { DB } from '../../db/schema.js';

type Db = Kysely<DB>;

export interface SessionPrincipalRow {
  session_id: string;
  principal_kind: 'staff' | 'resident';
  expires_at: Date;
  last_seen_at: Date;
  user_id: string | null;
  username: string | null;
  display_name: string | null;
  org_unit_id: string | null;
  department_id: string | null;
  org_path: string | null;
  user_status: string | null;
  must_change_password: boolean | null;
  roles: string[] | null;
  permissions: string[] | null;
  resident_id: string | null;
  resident_phone: string | null;
}

export const authRepository = {
  findUserByUsername(db: Db, username: string) {
    return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  },

  findUserById(db: Db, id: string) {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  },

  async recordFailure(db: Db, userId: string, maxAttempts: number, lockMinutes: number) {
    return db
      .updateTable('users')
      .set({
        failed_attempts: sql`CASE WHEN failed_attempts + 1 >= ${maxAttempts} THEN 0 ELSE failed_attempts + 1 END`,
        locked_until: sql`CASE WHEN failed_attempts + 1 >= ${maxAttempts}
          THEN now() + make_interval(mins => ${lockMinutes}) ELSE locked_until END`,
      })
      .where('id', '=', userId)
      .returning(['failed_attempts', 'locked_until'])
      .executeTakeFirstOrThrow();
  },

  async recordSuccess(db: Db, userId: string) {
    await db
      .updateTable('users')
      .set({ failed_attempts: 0, locked_until: null, last_login_at: new Date() })
      .where('id', '=', userId)
      .execute();
  },

  async setPassword(db: Db, userId: string, passwordHash: string, mustChange: boolean) {
    await db
      .updateTable('users')
      .set({ password_hash: passwordHash, must_change_password: mustChange, updated_at: new Date() })
      .where('id', '=', userId)
      .execute();
  },

  async setTotp(db: Db, userId: string, values: { totp_secret?: string | null; totp_pending_secret?: string | null; totp_enabled?: boolean }) {
    await db.updateTable('users').set({ ...values, updated_at: new Date() }).where('id', '=', userId).execute();
  },

  async createSession(
    db: Db,
    s: { tokenHash: string; kind: 'staff' | 'resident'; userId?: string; residentId?: string; expiresAt: Date; ip?: string; userAgent?: string },
  ): Promise<string> {
    const id = uuidv7();
    await db
      .insertInto('sessions')
      .values({
        id,
        token_hash: s.tokenHash,
        principal_kind: s.kind,
        user_id: s.userId ?? null,
        resident_id: s.residentId ?? null,
        expires_at: s.expiresAt,
        ip: s.ip ?? null,
        user_agent: s.userAgent?.slice(0, 300) ?? null,
      })
      .execute();
    return id;
  },

  /** The live session for a token hash with everything needed to authorise the request. */
  async principalByTokenHash(db: Db, tokenHash: string): Promise<SessionPrincipalRow | undefined> {
    const r = await sql<SessionPrincipalRow>`
      SELECT s.id AS session_id, s.principal_kind, s.expires_at, s.last_seen_at,
             u.id AS user_id, u.username, u.display_name, u.org_unit_id, u.department_id, o.path AS org_path,
             u.status AS user_status, u.must_change_password,
             (SELECT array_agg(ur.role_code ORDER BY ur.role_code) FROM user_roles ur WHERE ur.user_id = u.id) AS roles,
             (SELECT array_agg(DISTINCT p) FROM user_roles ur JOIN roles ro ON ro.code = ur.role_code,
                     unnest(ro.permissions) AS p WHERE ur.user_id = u.id) AS permissions,
             r.id AS resident_id, r.phone AS resident_phone
        FROM sessions s
        LEFT JOIN users u ON u.id = s.user_id
        LEFT JOIN org_units o ON o.id = u.org_unit_id
        LEFT JOIN residents r ON r.id = s.resident_id
       WHERE s.token_hash = ${tokenHash} AND s.revoked_at IS NULL AND s.expires_at > now()`.execute(db);
    return r.rows[0];
  },

  /** An active staff account with its scope, roles and permissions (for work done on the user's behalf). */
  async staffByUserId(db: Db, userId: string) {
    const r = await sql<{ user_id: string; username: string; display_name: string; org_unit_id: string; department_id: string | null; org_path: string; roles: string[] | null; permissions: string[] | null }>`
      SELECT u.id AS user_id, u.username, u.display_name, u.org_unit_id, u.department_id, o.path AS org_path,
             (SELECT array_agg(ur.role_code ORDER BY ur.role_code) FROM user_roles ur WHERE ur.user_id = u.id) AS roles,
             (SELECT array_agg(DISTINCT p) FROM user_roles ur JOIN roles ro ON ro.code = ur.role_code,
                     unnest(ro.permissions) AS p WHERE ur.user_id = u.id) AS permissions
        FROM users u JOIN org_units o ON o.id = u.org_unit_id
       WHERE u.id = ${userId} AND u.status = 'active'`.execute(db);
    return r.rows[0];
  },

  async touchSession(db: Db, sessionId: string) {
    await db.updateTable('sessions').set({ last_seen_at: new Date() }).where('id', '=', sessionId).execute();
  },

  async revokeSession(db: Db, sessionId: string, ownerFilter: { userId?: string; residentId?: string }) {
    let q = db.updateTable('sessions').set({ revoked_at: new Date() }).where('id', '=', sessionId).where('revoked_at', 'is', null);
    if (ownerFilter.userId) q = q.where('user_id', '=', ownerFilter.userId);
    if (ownerFilter.residentId) q = q.where('resident_id', '=', ownerFilter.residentId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async revokeUserSessions(db: Db, userId: string, exceptSessionId?: string) {
    let q = db.updateTable('sessions').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
    if (exceptSessionId) q = q.where('id', '!=', exceptSessionId);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  listSessions(db: Db, owner: { userId?: string; residentId?: string }) {
    let q = db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', new Date());
    q = owner.userId ? q.where('user_id', '=', owner.userId) : q.where('resident_id', '=', owner.residentId ?? '');
    return q.orderBy('last_seen_at', 'desc').limit(100).execute();
  },

  latestOtp(db: Db, phone: string) {
    return db.selectFrom('otp_codes').selectAll().where('phone', '=', phone).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  },

  async addOtp(db: Db, phone: string, codeHash: string, expiresAt: Date) {
    await db.insertInto('otp_codes').values({ id: uuidv7(), phone, code_hash: codeHash, expires_at: expiresAt }).execute();
  },

  async countOtpSince(db: Db, phone: string, since: Date) {
    const r = await db
      .selectFrom('otp_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('phone', '=', phone)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  },

  async bumpOtpAttempts(db: Db, id: string) {
    const r = await db
      .updateTable('otp_codes')
      .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .returning('attempts')
      .executeTakeFirstOrThrow();
    return r.attempts;
  },

  /** Marks a code used; false when another request consumed it first. */
  async consumeOtp(db: Db, id: string): Promise<boolean> {
    const r = await db
      .updateTable('otp_codes')
      .set({ consumed_at: new Date() })
      .where('id', '=', id)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  async upsertResident(db: Db, phone: string): Promise<string> {
    const r = await db
      .insertInto('residents')
      .values({ id: uuidv7(), phone, last_login_at: new Date() })
      .onConflict((oc) => oc.column('phone').doUpdateSet({ last_login_at: new Date() }))
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  },

  orgUnitSummary(db: Db, id: string) {
    return db.selectFrom('org_units').select(['id', 'name', 'kind', 'code']).where('id', '=', id).executeTakeFirst();
  },

  departmentSummary(db: Db, id: string) {
    return db.selectFrom('departments').select(['id', 'name', 'kind', 'category']).where('id', '=', id).executeTakeFirst();
  },

  async roleCodesOf(db: Db, userId: string): Promise<string> {
    const rows = await db.selectFrom('user_roles').select('role_code').where('user_id', '=', userId).orderBy('role_code').execute();
    return rows.map((r) => r.role_code).join(',');
  },

  rolesByCodes(db: Db, codes: string[]) {
    if (codes.length === 0) return Promise.resolve([]);
    return db.selectFrom('roles').select(['code', 'name', 'name_en']).where('code', 'in', codes).orderBy('code').execute();
  },
};
