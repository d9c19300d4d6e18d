import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';
import { beijingDay } from '../../shared/geo.js';

/** Tables whose `code` column holds numbers of the day (incidents JQ…, directives ZL…, whistles CS…). */
export type DailyCodeTable = 'incidents' | 'directives' | 'whistles';

/**
 * The next code of a day, `<prefix><yyyymmdd><digits>` with the Beijing day of `at`: one more than the day's highest
 * code of that shape, under a transaction-scoped advisory lock of the prefix and day, so writers in concurrent
 * transactions never take the same number. Call it inside the transaction that inserts the row.
 */
export async function nextDailyCode(trx: Kysely<DB>, table: DailyCodeTable, prefix: string, at: Date, digits: number): Promise<string> {
  const stem = `${prefix}${beijingDay(at).replaceAll('-', '')}`;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`fengqiao.code:${stem}`}))`.execute(trx);
  const r = await sql<{ code: string | null }>`
    SELECT max(code) AS code FROM ${sql.table(table)}
    WHERE code >= ${stem} AND code < ${`${stem}~`} AND length(code) = ${stem.length + digits} AND code ~ '^[A-Z]+[0-9]+$'`.execute(trx);
  const highest = r.rows[0]?.code;
  const n = highest ? Number(highest.slice(stem.length)) + 1 : 1;
  return `${stem}${String(n).padStart(digits, '0')}`;
}
