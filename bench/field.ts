// Field collection at scale, over real HTTP on loopback against an in-process server:
//   (a) task generation: templates over the whole branch (rentals, floating residents to re-verify, key units,
//       every door address), first run and an idempotent re-run
//   (b) the offline pack a grid worker downloads (time and size)
//   (c) sync: several grid workers sending batches of 50 items at once (items/s, time per batch), then the same
//       batches replayed (a phone that lost the answers)
//   (d) the supervisors' reads: task progress by community / grid / worker, the monthly assessment, a worker's tasks
//
//   npm run bench:field:smoke        ~2,000 people in a throwaway database, every path (CI)
//   npm run bench:field -- --data-dir .tmp/bench-data/pglite-1m
//                                    a copy of the million-person PGlite folder the registry benchmark builds
//                                    (npm run bench:registry -- --data-dir .tmp/bench-data/pglite-1m --prepare)
// Options: --workers N (8), --batches N per worker (smoke 2, else 20), --data-dir DIR, --keep (keep the copy).
// Results are printed and written to .tmp/bench/field-<database>-<people>.json.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { sql } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { connectPGlite } from '../src/server/db/connect.js';
import { ensureDemo, openDeps } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUser } from '../src/server/modules/users/service.js';
import { orgRepository } from '../src/server/modules/org/repository.js';
import type { FormSchema } from '../src/shared/forms.js';
import { percentile, runLoad } from './load.js';
import { benchConfig, openTarget, type Target } from './target.js';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    'data-dir': { type: 'string' },
    workers: { type: 'string', default: '8' },
    batches: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const SMOKE = args.smoke;
const WORKERS = Number(args.workers);
const BATCHES = Number(args.batches ?? (SMOKE ? 2 : 20));
const BATCH = 50;
const PASSWORD = 'Fengqiao@2026';
const READS = SMOKE ? 5 : 30;

const secs = (t0: number) => (performance.now() - t0) / 1000;
const ms = (x: number) => Math.round(x * 10) / 10;

async function openDatabase(): Promise<Target & { copied?: string }> {
  if (!args['data-dir']) return openTarget('fq_field');
  const dir = mkdtempSync(join(os.tmpdir(), 'fq-field-'));
  const t0 = performance.now();
  cpSync(args['data-dir'], dir, { recursive: true });
  console.log(`copied ${args['data-dir']} in ${secs(t0).toFixed(1)} s`);
  const database = await connectPGlite({ dir });
  return {
    kind: 'pglite',
    database,
    copied: dir,
    async cleanup() {
      await database.close().catch(() => {});
      if (!args.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A valid value for each required field of a form, so the benchmark's items pass the server's checks. */
function fill(schema: FormSchema, i: number): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const f of schema.fields) {
    if (!f.required) continue;
    switch (f.type) {
      case 'text':
      case 'textarea': data[f.key] = `走访记录 ${i}`; break;
      case 'number': data[f.key] = f.min ?? 1; break;
      case 'select': data[f.key] = f.options![0]; break;
      case 'multiselect': data[f.key] = [f.options![0]]; break;
      case 'boolean': data[f.key] = true; break;
      case 'date': data[f.key] = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); break;
      case 'phone': data[f.key] = '13800000000'; break;
      case 'idnumber': data[f.key] = '11010519491231002X'; break;
    }
  }
  return data;
}

async function main() {
  const target = await openDatabase();
  const log = pino({ level: 'warn' }) as unknown as FastifyBaseLogger;
  const deps = await openDeps(benchConfig(PASSWORD), log, target.database);
  const results: Record<string, unknown> = {};
  try {
    if (!args['data-dir']) {
      console.log('seeding a small demo district …');
      await ensureDemo(deps, { people: 2_000 });
    }
    const people = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM persons`.execute(deps.db)).rows[0].n);
    console.log(`database: ${target.kind}, ${people.toLocaleString()} people`);
    const sys = systemContext(Object.keys(PERMISSIONS));
    const branch = (await orgRepository.byCode(deps.db, '371602'))!;
    const stamp = Date.now().toString(36);
    await createUser(deps, sys, { username: `fbchief${stamp}`, displayName: '考核所长', password: PASSWORD, orgUnitId: branch.id, roles: ['chief'], mustChangePassword: false });
    // the grids with the most addresses, one new grid worker each
    const grids = (
      await sql<{ id: string; n: string }>`SELECT grid_id AS id, count(*) AS n FROM addresses WHERE status = 'active' GROUP BY grid_id ORDER BY count(*) DESC LIMIT ${WORKERS}`.execute(deps.db)
    ).rows;
    const workers: string[] = [];
    for (const [i, g] of grids.entries()) {
      const username = `fbw${stamp}${i}`;
      await createUser(deps, sys, { username, displayName: `网格员${i + 1}`, password: PASSWORD, orgUnitId: g.id, roles: ['gridworker'], mustChangePassword: false });
      workers.push(username);
    }

    const app = await buildApp(deps, { rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const login = async (username: string) => {
      const res = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }) });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
    };
    const call = async <T>(auth: Record<string, string>, method: string, path: string, body?: unknown): Promise<{ status: number; json: T; bytes: number }> => {
      const res = await fetch(`${base}${path}`, { method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 400)}`);
      return { status: res.status, json: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
    };
    const chief = await login(`fbchief${stamp}`);
    const workerAuth = await Promise.all(workers.map(login));

    // (a) task generation over the whole branch
    console.log('(a) task generation');
    const templates: Array<[string, string, string, string]> = [
      ['出租房屋月度走访', 'rental_visit', 'rental', 'monthly'],
      ['流动人口到期核查', 'floating_verify', 'floating_overdue', 'monthly'],
      ['重点单位季度检查', 'key_unit_check', 'key_unit', 'quarterly'],
      ['门户地址月度入户', 'home_visit', 'address', 'monthly'],
    ];
    const generation: Array<Record<string, unknown>> = [];
    // templates sit on a station (or a community, or a grid) and cover every grid under it: one per station
    const stations = (
      await sql<{ id: string }>`SELECT o.id FROM org_units o JOIN org_units b ON b.id = ${branch.id} WHERE o.kind = 'station' AND o.path LIKE b.path || '%' ORDER BY o.code`.execute(deps.db)
    ).rows;
    for (const [name, itemTypeCode, targetKind, recurrence] of templates) {
      let created = 0;
      let unassigned = 0;
      let existing = 0;
      let firstS = 0;
      let againS = 0;
      for (const st of stations) {
        const t = await call<{ id: string }>(chief, 'POST', '/api/v1/task-templates', { orgUnitId: st.id, name, itemTypeCode, targetKind, recurrence });
        let t0 = performance.now();
        const first = await call<{ created: number; unassigned: number }>(chief, 'POST', `/api/v1/task-templates/${t.json.id}/generate`, {});
        firstS += secs(t0);
        t0 = performance.now();
        const again = await call<{ created: number; existing: number }>(chief, 'POST', `/api/v1/task-templates/${t.json.id}/generate`, {});
        againS += secs(t0);
        if (again.json.created !== 0) throw new Error(`re-run of ${name} created ${again.json.created} tasks`);
        created += first.json.created;
        unassigned += first.json.unassigned;
        existing += again.json.existing;
      }
      generation.push({ template: name, targetKind, stations: stations.length, created, unassigned, seconds: ms(firstS), rerunSeconds: ms(againS), rerunExisting: existing });
      console.log(`  ${name} (${stations.length} stations): ${created.toLocaleString()} tasks in ${firstS.toFixed(2)} s; re-run ${againS.toFixed(2)} s (${existing.toLocaleString()} existing)`);
    }
    results.generation = generation;

    // (b) the offline pack of each worker
    console.log('(b) offline pack');
    const packs: Array<{ addresses: string[]; seconds: number; bytes: number }> = [];
    let refused = 0;
    for (const [w, auth] of workerAuth.entries()) {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/v1/field/pack`, { headers: auth });
      const seconds = secs(t0);
      const text = await res.text();
      if (res.status === 200) {
        packs.push({ addresses: (JSON.parse(text) as { addresses: Array<{ id: string }> }).addresses.map((a) => a.id), seconds, bytes: Buffer.byteLength(text) });
        continue;
      }
      // a grid above the pack's limit (the generator's million-person district has very large grids): the
      // refusal is what a worker would get; the sync below then uses the grid's addresses from the database
      if (res.status !== 400) throw new Error(`pack: ${res.status} ${text.slice(0, 300)}`);
      refused++;
      const ids = (await sql<{ id: string }>`SELECT id FROM addresses WHERE grid_id = ${grids[w].id} AND status = 'active' ORDER BY code LIMIT 2000`.execute(deps.db)).rows.map((r) => r.id);
      packs.push({ addresses: ids, seconds: NaN, bytes: NaN });
    }
    const served = packs.filter((p) => !Number.isNaN(p.seconds));
    const packS = served.map((p) => p.seconds).sort((a, b) => a - b);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    results.pack = served.length
      ? { served: served.length, refusedOverLimit: refused, addressesMedian: median(served.map((p) => p.addresses.length)), msMedian: ms(percentile(packS, 50) * 1000), msMax: ms(packS[packS.length - 1] * 1000), jsonKbMedian: Math.round(median(served.map((p) => p.bytes)) / 1024) }
      : { served: 0, refusedOverLimit: refused };
    console.log(`  ${JSON.stringify(results.pack)}`);

    // (c) sync: every worker sends its batches at the same time
    console.log('(c) sync');
    const types = (await call<Array<{ code: string; formSchema: FormSchema }>>(workerAuth[0], 'GET', '/api/v1/field/item-types')).json;
    const visit = types.find((t) => t.code === 'home_visit')!;
    const batches = workerAuth.map((_, w) =>
      Array.from({ length: BATCHES }, (_b, b) =>
        Array.from({ length: BATCH }, (_i, i) => {
          const n = b * BATCH + i;
          const addresses = packs[w].addresses;
          return { op: 'item', clientId: uuidv4(), typeCode: 'home_visit', addressId: addresses[n % addresses.length], data: fill(visit.formSchema, n), occurredAt: new Date(Date.now() - 3600_000).toISOString() };
        }),
      ),
    );
    const batchMs: number[] = [];
    const send = async (w: number, replay: boolean) => {
      for (const ops of batches[w]) {
        const t0 = performance.now();
        const r = await call<{ results: Array<{ status: string }> }>(workerAuth[w], 'POST', '/api/v1/field/sync', { ops });
        batchMs.push(performance.now() - t0);
        const want = replay ? 'replayed' : 'created';
        const bad = r.json.results.find((x) => x.status !== want);
        if (bad) throw new Error(`sync: ${JSON.stringify(bad)}`);
      }
    };
    let t0 = performance.now();
    await Promise.all(workerAuth.map((_, w) => send(w, false)));
    const syncS = secs(t0);
    const items = WORKERS * BATCHES * BATCH;
    const sorted = [...batchMs].sort((a, b) => a - b);
    results.sync = { workers: WORKERS, items, seconds: ms(syncS), itemsPerSecond: Math.round(items / syncS), batchMsP50: ms(percentile(sorted, 50)), batchMsP95: ms(percentile(sorted, 95)) };
    console.log(`  ${JSON.stringify(results.sync)}`);
    batchMs.length = 0;
    t0 = performance.now();
    await Promise.all(workerAuth.map((_, w) => send(w, true)));
    const replayS = secs(t0);
    results.replay = { items, seconds: ms(replayS), itemsPerSecond: Math.round(items / replayS) };
    console.log(`  replayed: ${JSON.stringify(results.replay)}`);

    // (d) supervisors' reads
    console.log('(d) reads');
    const reads: Record<string, unknown> = {};
    const readPaths: Array<[string, Record<string, string>, string]> = [
      ['progress_community', chief, '/api/v1/tasks/progress?level=community'],
      ['progress_grid', chief, '/api/v1/tasks/progress?level=grid'],
      ['progress_worker', chief, '/api/v1/tasks/progress?level=worker'],
      ['assessment_month', chief, '/api/v1/assessment/field'],
      ['me_tasks', workerAuth[0], '/api/v1/field/me/tasks?status=open&pageSize=50'],
      ['items_list', chief, '/api/v1/field/items?pageSize=20'],
    ];
    for (const [name, auth, path] of readPaths) {
      const r = await runLoad(() => fetch(`${base}${path}`, { headers: auth }), { concurrency: 1, requests: READS, warmup: 1, maxSeconds: 120 });
      reads[name] = { path, p50: ms(r.p50Ms), p90: ms(r.p90Ms), errors: r.errors };
      console.log(`  ${name}: p50 ${ms(r.p50Ms)} ms, p90 ${ms(r.p90Ms)} ms${r.errors ? `, ${r.errors} errors` : ''}`);
      if (r.errors) throw new Error(`${name}: ${r.errors} failed requests`);
    }
    results.reads = reads;
    await app.close();

    const out = join('.tmp', 'bench');
    mkdirSync(out, { recursive: true });
    const file = join(out, `field-${target.kind}-${people}.json`);
    writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), people, cpus: os.cpus().length, ...results }, null, 2));
    console.log(`written ${file}`);
  } finally {
    await deps.database.close().catch(() => {});
    await target.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
