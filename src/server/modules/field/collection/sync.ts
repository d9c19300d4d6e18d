import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../../deps.js';
import type { FieldChangeKind, FieldChangeStatus, FieldItemStatus } from '../../../db/schema.js';
import { validateFormData } from '../../../../shared/forms.js';
import { staffOf, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { DomainError, type FieldError } from '../../../platform/errors/index.js';
import { parseIdNumber } from '../../../platform/ids/index.js';
import { todayCst } from '../../population/rules.js';
import { routeItem } from '../routing/route-item.js';
import { completeTasksFor } from '../tasks/complete.js';
import { CHANGE_KINDS } from './change-rules.js';
import { applyDirect, prepareChange, type ChangeOpInput } from './changes.js';
import { collectionRepository as repo, type ChangeRow, type ItemRow, type ItemTypeRow } from './repository.js';
import { isAhead } from '../../../platform/clock.js';

export const SYNC_MAX_OPS = 100;
export const MAX_PHOTOS = 9;
/** How old an op may be (how far ahead of the server's clock it may be: platform/clock.ts). */
export const MAX_AGE_MS = 30 * 86_400_000;

export type OpResult =
  | { clientId: string; status: 'created' | 'replayed'; kind: 'item'; id: string; itemStatus: FieldItemStatus; dispatches: number; tasksDone: string[] }
  | { clientId: string; status: 'created' | 'replayed'; kind: 'change'; id: string; changeStatus: FieldChangeStatus }
  | { clientId: string | null; status: 'rejected'; errors: FieldError[]; retryable?: boolean };

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/;
const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_RE.test(v);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const ITEM_KEYS = ['op', 'clientId', 'typeCode', 'addressId', 'taskId', 'correctionOf', 'data', 'note', 'photoIds', 'lng', 'lat', 'accuracyM', 'occurredAt'];
const CHANGE_KEYS = ['op', 'clientId', 'kind', 'addressId', 'targetId', 'baseVersion', 'data', 'note', 'occurredAt'];

interface ItemOpInput {
  clientId: string;
  typeCode: string;
  addressId?: string;
  taskId?: string;
  correctionOf?: string;
  data: Record<string, unknown>;
  note?: string;
  photoIds: string[];
  lng?: number;
  lat?: number;
  accuracyM?: number;
  occurredAt: Date;
}

/** The checks of an op's envelope (types, sizes, the time window); errors name fields relative to the op. */
function checkEnvelope(raw: Record<string, unknown>, now: number): { errors: FieldError[]; item?: ItemOpInput; change?: ChangeOpInput } {
  const errors: FieldError[] = [];
  const err = (field: string, message: string) => errors.push({ field, message });
  const op = raw.op;
  if (op !== 'item' && op !== 'change') {
    err('op', '操作类型须为 item 或 change');
    return { errors };
  }
  for (const k of Object.keys(raw)) if (!(op === 'item' ? ITEM_KEYS : CHANGE_KEYS).includes(k)) err(k, '不允许的字段');
  if (!isUuid(raw.clientId)) err('clientId', '须为 UUID');
  const optUuid = (k: string) => {
    if (raw[k] !== undefined && raw[k] !== null && !isUuid(raw[k])) err(k, '须为 UUID');
  };
  if (!isObject(raw.data)) err('data', '须为对象');
  if (raw.note !== undefined && raw.note !== null && (typeof raw.note !== 'string' || raw.note.length > 2000)) err('note', '备注最多 2000 个字');
  let occurredAt: Date | undefined;
  if (typeof raw.occurredAt !== 'string' || !ISO_RE.test(raw.occurredAt) || Number.isNaN(Date.parse(raw.occurredAt))) err('occurredAt', '须为 ISO 时间（如 2026-11-15T09:30:00+08:00）');
  else {
    occurredAt = new Date(raw.occurredAt);
    if (isAhead(occurredAt, now)) err('occurredAt', '发生时间不能晚于当前时间，请检查手机时间');
    else if (occurredAt.getTime() < now - MAX_AGE_MS) err('occurredAt', '发生时间超过 30 天，不能再补报');
  }
  const note = typeof raw.note === 'string' && raw.note.trim() ? raw.note.trim() : undefined;
  if (op === 'item') {
    if (typeof raw.typeCode !== 'string' || !raw.typeCode || raw.typeCode.length > 40) err('typeCode', '请选择事项类型');
    optUuid('addressId');
    optUuid('taskId');
    optUuid('correctionOf');
    let photoIds: string[] = [];
    if (raw.photoIds !== undefined && raw.photoIds !== null) {
      if (!Array.isArray(raw.photoIds)) err('photoIds', '须为图片编号列表');
      else if (raw.photoIds.length > MAX_PHOTOS) err('photoIds', `最多 ${MAX_PHOTOS} 张照片`);
      else {
        raw.photoIds.forEach((p, i) => {
          if (!isUuid(p)) err(`photoIds.${i}`, '须为 UUID');
          else if (raw.photoIds && (raw.photoIds as unknown[]).indexOf(p) !== i) err(`photoIds.${i}`, '照片重复');
        });
        photoIds = raw.photoIds as string[];
      }
    }
    const num = (k: string, min: number, max: number) => {
      const v = raw[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
        err(k, `须为 ${min} 到 ${max} 之间的数`);
        return undefined;
      }
      return v;
    };
    const lng = num('lng', -180, 180);
    const lat = num('lat', -90, 90);
    const accuracyM = num('accuracyM', 0, 100_000);
    if ((lng === undefined) !== (lat === undefined) && !errors.some((e) => e.field === 'lng' || e.field === 'lat')) err(lng === undefined ? 'lng' : 'lat', '经度与纬度须同时提供');
    if (errors.length) return { errors };
    return {
      errors,
      item: {
        clientId: raw.clientId as string,
        typeCode: raw.typeCode as string,
        addressId: (raw.addressId as string | null | undefined) ?? undefined,
        taskId: (raw.taskId as string | null | undefined) ?? undefined,
        correctionOf: (raw.correctionOf as string | null | undefined) ?? undefined,
        data: raw.data as Record<string, unknown>,
        note,
        photoIds,
        lng,
        lat,
        accuracyM,
        occurredAt: occurredAt!,
      },
    };
  }
  if (typeof raw.kind !== 'string' || !(CHANGE_KINDS as readonly string[]).includes(raw.kind)) err('kind', '变更类型无效');
  if (!isUuid(raw.addressId)) err('addressId', '请选择地址');
  optUuid('targetId');
  if (raw.baseVersion !== undefined && raw.baseVersion !== null && (typeof raw.baseVersion !== 'string' || raw.baseVersion.length > 40)) err('baseVersion', '版本格式不正确');
  if (errors.length) return { errors };
  return {
    errors,
    change: {
      clientId: raw.clientId as string,
      kind: raw.kind as FieldChangeKind,
      addressId: raw.addressId as string,
      targetId: (raw.targetId as string | null | undefined) ?? undefined,
      baseVersion: (raw.baseVersion as string | null | undefined) ?? undefined,
      data: raw.data as Record<string, unknown>,
      note,
      occurredAt: occurredAt!,
    },
  };
}

/** What a request's ops share: the types and the worker's grant, read once. */
interface Session {
  types: Map<string, ItemTypeRow | null>;
  direct?: boolean;
  unit?: { id: string; county_code: string | null };
}

async function typeOf(deps: Deps, s: Session, code: string) {
  if (!s.types.has(code)) s.types.set(code, (await repo.itemTypeByCode(deps.db, code)) ?? null);
  return s.types.get(code) ?? null;
}

const checkIdNumber = (v: string) => {
  const r = parseIdNumber(v, { allowLegacy: false, today: todayCst() });
  return r.ok ? null : r.message;
};

async function itemResult(deps: Deps, row: ItemRow, status: 'created' | 'replayed', known?: { dispatches: number; tasksDone: string[] }): Promise<OpResult> {
  const o = await repo.itemOutcome(deps.db, row.id);
  return { clientId: row.client_id, status, kind: 'item', id: row.id, itemStatus: o.status, dispatches: known?.dispatches ?? o.dispatches, tasksDone: known?.tasksDone ?? o.tasksDone };
}

const changeResult = (row: ChangeRow, status: 'created' | 'replayed', changeStatus = row.status): OpResult => ({ clientId: row.client_id, status, kind: 'change', id: row.id, changeStatus });

async function syncItem(deps: Deps, ctx: RequestContext, s: Session, op: ItemOpInput): Promise<OpResult> {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const type = await typeOf(deps, s, op.typeCode);
  if (!type || type.status !== 'active') errors.push({ field: 'typeCode', message: '事项类型不存在或已停用' });
  else {
    const v = validateFormData(type.form_schema, op.data, { checkIdNumber });
    errors.push(...v.errors);
    op.data = v.clean;
    if (type.needs_address && !op.addressId) errors.push({ field: 'addressId', message: `“${type.name}”须选择地址（扫门牌或从列表选择）` });
    if (type.needs_photo && op.photoIds.length === 0) errors.push({ field: 'photoIds', message: `“${type.name}”须拍摄照片` });
    if (type.needs_location && (op.lng === undefined || op.lat === undefined)) errors.push({ field: 'lng', message: `“${type.name}”须提供定位，请打开手机定位后重试` });
  }
  const address = op.addressId ? await repo.addressInScope(deps.db, me.scopePath, op.addressId) : undefined;
  if (op.addressId && !address) errors.push({ field: 'addressId', message: '地址不存在或不在您的辖区内' });
  else if (address && address.status !== 'active') errors.push({ field: 'addressId', message: '该地址已停用' });
  if (op.photoIds.length) {
    const found = new Map((await repo.attachmentsMeta(deps.db, op.photoIds)).map((a) => [a.id, a]));
    op.photoIds.forEach((id, i) => {
      const a = found.get(id);
      if (!a || a.worker_id !== me.userId) errors.push({ field: `photoIds.${i}`, message: '照片尚未上传成功，请重新上传' });
    });
  }
  if (op.taskId) {
    const t = await repo.taskById(deps.db, op.taskId);
    if (!t || !t.grid_path.startsWith(me.scopePath) || (t.worker_id !== null && t.worker_id !== me.userId)) errors.push({ field: 'taskId', message: '任务不存在或不是您的任务' });
  }
  if (op.correctionOf) {
    const prior = await repo.itemById(deps.db, op.correctionOf);
    if (!prior || prior.worker_id !== me.userId) errors.push({ field: 'correctionOf', message: '被更正的事项不存在或不是您采集的' });
  }
  if (errors.length || !type) return { clientId: op.clientId, status: 'rejected', errors };

  let unit: { id: string; county: string } | undefined;
  if (address) unit = { id: address.grid_id, county: address.county_code };
  else {
    s.unit ??= await repo.orgUnit(deps.db, me.orgUnitId);
    if (!s.unit?.county_code) return { clientId: op.clientId, status: 'rejected', errors: [{ field: 'addressId', message: '您的账号不属于具体辖区，请选择地址' }] };
    unit = { id: s.unit.id, county: s.unit.county_code };
  }

  const id = uuidv7();
  const outcome = await deps.db.transaction().execute(async (trx) => {
    const row = await repo.insertItem(trx, {
      id,
      client_id: op.clientId,
      worker_id: me.userId,
      type_code: type.code,
      type_version: type.version,
      category_code: type.category_code,
      org_unit_id: unit.id,
      county_code: unit.county,
      address_id: address?.id ?? null,
      task_id: op.taskId ?? null,
      correction_of: op.correctionOf ?? null,
      data: JSON.stringify(op.data),
      note: op.note ?? null,
      photo_ids: op.photoIds,
      lng: op.lng ?? null,
      lat: op.lat ?? null,
      accuracy_m: op.accuracyM ?? null,
      occurred_at: op.occurredAt,
    });
    // a concurrent send of the same op won: nothing else to do here, the winner is read below
    if (!row) return undefined;
    if (type.code === 'address_verify' && address) await repo.recordAddressCheck(trx, address.id, op.occurredAt, me.userId, row.id);
    const dispatches = await routeItem(trx, row);
    const tasksDone = await completeTasksFor(trx, row);
    await recordAudit(trx, ctx, {
      action: 'field.item.create',
      subjectType: 'field_item',
      subjectIds: [row.id],
      subjectUnitId: unit.id,
      detail: { typeCode: type.code, clientId: op.clientId, addressId: address?.id ?? null, photos: op.photoIds.length, dispatches, tasksDone },
    });
    return { row, dispatches, tasksDone };
  });
  if (!outcome) return itemResult(deps, (await repo.itemByClient(deps.db, me.userId, op.clientId))!, 'replayed');
  return itemResult(deps, outcome.row, 'created', outcome);
}

async function syncChange(deps: Deps, ctx: RequestContext, s: Session, op: ChangeOpInput): Promise<OpResult> {
  const me = staffOf(ctx);
  const r = await prepareChange(deps, ctx, op);
  if ('errors' in r) {
    // a concurrent send of the same op may have changed what the checks see (a direct change applied)
    const winner = await repo.changeByClient(deps.db, me.userId, op.clientId);
    if (winner) return changeResult(winner, 'replayed');
    return { clientId: op.clientId, status: 'rejected', errors: r.errors };
  }
  const p = r.prepared;
  s.direct ??= !!(await repo.grantOf(deps.db, me.userId));
  const id = uuidv7();
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await repo.insertChange(trx, {
      id,
      client_id: op.clientId,
      worker_id: me.userId,
      kind: op.kind,
      org_unit_id: p.address.grid_id,
      county_code: p.address.county_code,
      address_id: p.address.id,
      target_id: op.targetId ?? null,
      base_version: op.baseVersion ?? null,
      payload: JSON.stringify({ ...p.payload, note: op.note ?? null }),
      id_blinds: p.idBlinds,
      summary: p.summary,
      status: p.conflict ? 'conflict' : 'pending',
      direct: s.direct,
      conflict: p.conflict ? JSON.stringify(p.conflict) : null,
      occurred_at: op.occurredAt,
    });
    if (!inserted) return undefined;
    await recordAudit(trx, ctx, {
      action: 'field.change.create',
      subjectType: 'field_change',
      subjectIds: [inserted.id, ...(op.targetId ? [op.targetId] : [])],
      subjectUnitId: p.address.grid_id,
      detail: { kind: op.kind, clientId: op.clientId, addressId: p.address.id, direct: s.direct, conflict: !!p.conflict },
    });
    return inserted;
  });
  if (!row) return changeResult((await repo.changeByClient(deps.db, me.userId, op.clientId))!, 'replayed');
  if (row.status === 'pending' && s.direct) return changeResult(row, 'created', await applyDirect(deps, ctx, row));
  return changeResult(row, 'created');
}

async function syncOne(deps: Deps, ctx: RequestContext, s: Session, raw: unknown, now: number): Promise<OpResult> {
  const me = staffOf(ctx);
  if (!isObject(raw)) return { clientId: null, status: 'rejected', errors: [{ field: '', message: '操作须为对象' }] };
  const clientId = isUuid(raw.clientId) ? raw.clientId : null;
  // a replay returns what the first send got, whatever the body says now
  if (clientId) {
    const item = await repo.itemByClient(deps.db, me.userId, clientId);
    if (item) return itemResult(deps, item, 'replayed');
    const change = await repo.changeByClient(deps.db, me.userId, clientId);
    if (change) return changeResult(change, 'replayed');
  }
  const env = checkEnvelope(raw, now);
  if (env.errors.length) return { clientId, status: 'rejected', errors: env.errors };
  return env.item ? syncItem(deps, ctx, s, env.item) : syncChange(deps, ctx, s, env.change!);
}

/**
 * Applies the phone's queued operations in order, each on its own: one op failing never fails the others, and a
 * replayed op (same worker and clientId) returns its stored result (docs/api-field.md "Sync").
 */
export async function sync(deps: Deps, ctx: RequestContext, ops: unknown[]): Promise<{ results: OpResult[] }> {
  const s: Session = { types: new Map() };
  const now = Date.now();
  const results: OpResult[] = [];
  for (const [i, raw] of ops.entries()) {
    try {
      results.push(await syncOne(deps, ctx, s, raw, now));
    } catch (e) {
      const clientId = isObject(raw) && isUuid(raw.clientId) ? raw.clientId : null;
      if (e instanceof DomainError) {
        results.push({ clientId, status: 'rejected', errors: e.errors?.length ? e.errors : [{ field: '', message: e.detail ?? '操作无法处理' }] });
        continue;
      }
      deps.log.error({ err: e, op: i }, 'field sync op failed');
      results.push({ clientId, status: 'rejected', errors: [{ field: '', message: '服务器暂时无法处理该操作，请稍后重试' }], retryable: true });
    }
  }
  return { results };
}
