import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { DB, ImportTally } from '../../db/schema.js';
import type { RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { staffPrincipal } from '../../platform/auth/principal.js';
import { maskIdNumber } from '../../platform/ids/index.js';
import { orgRepository } from '../org/repository.js';
import { todayCst } from '../population/rules.js';
import { uniqueViolation } from '../population/service.js';
import { RowValues } from './cells.js';
import { jobFile, removeJobFile } from './files.js';
import { KINDS, kindPermissions } from './kinds/index.js';
import type { ImportKindDef, JobEnv, ParsedRow, RowPlan } from './kinds/types.js';
import { isBlankRow, readRows, type Cell, type SheetRow } from './reader.js';
import { importsRepository as repo, type ImportIssueInsert, type ImportJobRow } from './repository.js';

/** Issues kept per job for the report; beyond it rows are still counted. */
export const MAX_STORED_ISSUES = 50_000;

export const zeroTally = (): ImportTally => ({ rows: 0, valid: 0, invalid: 0, create: 0, update: 0, unchanged: 0, issues: 0 });

/** How a value appears in the report: identity and passport numbers and phones masked. */
function reportValue(def: ImportKindDef<unknown>, field: string | undefined, c: Cell | undefined): string | null {
  if (c === null || c === undefined) return null;
  const s = c instanceof Date ? c.toISOString().slice(0, 10) : String(c);
  if (!field || !def.maskedFields?.includes(field)) return s.slice(0, 200);
  if (s.length >= 15) return maskIdNumber(s);
  return s.length > 4 ? `${'*'.repeat(s.length - 4)}${s.slice(-4)}` : '*'.repeat(s.length);
}

export interface RunOptions {
  /** Rows per batch (each batch is one step of progress and of resumption). */
  batchRows: number;
  /** For tests of resumption: stop (as a crash would) after this many batches. */
  stopAfterBatches?: number;
}

class Stop extends Error {}

/**
 * Runs one phase of a job (dry run or commit) from its cursor to the end of the file. Each batch: rows are
 * read through the mapping, repeats of a key further down the file are reported, rows are planned (dry run)
 * or written (commit), and the report and the cursor are saved. The caller holds the job's lease.
 */
export async function runPhase(deps: Deps, job: ImportJobRow, runnerId: string, o: RunOptions, isStopping: () => boolean): Promise<void> {
  const def = KINDS[job.kind] as ImportKindDef<unknown>;
  const phase = job.status === 'validating' ? 'validate' : 'commit';
  const principal = await staffPrincipal(deps, job.created_by, job.id);
  if (!principal || !kindPermissions(def).every((p) => principal.permissions.has(p))) {
    await fail(deps, job, '导入发起人的账号已停用或已不具备导入权限，导入已停止');
    return;
  }
  const file = jobFile(deps, job.id);
  if (!existsSync(file)) {
    await fail(deps, job, '导入文件已不在服务器上，请重新上传');
    return;
  }
  const ctx: RequestContext = { principal, ip: job.client_ip ?? undefined, userAgent: 'fengqiao-import', requestId: job.id };
  const home = await orgRepository.byId(deps.db, principal.orgUnitId);
  const env: JobEnv = {
    deps,
    ctx,
    scopePath: principal.scopePath,
    orgUnitId: principal.orgUnitId,
    home: { id: principal.orgUnitId, county: home?.county_code ?? null },
    jobId: job.id,
    today: todayCst(),
  };
  const mapping = job.mapping ?? {};
  const headers = job.headers;
  const columnOf = (field: string) => (mapping[field] !== undefined ? (headers[mapping[field]] ?? null) : null);
  let tally = { ...zeroTally(), ...((phase === 'validate' ? job.dry_run : job.committed) ?? {}) };
  let bytes = Number(job.bytes_done);
  let batches = 0;

  const issue = (row: SheetRow, field: string | undefined, reason: string): ImportIssueInsert => ({
    job_id: job.id,
    phase,
    row_no: row.rowNo,
    column_name: field ? columnOf(field) : null,
    field: field ?? null,
    value: field && mapping[field] !== undefined ? reportValue(def, field, row.cells[mapping[field]]) : null,
    reason,
  });

  /** Saves the report and the cursor (inside the batch's transaction when there is one). */
  async function save(db: Kysely<DB>, next: ImportTally, found: ImportIssueInsert[], lastRow: number) {
    // at commit, a row the dry run reported is not reported again; only what changed since is new
    const seen = phase === 'commit' && found.length ? await repo.reportedRows(db, job.id, Math.min(...found.map((i) => i.row_no)), lastRow) : undefined;
    const issues = seen ? found.filter((i) => !seen.has(i.row_no)) : found;
    const room = Math.max(0, MAX_STORED_ISSUES - tally.issues);
    await repo.insertIssues(db, issues.slice(0, room));
    next.issues = tally.issues + issues.length;
    const saved = await repo.saveProgress(db, job.id, runnerId, {
      cursor_row: lastRow,
      bytes_done: bytes,
      [phase === 'validate' ? 'dry_run' : 'committed']: JSON.stringify(next),
    });
    if (!saved) throw new Stop('lease lost');
    return saved.cancel_requested;
  }

  async function batch(rows: SheetRow[], lastRow: number): Promise<boolean> {
    const base: ImportTally = { ...tally, rows: tally.rows + rows.length };
    const baseIssues: ImportIssueInsert[] = [];
    const parsed: Array<ParsedRow<unknown> & { row: SheetRow }> = [];
    for (const row of rows) {
      const v = new RowValues(row.cells, mapping);
      const value = def.parse(v, env);
      if (value === undefined) {
        base.invalid += 1;
        for (const e of v.errors) baseIssues.push(issue(row, e.field, e.message));
      } else parsed.push({ rowNo: row.rowNo, value, row });
    }
    // a key seen on an earlier row of the file: the later row is a repeat
    const keys = parsed.map((p) => ({ key: def.key(p.value), rowNo: p.rowNo }));
    const first = phase === 'validate' ? await repo.recordKeys(deps.db, job.id, keys) : await repo.keyRows(deps.db, job.id, keys.map((k) => k.key));
    const unique = parsed.filter((p, i) => {
      const at = first.get(keys[i].key);
      if (at === undefined || at === p.rowNo) return true;
      base.invalid += 1;
      if (phase === 'validate') baseIssues.push(issue(p.row, def.columns[0].field, `与第 ${at} 行是同一条记录（${def.columns[0].header}相同），本行不导入`));
      return false;
    });
    const byRow = new Map(unique.map((u) => [u.rowNo, u.row]));
    /** The batch's tally and report once its rows are planned (computed afresh on a retry). */
    const outcome = (plans: RowPlan[]) => {
      const next = { ...base };
      const issues = [...baseIssues];
      for (const p of plans) {
        if ('errors' in p) {
          next.invalid += 1;
          for (const e of p.errors) issues.push(issue(byRow.get(p.rowNo)!, e.field, e.message));
        } else {
          next.valid += 1;
          next[p.action] += 1;
        }
      }
      return { next, issues };
    };
    let cancel = false;
    let result: ImportTally = base;
    if (phase === 'validate') {
      const { next, issues } = outcome(await def.plan(env, unique));
      cancel = await deps.db.transaction().execute((trx) => save(trx, next, issues, lastRow));
      result = next;
    } else {
      const attempt = () =>
        def.commit(env, unique, async (db, plans) => {
          const { next, issues } = outcome(plans);
          cancel = await save(db, next, issues, lastRow);
          result = next;
        });
      try {
        await attempt();
      } catch (e) {
        // another writer created a record of this batch meanwhile: match the batch again, once
        if (uniqueViolation(e) === undefined) throw e;
        await attempt();
      }
    }
    tally = result;
    batches += 1;
    return cancel;
  }

  try {
    let rows: SheetRow[] = [];
    let lastRow = job.cursor_row;
    for await (const row of readRows(file, job.file_format, (n) => (bytes = n))) {
      if (row.rowNo <= job.cursor_row) continue; // the header, and rows finished before a restart
      lastRow = row.rowNo;
      if (isBlankRow(row.cells)) continue;
      rows.push(row);
      if (rows.length >= o.batchRows) {
        if (await batch(rows, lastRow)) return await cancelled(deps, job);
        rows = [];
        if (o.stopAfterBatches !== undefined && batches >= o.stopAfterBatches) return; // as if the process died
        if (isStopping()) return await repo.releaseJob(deps.db, job.id, runnerId); // the next process resumes
      }
    }
    if (await batch(rows, lastRow)) return await cancelled(deps, job);
    await finish(deps, job, phase, tally, lastRow, ctx);
  } catch (e) {
    if (e instanceof Stop) return;
    deps.log.error({ err: e, jobId: job.id }, 'import failed');
    await fail(deps, job, `导入中断：${readableError(e)}。已完成的部分已保存，可重新开始${phase === 'commit' ? '导入（从中断处继续）' : '校验'}`);
  }
}

function readableError(e: unknown): string {
  const m = (e as Error)?.message ?? String(e);
  if (/zip|end of central directory|invalid signature/i.test(m)) return '文件不是有效的 XLSX（可能已损坏）';
  if (/quote|csv|record/i.test(m)) return `CSV 格式错误（${m.slice(0, 120)}）`;
  return m.slice(0, 200);
}

async function finish(deps: Deps, job: ImportJobRow, phase: 'validate' | 'commit', tally: ImportTally, lastRow: number, ctx: RequestContext) {
  await deps.db.transaction().execute(async (trx) => {
    const done = await repo.transition(trx, job.id, [phase === 'validate' ? 'validating' : 'committing'], {
      status: phase === 'validate' ? 'validated' : 'committed',
      rows_total: phase === 'validate' ? lastRow : undefined,
      cursor_row: lastRow,
      finished_at: new Date(),
      runner_id: null,
    });
    if (!done) return;
    await recordAudit(trx, ctx, {
      action: phase === 'validate' ? 'import.validated' : 'import.committed',
      subjectType: 'import',
      subjectIds: [job.id],
      detail: { kind: job.kind, fileName: job.file_name, ...tally },
    });
    if (phase === 'commit') await repo.deleteKeys(trx, job.id);
  });
  if (phase === 'commit') await removeJobFile(deps, job.id);
}

async function cancelled(deps: Deps, job: ImportJobRow) {
  await repo.transition(deps.db, job.id, ['validating', 'committing'], { status: 'cancelled', finished_at: new Date(), runner_id: null });
  await repo.deleteKeys(deps.db, job.id);
  await removeJobFile(deps, job.id);
}

async function fail(deps: Deps, job: ImportJobRow, message: string) {
  await repo.transition(deps.db, job.id, ['validating', 'committing'], { status: 'failed', error: message, finished_at: new Date(), runner_id: null });
}

/**
 * The background worker of a server process: takes waiting jobs one at a time and runs them. A job held by a
 * process that died is taken over once its lease has run out (at once on the embedded database, which only
 * one process can open).
 */
export class ImportRunner {
  readonly id = `${hostname()}:${process.pid}:${uuidv4().slice(0, 8)}`;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly deps: Deps,
    private readonly o: RunOptions & { pollMs: number },
  ) {}

  start() {
    this.stopping = false;
    this.timer = setInterval(() => this.kick(), this.o.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for work now (after a job was queued). */
  kick() {
    if (this.running || this.stopping) return;
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  private async loop() {
    const exclusive = this.deps.database.kind === 'pglite';
    try {
      while (!this.stopping) {
        const job = await repo.claimJob(this.deps.db, this.id, exclusive);
        if (!job) return;
        await runPhase(this.deps, job, this.id, this.o, () => this.stopping);
        if (this.o.stopAfterBatches !== undefined) return;
      }
    } catch (e) {
      this.deps.log.error({ err: e }, 'import runner');
    }
  }

  /** Lets the batch in progress finish; the job stays claimed and is resumed by the next process. */
  async stop() {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Waits until the runner is idle (tests). */
  async idle() {
    while (this.running) await this.running;
  }
}
