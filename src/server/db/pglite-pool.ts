import type { PGlite } from '@electric-sql/pglite';

/**
 * A pool-shaped wrapper around one PGlite instance so that Kysely's PostgresDialect can drive it.
 * PGlite is a single session, so the "pool" hands its one connection to one user at a time: a
 * transaction holds it from BEGIN to COMMIT and other callers queue behind it.
 */
export class PGlitePool {
  private queue: Array<() => void> = [];
  private busy = false;

  constructor(readonly db: PGlite) {}

  async connect(): Promise<PGliteClient> {
    if (this.busy) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.busy = true;
    return new PGliteClient(this.db, () => this.release());
  }

  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.busy = false;
  }

  async end(): Promise<void> {
    /* the owner closes the PGlite instance */
  }
}

class PGliteClient {
  private released = false;
  constructor(
    private readonly db: PGlite,
    private readonly onRelease: () => void,
  ) {}

  async query(sql: string | { text: string; values?: unknown[] }, params?: readonly unknown[]) {
    const text = typeof sql === 'string' ? sql : sql.text;
    const values = typeof sql === 'string' ? params : sql.values;
    const res = await this.db.query<Record<string, unknown>>(text, values as unknown[] | undefined, { rowMode: 'object' });
    const command = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '';
    return { command, rowCount: res.affectedRows ?? res.rows.length, rows: res.rows };
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.onRelease();
  }
}
