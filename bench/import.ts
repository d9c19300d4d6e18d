// Bulk import at scale: a CSV of N people with residences, uploaded over HTTP, dry-run and committed by the
// server's background runner, with throughput and the process's peak memory — and, on PostgreSQL, the same
// rows loaded with COPY into a staging table for comparison.
//
//   npm run bench:import -- --rows 1000000            embedded PGlite in a temp directory
//   BENCH_DATABASE_URL=postgres://…/postgres npm run bench:import -- --rows 1000000
//   npm run bench:import:smoke                        2,000 rows: every path once (CI)
//
// Results are printed and written to .tmp/bench/import-<database>-<rows>.json.
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { benchConfig, openTarget } from './target.js';
import { ensureDemo, openDeps } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { computeIdCheckChar } from '../src/server/platform/ids/index.js';
import { createUser } from '../src/server/modules/users/service.js';
import { orgRepository } from '../src/server/modules/org/repository.js';
import { GIVEN_FEMALE, GIVEN_MALE, SURNAMES } from '../src/demo/names.js';
import { Rng } from '../src/demo/registry.js';

const args = process.argv.slice(2);
const SMOKE = args.includes('--smoke');
const ROWS = SMOKE ? 2_000 : Number(args[args.indexOf('--rows') + 1] ?? 0) || 100_000;
const PASSWORD = 'Fengqiao@2026';
interface Job {
  id: string;
  status: string;
  statusName: string;
  progress: { percent: number };
  dryRun: { invalid: number };
  committed: { create: number };
}

const HEADER = '公民身份号码,姓名,人员类别,联系电话,户籍地址,现住址编码,与户主关系,迁入日期,流动人口登记日期,拟居住至';
const RELATIONS = ['配偶', '子女', '父母', '租户', '合租人', '其他'];
// regions the demo district's people never come from, so every row is a new person
const REGIONS = ['440106', '440305', '350102', '330106', '360102', '430102', '450102', '460105', '500103', '530102'];


/** N rows of people living at the district's dwelling addresses (no householders: any number may share one). */
async function writeCsv(file: string, addressCodes: string[]) {
  const rng = new Rng(42);
  const out = createWriteStream(file);
  const surnames = SURNAMES.map(([s]) => s);
  out.write(`\uFEFF${HEADER}\r\n`);
  for (let i = 0; i < ROWS; i++) {
    // unique numbers: (region, birth day, sequence) with j = i / regions walking 25,000 days, then the sequence
    const j = Math.floor(i / REGIONS.length);
    const birth = new Date(Date.UTC(1950, 0, 1) + (j % 25_000) * 86_400_000);
    const female = rng.chance(0.5);
    const seq = Math.floor(j / 25_000) * 2 + (female ? 0 : 1);
    const body = `${REGIONS[i % REGIONS.length]}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
    const id = body + computeIdCheckChar(body);
    const given = female ? GIVEN_FEMALE : GIVEN_MALE;
    const name = rng.pick(surnames) + rng.pick(given) + (rng.chance(0.6) ? rng.pick(given) : '');
    const floating = i % 10 === 0;
    const from = `${rng.range(Math.max(2010, birth.getUTCFullYear() + 1), 2025)}-${String(rng.range(1, 12)).padStart(2, '0')}-${String(rng.range(1, 28)).padStart(2, '0')}`;
    const line = [
      id,
      name,
      floating ? '流动人口' : '户籍人口',
      `13${rng.int(10)}${String(rng.int(100_000_000)).padStart(8, '0')}`,
      floating ? '河南省郑州市金水区' : '山东省滨州市滨城区',
      addressCodes[i % addressCodes.length],
      RELATIONS[i % RELATIONS.length],
      from,
      floating ? from : '',
      floating ? '2027-12-31' : '',
    ].join(',');
    if (!out.write(`${line}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function main() {
  const target = await openTarget('fq_import');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'fq-import-data-'));
  const log = pino({ level: 'warn' }) as unknown as FastifyBaseLogger;
  const config = benchConfig(PASSWORD, dataDir);
  const deps = await openDeps(config, log, target.database);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    console.log(`database: ${target.kind}; preparing the demo district …`);
    await ensureDemo(deps, { people: 2_000 });
    // an importer whose jurisdiction is the whole branch
    const branch = (await orgRepository.byCode(deps.db, '371602'))!;
    await createUser(deps, systemContext(Object.keys(PERMISSIONS)), { username: 'importer', displayName: '导入员', password: PASSWORD, orgUnitId: branch.id, roles: ['chief'], mustChangePassword: false });
    const codes = (await sql<{ code: string }>`SELECT code FROM addresses WHERE level IN ('room','door','floor','unit') AND status = 'active' ORDER BY code`.execute(deps.db)).rows.map((r) => r.code);
    const file = join(dataDir, 'people.csv');
    let t0 = performance.now();
    await writeCsv(file, codes);
    const bytes = statSync(file).size;
    console.log(`wrote ${ROWS.toLocaleString()} rows (${(bytes / 1e6).toFixed(1)} MB) over ${codes.length} addresses in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const app = await buildApp(deps, { rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'importer', password: PASSWORD }) });
    const token = ((await login.json()) as { token: string }).token;
    const auth = { authorization: `Bearer ${token}` };
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const json = (await res.json()) as Job;
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const wait = async (id: string) => {
      let last = -1;
      for (;;) {
        const j = await call('GET', `/api/v1/imports/${id}`);
        if (!['validating', 'committing'].includes(j.status)) return j;
        if (j.progress.percent !== last && j.progress.percent % 10 === 0) console.log(`  ${j.statusName} ${j.progress.percent}%`);
        last = j.progress.percent;
        await new Promise((r) => setTimeout(r, 500));
      }
    };

    t0 = performance.now();
    const up = await fetch(`${base}/api/v1/imports?kind=persons&fileName=people.csv`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'text/csv' },
      body: Readable.toWeb(createReadStream(file)) as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit);
    const job = (await up.json()) as { id: string };
    if (up.status !== 201) throw new Error(`upload: ${up.status} ${JSON.stringify(job)}`);
    const uploadS = (performance.now() - t0) / 1000;

    t0 = performance.now();
    await call('POST', `/api/v1/imports/${job.id}/validate`, {});
    const dry = await wait(job.id);
    const dryS = (performance.now() - t0) / 1000;
    if (dry.status !== 'validated' || dry.dryRun.invalid !== 0) throw new Error(`dry run: ${JSON.stringify(dry)}`);
    t0 = performance.now();
    await call('POST', `/api/v1/imports/${job.id}/commit`, {});
    const done = await wait(job.id);
    const commitS = (performance.now() - t0) / 1000;
    if (done.status !== 'committed' || done.committed.create !== ROWS) throw new Error(`commit: ${JSON.stringify(done)}`);
    const people = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM persons`.execute(deps.db)).rows[0].n);
    await app.close();

    let copyS: number | undefined;
    if (target.kind === 'postgresql') {
      // the same bytes into a staging table of text columns: the floor for moving these rows into the database
      await sql.raw(`CREATE TABLE bench_copy (${HEADER.split(',').map((_, i) => `c${i} text`).join(', ')})`).execute(deps.db);
      t0 = performance.now();
      execFileSync('psql', [target.url!, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy bench_copy FROM '${file}' WITH (FORMAT csv, HEADER true)`], { stdio: 'pipe' });
      copyS = (performance.now() - t0) / 1000;
    }
    const result = {
      database: target.kind,
      rows: ROWS,
      fileMB: +(bytes / 1e6).toFixed(1),
      uploadS: +uploadS.toFixed(1),
      dryRunS: +dryS.toFixed(1),
      dryRunRowsPerS: Math.round(ROWS / dryS),
      commitS: +commitS.toFixed(1),
      commitRowsPerS: Math.round(ROWS / commitS),
      peakRssMB: Math.round(peakRss / 1e6),
      copyS: copyS === undefined ? null : +copyS.toFixed(1),
      copyRowsPerS: copyS === undefined ? null : Math.round(ROWS / copyS),
      personsAfter: people,
      machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGB: Math.round(os.totalmem() / 1e9), node: process.version },
    };
    console.table([result]);
    mkdirSync('.tmp/bench', { recursive: true });
    writeFileSync(`.tmp/bench/import-${target.kind}-${ROWS}.json`, JSON.stringify(result, null, 2));
  } finally {
    clearInterval(sampler);
    await target.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
