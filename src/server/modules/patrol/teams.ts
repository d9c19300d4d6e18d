import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { staffOf, SYSTEM_USER_ID, type RequestContext } from '../../platform/access/context.js';
import { subtreePattern } from '../../platform/access/scope.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, fieldError, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { maskPhone } from '../../platform/http/schemas.js';
import { getCommandSettings } from '../command/settings.js';
import { orgRepository } from '../org/repository.js';
import { addMonths, normalizePhone, todayCst } from '../population/rules.js';
import { uniqueViolation } from '../population/service.js';
import { patrolRepository as repo, type TeamRow } from './repository.js';
import { beijingStart, shiftPoints } from './rules.js';

/**
 * 义务巡逻队 / 红袖标: teams of a community, their members (phones only ever shown masked), shifts with attendance
 * and the points ledger behind every member's total.
 */
export const TEAM_KINDS = ['yiwu', 'hongxiubiao', 'other'] as const;
export type TeamKind = (typeof TEAM_KINDS)[number];
export const TEAM_KIND_NAMES: Record<TeamKind, string> = { yiwu: '义务巡逻队', hongxiubiao: '红袖标', other: '其他群防力量' };

const NOT_FOUND_TEAM = '巡逻队不存在或不在您的辖区内';
const NOT_FOUND_MEMBER = '队员不存在或不在您的辖区内';
const NOT_FOUND_SHIFT = '巡逻班次不存在或不在您的辖区内';
const MAX_SHIFT_HOURS = 24;

const actorId = (ctx: RequestContext) => {
  const me = staffOf(ctx);
  return me.userId === SYSTEM_USER_ID ? null : me.userId;
};
const dateText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));
const iso = (d: unknown) => new Date(d as string).toISOString();

/** A Beijing month `YYYY-MM` as instants. */
export function monthWindow(month?: string) {
  const m = month ?? todayCst().slice(0, 7);
  return { month: m, start: beijingStart(`${m}-01`), end: beijingStart(addMonths(`${m}-01`, 1)) };
}

function presentTeam(t: TeamRow) {
  return {
    id: t.id,
    unit: { id: t.org_unit_id, name: t.unit_name },
    name: t.name,
    kind: t.kind,
    kindName: TEAM_KIND_NAMES[t.kind],
    leaderName: t.leader_name,
    leaderPhone: maskPhone(t.leader_phone),
    note: t.note,
    status: t.status,
    memberCount: Number(t.member_count ?? 0),
    points: Number(t.points ?? 0),
    shiftsThisMonth: Number(t.shifts_this_month ?? 0),
    createdAt: iso(t.created_at),
    updatedAt: iso(t.updated_at),
  };
}

type MemberRow = Awaited<ReturnType<typeof repo.members>>[number];
const presentMember = (m: MemberRow) => ({
  id: m.id,
  teamId: m.team_id,
  name: m.name,
  phone: maskPhone(m.phone),
  joinedOn: dateText(m.joined_on),
  points: m.points,
  status: m.status,
});

function raceConflict(e: unknown): never {
  const c = uniqueViolation(e);
  if (c === undefined) throw e;
  if (c.includes('phone')) throw conflict('该手机号已是本队队员', 'phone');
  if (c.includes('name')) throw conflict('本单位已有同名巡逻队', 'name');
  throw conflict('记录已存在（可能刚被他人创建）');
}

async function teamOf(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const t = await repo.teamInScope(deps.db, subtreePattern(me.scopePath), id, monthWindow());
  if (!t) throw notFound(NOT_FOUND_TEAM);
  return t;
}

export async function listTeams(deps: Deps, ctx: RequestContext, f: { unitId?: string }) {
  const me = staffOf(ctx);
  let unitPattern: string | undefined;
  if (f.unitId) {
    const u = await orgRepository.inScope(deps.db, me.scopePath, f.unitId);
    if (!u) throw notFound('单位不存在或不在您的辖区内');
    unitPattern = subtreePattern(u.path);
  }
  const rows = await repo.listTeams(deps.db, subtreePattern(me.scopePath), monthWindow(), unitPattern);
  return { items: rows.map(presentTeam), total: rows.length };
}

export interface TeamInput {
  orgUnitId: string;
  name: string;
  kind: TeamKind;
  leaderName?: string | null;
  leaderPhone?: string | null;
  note?: string | null;
  status?: 'active' | 'inactive';
}

async function checkTeam(deps: Deps, ctx: RequestContext, input: TeamInput) {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const unit = await orgRepository.inScope(deps.db, me.scopePath, input.orgUnitId);
  if (!unit) errors.push({ field: 'orgUnitId', message: '所属单位不存在或不在您的辖区内' });
  else if (!['station', 'community', 'grid'].includes(unit.kind)) errors.push({ field: 'orgUnitId', message: '巡逻队须属于派出所、社区警务区或网格' });
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: '请填写队名' });
  const phone = normalizePhone('leaderPhone', input.leaderPhone);
  if ('error' in phone) errors.push(phone.error);
  if (errors.length) throw validationError(errors);
  return { unit: unit!, name, leaderPhone: 'value' in phone ? phone.value : null };
}

export async function createTeam(deps: Deps, ctx: RequestContext, input: TeamInput) {
  const c = await checkTeam(deps, ctx, input);
  if (await repo.teamByName(deps.db, c.unit.id, c.name)) throw conflict('本单位已有同名巡逻队', 'name');
  const id = uuidv7();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertTeam(trx, {
        id,
        org_unit_id: c.unit.id,
        name: c.name,
        kind: input.kind,
        leader_name: input.leaderName?.trim() || null,
        leader_phone: c.leaderPhone,
        note: input.note?.trim() || null,
        status: input.status ?? 'active',
      });
      await recordAudit(trx, ctx, { action: 'patrol.team.create', subjectType: 'patrol_team', subjectIds: [id], subjectUnitId: c.unit.id, detail: { name: c.name, kind: input.kind } });
    });
  } catch (e) {
    raceConflict(e);
  }
  return presentTeam((await repo.teamInScope(deps.db, '%', id, monthWindow()))!);
}

export async function updateTeam(deps: Deps, ctx: RequestContext, id: string, input: TeamInput) {
  const t = await teamOf(deps, ctx, id);
  const c = await checkTeam(deps, ctx, input);
  const other = await repo.teamByName(deps.db, c.unit.id, c.name);
  if (other && other.id !== id) throw conflict('本单位已有同名巡逻队', 'name');
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.updateTeam(trx, id, {
        org_unit_id: c.unit.id,
        name: c.name,
        kind: input.kind,
        leader_name: input.leaderName?.trim() || null,
        leader_phone: c.leaderPhone,
        note: input.note?.trim() || null,
        ...(input.status ? { status: input.status } : {}),
      });
      await recordAudit(trx, ctx, { action: 'patrol.team.update', subjectType: 'patrol_team', subjectIds: [id], subjectUnitId: c.unit.id, detail: { before: { name: t.name, kind: t.kind, status: t.status, orgUnitId: t.org_unit_id }, after: { name: c.name, kind: input.kind, status: input.status ?? t.status, orgUnitId: c.unit.id } } });
    });
  } catch (e) {
    raceConflict(e);
  }
  return presentTeam((await repo.teamInScope(deps.db, '%', id, monthWindow()))!);
}

type ShiftRow = Awaited<ReturnType<typeof repo.shifts>>[number];
type ShiftMemberRow = Awaited<ReturnType<typeof repo.shiftMembers>>[number];

function presentShift(s: ShiftRow | (Omit<ShiftRow, 'item_label'> & { item_label?: string | null }), members: ShiftMemberRow[]) {
  return {
    id: s.id,
    teamId: s.team_id,
    planItem: s.plan_item_id ? { id: s.plan_item_id, label: s.item_label ?? null } : null,
    startsAt: iso(s.starts_at),
    endsAt: iso(s.ends_at),
    hours: Math.round(((new Date(s.ends_at).getTime() - new Date(s.starts_at).getTime()) / 3_600_000) * 10) / 10,
    area: s.area,
    status: s.status,
    members: members.filter((m) => m.shift_id === s.id).map((m) => ({ memberId: m.member_id, name: m.name, attended: m.attended, points: m.points, recordedAt: m.recorded_at ? iso(m.recorded_at) : null })),
  };
}

/** The team with its members (phones masked) and latest shifts; reading the member list is audited. */
export async function getTeam(deps: Deps, ctx: RequestContext, id: string) {
  const t = await teamOf(deps, ctx, id);
  const members = await repo.members(deps.db, id);
  const shifts = await repo.shifts(deps.db, id, 50);
  const sm = await repo.shiftMembers(deps.db, shifts.map((s) => s.id));
  await recordAudit(deps.db, ctx, { action: 'patrol.team.view', subjectType: 'patrol_team', subjectIds: [id], subjectUnitId: t.org_unit_id, detail: { members: members.length } });
  return { ...presentTeam(t), members: members.map(presentMember), shifts: shifts.map((s) => presentShift(s, sm)) };
}

export interface MemberInput {
  name: string;
  phone?: string;
  joinedOn?: string;
  status?: 'active' | 'left';
}

function checkMember(input: MemberInput) {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: '请填写队员姓名' });
  const phone = normalizePhone('phone', input.phone);
  if ('error' in phone) errors.push(phone.error);
  else if (!phone.value) errors.push({ field: 'phone', message: '请填写手机号' });
  if (input.joinedOn && input.joinedOn > todayCst()) errors.push({ field: 'joinedOn', message: '入队日期不能晚于今天' });
  if (errors.length) throw validationError(errors);
  return { name, phone: (phone as { value: string }).value };
}

export async function addMember(deps: Deps, ctx: RequestContext, teamId: string, input: MemberInput) {
  const t = await teamOf(deps, ctx, teamId);
  const c = checkMember(input);
  if (await repo.memberByPhone(deps.db, teamId, c.phone)) throw conflict('该手机号已是本队队员', 'phone');
  const id = uuidv7();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertMember(trx, { id, team_id: teamId, name: c.name, phone: c.phone, person_id: null, joined_on: input.joinedOn ?? todayCst(), status: input.status ?? 'active' });
      await recordAudit(trx, ctx, { action: 'patrol.member.create', subjectType: 'patrol_team_member', subjectIds: [teamId, id], subjectUnitId: t.org_unit_id, detail: { name: c.name } });
    });
  } catch (e) {
    raceConflict(e);
  }
  return presentMember((await repo.members(deps.db, teamId)).find((m) => m.id === id)!);
}

export async function updateMember(deps: Deps, ctx: RequestContext, id: string, input: MemberInput) {
  const me = staffOf(ctx);
  const m = await repo.memberInScope(deps.db, subtreePattern(me.scopePath), id);
  if (!m) throw notFound(NOT_FOUND_MEMBER);
  const c = checkMember({ ...input, phone: input.phone ?? m.phone });
  const other = await repo.memberByPhone(deps.db, m.team_id, c.phone);
  if (other && other.id !== id) throw conflict('该手机号已是本队队员', 'phone');
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.updateMember(trx, id, { name: c.name, phone: c.phone, ...(input.joinedOn ? { joined_on: input.joinedOn } : {}), ...(input.status ? { status: input.status } : {}) });
      await recordAudit(trx, ctx, { action: 'patrol.member.update', subjectType: 'patrol_team_member', subjectIds: [m.team_id, id], subjectUnitId: m.org_unit_id, detail: { nameChanged: c.name !== m.name, phoneChanged: c.phone !== m.phone, status: input.status ?? m.status } });
    });
  } catch (e) {
    raceConflict(e);
  }
  return presentMember((await repo.members(deps.db, m.team_id)).find((x) => x.id === id)!);
}

export interface ShiftInput {
  startsAt: string;
  endsAt: string;
  area: string;
  planItemId?: string;
  memberIds: string[];
}

export async function createShift(deps: Deps, ctx: RequestContext, teamId: string, input: ShiftInput) {
  const t = await teamOf(deps, ctx, teamId);
  const errors: FieldError[] = [];
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  if (endsAt <= startsAt) errors.push({ field: 'endsAt', message: '结束时间须晚于开始时间' });
  else if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_HOURS * 3_600_000) errors.push({ field: 'endsAt', message: `一个班次不超过 ${MAX_SHIFT_HOURS} 小时` });
  const area = input.area.trim();
  if (!area) errors.push({ field: 'area', message: '请填写巡逻区域' });
  const ids = [...new Set(input.memberIds)];
  const found = await repo.teamMembersIn(deps.db, teamId, ids);
  if (found.length !== ids.length) errors.push({ field: 'memberIds', message: '所选队员不属于本队' });
  else if (found.some((m) => m.status !== 'active')) errors.push({ field: 'memberIds', message: `${found.filter((m) => m.status !== 'active').map((m) => m.name).join('、')} 已离队` });
  if (input.planItemId) {
    const item = await repo.itemById(deps.db, input.planItemId);
    const me = staffOf(ctx);
    if (!item || !(item.unit_path.startsWith(me.scopePath) || me.scopePath.startsWith(item.unit_path))) errors.push({ field: 'planItemId', message: '巡防建议点位不存在或不在您的辖区内' });
  }
  if (errors.length) throw validationError(errors);
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertShift(trx, { id, team_id: teamId, plan_item_id: input.planItemId ?? null, starts_at: startsAt, ends_at: endsAt, area, created_by: actorId(ctx) });
    await repo.insertShiftMembers(trx, id, ids);
    await recordAudit(trx, ctx, { action: 'patrol.shift.create', subjectType: 'patrol_shift', subjectIds: [teamId, id], subjectUnitId: t.org_unit_id, detail: { startsAt: startsAt.toISOString(), endsAt: endsAt.toISOString(), members: ids.length } });
  });
  return shiftById(deps, teamId, id);
}

async function shiftById(deps: Deps, teamId: string, id: string) {
  const s = (await repo.shifts(deps.db, teamId, 1000)).find((x) => x.id === id)!;
  return presentShift(s, await repo.shiftMembers(deps.db, [id]));
}

/**
 * Records who took part in a shift and books their points: present → pointsPerShift + pointsPerHour × hours,
 * absent → −absencePenalty. Recording again replaces the shift's earlier points of those members (the ledger rows
 * are swapped and the totals moved by the difference, under a lock on the shift), so retries and corrections never
 * count twice.
 */
export async function recordAttendance(deps: Deps, ctx: RequestContext, shiftId: string, input: { members: Array<{ memberId: string; attended: boolean }> }) {
  const me = staffOf(ctx);
  const s = await repo.shiftInScope(deps.db, subtreePattern(me.scopePath), shiftId);
  if (!s) throw notFound(NOT_FOUND_SHIFT);
  if (s.status === 'cancelled') throw conflict('该班次已取消');
  const ids = [...new Set(input.members.map((m) => m.memberId))];
  if (ids.length !== input.members.length) throw fieldError('members', '同一队员只能出现一次');
  const found = await repo.teamMembersIn(deps.db, s.team_id, ids);
  if (found.length !== ids.length) throw fieldError('members', '所选队员不属于本队');
  const settings = (await getCommandSettings(deps)).patrol;
  const startsAt = new Date(s.starts_at);
  const endsAt = new Date(s.ends_at);
  if (startsAt.getTime() > Date.now()) throw fieldError('members', '班次尚未开始，不能登记出勤');
  const when = `${s.area}，${todayCst(startsAt)}`;
  await deps.db.transaction().execute(async (trx) => {
    await repo.lockShift(trx, s.id);
    const before = await repo.takeShiftPoints(trx, s.id, ids);
    const now = new Date();
    const ledger = [];
    for (const m of input.members) {
      const points = shiftPoints(m.attended, startsAt, endsAt, settings);
      if (points !== 0) ledger.push({ id: uuidv7(), member_id: m.memberId, shift_id: s.id, points, reason: m.attended ? `参加巡逻（${when}）` : `缺勤（${when}）`, created_by: actorId(ctx), created_at: now });
      const delta = points - (before.get(m.memberId) ?? 0);
      if (delta !== 0) await repo.addPoints(trx, m.memberId, delta);
      await repo.recordAttendance(trx, { shift_id: s.id, member_id: m.memberId, attended: m.attended, points, recorded_by: actorId(ctx), recorded_at: now });
    }
    await repo.insertLedger(trx, ledger);
    await repo.setShiftStatus(trx, s.id, 'done');
    await recordAudit(trx, ctx, {
      action: 'patrol.shift.attendance',
      subjectType: 'patrol_shift',
      subjectIds: [s.team_id, s.id],
      subjectUnitId: s.org_unit_id,
      detail: { attended: input.members.filter((m) => m.attended).length, absent: input.members.filter((m) => !m.attended).length, rerecorded: before.size > 0 },
    });
  });
  return shiftById(deps, s.team_id, s.id);
}

export async function adjustPoints(deps: Deps, ctx: RequestContext, memberId: string, input: { points: number; reason: string }) {
  const me = staffOf(ctx);
  const m = await repo.memberInScope(deps.db, subtreePattern(me.scopePath), memberId);
  if (!m) throw notFound(NOT_FOUND_MEMBER);
  const reason = input.reason.trim();
  if (!reason) throw fieldError('reason', '请说明调整原因');
  if (input.points === 0) throw fieldError('points', '调整积分不能为 0');
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertLedger(trx, [{ id, member_id: memberId, shift_id: null, points: input.points, reason, created_by: actorId(ctx) }]);
    await repo.addPoints(trx, memberId, input.points);
    await recordAudit(trx, ctx, { action: 'patrol.points.adjust', subjectType: 'patrol_team_member', subjectIds: [m.team_id, memberId], subjectUnitId: m.org_unit_id, detail: { points: input.points, reason } });
  });
  const total = (await repo.memberPoints(deps.db, memberId)).points;
  return { id, memberId, points: input.points, reason, total };
}

export async function pointsLedger(deps: Deps, ctx: RequestContext, memberId: string, page: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  const m = await repo.memberInScope(deps.db, subtreePattern(me.scopePath), memberId);
  if (!m) throw notFound(NOT_FOUND_MEMBER);
  const { total, rows } = await repo.ledger(deps.db, memberId, page);
  return {
    member: { id: m.id, name: m.name, teamId: m.team_id, teamName: m.team_name, points: m.points, status: m.status },
    items: rows.map((r) => ({ id: r.id, shiftId: r.shift_id, shiftStartsAt: r.shift_starts_at ? iso(r.shift_starts_at) : null, points: r.points, reason: r.reason, createdAt: iso(r.created_at), createdBy: r.created_by_name ?? null })),
    total,
  };
}

export async function ranking(deps: Deps, ctx: RequestContext, f: { unitId?: string; month?: string; limit?: number }) {
  const me = staffOf(ctx);
  let pattern = subtreePattern(me.scopePath);
  if (f.unitId) {
    const u = await orgRepository.inScope(deps.db, me.scopePath, f.unitId);
    if (!u) throw notFound('单位不存在或不在您的辖区内');
    pattern = subtreePattern(u.path);
  }
  const w = monthWindow(f.month);
  const rows = await repo.ranking(deps.db, pattern, w.start, w.end, f.limit ?? 100);
  let rank = 0;
  let last: number | null = null;
  return {
    month: w.month,
    items: rows.map((r, i) => {
      const pts = Number(r.month_points ?? 0);
      if (pts !== last) rank = i + 1;
      last = pts;
      return { rank, memberId: r.id, name: r.name, status: r.status, team: { id: r.team_id, name: r.team_name }, unitName: r.unit_name, monthPoints: pts, monthShifts: Number(r.month_shifts ?? 0), totalPoints: r.points };
    }),
  };
}
