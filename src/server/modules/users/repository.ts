import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { likeEscape } from '../../db/like.js';
import { subtreePattern } from '../../platform/access/scope.js';

type Db = Kysely<DB>;

export interface UserFilter {
  scopePath: string;
  q?: string;
  orgUnitId?: string;
  role?: string;
  status?: 'active' | 'disabled';
}

export const usersRepository = {
  base(db: Db, f: UserFilter) {
    let q = db
      .selectFrom('users as u')
      .innerJoin('org_units as o', 'o.id', 'u.org_unit_id')
      .leftJoin('departments as d', 'd.id', 'u.department_id')
      .where('o.path', 'like', subtreePattern(f.scopePath));
    if (f.q) {
      const like = `%${likeEscape(f.q)}%`;
      q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like), eb('u.phone', 'like', like)]));
    }
    if (f.orgUnitId) q = q.where('u.org_unit_id', '=', f.orgUnitId);
    if (f.status) q = q.where('u.status', '=', f.status);
    if (f.role) q = q.where(sql<boolean>`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_code = ${f.role})`);
    return q;
  },

  selection(db: Db, f: UserFilter) {
    return this.base(db, f).select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.phone',
      'u.status',
      'u.locked_until',
      'u.totp_enabled',
      'u.last_login_at',
      'u.must_change_password',
      'u.police_no',
      sql<boolean>`EXISTS (SELECT 1 FROM staff_photos p WHERE p.user_id = u.id)`.as('has_photo'),
      'u.org_unit_id',
      'o.name as org_unit_name',
      'u.department_id',
      'd.name as department_name',
      sql<string[]>`coalesce((SELECT array_agg(ur.role_code ORDER BY ur.role_code) FROM user_roles ur WHERE ur.user_id = u.id), '{}')`.as(
        'roles',
      ),
    ]);
  },

  async page(db: Db, f: UserFilter, limit: number, offset: number) {
    const [rows, count] = await Promise.all([
      this.selection(db, f).orderBy('o.path').orderBy('u.username').limit(limit).offset(offset).execute(),
      this.base(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.n) };
  },

  one(db: Db, scopePath: string, id: string) {
    return this.selection(db, { scopePath }).where('u.id', '=', id).executeTakeFirst();
  },

  usernameTaken(db: Db, username: string) {
    return db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  },

  async insert(
    db: Db,
    row: {
      id: string;
      username: string;
      display_name: string;
      password_hash: string;
      org_unit_id: string;
      department_id: string | null;
      phone: string | null;
      police_no?: string | null;
      must_change_password: boolean;
    },
  ) {
    await db
      .insertInto('users')
      .values({ ...row, police_no: row.police_no ?? null, status: 'active', locked_until: null, totp_secret: null, totp_pending_secret: null, last_login_at: null })
      .execute();
  },

  async update(
    db: Db,
    id: string,
    patch: Partial<{ display_name: string; phone: string | null; police_no: string | null; org_unit_id: string; department_id: string | null; status: 'active' | 'disabled'; failed_attempts: number; locked_until: Date | null }>,
  ) {
    await db.updateTable('users').set({ ...patch, updated_at: new Date() }).where('id', '=', id).execute();
  },

  async setRoles(db: Db, userId: string, roles: string[]) {
    await db.deleteFrom('user_roles').where('user_id', '=', userId).execute();
    if (roles.length) await db.insertInto('user_roles').values(roles.map((role_code) => ({ user_id: userId, role_code }))).execute();
  },

  roles(db: Db) {
    return db.selectFrom('roles').selectAll().orderBy('builtin', 'desc').orderBy('code').execute();
  },

  async upsertRole(db: Db, r: { code: string; name: string; name_en: string; description: string; permissions: string[]; builtin: boolean }) {
    await db
      .insertInto('roles')
      .values(r)
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: r.name, name_en: r.name_en, description: r.description, permissions: r.permissions, builtin: r.builtin }))
      .execute();
  },

  /** Stores (or replaces) a user's published photo. */
  async putPhoto(db: Db, userId: string, contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/svg+xml', data: Buffer) {
    await db
      .insertInto('staff_photos')
      .values({ user_id: userId, content_type: contentType, data, updated_at: new Date() })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ content_type: contentType, data, updated_at: new Date() }))
      .execute();
  },

  /** The photo of an active user holding one of `roles` (what a plate page shows), or undefined. */
  publicPhoto(db: Db, userId: string, roles: string[]) {
    return db
      .selectFrom('staff_photos as p')
      .innerJoin('users as u', 'u.id', 'p.user_id')
      .select(['p.content_type', 'p.data', 'p.updated_at'])
      .where('p.user_id', '=', userId)
      .where('u.status', '=', 'active')
      .where(sql<boolean>`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role_code IN (${sql.join(roles)}))`)
      .executeTakeFirst();
  },

  departmentOrg(db: Db, departmentId: string) {
    return db.selectFrom('departments').select(['id', 'org_unit_id']).where('id', '=', departmentId).executeTakeFirst();
  },
};
