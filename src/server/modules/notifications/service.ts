import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { notFound } from '../../platform/errors/index.js';
import type { NotificationRow } from '../../platform/notify/notifications-repository.js';
import { inboxRepository as repo } from './repository.js';

/** One notification as the console sees it (the list, the stream). */
export function presentNotification(r: NotificationRow) {
  return {
    id: r.id,
    kind: r.kind,
    level: r.level,
    title: r.title,
    body: r.body,
    link: r.link,
    subjectId: r.subject_id,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}

export async function listNotifications(deps: Deps, ctx: RequestContext, f: { unreadOnly: boolean }, page: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  const { total, rows } = await repo.list(deps.db, me.userId, { unreadOnly: f.unreadOnly, ...page });
  const unread = await repo.unread(deps.db, me.userId);
  return { total, items: rows.map(presentNotification), unread: unread.all, unreadUrgent: unread.urgent };
}

/** Marks one of the caller's notifications read (again is harmless); someone else's is 404. */
export async function readNotification(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const row = await repo.markRead(deps.db, me.userId, id, new Date());
  if (!row) throw notFound('通知不存在');
  return presentNotification(row);
}

export async function readAllNotifications(deps: Deps, ctx: RequestContext) {
  const me = staffOf(ctx);
  return { updated: await repo.markAllRead(deps.db, me.userId, new Date()), unread: 0 };
}
