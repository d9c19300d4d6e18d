// Incidents and analysis at scale (情指行), over real HTTP on loopback against an in-process server:
//   (a) loading N generated incidents (three years, six planted hot spots) in batches
//   (b) the command centre's reads over the whole branch: hot spots by H3 cell and by grid with 同比/环比, the
//       hour-of-week matrix, the trend, the incident list, 警情清零, and the map's incident layer
//
//   npm run bench:incidents:smoke     20,000 incidents in a throwaway database, every path (CI)
//   BENCH_DATABASE_URL=postgres://…/postgres npm run bench:incidents
//                                     1,000,000 incidents in a throwaway PostgreSQL database
//   npm run bench:incidents -- --database-url postgres://…/fq_incidents_1m --keep
//                                     an existing database: loads only what is missing, keeps it afterwards
// Options: --count N (1,000,000; smoke 20,000), --reps N (30; smoke 5).
// Results are printed and written to .tmp/bench/incidents-<database>-<count>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { connectPostgres } from '../src/server/db/connect.js';
import { ensureDemo, openDeps } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import { beijingDay } from '../src/shared/geo.js';
import { generateIncidentRows, insertIncidentRows, loadCategoryLeaves, loadGridPlaces } from '../src/demo/incidents.js';
import { percentile } from './load.js';
import { benchConfig, openTarget, type Target } from './target.js';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    count: { type: 'string' },
    reps: { type: 'string' },
    'database-url': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const SMOKE = args.smoke;
const COUNT = Number(args.count ?? (SMOKE ? 20_000 : 1_000_000));
const REPS = Number(args.reps ?? (SMOKE ? 5 : 30));
const DAYS = 3 * 365;
const CHUNK = 100_000;
const PASSWORD = 'Fengqiao@2026';

const secs = (t0: number) => (performance.now() - t0) / 1000;
const r1 = (x: number) => Math.round(x * 10) / 10;

async function openDatabase(): Promise<Target> {
  const url = args['database-url'];
  if (!url) return openTarget('fq_incidents');
  const database = await connectPostgres(url, 10);
  return { kind: 'postgresql', database, url, cleanup: () => database.close() };
}

async function main() {
  const target = await openDatabase();
  const log = pino({ level: 'warn' }) as unknown as FastifyBaseLogger;
  const deps = await openDeps(benchConfig(PASSWORD), log, target.database);
  const results: Record<string, unknown> = { database: target.kind, count: COUNT };
  const now = new Date();
  try {
    await ensureDemo(deps, { people: 0 });
    const have = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM incidents`.execute(deps.db)).rows[0].n);
    // (a) loading
    if (have < COUNT) {
      const places = await loadGridPlaces(deps.db, '371602');
      const categories = await loadCategoryLeaves(deps.db);
      console.log(`(a) loading ${(COUNT - have).toLocaleString()} incidents over ${DAYS} days into ${places.length} grids …`);
      const t0 = performance.now();
      let written = 0;
      for (let chunk = Math.floor(have / CHUNK); written + have < COUNT; chunk++) {
        const n = Math.min(CHUNK, COUNT - have - written);
        const rows = generateIncidentRows(places, categories, { count: n, to: now, days: DAYS, seed: 1000 + chunk, tag: `B${chunk}` });
        written += await insertIncidentRows(deps.db, rows, undefined, 1000);
        process.stdout.write(`  ${(have + written).toLocaleString()} (${Math.round(written / secs(t0)).toLocaleString()}/s)\n`);
      }
      results.load = { rows: written, seconds: r1(secs(t0)), perSecond: Math.round(written / secs(t0)) };
      // the scans are index-only once the visibility map is set; the rollup's upserts leave dead rows behind
      await sql`VACUUM ANALYZE incidents`.execute(deps.db);
      await sql`VACUUM ANALYZE incident_month_counts`.execute(deps.db);
    }
    const total = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM incidents`.execute(deps.db)).rows[0].n);
    console.log(`database: ${target.kind}, ${total.toLocaleString()} incidents`);
    results.incidents = total;

    const app = await buildApp(deps, { rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'command', password: PASSWORD }) });
      if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
      const auth = { authorization: `Bearer ${((await res.json()) as { token: string }).token}`, 'accept-encoding': 'gzip' };

      const today = beijingDay(now);
      const daysAgo = (d: number) => beijingDay(new Date(now.getTime() - d * 86_400_000));
      const m30 = `from=${daysAgo(29)}&to=${today}`;
      const y1 = `from=${daysAgo(364)}&to=${today}`;
      const reads: Array<[string, string]> = [
        ['hot spots by H3 cell, 30 days', `/api/v1/analysis/hotspots?${m30}&by=cell&res=9&limit=50`],
        ['hot spots by H3 cell, one year', `/api/v1/analysis/hotspots?${y1}&by=cell&res=9&limit=50`],
        ['hot spots by grid, one year', `/api/v1/analysis/hotspots?${y1}&by=grid&limit=50`],
        ['hot spots by community, 30 days, one category', `/api/v1/analysis/hotspots?${m30}&by=community&categoryId=CAT`],
        ['hour of week, one year', `/api/v1/analysis/hours?${y1}`],
        ['trend by week, one year', `/api/v1/analysis/trend?${y1}&interval=week`],
        ['incident list, first page', `/api/v1/incidents?pageSize=20`],
        ['clearance, 7 days', `/api/v1/incidents/clearance?from=${daysAgo(6)}&to=${today}`],
        ['map incident layer, 90 days', `/api/v1/map/incidents?from=${daysAgo(89)}&to=${today}`],
      ];
      const cat = (await deps.db.selectFrom('incident_categories').select('id').where('code', '=', 'zhian').executeTakeFirstOrThrow()).id;
      const timings: Record<string, unknown> = {};
      for (const [name, path0] of reads) {
        const path = path0.replace('CAT', cat);
        const times: number[] = [];
        let bytes = 0;
        let status = 0;
        for (let i = 0; i < REPS + 2; i++) {
          const t0 = performance.now();
          const r = await fetch(`${base}${path}`, { headers: auth });
          const body = await r.arrayBuffer();
          const t = performance.now() - t0;
          status = r.status;
          if (r.status !== 200) throw new Error(`${path}: ${r.status} ${Buffer.from(body).toString().slice(0, 300)}`);
          bytes = Number(r.headers.get('content-length') ?? body.byteLength);
          if (i >= 2) times.push(t); // two warm-up calls
        }
        times.sort((a, b) => a - b);
        timings[name] = { p50: r1(percentile(times, 50)), p95: r1(percentile(times, 95)), max: r1(times[times.length - 1]), bytes, status };
        console.log(`  ${name.padEnd(48)} p50 ${r1(percentile(times, 50))} ms  p95 ${r1(percentile(times, 95))} ms  ${(bytes / 1024).toFixed(0)} KiB`);
      }
      results.reads = timings;
    } finally {
      await app.close();
    }
    mkdirSync('.tmp/bench', { recursive: true });
    const file = `.tmp/bench/incidents-${target.kind}-${total}.json`;
    writeFileSync(file, JSON.stringify(results, null, 2));
    console.log(`written ${file}`);
  } finally {
    if (!args.keep) await target.cleanup();
    else await target.database.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
