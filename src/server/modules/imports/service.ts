import type { Readable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { ImportKind } from '../../db/schema.js';
import { can, staffOf, type RequestContext } from '../../platform/access/context.js';
import { PERMISSIONS } from '../../platform/access/permissions.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, DomainError, forbidden, notFound, validationError } from '../../platform/errors/index.js';
import { checkMapping, suggestMapping } from './cells.js';
import { zeroTally } from './engine.js';
import { removeJobFile, storeUpload } from './files.js';
import { KINDS, kindPermissions, kindsFor } from './kinds/index.js';
import { readHeader } from './reader.js';
import { importsRepository as repo, type ImportJobRow } from './repository.js';

const NOT_FOUND = '导入任务不存在或不在您的辖区内';

export const STATUS_NAMES: Record<ImportJobRow['status'], string> = {
  uploaded: '已上传，待校验',
  validating: '校验中',
  validated: '校验完成，待导入',
  committing: '导入中',
  committed: '已导入',
  cancelled: '已取消',
  failed: '已中断',
};

function kindDef(kind: ImportKind) {
  const def = KINDS[kind];
  if (!def) throw validationError([{ field: 'kind', message: '导入类型应为 addresses、persons、housing 或 units' }]);
  return def;
}

/** Importing a kind needs the import centre's permission for it and the permission to write that kind. */
function requireKind(ctx: RequestContext, kind: ImportKind) {
  const def = kindDef(kind);
  const missing = kindPermissions(def).find((p) => !can(ctx, p));
  if (missing) throw forbidden(`导入${def.title}须具有“${PERMISSIONS[missing].name}”权限（${missing}）`);
  return def;
}

type JobView = ImportJobRow & { creator_name?: string; org_unit_name?: string };

/** A job as the console shows it: state, progress, the dry run's and the commit's tallies. */
export function presentJob(j: JobView) {
  const def = KINDS[j.kind];
  const percent =
    j.status === 'validating'
      ? Math.min(99, Math.floor((Number(j.bytes_done) / Math.max(1, Number(j.file_bytes))) * 100))
      : j.status === 'committing'
        ? Math.min(99, Math.floor(((j.cursor_row - 1) / Math.max(1, (j.rows_total ?? 1) - 1)) * 100))
        : ['validated', 'committed'].includes(j.status)
          ? 100
          : 0;
  return {
    id: j.id,
    kind: j.kind,
    kindName: def?.title ?? j.kind,
    status: j.status,
    statusName: STATUS_NAMES[j.status],
    fileName: j.file_name,
    fileFormat: j.file_format,
    fileBytes: Number(j.file_bytes),
    headers: j.headers,
    mapping: j.mapping,
    skipInvalid: j.skip_invalid,
    progress: { percent, rowsDone: Math.max(0, j.cursor_row - 1), rowsTotal: j.rows_total === null ? null : Math.max(0, j.rows_total - 1), bytesDone: Number(j.bytes_done) },
    dryRun: j.dry_run,
    committed: j.committed,
    error: j.error,
    cancelRequested: j.cancel_requested,
    createdBy: { id: j.created_by, name: j.creator_name ?? null },
    orgUnit: { id: j.org_unit_id, name: j.org_unit_name ?? null },
    createdAt: new Date(j.created_at).toISOString(),
    updatedAt: new Date(j.updated_at).toISOString(),
    finishedAt: j.finished_at ? new Date(j.finished_at).toISOString() : null,
  };
}

export const presentColumns = (kind: ImportKind) =>
  kindDef(kind).columns.map((c) => ({ field: c.field, header: c.header, required: !!c.required, values: c.values ? Object.values(c.values) : null, note: c.note }));

async function jobOf(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const j = await repo.jobInScope(deps.db, me.scopePath, id);
  if (!j || !kindsFor(me.permissions).includes(j.kind)) throw notFound(NOT_FOUND);
  return j;
}

/** Only the person who started an import (or a colleague above them with the same rights) moves it on. */
async function ownJob(deps: Deps, ctx: RequestContext, id: string) {
  const j = await jobOf(deps, ctx, id);
  requireKind(ctx, j.kind);
  return j;
}

/**
 * Stores an uploaded CSV/XLSX file as a new job, reads its header row and suggests how its columns map onto the
 * template's fields (by header name and common aliases).
 */
export async function uploadImport(deps: Deps, ctx: RequestContext, o: { kind: ImportKind; fileName: string; body: Readable }) {
  const def = requireKind(ctx, o.kind);
  const me = staffOf(ctx);
  const id = uuidv7();
  const stored = await storeUpload(deps, id, o.body);
  try {
    const headers = await readHeader(stored.path, stored.format as 'csv' | 'xlsx').catch(() => undefined);
    if (!headers || headers.every((h) => h === '')) {
      throw validationError([{ field: 'file', message: '无法读取表头：文件第 1 行应为列名（请使用下载的模板）' }], '无法读取表头：文件第 1 行应为列名');
    }
    const mapping = suggestMapping(def.columns, headers);
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertJob(trx, {
        id,
        kind: o.kind,
        status: 'uploaded',
        file_name: o.fileName.slice(0, 200),
        file_format: stored.format as 'csv' | 'xlsx',
        file_bytes: stored.bytes,
        file_sha256: stored.sha256,
        headers: JSON.stringify(headers),
        mapping: JSON.stringify(mapping),
        created_by: me.userId,
        org_unit_id: me.orgUnitId,
        client_ip: ctx.ip ?? null,
      });
      await recordAudit(trx, ctx, {
        action: 'import.upload',
        subjectType: 'import',
        subjectIds: [id],
        detail: { kind: o.kind, fileName: o.fileName, bytes: stored.bytes, sha256: stored.sha256, format: stored.format },
      });
    });
  } catch (e) {
    await removeJobFile(deps, id);
    throw e;
  }
  return getImport(deps, ctx, id);
}

export async function getImport(deps: Deps, ctx: RequestContext, id: string) {
  const j = await jobOf(deps, ctx, id);
  return { ...presentJob(j), columns: presentColumns(j.kind) };
}

export async function listImports(deps: Deps, ctx: RequestContext, paging: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  // only jobs of the kinds the caller may import: the command centre sees its 110 imports, not the registry's
  const { rows, total } = await repo.listJobs(deps.db, me.scopePath, kindsFor(me.permissions), paging.limit, paging.offset);
  return { items: rows.map(presentJob), total };
}

/** Starts (or restarts) the dry run with a column mapping: nothing is written to the registry. */
export async function startValidation(deps: Deps, ctx: RequestContext, id: string, mapping: Record<string, number> | undefined, onQueued: () => void) {
  const j = await ownJob(deps, ctx, id);
  const def = kindDef(j.kind);
  if (!['uploaded', 'validated', 'failed'].includes(j.status) || (j.status === 'failed' && j.committed)) {
    throw conflict(`任务${STATUS_NAMES[j.status]}，不能重新校验`);
  }
  const m = mapping ?? j.mapping ?? {};
  const errors = checkMapping(def.columns, j.headers, m);
  if (errors.length) throw validationError(errors, '列对应关系有误');
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteIssues(trx, id, 'validate');
    await repo.deleteKeys(trx, id);
    const ok = await repo.transition(trx, id, [j.status], {
      status: 'validating',
      mapping: JSON.stringify(m),
      cursor_row: 1,
      bytes_done: 0,
      rows_total: null,
      dry_run: JSON.stringify(zeroTally()),
      error: null,
      cancel_requested: false,
      runner_id: null,
      phase_started_at: new Date(),
      finished_at: null,
    });
    if (!ok) throw conflict('任务状态刚刚发生变化，请刷新后重试');
    await recordAudit(trx, ctx, { action: 'import.validate', subjectType: 'import', subjectIds: [id], detail: { kind: j.kind, mapping: m } });
  });
  onQueued();
  return getImport(deps, ctx, id);
}

/**
 * Starts the commit after a dry run, or resumes one that was interrupted. Rows the dry run found invalid are
 * skipped only when the caller says so (`skipInvalid`).
 */
export async function startCommit(deps: Deps, ctx: RequestContext, id: string, skipInvalid: boolean, onQueued: () => void) {
  const j = await ownJob(deps, ctx, id);
  const resume = j.status === 'failed' && !!j.committed;
  if (j.status !== 'validated' && !resume) throw conflict(`任务${STATUS_NAMES[j.status]}，${j.status === 'uploaded' ? '请先校验' : '不能导入'}`);
  const dry = j.dry_run ?? zeroTally();
  if (!resume) {
    if (dry.valid === 0) throw validationError([{ field: 'skipInvalid', message: '没有可导入的行' }], '校验结果中没有可导入的行');
    if (dry.invalid > 0 && !skipInvalid) {
      throw new DomainError('conflict', 409, `校验发现 ${dry.invalid} 行有误：请修正后重新上传，或确认跳过有误的行（skipInvalid: true）`, [
        { field: 'skipInvalid', message: `有 ${dry.invalid} 行有误，须确认跳过` },
      ]);
    }
  }
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.transition(trx, id, [j.status], {
      status: 'committing',
      skip_invalid: resume ? j.skip_invalid : skipInvalid,
      ...(resume ? {} : { cursor_row: 1, bytes_done: 0, committed: JSON.stringify(zeroTally()), phase_started_at: new Date() }),
      error: null,
      cancel_requested: false,
      runner_id: null,
      finished_at: null,
    });
    if (!ok) throw conflict('任务状态刚刚发生变化，请刷新后重试');
    await recordAudit(trx, ctx, { action: resume ? 'import.resume' : 'import.commit', subjectType: 'import', subjectIds: [id], detail: { kind: j.kind, skipInvalid, dryRun: dry } });
  });
  onQueued();
  return getImport(deps, ctx, id);
}

/** Cancels a job: at once when idle; a running phase stops after its current batch (rows already imported stay). */
export async function cancelImport(deps: Deps, ctx: RequestContext, id: string) {
  const j = await ownJob(deps, ctx, id);
  if (['committed', 'cancelled'].includes(j.status)) throw conflict(`任务${STATUS_NAMES[j.status]}`);
  await deps.db.transaction().execute(async (trx) => {
    if (j.status === 'validating' || j.status === 'committing') {
      await repo.transition(trx, id, [j.status], { cancel_requested: true });
    } else {
      await repo.transition(trx, id, [j.status], { status: 'cancelled', finished_at: new Date() });
      await repo.deleteKeys(trx, id);
    }
    await recordAudit(trx, ctx, { action: 'import.cancel', subjectType: 'import', subjectIds: [id], detail: { kind: j.kind, status: j.status } });
  });
  if (j.status !== 'validating' && j.status !== 'committing') await removeJobFile(deps, id);
  return getImport(deps, ctx, id);
}

const presentIssue = (i: { row_no: number; column_name: string | null; field: string | null; value: string | null; reason: string; phase: string }) => ({
  row: i.row_no,
  column: i.column_name,
  field: i.field,
  value: i.value,
  reason: i.reason,
  phase: i.phase,
});

/** The row-level report: row, column, value (identity numbers masked), reason. */
export async function listIssues(deps: Deps, ctx: RequestContext, id: string, paging: { limit: number; offset: number }) {
  await jobOf(deps, ctx, id);
  const { rows, total } = await repo.issuesPage(deps.db, id, paging.limit, paging.offset);
  return { items: rows.map(presentIssue), total };
}

export const ISSUE_HEADER = ['行号', '列', '填写内容', '问题', '阶段'];

/** The whole report for download, streamed in id order. */
export async function exportIssues(deps: Deps, ctx: RequestContext, id: string) {
  const j = await jobOf(deps, ctx, id);
  async function* rows() {
    let after = 0;
    for (;;) {
      const page = await repo.issuesAfter(deps.db, id, after, 2_000);
      if (!page.length) return;
      after = Number(page.at(-1)!.id);
      yield page.map((i) => [i.row_no, i.column_name ?? '', i.value ?? '', i.reason, i.phase === 'validate' ? '校验' : '导入']);
    }
  }
  return { job: j, rows: rows() };
}
