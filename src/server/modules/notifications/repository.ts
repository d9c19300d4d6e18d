import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { NotificationRow } from '../../platform/notify/notifications-repository.js';

type Db = Kysely<DB>;

/** A staff member's own notifications (docs/api-command.md "Notifications"). */
export const inboxRepository = {
  async list(db: Db, userId: string, f: { unreadOnly: boolean; limit: number; offset: number }) {
    let q = db.selectFrom('notifications').where('user_id', '=', userId);
    if (f.unreadOnly) q = q.where('read_at', 'is', null);
    const total = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const rows = (await q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute()) as NotificationRow[];
    return { total: Number(total.n), rows };
  },

  async unread(db: Db, userId: string): Promise<{ all: number; urgent: number }> {
    const r = await sql<{ all: string; urgent: string }>`
      SELECT count(*)::text AS all, count(*) FILTER (WHERE level = 'urgent')::text AS urgent
        FROM notifications WHERE user_id = ${userId} AND read_at IS NULL`.execute(db);
    return { all: Number(r.rows[0]?.all ?? 0), urgent: Number(r.rows[0]?.urgent ?? 0) };
  },

  async markRead(db: Db, userId: string, id: string, at: Date): Promise<NotificationRow | undefined> {
    await db.updateTable('notifications').set({ read_at: at }).where('id', '=', id).where('user_id', '=', userId).where('read_at', 'is', null).execute();
    return (await db.selectFrom('notifications').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst()) as NotificationRow | undefined;
  },

  /** Marks read every notification about the given subjects (the demo seed's history). */
  async markReadForSubjects(db: Db, subjectIds: string[], at: Date): Promise<number> {
    if (!subjectIds.length) return 0;
    const r = await db.updateTable('notifications').set({ read_at: at }).where('subject_id', 'in', subjectIds).where('read_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },

  async markAllRead(db: Db, userId: string, at: Date): Promise<number> {
    const r = await db.updateTable('notifications').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows);
  },
};
