import { v7 as uuidv7 } from 'uuid';
import type { Selectable } from 'kysely';
import type { Deps } from '../../deps.js';
import type { HousingTable } from '../../db/schema.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { maskedIdOf } from './present.js';
import { populationRepository as repo, type PersonRow } from './repository.js';
import { DWELLING_LEVELS, HOUSING_USE_NAMES, normalizePhone, PROPERTY_TYPE_NAMES, todayCst, type HousingUse, type PropertyType, type RentalRegistration } from './rules.js';

export interface HousingInput {
  ownerPersonId?: string | null;
  ownerName?: string | null;
  ownerPhone?: string | null;
  propertyType?: PropertyType;
  use: HousingUse;
  groupRental?: boolean;
  areaM2?: number | null;
  rooms?: number | null;
  landlordPersonId?: string | null;
  leaseFrom?: string | null;
  leaseTo?: string | null;
  rentalRegistration?: RentalRegistration | null;
  starRating?: number | null;
}

const personRef = (p: PersonRow | undefined) => (p ? { id: p.id, name: p.name, idNumber: maskedIdOf(p), phone: p.phone } : null);

function present(h: Selectable<HousingTable>, people: Map<string, PersonRow>, today: string) {
  return {
    id: h.id,
    addressId: h.address_id,
    owner: { person: h.owner_person_id ? personRef(people.get(h.owner_person_id)) : null, name: h.owner_name, phone: h.owner_phone },
    propertyType: h.property_type,
    propertyTypeName: PROPERTY_TYPE_NAMES[h.property_type],
    use: h.use,
    useName: HOUSING_USE_NAMES[h.use],
    groupRental: h.group_rental,
    areaM2: h.area_m2 === null ? null : Number(h.area_m2),
    rooms: h.rooms,
    landlord: h.landlord_person_id ? personRef(people.get(h.landlord_person_id)) : null,
    leaseFrom: h.lease_from,
    leaseTo: h.lease_to,
    leaseExpired: h.use === 'rent' && !!h.lease_to && h.lease_to < today,
    rentalRegistration: h.rental_registration,
    starRating: h.star_rating,
    updatedAt: new Date(h.updated_at).toISOString(),
  };
}

async function housingAddress(deps: Deps, ctx: RequestContext, addressId: string) {
  const address = await repo.addressInScope(deps.db, staffOf(ctx).scopePath, addressId);
  if (!address) throw notFound('地址不存在或不在您的辖区内');
  return address;
}

async function load(deps: Deps, addressId: string) {
  const h = await repo.housingByAddress(deps.db, addressId);
  const ids = h ? [...new Set([h.owner_person_id, h.landlord_person_id].filter((x): x is string => !!x))] : [];
  const people = new Map((await repo.personsByIds(deps.db, ids)).map((p) => [p.id, p]));
  return { h, ids, people };
}

/**
 * Records the actual housing of a room or house (实有房屋), replacing what was recorded. A rental (出租) needs a
 * landlord and a lease period that ends after it starts; rental fields are refused for any other use.
 */
export async function putHousing(deps: Deps, ctx: RequestContext, addressId: string, input: HousingInput) {
  const me = staffOf(ctx);
  const address = await housingAddress(deps, ctx, addressId);
  const errors: FieldError[] = [];
  if (!(DWELLING_LEVELS as readonly string[]).includes(address.level)) {
    errors.push({ field: 'addressId', message: '实有房屋登记到门牌、楼栋、单元、楼层或户室一级的地址' });
  }
  const rent = input.use === 'rent';
  if (rent) {
    if (!input.landlordPersonId) errors.push({ field: 'landlordPersonId', message: '出租房屋须登记房东（出租人）' });
    if (!input.leaseFrom) errors.push({ field: 'leaseFrom', message: '出租房屋须填写租赁起始日期' });
    if (!input.leaseTo) errors.push({ field: 'leaseTo', message: '出租房屋须填写租赁结束日期' });
    if (input.leaseFrom && input.leaseTo && input.leaseTo <= input.leaseFrom) errors.push({ field: 'leaseTo', message: '租赁结束日期须晚于开始日期' });
  } else {
    for (const f of ['landlordPersonId', 'leaseFrom', 'leaseTo', 'rentalRegistration'] as const) {
      if (input[f]) errors.push({ field: f, message: '仅出租房屋填写房东、租期与出租登记' });
    }
    if (input.groupRental) errors.push({ field: 'groupRental', message: '群租仅适用于出租房屋' });
  }
  for (const [field, id] of [
    ['ownerPersonId', input.ownerPersonId],
    ['landlordPersonId', input.landlordPersonId],
  ] as const) {
    if (id && !(await repo.personInScope(deps.db, me.scopePath, id))) errors.push({ field, message: '人员不存在或不在您的辖区内，请先登记该人员' });
  }
  const phone = normalizePhone('ownerPhone', input.ownerPhone);
  if ('error' in phone) errors.push(phone.error);
  if (errors.length) throw validationError(errors);

  const existing = await repo.housingByAddress(deps.db, addressId);
  await deps.db.transaction().execute(async (trx) => {
    await repo.upsertHousing(trx, {
      id: existing?.id ?? uuidv7(),
      address_id: addressId,
      owner_person_id: input.ownerPersonId ?? null,
      owner_name: input.ownerName?.trim() || null,
      owner_phone: (phone as { value: string | null }).value,
      property_type: input.propertyType ?? 'commercial',
      use: input.use,
      group_rental: rent ? !!input.groupRental : false,
      area_m2: input.areaM2 ?? null,
      rooms: input.rooms ?? null,
      landlord_person_id: rent ? input.landlordPersonId! : null,
      lease_from: rent ? input.leaseFrom! : null,
      lease_to: rent ? input.leaseTo! : null,
      rental_registration: rent ? (input.rentalRegistration ?? 'unregistered') : null,
      star_rating: input.starRating ?? null,
    });
    await recordAudit(trx, ctx, {
      action: existing ? 'housing.update' : 'housing.create',
      subjectType: 'address',
      subjectIds: [addressId, ...new Set([input.ownerPersonId, input.landlordPersonId].filter((x): x is string => !!x))],
      subjectUnitId: address.grid_id,
      detail: { use: input.use, groupRental: rent ? !!input.groupRental : false, rentalRegistration: rent ? (input.rentalRegistration ?? 'unregistered') : null },
    });
  });
  const { h, people } = await load(deps, addressId);
  return { address: { id: address.id, fullText: address.full_text }, housing: present(h!, people, todayCst()) };
}

/** The housing record of an address (null when none was recorded); names owner and landlord, so it is audited. */
export async function getHousing(deps: Deps, ctx: RequestContext, addressId: string) {
  const address = await housingAddress(deps, ctx, addressId);
  const { h, ids, people } = await load(deps, addressId);
  await recordAudit(deps.db, ctx, { action: 'housing.view', subjectType: 'address', subjectIds: [addressId, ...ids], subjectUnitId: address.grid_id });
  return { address: { id: address.id, fullText: address.full_text }, housing: h ? present(h, people, todayCst()) : null };
}
