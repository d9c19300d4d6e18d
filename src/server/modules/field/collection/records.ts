import type { Deps } from '../../../deps.js';
import type { HousingTable } from '../../../db/schema.js';
import type { Selectable } from 'kysely';
import { staffOf, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { notFound, validationError } from '../../../platform/errors/index.js';
import { maskPhone } from '../../../platform/http/schemas.js';
import { maskedIdOf } from '../../population/present.js';
import { ageOn, todayCst } from '../../population/rules.js';
import { openTasksAt } from '../tasks/complete.js';
import { collectionRepository as repo } from './repository.js';
import { listCategories, presentItemType } from './types.js';

/** The most addresses one pack holds; above it the phone asks for one grid at a time. */
export const PACK_MAX_ADDRESSES = 5_000;
export const CHILDREN_MAX = 200;

const iso = (d: Date | string) => new Date(d).toISOString();

type ResidentRow = Awaited<ReturnType<typeof repo.currentResidents>>[number];
type UnitRow = Awaited<ReturnType<typeof repo.unitsAt>>[number];

export function presentHousing(h: Selectable<HousingTable>) {
  return {
    version: iso(h.updated_at),
    use: h.use,
    propertyType: h.property_type,
    ownerName: h.owner_name,
    ownerPhoneMasked: maskPhone(h.owner_phone),
    groupRental: h.group_rental,
    rooms: h.rooms,
    areaM2: h.area_m2 === null ? null : Number(h.area_m2),
    leaseFrom: h.lease_from,
    leaseTo: h.lease_to,
    rentalRegistration: h.rental_registration,
    starRating: h.star_rating,
  };
}

export function presentResident(r: ResidentRow, today: string) {
  return {
    residenceId: r.residence_id,
    personId: r.person_id,
    version: iso(r.updated_at),
    name: r.name,
    sex: r.sex,
    age: ageOn(r.birth_date, today),
    idMasked: maskedIdOf(r),
    personType: r.person_type,
    relation: r.relation,
    fromDate: r.from_date,
    phoneMasked: maskPhone(r.phone),
    expectedStayUntil: r.expected_stay_until,
  };
}

export function presentUnitRef(u: UnitRow) {
  return {
    id: u.id,
    version: iso(u.updated_at),
    name: u.name,
    unitType: u.unit_type,
    keyIndustry: u.key_industry,
    creditCode: u.credit_code,
    contactName: u.contact_name,
    contactPhoneMasked: maskPhone(u.contact_phone),
    status: u.status,
  };
}

const group = <T extends { address_id: string | null }>(rows: T[]) => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    if (!r.address_id) continue;
    const list = m.get(r.address_id);
    if (list) list.push(r);
    else m.set(r.address_id, [r]);
  }
  return m;
};

/**
 * The offline pack of the caller's grids (or one of them): addresses with their plates, and what is recorded at
 * each (housing, current residents masked, active units, last verification). Audited with its counts.
 */
export async function getPack(deps: Deps, ctx: RequestContext, gridId?: string) {
  const me = staffOf(ctx);
  const all = await repo.gridsInScope(deps.db, me.scopePath);
  let grids = all;
  if (gridId) {
    grids = all.filter((g) => g.id === gridId);
    if (grids.length === 0) throw notFound('网格不存在或不在您的辖区内');
  }
  const gridIds = grids.map((g) => g.id);
  const count = await repo.countAddresses(deps.db, gridIds);
  if (count > PACK_MAX_ADDRESSES) {
    const message = gridId
      ? `该网格有 ${count} 个地址，超过离线包上限 ${PACK_MAX_ADDRESSES} 个，请联系管理员拆分网格`
      : `辖区内共有 ${count} 个地址，超过离线包上限 ${PACK_MAX_ADDRESSES} 个，请按网格（gridId）分别下载`;
    throw validationError([{ field: 'gridId', message }], message);
  }
  const where = { gridIds };
  const none = gridIds.length === 0;
  const [addresses, residents, housing, units, checks, categories, itemTypes] = await Promise.all([
    none ? [] : repo.packAddresses(deps.db, gridIds),
    none ? [] : repo.currentResidents(deps.db, where),
    none ? [] : repo.housingOf(deps.db, where),
    none ? [] : repo.unitsAt(deps.db, where),
    none ? [] : repo.checksOf(deps.db, where),
    listCategories(deps, { activeOnly: true }),
    repo.itemTypes(deps.db, { status: 'active', activeCategoriesOnly: true }),
  ]);
  const today = todayCst();
  const byAddress = { residents: group(residents), units: group(units) };
  const housingBy = new Map(housing.map((h) => [h.address_id, h]));
  const checkBy = new Map(checks.map((c) => [c.address_id, c]));
  const records: Record<string, unknown> = {};
  for (const a of addresses) {
    const h = housingBy.get(a.id);
    const c = checkBy.get(a.id);
    records[a.id] = {
      housing: h ? presentHousing(h) : null,
      residents: (byAddress.residents.get(a.id) ?? []).map((r) => presentResident(r, today)),
      units: (byAddress.units.get(a.id) ?? []).map(presentUnitRef),
      checkedAt: c ? iso(c.last_checked_at) : null,
    };
  }
  await recordAudit(deps.db, ctx, {
    action: 'field.pack',
    subjectType: 'org_unit',
    subjectIds: gridIds,
    detail: { gridId: gridId ?? null, grids: gridIds.length, addresses: addresses.length, residents: residents.length, units: units.length, housing: housing.length },
  });
  return {
    generatedAt: new Date().toISOString(),
    grids: grids.map((g) => ({ id: g.id, code: g.code, name: g.name })),
    categories,
    itemTypes: itemTypes.map(presentItemType),
    addresses: addresses.map((a) => ({
      id: a.id,
      code: a.code,
      fullText: a.full_text,
      level: a.level,
      parentId: a.parent_id,
      gridId: a.grid_id,
      lng: a.lng,
      lat: a.lat,
      plateTokens: a.plate_tokens ?? [],
    })),
    records,
  };
}

/** What is recorded at one address in the caller's scope (by id, or by an active plate's token); audited. */
export async function addressRecord(deps: Deps, ctx: RequestContext, by: { addressId: string } | { plateToken: string }) {
  const me = staffOf(ctx);
  const missing = () => notFound('地址不存在或不在您的辖区内');
  const addressId = 'addressId' in by ? by.addressId : by.plateToken.length <= 128 ? await repo.addressOfPlate(deps.db, by.plateToken) : undefined;
  if (!addressId) throw missing();
  const a = await repo.addressInScope(deps.db, me.scopePath, addressId);
  if (!a) throw missing();
  const where = { addressId };
  const [residents, housing, units, checks, children, openTasks, pendingChanges] = await Promise.all([
    repo.currentResidents(deps.db, where),
    repo.housingOf(deps.db, where),
    repo.unitsAt(deps.db, where),
    repo.checksOf(deps.db, where),
    repo.childAddresses(deps.db, addressId, CHILDREN_MAX),
    openTasksAt(deps.db, addressId),
    repo.openChangesAt(deps.db, addressId),
  ]);
  const today = todayCst();
  const c = checks[0];
  await recordAudit(deps.db, ctx, {
    action: 'field.record.read',
    subjectType: 'person',
    subjectIds: residents.map((r) => r.person_id),
    subjectUnitId: a.grid_id,
    detail: { addressId, via: 'plateToken' in by ? 'plate' : 'address', residents: residents.length, units: units.length },
  });
  return {
    address: { id: a.id, code: a.code, fullText: a.full_text, level: a.level, gridId: a.grid_id, gridName: a.grid_name, lng: a.lng, lat: a.lat, status: a.status },
    checks: c ? { lastCheckedAt: iso(c.last_checked_at), lastCheckedByName: c.checked_by_name, count: c.check_count } : null,
    housing: housing[0] ? presentHousing(housing[0]) : null,
    residents: residents.map((r) => presentResident(r, today)),
    units: units.map(presentUnitRef),
    children: children.map((x) => ({ id: x.id, name: x.name, level: x.level, fullText: x.full_text })),
    openTasks,
    pendingChanges,
  };
}
