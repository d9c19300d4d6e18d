import { describe, expect, it } from 'vitest';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, loadConfig } from '../src/server/config.js';
import { openDeps, StartupRefusedError } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import { OutboxSmsSender } from '../src/server/platform/notify/sms.js';
import { openTestDatabase } from './support/app.js';
import { testConfig } from './support/env.js';

const silent = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
const KEYS = { FENGQIAO_DATA_KEY: 'aa'.repeat(32), FENGQIAO_INDEX_KEY: 'bb'.repeat(32), FENGQIAO_TOKEN_KEY: 'cc'.repeat(32) };

describe('configuration', () => {
  it('reads HOST, PORT, DATA_DIR, DATABASE_URL, PUBLIC_BASE_URL and DEMO_PASSWORD', () => {
    const c = loadConfig({ HOST: '0.0.0.0', PORT: '8080', DATA_DIR: '/tmp/fq-x', DATABASE_URL: 'postgres://h/db', PUBLIC_BASE_URL: 'https://fq.example.gov.cn/', DEMO_PASSWORD: 'Demo12345', ...KEYS });
    expect(c).toMatchObject({ host: '0.0.0.0', port: 8080, dataDir: '/tmp/fq-x', databaseUrl: 'postgres://h/db', publicBaseUrl: 'https://fq.example.gov.cn', demoPassword: 'Demo12345', demoPasswordIsDefault: false });
  });

  it('rejects a bad port and malformed keys', () => {
    expect(() => loadConfig({ PORT: 'eighty', ...KEYS })).toThrow(ConfigError);
    expect(() => loadConfig({ ...KEYS, FENGQIAO_DATA_KEY: 'short' })).toThrow(/32 字节/);
  });

  it('production refuses generated demo keys', () => {
    expect(() => loadConfig({ FENGQIAO_ENV: 'production' })).toThrow(/FENGQIAO_DATA_KEY/);
  });

  it('production refuses the development SMS outbox and demo accounts', async () => {
    const database = await openTestDatabase();
    try {
      const prod = loadConfig({ FENGQIAO_ENV: 'production', ...KEYS });
      await expect(openDeps(prod, silent, database)).rejects.toThrow(/SMS_WEBHOOK_URL/);
      process.env.SMS_WEBHOOK_URL = 'http://127.0.0.1:9/sms';
      await expect(openDeps(prod, silent, database)).rejects.toThrow(StartupRefusedError);
      await expect(openDeps(prod, silent, database)).rejects.toThrow(/演示账号「admin」/);
    } finally {
      delete process.env.SMS_WEBHOOK_URL;
      await database.close();
    }
  });

  it('the development outbox route does not exist in production', async () => {
    const database = await openTestDatabase();
    const config = { ...testConfig(), env: 'production' as const };
    const app = await buildApp({ config, database, db: database.db, log: silent, sms: new OutboxSmsSender(database.db, silent) }, { rateLimit: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/api/v1/dev/outbox' })).statusCode).toBe(404);
    } finally {
      await app.close();
      await database.close();
    }
  });
});
