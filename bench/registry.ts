// Registry benchmarks at scale: person search and purpose-bound locate over a seeded demo district, over real
// HTTP on loopback against an in-process server, side by side with the same SQL run directly through the pool.
//
//   npm run bench:registry:smoke          ~2,000 people in a temporary PGlite folder, every path (CI)
//   npm run bench:registry -- --data-dir .tmp/bench-data/pglite-1m
//                                         1,000,000 people in a PGlite folder: seeded on the first run, reused after
//   BENCH_DATABASE_URL=postgres://user@127.0.0.1:55432/postgres npm run bench:registry -- --database fq_registry_1m
//                                         on PostgreSQL: an admin URL; the database is created and seeded once,
//                                         later runs add --reuse
//
// Options: --people N (default 1,000,000; smoke 2,000), --seed S (42), --data-dir DIR (PGlite), --database NAME
// (PostgreSQL), --reuse, --prepare (build the database and stop), --accounts leader,officer, --queries K (distinct
// queries per kind), --max-seconds S (hard limit per measured loop), --kinds id_number,… and --parts search,locate,export
// (measure only these), --smoke.
//
// What is measured (see docs/benchmarks.md), for a whole-district account (leader) and a community officer:
//   (a) GET /api/v1/persons?q=… per kind of query: ID number, name, name prefix, full pinyin, initials, phone, address
//   (b) GET /api/v1/persons/{id}/locate?purpose=…
//   (c) GET /api/v1/persons/export?format=csv once, for an account whose scope is under the export limit
// (a) and (b) each at concurrency 1 and 16, through the API and as the statements that request issues (captured from one real
// request per query, session look-up and audit append included) run directly through the same pool.
// Results are printed as a table and written to .tmp/bench/registry-<database>-<people>.json.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { AsyncLocalStorage } from 'node:async_hooks';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { CompiledQuery, sql, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryId, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { connectPGlite, connectPostgres, type Database } from '../src/server/db/connect.js';
import type { DB } from '../src/server/db/schema.js';
import { ensureDemo, openDeps } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import type { Deps } from '../src/server/deps.js';
import { decryptField } from '../src/server/platform/crypto/fields.js';
import { rowHash } from '../src/server/platform/audit/chain.js';
import { verifyAuditChain } from '../src/server/platform/audit/service.js';
import { EXPORT_MAX_ROWS } from '../src/server/modules/population/service.js';
import { Rng, seedDemoRegistry } from '../src/demo/registry.js';
import { percentile, runLoad, runWork, type WorkResult } from './load.js';
import { benchConfig, openTarget as openThrowaway } from './target.js';

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    people: { type: 'string' },
    seed: { type: 'string', default: '42' },
    'data-dir': { type: 'string' },
    database: { type: 'string' },
    reuse: { type: 'boolean', default: false },
    prepare: { type: 'boolean', default: false },
    accounts: { type: 'string', default: 'leader,officer' },
    queries: { type: 'string' },
    'max-seconds': { type: 'string' },
    kinds: { type: 'string' },
    parts: { type: 'string', default: 'search,locate,export' },
  },
  strict: true,
});

const SMOKE = args.smoke;
const PEOPLE = Number(args.people ?? (SMOKE ? 2000 : 1_000_000));
const SEED = Number(args.seed);
if (!Number.isInteger(PEOPLE) || PEOPLE < 100) throw new Error('--people: an integer of at least 100');
if (!Number.isInteger(SEED)) throw new Error('--seed: an integer');
const PASSWORD = 'Fengqiao@2026';
const PURPOSE = '案件 A2026-118 走访核查';

/** How much of everything: the smoke run takes every path with counts that only prove it works. */
const COUNTS = SMOKE
  ? { queriesPerKind: 4, locateIds: 20, searchC1: 8, searchC16: 32, locateC1: 20, locateC16: 64, maxSeconds: 20 }
  : { queriesPerKind: 40, locateIds: 400, searchC1: 100, searchC16: 400, locateC1: 500, locateC16: 2000, maxSeconds: 60 };
if (args.queries) COUNTS.queriesPerKind = Number(args.queries);
if (args['max-seconds']) COUNTS.maxSeconds = Number(args['max-seconds']);

const KINDS = ['id_number', 'name', 'name_prefix', 'pinyin', 'initials', 'phone', 'address'] as const;
type Kind = (typeof KINDS)[number];
/** The kinds measured (--kinds; every kind by default); the queries are drawn for all kinds either way. */
const MEASURED = args.kinds ? KINDS.filter((k) => args.kinds!.split(',').includes(k)) : [...KINDS];
/** What is measured (--parts): search, locate, export. */
const PARTS = new Set(args.parts.split(',').map((p) => p.trim()));
const KIND_NAMES: Record<Kind, string> = {
  id_number: 'ID number (exact)',
  name: 'name (exact)',
  name_prefix: 'name prefix (2 chars)',
  pinyin: 'full pinyin',
  initials: 'pinyin initials',
  phone: 'phone (11 digits)',
  address: 'address text',
};

// ---- the database ---------------------------------------------------------------------------------------------

interface Target {
  kind: 'pglite' | 'postgresql';
  /** Where the data lives (a folder or a database name), for the report. */
  where: string;
  database: Database;
  /** The folder of an embedded database kept between runs (its size on disk is reported). */
  dir?: string;
  cleanup(): Promise<void>;
}

/**
 * A named database kept between runs (`--data-dir`, or `--database` on the server of BENCH_DATABASE_URL), or a
 * throwaway one (bench/target.ts) when neither is given.
 */
async function openTarget(): Promise<Target> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (!args.database && !args['data-dir']) {
    if (args.reuse) throw new Error('--reuse needs --database (with BENCH_DATABASE_URL) or --data-dir');
    const t = await openThrowaway('fq_regbench');
    return { ...t, where: t.url ? new URL(t.url).pathname.slice(1) : 'a temporary folder' };
  }
  if (args.database) {
    if (!adminUrl) throw new Error('--database needs BENCH_DATABASE_URL (an admin URL of a PostgreSQL server)');
    const name = args.database;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`--database ${name}: lower-case letters, digits and _ only`);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount! > 0;
      if (exists && !args.reuse) throw new Error(`database ${name} exists: add --reuse to measure it as it is, or drop it to seed it again`);
      if (!exists) await admin.query(`CREATE DATABASE ${name}`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await connectPostgres(url.toString(), 10);
    return { kind: 'postgresql', where: name, database, cleanup: () => database.close() };
  }
  const dir = args['data-dir']!;
  mkdirSync(dir, { recursive: true });
  const database = await connectPGlite({ dir });
  return { kind: 'pglite', where: dir, database, dir, cleanup: () => database.close() };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += dirBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

interface Prepared {
  reused: boolean;
  /** Seconds to build the district and its registry (this run's, or the one recorded when it was seeded). */
  seedSeconds: number | null;
  analyzeSeconds: number | null;
  people: number;
}

/** Seeds the district with PEOPLE people when the database is empty; otherwise checks it holds what was asked. */
async function prepare(deps: Deps): Promise<Prepared> {
  const count = async () => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM persons`.execute(deps.db)).rows[0].n);
  const recorded = async () =>
    (
      await sql<{ detail: { seed?: number; requestedPeople?: number; ms?: number } }>`
        SELECT detail FROM audit_log WHERE action = 'demo.seed_registry' ORDER BY seq DESC LIMIT 1`.execute(deps.db)
    ).rows[0]?.detail;
  const have = await count();
  if (have > 0) {
    const d = await recorded();
    if (have !== PEOPLE || (d && d.seed !== SEED)) {
      throw new Error(`the database holds ${have} people (seed ${d?.seed ?? '?'}), not ${PEOPLE} (seed ${SEED}): use another --data-dir / --database`);
    }
    return { reused: true, seedSeconds: d?.ms ? d.ms / 1000 : null, analyzeSeconds: null, people: have };
  }
  console.log(`  … seeding the demo district with ${PEOPLE.toLocaleString('en')} people (seed ${SEED})`);
  const t0 = performance.now();
  let last = 0;
  const onProgress = (p: { done: number; total: number }) => {
    if (performance.now() - last < 15_000 && p.done < p.total) return;
    last = performance.now();
    console.log(`    ${p.done.toLocaleString('en')} / ${p.total.toLocaleString('en')} (${Math.round((performance.now() - t0) / 1000)} s)`);
  };
  const r = await ensureDemo(deps, { people: PEOPLE, seed: SEED, onProgress });
  if (!r?.registry) await seedDemoRegistry(deps, { people: PEOPLE, seed: SEED, onProgress });
  const seedSeconds = (performance.now() - t0) / 1000;
  // statistics for the planner: PostgreSQL's autovacuum would gather them within a minute of the load;
  // PGlite runs no autovacuum, so they are taken here on both to measure the same thing
  const t1 = performance.now();
  await deps.database.exec('VACUUM ANALYZE');
  const analyzeSeconds = (performance.now() - t1) / 1000;
  return { reused: false, seedSeconds, analyzeSeconds, people: await count() };
}

async function sizes(deps: Deps, target: Target) {
  const r = await sql<{ relname: string; bytes: number }>`
    SELECT c.relname, pg_total_relation_size(c.oid) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 8`.execute(deps.db);
  const db = (await sql<{ bytes: number }>`SELECT pg_database_size(current_database()) AS bytes`.execute(deps.db)).rows[0].bytes;
  const rows = Object.fromEntries(
    await Promise.all(
      ['persons', 'residences', 'addresses', 'housing', 'units', 'employments', 'audit_log'].map(async (t) => [
        t,
        Number((await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(t)}`.execute(deps.db)).rows[0].n),
      ]),
    ),
  ) as Record<string, number>;
  return {
    databaseBytes: Number(db),
    onDiskBytes: target.dir ? dirBytes(target.dir) : null,
    largestTables: r.rows.map((x) => ({ table: x.relname, bytes: Number(x.bytes) })),
    rows,
  };
}

// ---- capturing the SQL of a request ---------------------------------------------------------------------------

const CAPTURE_HEADER = 'x-bench-capture';

interface Stmt {
  sql: string;
  params: unknown[];
  start: number;
  end: number;
}

/** The statements of one request, in order: groups run one after another, the statements of a group at once. */
type Step = { kind: 'group'; stmts: Stmt[] } | { kind: 'audit'; lock: Stmt; last: Stmt; insert: Stmt; head: Stmt };

/**
 * Records every statement one request sends to the database (with its parameters), and when it started and
 * finished relative to the others, so statements a service runs at once (Promise.all) are replayed at once.
 * A request is followed through its asynchronous context from the moment the HTTP server receives it (it
 * carries a capture id in a header), so statements of background work are not taken; one compiled but never
 * executed (a sub-query) has no end and is dropped.
 */
class CapturePlugin implements KyselyPlugin {
  private readonly context = new AsyncLocalStorage<Stmt[]>();
  private readonly open = new Map<string, Stmt[]>();
  // builders derived from one another share a query id (a page and its count): first in, first out
  private readonly pending = new Map<QueryId, Stmt[]>();
  private tick = 0;
  private ids = 0;
  db!: Kysely<DB>;

  /** Enters a request's statement list before the framework sees the request (listeners run in order). */
  attach(server: Server) {
    server.prependListener('request', (req: IncomingMessage) => {
      const stmts = this.open.get(String(req.headers[CAPTURE_HEADER]));
      if (stmts) this.context.enterWith(stmts);
    });
  }

  async record<T>(fn: (id: string) => Promise<T>): Promise<{ result: T; stmts: Stmt[] }> {
    const id = String(++this.ids);
    const stmts: Stmt[] = [];
    this.open.set(id, stmts);
    try {
      return { result: await fn(id), stmts };
    } finally {
      this.open.delete(id);
    }
  }

  transformQuery(a: PluginTransformQueryArgs): RootOperationNode {
    const active = this.context.getStore();
    if (active) {
      const c = this.db.getExecutor().compileQuery(a.node, a.queryId);
      const s: Stmt = { sql: c.sql, params: [...c.parameters], start: this.tick++, end: Infinity };
      active.push(s);
      const q = this.pending.get(a.queryId);
      if (q) q.push(s);
      else this.pending.set(a.queryId, [s]);
    }
    return a.node;
  }

  async transformResult(a: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const q = this.pending.get(a.queryId);
    const s = q?.shift();
    if (s) s.end = this.tick++;
    if (q && !q.length) this.pending.delete(a.queryId);
    return a.result;
  }
}

/** Turns a captured statement list into replayable steps: the audit append is recognised and kept as one transaction. */
function toSteps(stmts: Stmt[]): Step[] {
  const done = stmts.filter((s) => s.end !== Infinity && !/^update "sessions"/.test(s.sql)); // the once-a-minute session touch
  const steps: Step[] = [];
  let group: Stmt[] = [];
  let groupEnd = -1;
  const close = () => {
    if (group.length) steps.push({ kind: 'group', stmts: group });
    group = [];
    groupEnd = -1;
  };
  for (let i = 0; i < done.length; i++) {
    const s = done[i];
    if (/pg_advisory_xact_lock/.test(s.sql)) {
      close();
      const [last, insert, head] = done.slice(i + 1, i + 4);
      if (!last || !/from "audit_log"/.test(last.sql) || !insert || !/^insert into "audit_log"/.test(insert.sql) || !head || !/^insert into "audit_head"/.test(head.sql)) {
        throw new Error(`unexpected audit statements: ${done.slice(i, i + 4).map((x) => x.sql).join(' | ')}`);
      }
      steps.push({ kind: 'audit', lock: s, last, insert, head });
      i += 3;
      continue;
    }
    if (group.length && s.start > groupEnd) close();
    group.push(s);
    groupEnd = Math.max(groupEnd, s.end);
  }
  close();
  return steps;
}

const exec = (db: Kysely<DB>, s: Stmt) => db.executeQuery(CompiledQuery.raw(s.sql, s.params));

/**
 * Runs the captured statements of one request directly through the pool. The audit append is repeated as the
 * service does it (lock, read the chain head, insert, move the head, in one transaction), with a new id, time,
 * sequence number and hash so the chain stays valid.
 */
async function replay(db: Kysely<DB>, steps: Step[]): Promise<void> {
  for (const step of steps) {
    if (step.kind === 'group') {
      await Promise.all(step.stmts.map((s) => exec(db, s)));
      continue;
    }
    await db.transaction().execute(async (trx) => {
      await exec(trx, step.lock);
      const last = (await exec(trx, step.last)).rows[0] as { seq: number | string; hash: string } | undefined;
      const cols = /^insert into "audit_log" \(([^)]*)\)/.exec(step.insert.sql)![1].split(', ').map((c) => c.replace(/"/g, ''));
      const row = Object.fromEntries(cols.map((c, i) => [c, step.insert.params[i]])) as Record<string, unknown>;
      const oldSeq = row.seq;
      const oldHash = row.hash;
      row.seq = last ? Number(last.seq) + 1 : 1;
      row.id = uuidv7();
      row.at = new Date();
      row.prev_hash = last?.hash ?? '0'.repeat(64);
      row.hash = rowHash({
        seq: row.seq as number,
        id: row.id as string,
        at: row.at as Date,
        actorKind: row.actor_kind as string,
        actorId: row.actor_id as string | null,
        actorName: row.actor_name as string | null,
        actorRole: row.actor_role as string | null,
        orgUnitId: row.org_unit_id as string | null,
        action: row.action as string,
        subjectType: row.subject_type as string | null,
        subjectIds: row.subject_ids as string[],
        purpose: row.purpose as string | null,
        ip: row.ip as string | null,
        userAgent: row.user_agent as string | null,
        outcome: row.outcome as string,
        crossJurisdiction: row.cross_jurisdiction as boolean,
        detail: row.detail === null || row.detail === undefined ? null : JSON.parse(row.detail as string),
        prevHash: row.prev_hash as string,
      });
      await exec(trx, { ...step.insert, params: cols.map((c) => row[c]) });
      await exec(trx, { ...step.head, params: step.head.params.map((p) => (p === oldSeq ? row.seq : p === oldHash ? row.hash : p)) });
    });
  }
}

// ---- the queries ----------------------------------------------------------------------------------------------

interface Sampled {
  id: string;
  id_cipher: string | null;
  name: string;
  name_pinyin: string;
  name_initials: string;
  phone: string | null;
  compound: string | null;
  building: string | null;
  unit: string | null;
  room: string | null;
}

interface Query {
  kind: Kind;
  q: string;
  /** The person the query was drawn from (an ID number must find exactly them, first). */
  personId: string;
}

/** People inside the scope, drawn with a repeatable sample of the table. */
async function samplePeople(deps: Deps, scopePath: string, want: number, seed: number): Promise<Sampled[]> {
  const pattern = `${scopePath}%`;
  const inScope = Number(
    (await sql<{ n: number }>`SELECT count(*) AS n FROM persons p JOIN org_units o ON o.id = p.org_unit_id WHERE o.path LIKE ${pattern}`.execute(deps.db)).rows[0].n,
  );
  const pct = Math.min(100, Math.max(0.01, ((want * 3) / Math.max(1, inScope)) * 100));
  const r = await sql<Sampled>`
    SELECT p.id, p.id_cipher, p.name, p.name_pinyin, p.name_initials, p.phone,
           c.name AS compound, b.name AS building, u.name AS unit, rm.name AS room
      FROM persons p TABLESAMPLE BERNOULLI (${sql.lit(Number(pct.toFixed(4)))}) REPEATABLE (${sql.lit(seed)})
      JOIN org_units o ON o.id = p.org_unit_id
      LEFT JOIN residences r ON r.person_id = p.id AND r.to_date IS NULL
      LEFT JOIN addresses rm ON rm.id = r.address_id AND rm.level = 'room'
      LEFT JOIN addresses u ON u.id = rm.parent_id
      LEFT JOIN addresses b ON b.id = u.parent_id
      LEFT JOIN addresses c ON c.id = b.parent_id
     WHERE o.path LIKE ${pattern}
     LIMIT ${want * 3}`.execute(deps.db);
  // a fixed order whatever the plan, then a seeded shuffle
  const rows = r.rows.sort((a, b) => (a.id < b.id ? -1 : 1));
  const rng = new Rng(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  return rows;
}

/** A realistic mix: for each kind, K queries as a user would type them about people who are really there. */
function buildQueries(deps: Deps, people: Sampled[], perKind: number): Record<Kind, Query[]> {
  const out = Object.fromEntries(KINDS.map((k) => [k, [] as Query[]])) as Record<Kind, Query[]>;
  const make: Record<Kind, (p: Sampled, i: number) => string | null> = {
    id_number: (p) => (p.id_cipher ? decryptField(deps.config.keys.data, p.id_cipher) : null),
    name: (p) => p.name,
    name_prefix: (p) => ([...p.name].length >= 3 ? [...p.name].slice(0, 2).join('') : null),
    pinyin: (p) => p.name_pinyin || null,
    initials: (p) => p.name_initials || null,
    phone: (p) => p.phone,
    // a room as typed from a door plate (香园小区3号楼2单元501室), or a whole building (香园小区3号楼)
    address: (p, i) => (p.compound && p.building && p.unit && p.room ? (i % 2 ? `${p.compound}${p.building}` : `${p.compound}${p.building}${p.unit}${p.room}`) : null),
  };
  let at = 0;
  for (const kind of KINDS) {
    for (let tries = 0; out[kind].length < perKind && tries < people.length; tries++) {
      const p = people[at++ % people.length];
      const q = make[kind](p, out[kind].length);
      if (q) out[kind].push({ kind, q, personId: p.id });
    }
    if (out[kind].length === 0) throw new Error(`no sample for ${kind}`);
  }
  return out;
}

// ---- measurement ----------------------------------------------------------------------------------------------

interface Row {
  account: string;
  op: 'search' | 'locate';
  kind: string;
  path: 'api' | 'sql';
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  timeBound: boolean;
}

const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

function toRow(account: string, op: Row['op'], kind: string, path: Row['path'], r: WorkResult): Row {
  return {
    account,
    op,
    kind,
    path,
    concurrency: r.concurrency,
    requests: r.requests,
    errors: r.errors,
    seconds: r.seconds,
    perSecond: r.perSecond,
    p50Ms: r.p50Ms,
    p90Ms: r.p90Ms,
    p99Ms: r.p99Ms,
    maxMs: r.maxMs,
    timeBound: r.timeBound,
  };
}

/** All the kinds of one path and concurrency pooled: the latency distribution of an equal mix, and its rate. */
function pooled(account: string, path: Row['path'], concurrency: number, parts: WorkResult[]): Row {
  const all = Float64Array.from(parts.flatMap((p) => Array.from(p.latencies))).sort();
  const seconds = parts.reduce((s, p) => s + p.seconds, 0);
  return {
    account,
    op: 'search',
    kind: 'all',
    path,
    concurrency,
    requests: all.length,
    errors: parts.reduce((s, p) => s + p.errors, 0),
    seconds,
    perSecond: all.length / seconds,
    p50Ms: percentile(all, 50),
    p90Ms: percentile(all, 90),
    p99Ms: percentile(all, 99),
    maxMs: all.length ? all[all.length - 1] : NaN,
    timeBound: parts.some((p) => p.timeBound),
  };
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

async function main() {
  const t0 = performance.now();
  const loadAtStart = os.loadavg()[0];
  const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  const target = await openTarget();
  let app: FastifyInstance | undefined;
  let captureApp: FastifyInstance | undefined;
  const rows: Row[] = [];
  try {
    const config = benchConfig(PASSWORD);
    console.log(`枫桥 registry benchmark — ${target.kind} (${target.where}), ${PEOPLE.toLocaleString('en')} people${SMOKE ? ', smoke' : ''}`);
    const deps = await openDeps(config, log, target.database);
    const prepared = await prepare(deps);
    const size = await sizes(deps, target);
    const setupSeconds = (performance.now() - t0) / 1000;
    console.log(
      `  ${prepared.reused ? 'reused' : 'seeded'}: ${size.rows.persons.toLocaleString('en')} people, ${size.rows.addresses.toLocaleString('en')} addresses, ` +
        `${size.rows.residences.toLocaleString('en')} residences; database ${(size.databaseBytes / 2 ** 20).toFixed(0)} MiB` +
        (prepared.seedSeconds !== null ? `; seed ${fmt(prepared.seedSeconds)} s` : '') +
        (prepared.analyzeSeconds !== null ? `, VACUUM ANALYZE ${fmt(prepared.analyzeSeconds)} s` : ''),
    );
    if (args.prepare) return;

    app = await buildApp(deps, { rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    // a second app over the same pool whose queries are recorded: one request per query, not timed
    const capture = new CapturePlugin();
    const captureDb = deps.db.withPlugin(capture);
    capture.db = captureDb;
    captureApp = await buildApp({ ...deps, db: captureDb }, { rateLimit: false });
    await captureApp.listen({ host: '127.0.0.1', port: 0 });
    capture.attach(captureApp.server);
    const captureBase = `http://127.0.0.1:${(captureApp.server.address() as AddressInfo).port}`;

    const warm = (n: number) => Math.max(4, Math.round(n / 10));
    const max = COUNTS.maxSeconds;
    const accounts = args.accounts.split(',').map((a) => a.trim()).filter(Boolean);
    const samples: Record<string, unknown> = {};
    const exports: Array<{ account: string; rows: number; seconds: number; rowsPerSecond: number; bytes: number; ok: boolean }> = [];
    const captured: Record<string, unknown> = {};

    for (const [ai, username] of accounts.entries()) {
      const token = await login(base, username);
      const auth = { authorization: `Bearer ${token}`, 'user-agent': 'fengqiao-bench' };
      const scope = (
        await sql<{ path: string }>`SELECT o.path FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = ${username}`.execute(deps.db)
      ).rows[0].path;
      const people = await samplePeople(deps, scope, COUNTS.queriesPerKind * KINDS.length + COUNTS.locateIds, SEED + ai);
      const queries = buildQueries(deps, people, COUNTS.queriesPerKind);
      const locateIds = people.slice(0, COUNTS.locateIds).map((p) => p.id);
      const inScope = Number(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM persons p JOIN org_units o ON o.id = p.org_unit_id WHERE o.path LIKE ${`${scope}%`}`.execute(deps.db))
          .rows[0].n,
      );
      console.log(`\n  ${username}: ${inScope.toLocaleString('en')} people in scope; ${COUNTS.queriesPerKind} queries per kind, ${locateIds.length} people to locate`);

      // capture (and check) one request per query: the statements it issues become the direct-SQL replay
      const searchUrl = (q: string) => `/api/v1/persons?q=${encodeURIComponent(q)}`;
      const locateUrl = (id: string) => `/api/v1/persons/${id}/locate?purpose=${encodeURIComponent(PURPOSE)}`;
      const record = async (url: string) => {
        const { result: res, stmts } = await capture.record(async (id) => {
          const r = await fetch(`${captureBase}${url}`, { headers: { ...auth, [CAPTURE_HEADER]: id } });
          return { status: r.status, text: await r.text() };
        });
        if (res.status !== 200) throw new Error(`GET ${url}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
        const steps = toSteps(stmts);
        if (steps.length < 2 || steps.at(-1)!.kind !== 'audit') throw new Error(`GET ${url}: captured ${stmts.length} statements, expected reads and an audit append`);
        return { body: JSON.parse(res.text) as unknown, steps };
      };
      const c0 = performance.now();
      const steps: Record<Kind, Step[][]> = Object.fromEntries(KINDS.map((k) => [k, [] as Step[][]])) as Record<Kind, Step[][]>;
      const totals: Record<Kind, number[]> = Object.fromEntries(KINDS.map((k) => [k, [] as number[]])) as Record<Kind, number[]>;
      for (const kind of PARTS.has('search') ? MEASURED : []) {
        for (const q of queries[kind]) {
          const { body, steps: s } = await record(searchUrl(q.q));
          const b = body as { items: Array<{ id: string; matchedBy: string }>; total: number };
          if (b.total < 1 || !b.items.length) throw new Error(`search ${kind} "${q.q}" found nobody`);
          if (kind === 'id_number' && (b.items[0].id !== q.personId || b.items[0].matchedBy !== 'id_number' || b.total !== 1)) {
            throw new Error(`search by ID number found ${JSON.stringify(b.items[0])} (total ${b.total}), expected ${q.personId}`);
          }
          if (!b.items.some((i) => i.id === q.personId) && b.total <= b.items.length) throw new Error(`search ${kind} "${q.q}" missed ${q.personId}`);
          steps[kind].push(s);
          totals[kind].push(b.total);
        }
      }
      const locateSteps: Step[][] = [];
      for (const id of PARTS.has('locate') ? locateIds : []) {
        const { body, steps: s } = await record(locateUrl(id));
        const b = body as { person: { id: string }; current: unknown };
        if (b.person.id !== id || !b.current) throw new Error(`locate ${id} answered ${JSON.stringify(b).slice(0, 200)}`);
        locateSteps.push(s);
      }
      const flat = (s: Step[]) => s.flatMap((x) => (x.kind === 'group' ? x.stmts.map((y) => y.sql) : [x.lock.sql, x.last.sql, x.insert.sql, x.head.sql]));
      const shape = (s: Step[] | undefined) => s && { statements: flat(s), steps: s.map((x) => (x.kind === 'group' ? x.stmts.length : 'audit')) };
      captured[username] = {
        seconds: (performance.now() - c0) / 1000,
        search: Object.fromEntries(MEASURED.map((k) => [k, shape(steps[k][0])])),
        locate: shape(locateSteps[0]),
      };
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      samples[username] = {
        scope,
        peopleInScope: inScope,
        queries: Object.fromEntries(MEASURED.map((k) => [k, { count: queries[k].length, examples: queries[k].slice(0, 3).map((q) => (k === 'id_number' || k === 'phone' ? `${q.q.slice(0, 3)}…${q.q.slice(-2)}` : q.q)), medianTotal: median(totals[k]), maxTotal: Math.max(...totals[k]) }])),
        locateIds: locateIds.length,
      };
      console.log(`  captured ${Object.values(steps).reduce((n, x) => n + x.length, 0) + locateSteps.length} requests in ${fmt((performance.now() - c0) / 1000)} s; median matches per kind: ${MEASURED.map((k) => `${k} ${totals[k].length ? median(totals[k]) : '–'}`).join(', ')}`);

      // the timed loops: API then the same statements directly, each at concurrency 1 and 16
      const cycle = <T>(xs: T[]) => {
        let i = 0;
        return () => xs[i++ % xs.length];
      };
      const parts: Record<string, WorkResult[]> = { 'api-1': [], 'sql-1': [], 'api-16': [], 'sql-16': [] };
      for (const kind of PARTS.has('search') ? MEASURED : []) {
        for (const [c, n] of [[1, COUNTS.searchC1], [16, COUNTS.searchC16]] as const) {
          console.log(`  … ${username} search ${kind} c${c}`);
          const nextQ = cycle(queries[kind]);
          const api = await runLoad(() => fetch(`${base}${searchUrl(nextQ().q)}`, { headers: auth }), { concurrency: c, requests: n, warmup: warm(n), maxSeconds: max });
          const nextS = cycle(steps[kind]);
          const direct = await runWork(() => replay(deps.db, nextS()), { concurrency: c, requests: n, warmup: warm(n), maxSeconds: max });
          rows.push(toRow(username, 'search', kind, 'api', api), toRow(username, 'search', kind, 'sql', direct));
          parts[`api-${c}`].push(api);
          parts[`sql-${c}`].push(direct);
        }
      }
      if (PARTS.has('search')) for (const c of [1, 16]) for (const path of ['api', 'sql'] as const) rows.push(pooled(username, path, c, parts[`${path}-${c}`]));
      for (const [c, n] of PARTS.has('locate') ? ([[1, COUNTS.locateC1], [16, COUNTS.locateC16]] as const) : []) {
        console.log(`  … ${username} locate c${c}`);
        const nextId = cycle(locateIds);
        const api = await runLoad(() => fetch(`${base}${locateUrl(nextId())}`, { headers: auth }), { concurrency: c, requests: n, warmup: warm(n), maxSeconds: max });
        const nextS = cycle(locateSteps);
        const direct = await runWork(() => replay(deps.db, nextS()), { concurrency: c, requests: n, warmup: warm(n), maxSeconds: max });
        rows.push(toRow(username, 'locate', 'locate', 'api', api), toRow(username, 'locate', 'locate', 'sql', direct));
      }

      // (c) one export of everybody in scope (CSV, streamed in batches), where the scope is under the export limit
      if (PARTS.has('export') && inScope <= EXPORT_MAX_ROWS) {
        console.log(`  … ${username} export`);
        const e0 = performance.now();
        const res = await fetch(`${base}/api/v1/persons/export?format=csv&purpose=${encodeURIComponent(PURPOSE)}`, { headers: auth });
        const text = await res.text();
        const seconds = (performance.now() - e0) / 1000;
        if (res.status === 403) console.log(`    ${username} may not export; skipped`);
        else {
          const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n').length - 1;
          const total = Number(res.headers.get('x-total-count'));
          const ok = res.status === 200 && lines === total && total === inScope;
          if (!ok) console.error(`  ! export: HTTP ${res.status}, ${lines} rows, x-total-count ${total}, ${inScope} in scope`);
          exports.push({ account: username, rows: lines, seconds, rowsPerSecond: lines / seconds, bytes: Buffer.byteLength(text), ok });
        }
      }
    }

    console.log('  … verifying the audit chain');
    const v0 = performance.now();
    const verified = await verifyAuditChain(deps.db);
    const verifySeconds = (performance.now() - v0) / 1000;
    if (!verified.ok) throw new Error(`audit chain broken: ${JSON.stringify(verified)}`);

    const failed = [...rows.filter((r) => r.errors > 0).map((r) => `${r.account}/${r.op}/${r.kind}/${r.path}/c${r.concurrency}`), ...exports.filter((e) => !e.ok).map((e) => `${e.account}/export`)];
    const totalSeconds = (performance.now() - t0) / 1000;
    printTables(target.kind, rows);
    for (const e of exports) console.log(`export (CSV, ${e.account}): ${e.rows.toLocaleString('en')} rows in ${fmt(e.seconds, 2)} s (${fmt(e.rowsPerSecond, 0)} rows/s, ${(e.bytes / 2 ** 20).toFixed(1)} MiB)`);
    const cpus = os.cpus();
    const report = {
      database: target.kind,
      where: target.where,
      people: PEOPLE,
      seed: SEED,
      mode: SMOKE ? 'smoke' : 'full',
      at: new Date().toISOString(),
      machine: { cpus: cpus.length, cpuModel: cpus[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` },
      serverVersion: (await sql<{ v: string }>`SELECT version() AS v`.execute(deps.db)).rows[0].v,
      // other work on the machine skews every figure: the 1-minute load average at the start and the end
      loadAverage: { start: loadAtStart, end: os.loadavg()[0] },
      prepared,
      size,
      setupSeconds,
      counts: COUNTS,
      samples,
      captured,
      exports,
      auditChain: { rows: verified.checked, verifySeconds },
      totalSeconds,
      rows,
    };
    mkdirSync('.tmp/bench', { recursive: true });
    const file = `.tmp/bench/registry-${target.kind}-${PEOPLE}.json`;
    writeFileSync(file, JSON.stringify(report, null, 2));
    console.log(`\naudit chain: ${verified.checked.toLocaleString('en')} rows verified in ${fmt(verifySeconds)} s`);
    console.log(`written ${file}; total ${fmt(totalSeconds)} s`);
    if (failed.length) throw new Error(`requests failed in: ${failed.join(', ')}`);
  } finally {
    await captureApp?.close();
    await app?.close();
    await target.cleanup();
  }
}

function printTables(kind: string, rows: Row[]) {
  console.log(`\n${kind}, ${PEOPLE.toLocaleString('en')} people, Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const head = ['account', 'what', 'conc.', 'API rate', 'API p50', 'API p99', 'SQL rate', 'SQL p50', 'SQL p99', 'API/SQL p50', 'API/SQL p99'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`);
  const apiRows = rows.filter((r) => r.path === 'api');
  for (const a of apiRows) {
    const s = rows.find((r) => r.path === 'sql' && r.account === a.account && r.op === a.op && r.kind === a.kind && r.concurrency === a.concurrency)!;
    const what = a.op === 'locate' ? 'locate' : a.kind === 'all' ? 'search, all kinds' : `search: ${KIND_NAMES[a.kind as Kind]}`;
    const star = (r: Row) => (r.timeBound ? '*' : '');
    console.log(
      `| ${a.account} | ${what} | ${a.concurrency} | ${fmt(a.perSecond, 0)}${star(a)} | ${fmt(a.p50Ms, 2)} | ${fmt(a.p99Ms, 2)} | ${fmt(s.perSecond, 0)}${star(s)} | ${fmt(s.p50Ms, 2)} | ${fmt(s.p99Ms, 2)} | ${fmt(a.p50Ms / s.p50Ms, 2)} | ${fmt(a.p99Ms / s.p99Ms, 2)} |`,
    );
  }
  if (rows.some((r) => r.timeBound)) console.log('* stopped by the time limit before the request count');
  console.log('rates in requests/s, latencies in ms');
}

main().catch((e: Error) => {
  console.error(`benchmark failed: ${e.stack ?? e.message}`);
  process.exitCode = 1;
});

