import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../../deps.js';
import type { TaskTargetKind } from '../../../db/schema.js';
import { staffOf, SYSTEM_USER_ID, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../../platform/errors/index.js';
import { orgRepository } from '../../org/repository.js';
import { todayCst } from '../../population/rules.js';
import { generatePeriod, notifyWorkers, tally } from './generate.js';
import { currentPeriod, overlappingPeriods, parsePeriod, periodOf, shiftPeriod, type Recurrence } from './periods.js';
import { tasksRepository as repo, type TaskFilter, type TaskRow, type TemplateRow } from './repository.js';

export const TARGET_KINDS = ['rental', 'floating_overdue', 'key_unit', 'patrol_point', 'address'] as const;
export const TARGET_KIND_NAMES: Record<TaskTargetKind, string> = {
  rental: '出租房屋',
  floating_overdue: '居住期满的流动人口',
  key_unit: '重点单位',
  patrol_point: '巡查点位',
  address: '全部门牌/楼栋地址',
};
export const RECURRENCE_NAMES: Record<Recurrence, string> = { weekly: '每周', monthly: '每月', quarterly: '每季度' };
/** The item type that usually completes each kind of target (the console proposes it). */
export const DEFAULT_ITEM_TYPES: Record<TaskTargetKind, string> = {
  rental: 'rental_visit',
  floating_overdue: 'floating_verify',
  key_unit: 'key_unit_check',
  patrol_point: 'patrol_checkin',
  address: 'home_visit',
};

const TEMPLATE_UNIT_KINDS = new Set(['station', 'community', 'grid']);
const MAX_POINTS = 200;
const NOT_FOUND_TEMPLATE = '任务模板不存在或不在您的辖区内';
const NOT_FOUND_UNIT = '单位不存在或不在您的辖区内';

// ---- presentation -------------------------------------------------------------------------------------------

export interface PeriodCounts {
  total: number;
  done: number;
  open: number;
  overdue: number;
  unassigned: number;
}

function presentTemplate(t: TemplateRow, editable: boolean, period: string, counts: PeriodCounts | undefined, points: Map<string, string>) {
  return {
    id: t.id,
    orgUnitId: t.org_unit_id,
    orgUnitName: t.org_unit_name,
    orgUnitKind: t.org_unit_kind,
    name: t.name,
    itemTypeCode: t.item_type_code,
    itemTypeName: t.item_type_name ?? t.item_type_code,
    targetKind: t.target_kind,
    targetKindName: TARGET_KIND_NAMES[t.target_kind],
    recurrence: t.recurrence,
    recurrenceName: RECURRENCE_NAMES[t.recurrence],
    pointIds: t.point_ids,
    points: t.point_ids.map((id) => ({ id, fullText: points.get(id) ?? null })),
    status: t.status,
    editable,
    currentPeriod: period,
    counts: counts ? { total: counts.total, done: counts.done, open: counts.open, overdue: counts.overdue, unassigned: counts.unassigned } : { total: 0, done: 0, open: 0, overdue: 0, unassigned: 0 },
    createdAt: new Date(t.created_at).toISOString(),
    updatedAt: new Date(t.updated_at).toISOString(),
  };
}
export type Template = ReturnType<typeof presentTemplate>;

const cstDayOf = (d: Date | string) => todayCst(new Date(d));

export function presentTask(t: TaskRow, today: string) {
  const doneAt = t.done_at ? new Date(t.done_at) : null;
  return {
    id: t.id,
    templateId: t.template_id,
    templateName: t.template_name,
    period: t.period,
    title: t.title,
    itemTypeCode: t.item_type_code,
    itemTypeName: t.item_type_name ?? t.item_type_code,
    targetKind: t.target_kind,
    targetId: t.target_id,
    address: t.address_id ? { id: t.address_id, fullText: t.address_text } : null,
    gridId: t.grid_id,
    gridName: t.grid_name,
    workerId: t.worker_id,
    workerName: t.worker_name,
    dueDate: t.due_date,
    status: t.status,
    overdue: t.status === 'open' && t.due_date < today,
    doneAt: doneAt ? doneAt.toISOString() : null,
    doneItemId: t.done_item_id,
    onTime: doneAt ? cstDayOf(doneAt) <= t.due_date : null,
    createdAt: new Date(t.created_at).toISOString(),
  };
}
export type Task = ReturnType<typeof presentTask>;

// ---- scope --------------------------------------------------------------------------------------------------

/** The scope of a request: the caller's, or a unit inside it named by `unitId` (outside → 404). */
async function scopeOf(deps: Deps, ctx: RequestContext, unitId?: string): Promise<string> {
  const me = staffOf(ctx);
  if (!unitId) return me.scopePath;
  const unit = await orgRepository.inScope(deps.db, me.scopePath, unitId);
  if (!unit) throw notFound(NOT_FOUND_UNIT);
  return unit.path;
}

/** A period given by the caller, checked (`field` names the parameter in the error). */
function periodParam(field: string, period: string): string {
  if (!parsePeriod(period)) throw validationError([{ field, message: '周期格式应为 2026-W47、2026-11 或 2026-Q4' }]);
  return period;
}

// ---- templates ----------------------------------------------------------------------------------------------

export interface TemplateInput {
  orgUnitId: string;
  name: string;
  itemTypeCode: string;
  targetKind: TaskTargetKind;
  recurrence: Recurrence;
  pointIds?: string[];
  status?: 'active' | 'paused';
}

async function pointNames(deps: Deps, rows: TemplateRow[]) {
  const ids = [...new Set(rows.flatMap((r) => r.point_ids))];
  return new Map((await repo.pointAddresses(deps.db, ids)).map((a) => [a.id, a.full_text]));
}

async function checkTemplate(deps: Deps, ctx: RequestContext, input: TemplateInput) {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (name.length < 2) errors.push({ field: 'name', message: '模板名称至少 2 个字' });
  const unit = await orgRepository.inScope(deps.db, me.scopePath, input.orgUnitId);
  if (!unit) errors.push({ field: 'orgUnitId', message: NOT_FOUND_UNIT });
  else if (!TEMPLATE_UNIT_KINDS.has(unit.kind)) errors.push({ field: 'orgUnitId', message: '请选择派出所、社区或网格（模板覆盖其下每个网格）' });
  else if (unit.status !== 'active') errors.push({ field: 'orgUnitId', message: '该单位已停用' });
  const type = await repo.itemType(deps.db, input.itemTypeCode);
  if (!type) errors.push({ field: 'itemTypeCode', message: '事项类型不存在' });
  else if (type.status !== 'active') errors.push({ field: 'itemTypeCode', message: '该事项类型已停用' });
  const pointIds = [...new Set(input.pointIds ?? [])];
  if (input.targetKind === 'patrol_point') {
    if (!pointIds.length) errors.push({ field: 'pointIds', message: '巡查点任务请至少选择一个巡查点位' });
    else if (pointIds.length > MAX_POINTS) errors.push({ field: 'pointIds', message: `巡查点位最多 ${MAX_POINTS} 个` });
    else if (unit) {
      const found = new Map((await repo.pointAddresses(deps.db, pointIds)).map((a) => [a.id, a]));
      pointIds.forEach((id, i) => {
        const a = found.get(id);
        if (!a || !a.grid_path.startsWith(unit.path)) errors.push({ field: `pointIds.${i}`, message: '该地址不存在或不在模板单位的辖区内' });
        else if (a.status !== 'active') errors.push({ field: `pointIds.${i}`, message: '该地址已停用' });
      });
    }
  } else if (pointIds.length) errors.push({ field: 'pointIds', message: '只有巡查点任务需要选择点位' });
  if (errors.length) throw validationError(errors);
  return { name, unit: unit!, pointIds };
}

async function presentOne(deps: Deps, ctx: RequestContext, id: string, now: Date) {
  const scope = staffOf(ctx).scopePath;
  const t = (await repo.templateById(deps.db, id))!;
  const period = currentPeriod(t.recurrence, now);
  const counts = (await repo.templateCounts(deps.db, scope, [id], [period], todayCst(now)))[0];
  return presentTemplate(t, true, period, counts, await pointNames(deps, [t]));
}

/** Templates reaching into the scope (set in it, or above it), each with its current period's counts in the scope. */
export async function listTemplates(deps: Deps, ctx: RequestContext, unitId?: string, now = new Date()): Promise<Template[]> {
  const me = staffOf(ctx);
  const scope = await scopeOf(deps, ctx, unitId);
  const rows = await repo.templatesReaching(deps.db, scope);
  const periods = new Map(rows.map((t) => [t.id, currentPeriod(t.recurrence, now)]));
  const counts = await repo.templateCounts(deps.db, scope, [...periods.keys()], [...new Set(periods.values())], todayCst(now));
  const byTemplate = new Map(counts.filter((c) => periods.get(c.template_id) === c.period).map((c) => [c.template_id, c]));
  const points = await pointNames(deps, rows);
  return rows.map((t) => presentTemplate(t, t.org_path.startsWith(me.scopePath), periods.get(t.id)!, byTemplate.get(t.id), points));
}

export async function createTemplate(deps: Deps, ctx: RequestContext, input: TemplateInput, now = new Date()) {
  const me = staffOf(ctx);
  const c = await checkTemplate(deps, ctx, input);
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertTemplate(trx, {
      id,
      org_unit_id: c.unit.id,
      name: c.name,
      item_type_code: input.itemTypeCode,
      target_kind: input.targetKind,
      point_ids: c.pointIds,
      recurrence: input.recurrence,
      status: input.status ?? 'active',
      created_by: me.userId === SYSTEM_USER_ID ? null : me.userId,
    });
    await recordAudit(trx, ctx, {
      action: 'task.template.create',
      subjectType: 'task_template',
      subjectIds: [id],
      subjectUnitId: c.unit.id,
      detail: { name: c.name, targetKind: input.targetKind, recurrence: input.recurrence, itemTypeCode: input.itemTypeCode },
    });
  });
  return presentOne(deps, ctx, id, now);
}

export async function updateTemplate(deps: Deps, ctx: RequestContext, id: string, input: TemplateInput, now = new Date()) {
  const t = await repo.templateInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!t) throw notFound(NOT_FOUND_TEMPLATE);
  const c = await checkTemplate(deps, ctx, input);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateTemplate(trx, id, {
      org_unit_id: c.unit.id,
      name: c.name,
      item_type_code: input.itemTypeCode,
      target_kind: input.targetKind,
      point_ids: c.pointIds,
      recurrence: input.recurrence,
      ...(input.status ? { status: input.status } : {}),
    });
    await recordAudit(trx, ctx, {
      action: 'task.template.update',
      subjectType: 'task_template',
      subjectIds: [id],
      subjectUnitId: c.unit.id,
      detail: { name: c.name, targetKind: input.targetKind, recurrence: input.recurrence, status: input.status ?? t.status },
    });
  });
  return presentOne(deps, ctx, id, now);
}

export interface GenerateReply {
  period: string;
  created: number;
  existing: number;
  unassigned: number;
  workers: number;
  cancelled: number;
}

/**
 * 立即生成: a template's tasks for its current period (or the next one), audited `task.generate`; each worker who
 * got tasks is told once by SMS.
 */
export async function generateNow(deps: Deps, ctx: RequestContext, id: string, period: string | undefined, now = new Date()): Promise<GenerateReply> {
  const t = await repo.templateInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!t) throw notFound(NOT_FOUND_TEMPLATE);
  const current = currentPeriod(t.recurrence, now);
  const p = period ?? current;
  const range = parsePeriod(p);
  if (!range || range.recurrence !== t.recurrence) {
    const example = periodOf(t.recurrence, todayCst(now));
    throw validationError([{ field: 'period', message: `该模板按${RECURRENCE_NAMES[t.recurrence]}生成，周期格式如 ${example}` }]);
  }
  if (p !== current && p !== shiftPeriod(current, 1)) throw validationError([{ field: 'period', message: `只能生成本期（${current}）或下一期（${shiftPeriod(current, 1)}）的任务` }]);
  if (t.status !== 'active') throw conflict('模板已暂停，请先恢复后再生成');
  const result = await deps.db.transaction().execute(async (trx) => {
    const r = await generatePeriod(trx, t, p, now);
    await recordAudit(trx, ctx, {
      action: 'task.generate',
      subjectType: 'task_template',
      subjectIds: [id],
      subjectUnitId: t.org_unit_id,
      detail: { period: p, targets: r.targets, created: r.created, cancelled: r.cancelled, unassigned: r.unassigned },
    });
    return r;
  });
  const perWorker = new Map<string, number>();
  tally(perWorker, result);
  await notifyWorkers(deps, perWorker);
  return { period: p, created: result.created, existing: result.targets - result.created, unassigned: result.unassigned, workers: perWorker.size, cancelled: result.cancelled };
}

// ---- tasks, progress ----------------------------------------------------------------------------------------

export interface TaskListQuery {
  period?: string;
  unitId?: string;
  workerId?: string;
  status?: 'open' | 'done' | 'overdue';
}

export async function listTasks(deps: Deps, ctx: RequestContext, q: TaskListQuery, paging: { limit: number; offset: number }, now = new Date()) {
  const scopePath = await scopeOf(deps, ctx, q.unitId);
  const today = todayCst(now);
  const f: TaskFilter = { scopePath, today, workerId: q.workerId, status: q.status, periods: q.period ? overlappingPeriods(periodParam('period', q.period)) : undefined };
  const { rows, total } = await repo.taskPage(deps.db, f, paging.limit, paging.offset);
  return { items: rows.map((r) => presentTask(r, today)), total };
}

/** The worker's own tasks (plus the unassigned ones of their grids), open first by due date. */
export async function myTasks(deps: Deps, ctx: RequestContext, q: { status?: 'open' | 'done'; period?: string }, paging: { limit: number; offset: number }, now = new Date()) {
  const me = staffOf(ctx);
  const today = todayCst(now);
  const f: TaskFilter = { scopePath: me.scopePath, mineOf: me.userId, today, status: q.status, periods: q.period ? overlappingPeriods(periodParam('period', q.period)) : undefined };
  const { rows, total } = await repo.taskPage(deps.db, f, paging.limit, paging.offset);
  return { items: rows.map((r) => presentTask(r, today)), total };
}

export interface ProgressRow {
  id: string | null;
  name: string;
  total: number;
  done: number;
  doneOnTime: number;
  open: number;
  overdue: number;
  rate: number;
}

/**
 * Completion per community, grid or worker of the tasks in a period (default: this month), counting every task
 * whose own period shares a day with it; `rate` = done / total (0–1).
 */
export async function progress(deps: Deps, ctx: RequestContext, q: { period?: string; unitId?: string; level?: 'community' | 'grid' | 'worker' }, now = new Date()): Promise<ProgressRow[]> {
  const scopePath = await scopeOf(deps, ctx, q.unitId);
  const period = q.period ? periodParam('period', q.period) : currentPeriod('monthly', now);
  const level = q.level ?? 'grid';
  const rows = await repo.progress(deps.db, { scopePath, periods: overlappingPeriods(period), today: todayCst(now), level });
  return rows.map((r) => ({
    id: r.id,
    name: r.name ?? (level === 'worker' ? '未分配' : '—'),
    total: r.total,
    done: r.done,
    doneOnTime: r.done_on_time,
    open: r.open,
    overdue: r.overdue,
    rate: r.total ? Math.round((r.done / r.total) * 10_000) / 10_000 : 0,
  }));
}

/** Runs every active template's current period (TaskRunner): returns the tasks created; one SMS per worker. */
export async function generateAll(deps: Deps, now = new Date()): Promise<number> {
  const templates = await repo.activeTemplates(deps.db);
  const perWorker = new Map<string, number>();
  let created = 0;
  for (const ref of templates) {
    try {
      const t = await repo.templateById(deps.db, ref.id);
      if (!t || t.status !== 'active') continue;
      const r = await deps.db.transaction().execute((trx) => generatePeriod(trx, t, currentPeriod(t.recurrence, now), now));
      created += r.created;
      tally(perWorker, r);
    } catch (err) {
      deps.log.error({ err, templateId: ref.id }, 'task generation of a template failed');
    }
  }
  await notifyWorkers(deps, perWorker);
  return created;
}
