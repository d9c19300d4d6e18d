import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import type { FieldError } from '../../platform/errors/index.js';
import { normalizePhone } from '../population/rules.js';
import { incidentsRepository as repo, type CategoryRow, type UnitRef } from './repository.js';
import { AlreadyRecorded, recordIncident, resolvePlacement, type NewIncident } from './service.js';
import { isAhead } from '../../platform/clock.js';

/**
 * 110 接处警 records from the dispatch system, by API (`POST /api/v1/incidents/intake`, ≤ 500 a batch) or by CSV
 * (the import kind `incidents`). Idempotent by 接警单号 (external_no, unique for source 110): a record already
 * stored is `unchanged`, and a concurrent twin that loses the race on the unique index is reported the same way.
 */
export interface Record110 {
  externalNo: string;
  occurredAt: Date;
  reportedAt?: Date;
  /** A category code (the API) or a code or name (the CSV). */
  category: string;
  unitCode: string;
  place?: string;
  addressCode?: string;
  lat?: number;
  lng?: number;
  summary: string;
  callerName?: string;
  callerPhone?: string;
}

export type RecordResult = { externalNo: string; status: 'created' | 'unchanged'; id: string } | { externalNo: string; status: 'error'; errors: FieldError[] };

/** Look-ups for a batch: categories, units and addresses by code, and what is stored already. */
export async function batchLookups(deps: Deps, records: Array<Pick<Record110, 'externalNo' | 'category' | 'unitCode' | 'addressCode'>>) {
  const cats = await repo.categoriesByCodesOrNames(deps.db, [...new Set(records.map((r) => r.category))]);
  const units = new Map((await repo.unitsByCodes(deps.db, [...new Set(records.map((r) => r.unitCode))])).map((u) => [u.code, u]));
  const addresses = new Map((await repo.addressesByCodes(deps.db, [...new Set(records.flatMap((r) => (r.addressCode ? [r.addressCode] : [])))])).map((a) => [a.code, a]));
  const stored = new Map((await repo.byExternalNos(deps.db, [...new Set(records.map((r) => r.externalNo))])).map((x) => [x.external_no!, x]));
  return { cats, units, addresses, stored };
}

export type Lookups = Awaited<ReturnType<typeof batchLookups>>;

function categoryOf(cats: CategoryRow[], key: string): CategoryRow | undefined {
  return cats.find((c) => c.code === key) ?? cats.find((c) => c.name === key && c.parent_id !== null) ?? cats.find((c) => c.name === key);
}

/** A record already stored: `unchanged` inside the caller's jurisdiction, else an error that reveals nothing more. */
export function storedResult(scopePath: string, r: { externalNo: string }, stored: { id: string; org_path: string }): RecordResult {
  if (stored.org_path.startsWith(scopePath)) return { externalNo: r.externalNo, status: 'unchanged', id: stored.id };
  return { externalNo: r.externalNo, status: 'error', errors: [{ field: 'externalNo', message: '该接警单号已由其他单位登记' }] };
}

/** Checks one record against the registry; errors name the record's own fields. */
export async function checkRecord(deps: Deps, ctx: RequestContext, r: Record110, l: Lookups): Promise<{ incident: NewIncident } | { errors: FieldError[] }> {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const cat = categoryOf(l.cats, r.category);
  if (!cat) errors.push({ field: 'categoryCode', message: `警情类别“${r.category}”不存在` });
  else if (cat.status !== 'active') errors.push({ field: 'categoryCode', message: `警情类别“${cat.name}”已停用` });
  const unit: UnitRef | undefined = l.units.get(r.unitCode);
  if (!unit || !unit.path.startsWith(me.scopePath)) errors.push({ field: 'unitCode', message: '管辖单位代码不存在或不在您的辖区内' });
  else if (unit.kind === 'city_bureau') errors.push({ field: 'unitCode', message: '管辖单位应为分局及以下单位' });
  const address = r.addressCode ? l.addresses.get(r.addressCode) : undefined;
  if (r.addressCode && (!address || !address.grid_path.startsWith(me.scopePath))) errors.push({ field: 'addressCode', message: '标准地址编码不存在或不在您的辖区内' });
  if (Number.isNaN(r.occurredAt.getTime())) errors.push({ field: 'occurredAt', message: '发生时间格式不正确' });
  else if (isAhead(r.occurredAt)) errors.push({ field: 'occurredAt', message: '发生时间不能晚于当前时间' });
  if (r.reportedAt && (Number.isNaN(r.reportedAt.getTime()) || isAhead(r.reportedAt))) errors.push({ field: 'reportedAt', message: '报警时间格式不正确或晚于当前时间' });
  const summary = r.summary.trim();
  if (!summary) errors.push({ field: 'summary', message: '简要警情不能为空' });
  const phone = normalizePhone('callerPhone', r.callerPhone);
  if ('error' in phone) errors.push(phone.error);
  if ((r.lat === undefined) !== (r.lng === undefined)) errors.push({ field: r.lat === undefined ? 'lat' : 'lng', message: '经度和纬度须同时填写' });
  if (errors.length) return { errors };
  const placed = await resolvePlacement(
    deps,
    ctx,
    { addressId: address?.id, lat: r.lat, lng: r.lng, orgUnitId: unit!.id },
    (f) => ({ addressId: 'addressCode', orgUnitId: 'unitCode', lat: 'lat', lng: 'lng' })[f],
  );
  if ('errors' in placed) return { errors: placed.errors };
  return {
    incident: {
      source: '110',
      categoryId: cat!.id,
      occurredAt: r.occurredAt,
      reportedAt: r.reportedAt ?? r.occurredAt,
      placement: placed.placement,
      place: r.place?.trim() || address?.full_text || null,
      summary,
      callerName: r.callerName?.trim() || null,
      callerPhone: 'value' in phone ? phone.value : null,
      externalNo: r.externalNo,
    },
  };
}

/** Stores one checked record; a twin that won the race makes it `unchanged`. */
export async function storeRecord(deps: Deps, ctx: RequestContext, r: Record110, incident: NewIncident): Promise<RecordResult> {
  try {
    return { externalNo: r.externalNo, status: 'created', id: await recordIncident(deps, ctx, incident) };
  } catch (e) {
    if (!(e instanceof AlreadyRecorded)) throw e;
    const [stored] = await repo.byExternalNos(deps.db, [r.externalNo]);
    return storedResult(staffOf(ctx).scopePath, r, stored);
  }
}

export interface IntakeRecord {
  externalNo: string;
  occurredAt: string;
  reportedAt?: string;
  categoryCode: string;
  unitCode: string;
  place?: string;
  addressCode?: string;
  lat?: number;
  lng?: number;
  summary: string;
  callerName?: string;
  callerPhone?: string;
}

/** The 110 API: each record checked and stored on its own; the results in the order sent. */
export async function intake(deps: Deps, ctx: RequestContext, records: IntakeRecord[]) {
  const scope = staffOf(ctx).scopePath;
  const rows: Record110[] = records.map((r) => ({
    externalNo: r.externalNo.trim(),
    occurredAt: new Date(r.occurredAt),
    reportedAt: r.reportedAt ? new Date(r.reportedAt) : undefined,
    category: r.categoryCode.trim(),
    unitCode: r.unitCode.trim(),
    place: r.place,
    addressCode: r.addressCode?.trim() || undefined,
    lat: r.lat,
    lng: r.lng,
    summary: r.summary,
    callerName: r.callerName,
    callerPhone: r.callerPhone,
  }));
  const l = await batchLookups(deps, rows);
  const results: RecordResult[] = [];
  const done = new Map<string, RecordResult>();
  for (const [n, r] of rows.entries()) {
    const prefix = (f: string) => `records.${n}.${f}`;
    if (!r.externalNo) {
      results.push({ externalNo: r.externalNo, status: 'error', errors: [{ field: prefix('externalNo'), message: '接警单号不能为空' }] });
      continue;
    }
    const twin = done.get(r.externalNo);
    const stored = l.stored.get(r.externalNo);
    let res: RecordResult;
    if (twin && twin.status !== 'error') res = { externalNo: r.externalNo, status: 'unchanged', id: twin.id };
    else if (stored) res = storedResult(scope, r, stored);
    else {
      const c = await checkRecord(deps, ctx, r, l);
      res = 'errors' in c ? { externalNo: r.externalNo, status: 'error', errors: c.errors } : await storeRecord(deps, ctx, r, c.incident);
    }
    if (res.status === 'error') res = { ...res, errors: res.errors.map((e) => ({ field: prefix(e.field), message: e.message })) };
    done.set(r.externalNo, res);
    results.push(res);
  }
  return {
    results,
    created: results.filter((r) => r.status === 'created').length,
    unchanged: results.filter((r) => r.status === 'unchanged').length,
    errors: results.filter((r) => r.status === 'error').length,
  };
}
