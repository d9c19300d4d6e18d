import { v5 as uuidv5 } from 'uuid';
import type { Deps } from '../../../deps.js';
import type { FieldChangeKind, FieldChangeStatus } from '../../../db/schema.js';
import { staffOf, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { decryptField, encryptField } from '../../../platform/crypto/fields.js';
import { conflict, DomainError, notFound, validationError, type FieldError } from '../../../platform/errors/index.js';
import { maskPhone } from '../../../platform/http/schemas.js';
import { maskIdNumber } from '../../../platform/ids/index.js';
import { putHousing, type HousingInput } from '../../population/housing.js';
import { maskedIdOf } from '../../population/present.js';
import { populationRepository as pop } from '../../population/repository.js';
import { endResidence, moveIn } from '../../population/residences.js';
import { ageOn, DWELLING_LEVELS, todayCst, type HousingUse, type PersonType, type PropertyType, type Relation, type RentalRegistration } from '../../population/rules.js';
import { checkIdNumber, createPerson, idBlind, indexForm, updatePerson, type UpdatePersonInput } from '../../population/service.js';
import { unitsRepository } from '../../units/repository.js';
import type { KeyIndustry, UnitType } from '../../units/rules.js';
import { createUnit, updateUnit } from '../../units/service.js';
import {
  CHANGE_FIELD_LABELS,
  CHANGE_KIND_NAMES,
  checkChangeData,
  displayValue,
  PHONE_FIELDS,
  summarizeChange,
  TARGETED,
  VERSIONED,
} from './change-rules.js';
import { collectionRepository as repo, type ChangeRow, type ChangeView } from './repository.js';

/** `field_changes.payload`: the proposal (identity number masked), the number itself, and what the worker saw. */
export interface ChangePayload {
  data: Record<string, unknown>;
  ids: Record<string, { cipher: string; blind: string; masked: string }>;
  /** the record's values when the change arrived with a matching version (the base of a later conflict) */
  base?: Record<string, unknown> | null;
  /** the worker's note */
  note?: string | null;
}
export const payloadOf = (c: { payload: unknown }) => c.payload as ChangePayload;

export interface ConflictField {
  field: string;
  label: string;
  base: string | null;
  mine: string | null;
  current: string | null;
  /** whether the registry moved away from what the worker saw (or from the proposal, when that is unknown) */
  changed: boolean;
}
export interface ChangeConflict {
  fields: ConflictField[];
  detectedAt: string;
  /** the version the record has now */
  currentVersion: string | null;
  message: string;
}

const NOT_FOUND_CHANGE = '信息变更不存在或不在您的辖区内';
/** Namespace of the deterministic client ids an apply gives `createPerson` (a retried apply finds the person). */
const APPLY_NAMESPACE = 'b7c3e0a4-5d21-4f6e-9a8b-1c2d3e4f5a60';
const iso = (d: Date | string) => new Date(d).toISOString();

const show = (field: string, v: unknown) => {
  if (v === null || v === undefined || v === '') return null;
  return PHONE_FIELDS.has(field) ? maskPhone(String(v)) : displayValue(field, v);
};

// ---- the record a change is about, as it is now ----------------------------------------------------------------

interface Current {
  exists: boolean;
  version: string | null;
  values: Record<string, unknown>;
  /** a name for lists (person, unit) */
  name: string | null;
}

async function currentOf(deps: Deps, c: { kind: FieldChangeKind; target_id: string | null; address_id: string }): Promise<Current | null> {
  switch (c.kind) {
    case 'person_update': {
      const p = c.target_id ? await pop.personAnywhere(deps.db, c.target_id) : undefined;
      if (!p) return { exists: false, version: null, values: {}, name: null };
      return {
        exists: true,
        version: iso(p.updated_at),
        name: p.name,
        values: { name: p.name, phone: p.phone, personType: p.person_type, hukouAddress: p.hukou_address, expectedStayUntil: p.expected_stay_until },
      };
    }
    case 'move_out': {
      const r = c.target_id ? await pop.residenceById(deps.db, c.target_id) : undefined;
      if (!r) return { exists: false, version: null, values: {}, name: null };
      const p = await pop.personAnywhere(deps.db, r.person_id);
      return { exists: true, version: null, name: p?.name ?? null, values: { toDate: r.to_date, personId: r.person_id, addressId: r.address_id, fromDate: r.from_date } };
    }
    case 'housing_update': {
      const h = await pop.housingByAddress(deps.db, c.address_id);
      if (!h) return { exists: false, version: null, values: {}, name: null };
      return {
        exists: true,
        version: iso(h.updated_at),
        name: null,
        values: {
          use: h.use,
          propertyType: h.property_type,
          ownerName: h.owner_name,
          ownerPhone: h.owner_phone,
          groupRental: h.group_rental,
          rooms: h.rooms,
          areaM2: h.area_m2 === null ? null : Number(h.area_m2),
          leaseFrom: h.lease_from,
          leaseTo: h.lease_to,
          rentalRegistration: h.rental_registration,
        },
      };
    }
    case 'unit_update': {
      const u = c.target_id ? await unitsRepository.unitInScope(deps.db, '/', c.target_id) : undefined;
      if (!u) return { exists: false, version: null, values: {}, name: null };
      return {
        exists: true,
        version: iso(u.updated_at),
        name: u.name,
        values: { name: u.name, unitType: u.unit_type, keyIndustry: u.key_industry, contactName: u.contact_name, contactPhone: u.contact_phone, status: u.status },
      };
    }
    default:
      return null;
  }
}

/** An ISO instant as Beijing time `YYYY-MM-DD HH:mm` (for messages). */
const cst = (v: string | null) => {
  const t = v ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? '无' : new Date(t + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
};

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null) || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The conflict between a change and the registry now, or null when it can be applied as proposed. */
function detectConflict(c: { kind: FieldChangeKind; base_version: string | null; payload: unknown }, cur: Current | null): ChangeConflict | null {
  if (!cur) return null;
  const { data, base } = payloadOf(c);
  const labels = CHANGE_FIELD_LABELS[c.kind];
  const at = new Date().toISOString();
  if (c.kind === 'move_out') {
    if (!cur.exists || cur.values.toDate === null) return null;
    return {
      fields: [{ field: 'toDate', label: labels.toDate, base: null, mine: show('toDate', data.toDate), current: show('toDate', cur.values.toDate), changed: true }],
      detectedAt: at,
      currentVersion: null,
      message: `该居住记录已于 ${cur.values.toDate} 结束（他人已办理迁出）`,
    };
  }
  const versioned = VERSIONED.has(c.kind) || c.kind === 'housing_update';
  if (!versioned || same(c.base_version, cur.version)) return null;
  const fields = Object.keys(data).map((k) => {
    const b = base ? base[k] : undefined;
    return {
      field: k,
      label: labels[k] ?? k,
      base: b === undefined ? null : show(k, b),
      mine: show(k, data[k]),
      current: show(k, cur.values[k]),
      changed: b === undefined ? !same(cur.values[k], data[k]) : !same(cur.values[k], b),
    };
  });
  const message =
    c.kind === 'housing_update' && !c.base_version
      ? '采集时该地址尚无房屋登记，现已有人登记'
      : `网格员采集后登记信息已被修改（采集时看到的是 ${cst(c.base_version)} 的记录，现登记最后修改于 ${cst(cur.version)}）`;
  return { fields, detectedAt: at, currentVersion: cur.version, message };
}

/** Whether the reviewer has seen this conflict: the same fields with the same current values. */
function seenConflict(stored: unknown, now: ChangeConflict) {
  const s = stored as ChangeConflict | null;
  if (!s || !Array.isArray(s.fields)) return false;
  return s.currentVersion === now.currentVersion && JSON.stringify(s.fields.map((f) => [f.field, f.current])) === JSON.stringify(now.fields.map((f) => [f.field, f.current]));
}

// ---- arrival (sync) ----------------------------------------------------------------------------------------------

export interface ChangeOpInput {
  clientId: string;
  kind: FieldChangeKind;
  addressId: string;
  targetId?: string;
  baseVersion?: string;
  data: Record<string, unknown>;
  note?: string;
  occurredAt: Date;
}

export interface PreparedChange {
  address: { id: string; grid_id: string; county_code: string };
  payload: ChangePayload;
  idBlinds: string[];
  summary: string;
  conflict: ChangeConflict | null;
}

/**
 * Checks a change as it arrives with the registry's own rules (identity numbers, dates, phones, the record it
 * names, in the worker's jurisdiction). Errors are relative to the op (`data.name`, `targetId`).
 */
export async function prepareChange(deps: Deps, ctx: RequestContext, op: ChangeOpInput): Promise<{ errors: FieldError[] } | { prepared: PreparedChange }> {
  const me = staffOf(ctx);
  const today = todayCst();
  const checker = checkChangeData(op.kind, op.data, today);
  const errors = checker.errors;
  const clean = checker.clean;
  const address = await pop.addressInScope(deps.db, me.scopePath, op.addressId);
  if (!address) errors.push({ field: 'addressId', message: '地址不存在或不在您的辖区内' });
  else if (address.status !== 'active') errors.push({ field: 'addressId', message: '该地址已停用' });
  else if ((op.kind === 'person_add' || op.kind === 'housing_update') && !(DWELLING_LEVELS as readonly string[]).includes(address.level))
    errors.push({ field: 'addressId', message: '人员与房屋登记到门牌、楼栋、单元、楼层或户室一级的地址' });

  const target = TARGETED[op.kind];
  if (target && !op.targetId) errors.push({ field: 'targetId', message: '请指明变更的记录' });
  if (!target && op.targetId) errors.push({ field: 'targetId', message: '这类变更不指明记录' });
  if (VERSIONED.has(op.kind) && !op.baseVersion) errors.push({ field: 'baseVersion', message: '请提供采集时记录的版本' });

  let targetName: string | null = null;
  if (target === 'person' && op.targetId) {
    const p = await pop.personInScope(deps.db, me.scopePath, op.targetId);
    if (!p) errors.push({ field: 'targetId', message: '人员不存在或不在您的辖区内' });
    else {
      targetName = p.name;
      if (clean.expectedStayUntil && (clean.personType ?? p.person_type) !== 'floating') errors.push({ field: 'data.expectedStayUntil', message: '仅流动人口填写拟居住期限' });
    }
  }
  if (target === 'residence' && op.targetId) {
    const r = await pop.residenceInScope(deps.db, me.scopePath, op.targetId);
    if (!r) errors.push({ field: 'targetId', message: '居住记录不存在或不在您的辖区内' });
    else {
      if (r.address_id !== op.addressId) errors.push({ field: 'targetId', message: '该居住记录不在这个地址' });
      if (typeof clean.toDate === 'string' && clean.toDate < r.from_date) errors.push({ field: 'data.toDate', message: `迁出日期不能早于迁入日期 ${r.from_date}` });
      targetName = (await pop.personAnywhere(deps.db, r.person_id))?.name ?? null;
    }
  }
  if (target === 'unit' && op.targetId) {
    const u = await unitsRepository.unitInScope(deps.db, me.scopePath, op.targetId);
    if (!u) errors.push({ field: 'targetId', message: '单位不存在或不在您的辖区内' });
    else targetName = u.name;
  }

  const ids: ChangePayload['ids'] = {};
  if (op.kind === 'person_add' && typeof op.data.idNumber === 'string' && op.data.idNumber.trim()) {
    const r = checkIdNumber('data.idNumber', op.data.idNumber, false);
    if ('error' in r) errors.push(r.error);
    else {
      const info = r.info;
      if (clean.sex && clean.sex !== info.sex) errors.push({ field: 'data.sex', message: '性别与公民身份号码不符' });
      if (typeof clean.fromDate === 'string' && clean.fromDate < info.birthDate) errors.push({ field: 'data.fromDate', message: '迁入日期不能早于出生日期' });
      clean.sex = info.sex;
      ids.idNumber = { cipher: encryptField(deps.config.keys.data, info.normalized), blind: idBlind(deps, indexForm(info)), masked: maskIdNumber(info.normalized) };
      clean.idNumber = ids.idNumber.masked;
    }
  } else if (op.kind === 'person_add' && op.data.idNumber !== undefined && typeof op.data.idNumber !== 'string') {
    errors.push({ field: 'data.idNumber', message: '公民身份号码须为文字' });
  }
  if (op.kind === 'person_add' && address && clean.relation === 'householder' && !errors.length) {
    const holder = await pop.currentHouseholder(deps.db, address.id);
    // the number may belong to the householder already there: then it is no new householder
    const hit = ids.idNumber ? await pop.personByIdBlind(deps.db, ids.idNumber.blind) : undefined;
    if (holder && holder.person_id !== hit?.id) errors.push({ field: 'data.relation', message: '该地址已登记户主，请选择与户主的关系' });
  }
  if (op.kind === 'unit_add' && typeof clean.creditCode === 'string') {
    const u = await unitsRepository.byCreditCode(deps.db, clean.creditCode);
    if (u) errors.push({ field: 'data.creditCode', message: '该统一社会信用代码已登记' });
  }
  if (errors.length || !address) return { errors };

  const base = { kind: op.kind, target_id: op.targetId ?? null, address_id: op.addressId };
  const cur = await currentOf(deps, base);
  const draft = { kind: op.kind, base_version: op.baseVersion ?? null, payload: { data: clean, ids } };
  const found = detectConflict(draft, cur);
  // what the worker saw, while the version still matches: the base a later conflict is shown against
  const seen = cur && !found && cur.exists ? Object.fromEntries(Object.keys(clean).map((k) => [k, cur.values[k] ?? null])) : null;
  return {
    prepared: {
      address: { id: address.id, grid_id: address.grid_id, county_code: address.county_code },
      payload: { data: clean, ids, base: seen },
      idBlinds: Object.values(ids).map((x) => x.blind),
      summary: summarizeChange(op.kind, clean, targetName),
      conflict: found,
    },
  };
}

// ---- applying ----------------------------------------------------------------------------------------------------

/** The result of a change without the marks of a running apply. */
function priorResult(r: unknown): Record<string, unknown> | null {
  if (!r || typeof r !== 'object') return null;
  const { claimedBy: _b, claimedAt: _a, ...rest } = r as Record<string, unknown>;
  return Object.keys(rest).length ? rest : null;
}

async function writeRegistry(deps: Deps, ctx: RequestContext, c: ChangeRow): Promise<Record<string, unknown>> {
  const me = staffOf(ctx);
  const { data, ids } = payloadOf(c);
  const today = todayCst();
  switch (c.kind) {
    case 'person_add': {
      const stored = ids.idNumber;
      const hit = await pop.personByIdBlind(deps.db, stored.blind);
      if (hit) {
        if (!hit.path.startsWith(me.scopePath)) throw conflict('该身份号码已在其他辖区登记，须联系所属单位协查核实后再处理', 'data.idNumber');
        const cur = (await pop.residencesOfPerson(deps.db, hit.id)).find((r) => r.to_date === null);
        if (cur?.address_id === c.address_id) return { personId: hit.id, existing: true, alreadyResident: true, residenceId: cur.id, message: '该人员已登记居住在此地址，未重复登记' };
        const r = await moveIn(deps, ctx, hit.id, { addressId: c.address_id, relation: data.relation as Relation, fromDate: data.fromDate as string, closePrevious: true, source: 'field' });
        return { personId: hit.id, existing: true, movedIn: true, residenceId: r.id, closedResidenceId: cur?.id ?? null, message: '该身份号码已登记，已将该人员迁入此地址（未新建人员）' };
      }
      const floating = data.personType === 'floating';
      const { person } = await createPerson(
        deps,
        ctx,
        {
          idNumber: decryptField(deps.config.keys.data, stored.cipher),
          name: data.name as string,
          phone: (data.phone as string | undefined) ?? undefined,
          hukouAddress: (data.hukouAddress as string | undefined) ?? undefined,
          personType: data.personType as PersonType,
          floatingRegisteredOn: floating ? (data.fromDate as string) : undefined,
          expectedStayUntil: floating ? ((data.expectedStayUntil as string | undefined) ?? undefined) : undefined,
          residence: { addressId: c.address_id, relation: data.relation as Relation, fromDate: data.fromDate as string },
          clientId: uuidv5(`${c.id}:person`, APPLY_NAMESPACE),
        },
        { source: 'field' },
      );
      return { personId: person.id, created: true, message: '已新建人员并登记居住' };
    }
    case 'person_update': {
      const p = await pop.personInScope(deps.db, me.scopePath, c.target_id!);
      if (!p) throw notFound('人员不存在或不在您的辖区内');
      const patch: UpdatePersonInput = {};
      if ('name' in data) patch.name = data.name as string;
      if ('phone' in data) patch.phone = data.phone as string | null;
      if ('hukouAddress' in data) patch.hukouAddress = data.hukouAddress as string | null;
      if ('expectedStayUntil' in data) patch.expectedStayUntil = data.expectedStayUntil as string | null;
      if ('personType' in data && data.personType !== p.person_type) {
        patch.personType = data.personType as PersonType;
        if (data.personType === 'registered') Object.assign(patch, { floatingRegisteredOn: null, expectedStayUntil: null, permitIssuedOn: null });
        else if (!p.floating_registered_on) patch.floatingRegisteredOn = today;
      }
      await updatePerson(deps, ctx, p.id, patch);
      return { personId: p.id, fields: Object.keys(data), message: '已更新人员信息' };
    }
    case 'move_out': {
      const r = await endResidence(deps, ctx, c.target_id!, data.toDate as string);
      return { residenceId: r.id, personId: r.personId, toDate: r.toDate, message: '已办理迁出' };
    }
    case 'housing_update': {
      const ex = await pop.housingByAddress(deps.db, c.address_id);
      const pick = <T>(key: string, fallback: T): T => (key in data ? (data[key] as T) : fallback);
      const use = pick<HousingUse>('use', ex?.use ?? 'self');
      const rent = use === 'rent';
      const input: HousingInput = {
        use,
        propertyType: pick<PropertyType | undefined>('propertyType', ex?.property_type),
        ownerPersonId: ex?.owner_person_id ?? null,
        ownerName: pick('ownerName', ex?.owner_name ?? null),
        ownerPhone: pick('ownerPhone', ex?.owner_phone ?? null),
        groupRental: rent ? pick('groupRental', ex?.group_rental ?? false) : false,
        rooms: pick('rooms', ex?.rooms ?? null),
        areaM2: pick('areaM2', ex?.area_m2 === null || ex?.area_m2 === undefined ? null : Number(ex.area_m2)),
        landlordPersonId: rent ? (ex?.landlord_person_id ?? ex?.owner_person_id ?? null) : null,
        leaseFrom: rent ? pick('leaseFrom', ex?.lease_from ?? null) : null,
        leaseTo: rent ? pick('leaseTo', ex?.lease_to ?? null) : null,
        rentalRegistration: rent ? pick<RentalRegistration | null>('rentalRegistration', ex?.rental_registration ?? null) : null,
        starRating: ex?.star_rating ?? null,
      };
      const { housing } = await putHousing(deps, ctx, c.address_id, input);
      return { housingId: housing.id, fields: Object.keys(data), message: ex ? '已更新房屋信息' : '已登记房屋信息' };
    }
    case 'unit_add': {
      const creditCode = (data.creditCode as string | undefined) ?? null;
      const otherRegNo = creditCode ? null : `WG${c.id.replace(/-/g, '').slice(-12).toUpperCase()}`;
      const prior = creditCode ? await unitsRepository.byCreditCode(deps.db, creditCode) : await unitsRepository.byOtherRegNo(deps.db, otherRegNo!);
      if (prior) {
        const u = await unitsRepository.unitInScope(deps.db, '/', prior.id);
        if (u?.address_id === c.address_id) return { unitId: u.id, existing: true, message: '该单位已登记在此地址，未重复登记' };
        throw conflict('该统一社会信用代码已登记', 'data.creditCode');
      }
      const u = await createUnit(deps, ctx, {
        creditCode,
        otherRegNo,
        name: data.name as string,
        unitType: data.unitType as UnitType,
        keyIndustry: (data.keyIndustry as KeyIndustry | null | undefined) ?? null,
        addressId: c.address_id,
        contactName: (data.contactName as string | undefined) ?? null,
        contactPhone: (data.contactPhone as string | undefined) ?? null,
        legalRepName: (data.legalRepName as string | undefined) ?? null,
      });
      return { unitId: u.id, created: true, otherRegNo, message: '已登记单位' };
    }
    case 'unit_update': {
      const patch: Record<string, unknown> = {};
      for (const k of ['name', 'unitType', 'keyIndustry', 'contactName', 'contactPhone', 'status']) if (k in data) patch[k] = data[k];
      const u = await updateUnit(deps, ctx, c.target_id!, patch);
      return { unitId: u.id, fields: Object.keys(data), message: '已更新单位信息' };
    }
  }
}

const personIdsOf = (r: Record<string, unknown> | null) => (r && typeof r.personId === 'string' ? [r.personId] : []);

export type ApplyOutcome = { status: 'applied'; result: Record<string, unknown> } | { status: 'conflict'; conflict: ChangeConflict };

/**
 * Applies a change through the registry services under `ctx` (the reviewing officer, or the worker holding a
 * direct grant). The change is claimed first by one conditional statement, so two reviewers applying at once get
 * one apply and one 409. A version that moved since the worker collected makes it a conflict, never applied
 * silently; `override` applies it anyway once the reviewer has seen exactly this conflict. A failing registry
 * write leaves the change as it was (each registry write is one transaction, nothing half-applied).
 */
async function applyCore(deps: Deps, ctx: RequestContext, c: ChangeRow, o: { override?: boolean; note?: string | null; direct: boolean }): Promise<ApplyOutcome> {
  const me = staffOf(ctx);
  const claimedRow = await repo.claimChange(deps.db, c.id, me.userId);
  if (!claimedRow) {
    const now = await repo.changeById(deps.db, c.id);
    if (now?.status === 'applied') throw conflict('该变更已入库', 'status');
    if (now?.status === 'rejected') throw conflict('该变更已被驳回', 'status');
    throw conflict('该变更正在由他人处理，请稍后刷新', 'status');
  }
  const prior = priorResult(c.result);
  let result: Record<string, unknown>;
  try {
    const cur = await currentOf(deps, claimedRow);
    const found = detectConflict(claimedRow, cur);
    if (found && !(o.override && claimedRow.status === 'conflict' && seenConflict(claimedRow.conflict, found))) {
      await deps.db.transaction().execute(async (trx) => {
        await repo.finishChange(trx, c.id, { status: 'conflict', conflict: found as unknown as Record<string, unknown>, result: prior });
        await recordAudit(trx, ctx, {
          action: 'field.change.conflict',
          subjectType: 'field_change',
          subjectIds: [c.id],
          subjectUnitId: c.org_unit_id,
          detail: { kind: c.kind, fields: found.fields.map((f) => f.field), direct: o.direct },
        });
      });
      return { status: 'conflict', conflict: found };
    }
    result = await writeRegistry(deps, ctx, claimedRow);
    if (found) result.override = true;
  } catch (e) {
    await repo.releaseChange(deps.db, c.id, prior);
    throw e;
  }
  await deps.db.transaction().execute(async (trx) => {
    await repo.finishChange(trx, c.id, { status: 'applied', result, reviewedBy: me.userId, reviewNote: o.note ?? null });
    await recordAudit(trx, ctx, {
      action: 'field.change.apply',
      subjectType: 'field_change',
      subjectIds: [c.id, ...personIdsOf(result)],
      subjectUnitId: c.org_unit_id,
      detail: { kind: c.kind, direct: o.direct, override: !!result.override, result },
    });
  });
  return { status: 'applied', result };
}

/**
 * A direct change applied at once under the worker's own context. A conflict stays a conflict; a registry rule
 * that refuses it leaves it pending for the officer with the reason.
 */
export async function applyDirect(deps: Deps, ctx: RequestContext, c: ChangeRow): Promise<FieldChangeStatus> {
  try {
    return (await applyCore(deps, ctx, c, { direct: true })).status;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    await repo.releaseChange(deps.db, c.id, { applyError: { message: e.detail ?? e.code, errors: e.errors ?? [] } });
    return 'pending';
  }
}

// ---- review (console) --------------------------------------------------------------------------------------------

const ageHours = (c: { received_at: Date | string }) => Math.max(0, Math.floor((Date.now() - new Date(c.received_at).getTime()) / 3_600_000));

export function presentChangeSummary(c: ChangeView) {
  return {
    id: c.id,
    kind: c.kind,
    kindName: CHANGE_KIND_NAMES[c.kind],
    status: c.status,
    summary: c.summary,
    direct: c.direct,
    address: { id: c.address_id, fullText: c.address_text },
    orgUnit: { id: c.org_unit_id, name: c.org_unit_name },
    worker: { id: c.worker_id, name: c.worker_name },
    occurredAt: iso(c.occurred_at),
    receivedAt: iso(c.received_at),
    ageHours: ageHours(c),
    reviewedAt: c.reviewed_at ? iso(c.reviewed_at) : null,
    reviewerName: c.reviewer_name,
    reviewNote: c.review_note,
    hasConflict: c.status === 'conflict',
  };
}

/** The proposal as labelled rows, phones and identity numbers masked. */
function proposalRows(c: { kind: FieldChangeKind; payload: unknown }) {
  const { data } = payloadOf(c);
  const labels = CHANGE_FIELD_LABELS[c.kind];
  return Object.keys(labels)
    .filter((k) => k in data)
    .map((k) => ({ field: k, label: labels[k], value: show(k, data[k]) }));
}

/** The worker's own view of a change (no other person's data beyond what the worker sent). */
export function presentMyChange(c: ChangeView) {
  const result = priorResult(c.result);
  return {
    id: c.id,
    clientId: c.client_id,
    kind: c.kind,
    kindName: CHANGE_KIND_NAMES[c.kind],
    status: c.status,
    summary: c.summary,
    direct: c.direct,
    address: { id: c.address_id, fullText: c.address_text },
    proposal: proposalRows(c),
    occurredAt: iso(c.occurred_at),
    receivedAt: iso(c.received_at),
    reviewedAt: c.reviewed_at ? iso(c.reviewed_at) : null,
    reviewerName: c.reviewer_name,
    reviewNote: c.review_note,
    conflict: c.conflict,
    result: result ? { message: result.message ?? null, applyError: result.applyError ?? null } : null,
  };
}

export async function listChanges(
  deps: Deps,
  ctx: RequestContext,
  f: { status?: FieldChangeStatus; kind?: FieldChangeKind; workerId?: string; unitId?: string },
  paging: { limit: number; offset: number; page: number },
) {
  const me = staffOf(ctx);
  let unitPath: string | undefined;
  if (f.unitId) {
    const u = await repo.orgUnitInScope(deps.db, me.scopePath, f.unitId);
    if (!u) return { items: [], total: 0 };
    unitPath = u.path;
  }
  const { rows, total } = await repo.listChanges(deps.db, { scopePath: me.scopePath, unitPath, status: f.status, kind: f.kind, workerId: f.workerId }, paging.limit, paging.offset);
  await recordAudit(deps.db, ctx, {
    action: 'field.change.list',
    subjectType: 'field_change',
    subjectIds: rows.map((r) => r.id),
    detail: { status: f.status, kind: f.kind, workerId: f.workerId, unitId: f.unitId, total, page: paging.page },
  });
  return { items: rows.map(presentChangeSummary), total };
}

async function changeOr404(deps: Deps, ctx: RequestContext, id: string) {
  const c = await repo.changeInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!c) throw notFound(NOT_FOUND_CHANGE);
  return c;
}

/** The registry beside a change: the record it names (or the address's residents / units), masked. */
async function registryBeside(deps: Deps, c: ChangeView) {
  const today = todayCst();
  const labels = CHANGE_FIELD_LABELS[c.kind];
  const cur = await currentOf(deps, c);
  const rows = cur?.exists
    ? Object.keys(labels)
        .filter((k) => k in cur.values)
        .map((k) => ({ field: k, label: labels[k], value: show(k, cur.values[k]) }))
    : null;
  const residents = c.kind === 'person_add' || c.kind === 'move_out' ? await pop.residentsAt(deps.db, c.address_id, today) : [];
  const units = c.kind === 'unit_add' || c.kind === 'unit_update' ? await repo.unitsAt(deps.db, { addressId: c.address_id }) : [];
  return {
    record: cur ? { exists: cur.exists, version: cur.version, name: cur.name, fields: rows, ...(c.kind === 'move_out' && cur.exists ? { fromDate: cur.values.fromDate, toDate: cur.values.toDate } : {}) } : null,
    residents: residents.map((r) => ({
      residenceId: r.residence_id,
      personId: r.person_id,
      name: r.name,
      sex: r.sex,
      age: ageOn(r.birth_date, today),
      idMasked: maskedIdOf(r),
      relation: r.relation,
      relationName: displayValue('relation', r.relation),
      fromDate: r.from_date,
    })),
    units: units.map((u) => ({ id: u.id, name: u.name, unitType: u.unit_type, creditCode: u.credit_code, status: u.status })),
    personIds: [...residents.map((r) => r.person_id), ...(c.kind === 'person_update' && c.target_id ? [c.target_id] : []), ...(cur?.values.personId ? [cur.values.personId as string] : [])],
  };
}

/** Persons already holding the identity numbers of a change (by blind index); outside the scope only as a flag. */
async function matchesOf(deps: Deps, scopePath: string, c: ChangeView) {
  const out: Array<{ personId: string; name: string; idMasked: string | null; currentAddress: string | null; sameAddress: boolean; inScope: true } | { inScope: false }> = [];
  for (const blind of c.id_blinds) {
    const hit = await pop.personByIdBlind(deps.db, blind);
    if (!hit) continue;
    if (!hit.path.startsWith(scopePath)) {
      out.push({ inScope: false });
      continue;
    }
    const p = (await pop.personAnywhere(deps.db, hit.id))!;
    const cur = (await pop.residencesOfPerson(deps.db, hit.id)).find((r) => r.to_date === null);
    out.push({ personId: p.id, name: p.name, idMasked: maskedIdOf(p), currentAddress: cur?.full_text ?? null, sameAddress: cur?.address_id === c.address_id, inScope: true });
  }
  return out;
}

export async function getChange(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const c = await changeOr404(deps, ctx, id);
  const beside = await registryBeside(deps, c);
  const matches = await matchesOf(deps, me.scopePath, c);
  const matchIds = matches.flatMap((m) => (m.inScope ? [m.personId] : []));
  await recordAudit(deps.db, ctx, {
    action: 'field.change.read',
    subjectType: 'field_change',
    subjectIds: [c.id, ...new Set([...beside.personIds, ...matchIds])],
    subjectUnitId: c.org_unit_id,
    detail: { kind: c.kind, status: c.status },
  });
  const result = priorResult(c.result);
  return {
    ...presentChangeSummary(c),
    targetId: c.target_id,
    baseVersion: c.base_version,
    note: payloadNote(c),
    proposal: proposalRows(c),
    current: beside.record,
    residents: beside.residents,
    units: beside.units,
    conflict: c.conflict,
    matches,
    result,
  };
}

const payloadNote = (c: { payload: unknown }) => payloadOf(c).note ?? null;

export async function applyChange(deps: Deps, ctx: RequestContext, id: string, input: { override?: boolean; note?: string }) {
  const c = await changeOr404(deps, ctx, id);
  if (c.status === 'applied') throw conflict('该变更已入库', 'status');
  if (c.status === 'rejected') throw conflict('该变更已被驳回', 'status');
  const out = await applyCore(deps, ctx, c, { override: input.override, note: input.note?.trim() || null, direct: false });
  if (out.status === 'conflict') {
    throw new DomainError('conflict', 409, `${out.conflict.message}，请核对后选择“覆盖入库”或驳回`, [{ field: 'override', message: '登记信息已变化，须确认后覆盖' }], {
      reason: 'FIELD_CONFLICT',
      conflict: out.conflict,
    });
  }
  return getChange(deps, ctx, id);
}

export async function rejectChange(deps: Deps, ctx: RequestContext, id: string, reasonText: string) {
  const me = staffOf(ctx);
  const reason = reasonText.trim();
  if ([...reason].length < 2) throw validationError([{ field: 'reason', message: '驳回原因至少 2 个字' }]);
  const c = await changeOr404(deps, ctx, id);
  if (c.status === 'applied') throw conflict('该变更已入库，不能驳回', 'status');
  if (c.status === 'rejected') throw conflict('该变更已被驳回', 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.rejectChange(trx, c.id, me.userId, reason))) throw conflict('该变更正在由他人处理，请稍后刷新', 'status');
    await recordAudit(trx, ctx, { action: 'field.change.reject', subjectType: 'field_change', subjectIds: [c.id], subjectUnitId: c.org_unit_id, detail: { kind: c.kind, reason } });
  });
  return getChange(deps, ctx, id);
}

export async function myChanges(deps: Deps, ctx: RequestContext, status: FieldChangeStatus | undefined, paging: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  const { rows, total } = await repo.changesOfWorker(deps.db, me.scopePath, me.userId, status, paging.limit, paging.offset);
  return { items: rows.map(presentMyChange), total };
}

// ---- direct-change grants ----------------------------------------------------------------------------------------

type CollectorRow = Awaited<ReturnType<typeof repo.collectorsInScope>>[number];
const presentGrant = (u: CollectorRow) => ({
  userId: u.id,
  username: u.username,
  name: u.display_name,
  phone: maskPhone(u.phone),
  status: u.status,
  roles: u.roles ?? [],
  orgUnit: { id: u.org_unit_id, name: u.org_unit_name },
  direct: !!u.granted_at,
  grantedAt: u.granted_at ? iso(u.granted_at) : null,
  grantedByName: u.granted_by_name,
  note: u.grant_note,
});

export async function listGrants(deps: Deps, ctx: RequestContext) {
  return (await repo.collectorsInScope(deps.db, staffOf(ctx).scopePath)).map(presentGrant);
}

export async function putGrant(deps: Deps, ctx: RequestContext, userId: string, input: { direct: boolean; note?: string }) {
  const me = staffOf(ctx);
  const [u] = await repo.collectorsInScope(deps.db, me.scopePath, userId);
  if (!u) throw notFound('网格员或警务助理不存在或不在您的辖区内');
  const note = input.note?.trim() || null;
  await deps.db.transaction().execute(async (trx) => {
    if (input.direct) await repo.putGrant(trx, userId, me.userId, note);
    else await repo.dropGrant(trx, userId);
    await recordAudit(trx, ctx, { action: 'field.grant', subjectType: 'user', subjectIds: [userId], subjectUnitId: u.org_unit_id, detail: { direct: input.direct, note } });
  });
  return presentGrant((await repo.collectorsInScope(deps.db, me.scopePath, userId))[0]);
}
