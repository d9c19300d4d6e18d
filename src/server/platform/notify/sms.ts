import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { DB } from '../../db/schema.js';
import { outboxRepository } from './repository.js';

/** Sends one text message. Implementations: the development outbox, or an HTTP gateway. */
export interface SmsSender {
  readonly name: string;
  send(phone: string, body: string): Promise<void>;
}

/** Development sender: writes the message to the log and to the `sms_outbox` table (GET /api/v1/dev/outbox). */
export class OutboxSmsSender implements SmsSender {
  readonly name = 'dev-outbox';
  constructor(
    private readonly db: Kysely<DB>,
    private readonly log: FastifyBaseLogger,
  ) {}

  async send(phone: string, body: string): Promise<void> {
    await outboxRepository.add(this.db, phone, body, this.name);
    this.log.info({ phone, body }, 'sms (development outbox)');
  }
}

/**
 * Production sender: POSTs `{phone, body}` as JSON to the operator's SMS gateway (SMS_WEBHOOK_URL),
 * with an optional bearer token (SMS_WEBHOOK_TOKEN). The gateway speaks to the carrier.
 */
export class WebhookSmsSender implements SmsSender {
  readonly name = 'webhook';
  constructor(
    private readonly url: string,
    private readonly token?: string,
  ) {}

  async send(phone: string, body: string): Promise<void> {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ phone, body }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`短信网关返回 ${res.status}`);
  }
}

export const listOutbox = (db: Kysely<DB>, limit = 50) => outboxRepository.latest(db, limit);
