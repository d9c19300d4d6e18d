import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { PatrolMode } from '../../db/schema.js';
import { cellOf, hourOfWeek, metresBetween } from '../../../shared/geo.js';
import { SYSTEM_USER_ID, staffOf, type RequestContext } from '../../platform/access/context.js';
import { subtreePattern } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, fieldError, forbidden, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { orgRepository } from '../org/repository.js';
import { addDays } from '../population/rules.js';
import { currentPlanFor } from './plans.js';
import { patrolRepository as repo, type PatrolRow } from './repository.js';
import { beijingStart, farOutside, MODE_NAMES } from './rules.js';

const NOT_FOUND_PATROL = '巡逻记录不存在或不在您的辖区内';
const SKEW_MS = 5 * 60_000;
/** How far back a patrol may be registered after the fact. */
const BACKDATE_DAYS = 30;

type CheckinRow = Awaited<ReturnType<typeof repo.checkins>>[number];

/** The station (or the nearest unit with a boundary) above a patrol's unit: check-ins far outside it are flagged. */
async function areaOf(deps: Deps, unitPath: string): Promise<unknown> {
  const chain = await repo.unitsByPath(deps.db, unitPath);
  const station = chain.find((u) => u.kind === 'station');
  if (station?.boundary) return station.boundary;
  return chain.filter((u) => u.boundary).sort((a, b) => b.path.length - a.path.length)[0]?.boundary ?? null;
}

function presentCheckin(c: CheckinRow, area: unknown) {
  return {
    id: c.id,
    clientId: c.client_id,
    at: new Date(c.at).toISOString(),
    lat: c.lat,
    lng: c.lng,
    h3: c.h3,
    how: c.how,
    note: c.note,
    outsideArea: farOutside(area, c.lat, c.lng),
  };
}

function presentPatrol(p: PatrolRow) {
  return {
    id: p.id,
    unit: { id: p.org_unit_id, name: p.unit_name },
    mode: p.mode,
    modeName: MODE_NAMES[p.mode],
    planItem: p.plan_item_id ? { id: p.plan_item_id, label: p.item_label, mode: p.item_mode } : null,
    route: p.route_id ? { id: p.route_id, name: p.route_name ?? '' } : null,
    team: p.team_id ? { id: p.team_id, name: p.team_name ?? '' } : null,
    shiftId: p.shift_id,
    startedAt: new Date(p.started_at).toISOString(),
    endedAt: p.ended_at ? new Date(p.ended_at).toISOString() : null,
    open: !p.ended_at,
    note: p.note,
    createdBy: { id: p.created_by, name: p.created_by_name },
    checkinCount: Number(p.checkin_count ?? 0),
  };
}

async function withCheckins(deps: Deps, p: PatrolRow) {
  const area = await areaOf(deps, p.unit_path);
  const checkins = (await repo.checkins(deps.db, p.id)).map((c) => presentCheckin(c, area));
  return { ...presentPatrol(p), checkins, outsideCount: checkins.filter((c) => c.outsideArea).length };
}

/** Whether a unit path is the caller's own unit or above it (a plan of the caller's community or station). */
const isAncestorOrSelf = (unitPath: string, scopePath: string) => scopePath.startsWith(unitPath);

export interface StartInput {
  unitId?: string;
  mode: PatrolMode;
  planItemId?: string;
  routeId?: string;
  teamId?: string;
  shiftId?: string;
  startedAt?: string;
  note?: string;
}

/** Starts a patrol (or registers one after the fact with `startedAt`). */
export async function startPatrol(deps: Deps, ctx: RequestContext, input: StartInput) {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const pattern = subtreePattern(me.scopePath);
  const unitId = input.unitId ?? (me.orgUnitId === SYSTEM_USER_ID ? undefined : me.orgUnitId);
  const unit = unitId ? await orgRepository.inScope(deps.db, me.scopePath, unitId) : undefined;
  if (!unit) errors.push({ field: 'unitId', message: unitId ? '单位不存在或不在您的辖区内' : '请选择巡逻所属单位' });
  if (input.planItemId) {
    const item = await repo.itemById(deps.db, input.planItemId);
    // the field sees the plans of its own unit and of the units above it; the console those inside its scope
    if (!item || !(item.unit_path.startsWith(me.scopePath) || isAncestorOrSelf(item.unit_path, me.scopePath))) errors.push({ field: 'planItemId', message: '巡防建议点位不存在或不在您的辖区内' });
  }
  if (input.routeId) {
    const route = await repo.routeActive(deps.db, input.routeId);
    if (!route || !(route.unit_path.startsWith(me.scopePath) || isAncestorOrSelf(route.unit_path, me.scopePath))) errors.push({ field: 'routeId', message: '巡逻路线不存在、已停用或不在您的辖区内' });
  }
  if (input.teamId) {
    const team = await repo.teamBrief(deps.db, pattern, input.teamId);
    if (!team) errors.push({ field: 'teamId', message: '巡逻队不存在或不在您的辖区内' });
    else if (team.status !== 'active') errors.push({ field: 'teamId', message: '该巡逻队已停用' });
  }
  if (input.shiftId) {
    const shift = await repo.shiftInScope(deps.db, pattern, input.shiftId);
    if (!shift) errors.push({ field: 'shiftId', message: '巡逻班次不存在或不在您的辖区内' });
    else if (input.teamId && shift.team_id !== input.teamId) errors.push({ field: 'shiftId', message: '该班次不属于所选巡逻队' });
  }
  const now = Date.now();
  const startedAt = input.startedAt ? new Date(input.startedAt) : new Date(now);
  if (startedAt.getTime() > now + SKEW_MS) errors.push({ field: 'startedAt', message: '开始时间不能晚于现在' });
  else if (startedAt.getTime() < now - BACKDATE_DAYS * 86_400_000) errors.push({ field: 'startedAt', message: `只能补登 ${BACKDATE_DAYS} 天内的巡逻` });
  if (errors.length) throw validationError(errors);
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertPatrol(trx, {
      id,
      org_unit_id: unit!.id,
      mode: input.mode,
      plan_item_id: input.planItemId ?? null,
      route_id: input.routeId ?? null,
      team_id: input.teamId ?? null,
      shift_id: input.shiftId ?? null,
      started_at: startedAt,
      ended_at: null,
      note: input.note?.trim() || null,
      created_by: me.userId,
    });
    await recordAudit(trx, ctx, { action: 'patrol.start', subjectType: 'patrol', subjectIds: [id], subjectUnitId: unit!.id, detail: { mode: input.mode, planItemId: input.planItemId ?? null, teamId: input.teamId ?? null } });
  });
  return withCheckins(deps, (await repo.patrolInScope(deps.db, '%', id))!);
}

/** A patrol the caller may write to: visible in the scope (else 404), created by the caller (else 403). */
async function ownPatrol(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const p = await repo.patrolInScope(deps.db, subtreePattern(me.scopePath), id);
  if (!p) throw notFound(NOT_FOUND_PATROL);
  if (p.created_by !== me.userId) throw forbidden('只有巡逻登记人本人可以打卡或结束巡逻');
  return p;
}

export interface CheckinInput {
  clientId: string;
  at: string;
  lat: number;
  lng: number;
  note?: string;
}

/**
 * A check-in on an open patrol, once per `clientId`: a retry returns the stored check-in (`duplicate: true`). A
 * point far outside the station's area is stored all the same and flagged.
 */
export async function checkin(deps: Deps, ctx: RequestContext, patrolId: string, input: CheckinInput) {
  const me = staffOf(ctx);
  const p = await ownPatrol(deps, ctx, patrolId);
  const area = await areaOf(deps, p.unit_path);
  const earlier = await repo.checkinByClient(deps.db, p.id, input.clientId);
  if (earlier) return { checkin: presentCheckin(earlier, area), duplicate: true };
  if (p.ended_at) throw conflict('该巡逻已结束，不能再打卡');
  const at = new Date(input.at);
  const errors: FieldError[] = [];
  if (at.getTime() > Date.now() + SKEW_MS) errors.push({ field: 'at', message: '打卡时间不能晚于现在' });
  else if (at.getTime() < new Date(p.started_at).getTime() - SKEW_MS) errors.push({ field: 'at', message: '打卡时间不能早于巡逻开始时间' });
  if (errors.length) throw validationError(errors);
  const result = await deps.db.transaction().execute(async (trx) => {
    const locked = await repo.patrolForUpdate(trx, p.id);
    if (locked?.ended_at) throw conflict('该巡逻已结束，不能再打卡');
    const row = await repo.insertCheckin(trx, {
      id: uuidv7(),
      patrol_id: p.id,
      client_id: input.clientId,
      at,
      lat: input.lat,
      lng: input.lng,
      h3: cellOf(input.lat, input.lng),
      how: hourOfWeek(at),
      note: input.note?.trim() || null,
      created_by: me.userId,
    });
    if (!row) return undefined; // the same clientId won a race: the stored one is the answer
    const outside = farOutside(area, input.lat, input.lng);
    await recordAudit(trx, ctx, { action: 'patrol.checkin', subjectType: 'patrol', subjectIds: [p.id, row.id], subjectUnitId: p.org_unit_id, detail: { outsideArea: outside } });
    return row;
  });
  if (!result) return { checkin: presentCheckin((await repo.checkinByClient(deps.db, p.id, input.clientId))!, area), duplicate: true };
  return { checkin: presentCheckin(result, area), duplicate: false };
}

export async function endPatrol(deps: Deps, ctx: RequestContext, patrolId: string, input: { endedAt?: string; note?: string }) {
  const p = await ownPatrol(deps, ctx, patrolId);
  if (p.ended_at) throw conflict('该巡逻已结束');
  const endedAt = input.endedAt ? new Date(input.endedAt) : new Date();
  if (endedAt.getTime() > Date.now() + SKEW_MS) throw fieldError('endedAt', '结束时间不能晚于现在');
  if (endedAt.getTime() < new Date(p.started_at).getTime()) throw fieldError('endedAt', '结束时间不能早于开始时间');
  const last = (await repo.lastCheckinAt(deps.db, p.id))?.at;
  if (last && endedAt.getTime() < new Date(last as Date).getTime() - SKEW_MS) throw fieldError('endedAt', '结束时间不能早于最后一次打卡');
  await deps.db.transaction().execute(async (trx) => {
    const done = await repo.endPatrol(trx, p.id, endedAt, input.note === undefined ? undefined : input.note.trim() || null);
    if (!done) throw conflict('该巡逻已结束');
    await recordAudit(trx, ctx, { action: 'patrol.end', subjectType: 'patrol', subjectIds: [p.id], subjectUnitId: p.org_unit_id });
  });
  return withCheckins(deps, (await repo.patrolInScope(deps.db, '%', p.id))!);
}

export async function getPatrol(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const p = await repo.patrolInScope(deps.db, subtreePattern(me.scopePath), id);
  if (!p) throw notFound(NOT_FOUND_PATROL);
  return withCheckins(deps, p);
}

export interface PatrolListFilter {
  unitId?: string;
  mode?: PatrolMode;
  from?: string;
  to?: string;
  planItemId?: string;
}

export async function listPatrols(deps: Deps, ctx: RequestContext, f: PatrolListFilter, page: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  let unitPattern: string | undefined;
  if (f.unitId) {
    const u = await orgRepository.inScope(deps.db, me.scopePath, f.unitId);
    if (!u) throw notFound('单位不存在或不在您的辖区内');
    unitPattern = subtreePattern(u.path);
  }
  if (f.from && f.to && f.from > f.to) throw fieldError('to', '结束日期不能早于开始日期');
  const { total, rows } = await repo.listPatrols(
    deps.db,
    subtreePattern(me.scopePath),
    { unitPattern, mode: f.mode, start: f.from ? beijingStart(f.from) : undefined, end: f.to ? beijingStart(addDays(f.to, 1)) : undefined, planItemId: f.planItemId },
    page,
  );
  return { items: rows.map(presentPatrol), total };
}

/**
 * The field app's page: the caller's open patrol with its check-ins, the current week's plan items of the caller's
 * unit or the nearest unit above it (nearest place first when the phone sent its position), and the last patrols.
 */
export async function mine(deps: Deps, ctx: RequestContext, at?: { lat: number; lng: number }) {
  const me = staffOf(ctx);
  const open = await repo.openPatrolOf(deps.db, me.userId);
  const plan = me.orgUnitId === SYSTEM_USER_ID ? null : await currentPlanFor(deps, me.scopePath);
  const items = (plan?.items ?? []).map((i) => ({ ...i, distanceM: at ? Math.round(metresBetween(at, { lat: i.lat, lng: i.lng })) : null }));
  if (at) items.sort((a, b) => a.distanceM! - b.distanceM!);
  const recent = await repo.recentPatrolsOf(deps.db, me.userId, 5);
  return {
    patrol: open ? await withCheckins(deps, open) : null,
    plan: plan ? { id: plan.id, unit: plan.unit, weekStart: plan.weekStart, weekEnd: plan.weekEnd } : null,
    items,
    recent: recent.map(presentPatrol),
  };
}
