import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, DomainError, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { presentResidence, presentResident } from './present.js';
import { populationRepository as repo } from './repository.js';
import { todayCst, type Relation } from './rules.js';
import { dwellingAddress, NOT_FOUND_PERSON, uniqueViolation } from './service.js';

export interface MoveInInput {
  addressId: string;
  relation: Relation;
  fromDate: string;
  /** A past residence (history entry): the move-out day. Absent for the residence that is current. */
  toDate?: string;
  /** Close the residence that is current now, on `fromDate`. Without it a current residence elsewhere is a 409. */
  closePrevious?: boolean;
  source?: string;
}

const HOUSEHOLDER_TAKEN = '该地址已登记户主，请选择与户主的关系';

/**
 * Records that a person lives at an address from `fromDate`. A residence is the half-open period
 * [fromDate, toDate): the move-out day is the first day the person no longer lives there. A new current
 * residence makes the person's record follow the address's grid.
 */
export async function moveIn(deps: Deps, ctx: RequestContext, personId: string, input: MoveInInput) {
  const me = staffOf(ctx);
  const p = await repo.personInScope(deps.db, me.scopePath, personId);
  if (!p) throw notFound(NOT_FOUND_PERSON);
  const today = todayCst();
  const errors: FieldError[] = [];
  const a = await dwellingAddress(deps, me.scopePath, input.addressId, 'addressId');
  if ('error' in a) errors.push(a.error);
  if (input.fromDate > today) errors.push({ field: 'fromDate', message: '迁入日期不能晚于今天' });
  if (p.birth_date && input.fromDate < p.birth_date) errors.push({ field: 'fromDate', message: '迁入日期不能早于出生日期' });
  if (input.toDate !== undefined) {
    if (input.toDate < input.fromDate) errors.push({ field: 'toDate', message: '迁出日期不能早于迁入日期' });
    if (input.toDate > today) errors.push({ field: 'toDate', message: '迁出日期不能晚于今天' });
    if (input.closePrevious) errors.push({ field: 'closePrevious', message: '补录历史居住记录时不关闭现住址' });
  }
  if (errors.length) throw validationError(errors);
  const address = (a as { address: NonNullable<Awaited<ReturnType<typeof repo.addressInScope>>> }).address;
  const isCurrent = input.toDate === undefined;

  const overlapping = await repo.overlappingResidences(deps.db, personId, input.fromDate, input.toDate ?? null);
  const toClose = isCurrent ? overlapping.filter((r) => r.to_date === null) : [];
  if (toClose.some((r) => r.address_id === address.id)) throw conflict('该人员已登记居住在此地址', 'addressId');
  if (toClose.length && !input.closePrevious) {
    throw new DomainError(
      'conflict',
      409,
      '该人员当前另有住址：迁入新住址前请确认迁出原住址（closePrevious: true），原住址的居住记录将于迁入日期结束',
      [{ field: 'closePrevious', message: '该人员当前另有住址，须确认迁出原住址' }],
      { currentResidenceIds: toClose.map((r) => r.id) },
    );
  }
  for (const r of toClose) {
    if (r.from_date > input.fromDate) throw validationError([{ field: 'fromDate', message: `迁入日期不能早于原住址的迁入日期 ${r.from_date}` }]);
  }
  const clash = overlapping.find((r) => !toClose.includes(r));
  if (clash) throw conflict(`与已有居住记录（${clash.from_date} 至 ${clash.to_date ?? '今'}）时间重叠`, 'fromDate');
  if (isCurrent && input.relation === 'householder' && (await repo.currentHouseholder(deps.db, address.id))) throw conflict(HOUSEHOLDER_TAKEN, 'relation');

  const id = uuidv7();
  try {
    await deps.db.transaction().execute(async (trx) => {
      for (const r of toClose) await repo.closeResidence(trx, r.id, input.fromDate);
      await repo.insertResidence(trx, {
        id,
        person_id: personId,
        address_id: address.id,
        relation: input.relation,
        from_date: input.fromDate,
        to_date: input.toDate ?? null,
        source: input.source ?? 'manual',
      });
      if (isCurrent) await repo.updatePerson(trx, personId, { org_unit_id: address.grid_id, county_code: address.county_code });
      await recordAudit(trx, ctx, {
        action: 'residence.move_in',
        subjectType: 'person',
        subjectIds: [personId],
        subjectUnitId: isCurrent ? address.grid_id : p.org_unit_id,
        detail: { residenceId: id, addressId: address.id, relation: input.relation, fromDate: input.fromDate, toDate: input.toDate, closed: toClose.map((r) => r.id) },
      });
    });
  } catch (e) {
    const c = uniqueViolation(e);
    if (c === undefined) throw e;
    if (c.includes('householder')) throw conflict(HOUSEHOLDER_TAKEN, 'relation');
    throw conflict('该人员的现住址刚被他人变更，请刷新后重试', 'closePrevious');
  }
  const residences = await repo.residencesOfPerson(deps.db, personId);
  return presentResidence(residences.find((r) => r.id === id)!);
}

/** Moving out closes the residence on `toDate`; it is never deleted. */
export async function endResidence(deps: Deps, ctx: RequestContext, residenceId: string, toDate: string) {
  const me = staffOf(ctx);
  const r = await repo.residenceInScope(deps.db, me.scopePath, residenceId);
  if (!r) throw notFound('居住记录不存在或不在您的辖区内');
  if (r.to_date !== null) throw conflict(`该居住记录已于 ${r.to_date} 结束`);
  const errors: FieldError[] = [];
  if (toDate < r.from_date) errors.push({ field: 'toDate', message: `迁出日期不能早于迁入日期 ${r.from_date}` });
  if (toDate > todayCst()) errors.push({ field: 'toDate', message: '迁出日期不能晚于今天' });
  if (errors.length) throw validationError(errors);
  await deps.db.transaction().execute(async (trx) => {
    await repo.closeResidence(trx, residenceId, toDate);
    await recordAudit(trx, ctx, {
      action: 'residence.end',
      subjectType: 'person',
      subjectIds: [r.person_id],
      subjectUnitId: r.person_org_unit_id,
      detail: { residenceId, addressId: r.address_id, toDate },
    });
  });
  const residences = await repo.residencesOfPerson(deps.db, r.person_id);
  return presentResidence(residences.find((x) => x.id === residenceId)!);
}

/** Who lived at an address on a day (default today), with their relation to the householder. Audited. */
export async function residentsAt(deps: Deps, ctx: RequestContext, addressId: string, date: string | undefined) {
  const me = staffOf(ctx);
  const address = await repo.addressInScope(deps.db, me.scopePath, addressId);
  if (!address) throw notFound('地址不存在或不在您的辖区内');
  const today = todayCst();
  const day = date ?? today;
  const rows = await repo.residentsAt(deps.db, addressId, day);
  await recordAudit(deps.db, ctx, {
    action: 'address.residents',
    subjectType: 'person',
    subjectIds: rows.map((r) => r.person_id),
    subjectUnitId: address.grid_id,
    detail: { addressId, date: day },
  });
  return {
    address: { id: address.id, fullText: address.full_text, lng: address.lng, lat: address.lat },
    date: day,
    residents: rows.map((r) => presentResident(r, today)),
  };
}
