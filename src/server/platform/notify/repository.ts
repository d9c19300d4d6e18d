import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

export const outboxRepository = {
  async add(db: Kysely<DB>, phone: string, body: string, provider: string): Promise<void> {
    await db.insertInto('sms_outbox').values({ id: uuidv7(), phone, body, provider }).execute();
  },

  latest(db: Kysely<DB>, limit: number) {
    return db
      .selectFrom('sms_outbox')
      .select(['id', 'phone', 'body', 'created_at'])
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  },
};
