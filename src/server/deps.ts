import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import type { Database } from './db/connect.js';
import type { DB } from './db/schema.js';
import type { SmsSender } from './platform/notify/sms.js';

/** What services need from the outside world; built once per process in main.ts (or per test). */
export interface Deps {
  config: Config;
  database: Database;
  db: Kysely<DB>;
  sms: SmsSender;
  log: FastifyBaseLogger;
}
