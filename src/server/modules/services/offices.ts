import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { OpeningPeriod } from '../../db/schema.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { normalizePhone } from '../population/rules.js';
import { servicesRepository as repo, type OfficeRow, type OfficeValues } from './repository.js';
import { checkHours, hoursText, OFFICE_KIND_NAMES, OFFICE_UNIT_KINDS, openAt, optText, sortHours, type OfficeKind } from './rules.js';

const NOT_FOUND_OFFICE = '警务室不存在或不在您的辖区内';

/** An office as residents see it (`Office` of docs/api-portal.md). */
export function presentOffice(o: OfficeRow, now = new Date()) {
  const hours = sortHours(o.hours ?? []);
  return {
    id: o.id,
    kind: o.kind,
    kindName: OFFICE_KIND_NAMES[o.kind],
    name: o.name,
    address: o.address,
    phone: o.phone,
    lng: o.lng,
    lat: o.lat,
    hours,
    hoursText: hoursText(hours),
    hoursNote: o.hours_note,
    openNow: o.status === 'active' && openAt(hours, now),
  };
}
export type Office = ReturnType<typeof presentOffice>;

/** The staff view: the public one with its unit and status. */
export function presentStaffOffice(o: OfficeRow) {
  return {
    ...presentOffice(o),
    orgUnit: { id: o.org_unit_id, name: o.org_unit_name },
    status: o.status,
    createdAt: new Date(o.created_at).toISOString(),
    updatedAt: new Date(o.updated_at).toISOString(),
  };
}

export interface OfficeInput {
  orgUnitId?: string;
  kind?: OfficeKind;
  name?: string;
  address?: string | null;
  lng?: number | null;
  lat?: number | null;
  phone?: string | null;
  hours?: OpeningPeriod[];
  hoursNote?: string | null;
  status?: 'active' | 'inactive';
}

/** Field rules shared by create and update; `current` is the office being edited. */
async function check(deps: Deps, scopePath: string, input: OfficeInput, current?: OfficeRow): Promise<Partial<OfficeValues>> {
  const errors: FieldError[] = [];
  const set: Partial<OfficeValues> = {};
  let unitKind: string | undefined;
  if (input.orgUnitId !== undefined) {
    const u = await repo.unitInScope(deps.db, scopePath, input.orgUnitId);
    if (!u) errors.push({ field: 'orgUnitId', message: '所属单位不存在或不在您的辖区内' });
    else {
      unitKind = u.kind;
      set.org_unit_id = u.id;
    }
  } else if (current) unitKind = (await repo.unit(deps.db, current.org_unit_id))?.kind;
  const kind = input.kind ?? current?.kind;
  if (input.kind !== undefined) set.kind = input.kind;
  if (kind && unitKind && !OFFICE_UNIT_KINDS[kind].includes(unitKind)) {
    const where = { station: '派出所', office: '社区警务区', post: '分局、派出所、社区警务区或网格' }[kind];
    errors.push({ field: input.orgUnitId !== undefined ? 'orgUnitId' : 'kind', message: `${OFFICE_KIND_NAMES[kind]}只能设在${where}` });
  }
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length < 2) errors.push({ field: 'name', message: '名称至少 2 个字' });
    set.name = name;
  }
  if (input.address !== undefined) set.address = optText(input.address) ?? null;
  if (input.lng !== undefined || input.lat !== undefined) {
    const lng = input.lng !== undefined ? input.lng : (current?.lng ?? null);
    const lat = input.lat !== undefined ? input.lat : (current?.lat ?? null);
    if ((lng === null) !== (lat === null)) errors.push({ field: lng === null ? 'lng' : 'lat', message: '经度和纬度须同时填写' });
    if (lng !== null && (lng < 73 || lng > 136)) errors.push({ field: 'lng', message: '经度超出范围（73–136）' });
    if (lat !== null && (lat < 3 || lat > 54)) errors.push({ field: 'lat', message: '纬度超出范围（3–54）' });
    set.lng = lng;
    set.lat = lat;
  }
  if (input.phone !== undefined) {
    const ph = normalizePhone('phone', input.phone);
    if ('error' in ph) errors.push(ph.error);
    else set.phone = ph.value;
  }
  if (input.hours !== undefined) {
    errors.push(...checkHours(input.hours));
    set.hours = sortHours(input.hours);
  }
  if (input.hoursNote !== undefined) set.hours_note = optText(input.hoursNote) ?? null;
  if (input.status !== undefined) set.status = input.status;
  if (errors.length) throw validationError(errors);
  return set;
}

/** Offices of the units in scope; `orgUnitId` narrows to that unit's subtree. */
export async function listOffices(deps: Deps, ctx: RequestContext, f: { orgUnitId?: string }) {
  const me = staffOf(ctx);
  let under: string | undefined;
  if (f.orgUnitId) {
    const u = await repo.unitInScope(deps.db, me.scopePath, f.orgUnitId);
    if (!u) throw notFound('单位不存在或不在您的辖区内');
    under = u.path;
  }
  return (await repo.officesInScope(deps.db, me.scopePath, under)).map(presentStaffOffice);
}

export async function createOffice(deps: Deps, ctx: RequestContext, input: OfficeInput & { orgUnitId: string; kind: OfficeKind; name: string; hours: OpeningPeriod[] }) {
  const me = staffOf(ctx);
  const set = await check(deps, me.scopePath, input);
  const id = uuidv7();
  const values: OfficeValues = {
    org_unit_id: set.org_unit_id!,
    kind: input.kind,
    name: set.name!,
    address: set.address ?? null,
    lng: set.lng ?? null,
    lat: set.lat ?? null,
    phone: set.phone ?? null,
    hours: set.hours ?? [],
    hours_note: set.hours_note ?? null,
    status: set.status ?? 'active',
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertOffice(trx, id, values);
    await recordAudit(trx, ctx, { action: 'office.create', subjectType: 'police_office', subjectIds: [id], subjectUnitId: values.org_unit_id, detail: { kind: values.kind, name: values.name } });
  });
  return presentStaffOffice((await repo.office(deps.db, id))!);
}

export async function updateOffice(deps: Deps, ctx: RequestContext, id: string, input: OfficeInput) {
  const me = staffOf(ctx);
  const current = await repo.officeInScope(deps.db, me.scopePath, id);
  if (!current) throw notFound(NOT_FOUND_OFFICE);
  const set = await check(deps, me.scopePath, input, current);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateOffice(trx, id, set);
    await recordAudit(trx, ctx, { action: 'office.update', subjectType: 'police_office', subjectIds: [id], subjectUnitId: current.org_unit_id, detail: { fields: Object.keys(input) } });
  });
  return presentStaffOffice((await repo.office(deps.db, id))!);
}

/** An office in the caller's scope, or 404. */
export async function officeInScope(deps: Deps, ctx: RequestContext, id: string): Promise<OfficeRow> {
  const o = await repo.officeInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!o) throw notFound(NOT_FOUND_OFFICE);
  return o;
}
