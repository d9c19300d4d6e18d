import { v7 as uuidv7 } from 'uuid';
import type { Updateable } from 'kysely';
import type { Deps } from '../../deps.js';
import type { UnitTable } from '../../db/schema.js';
import { staffOf, SYSTEM_USER_ID, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { maskPhone } from '../../platform/http/schemas.js';
import { parseCreditCode } from '../../platform/ids/index.js';
import { addressesRepository } from '../addresses/repository.js';
import { orgRepository } from '../org/repository.js';
import { maskedIdOf, presentEmployment } from '../population/present.js';
import { populationRepository, type AddressRef } from '../population/repository.js';
import { normalizePhone, requirePurpose, todayCst } from '../population/rules.js';
import { uniqueViolation } from '../population/service.js';
import { unitsRepository as repo, type UnitFilter, type UnitRow } from './repository.js';
import { KEY_INDUSTRY_NAMES, UNIT_TYPE_NAMES, unitTypeFromCreditCode, type KeyIndustry, type UnitType } from './rules.js';

const NOT_FOUND_UNIT = '单位不存在或不在您的辖区内';

function present(u: UnitRow, fullPhone: boolean) {
  return {
    id: u.id,
    creditCode: u.credit_code,
    otherRegNo: u.other_reg_no,
    name: u.name,
    unitType: u.unit_type,
    unitTypeName: UNIT_TYPE_NAMES[u.unit_type as UnitType] ?? u.unit_type,
    keyIndustry: u.key_industry,
    keyIndustryName: u.key_industry ? KEY_INDUSTRY_NAMES[u.key_industry] : null,
    address: u.address_id ? { id: u.address_id, fullText: u.address_text, lng: u.address_lng, lat: u.address_lat } : null,
    legalRepName: u.legal_rep_name,
    legalRepPersonId: u.legal_rep_person_id,
    contactName: u.contact_name,
    contactPhone: fullPhone ? u.contact_phone : maskPhone(u.contact_phone),
    status: u.status,
    orgUnit: { id: u.org_unit_id, name: u.org_unit_name },
    createdAt: new Date(u.created_at).toISOString(),
    updatedAt: new Date(u.updated_at).toISOString(),
  };
}

export interface UnitInput {
  creditCode?: string | null;
  otherRegNo?: string | null;
  name?: string;
  unitType?: UnitType;
  keyIndustry?: KeyIndustry | null;
  addressId?: string | null;
  legalRepName?: string | null;
  legalRepPersonId?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  orgUnitId?: string;
  status?: 'active' | 'closed';
}

interface Checked {
  errors: FieldError[];
  set: Updateable<UnitTable>;
  creditCode?: string | null;
  otherRegNo?: string | null;
  address?: AddressRef | null;
}

/** Field rules shared by create and update; only the fields present in `input` are checked and set. */
async function check(deps: Deps, ctx: RequestContext, input: UnitInput): Promise<Checked> {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const set: Updateable<UnitTable> = {};
  const out: Checked = { errors, set };
  if (input.creditCode !== undefined) {
    if (input.creditCode === null || input.creditCode.trim() === '') out.creditCode = null;
    else {
      const r = parseCreditCode(input.creditCode);
      if (!r.ok) errors.push({ field: 'creditCode', message: r.message });
      else out.creditCode = r.value.normalized;
    }
    set.credit_code = out.creditCode ?? null;
  }
  if (input.otherRegNo !== undefined) {
    out.otherRegNo = input.otherRegNo?.trim() || null;
    set.other_reg_no = out.otherRegNo;
  }
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (!name) errors.push({ field: 'name', message: '单位名称不能为空' });
    set.name = name;
  }
  if (input.unitType !== undefined) set.unit_type = input.unitType;
  if (input.keyIndustry !== undefined) set.key_industry = input.keyIndustry;
  if (input.addressId !== undefined) {
    if (input.addressId === null) out.address = null;
    else {
      const a = await populationRepository.addressInScope(deps.db, me.scopePath, input.addressId);
      if (!a) errors.push({ field: 'addressId', message: '地址不存在或不在您的辖区内' });
      else if (a.status !== 'active') errors.push({ field: 'addressId', message: '该地址已停用' });
      else {
        out.address = a;
        Object.assign(set, { address_id: a.id, org_unit_id: a.grid_id, county_code: a.county_code });
      }
    }
    if (input.addressId === null) set.address_id = null;
  }
  if (input.legalRepPersonId !== undefined) {
    if (input.legalRepPersonId) {
      const p = await populationRepository.personInScope(deps.db, me.scopePath, input.legalRepPersonId);
      if (!p) errors.push({ field: 'legalRepPersonId', message: '人员不存在或不在您的辖区内，请先登记该人员' });
      else if (input.legalRepName === undefined) set.legal_rep_name = p.name;
    }
    set.legal_rep_person_id = input.legalRepPersonId;
  }
  if (input.legalRepName !== undefined) set.legal_rep_name = input.legalRepName?.trim() || null;
  if (input.contactName !== undefined) set.contact_name = input.contactName?.trim() || null;
  if (input.contactPhone !== undefined) {
    const ph = normalizePhone('contactPhone', input.contactPhone);
    if ('error' in ph) errors.push(ph.error);
    else set.contact_phone = ph.value;
  }
  if (input.status !== undefined) set.status = input.status;
  return out;
}

async function assertUnique(deps: Deps, creditCode: string | null | undefined, otherRegNo: string | null | undefined, selfId?: string) {
  if (creditCode) {
    const other = await repo.byCreditCode(deps.db, creditCode);
    if (other && other.id !== selfId) throw conflict('该统一社会信用代码已登记', 'creditCode');
  }
  if (otherRegNo) {
    const other = await repo.byOtherRegNo(deps.db, otherRegNo);
    if (other && other.id !== selfId) throw conflict('该登记编号已登记', 'otherRegNo');
  }
}

function raceConflict(e: unknown): never {
  const c = uniqueViolation(e);
  if (c === undefined) throw e;
  if (c.includes('credit_code')) throw conflict('该统一社会信用代码已登记', 'creditCode');
  if (c.includes('other_reg_no')) throw conflict('该登记编号已登记', 'otherRegNo');
  if (c.includes('employments')) throw conflict('该人员已在本单位从业', 'personId');
  throw conflict('记录已存在（可能刚被他人创建）');
}

/** Registers a unit: a valid 统一社会信用代码 (GB 32100), or another registration number for those without one. */
export async function createUnit(deps: Deps, ctx: RequestContext, input: UnitInput & { name: string }) {
  const me = staffOf(ctx);
  const c = await check(deps, ctx, input);
  if (!c.creditCode && !c.otherRegNo && !c.errors.some((e) => e.field === 'creditCode')) {
    c.errors.push({ field: 'creditCode', message: '请填写统一社会信用代码；没有的单位填写其他登记编号（otherRegNo）' });
  }
  if (c.creditCode && c.otherRegNo) c.errors.push({ field: 'otherRegNo', message: '已有统一社会信用代码的单位不填其他登记编号' });
  let org: { id: string; county: string } | undefined;
  if (!c.address) {
    const unitId = input.orgUnitId ?? (me.orgUnitId === SYSTEM_USER_ID ? undefined : me.orgUnitId);
    const unit = unitId ? await orgRepository.inScope(deps.db, me.scopePath, unitId) : undefined;
    if (!unit) c.errors.push({ field: 'orgUnitId', message: unitId ? '所属单位不存在或不在您的辖区内' : '请指定所属单位或地址' });
    else if (!unit.county_code) c.errors.push({ field: 'orgUnitId', message: '请选择分局（县局）及以下单位' });
    else org = { id: unit.id, county: unit.county_code };
  }
  if (c.errors.length) throw validationError(c.errors);
  await assertUnique(deps, c.creditCode, c.otherRegNo);
  const id = uuidv7();
  const orgUnitId = c.address?.grid_id ?? org!.id;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertUnit(trx, {
        id,
        credit_code: c.creditCode ?? null,
        other_reg_no: c.otherRegNo ?? null,
        name: c.set.name as string,
        unit_type: input.unitType ?? (c.creditCode ? unitTypeFromCreditCode(c.creditCode) : 'other'),
        key_industry: input.keyIndustry ?? null,
        address_id: c.address?.id ?? null,
        legal_rep_name: (c.set.legal_rep_name as string | null | undefined) ?? null,
        legal_rep_person_id: input.legalRepPersonId ?? null,
        contact_name: (c.set.contact_name as string | null | undefined) ?? null,
        contact_phone: (c.set.contact_phone as string | null | undefined) ?? null,
        status: 'active',
        org_unit_id: orgUnitId,
        county_code: c.address?.county_code ?? org!.county,
      });
      await recordAudit(trx, ctx, { action: 'unit.create', subjectType: 'unit', subjectIds: [id], subjectUnitId: orgUnitId, detail: { name: c.set.name, keyIndustry: input.keyIndustry ?? null } });
    });
  } catch (e) {
    raceConflict(e);
  }
  return present((await repo.unitInScope(deps.db, '/', id))!, true);
}

export async function updateUnit(deps: Deps, ctx: RequestContext, id: string, patch: UnitInput) {
  const me = staffOf(ctx);
  const u = await repo.unitInScope(deps.db, me.scopePath, id);
  if (!u) throw notFound(NOT_FOUND_UNIT);
  const c = await check(deps, ctx, { ...patch, orgUnitId: undefined });
  const creditCode = c.creditCode === undefined ? u.credit_code : c.creditCode;
  const otherRegNo = c.otherRegNo === undefined ? u.other_reg_no : c.otherRegNo;
  if (!creditCode && !otherRegNo) c.errors.push({ field: 'creditCode', message: '统一社会信用代码与其他登记编号不能都为空' });
  if (patch.orgUnitId !== undefined && patch.orgUnitId !== u.org_unit_id) {
    if ((patch.addressId === undefined && u.address_id) || patch.addressId) c.errors.push({ field: 'orgUnitId', message: '有地址的单位随地址所在网格管理' });
    else {
      const unit = await orgRepository.inScope(deps.db, me.scopePath, patch.orgUnitId);
      if (!unit || !unit.county_code) c.errors.push({ field: 'orgUnitId', message: '所属单位不存在或不在您的辖区内' });
      else Object.assign(c.set, { org_unit_id: unit.id, county_code: unit.county_code });
    }
  }
  if (c.errors.length) throw validationError(c.errors);
  await assertUnique(deps, c.creditCode, c.otherRegNo, id);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.updateUnit(trx, id, c.set);
      await recordAudit(trx, ctx, {
        action: 'unit.update',
        subjectType: 'unit',
        subjectIds: [id],
        subjectUnitId: (c.set.org_unit_id as string | undefined) ?? u.org_unit_id,
        detail: { fields: Object.keys(patch) },
      });
    });
  } catch (e) {
    raceConflict(e);
  }
  return present((await repo.unitInScope(deps.db, '/', id))!, true);
}

export interface UnitListFilter {
  q?: string;
  keyIndustry?: string;
  status?: 'active' | 'closed';
  /** Units at this standard address or below it in the address tree. */
  addressId?: string;
}

/**
 * The repository filter of a list request, or undefined when nothing can match: an `addressId` that is unknown
 * or outside the jurisdiction matches no unit (as a foreign `gridId` does in the address list).
 */
async function unitFilter(deps: Deps, ctx: RequestContext, f: UnitListFilter): Promise<UnitFilter | undefined> {
  const scopePath = staffOf(ctx).scopePath;
  const { addressId, ...rest } = f;
  if (addressId === undefined) return { ...rest, scopePath };
  const address = await addressesRepository.inScope(deps.db, scopePath, addressId);
  return address ? { ...rest, scopePath, addressPath: address.path } : undefined;
}

export async function listUnits(deps: Deps, ctx: RequestContext, f: UnitListFilter, paging: { limit: number; offset: number }) {
  const filter = await unitFilter(deps, ctx, f);
  if (!filter) return { items: [] as Array<ReturnType<typeof present>>, total: 0 };
  const { rows, total } = await repo.page(deps.db, filter, paging.limit, paging.offset);
  return { items: rows.map((u) => present(u, false)), total };
}

// ---- export --------------------------------------------------------------------------------------------------

export const UNIT_EXPORT_MAX_ROWS = 200_000;
const EXPORT_BATCH = 1_000;

export const UNIT_EXPORT_HEADER = [
  '单位名称',
  '统一社会信用代码',
  '其他登记编号',
  '单位类型',
  '重点行业',
  '地址',
  '法定代表人',
  '联系人',
  '联系电话（脱敏）',
  '所属网格',
  '状态',
];

const UNIT_STATUS_NAMES = { active: '正常', closed: '已注销' } as const;

/**
 * The unit list for a spreadsheet: the list's filters and scope, phones masked, with a stated purpose. Audited
 * once (`unit.export`: purpose, filters, row count) before any row leaves; the rows are read in batches by keyset
 * on the id, and never more than the audited count.
 */
export async function exportUnits(deps: Deps, ctx: RequestContext, f: UnitListFilter, purposeText: string | undefined) {
  const purpose = requirePurpose(purposeText, '导出单位名单');
  const filter = await unitFilter(deps, ctx, f);
  const total = filter ? await repo.count(deps.db, filter) : 0;
  if (total > UNIT_EXPORT_MAX_ROWS) {
    throw validationError([{ field: 'q', message: `符合条件的单位有 ${total} 家，超过单次导出上限 ${UNIT_EXPORT_MAX_ROWS} 家，请缩小范围` }]);
  }
  // an address outside the jurisdiction matches nothing; its id stays out of this jurisdiction's audit trail
  const addressOutside = f.addressId !== undefined && !filter;
  await recordAudit(deps.db, ctx, {
    action: 'unit.export',
    subjectType: 'unit',
    purpose,
    detail: {
      filters: { q: f.q, keyIndustry: f.keyIndustry, status: f.status, addressId: addressOutside ? undefined : f.addressId },
      ...(addressOutside ? { notInScope: ['addressId'] } : {}),
      rows: total,
    },
  });
  const toRow = (u: UnitRow) => [
    u.name,
    u.credit_code,
    u.other_reg_no,
    UNIT_TYPE_NAMES[u.unit_type as UnitType] ?? u.unit_type,
    u.key_industry ? KEY_INDUSTRY_NAMES[u.key_industry] : '',
    u.address_text,
    u.legal_rep_name,
    u.contact_name,
    maskPhone(u.contact_phone),
    u.org_unit_name,
    UNIT_STATUS_NAMES[u.status],
  ];
  async function* rows() {
    let after: string | undefined;
    let sent = 0;
    while (filter && sent < total) {
      const batch = await repo.exportBatch(deps.db, filter, after, Math.min(EXPORT_BATCH, total - sent));
      if (batch.length === 0) return;
      yield batch.map(toRow);
      sent += batch.length;
      after = batch[batch.length - 1].id;
    }
  }
  return { total, rows: rows() };
}

/** A unit with its legal representative and employees (people's data, so the view is audited). */
export async function getUnit(deps: Deps, ctx: RequestContext, id: string) {
  const u = await repo.unitInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!u) throw notFound(NOT_FOUND_UNIT);
  const today = todayCst();
  const employees = (await repo.employmentsOfUnit(deps.db, id)).map((e) => presentEmployment(e, today));
  const rep = u.legal_rep_person_id ? (await populationRepository.personsByIds(deps.db, [u.legal_rep_person_id]))[0] : undefined;
  await recordAudit(deps.db, ctx, {
    action: 'unit.view',
    subjectType: 'unit',
    subjectIds: [id, ...new Set(employees.filter((e) => e.current).map((e) => e.person.id))],
    subjectUnitId: u.org_unit_id,
  });
  return {
    ...present(u, true),
    legalRep: rep ? { personId: rep.id, name: rep.name, idNumber: maskedIdOf(rep) } : null,
    employees,
  };
}

// ---- employments ---------------------------------------------------------------------------------------------

export async function addEmployee(deps: Deps, ctx: RequestContext, unitId: string, input: { personId: string; role?: string; fromDate: string }) {
  const me = staffOf(ctx);
  const u = await repo.unitInScope(deps.db, me.scopePath, unitId);
  if (!u) throw notFound(NOT_FOUND_UNIT);
  const errors: FieldError[] = [];
  const p = await populationRepository.personInScope(deps.db, me.scopePath, input.personId);
  if (!p) errors.push({ field: 'personId', message: '人员不存在或不在您的辖区内，请先登记该人员' });
  if (input.fromDate > todayCst()) errors.push({ field: 'fromDate', message: '入职日期不能晚于今天' });
  if (p?.birth_date && input.fromDate < p.birth_date) errors.push({ field: 'fromDate', message: '入职日期不能早于出生日期' });
  if (u.status === 'closed') errors.push({ field: 'unitId', message: '该单位已注销' });
  if (errors.length) throw validationError(errors);
  if (await repo.currentEmployment(deps.db, unitId, input.personId)) throw conflict('该人员已在本单位从业', 'personId');
  const id = uuidv7();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertEmployment(trx, { id, unit_id: unitId, person_id: input.personId, role: input.role?.trim() || null, from_date: input.fromDate, to_date: null });
      await recordAudit(trx, ctx, {
        action: 'employment.create',
        subjectType: 'person',
        subjectIds: [input.personId, unitId],
        subjectUnitId: u.org_unit_id,
        detail: { employmentId: id, unitId, fromDate: input.fromDate },
      });
    });
  } catch (e) {
    raceConflict(e);
  }
  return presentEmployment((await repo.employmentById(deps.db, id))!, todayCst());
}

/** Leaving a job closes the employment on `toDate`; it is never deleted. */
export async function endEmployment(deps: Deps, ctx: RequestContext, id: string, toDate: string) {
  const e = await repo.employmentInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!e) throw notFound('从业记录不存在或不在您的辖区内');
  if (e.to_date !== null) throw conflict(`该从业记录已于 ${e.to_date} 结束`);
  const errors: FieldError[] = [];
  if (toDate < e.from_date) errors.push({ field: 'toDate', message: `离职日期不能早于入职日期 ${e.from_date}` });
  if (toDate > todayCst()) errors.push({ field: 'toDate', message: '离职日期不能晚于今天' });
  if (errors.length) throw validationError(errors);
  await deps.db.transaction().execute(async (trx) => {
    await repo.endEmployment(trx, id, toDate);
    await recordAudit(trx, ctx, {
      action: 'employment.end',
      subjectType: 'person',
      subjectIds: [e.person_id, e.unit_id],
      subjectUnitId: e.unit_org_unit_id,
      detail: { employmentId: id, toDate },
    });
  });
  return presentEmployment((await repo.employmentById(deps.db, id))!, todayCst());
}
