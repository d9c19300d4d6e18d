// Benchmarks of the platform foundation, over real HTTP on loopback against an in-process server.
//
//   npm run bench            full run (a few minutes)
//   npm run bench:smoke      tiny counts: every path once, well under a minute (CI)
//   BENCH_DATABASE_URL=postgres://user@127.0.0.1:55432/postgres npm run bench
//                            on PostgreSQL: an admin URL; the run creates its own database and drops it after
//
// What is measured (see docs/benchmarks.md):
//   (a) GET /api/v1/auth/me with a bearer token — session resolution — at concurrency 1 and 16
//   (b) GET /api/v1/users?pageSize=20 — a scoped, joined, counted page — at concurrency 1 and 16
//   (c) recordAudit appends, in-process, one after another (the chain is serialised by design)
//   (d) verifyAuditChain over the whole log after (c)
//   (e) POST /api/v1/auth/login at concurrency 2 (argon2id-bound)
// Results are printed as a table and written to .tmp/bench/<database>-<mode>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { benchConfig, openTarget } from './target.js';
import { ensureDemo, openDeps } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import type { Deps } from '../src/server/deps.js';
import { recordAudit, verifyAuditChain } from '../src/server/platform/audit/service.js';
import type { RequestContext } from '../src/server/platform/access/context.js';
import { runLoad, runSequential, type LoadResult } from './load.js';

const SMOKE = process.argv.includes('--smoke');
const PASSWORD = 'Fengqiao@2026';

/** How much of everything: the smoke run still takes every path, with counts that only prove it works. */
const COUNTS = SMOKE
  ? { users: 200, meC1: 40, meC16: 160, usersC1: 20, usersC16: 80, audit: 100, logins: 4, maxSeconds: 20 }
  : { users: 3000, meC1: 3000, meC16: 12000, usersC1: 1000, usersC16: 4000, audit: 5000, logins: 40, maxSeconds: 120 };

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红娥玲芬建国文辉力成志宏海波鹏宇浩然晓东';
const STAFF_ROLES = ['gridworker', 'gridworker', 'gridworker', 'assistant', 'assistant', 'officer', 'officer', 'mediator', 'caseofficer', 'chief'];


/**
 * A county branch's worth of staff on top of the demo district: spread over the stations, community
 * police districts and grids, mostly grid workers and auxiliaries. They share one real argon2id hash
 * (hashing thousands of passwords would measure the seed, not the platform).
 */
async function addStaff(deps: Deps, count: number): Promise<number> {
  const units = await deps.db
    .selectFrom('org_units')
    .select(['id', 'kind'])
    .where('kind', 'in', ['station', 'community', 'grid'])
    .orderBy('code')
    .execute();
  const model = await deps.db.selectFrom('users').select('password_hash').where('username', '=', 'officer').executeTakeFirstOrThrow();
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const users = [];
    const roles = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const id = uuidv7();
      const name = SURNAMES[i % SURNAMES.length] + GIVEN[(i * 7) % GIVEN.length] + (i % 3 === 0 ? '' : GIVEN[(i * 13 + 5) % GIVEN.length]);
      users.push({
        id,
        username: `staff${String(i + 1).padStart(5, '0')}`,
        display_name: name,
        password_hash: model.password_hash,
        org_unit_id: units[i % units.length].id,
        department_id: null,
        phone: `139${String(54300000 + i).padStart(8, '0')}`,
        status: 'active' as const,
        locked_until: null,
        totp_secret: null,
        totp_pending_secret: null,
        last_login_at: null,
      });
      roles.push({ user_id: id, role_code: STAFF_ROLES[i % STAFF_ROLES.length] });
    }
    await deps.db.insertInto('users').values(users).execute();
    await deps.db.insertInto('user_roles').values(roles).execute();
  }
  const { n } = await deps.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

async function login(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'fengqiao-bench' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

interface Row {
  id: string;
  what: string;
  concurrency: number | null;
  count: number;
  perSecond: number;
  unit: string;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  timeBound: boolean;
}

function fromLoad(id: string, what: string, r: LoadResult): Row {
  return { id, what, concurrency: r.concurrency, count: r.requests, perSecond: r.perSecond, unit: 'req/s', p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors, timeBound: r.timeBound };
}

async function main() {
  const t0 = performance.now();
  const loadAtStart = os.loadavg()[0];
  const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  const target = await openTarget('fq_bench');
  let app: FastifyInstance | undefined;
  const rows: Row[] = [];
  try {
    const config = benchConfig(PASSWORD);
    const deps = await openDeps(config, log, target.database);
    await ensureDemo(deps);
    const users = await addStaff(deps, COUNTS.users);
    const units = Number(
      (await deps.db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    );

    app = await buildApp(deps, { rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const setupSeconds = (performance.now() - t0) / 1000;
    console.log(
      `枫桥 benchmark — ${target.kind}${SMOKE ? ' (smoke)' : ''}: ${units} org units, ${users} users; ready in ${fmt(setupSeconds)} s at ${base}`,
    );

    const token = await login(base, 'admin');
    const auth = { authorization: `Bearer ${token}`, 'user-agent': 'fengqiao-bench' };
    const me = () => fetch(`${base}/api/v1/auth/me`, { headers: auth });
    const page = () => fetch(`${base}/api/v1/users?pageSize=20`, { headers: auth });

    // sanity: the endpoints answer what they should before they are timed
    const meBody = (await (await me()).json()) as { username: string };
    if (meBody.username !== 'admin') throw new Error(`/auth/me answered ${JSON.stringify(meBody)}`);
    const pageBody = (await (await page()).json()) as { items: unknown[]; total: number };
    if (pageBody.items.length !== 20 || pageBody.total !== users) {
      throw new Error(`/users answered ${pageBody.items.length} items of ${pageBody.total}, expected 20 of ${users}`);
    }

    const step = (s: string) => console.log(`  … ${s}`);
    const warm = (n: number) => Math.max(5, Math.round(n / 10));
    const max = COUNTS.maxSeconds;

    step('(a) GET /auth/me');
    rows.push(fromLoad('me_c1', 'GET /api/v1/auth/me', await runLoad(me, { concurrency: 1, requests: COUNTS.meC1, warmup: warm(COUNTS.meC1), maxSeconds: max })));
    rows.push(fromLoad('me_c16', 'GET /api/v1/auth/me', await runLoad(me, { concurrency: 16, requests: COUNTS.meC16, warmup: warm(COUNTS.meC16), maxSeconds: max })));

    step('(b) GET /users?pageSize=20');
    rows.push(fromLoad('users_c1', 'GET /api/v1/users?pageSize=20', await runLoad(page, { concurrency: 1, requests: COUNTS.usersC1, warmup: warm(COUNTS.usersC1), maxSeconds: max })));
    rows.push(fromLoad('users_c16', 'GET /api/v1/users?pageSize=20', await runLoad(page, { concurrency: 16, requests: COUNTS.usersC16, warmup: warm(COUNTS.usersC16), maxSeconds: max })));

    step('(c) recordAudit');
    const ctx: RequestContext = {
      ip: '127.0.0.1',
      userAgent: 'Mozilla/5.0 (Linux; Android 14) fengqiao-bench',
      requestId: uuidv7(),
      principal: {
        kind: 'staff',
        sessionId: uuidv7(),
        userId: uuidv7(),
        username: 'officer',
        displayName: '张明',
        orgUnitId: (await deps.db.selectFrom('users').select('org_unit_id').where('username', '=', 'officer').executeTakeFirstOrThrow()).org_unit_id,
        departmentId: null,
        scopePath: '/',
        roles: ['officer'],
        permissions: new Set<string>(),
        mustChangePassword: false,
      },
    };
    const before = await verifyAuditChain(deps.db);
    const audit = await runSequential(
      (i) =>
        recordAudit(deps.db, ctx, {
          action: i % 4 === 0 ? 'user.view' : 'resident.view',
          subjectType: i % 4 === 0 ? 'user' : 'resident',
          subjectIds: [uuidv7()],
          purpose: '日常走访核查',
          detail: { fields: ['phone', 'address'], via: 'bench', i },
        }),
      COUNTS.audit,
      max,
    );
    rows.push({ id: 'audit_append', what: 'recordAudit (in-process, sequential)', concurrency: 1, count: audit.count, perSecond: audit.perSecond, unit: 'rows/s', p50Ms: audit.p50Ms, p99Ms: audit.p99Ms, errors: 0, timeBound: audit.timeBound });

    step('(d) verifyAuditChain');
    const v0 = performance.now();
    const verified = await verifyAuditChain(deps.db);
    const vSeconds = (performance.now() - v0) / 1000;
    if (!verified.ok || verified.checked !== before.checked + audit.count) {
      throw new Error(`audit chain: ${JSON.stringify(verified)} (expected ${before.checked + audit.count} rows)`);
    }
    rows.push({ id: 'audit_verify', what: `verifyAuditChain (${verified.checked} rows)`, concurrency: null, count: verified.checked, perSecond: verified.checked / vSeconds, unit: 'rows/s', p50Ms: NaN, p99Ms: NaN, errors: 0, timeBound: false });

    step('(e) POST /auth/login');
    let n = 0;
    const signIn = () =>
      fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'fengqiao-bench' },
        body: JSON.stringify({ username: `staff${String((n++ % users) + 1).padStart(5, '0')}`, password: PASSWORD }),
      });
    rows.push(fromLoad('login_c2', 'POST /api/v1/auth/login', await runLoad(signIn, { concurrency: 2, requests: COUNTS.logins, warmup: 2, maxSeconds: max })));

    const failed = rows.filter((r) => r.errors > 0);
    const totalSeconds = (performance.now() - t0) / 1000;
    printTable(target.kind, rows);
    const cpus = os.cpus();
    const report = {
      database: target.kind,
      mode: SMOKE ? 'smoke' : 'full',
      at: new Date().toISOString(),
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
      // other work on the machine skews every figure: the 1-minute load average at the start and the end
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
      data: { orgUnits: units, users, auditRowsVerified: verified.checked },
      setupSeconds,
      totalSeconds,
      rows,
    };
    mkdirSync('.tmp/bench', { recursive: true });
    const file = `.tmp/bench/${target.kind}-${report.mode}.json`;
    writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`\nwritten ${file}; total ${fmt(totalSeconds)} s`);
    if (failed.length) throw new Error(`requests failed in: ${failed.map((r) => r.id).join(', ')}`);
  } finally {
    await app?.close();
    await target.cleanup();
  }
}

function printTable(kind: string, rows: Row[]) {
  const head = ['what', 'conc.', 'count', 'rate', 'p50 ms', 'p99 ms'];
  const body = rows.map((r) => [
    r.what,
    r.concurrency === null ? '–' : String(r.concurrency),
    String(r.count) + (r.timeBound ? '*' : ''),
    `${fmt(r.perSecond, r.perSecond < 100 ? 1 : 0)} ${r.unit}`,
    fmt(r.p50Ms, 2),
    fmt(r.p99Ms, 2),
  ]);
  console.log(`\n${kind}, Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const b of body) console.log(`| ${b.join(' | ')} |`);
  if (rows.some((r) => r.timeBound)) console.log('* stopped by the time limit before the request count');
}

main().catch((e: Error) => {
  console.error(`benchmark failed: ${e.stack ?? e.message}`);
  process.exitCode = 1;
});
