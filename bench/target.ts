import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../src/server/config.js';
import { connectPGlite, connectPostgres, type Database } from '../src/server/db/connect.js';

/** The database a benchmark runs on: a throwaway PGlite directory, or a throwaway database on a PostgreSQL server. */
export interface Target {
  kind: 'pglite' | 'postgresql';
  database: Database;
  /** The PostgreSQL database's URL (for `psql`); undefined on PGlite. */
  url?: string;
  cleanup(): Promise<void>;
}

/**
 * With `BENCH_DATABASE_URL` (an admin URL) a database `<prefix>_<random>` is created there and dropped by
 * `cleanup()`; without it, an embedded PGlite in a temporary directory that `cleanup()` removes.
 */
export async function openTarget(prefix: string): Promise<Target> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (adminUrl) {
    const name = `${prefix}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await connectPostgres(url.toString(), 10);
    return {
      kind: 'postgresql',
      database,
      url: url.toString(),
      async cleanup() {
        await database.close().catch(() => {});
        // the pool's connections finish closing just after close() returns: wait for them rather than
        // terminate them (WITH (FORCE)), which an idle pool client would see as an error
        for (let i = 0; ; i++) {
          try {
            await admin.query(`DROP DATABASE IF EXISTS ${name}`);
            break;
          } catch (e) {
            if (i >= 40) throw e;
            await new Promise((r) => setTimeout(r, 250));
          }
        }
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(os.tmpdir(), `${prefix.replace(/_/g, '-')}-`));
  const database = await connectPGlite({ dir });
  return {
    kind: 'pglite',
    database,
    async cleanup() {
      await database.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The configuration every benchmark runs with: development mode, fixed keys (the data is throwaway), quiet
 * logs. `dataDir` is where files the server writes go (import uploads); unused otherwise.
 */
export function benchConfig(password: string, dataDir = join(os.tmpdir(), 'fq-bench-unused')): Config {
  return loadConfig({
    FENGQIAO_ENV: 'development',
    DATA_DIR: dataDir,
    DEMO_PASSWORD: password,
    FENGQIAO_DATA_KEY: '11'.repeat(32),
    FENGQIAO_INDEX_KEY: '22'.repeat(32),
    FENGQIAO_TOKEN_KEY: '33'.repeat(32),
    LOG_LEVEL: 'silent',
    PUBLIC_BASE_URL: 'http://127.0.0.1',
  });
}
