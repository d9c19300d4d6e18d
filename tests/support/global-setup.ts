import { mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import type { TestProject } from 'vitest/node';
import type { FastifyBaseLogger } from 'fastify';
import { connectPGlite, connectPostgres } from '../../src/server/db/connect.js';
import { ensureDemo, openDeps } from '../../src/server/bootstrap.js';
import { testConfig } from './env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    templateFile: string;
    templateDb: string;
  }
}

/**
 * Builds one migrated database holding the demo district, once per run: a PGlite dump (default) or a
 * PostgreSQL template database when TEST_DATABASE_URL is set. Each test file starts from a copy.
 */
export default async function setup(project: TestProject) {
  const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `fq_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await connectPostgres(url.toString(), 2);
    const deps = await openDeps(testConfig(), log, database);
    await ensureDemo(deps);
    await database.close();
    project.provide('templateDb', name);
    project.provide('templateFile', '');
    return async () => {
      // test files drop their own copies; the template goes last
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await admin.end();
    };
  }
  const database = await connectPGlite();
  const deps = await openDeps(testConfig(), log, database);
  await ensureDemo(deps);
  const blob = await database.dump!();
  await database.close();
  mkdirSync('.tmp/vitest', { recursive: true });
  const file = `.tmp/vitest/template-${process.pid}.tar`;
  writeFileSync(file, Buffer.from(await blob.arrayBuffer()));
  project.provide('templateFile', file);
  project.provide('templateDb', '');
  return async () => {
    const { rmSync } = await import('node:fs');
    rmSync(file, { force: true });
  };
}
