import { v7 as uuidv7 } from 'uuid';
import type { Kysely, Updateable } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB, IncidentSource, IncidentStatus, IncidentTable } from '../../db/schema.js';
import { SYSTEM_USER_ID, staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { notifyStaff } from '../../platform/notify/notifications.js';
import { beijingDay, cellOf, hourOfWeek } from '../../../shared/geo.js';
import { normalizePhone } from '../population/rules.js';
import { uniqueViolation } from '../population/service.js';
import { gridAt } from './place.js';
import { incidentsRepository as repo, type GridShape, type IncidentFilter, type UnitRef } from './repository.js';
import { isOpen, maskedCaller, presentIncident, presentLink, STATUS_NAMES, DIVERSION_STATUS_NAMES, type LinkRow } from './present.js';
import { nextDailyCode } from '../../db/daily-codes.js';
import { isAhead } from '../../platform/clock.js';

export const NOT_FOUND_INCIDENT = '警情不存在或不在您的辖区内';

// ---- placement ----------------------------------------------------------------------------------------------

export interface PlaceInput {
  addressId?: string | null;
  lat?: number | null;
  lng?: number | null;
  orgUnitId?: string | null;
  /** The grid to fall back on when neither an address nor a point places it (a grid worker's report). */
  gridId?: string | null;
}

/** Where an incident is and who handles it: the columns it is stored and scoped by. */
export interface Placement {
  orgUnitId: string;
  orgPath: string;
  stationId: string | null;
  communityId: string | null;
  gridId: string | null;
  countyCode: string | null;
  addressId: string | null;
  lat: number | null;
  lng: number | null;
}

/** The station (and community) on a unit's path. */
async function ancestry(deps: Deps, unit: UnitRef) {
  const ids = unit.path.split('/').filter(Boolean);
  const units = await repo.unitsByIds(deps.db, ids);
  return {
    station: units.find((u) => u.kind === 'station')?.id ?? null,
    community: units.find((u) => u.kind === 'community')?.id ?? null,
    grid: units.find((u) => u.kind === 'grid')?.id ?? null,
  };
}

/**
 * Places an incident: from a standard address in scope (its grid), or from a point (the grid whose boundary contains
 * it). The handling unit is the one asked for (in scope), else the station above the grid, else the caller's own
 * unit. org_path is the grid's path when the grid lies inside the handling unit, else the handling unit's path.
 * `field` renames the fields in errors (the intake reports `records.3.addressCode`).
 */
export async function resolvePlacement(
  deps: Deps,
  ctx: RequestContext,
  p: PlaceInput,
  field: (f: 'addressId' | 'lat' | 'lng' | 'orgUnitId') => string = (f) => f,
): Promise<{ placement: Placement } | { errors: FieldError[] }> {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  let grid: Pick<GridShape, 'id' | 'path' | 'county_code' | 'community_id' | 'station_id'> | undefined;
  let lat = p.lat ?? null;
  let lng = p.lng ?? null;
  let addressId: string | null = null;
  if ((lat === null) !== (lng === null)) errors.push({ field: field(lat === null ? 'lat' : 'lng'), message: '经度和纬度须同时填写' });
  if (p.addressId) {
    const a = await repo.addressInScope(deps.db, me.scopePath, p.addressId);
    if (!a) errors.push({ field: field('addressId'), message: '地址不存在或不在您的辖区内' });
    else if (a.status !== 'active') errors.push({ field: field('addressId'), message: '该地址已停用' });
    else {
      addressId = a.id;
      grid = await repo.gridById(deps.db, a.grid_id);
      if (lat === null || lng === null) {
        lat = a.lat;
        lng = a.lng;
      }
    }
  } else if (lat !== null && lng !== null) {
    grid = await gridAt(deps, lat, lng, me.scopePath);
  }
  if (!grid && p.gridId && !errors.length) {
    const g = await repo.gridById(deps.db, p.gridId);
    if (g && g.path.startsWith(me.scopePath)) grid = g;
  }
  let unit: UnitRef | undefined;
  if (p.orgUnitId) {
    unit = await repo.unitInScope(deps.db, me.scopePath, p.orgUnitId);
    if (!unit) errors.push({ field: field('orgUnitId'), message: '管辖单位不存在或不在您的辖区内' });
    else if (unit.status !== 'active') errors.push({ field: field('orgUnitId'), message: '该单位已停用' });
    else if (unit.kind === 'city_bureau') errors.push({ field: field('orgUnitId'), message: '请选择分局及以下的单位' });
  } else if (grid?.station_id) {
    unit = (await repo.unitsByIds(deps.db, [grid.station_id]))[0];
  } else if (me.orgUnitId !== SYSTEM_USER_ID) {
    unit = (await repo.unitsByIds(deps.db, [me.orgUnitId]))[0];
  }
  if (!unit && !errors.length) errors.push({ field: field('orgUnitId'), message: '请指定管辖单位或地点' });
  if (errors.length || !unit) return { errors };
  const inside = grid && grid.path.startsWith(unit.path);
  const up = await ancestry(deps, unit);
  return {
    placement: {
      orgUnitId: unit.id,
      orgPath: inside ? grid!.path : unit.path,
      // the ancestors-or-self of the org_path unit: the place's grid inside the handling unit, else the unit's own
      // (the analysis scopes by these columns: docs/api-command.md "Analysis")
      stationId: up.station ?? (inside ? grid!.station_id || null : null),
      communityId: inside ? grid!.community_id : up.community,
      gridId: inside ? grid!.id : up.grid,
      countyCode: inside ? grid!.county_code : unit.county_code,
      addressId,
      lat,
      lng,
    },
  };
}

// ---- recording ----------------------------------------------------------------------------------------------

export interface NewIncident {
  source: IncidentSource;
  categoryId: string;
  occurredAt: Date;
  reportedAt: Date;
  placement: Placement;
  place: string | null;
  summary: string;
  callerName: string | null;
  callerPhone: string | null;
  externalNo?: string | null;
  sourceRef?: string | null;
  /** Extra data of the 'received' event (e.g. the import job). */
  eventData?: Record<string, unknown>;
}

/** The unique index of a source record was hit: the incident exists already (a retry or a concurrent twin). */
export class AlreadyRecorded extends Error {}

/**
 * Writes one incident with its first event and audit row in one transaction. The code JQ<Beijing day><5 digits> is
 * allocated by nextDailyCode, so concurrent writers never collide (a code taken by a writer outside that lock is
 * retried: the next attempt sees it).
 */
export async function recordIncident(deps: Deps, ctx: RequestContext, n: NewIncident): Promise<string> {
  const me = staffOf(ctx);
  const id = uuidv7();
  for (let attempt = 0; ; attempt++) {
    try {
      await deps.db.transaction().execute(async (trx) => {
        const code = await nextDailyCode(trx, 'incidents', 'JQ', n.reportedAt, 5);
        const p = n.placement;
        await repo.insertIncident(trx, {
          id,
          code,
          source: n.source,
          external_no: n.externalNo ?? null,
          source_ref: n.sourceRef ?? null,
          category_id: n.categoryId,
          occurred_at: n.occurredAt,
          reported_at: n.reportedAt,
          day: beijingDay(n.occurredAt),
          how: hourOfWeek(n.occurredAt),
          address_id: p.addressId,
          place: n.place,
          lng: p.lng,
          lat: p.lat,
          h3: p.lat !== null && p.lng !== null ? cellOf(p.lat, p.lng) : null,
          org_unit_id: p.orgUnitId,
          station_id: p.stationId,
          community_id: p.communityId,
          grid_id: p.gridId,
          org_path: p.orgPath,
          county_code: p.countyCode,
          summary: n.summary,
          caller_name: n.callerName,
          caller_phone: n.callerPhone,
          status: 'received',
          created_by: me.userId === SYSTEM_USER_ID ? null : me.userId,
          created_at: new Date(),
          updated_at: new Date(),
        });
        await addEvent(trx, ctx, id, 'received', null, { source: n.source, code, ...(n.externalNo ? { externalNo: n.externalNo } : {}), ...n.eventData });
        await recordAudit(trx, ctx, {
          action: 'incident.create',
          subjectType: 'incident',
          subjectIds: [id],
          subjectUnitId: p.orgUnitId,
          detail: { code, source: n.source, categoryId: n.categoryId, ...(n.externalNo ? { externalNo: n.externalNo } : {}), ...(n.sourceRef ? { sourceRef: n.sourceRef } : {}) },
        });
      });
      return id;
    } catch (e) {
      const c = uniqueViolation(e);
      if (c === undefined) throw e;
      if (c.includes('external') || c.includes('source_ref')) throw new AlreadyRecorded(c);
      if (attempt >= 5) throw conflict('警情编号分配冲突，请重试');
    }
  }
}

async function addEvent(db: Kysely<DB>, ctx: RequestContext, incidentId: string, action: string, note: string | null, data?: Record<string, unknown>) {
  const me = staffOf(ctx);
  await repo.insertEvent(db, {
    id: uuidv7(),
    incident_id: incidentId,
    at: new Date(),
    actor_id: me.userId === SYSTEM_USER_ID ? null : me.userId,
    action,
    note,
    data: data ? JSON.stringify(data) : null,
  });
}

export interface CreateInput extends PlaceInput {
  source: 'walk_in' | '110' | 'other';
  categoryId: string;
  occurredAt: string;
  place?: string;
  summary: string;
  callerName?: string;
  callerPhone?: string;
}

async function checkCategory(deps: Deps, id: string, field: string, errors: FieldError[]) {
  const c = await repo.categoryById(deps.db, id);
  if (!c) errors.push({ field, message: '警情分类不存在' });
  else if (c.status !== 'active') errors.push({ field, message: '该警情分类已停用' });
  return c;
}

function checkOccurred(raw: string, field: string, errors: FieldError[]): Date {
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) errors.push({ field, message: '时间格式不正确' });
  else if (isAhead(at)) errors.push({ field, message: '发生时间不能晚于当前时间' });
  return at;
}

/** 登记警情 (walk-in, a call noted by hand …). */
export async function createIncident(deps: Deps, ctx: RequestContext, input: CreateInput) {
  const errors: FieldError[] = [];
  await checkCategory(deps, input.categoryId, 'categoryId', errors);
  const occurredAt = checkOccurred(input.occurredAt, 'occurredAt', errors);
  const summary = input.summary.trim();
  if (!summary) errors.push({ field: 'summary', message: '简要警情不能为空' });
  const phone = normalizePhone('callerPhone', input.callerPhone);
  if ('error' in phone) errors.push(phone.error);
  const placed = await resolvePlacement(deps, ctx, input);
  if ('errors' in placed) errors.push(...placed.errors);
  if (errors.length || 'errors' in placed) throw validationError(errors);
  const id = await recordIncident(deps, ctx, {
    source: input.source,
    categoryId: input.categoryId,
    occurredAt,
    reportedAt: new Date(),
    placement: placed.placement,
    place: input.place?.trim() || null,
    summary,
    callerName: input.callerName?.trim() || null,
    callerPhone: 'value' in phone ? phone.value : null,
  });
  return getIncidentPlain(deps, ctx, id);
}

// ---- reading ------------------------------------------------------------------------------------------------

export interface ListInput {
  q?: string;
  status?: IncidentStatus;
  categoryId?: string;
  source?: IncidentSource;
  unitId?: string;
  from?: string;
  to?: string;
  openOver?: '24h' | '72h' | '7d';
}

const dayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);
const nextDay = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);
const OPEN_OVER_HOURS = { '24h': 24, '72h': 72, '7d': 168 } as const;

export async function listIncidents(deps: Deps, ctx: RequestContext, q: ListInput, paging: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  const f: IncidentFilter = { scopePath: me.scopePath, q: q.q?.trim() || undefined, status: q.status, source: q.source };
  if (q.from && q.to && q.from > q.to) throw validationError([{ field: 'to', message: '结束日期不能早于开始日期' }]);
  if (q.unitId) {
    const u = await repo.unitInScope(deps.db, me.scopePath, q.unitId);
    if (!u) return { items: [], total: 0 };
    f.scopePath = u.path;
  }
  if (q.categoryId) f.categoryIds = await repo.categorySubtree(deps.db, q.categoryId);
  if (q.from) f.from = dayStart(q.from);
  if (q.to) f.to = nextDay(q.to);
  const now = Date.now();
  if (q.openOver) f.openBefore = new Date(now - OPEN_OVER_HOURS[q.openOver] * 3_600_000);
  const { rows, total } = await repo.page(deps.db, f, paging.limit, paging.offset);
  return { items: rows.map((r) => presentIncident(r, now)), total };
}

async function incidentInScope(deps: Deps, ctx: RequestContext, id: string) {
  const i = await repo.byIdInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!i) throw notFound(NOT_FOUND_INCIDENT);
  return i;
}

/** The detail without the audit row: what a write returns to its caller. */
async function getIncidentPlain(deps: Deps, ctx: RequestContext, id: string) {
  const i = await incidentInScope(deps, ctx, id);
  const [links, events, diversions] = await Promise.all([repo.links(deps.db, id), repo.events(deps.db, id), repo.diversionsOfIncident(deps.db, id)]);
  const names = new Map((await repo.userNames(deps.db, [i.handler_id, i.closed_by, i.created_by].filter((x): x is string => !!x))).map((u) => [u.id, u.display_name]));
  const user = (uid: string | null) => (uid ? { id: uid, name: names.get(uid) ?? null } : null);
  return {
    ...presentIncident(i),
    ...maskedCaller(i.caller_name, i.caller_phone),
    sourceRef: i.source_ref,
    handler: user(i.handler_id),
    result: i.result,
    closedBy: user(i.closed_by),
    createdBy: user(i.created_by),
    links: (links as LinkRow[]).map(presentLink),
    events: events.map((e) => ({
      id: e.id,
      at: new Date(e.at).toISOString(),
      action: e.action,
      note: e.note,
      data: e.data ?? null,
      actor: e.actor_id ? { id: e.actor_id, name: e.actor_name } : null,
    })),
    diversions: diversions.map((d) => ({
      id: d.id,
      department: { id: d.department_id, name: d.department_name },
      reason: d.reason,
      status: d.status,
      statusName: DIVERSION_STATUS_NAMES[d.status],
      feedback: d.feedback,
      divertedAt: new Date(d.diverted_at).toISOString(),
      divertedBy: d.diverted_by ? { id: d.diverted_by, name: d.diverted_by_name } : null,
      answeredAt: d.answered_at ? new Date(d.answered_at).toISOString() : null,
      answeredBy: d.answered_by ? { id: d.answered_by, name: d.answered_by_name } : null,
    })),
  };
}

/** 警情详情: the caller's name and phone masked, linked people with masked identity numbers; the view is audited. */
export async function getIncident(deps: Deps, ctx: RequestContext, id: string) {
  const detail = await getIncidentPlain(deps, ctx, id);
  const people = detail.links.filter((l) => l.kind === 'person' && l.targetId).map((l) => l.targetId!);
  await recordAudit(deps.db, ctx, {
    action: 'incident.view',
    subjectType: 'incident',
    subjectIds: [id, ...new Set(people)],
    subjectUnitId: detail.orgUnit.id,
    detail: { code: detail.code },
  });
  return detail;
}

// ---- changes ------------------------------------------------------------------------------------------------

const STALE = '该警情已被他人更新，请刷新后重试';

function requireVersion(current: number, given: number) {
  if (current !== given) throw conflict(`${STALE}（当前版本 ${current}）`, 'version');
}

interface Change {
  from: IncidentStatus[];
  illegal: (s: IncidentStatus) => string;
  set: Updateable<IncidentTable>;
  action: string;
  note?: string | null;
  data?: Record<string, unknown>;
  audit: string;
}

/**
 * One versioned change: scope (404), version (409), status (409 with the reason), then the update guarded by the
 * version, the event and the audit row in one transaction.
 */
async function change(deps: Deps, ctx: RequestContext, id: string, version: number, c: Change, extra?: (trx: Kysely<DB>) => Promise<void>) {
  const i = await incidentInScope(deps, ctx, id);
  requireVersion(i.version, version);
  if (!c.from.includes(i.status)) throw conflict(c.illegal(i.status), 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateVersioned(trx, id, version, c.set))) throw conflict(STALE, 'version');
    await addEvent(trx, ctx, id, c.action, c.note ?? null, c.data);
    await extra?.(trx);
    await recordAudit(trx, ctx, { action: c.audit, subjectType: 'incident', subjectIds: [id], subjectUnitId: i.org_unit_id, detail: { code: i.code, from: i.status, ...c.data } });
  });
  return i;
}

const closedOrDiverted = (s: IncidentStatus) => (s === 'closed' ? '警情已办结' : s === 'diverted' ? '警情已分流' : `警情${STATUS_NAMES[s]}`);

export interface PatchInput extends PlaceInput {
  version: number;
  categoryId?: string;
  summary?: string;
  place?: string | null;
}

export async function updateIncident(deps: Deps, ctx: RequestContext, id: string, input: PatchInput) {
  const me = staffOf(ctx);
  const i = await incidentInScope(deps, ctx, id);
  requireVersion(i.version, input.version);
  if (!isOpen(i.status)) throw conflict(`${closedOrDiverted(i.status)}，不能修改；如需更正请先重新打开`, 'status');
  const errors: FieldError[] = [];
  const set: Updateable<IncidentTable> = {};
  const changed: string[] = [];
  if (input.categoryId !== undefined && input.categoryId !== i.category_id) {
    await checkCategory(deps, input.categoryId, 'categoryId', errors);
    set.category_id = input.categoryId;
    changed.push('categoryId');
  }
  if (input.summary !== undefined) {
    const s = input.summary.trim();
    if (!s) errors.push({ field: 'summary', message: '简要警情不能为空' });
    set.summary = s;
    changed.push('summary');
  }
  if (input.place !== undefined) {
    set.place = input.place?.trim() || null;
    changed.push('place');
  }
  const moves = input.addressId !== undefined || input.lat !== undefined || input.lng !== undefined || input.orgUnitId !== undefined;
  let transferredTo: string | undefined;
  if (moves) {
    const placeChanged = input.addressId !== undefined || input.lat !== undefined || input.lng !== undefined;
    const p: PlaceInput = placeChanged
      ? { addressId: input.addressId, lat: input.lat, lng: input.lng, orgUnitId: input.orgUnitId }
      : { addressId: i.address_id, lat: i.address_id ? null : i.lat, lng: i.address_id ? null : i.lng, orgUnitId: input.orgUnitId };
    const placed = await resolvePlacement(deps, ctx, p);
    if ('errors' in placed) errors.push(...placed.errors);
    else {
      const pl = placed.placement;
      Object.assign(set, {
        address_id: pl.addressId,
        lat: pl.lat,
        lng: pl.lng,
        h3: pl.lat !== null && pl.lng !== null ? cellOf(pl.lat, pl.lng) : null,
        org_unit_id: pl.orgUnitId,
        org_path: pl.orgPath,
        station_id: pl.stationId,
        community_id: pl.communityId,
        grid_id: pl.gridId,
        county_code: pl.countyCode,
      });
      if (placeChanged) changed.push('place');
      if (pl.orgUnitId !== i.org_unit_id) {
        transferredTo = pl.orgUnitId;
        changed.push('orgUnitId');
      }
    }
  }
  if (errors.length) throw validationError(errors);
  if (!changed.length) return getIncidentPlain(deps, ctx, id);
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateVersioned(trx, id, input.version, set))) throw conflict(STALE, 'version');
    await addEvent(trx, ctx, id, transferredTo ? 'transferred' : 'updated', null, { fields: changed, ...(transferredTo ? { from: i.org_unit_id, to: transferredTo } : {}) });
    await recordAudit(trx, ctx, { action: 'incident.update', subjectType: 'incident', subjectIds: [id], subjectUnitId: (set.org_unit_id as string | undefined) ?? i.org_unit_id, detail: { code: i.code, fields: changed } });
  });
  if (transferredTo && transferredTo !== me.orgUnitId) {
    await notifyStaff(deps, { permission: 'incident.write', orgUnitId: transferredTo }, { kind: 'incident.transferred', title: `警情 ${i.code} 已移交本单位`, body: i.summary.slice(0, 80), link: `/command/incidents/${id}`, subjectId: id });
  }
  return getIncidentPlain(deps, ctx, id);
}

export async function handleIncident(deps: Deps, ctx: RequestContext, id: string, input: { version: number; handlerId?: string; note?: string }) {
  const me = staffOf(ctx);
  let handlerId = me.userId === SYSTEM_USER_ID ? null : me.userId;
  if (input.handlerId) {
    const u = await repo.userInScope(deps.db, me.scopePath, input.handlerId);
    if (!u || u.status !== 'active') throw validationError([{ field: 'handlerId', message: '处置人不存在、已停用或不在您的辖区内' }]);
    handlerId = u.id;
  }
  await change(deps, ctx, id, input.version, {
    from: ['received'],
    illegal: (s) => (s === 'handling' ? '警情已在处置中' : `${closedOrDiverted(s)}，不能开始处置；如需继续处置请先重新打开`),
    set: { status: 'handling', handler_id: handlerId },
    action: 'handling',
    note: input.note?.trim() || null,
    data: { handlerId },
    audit: 'incident.handle',
  });
  if (handlerId && handlerId !== me.userId) {
    await notifyStaff(deps, { userIds: [handlerId] }, { kind: 'incident.assigned', title: '您有一起警情待处置', body: (await repo.byIdInScope(deps.db, '/', id))?.code ?? '', link: `/command/incidents/${id}`, subjectId: id });
  }
  return getIncidentPlain(deps, ctx, id);
}

export async function addNote(deps: Deps, ctx: RequestContext, id: string, noteText: string) {
  const i = await incidentInScope(deps, ctx, id);
  const note = noteText.trim();
  if (!note) throw validationError([{ field: 'note', message: '备注不能为空' }]);
  await deps.db.transaction().execute(async (trx) => {
    await addEvent(trx, ctx, id, 'note', note);
    await recordAudit(trx, ctx, { action: 'incident.note', subjectType: 'incident', subjectIds: [id], subjectUnitId: i.org_unit_id, detail: { code: i.code } });
  });
  return getIncidentPlain(deps, ctx, id);
}

export async function closeIncident(deps: Deps, ctx: RequestContext, id: string, input: { version: number; result: string }) {
  const me = staffOf(ctx);
  const result = input.result.trim();
  if (!result) throw validationError([{ field: 'result', message: '请填写处置结果' }]);
  await change(deps, ctx, id, input.version, {
    from: ['received', 'handling'],
    illegal: (s) => (s === 'closed' ? '警情已办结' : '警情已分流，不能办结；如需继续处置请先重新打开'),
    set: { status: 'closed', result, closed_at: new Date(), closed_by: me.userId === SYSTEM_USER_ID ? null : me.userId },
    action: 'closed',
    note: result,
    audit: 'incident.close',
  });
  return getIncidentPlain(deps, ctx, id);
}

export async function reopenIncident(deps: Deps, ctx: RequestContext, id: string, input: { version: number; reason: string }) {
  const reason = input.reason.trim();
  if (!reason) throw validationError([{ field: 'reason', message: '请填写重新打开的原因' }]);
  await change(deps, ctx, id, input.version, {
    from: ['closed', 'diverted'],
    illegal: () => '只有已办结或已分流的警情可以重新打开',
    set: { status: 'handling', result: null, closed_at: null, closed_by: null },
    action: 'reopened',
    note: reason,
    audit: 'incident.reopen',
  });
  return getIncidentPlain(deps, ctx, id);
}

// ---- links --------------------------------------------------------------------------------------------------

export interface LinkInput {
  kind: 'person' | 'address' | 'unit' | 'case';
  targetId?: string;
  ref?: string;
  role?: string;
  note?: string;
}

export async function addLink(deps: Deps, ctx: RequestContext, id: string, input: LinkInput) {
  const me = staffOf(ctx);
  const i = await incidentInScope(deps, ctx, id);
  let targetId: string | null = null;
  let ref: string | null = null;
  if (input.kind === 'case') {
    ref = input.ref?.trim() || null;
    if (!ref) throw validationError([{ field: 'ref', message: '请填写案件编号' }]);
    if (input.targetId) throw validationError([{ field: 'targetId', message: '案件按编号关联，不填 targetId' }]);
  } else {
    if (!input.targetId) throw validationError([{ field: 'targetId', message: '请选择要关联的记录' }]);
    const found =
      input.kind === 'person'
        ? await repo.personInScope(deps.db, me.scopePath, input.targetId)
        : input.kind === 'address'
          ? await repo.addressInScope(deps.db, me.scopePath, input.targetId)
          : await repo.unitRecordInScope(deps.db, me.scopePath, input.targetId);
    const what = { person: '人员', address: '地址', unit: '单位' }[input.kind];
    if (!found) throw validationError([{ field: 'targetId', message: `${what}不存在或不在您的辖区内` }]);
    targetId = found.id;
  }
  if (await repo.sameLink(deps.db, id, input.kind, targetId, ref)) throw conflict('已关联过该记录', input.kind === 'case' ? 'ref' : 'targetId');
  const linkId = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertLink(trx, { id: linkId, incident_id: id, kind: input.kind, target_id: targetId, ref, role: input.role?.trim() || null, note: input.note?.trim() || null, created_by: me.userId === SYSTEM_USER_ID ? null : me.userId });
    await addEvent(trx, ctx, id, 'linked', null, { linkId, kind: input.kind, targetId, ref });
    await recordAudit(trx, ctx, { action: 'incident.link', subjectType: 'incident', subjectIds: [id, ...(targetId ? [targetId] : [])], subjectUnitId: i.org_unit_id, detail: { code: i.code, kind: input.kind, ref } });
  });
  return getIncidentPlain(deps, ctx, id);
}

export async function removeLink(deps: Deps, ctx: RequestContext, id: string, linkId: string) {
  const i = await incidentInScope(deps, ctx, id);
  const l = await repo.linkOf(deps.db, id, linkId);
  if (!l) throw notFound('关联记录不存在');
  await deps.db.transaction().execute(async (trx) => {
    await repo.deleteLink(trx, linkId);
    await addEvent(trx, ctx, id, 'unlinked', null, { linkId, kind: l.kind, targetId: l.target_id, ref: l.ref });
    await recordAudit(trx, ctx, { action: 'incident.unlink', subjectType: 'incident', subjectIds: [id, ...(l.target_id ? [l.target_id] : [])], subjectUnitId: i.org_unit_id, detail: { code: i.code, kind: l.kind, ref: l.ref } });
  });
  return getIncidentPlain(deps, ctx, id);
}

export { incidentInScope, getIncidentPlain, addEvent, change, requireVersion, checkCategory, checkOccurred };
