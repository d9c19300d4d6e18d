import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import type { Permission } from '../access/permissions.js';
import { notificationsRepository as repo, type NotificationRow } from './notifications-repository.js';

/**
 * Console notifications (docs/api-command.md "Notifications"): one row per recipient, pushed at once to that user's
 * open console tabs over server-sent events by an in-process bus. Other server processes on the same database hear
 * of them by PostgreSQL NOTIFY and put them on their own bus. Urgent matters also go out by SMS.
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

/**
 * The process's bus for one database, the id this process signs its announcements with, and the notifications it
 * put on the bus lately (id → when), so that none is put there twice.
 */
interface Relay {
  bus: EventEmitter;
  origin: string;
  recent: Map<string, number>;
}
const relays = new WeakMap<Deps['db'], Relay>();

/** How long a notification's id is remembered once on the bus. */
const RECENT_MS = 15 * 60_000;
/** A notification's time is taken before its transaction commits: a replay looks back this far before the loss. */
const REPLAY_MARGIN_MS = 60_000;
const REPLAY_MAX_ROWS = 5_000;

function relayOf(db: Deps['db']): Relay {
  let r = relays.get(db);
  if (!r) {
    const bus = new EventEmitter();
    bus.setMaxListeners(0); // one listener per open console tab
    relays.set(db, (r = { bus, origin: uuidv7(), recent: new Map() }));
  }
  return r;
}

/** Puts on the bus the rows not put there before; returns how many were new. */
function emitOnce(relay: Relay, rows: NotificationRow[], now = Date.now()): number {
  for (const [id, at] of relay.recent) {
    if (now - at < RECENT_MS) break; // insertion order is time order
    relay.recent.delete(id);
  }
  let n = 0;
  for (const row of rows) {
    if (relay.recent.has(row.id)) continue;
    relay.recent.set(row.id, now);
    relay.bus.emit('notification', row);
    n += 1;
  }
  return n;
}

/** The process's bus for one database: `notification` events carry a NotificationRow. */
export function notificationBus(deps: Pick<Deps, 'db'>): EventEmitter {
  return relayOf(deps.db).bus;
}

/** The channel on which a process tells the others which notifications it created (ids only: payloads stay small). */
export const NOTIFICATION_CHANNEL = 'fq_notifications';
const IDS_PER_ANNOUNCEMENT = 100; // 100 uuids ≈ 3.8 kB, well under the 8 kB payload limit

interface Announcement {
  origin: string;
  ids: string[];
}

/**
 * Carries notifications created by other server processes on the same database to this process's bus, so their
 * recipients' open console tabs get them at once too. Returns the function that stops it.
 */
export async function startNotificationRelay(deps: Deps): Promise<() => Promise<void>> {
  const relay = relayOf(deps.db);
  const receive = async (payload: string) => {
    let a: Announcement;
    try {
      a = JSON.parse(payload) as Announcement;
    } catch {
      return deps.log.warn({ payload }, 'unreadable notification announcement');
    }
    if (a.origin === relay.origin || !Array.isArray(a.ids)) return; // our own: already on the bus
    try {
      emitOnce(relay, await repo.byIds(deps.db, a.ids));
    } catch (err) {
      deps.log.warn({ err }, 'announced notifications could not be read');
    }
  };
  // announcements made while the connection was down were not heard: read what was created meanwhile
  const replay = async (lostAt: Date) => {
    const since = new Date(Math.max(lostAt.getTime() - REPLAY_MARGIN_MS, Date.now() - RECENT_MS + REPLAY_MARGIN_MS));
    try {
      const replayed = emitOnce(relay, await repo.createdSince(deps.db, since, REPLAY_MAX_ROWS));
      deps.log.info({ lostAt, replayed }, 'notification channel re-opened');
    } catch (err) {
      deps.log.warn({ err }, 'notifications missed while the channel was down could not be read');
    }
  };
  // one announcement (or replay) at a time, so notifications reach the streams in the order they were announced
  let queue = Promise.resolve();
  const inTurn = (work: () => Promise<void>) => void (queue = queue.then(work));
  return deps.database.listen(NOTIFICATION_CHANNEL, (p) => inTurn(() => receive(p)), {
    onError: (err) => deps.log.warn({ err }, 'notification channel lost; reconnecting'),
    onReopen: (lostAt) => inTurn(() => replay(lostAt)),
  });
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

/** Puts committed notifications on this process's bus and announces them to the other processes. */
export async function publishNotifications(deps: Deps, rows: NotificationRow[]): Promise<void> {
  if (!rows.length) return;
  const relay = relayOf(deps.db);
  const { origin } = relay;
  emitOnce(relay, rows);
  try {
    for (let i = 0; i < rows.length; i += IDS_PER_ANNOUNCEMENT) {
      const a: Announcement = { origin, ids: rows.slice(i, i + IDS_PER_ANNOUNCEMENT).map((r) => r.id) };
      await repo.announce(deps.db, NOTIFICATION_CHANNEL, JSON.stringify(a));
    }
  } catch (err) {
    // the rows are stored: the other processes' tabs still see them at their next refresh
    deps.log.warn({ err }, 'notifications could not be announced to other processes');
  }
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
    await publishNotifications(deps, this.rows);
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
