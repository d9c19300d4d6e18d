import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { PatrolMode } from '../../db/schema.js';
import { cellCentre, cellOf } from '../../../shared/geo.js';
import { SYSTEM_USER_ID, staffOf, type RequestContext } from '../../platform/access/context.js';
import { subtreePattern } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/service.js';
import { fieldError, notFound } from '../../platform/errors/index.js';
import { notifyStaff } from '../../platform/notify/notifications.js';
import { getCommandSettings } from '../command/settings.js';
import { orgRepository } from '../org/repository.js';
import { addDays, todayCst } from '../population/rules.js';
import { patrolRepository as repo, type ItemRow, type PlanRow } from './repository.js';
import { beijingStart, blocksText, coverageOf, DEFAULT_PLAN_PARAMS, itemCoverage, MODE_NAMES, MODES, mondayOf, neighbourhood, planItems, scoreCells, startsOf, type CellStat, type Coverage } from './rules.js';

const NOT_FOUND_PLAN = '巡防建议不存在或不在您的辖区内';
const PLAN_UNIT_KINDS = new Set(['station', 'community']);

const dateText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

/** The unit a plan is for: a station (or a community) inside the caller's jurisdiction. */
async function planUnit(deps: Deps, ctx: RequestContext, unitId?: string) {
  const me = staffOf(ctx);
  const id = unitId ?? (me.orgUnitId === SYSTEM_USER_ID ? undefined : me.orgUnitId);
  if (!id) throw fieldError('unitId', '请选择派出所');
  const u = await orgRepository.inScope(deps.db, me.scopePath, id);
  if (!u) throw fieldError('unitId', '单位不存在或不在您的辖区内');
  if (!PLAN_UNIT_KINDS.has(u.kind)) throw fieldError('unitId', '巡防建议按派出所（或社区警务区）生成，请选择派出所');
  return u;
}

/**
 * Generates (or regenerates) the "1+3" plan of a unit for a week from its incidents of the `patrol.basisDays` days
 * before the week. Items of a place and mode that were already recommended keep their id (patrols and shifts stay
 * linked to them); the others are replaced.
 */
export async function generatePlan(deps: Deps, ctx: RequestContext, input: { unitId?: string; weekStart?: string }) {
  const me = staffOf(ctx);
  const unit = await planUnit(deps, ctx, input.unitId);
  const weekStart = mondayOf(input.weekStart ?? todayCst());
  const settings = (await getCommandSettings(deps)).patrol;
  const basisDays = settings.basisDays;
  const basisFrom = addDays(weekStart, -basisDays);
  const basisTo = addDays(weekStart, -1);
  const params = DEFAULT_PLAN_PARAMS;

  const rows = await repo.basis(deps.db, subtreePattern(unit.path), beijingStart(basisFrom), beijingStart(weekStart));
  const cells = scoreCells(rows, basisFrom, basisDays);
  const top = cells.filter((c) => c.count >= params.minIncidents).slice(0, params.topCells);

  // names of the grids and their communities, teams of those, cameras around the places
  const grids = await repo.units(deps.db, [...new Set(top.map((c) => c.gridId).filter((g): g is string => !!g))]);
  const gridById = new Map(grids.map((g) => [g.id, g]));
  const teams = await repo.activeTeamsOf(deps.db, [...new Set(grids.flatMap((g) => [g.id, g.parent_id].filter((x): x is string => !!x)))]);
  const cameraCells = new Map<string, string[]>();
  if (top.length) {
    const pts = top.map((c) => cellCentre(c.h3));
    const lats = pts.map((p) => p[0]);
    const lngs = pts.map((p) => p[1]);
    const m = 0.02;
    for (const cam of await repo.camerasIn(deps.db, { s: Math.min(...lats) - m, n: Math.max(...lats) + m, w: Math.min(...lngs) - m, e: Math.max(...lngs) + m })) {
      const k = cellOf(cam.lat, cam.lng);
      cameraCells.set(k, [...(cameraCells.get(k) ?? []), cam.id]);
    }
  }
  const planned = planItems(cells, {
    basisDays,
    params,
    labelOf: (c: CellStat) => {
      const g = c.gridId ? gridById.get(c.gridId) : undefined;
      return g ? `${g.name}附近` : `${unit.name}辖区内`;
    },
    camerasOf: (c) => neighbourhood(c.h3).flatMap((k) => cameraCells.get(k) ?? []),
    teamOf: (c) => {
      const g = c.gridId ? gridById.get(c.gridId) : undefined;
      if (!g) return null;
      const pick = (unitId: string | null) =>
        teams.filter((t) => t.org_unit_id === unitId && Number(t.members) > 0).sort((a, b) => Number(b.members) - Number(a.members) || a.name.localeCompare(b.name))[0];
      const t = pick(g.id) ?? pick(g.parent_id);
      return t ? { id: t.id, name: t.name } : null;
    },
  });

  const planId = await deps.db.transaction().execute(async (trx) => {
    const { id } = await repo.upsertPlan(trx, {
      id: uuidv7(),
      org_unit_id: unit.id,
      week_start: weekStart,
      basis_from: basisFrom,
      basis_to: basisTo,
      params: JSON.stringify({ ...params, basisDays }),
      generated_by: me.userId === SYSTEM_USER_ID ? null : me.userId,
    });
    const existing = new Map((await repo.planItems(trx, [id])).map((i) => [`${i.mode}:${i.h3}`, i.id]));
    const keep: string[] = [];
    const fresh = [];
    for (const p of planned) {
      const [lat, lng] = cellCentre(p.h3);
      const row = { mode: p.mode, rank: p.rank, h3: p.h3, grid_id: p.gridId, label: p.label, lat, lng, hours: p.hours, incidents: p.incidents, score: p.score, reason: p.reason, camera_ids: p.cameraIds, team_id: p.teamId };
      const old = existing.get(`${p.mode}:${p.h3}`);
      if (old) {
        keep.push(old);
        await repo.updateItem(trx, old, row);
      } else fresh.push({ id: uuidv7(), plan_id: id, ...row });
    }
    await repo.deleteItems(trx, id, keep);
    await repo.insertItems(trx, fresh);
    await recordAudit(trx, ctx, {
      action: 'patrol.plan.generate',
      subjectType: 'patrol_plan',
      subjectIds: [id],
      subjectUnitId: unit.id,
      detail: { unitId: unit.id, weekStart, basisFrom, basisTo, items: planned.length, regenerated: existing.size > 0 },
    });
    return id;
  });
  // the station's patrol staff learn that this week's recommendation is ready
  await notifyStaff(deps, { permission: 'patrol.record', orgUnitId: unit.id }, {
    kind: 'patrol.plan',
    title: `${unit.name}巡防建议已生成（${weekStart} 起一周）`,
    body: MODES.map((m) => `${MODE_NAMES[m]} ${planned.filter((p) => p.mode === m).length} 处`).join('，'),
    link: `/command/patrol-plans?plan=${planId}`,
    subjectId: planId,
  });
  return getPlanById(deps, planId);
}

export interface PresentedItem {
  id: string;
  mode: PatrolMode;
  rank: number;
  h3: string;
  gridId: string | null;
  gridName: string | null;
  label: string;
  lat: number;
  lng: number;
  hours: number[];
  hoursText: string;
  incidents: number;
  score: number;
  reason: string;
  cameraIds: string[];
  cameraCount: number;
  team: { id: string; name: string } | null;
  coverage: Coverage;
  coveredHours: number[];
}

/** Items with their coverage by the week's check-ins (patrols of the plan unit's subtree). */
async function presentItems(deps: Deps, plan: PlanRow, items: ItemRow[], now = new Date()): Promise<PresentedItem[]> {
  const weekStart = dateText(plan.week_start);
  const start = beijingStart(weekStart);
  const seen = new Set((await repo.weekCheckins(deps.db, subtreePattern(plan.unit_path), start, beijingStart(addDays(weekStart, 7)))).map((c) => `${c.h3}:${c.how}`));
  return items.map((i) => {
    const hours = i.hours.map(Number);
    const { coverage, coveredHours } = itemCoverage({ h3: i.h3, hours }, seen, start, now);
    return {
      id: i.id,
      mode: i.mode,
      rank: i.rank,
      h3: i.h3,
      gridId: i.grid_id,
      gridName: i.grid_name,
      label: i.label,
      lat: i.lat,
      lng: i.lng,
      hours,
      hoursText: blocksText(startsOf(hours)),
      incidents: i.incidents,
      score: i.score,
      reason: i.reason,
      cameraIds: i.camera_ids,
      cameraCount: i.camera_ids.length,
      team: i.team_id ? { id: i.team_id, name: i.team_name ?? '' } : null,
      coverage,
      coveredHours,
    };
  });
}

function presentPlanHead(p: PlanRow) {
  const params = (p.params ?? {}) as Record<string, unknown>;
  return {
    id: p.id,
    unit: { id: p.org_unit_id, name: p.unit_name },
    weekStart: dateText(p.week_start),
    weekEnd: addDays(dateText(p.week_start), 6),
    basisFrom: dateText(p.basis_from),
    basisTo: dateText(p.basis_to),
    basisDays: typeof params.basisDays === 'number' ? params.basisDays : null,
    generatedAt: new Date(p.generated_at).toISOString(),
    generatedBy: p.generated_by_name ?? null,
  };
}

function summarise(items: PresentedItem[]) {
  const sumOf = (xs: PresentedItem[]) =>
    coverageOf(
      xs.reduce((s, i) => s + i.coverage.slots, 0),
      xs.reduce((s, i) => s + i.coverage.due, 0),
      xs.reduce((s, i) => s + i.coverage.covered, 0),
    );
  return {
    coverage: sumOf(items),
    byMode: Object.fromEntries(MODES.map((m) => [m, { items: items.filter((i) => i.mode === m).length, coverage: sumOf(items.filter((i) => i.mode === m)) }])) as Record<PatrolMode, { items: number; coverage: Coverage }>,
  };
}

async function getPlanById(deps: Deps, id: string) {
  const plan = (await repo.planInScope(deps.db, '%', id))!;
  return presentPlan(deps, plan);
}

async function presentPlan(deps: Deps, plan: PlanRow) {
  const items = await presentItems(deps, plan, await repo.planItems(deps.db, [plan.id]));
  return {
    ...presentPlanHead(plan),
    ...summarise(items),
    items: Object.fromEntries(MODES.map((m) => [m, items.filter((i) => i.mode === m)])) as Record<PatrolMode, PresentedItem[]>,
  };
}

export async function getPlan(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const plan = await repo.planInScope(deps.db, subtreePattern(me.scopePath), id);
  if (!plan) throw notFound(NOT_FOUND_PLAN);
  return presentPlan(deps, plan);
}

export async function listPlans(deps: Deps, ctx: RequestContext, f: { unitId?: string }, page: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  if (f.unitId && !(await orgRepository.inScope(deps.db, me.scopePath, f.unitId))) throw notFound('单位不存在或不在您的辖区内');
  const { total, rows } = await repo.listPlans(deps.db, subtreePattern(me.scopePath), f, page);
  const allItems = await repo.planItems(deps.db, rows.map((r) => r.id));
  const out = [];
  for (const p of rows) {
    const items = await presentItems(deps, p, allItems.filter((i) => i.plan_id === p.id));
    out.push({ ...presentPlanHead(p), ...summarise(items), itemCount: items.length });
  }
  return { items: out, total };
}

/**
 * The plan of the week for the caller's place in the field: the plan of the caller's own unit or, failing that, of
 * the nearest unit above it (the community, then the station) that has one.
 */
export async function currentPlanFor(deps: Deps, unitPath: string, now = new Date()) {
  const chain = unitPath.split('/').filter(Boolean);
  const weekStart = mondayOf(todayCst(now));
  const plans = await repo.plansOfWeek(deps.db, chain, weekStart);
  const plan = plans.sort((a, b) => b.unit_path.length - a.unit_path.length)[0];
  if (!plan) return null;
  const items = await presentItems(deps, plan, await repo.planItems(deps.db, [plan.id]), now);
  return { ...presentPlanHead(plan), items };
}
