import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGlitePool } from './pglite-pool.js';
import { acquireDirLock } from './lock.js';
import type { DB } from './schema.js';

export type DatabaseKind = 'pglite' | 'postgresql';

export interface Database {
  kind: DatabaseKind;
  /** PostgreSQL only: the connection string (a second process, or a LISTEN connection, uses the same). */
  url?: string;
  db: Kysely<DB>;
  /** Runs a script of several statements (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `fn` on one dedicated connection (session-level locks, multi-statement scripts). */
  session<T>(fn: (run: (sql: string) => Promise<Array<Record<string, unknown>>>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * Subscribes to a notification channel (LISTEN) on a connection of its own, kept open (and re-opened after a
   * failure) until the returned function is called. Payloads sent with pg_notify by any connection, in any process
   * using the same database, arrive at `onPayload` after their transaction commits. On PostgreSQL `onError` hears
   * of a lost connection and `onReopen` of its return, with the moment it was lost: what was sent in between was
   * not heard.
   */
  listen(channel: string, onPayload: (payload: string) => void, handlers?: ListenHandlers): Promise<() => Promise<void>>;
  /** Embedded only: a tarball of the data directory (used to copy a migrated template in tests). */
  dump?(): Promise<Blob>;
}

export interface ListenHandlers {
  onError?: (e: Error) => void;
  onReopen?: (lostAt: Date) => void;
}

// int8 and numeric come back as strings from pg; counts and sequence numbers fit in a JS number. A value beyond
// 2^53 (an H3 cell index) stays the exact decimal string it is rather than a rounded number.
export const parseInt8 = (v: string): number | string => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
};
pg.types.setTypeParser(20, parseInt8);
// a calendar date stays the 'YYYY-MM-DD' string it is (no midnight-in-some-timezone Date)
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (v) => v);

export async function connectPostgres(url: string, poolSize = 10, onError?: (e: Error) => void): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // an idle connection cut by the server (restart, pg_terminate_backend) must not crash the process;
  // the pool replaces it on the next query
  pool.on('error', (e) => (onError ? onError(e) : console.warn(`PostgreSQL 空闲连接断开：${e.message}`)));
  const client = await pool.connect(); // fail fast on a bad URL
  client.release();
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    kind: 'postgresql',
    url,
    db,
    exec: async (sql) => {
      await pool.query(sql);
    },
    session: async (fn) => {
      const c = await pool.connect();
      try {
        return await fn(async (sql) => {
          const r = await c.query(sql);
          return (Array.isArray(r) ? (r.at(-1)?.rows ?? []) : r.rows) as Array<Record<string, unknown>>;
        });
      } finally {
        c.release();
      }
    },
    close: () => db.destroy(),
    listen: (channel, onPayload, handlers) => listenPostgres(url, channel, onPayload, handlers),
  };
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

/** LISTEN on a client outside the pool; a lost connection is re-opened with a growing pause (1 s … 30 s). */
async function listenPostgres(url: string, channel: string, onPayload: (payload: string) => void, { onError, onReopen }: ListenHandlers = {}) {
  let current: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  let pause = RETRY_MIN_MS;
  let lostAt: Date | null = null; // when the last listening connection was lost, until one listens again
  const reopenLater = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void open();
    }, pause);
    pause = Math.min(pause * 2, RETRY_MAX_MS);
  };
  const open = async () => {
    const c = new pg.Client({ connectionString: url });
    let lost = false;
    const lose = (e?: Error) => {
      if (lost) return;
      lost = true;
      if (e && !stopped) onError?.(e);
      if (current === c) {
        current = null;
        lostAt = new Date();
      }
      c.end().catch(() => {});
      reopenLater();
    };
    c.on('notification', (m) => {
      if (m.channel === channel && m.payload !== undefined) onPayload(m.payload);
    });
    c.on('error', lose);
    c.on('end', () => lose());
    try {
      await c.connect();
      await c.query(`LISTEN ${c.escapeIdentifier(channel)}`);
      if (stopped) return void (await c.end());
      current = c;
      pause = RETRY_MIN_MS;
      if (lostAt) {
        const since = lostAt;
        lostAt = null;
        onReopen?.(since);
      }
    } catch (e) {
      lose(e as Error);
    }
  };
  await open();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const c = current;
    current = null;
    if (c) await c.end().catch(() => {});
  };
}

export interface PGliteOptions {
  /** Folder for the data; undefined keeps it in memory. */
  dir?: string;
  /** Start from this dump of another database (tests). */
  loadDataDir?: Blob;
}

export async function connectPGlite(opts: PGliteOptions = {}): Promise<Database> {
  const release = opts.dir ? acquireDirLock(opts.dir) : () => {};
  let lite: PGlite;
  try {
    lite = await PGlite.create({
      dataDir: opts.dir ? join(opts.dir, 'pglite') : undefined,
      loadDataDir: opts.loadDataDir,
      extensions: { pg_trgm },
      parsers: { [DATE_OID]: (v: string) => v, 20: parseInt8 },
    });
  } catch (e) {
    release();
    throw e;
  }
  const pool = new PGlitePool(lite);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return {
    kind: 'pglite',
    db,
    exec: async (sql) => {
      const c = await pool.connect();
      try {
        await lite.exec(sql);
      } finally {
        c.release();
      }
    },
    session: async (fn) => {
      const c = await pool.connect();
      try {
        return await fn(async (sql) => {
          const r = await lite.exec(sql);
          return (r.at(-1)?.rows ?? []) as Array<Record<string, unknown>>;
        });
      } finally {
        c.release();
      }
    },
    close: async () => {
      await db.destroy();
      await lite.close();
      release();
    },
    listen: async (channel, onPayload) => {
      // through the pool, so that LISTEN never lands inside another caller's transaction on the one session
      const c = await pool.connect();
      try {
        const unlisten = await lite.listen(channel, onPayload);
        return async () => {
          const d = await pool.connect();
          try {
            await unlisten();
          } finally {
            d.release();
          }
        };
      } finally {
        c.release();
      }
    },
    dump: () => lite.dumpDataDir('none') as Promise<Blob>,
  };
}

export async function connect(cfg: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  return cfg.databaseUrl ? connectPostgres(cfg.databaseUrl) : connectPGlite({ dir: cfg.dataDir });
}
