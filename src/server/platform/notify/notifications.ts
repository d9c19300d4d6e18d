import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import type { Permission } from '../access/permissions.js';
import { notificationsRepository as repo, type NotificationRow } from './notifications-repository.js';

/**
 * Console notifications (docs/api-command.md "Notifications"): one row per recipient, pushed at once to that user's
 * open console tabs over server-sent events by an in-process bus. Urgent matters also go out by SMS.
 *
 * Inside a transaction: `insertNotifications(trx, …)` there, then `publishNotifications(deps, rows)` after the
 * commit, so nobody is told about something that was rolled back. Outside one: `notifyStaff`.
 */
export interface NewNotification {
  kind: string;
  level?: 'urgent' | 'normal';
  title: string;
  body?: string;
  /** A console path, e.g. /command/directives/{id}. */
  link?: string | null;
  subjectId?: string | null;
}

/** Who should be told: holders of `permission` at or below an org unit, or in a department; or given users. */
export type Audience = { permission: Permission; orgUnitId?: string; departmentId?: string } | { userIds: string[] };

const buses = new WeakMap<Deps['db'], EventEmitter>();

/** The process's bus for one database: `notification` events carry a NotificationRow. */
export function notificationBus(deps: Pick<Deps, 'db'>): EventEmitter {
  let bus = buses.get(deps.db);
  if (!bus) {
    bus = new EventEmitter();
    bus.setMaxListeners(0); // one listener per open console tab
    buses.set(deps.db, bus);
  }
  return bus;
}

export async function audienceOf(db: Kysely<DB>, who: Audience): Promise<Array<{ id: string; phone: string | null }>> {
  if ('userIds' in who) {
    if (!who.userIds.length) return [];
    return db.selectFrom('users').select(['id', 'phone']).where('id', 'in', who.userIds).where('status', '=', 'active').execute();
  }
  return repo.recipients(db, who);
}

export async function insertNotifications(db: Kysely<DB>, userIds: string[], n: NewNotification): Promise<NotificationRow[]> {
  const now = new Date();
  return repo.insert(
    db,
    [...new Set(userIds)].map((user_id) => ({
      id: uuidv7(),
      user_id,
      kind: n.kind,
      level: n.level ?? 'normal',
      title: n.title,
      body: n.body ?? '',
      link: n.link ?? null,
      subject_id: n.subjectId ?? null,
      created_at: now,
    })),
  );
}

export function publishNotifications(deps: Pick<Deps, 'db'>, rows: NotificationRow[]): void {
  const bus = notificationBus(deps);
  for (const r of rows) bus.emit('notification', r);
}

/**
 * Notifications written inside a change's transaction, pushed and texted only after it committed, so nobody hears
 * of something rolled back: `notify(trx, …)` while the change is written, `flush(deps)` after the commit. An SMS
 * that fails is logged and never undoes the change.
 */
export class NotificationOutbox {
  private readonly rows: NotificationRow[] = [];
  private readonly texts = new Map<string, { phone: string; body: string }>();

  /** Notifies an audience (less `exclude`), and queues `sms` to each recipient with a phone; returns their ids. */
  async notify(db: Kysely<DB>, who: Audience | Audience[], n: NewNotification, opts: { sms?: string; exclude?: string[] } = {}): Promise<string[]> {
    const people = new Map<string, string | null>();
    for (const a of Array.isArray(who) ? who : [who]) for (const p of await audienceOf(db, a)) people.set(p.id, p.phone);
    for (const id of opts.exclude ?? []) people.delete(id);
    this.rows.push(...(await insertNotifications(db, [...people.keys()], n)));
    if (opts.sms) for (const phone of people.values()) if (phone) this.texts.set(`${phone}\n${opts.sms}`, { phone, body: opts.sms });
    return [...people.keys()];
  }

  get size() {
    return this.rows.length;
  }

  async flush(deps: Deps): Promise<void> {
    publishNotifications(deps, this.rows);
    for (const { phone, body } of this.texts.values()) {
      try {
        await deps.sms.send(phone, body);
      } catch (err) {
        deps.log.warn({ err }, 'notification sms failed');
      }
    }
    this.rows.length = 0;
    this.texts.clear();
  }
}

/** Notifies an audience outside any transaction: rows, push, and one text to each recipient when `sms` is given. */
export async function notifyStaff(deps: Deps, who: Audience | Audience[], n: NewNotification, sms?: string): Promise<string[]> {
  const out = new NotificationOutbox();
  const ids = await out.notify(deps.db, who, n, { sms });
  await out.flush(deps);
  return ids;
}
