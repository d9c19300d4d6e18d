import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import { inject } from 'vitest';
import type { FastifyBaseLogger, FastifyInstance, LightMyRequestResponse } from 'fastify';
import { connectPGlite, connectPostgres, type Database } from '../../src/server/db/connect.js';
import { openDeps } from '../../src/server/bootstrap.js';
import { buildApp, type BuildOptions } from '../../src/server/app.js';
import type { Deps } from '../../src/server/deps.js';
import { TEST_PASSWORD, testConfig } from './env.js';

/** A fresh copy of the migrated demo-district database for one test file. */
export async function openTestDatabase(): Promise<Database> {
  const templateDb = inject('templateDb');
  if (templateDb) {
    const adminUrl = process.env.TEST_DATABASE_URL!;
    const name = `fq_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDb}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await connectPostgres(url.toString(), 5, () => {}); // FORCE-dropping the copy cuts idle connections
    const close = database.close;
    database.close = async () => {
      await close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
    return database;
  }
  const file = inject('templateFile');
  return connectPGlite({ loadDataDir: new Blob([readFileSync(file)]) });
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  close(): Promise<void>;
  /** Signs in and returns the bearer token. */
  login(username: string, password?: string): Promise<string>;
  /** Signs a resident in by phone and the one-time code from the SMS outbox; returns the bearer token. */
  residentLogin(phone: string): Promise<string>;
  /** An authenticated JSON request. */
  call(token: string | undefined, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function createTestApp(opts: BuildOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  // TEST_LOG=error shows the server's error log (e.g. the cause of a 500)
  const log = pino({ level: process.env.TEST_LOG ?? 'silent' }) as unknown as FastifyBaseLogger;
  const deps = await openDeps(testConfig(), log, database);
  const app = await buildApp(deps, { rateLimit: false, ...opts });
  await app.ready();
  const call: TestApp['call'] = (token, method, url, body, headers = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
  return {
    app,
    deps,
    call,
    async close() {
      await app.close();
      await database.close();
    },
    async login(username, password = TEST_PASSWORD) {
      const res = await call(undefined, 'POST', '/api/v1/auth/login', { username, password });
      if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
    async residentLogin(phone) {
      const req = await call(undefined, 'POST', '/api/v1/auth/otp/request', { phone });
      if (req.statusCode !== 202) throw new Error(`code for ${phone} refused: ${req.statusCode} ${req.body}`);
      const box = (await call(undefined, 'GET', '/api/v1/dev/outbox')).json() as Array<{ phone: string; body: string }>;
      const sms = box.find((m) => m.phone === phone && m.body.includes('验证码'));
      const code = sms && /(\d{6})/.exec(sms.body)?.[1];
      if (!code) throw new Error(`no code for ${phone} in the outbox`);
      const res = await call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code });
      if (res.statusCode !== 200) throw new Error(`resident ${phone} sign-in failed: ${res.statusCode} ${res.body}`);
      return res.json().token as string;
    },
  };
}
