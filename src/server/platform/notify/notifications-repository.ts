import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { uuidv7Floor } from '../ids/uuid7.js';

type Db = Kysely<DB>;

export interface NotificationRow {
  id: string;
  user_id: string;
  kind: string;
  level: 'urgent' | 'normal';
  title: string;
  body: string;
  link: string | null;
  subject_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

/** notifications, and who among the staff should get one. */
export const notificationsRepository = {
  /**
   * Active staff holding `permission` (through any of their roles) who sit at `orgUnitId` or below it, or who
   * belong to `departmentId`.
   */
  async recipients(db: Db, who: { permission: string; orgUnitId?: string; departmentId?: string }): Promise<Array<{ id: string; phone: string | null }>> {
    if (!who.orgUnitId && !who.departmentId) return [];
    const r = await sql<{ id: string; phone: string | null }>`
      SELECT DISTINCT u.id, u.phone
      FROM users u
      JOIN user_roles ur ON ur.user_id = u.id
      JOIN roles r ON r.code = ur.role_code
      ${who.orgUnitId ? sql`JOIN org_units o ON o.id = u.org_unit_id` : sql``}
      WHERE u.status = 'active' AND ${who.permission} = ANY (r.permissions)
        AND ${
          who.orgUnitId
            ? sql`o.path LIKE (SELECT t.path || '%' FROM org_units t WHERE t.id = ${who.orgUnitId})`
            : sql`u.department_id = ${who.departmentId!}`
        }
      ORDER BY u.id`.execute(db);
    return r.rows;
  },

  /** Notifications by id (those another process announced). */
  async byIds(db: Db, ids: string[]): Promise<NotificationRow[]> {
    if (!ids.length) return [];
    return (await db.selectFrom('notifications').selectAll().where('id', 'in', ids).orderBy('id').execute()) as NotificationRow[];
  },

  /** Notifications created from `since` on, oldest first (ids are UUIDv7: a range of the primary key). */
  async createdSince(db: Db, since: Date, limit: number): Promise<NotificationRow[]> {
    return (await db.selectFrom('notifications').selectAll().where('id', '>=', uuidv7Floor(since)).orderBy('id').limit(limit).execute()) as NotificationRow[];
  },

  /** Sends a payload on a channel to every connection listening, in any process (delivered after commit). */
  async announce(db: Db, channel: string, payload: string): Promise<void> {
    await sql`SELECT pg_notify(${channel}, ${payload})`.execute(db);
  },

  async insert(db: Db, rows: Array<Omit<NotificationRow, 'read_at' | 'created_at'> & { created_at: Date }>): Promise<NotificationRow[]> {
    if (!rows.length) return [];
    return (await db.insertInto('notifications').values(rows).returningAll().execute()) as NotificationRow[];
  },
};
