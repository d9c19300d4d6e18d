import type { Deps } from '../../../deps.js';
import { staffOf, SYSTEM_USER_ID, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { notFound, validationError, type FieldError } from '../../../platform/errors/index.js';
import { orgRepository } from '../../org/repository.js';
import { addDays, todayCst } from '../../population/rules.js';
import { monthRange } from './periods.js';
import { tasksRepository as repo, type FigureRow } from './repository.js';

/**
 * The monthly assessment of grid workers (docs/api-field.md "Assessment"): figures computed from tasks, items and
 * changes; a score weighted by `field_settings['assessment.weights']`, each part capped per person.
 */

export const WEIGHTS_KEY = 'assessment.weights';

export interface Weights {
  /** points for an on-time rate of 100 % */
  onTime: number;
  /** points for reaching `collectedCap` items + changes */
  collected: number;
  /** points for reaching `verifiedCap` verified addresses */
  verified: number;
  /** points for a timely rate (上报及时率) of 100 % */
  timely: number;
  /** per-person cap: items beyond this many earn nothing more */
  collectedCap: number;
  /** per-person cap: verified addresses beyond this many earn nothing more */
  verifiedCap: number;
  /** points taken off per item returned or change rejected */
  returnPenalty: number;
  /** at most this many points taken off for returns */
  returnPenaltyCap: number;
}

/** The four parts of the score, which add up to 100. */
export const WEIGHT_PARTS = ['onTime', 'collected', 'verified', 'timely'] as const;

export const DEFAULT_WEIGHTS: Weights = { onTime: 40, collected: 25, verified: 20, timely: 15, collectedCap: 60, verifiedCap: 30, returnPenalty: 2, returnPenaltyCap: 10 };

const WEIGHT_KEYS = Object.keys(DEFAULT_WEIGHTS) as Array<keyof Weights>;

/** The stored weights over the defaults (a key missing or damaged in storage falls back to its default). */
export async function getWeights(deps: Deps): Promise<Weights> {
  const stored = (await repo.setting(deps.db, WEIGHTS_KEY)) as Partial<Weights> | undefined;
  const out = { ...DEFAULT_WEIGHTS };
  if (stored && typeof stored === 'object') {
    for (const k of WEIGHT_KEYS) {
      const v = stored[k];
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out[k] = v;
    }
  }
  return out;
}

export function checkWeights(w: Weights): FieldError[] {
  const errors: FieldError[] = [];
  for (const k of WEIGHT_KEYS) {
    if (!Number.isInteger(w[k]) || w[k] < 0) errors.push({ field: k, message: '请填写非负整数' });
  }
  if (errors.length) return errors;
  const sum = WEIGHT_PARTS.reduce((s, k) => s + w[k], 0);
  if (sum !== 100) for (const k of WEIGHT_PARTS) errors.push({ field: k, message: `四项权重之和须为 100（现为 ${sum}）` });
  if (w.collectedCap < 1) errors.push({ field: 'collectedCap', message: '封顶数量至少为 1' });
  if (w.verifiedCap < 1) errors.push({ field: 'verifiedCap', message: '封顶数量至少为 1' });
  if (w.returnPenaltyCap > 100) errors.push({ field: 'returnPenaltyCap', message: '扣分上限不能超过 100' });
  return errors;
}

export async function putWeights(deps: Deps, ctx: RequestContext, w: Weights): Promise<Weights> {
  const errors = checkWeights(w);
  if (errors.length) throw validationError(errors, errors.some((e) => e.message.startsWith('四项')) ? errors.find((e) => e.message.startsWith('四项'))!.message : undefined);
  const me = staffOf(ctx);
  const before = await getWeights(deps);
  const value: Weights = Object.fromEntries(WEIGHT_KEYS.map((k) => [k, w[k]])) as unknown as Weights;
  await deps.db.transaction().execute(async (trx) => {
    await repo.putSetting(trx, WEIGHTS_KEY, value, me.userId === SYSTEM_USER_ID ? null : me.userId);
    await recordAudit(trx, ctx, { action: 'field.assessment.weights', subjectType: 'field_setting', detail: { before, after: value } });
  });
  return value;
}

// ---- figures ------------------------------------------------------------------------------------------------

const rate = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : null);
const one = (x: number) => Math.round(x * 10) / 10;

export function scoreOf(f: { tasksDue: number; tasksOnTime: number; itemsCollected: number; timely: number; recordsVerified: number; returned: number }, w: Weights) {
  const parts = {
    onTime: f.tasksDue > 0 ? (w.onTime * f.tasksOnTime) / f.tasksDue : 0,
    collected: w.collected * Math.min(f.itemsCollected / w.collectedCap, 1),
    verified: w.verified * Math.min(f.recordsVerified / w.verifiedCap, 1),
    timely: f.itemsCollected > 0 ? (w.timely * f.timely) / f.itemsCollected : 0,
    deduction: Math.min(f.returned * w.returnPenalty, w.returnPenaltyCap),
  };
  const score = Math.max(0, parts.onTime + parts.collected + parts.verified + parts.timely - parts.deduction);
  return {
    score: one(score),
    parts: { onTime: one(parts.onTime), collected: one(parts.collected), verified: one(parts.verified), timely: one(parts.timely), deduction: one(parts.deduction) },
  };
}

function present(r: FigureRow, month: string, w: Weights) {
  const itemsCollected = r.items + r.changes;
  const timely = r.timely_items + r.timely_changes;
  const returned = r.returned_items + r.rejected_changes;
  const { score, parts } = scoreOf({ tasksDue: r.tasks_due, tasksOnTime: r.tasks_on_time, itemsCollected, timely, recordsVerified: r.verified, returned }, w);
  return {
    workerId: r.worker_id,
    name: r.name,
    username: r.username,
    orgUnitId: r.org_unit_id,
    orgUnitName: r.org_unit_name,
    month,
    tasksDue: r.tasks_due,
    tasksOnTime: r.tasks_on_time,
    onTimeRate: rate(r.tasks_on_time, r.tasks_due),
    itemsCollected,
    items: r.items,
    changes: r.changes,
    recordsVerified: r.verified,
    timelyRate: rate(timely, itemsCollected),
    returned,
    score,
    parts,
    rank: null as number | null,
  };
}
export type WorkerFigures = ReturnType<typeof present>;

function monthParam(month: string | undefined, now: Date) {
  const m = month ?? todayCst(now).slice(0, 7);
  const r = monthRange(m);
  if (!r) throw validationError([{ field: 'month', message: '月份格式应为 YYYY-MM' }]);
  // the month's instants in China Standard Time
  return { month: m, start: r.start, end: r.end, today: todayCst(now), from: new Date(`${r.start}T00:00:00+08:00`), to: new Date(`${addDays(r.end, 1)}T00:00:00+08:00`) };
}

/** Figures of the workers in the caller's scope (or a unit in it), ranked by score (equal scores share a rank). */
export async function assessWorkers(deps: Deps, ctx: RequestContext, q: { month?: string; unitId?: string }, now = new Date()): Promise<WorkerFigures[]> {
  const me = staffOf(ctx);
  let scopePath = me.scopePath;
  if (q.unitId) {
    const unit = await orgRepository.inScope(deps.db, me.scopePath, q.unitId);
    if (!unit) throw notFound('单位不存在或不在您的辖区内');
    scopePath = unit.path;
  }
  const m = monthParam(q.month, now);
  const w = await getWeights(deps);
  const rows = (await repo.figures(deps.db, { scopePath, ...m })).map((r) => present(r, m.month, w));
  rows.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'zh-CN') || a.workerId.localeCompare(b.workerId));
  rows.forEach((r, i) => (r.rank = i > 0 && rows[i - 1].score === r.score ? rows[i - 1].rank : i + 1));
  return rows;
}

/** The caller's own figures for a month (the field app). */
export async function myAssessment(deps: Deps, ctx: RequestContext, month: string | undefined, now = new Date()): Promise<WorkerFigures> {
  const me = staffOf(ctx);
  const m = monthParam(month, now);
  const w = await getWeights(deps);
  const row = (await repo.figures(deps.db, { scopePath: me.scopePath, workerId: me.userId, ...m }))[0];
  if (row) return present(row, m.month, w);
  // an account without a grid-worker role still sees its (empty) figures
  return present(
    { worker_id: me.userId, name: me.displayName, username: me.username, org_unit_id: me.orgUnitId, org_unit_name: '', tasks_due: 0, tasks_on_time: 0, items: 0, timely_items: 0, changes: 0, timely_changes: 0, verified: 0, returned_items: 0, rejected_changes: 0 },
    m.month,
    w,
  );
}
