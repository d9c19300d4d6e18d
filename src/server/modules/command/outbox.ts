import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { audienceOf, insertNotifications, publishNotifications, type Audience, type NewNotification } from '../../platform/notify/notifications.js';
import type { NotificationRow } from '../../platform/notify/notifications-repository.js';

/**
 * Console notifications written inside a change's transaction, pushed and texted only after it committed (so
 * nobody hears of something rolled back). SMS failures are logged and never undo the change.
 */
export class CommandOutbox {
  private readonly rows: NotificationRow[] = [];
  private readonly texts = new Map<string, string>();

  async notify(trx: Kysely<DB>, who: Audience | Audience[], n: NewNotification, opts: { sms?: string; exclude?: string[] } = {}): Promise<string[]> {
    const people = new Map<string, string | null>();
    for (const a of Array.isArray(who) ? who : [who]) for (const p of await audienceOf(trx, a)) people.set(p.id, p.phone);
    for (const id of opts.exclude ?? []) people.delete(id);
    this.rows.push(...(await insertNotifications(trx, [...people.keys()], n)));
    if (opts.sms) for (const phone of people.values()) if (phone) this.texts.set(`${phone}\n${opts.sms}`, phone);
    return [...people.keys()];
  }

  get size() {
    return this.rows.length;
  }

  async flush(deps: Deps): Promise<void> {
    publishNotifications(deps, this.rows);
    for (const [key, phone] of this.texts) {
      try {
        await deps.sms.send(phone, key.slice(phone.length + 1));
      } catch (err) {
        deps.log.warn({ err }, 'command sms failed');
      }
    }
    this.rows.length = 0;
    this.texts.clear();
  }
}
