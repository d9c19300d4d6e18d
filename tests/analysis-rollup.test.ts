import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { insertIncidents, pointInGrid, type IncidentSpec } from './support/incident-fixtures.js';
import { unitByCode } from './support/foreign.js';
import { analysisRepository as repo, type AnalysisFilter, type GroupBy } from '../src/server/modules/analysis/repository.js';
import { periodsOf } from '../src/server/modules/analysis/periods.js';

/**
 * The monthly rollup (incident_month_counts) against the incidents themselves: every grouping it serves gives the
 * same counts with and without it, for periods that start and end anywhere in a month, and the triggers keep it
 * exact through creates, edits of the category and the place, transfers, bulk updates and deletions.
 */
let t: TestApp;
let command: string;
const GRIDS = ['371602005001001', '371602005001002', '371602005002001', '371602004001002'];
const CATEGORIES = ['za_fight', 'xs_theft', 'jf_neighbour', 'jt_accident', 'qz_lock'];
const ids: Record<string, string> = {};
let county: string;

/** A small deterministic generator (mulberry32), so a failure can be reproduced. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

beforeAll(async () => {
  t = await createTestApp();
  command = await t.login('command');
  for (const code of ['371602005', '371602005001', '371602005001001', '371602004']) ids[code] = await unitByCode(t.deps, code);
  county = (await t.deps.db.selectFrom('org_units').select('county_code').where('code', '=', '371602005').executeTakeFirstOrThrow()).county_code!;
  const rnd = random(20261122);
  const places = await Promise.all(GRIDS.flatMap((g) => [0.2, 0.5, 0.8].map(async (f) => ({ grid: g, ...(await pointInGrid(t.deps, g, f, 1 - f)) }))));
  const start = Date.parse('2023-12-25T00:00:00+08:00');
  const span = Date.parse('2026-01-05T00:00:00+08:00') - start;
  const specs: IncidentSpec[] = [];
  for (let i = 0; i < 1500; i++) {
    const p = places[Math.floor(rnd() * places.length)];
    specs.push({ at: new Date(start + Math.floor(rnd() * span)), grid: p.grid, lat: p.lat, lng: p.lng, category: CATEGORIES[Math.floor(rnd() * CATEGORIES.length)] });
  }
  // on the instants where months and days meet (Beijing time)
  for (const edge of ['2025-03-01T00:00:00+08:00', '2025-02-28T23:59:59+08:00', '2024-12-31T23:59:59+08:00', '2025-01-01T00:00:00+08:00', '2024-02-29T12:00:00+08:00']) {
    specs.push({ at: edge, grid: places[0].grid, lat: places[0].lat, lng: places[0].lng, category: 'za_fight' });
  }
  await insertIncidents(t.deps, specs);
}, 120_000);
afterAll(() => t.close());

const sorted = (rows: Array<{ key: string | null; sub: string | null; cur: number; prev: number; ly: number }>) =>
  rows.map((r) => `${r.key}|${r.sub}|${r.cur}|${r.prev}|${r.ly}`).sort();

describe('the monthly rollup', () => {
  it('gives the same counts as the incidents, for every grouping, scope, category and period', async () => {
    const periods = [
      ['2025-01-01', '2025-12-31'], // a calendar year: previous and year-ago are the same year
      ['2024-11-23', '2025-11-22'], // a year from the middle of a month
      ['2025-03-01', '2025-03-31'], // one whole month
      ['2025-02-15', '2025-04-14'], // one whole month inside, partial months around it
      ['2025-03-05', '2025-03-20'], // inside one month: no rollup at all
      ['2024-02-01', '2024-02-29'], // a leap February: the year-ago window ends on 28 February
      ['2025-12-01', '2026-01-04'], // across the new year
    ];
    const scopes: AnalysisFilter['scope'][] = [
      { column: 'county_code', values: [county] },
      { column: 'station_id', values: [ids['371602005']] },
      { column: 'community_id', values: [ids['371602005001']] },
      { column: 'grid_id', values: [ids['371602005001001']] },
    ];
    const theft = (await t.deps.db.selectFrom('incident_categories').select('id').where('code', '=', 'xs_theft').executeTakeFirstOrThrow()).id;
    let compared = 0;
    for (const [from, to] of periods) {
      for (const scope of scopes) {
        for (const categoryIds of [undefined, [theft]]) {
          for (const by of ['cell', 'grid', 'community', 'category'] as GroupBy[]) {
            const f: AnalysisFilter = { scope, categoryIds, periods: periodsOf(from, to) };
            const withRollup = await repo.counts(t.deps.db, f, by);
            const incidentByIncident = await repo.counts(t.deps.db, f, by, { rollup: false });
            expect(sorted(withRollup), `${from}..${to} ${scope.column} ${by} ${categoryIds ? 'theft' : 'all'}`).toEqual(sorted(incidentByIncident));
            compared += incidentByIncident.length;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500); // the comparison was about real groups, not empty lists
    // and the whole-month path was taken: the table holds the months
    const months = await sql<{ n: string }>`SELECT count(DISTINCT month) AS n FROM incident_month_counts`.execute(t.deps.db);
    expect(Number(months.rows[0].n)).toBeGreaterThanOrEqual(24);
  });

  /** The rollup's non-zero rows, and the same counts grouped from the incidents now. */
  async function drift() {
    const key = `month::text || '|' || category_id || '|' || coalesce(h3::text, '-') || '|' || coalesce(county_code, '-') || '|' || coalesce(station_id::text, '-') || '|' || coalesce(community_id::text, '-') || '|' || coalesce(grid_id::text, '-') || '|' || n`;
    const kept = await sql<{ k: string }>`SELECT ${sql.raw(key)} AS k FROM incident_month_counts WHERE n <> 0`.execute(t.deps.db);
    const fresh = await sql<{ k: string }>`SELECT ${sql.raw(key)} AS k FROM (
        SELECT date_trunc('month', day)::date AS month, category_id, h3, county_code, station_id, community_id, grid_id, count(*)::int AS n
        FROM incidents GROUP BY 1, 2, 3, 4, 5, 6, 7) x`.execute(t.deps.db);
    const negative = await sql<{ n: string }>`SELECT count(*) AS n FROM incident_month_counts WHERE n < 0`.execute(t.deps.db);
    expect(Number(negative.rows[0].n)).toBe(0);
    return { kept: kept.rows.map((r) => r.k).sort(), fresh: fresh.rows.map((r) => r.k).sort() };
  }

  it('stays exact through creates, edits, transfers, bulk updates and deletions', async () => {
    const before = await drift();
    expect(before.kept).toEqual(before.fresh);
    const cat = Object.fromEntries((await t.deps.db.selectFrom('incident_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
    const p = await pointInGrid(t.deps, '371602005001001', 0.4, 0.4);
    const q = await pointInGrid(t.deps, '371602005002001', 0.6, 0.6);
    // eight concurrent creates through the API
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.call(command, 'POST', '/api/v1/incidents', { source: 'walk_in', categoryId: cat.za_fight, occurredAt: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(), summary: `汇总测试${i}`, ...p }),
      ),
    );
    for (const r of created) expect(r.statusCode, r.body).toBe(201);
    const [a, b, c] = created.map((r) => r.json());
    // the category, the place (a new cell and grid) and the handling unit change
    expect((await t.call(command, 'PATCH', `/api/v1/incidents/${a.id}`, { version: a.version, categoryId: cat.xs_theft })).statusCode).toBe(200);
    expect((await t.call(command, 'PATCH', `/api/v1/incidents/${b.id}`, { version: b.version, ...q })).statusCode).toBe(200);
    expect((await t.call(command, 'PATCH', `/api/v1/incidents/${c.id}`, { version: c.version, orgUnitId: ids['371602004'] })).statusCode).toBe(200);
    // a status change moves no count
    const rowsBefore = await sql<{ n: string }>`SELECT count(*) AS n FROM incident_month_counts`.execute(t.deps.db);
    await t.deps.db.updateTable('incidents').set({ status: 'handling' }).where('status', '=', 'received').execute();
    const rowsAfter = await sql<{ n: string }>`SELECT count(*) AS n FROM incident_month_counts`.execute(t.deps.db);
    expect(rowsAfter.rows[0].n).toBe(rowsBefore.rows[0].n);
    // a bulk recategorisation and a deletion of a whole month
    await t.deps.db.updateTable('incidents').set({ category_id: cat.jf_neighbour }).where('category_id', '=', cat.qz_lock).where('day', '>=', '2024-06-01').execute();
    await t.deps.db.deleteFrom('incident_links').where('incident_id', 'in', (eb) => eb.selectFrom('incidents').select('id').where('day', '>=', '2024-07-01').where('day', '<=', '2024-07-31')).execute();
    await t.deps.db.deleteFrom('incident_events').where('incident_id', 'in', (eb) => eb.selectFrom('incidents').select('id').where('day', '>=', '2024-07-01').where('day', '<=', '2024-07-31')).execute();
    const gone = await t.deps.db.deleteFrom('incidents').where('day', '>=', '2024-07-01').where('day', '<=', '2024-07-31').executeTakeFirst();
    expect(Number(gone.numDeletedRows)).toBeGreaterThan(0);
    const after = await drift();
    expect(after.kept).toEqual(after.fresh);
    expect(after.kept).not.toEqual(before.kept);
    // the deleted month is gone from the hot spots too
    const july = await repo.counts(t.deps.db, { scope: { column: 'county_code', values: [county] }, periods: periodsOf('2024-07-01', '2024-07-31') }, 'grid');
    expect(july.reduce((s, r) => s + r.cur, 0)).toBe(0);
  });

  it('is rebuilt from the incidents to the same content', async () => {
    const before = await drift();
    const rebuilt = await sql<{ n: string }>`SELECT incident_month_counts_rebuild() AS n`.execute(t.deps.db);
    expect(Number(rebuilt.rows[0].n)).toBe(before.fresh.length);
    const after = await drift();
    expect(after.kept).toEqual(before.fresh);
    expect(after.kept).toEqual(after.fresh);
  });
});
