import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Database } from './connect.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));

interface Migration {
  version: string;
  up: string;
  down: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir);
  return files
    .filter((f) => f.endsWith('.up.sql'))
    .sort()
    .map((f) => {
      const version = f.replace(/\.up\.sql$/, '');
      return {
        version,
        up: readFileSync(`${dir}/${f}`, 'utf8'),
        down: files.includes(`${version}.down.sql`) ? readFileSync(`${dir}/${version}.down.sql`, 'utf8') : '',
      };
    });
}

const LOCK_KEY = 7_310_016_002; // any constant: serialises concurrent migrators on one PostgreSQL

/** Applies pending migrations in order, each in its own transaction. Returns the versions applied. */
export async function migrate(database: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const pending = listMigrations(dir);
  return database.session(async (run) => {
    await run(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    await run(`SELECT pg_advisory_lock(${LOCK_KEY})`);
    const applied: string[] = [];
    try {
      const done = new Set((await run('SELECT version FROM schema_migrations')).map((r) => String(r.version)));
      for (const m of pending) {
        if (done.has(m.version)) continue;
        try {
          await run(`BEGIN;\n${m.up}\n;INSERT INTO schema_migrations (version) VALUES (${quote(m.version)});\nCOMMIT;`);
        } catch (e) {
          await run('ROLLBACK').catch(() => []);
          throw new Error(`迁移 ${m.version} 失败：${(e as Error).message}`, { cause: e });
        }
        applied.push(m.version);
      }
    } finally {
      await run(`SELECT pg_advisory_unlock(${LOCK_KEY})`);
    }
    return applied;
  });
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Reverts the newest `steps` migrations. */
export async function rollback(database: Database, steps = 1, dir = MIGRATIONS_DIR): Promise<string[]> {
  const { rows } = await sql<{ version: string }>`SELECT version FROM schema_migrations ORDER BY version DESC`.execute(
    database.db,
  );
  const byVersion = new Map(listMigrations(dir).map((m) => [m.version, m]));
  const reverted: string[] = [];
  for (const { version } of rows.slice(0, steps)) {
    const m = byVersion.get(version);
    if (!m?.down) throw new Error(`迁移 ${version} 没有 down 脚本`);
    await database.session(async (run) => {
      try {
        await run(`BEGIN;\n${m.down}\n;DELETE FROM schema_migrations WHERE version = ${quote(version)};\nCOMMIT;`);
      } catch (e) {
        await run('ROLLBACK').catch(() => []);
        throw e;
      }
    });
    reverted.push(version);
  }
  return reverted;
}
