import { v7 as uuidv7 } from 'uuid';
import type { Updateable } from 'kysely';
import type { Deps } from '../../deps.js';
import type { CameraTable, IncidentStatus, PatrolRouteTable } from '../../db/schema.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { orgRepository } from '../org/repository.js';
import { getCommandSettings } from '../command/settings.js';
import { addDays, todayCst } from '../population/rules.js';
import { uniqueViolation } from '../population/service.js';
import { KEY_INDUSTRY_NAMES } from '../units/rules.js';
import { INCIDENT_STATUSES, mapRepository as repo, type CameraRow, type RouteRow } from './repository.js';

/**
 * The one map (警务一张图, docs/api-command.md "The one map"): layers scoped to the caller's jurisdiction, and the two
 * kinds of asset drawn on it that this module owns: cameras (mapped assets only — a place and a name, never a feed,
 * never any recognition) and patrol routes.
 */

/** Upper bounds of the point layers; tests lower them to check the `truncated` flag. */
export const MAP_LIMITS = { incidents: 200_000, addresses: 20_000, periodDays: 366, bboxSpanDeg: 0.5 };

/** China's rough bounding box: coordinates outside it are a typing mistake (e.g. latitude and longitude swapped). */
export const CHINA_BOX = { w: 73.4, s: 3.8, e: 135.1, n: 53.6 };

const NOT_FOUND_UNIT = '单位不存在或不在您的辖区内';
const NOT_FOUND_CAMERA = '摄像头点位不存在或不在您的辖区内';
const NOT_FOUND_ROUTE = '巡逻路线不存在或不在您的辖区内';

const iso = (d: Date | string) => new Date(d).toISOString();

// ---- layers --------------------------------------------------------------------------------------------------------

/** GeoJSON of the org units in scope (or below `unitId`, which must be in scope). */
export async function boundaries(deps: Deps, ctx: RequestContext, unitId?: string) {
  const me = staffOf(ctx);
  let path = me.scopePath;
  if (unitId) {
    const u = await orgRepository.inScope(deps.db, me.scopePath, unitId);
    if (!u) throw notFound(NOT_FOUND_UNIT);
    path = u.path;
  }
  const rows = await repo.boundaries(deps.db, path);
  return {
    type: 'FeatureCollection' as const,
    features: rows.map((u) => ({
      type: 'Feature' as const,
      id: u.id,
      geometry: u.boundary,
      properties: { id: u.id, parentId: u.parent_id, kind: u.kind, code: u.code, name: u.name },
    })),
  };
}

/** Parses `w,s,e,n`: four numbers, west < east, south < north, each side at most 0.5°, inside China's box. */
export function parseBbox(raw: string): { w: number; s: number; e: number; n: number } {
  const bad = (message: string) => validationError([{ field: 'bbox', message }]);
  const parts = raw.split(',').map((x) => x.trim());
  if (parts.length !== 4 || parts.some((x) => x === '' || !Number.isFinite(Number(x)))) throw bad('范围须为“西,南,东,北”四个经纬度数字，如 117.9,37.33,118.0,37.4');
  const [w, s, e, n] = parts.map(Number);
  if (!(w < e)) throw bad('西边经度须小于东边经度');
  if (!(s < n)) throw bad('南边纬度须小于北边纬度');
  if (w < -180 || e > 180 || s < -90 || n > 90) throw bad('经度须在 −180 至 180、纬度须在 −90 至 90 之间');
  if (e - w > MAP_LIMITS.bboxSpanDeg || n - s > MAP_LIMITS.bboxSpanDeg) throw bad(`范围过大：经度、纬度跨度均不得超过 ${MAP_LIMITS.bboxSpanDeg}°，请放大地图`);
  return { w, s, e, n };
}

/** Standard addresses with coordinates in the box and in scope, at most `limit` (≤ 20,000). */
export async function addressesInBox(deps: Deps, ctx: RequestContext, bbox: string, limit = 5000) {
  const me = staffOf(ctx);
  const box = parseBbox(bbox);
  const max = Math.min(limit, MAP_LIMITS.addresses);
  const rows = await repo.addressesInBox(deps.db, me.scopePath, box, max + 1);
  const truncated = rows.length > max;
  return { items: rows.slice(0, max).map((a) => ({ id: a.id, code: a.code, label: a.label, lat: a.lat, lng: a.lng })), truncated };
}

export interface IncidentLayerQuery {
  from?: string;
  to?: string;
  categoryId?: string;
  /** one status or several separated by commas */
  status?: string;
}

export interface CategoryNode {
  id: string;
  code: string;
  name: string;
  children: CategoryNode[];
}

/** The category tree (active and inactive: old incidents keep their category), parents in `sort` order. */
async function categoryTree(deps: Deps) {
  const rows = await repo.categories(deps.db);
  const nodes = new Map(rows.map((c) => [c.id, { id: c.id, code: c.code, name: c.name, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const c of rows) {
    const n = nodes.get(c.id)!;
    const parent = c.parent_id ? nodes.get(c.parent_id) : undefined;
    if (parent) parent.children.push(n);
    else if (!c.parent_id) roots.push(n);
  }
  return { roots, nodes };
}

const subtreeIds = (n: CategoryNode): string[] => [n.id, ...n.children.flatMap(subtreeIds)];

/** The Beijing-day period of the incident layer: defaults to the last 30 days, at most 366 days. */
export function incidentPeriod(q: { from?: string; to?: string }, today = todayCst()) {
  const to = q.to ?? today;
  const from = q.from ?? addDays(to, -29);
  const errors: FieldError[] = [];
  if (from > to) errors.push({ field: 'from', message: '开始日期不能晚于结束日期' });
  else if (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`) >= MAP_LIMITS.periodDays * 86_400_000) {
    errors.push({ field: 'from', message: `时间范围不能超过 ${MAP_LIMITS.periodDays} 天` });
  }
  if (errors.length) throw validationError(errors);
  return { from, to, fromAt: new Date(`${from}T00:00:00+08:00`), toAt: new Date(`${addDays(to, 1)}T00:00:00+08:00`) };
}

/**
 * The incident layer as column arrays (`ids, lat, lng, cat, status, t`): `cat` indexes `categories` (the top-level
 * category), `status` indexes `statuses`, `t` is epoch seconds. Newest first; at most 200,000 (`truncated` says more
 * matched). Returned as ready JSON text: the database builds the arrays, the server adds the header fields.
 */
export async function incidentLayer(deps: Deps, ctx: RequestContext, q: IncidentLayerQuery): Promise<string> {
  const me = staffOf(ctx);
  const period = incidentPeriod(q);
  const { roots, nodes } = await categoryTree(deps);
  let categoryIds: string[] | undefined;
  if (q.categoryId) {
    const n = nodes.get(q.categoryId);
    if (!n) throw validationError([{ field: 'categoryId', message: '警情类别不存在' }]);
    categoryIds = subtreeIds(n);
  }
  let statuses: IncidentStatus[] | undefined;
  if (q.status) {
    const list = [...new Set(q.status.split(',').map((s) => s.trim()))];
    const unknown = list.filter((s) => !(INCIDENT_STATUSES as readonly string[]).includes(s));
    if (unknown.length || list.length === 0) throw validationError([{ field: 'status', message: '状态只能是 received、handling、diverted、closed（可用逗号分隔多个）' }]);
    statuses = list as IncidentStatus[];
  }
  const max = MAP_LIMITS.incidents;
  const { n, json } = await repo.incidentColumns(deps.db, { scopePath: me.scopePath, from: period.fromAt, to: period.toAt, categoryIds, statuses, rootIds: roots.map((r) => r.id), max });
  const head = {
    from: period.from,
    to: period.to,
    categories: roots,
    statuses: INCIDENT_STATUSES,
    count: Math.min(n, max),
    truncated: n > max,
  };
  // `{"from":…,"truncated":false` + `,"ids":[…],…}`
  return `${JSON.stringify(head).slice(0, -1)},${json.slice(1)}`;
}

/** Offices and posts in scope with their response rings: radius = ringSpeedKmh × 1000 / 60 × minutes. */
export async function officesLayer(deps: Deps, ctx: RequestContext) {
  const me = staffOf(ctx);
  const { map } = await getCommandSettings(deps);
  const rings = map.ringMinutes.map((minutes) => ({ minutes, radiusM: Math.round(((map.ringSpeedKmh * 1000) / 60) * minutes) }));
  const rows = await repo.offices(deps.db, me.scopePath);
  return {
    ringSpeedKmh: map.ringSpeedKmh,
    items: rows.map((o) => ({ id: o.id, kind: o.kind, name: o.name, address: o.address, phone: o.phone, lat: o.lat, lng: o.lng, orgUnit: { id: o.org_unit_id, name: o.org_unit_name }, rings })),
  };
}

/** Units of key industries in scope, placed at their address. */
export async function keyUnitsLayer(deps: Deps, ctx: RequestContext) {
  const me = staffOf(ctx);
  const rows = await repo.keyUnits(deps.db, me.scopePath);
  return {
    items: rows.map((u) => ({ id: u.id, name: u.name, keyIndustry: u.key_industry, keyIndustryName: KEY_INDUSTRY_NAMES[u.key_industry], address: u.address, lat: u.lat, lng: u.lng, orgUnitId: u.org_unit_id })),
  };
}

export async function camerasLayer(deps: Deps, ctx: RequestContext) {
  const rows = await repo.activeCameras(deps.db, staffOf(ctx).scopePath);
  return { items: rows.map((c) => ({ id: c.id, code: c.code, name: c.name, kind: c.kind, lat: c.lat, lng: c.lng, orgUnitId: c.org_unit_id })) };
}

export async function routesLayer(deps: Deps, ctx: RequestContext) {
  const rows = await repo.activeRoutes(deps.db, staffOf(ctx).scopePath);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, mode: r.mode, geometry: r.geometry, orgUnitId: r.org_unit_id, orgUnitName: r.org_unit_name })) };
}

// ---- cameras -------------------------------------------------------------------------------------------------------

export type CameraKind = 'public' | 'social';
export type AssetStatus = 'active' | 'inactive';

export interface CameraInput {
  orgUnitId?: string;
  code?: string;
  name?: string;
  kind?: CameraKind;
  lat?: number;
  lng?: number;
  note?: string | null;
  status?: AssetStatus;
}

function presentCamera(c: CameraRow) {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    kind: c.kind,
    lat: c.lat,
    lng: c.lng,
    note: c.note,
    status: c.status,
    orgUnit: { id: c.org_unit_id, name: c.org_unit_name },
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

const inChina = (lat: number, lng: number) => lng >= CHINA_BOX.w && lng <= CHINA_BOX.e && lat >= CHINA_BOX.s && lat <= CHINA_BOX.n;
const CODE_RE = /^[A-Za-z0-9_-]{2,40}$/;

/** The org unit an asset belongs to: in scope and a branch or below (assets belong to a county's units). */
async function assetUnit(deps: Deps, ctx: RequestContext, orgUnitId: string, errors: FieldError[]) {
  const u = await orgRepository.inScope(deps.db, staffOf(ctx).scopePath, orgUnitId);
  if (!u) errors.push({ field: 'orgUnitId', message: NOT_FOUND_UNIT });
  else if (u.status !== 'active') errors.push({ field: 'orgUnitId', message: '该单位已停用' });
  else if (u.kind === 'city_bureau') errors.push({ field: 'orgUnitId', message: '请选择分局（县局）及以下单位' });
  return u;
}

async function checkCamera(deps: Deps, ctx: RequestContext, input: CameraInput, current?: CameraRow) {
  const errors: FieldError[] = [];
  const set: Updateable<CameraTable> = {};
  if (input.orgUnitId !== undefined && input.orgUnitId !== current?.org_unit_id) {
    await assetUnit(deps, ctx, input.orgUnitId, errors);
    set.org_unit_id = input.orgUnitId;
  }
  if (input.code !== undefined) {
    const code = input.code.trim();
    if (!CODE_RE.test(code)) errors.push({ field: 'code', message: '编号为 2–40 位字母、数字、下划线或短横线（如国标 20 位编码）' });
    set.code = code;
  }
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name) errors.push({ field: 'name', message: '名称不能为空' });
    set.name = name;
  }
  if (input.kind !== undefined) set.kind = input.kind;
  const lat = input.lat ?? current?.lat;
  const lng = input.lng ?? current?.lng;
  if (input.lat !== undefined || input.lng !== undefined) {
    if (lat === undefined || lng === undefined) errors.push({ field: lat === undefined ? 'lat' : 'lng', message: '请同时填写经度和纬度' });
    else if (!inChina(lat, lng)) {
      const field = lat >= CHINA_BOX.s && lat <= CHINA_BOX.n ? 'lng' : 'lat';
      errors.push({ field, message: '坐标不在我国境内，请检查经纬度是否填反（经度约 73–135，纬度约 4–54）' });
    }
    set.lat = lat;
    set.lng = lng;
  }
  if (input.note !== undefined) set.note = input.note?.trim() || null;
  if (input.status !== undefined) set.status = input.status;
  return { errors, set };
}

function cameraConflict(e: unknown): never {
  if (uniqueViolation(e) === undefined) throw e;
  throw conflict('该摄像头编号已登记', 'code');
}

export async function listCameras(deps: Deps, ctx: RequestContext, f: { q?: string; orgUnitId?: string; kind?: CameraKind; status?: AssetStatus }, page: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  let scopePath = me.scopePath;
  if (f.orgUnitId) {
    const u = await orgRepository.inScope(deps.db, me.scopePath, f.orgUnitId);
    if (!u) return { items: [], total: 0 };
    scopePath = u.path;
  }
  const { rows, total } = await repo.cameraPage(deps.db, { scopePath, q: f.q?.trim() || undefined, kind: f.kind, status: f.status }, page.limit, page.offset);
  return { items: rows.map(presentCamera), total };
}

export async function createCamera(deps: Deps, ctx: RequestContext, input: Required<Pick<CameraInput, 'orgUnitId' | 'code' | 'name' | 'lat' | 'lng'>> & CameraInput) {
  const { errors, set } = await checkCamera(deps, ctx, input);
  if (errors.length) throw validationError(errors);
  if (await repo.cameraByCode(deps.db, set.code as string)) throw conflict('该摄像头编号已登记', 'code');
  const id = uuidv7();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertCamera(trx, {
        id,
        org_unit_id: input.orgUnitId,
        code: set.code as string,
        name: set.name as string,
        kind: input.kind ?? 'public',
        lat: input.lat,
        lng: input.lng,
        note: (set.note as string | null | undefined) ?? null,
        status: input.status ?? 'active',
      });
      await recordAudit(trx, ctx, { action: 'camera.create', subjectType: 'camera', subjectIds: [id], subjectUnitId: input.orgUnitId, detail: { code: set.code, name: set.name, kind: input.kind ?? 'public' } });
    });
  } catch (e) {
    cameraConflict(e);
  }
  return presentCamera((await repo.cameraInScope(deps.db, '/', id))!);
}

export async function updateCamera(deps: Deps, ctx: RequestContext, id: string, input: CameraInput) {
  const me = staffOf(ctx);
  const current = await repo.cameraInScope(deps.db, me.scopePath, id);
  if (!current) throw notFound(NOT_FOUND_CAMERA);
  const { errors, set } = await checkCamera(deps, ctx, input, current);
  if (errors.length) throw validationError(errors);
  if (set.code !== undefined && set.code !== current.code) {
    const other = await repo.cameraByCode(deps.db, set.code as string);
    if (other && other.id !== id) throw conflict('该摄像头编号已登记', 'code');
  }
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.updateCamera(trx, id, set);
      await recordAudit(trx, ctx, { action: 'camera.update', subjectType: 'camera', subjectIds: [id], subjectUnitId: current.org_unit_id, detail: { changed: Object.keys(set) } });
    });
  } catch (e) {
    cameraConflict(e);
  }
  return presentCamera((await repo.cameraInScope(deps.db, '/', id))!);
}

// ---- patrol routes -------------------------------------------------------------------------------------------------

export type RouteMode = 'patrol' | 'volunteer';

export interface LineString {
  type: 'LineString';
  coordinates: number[][];
}

export interface RouteInput {
  orgUnitId?: string;
  name?: string;
  mode?: RouteMode;
  geometry?: LineString;
  note?: string | null;
  status?: AssetStatus;
}

export const ROUTE_POINTS = { min: 2, max: 500 };

function presentRoute(r: RouteRow) {
  const g = r.geometry as LineString;
  return {
    id: r.id,
    name: r.name,
    mode: r.mode,
    geometry: g,
    lengthM: Math.round(lineLength(g.coordinates)),
    note: r.note,
    status: r.status,
    orgUnit: { id: r.org_unit_id, name: r.org_unit_name },
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Length of a line of [lng, lat] points in metres (haversine). */
export function lineLength(coords: number[][]): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  let m = 0;
  for (let i = 1; i < coords.length; i++) {
    const [x1, y1] = coords[i - 1];
    const [x2, y2] = coords[i];
    const s = Math.sin(((y2 - y1) * rad) / 2) ** 2 + Math.cos(y1 * rad) * Math.cos(y2 * rad) * Math.sin(((x2 - x1) * rad) / 2) ** 2;
    m += 2 * R * Math.asin(Math.sqrt(s));
  }
  return m;
}

/** A GeoJSON LineString of 2–500 [lng, lat] points inside China, rounded to 6 decimals (≈ 0.1 m). */
export function checkLineString(g: LineString, errors: FieldError[]): LineString {
  const field = 'geometry.coordinates';
  const c = g.coordinates;
  if (c.length < ROUTE_POINTS.min || c.length > ROUTE_POINTS.max) errors.push({ field, message: `路线须有 ${ROUTE_POINTS.min}–${ROUTE_POINTS.max} 个点` });
  const badAt = c.findIndex((p) => p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1]) || !inChina(p[1], p[0]));
  if (badAt >= 0) errors.push({ field, message: `第 ${badAt + 1} 个点不是我国境内的 [经度, 纬度]` });
  const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
  return { type: 'LineString', coordinates: c.map((p) => [r6(p[0]), r6(p[1])]) };
}

async function checkRoute(deps: Deps, ctx: RequestContext, input: RouteInput, current?: RouteRow) {
  const errors: FieldError[] = [];
  const set: Updateable<PatrolRouteTable> = {};
  if (input.orgUnitId !== undefined && input.orgUnitId !== current?.org_unit_id) {
    await assetUnit(deps, ctx, input.orgUnitId, errors);
    set.org_unit_id = input.orgUnitId;
  }
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name) errors.push({ field: 'name', message: '名称不能为空' });
    set.name = name;
  }
  if (input.mode !== undefined) set.mode = input.mode;
  if (input.geometry !== undefined) set.geometry = JSON.stringify(checkLineString(input.geometry, errors));
  if (input.note !== undefined) set.note = input.note?.trim() || null;
  if (input.status !== undefined) set.status = input.status;
  return { errors, set };
}

export async function listRoutes(deps: Deps, ctx: RequestContext, f: { q?: string; orgUnitId?: string; mode?: RouteMode; status?: AssetStatus }, page: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  let scopePath = me.scopePath;
  if (f.orgUnitId) {
    const u = await orgRepository.inScope(deps.db, me.scopePath, f.orgUnitId);
    if (!u) return { items: [], total: 0 };
    scopePath = u.path;
  }
  const { rows, total } = await repo.routePage(deps.db, { scopePath, q: f.q?.trim() || undefined, mode: f.mode, status: f.status }, page.limit, page.offset);
  return { items: rows.map(presentRoute), total };
}

export async function createRoute(deps: Deps, ctx: RequestContext, input: Required<Pick<RouteInput, 'orgUnitId' | 'name' | 'mode' | 'geometry'>> & RouteInput) {
  const { errors, set } = await checkRoute(deps, ctx, input);
  if (errors.length) throw validationError(errors);
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRoute(trx, {
      id,
      org_unit_id: input.orgUnitId,
      name: set.name as string,
      mode: input.mode,
      geometry: set.geometry as string,
      note: (set.note as string | null | undefined) ?? null,
      status: input.status ?? 'active',
    });
    await recordAudit(trx, ctx, { action: 'patrol_route.create', subjectType: 'patrol_route', subjectIds: [id], subjectUnitId: input.orgUnitId, detail: { name: set.name, mode: input.mode, points: input.geometry.coordinates.length } });
  });
  return presentRoute((await repo.routeInScope(deps.db, '/', id))!);
}

export async function updateRoute(deps: Deps, ctx: RequestContext, id: string, input: RouteInput) {
  const me = staffOf(ctx);
  const current = await repo.routeInScope(deps.db, me.scopePath, id);
  if (!current) throw notFound(NOT_FOUND_ROUTE);
  const { errors, set } = await checkRoute(deps, ctx, input, current);
  if (errors.length) throw validationError(errors);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateRoute(trx, id, set);
    await recordAudit(trx, ctx, { action: 'patrol_route.update', subjectType: 'patrol_route', subjectIds: [id], subjectUnitId: current.org_unit_id, detail: { changed: Object.keys(set) } });
  });
  return presentRoute((await repo.routeInScope(deps.db, '/', id))!);
}
