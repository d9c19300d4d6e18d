import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { can, staffOf, SYSTEM_USER_ID, type RequestContext } from '../../platform/access/context.js';
import { listAudit, recordAudit } from '../../platform/audit/service.js';
import { blindIndex, encryptField } from '../../platform/crypto/fields.js';
import { conflict, DomainError, firstResultWins, forbidden, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { maskIdNumber, parseIdNumber, type IdNumberInfo } from '../../platform/ids/index.js';
import { foldInput } from '../../platform/ids/normalize.js';
import { orgRepository } from '../org/repository.js';
import { unitsRepository } from '../units/repository.js';
import { maskPassport, presentEmployment, presentPerson, presentPersonSummary, presentResidence, presentResident } from './present.js';
import { populationRepository as repo, RANKS, type AddressRef, type PersonPatch, type PersonRow, type SearchTerms } from './repository.js';
import {
  addressSearchKey,
  DWELLING_LEVELS,
  nameKeys,
  nextEndorsement,
  normalizePhone,
  PERSON_TYPE_NAMES,
  requirePurpose,
  todayCst,
  type PersonType,
  type Relation,
} from './rules.js';

/** Blind-index domains: the same number under different domains gives unrelated indexes. */
export const ID_DOMAIN = 'resident_id';
export const PASSPORT_DOMAIN = 'passport';

export const idBlind = (deps: Deps, normalized18: string) => blindIndex(deps.config.keys.index, ID_DOMAIN, normalized18);
export const passportBlind = (deps: Deps, no: string) => blindIndex(deps.config.keys.index, PASSPORT_DOMAIN, no);
export const normalizePassport = (no: string) => foldInput(no).toUpperCase().replace(/\s+/g, '');
export const checkPassport = (no: string | null | undefined): FieldError | undefined =>
  no && !/^[A-Z0-9]{5,20}$/.test(no) ? { field: 'passportNo', message: '护照号码应为 5–20 位字母或数字' } : undefined;

export const NOT_FOUND_PERSON = '人员不存在或不在您的辖区内';

/** A PostgreSQL unique violation (a concurrent writer won), with the constraint's name when known. */
export function uniqueViolation(e: unknown): string | undefined {
  const err = e as { code?: string; constraint?: string; message?: string };
  if (err?.code !== '23505') return undefined;
  return err.constraint ?? /unique constraint "([^"]+)"/.exec(err.message ?? '')?.[1] ?? '';
}

// ---- identity numbers -----------------------------------------------------------------------------------------

/** Parses an identity number; the failure names the field with the standard's Chinese reason. */
export function checkIdNumber(field: string, raw: string, allowLegacy: boolean): { info: IdNumberInfo } | { error: FieldError } {
  const r = parseIdNumber(raw, { allowLegacy, today: todayCst() });
  return r.ok ? { info: r.value } : { error: { field, message: r.message } };
}

/** The 18-digit form the blind index is computed over (a legacy number is upgraded first). */
export const indexForm = (info: IdNumberInfo) => info.upgraded ?? info.normalized;

async function duplicateId(deps: Deps, scopePath: string, blind: string, field: string, kind: 'id' | 'passport') {
  const existing = kind === 'id' ? await repo.personByIdBlind(deps.db, blind) : await repo.personByPassportBlind(deps.db, blind);
  const message = kind === 'id' ? '该公民身份号码已登记' : '该护照号码已登记';
  // the existing record's id only when the caller may see it
  const visible = existing && existing.path.startsWith(scopePath);
  return new DomainError('conflict', 409, visible ? `${message}，请勿重复录入` : `${message}（不在您的辖区内，如需协查请联系所属单位）`, [{ field, message }], visible ? { existingPersonId: existing.id } : undefined);
}

// ---- create -------------------------------------------------------------------------------------------------

export interface ResidenceInput {
  addressId: string;
  relation: Relation;
  fromDate: string;
}

export interface CreatePersonInput {
  idNumber?: string;
  name: string;
  phone?: string;
  ethnicity?: string;
  hukouAddress?: string;
  personType?: PersonType;
  nationality?: string;
  passportNo?: string;
  passportExpiry?: string;
  floatingRegisteredOn?: string;
  expectedStayUntil?: string;
  permitIssuedOn?: string;
  orgUnitId?: string;
  residence?: ResidenceInput;
  clientId?: string;
}

export interface CreateOptions {
  /** Bulk import: 15-digit legacy numbers are accepted and flagged for upgrade. */
  allowLegacy?: boolean;
  /** Where the record came from (`manual`, `import`, `resident`…), kept on the residence. */
  source?: string;
}

export interface TypeFields {
  personType: PersonType;
  hasId: boolean;
  hasPassport: boolean;
  nationality?: string | null;
  floatingRegisteredOn?: string | null;
  expectedStayUntil?: string | null;
  permitIssuedOn?: string | null;
  birthDate?: string | null;
}

/** Rules that depend on the kind of person: registered and floating persons carry an identity number, overseas ones a passport. */
export function checkTypeFields(s: TypeFields, today: string): FieldError[] {
  const errors: FieldError[] = [];
  if (s.personType === 'overseas') {
    if (s.hasId) errors.push({ field: 'idNumber', message: '境外人员请登记国籍与护照号码，不填公民身份号码' });
    if (!s.nationality) errors.push({ field: 'nationality', message: '境外人员须填写国籍' });
    if (!s.hasPassport) errors.push({ field: 'passportNo', message: '境外人员须填写护照号码' });
  } else {
    if (!s.hasId) errors.push({ field: 'idNumber', message: '请填写公民身份号码' });
    if (s.nationality || s.hasPassport) errors.push({ field: s.hasPassport ? 'passportNo' : 'nationality', message: '仅境外人员填写国籍与护照号码' });
  }
  if (s.personType !== 'floating') {
    for (const f of ['floatingRegisteredOn', 'expectedStayUntil', 'permitIssuedOn'] as const) {
      if (s[f]) errors.push({ field: f, message: '仅流动人口填写登记日期、拟居住期限与居住证信息' });
    }
  } else {
    if (s.floatingRegisteredOn && s.floatingRegisteredOn > today) errors.push({ field: 'floatingRegisteredOn', message: '登记日期不能晚于今天' });
    if (s.floatingRegisteredOn && s.expectedStayUntil && s.expectedStayUntil < s.floatingRegisteredOn)
      errors.push({ field: 'expectedStayUntil', message: '拟居住截止日期不能早于登记日期' });
    if (s.permitIssuedOn && s.permitIssuedOn > today) errors.push({ field: 'permitIssuedOn', message: '居住证签发日期不能晚于今天' });
    if (s.permitIssuedOn && s.birthDate && s.permitIssuedOn < s.birthDate) errors.push({ field: 'permitIssuedOn', message: '居住证签发日期不能早于出生日期' });
  }
  return errors;
}

/** Checks an address a person moves into: inside the scope, a dwelling, in use. */
export async function dwellingAddress(deps: Deps, scopePath: string, addressId: string, field: string): Promise<{ address: AddressRef } | { error: FieldError }> {
  const address = await repo.addressInScope(deps.db, scopePath, addressId);
  if (!address) return { error: { field, message: '地址不存在或不在您的辖区内' } };
  if (!(DWELLING_LEVELS as readonly string[]).includes(address.level))
    return { error: { field, message: '只能登记到门牌、楼栋、单元、楼层或户室一级的标准地址' } };
  if (address.status !== 'active') return { error: { field, message: '该地址已停用' } };
  return { address };
}

/** The org unit a new record belongs to: the given one (inside the scope) or the caller's own unit. */
async function placement(deps: Deps, ctx: RequestContext, orgUnitId: string | undefined): Promise<{ id: string; county: string } | { error: FieldError }> {
  const me = staffOf(ctx);
  const id = orgUnitId ?? (me.orgUnitId === SYSTEM_USER_ID ? undefined : me.orgUnitId);
  if (!id) return { error: { field: 'orgUnitId', message: '请指定所属单位' } };
  const unit = await orgRepository.inScope(deps.db, me.scopePath, id);
  if (!unit) return { error: { field: 'orgUnitId', message: '所属单位不存在或不在您的辖区内' } };
  if (!unit.county_code) return { error: { field: 'orgUnitId', message: '请选择分局（县局）及以下单位' } };
  return { id: unit.id, county: unit.county_code };
}

async function replay(deps: Deps, ctx: RequestContext, clientId: string) {
  const prior = await repo.clientSubmission(deps.db, clientId);
  if (!prior) return undefined;
  const me = staffOf(ctx);
  if (prior.actor_id !== me.userId || prior.kind !== 'person.create') throw conflict('该 clientId 已被其他提交使用', 'clientId');
  const p = await repo.personInScope(deps.db, me.scopePath, prior.result_id);
  if (!p) throw conflict('该提交已处理，但记录已不在您的辖区内', 'clientId');
  await recordAudit(deps.db, ctx, { action: 'person.create_replay', subjectType: 'person', subjectIds: [p.id], subjectUnitId: p.org_unit_id, detail: { clientId } });
  return { person: presentPerson(deps, p, { today: todayCst(), fullPhone: true }), replayed: true };
}

/**
 * Registers a person. A retry with the same `clientId` returns the first result (`replayed: true`); a second
 * record with the same identity number is a 409.
 */
export async function createPerson(deps: Deps, ctx: RequestContext, input: CreatePersonInput, opts: CreateOptions = {}) {
  const { clientId } = input;
  if (!clientId) return insertPerson(deps, ctx, input, opts);
  return firstResultWins(
    () => replay(deps, ctx, clientId),
    () => insertPerson(deps, ctx, input, opts),
  );
}

async function insertPerson(deps: Deps, ctx: RequestContext, input: CreatePersonInput, opts: CreateOptions) {
  const me = staffOf(ctx);
  const today = todayCst();
  const errors: FieldError[] = [];
  const personType = input.personType ?? 'registered';
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: '姓名不能为空' });

  let id: IdNumberInfo | undefined;
  if (input.idNumber !== undefined && input.idNumber.trim() !== '') {
    const r = checkIdNumber('idNumber', input.idNumber, !!opts.allowLegacy);
    if ('error' in r) errors.push(r.error);
    else id = r.info;
  }
  const passportNo = input.passportNo ? normalizePassport(input.passportNo) : undefined;
  const pe = checkPassport(passportNo);
  if (pe) errors.push(pe);
  const typeErrors = checkTypeFields(
    {
      personType,
      hasId: input.idNumber !== undefined && input.idNumber.trim() !== '',
      hasPassport: !!passportNo,
      nationality: input.nationality?.trim(),
      floatingRegisteredOn: input.floatingRegisteredOn,
      expectedStayUntil: input.expectedStayUntil,
      permitIssuedOn: input.permitIssuedOn,
      birthDate: id?.birthDate,
    },
    today,
  );
  errors.push(...typeErrors.filter((e) => !errors.some((x) => x.field === e.field)));
  const phone = normalizePhone('phone', input.phone);
  if ('error' in phone) errors.push(phone.error);

  // with a residence the record follows the address's grid; the unit is checked only when one is named
  const place = input.residence && !input.orgUnitId ? undefined : await placement(deps, ctx, input.orgUnitId);
  if (place && 'error' in place) errors.push(place.error);
  let address: AddressRef | undefined;
  if (input.residence) {
    const a = await dwellingAddress(deps, me.scopePath, input.residence.addressId, 'residence.addressId');
    if ('error' in a) errors.push(a.error);
    else address = a.address;
    if (input.residence.fromDate > today) errors.push({ field: 'residence.fromDate', message: '迁入日期不能晚于今天' });
    if (id && input.residence.fromDate < id.birthDate) errors.push({ field: 'residence.fromDate', message: '迁入日期不能早于出生日期' });
  }
  if (errors.length) throw validationError(errors);

  const blind = id ? idBlind(deps, indexForm(id)) : null;
  const pBlind = passportNo ? passportBlind(deps, passportNo) : null;
  if (blind && (await repo.personByIdBlind(deps.db, blind))) throw await duplicateId(deps, me.scopePath, blind, 'idNumber', 'id');
  if (pBlind && (await repo.personByPassportBlind(deps.db, pBlind))) throw await duplicateId(deps, me.scopePath, pBlind, 'passportNo', 'passport');
  if (address && input.residence?.relation === 'householder' && (await repo.currentHouseholder(deps.db, address.id)))
    throw conflict('该地址已登记户主，请选择与户主的关系', 'residence.relation');

  const personId = uuidv7();
  const keys = nameKeys(name);
  const orgUnitId = address ? address.grid_id : (place as { id: string }).id;
  const county = address ? address.county_code : (place as { county: string }).county;
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertPerson(trx, {
        id: personId,
        id_cipher: id ? encryptField(deps.config.keys.data, id.normalized) : null,
        id_blind: blind,
        id_kind: id ? 'resident_id' : passportNo ? 'passport' : 'other',
        id_legacy: id?.legacy ?? false,
        id_last4: id?.last4 ?? null,
        birth_date: id?.birthDate ?? null,
        sex: id?.sex ?? null,
        region_code: id?.regionCode ?? null,
        name,
        name_pinyin: keys.pinyin,
        name_initials: keys.initials,
        name_pinyin_alt: keys.pinyinAlt,
        name_initials_alt: keys.initialsAlt,
        ethnicity: input.ethnicity?.trim() || null,
        phone: (phone as { value: string | null }).value,
        hukou_address: input.hukouAddress?.trim() || null,
        person_type: personType,
        nationality: input.nationality?.trim() || null,
        passport_no_cipher: passportNo ? encryptField(deps.config.keys.data, passportNo) : null,
        passport_blind: pBlind,
        passport_expiry: input.passportExpiry ?? null,
        floating_registered_on: input.floatingRegisteredOn ?? null,
        expected_stay_until: input.expectedStayUntil ?? null,
        permit_issued_on: input.permitIssuedOn ?? null,
        permit_next_endorsement: input.permitIssuedOn ? nextEndorsement(input.permitIssuedOn, today).anniversary : null,
        org_unit_id: orgUnitId,
        county_code: county,
      });
      let residenceId: string | undefined;
      if (address && input.residence) {
        residenceId = uuidv7();
        await repo.insertResidence(trx, {
          id: residenceId,
          person_id: personId,
          address_id: address.id,
          relation: input.residence.relation,
          from_date: input.residence.fromDate,
          to_date: null,
          source: opts.source ?? 'manual',
        });
      }
      if (input.clientId) await repo.insertClientSubmission(trx, { client_id: input.clientId, actor_id: me.userId, kind: 'person.create', result_id: personId });
      await recordAudit(trx, ctx, {
        action: 'person.create',
        subjectType: 'person',
        subjectIds: [personId],
        subjectUnitId: orgUnitId,
        detail: { personType, idLegacy: id?.legacy ?? false, residenceId, addressId: address?.id, source: opts.source ?? 'manual', clientId: input.clientId },
      });
    });
  } catch (e) {
    const c = uniqueViolation(e);
    if (c === undefined) throw e;
    if (blind && c.includes('id_blind')) throw await duplicateId(deps, me.scopePath, blind, 'idNumber', 'id');
    if (pBlind && c.includes('passport_blind')) throw await duplicateId(deps, me.scopePath, pBlind, 'passportNo', 'passport');
    if (c.includes('householder')) throw conflict('该地址已登记户主，请选择与户主的关系', 'residence.relation');
    throw conflict('记录已存在（可能刚被他人创建）');
  }
  const row = (await repo.personAnywhere(deps.db, personId))!;
  return { person: presentPerson(deps, row, { today, fullPhone: true }), replayed: false };
}

// ---- update -------------------------------------------------------------------------------------------------

export interface UpdatePersonInput {
  idNumber?: string;
  name?: string;
  phone?: string | null;
  ethnicity?: string | null;
  hukouAddress?: string | null;
  personType?: PersonType;
  nationality?: string | null;
  passportNo?: string | null;
  passportExpiry?: string | null;
  floatingRegisteredOn?: string | null;
  expectedStayUntil?: string | null;
  permitIssuedOn?: string | null;
  /** Only while the person has no current residence: with one, the record follows the residence's grid. */
  orgUnitId?: string;
}

export async function updatePerson(deps: Deps, ctx: RequestContext, personId: string, patch: UpdatePersonInput) {
  const me = staffOf(ctx);
  const p = await repo.personInScope(deps.db, me.scopePath, personId);
  if (!p) throw notFound(NOT_FOUND_PERSON);
  const today = todayCst();
  const errors: FieldError[] = [];
  const set: PersonPatch = {};

  let id: IdNumberInfo | undefined;
  if (patch.idNumber !== undefined) {
    const r = checkIdNumber('idNumber', patch.idNumber, false);
    if ('error' in r) errors.push(r.error);
    else id = r.info;
  }
  const personType = patch.personType ?? p.person_type;
  const passportNo = patch.passportNo === undefined ? undefined : patch.passportNo === null ? null : normalizePassport(patch.passportNo);
  // the record as it would be after the change
  const merged = {
    personType,
    hasId: id ? true : patch.idNumber === undefined && !!p.id_cipher,
    hasPassport: passportNo === undefined ? !!p.passport_no_cipher : !!passportNo,
    nationality: patch.nationality === undefined ? p.nationality : patch.nationality?.trim() || null,
    floatingRegisteredOn: patch.floatingRegisteredOn === undefined ? p.floating_registered_on : patch.floatingRegisteredOn,
    expectedStayUntil: patch.expectedStayUntil === undefined ? p.expected_stay_until : patch.expectedStayUntil,
    permitIssuedOn: patch.permitIssuedOn === undefined ? p.permit_issued_on : patch.permitIssuedOn,
    birthDate: id?.birthDate ?? p.birth_date,
  };
  const pe = checkPassport(passportNo);
  if (pe) errors.push(pe);
  // a change of type that leaves old fields behind names the fields to clear
  const typeErrors = checkTypeFields(merged, today);
  errors.push(...typeErrors.filter((e) => !errors.some((x) => x.field === e.field)));
  if (patch.phone !== undefined) {
    const ph = normalizePhone('phone', patch.phone);
    if ('error' in ph) errors.push(ph.error);
    else set.phone = ph.value;
  }
  if (patch.name !== undefined) {
    const name = patch.name.trim();
    if (!name) errors.push({ field: 'name', message: '姓名不能为空' });
    const k = nameKeys(name);
    Object.assign(set, { name, name_pinyin: k.pinyin, name_initials: k.initials, name_pinyin_alt: k.pinyinAlt, name_initials_alt: k.initialsAlt });
  }
  if (patch.orgUnitId !== undefined && patch.orgUnitId !== p.org_unit_id) {
    const current = (await repo.residencesOfPerson(deps.db, personId)).some((r) => r.to_date === null);
    if (current) errors.push({ field: 'orgUnitId', message: '有现住址的人员随住址所在网格管理，请通过迁入迁出变更' });
    else {
      const place = await placement(deps, ctx, patch.orgUnitId);
      if ('error' in place) errors.push(place.error);
      else Object.assign(set, { org_unit_id: place.id, county_code: place.county });
    }
  }
  if (errors.length) throw validationError(errors);

  let blind: string | undefined;
  if (id) {
    blind = idBlind(deps, indexForm(id));
    const other = await repo.personByIdBlind(deps.db, blind);
    if (other && other.id !== personId) throw await duplicateId(deps, me.scopePath, blind, 'idNumber', 'id');
    Object.assign(set, {
      id_cipher: encryptField(deps.config.keys.data, id.normalized),
      id_blind: blind,
      id_kind: 'resident_id',
      id_legacy: false,
      id_last4: id.last4,
      birth_date: id.birthDate,
      sex: id.sex,
      region_code: id.regionCode,
    });
  }
  let pBlind: string | undefined;
  if (passportNo) {
    pBlind = passportBlind(deps, passportNo);
    const other = await repo.personByPassportBlind(deps.db, pBlind);
    if (other && other.id !== personId) throw await duplicateId(deps, me.scopePath, pBlind, 'passportNo', 'passport');
    Object.assign(set, { passport_no_cipher: encryptField(deps.config.keys.data, passportNo), passport_blind: pBlind, ...(id ? {} : { id_kind: 'passport' }) });
  } else if (passportNo === null) Object.assign(set, { passport_no_cipher: null, passport_blind: null });
  if (patch.personType !== undefined) set.person_type = patch.personType;
  if (patch.ethnicity !== undefined) set.ethnicity = patch.ethnicity?.trim() || null;
  if (patch.hukouAddress !== undefined) set.hukou_address = patch.hukouAddress?.trim() || null;
  if (patch.nationality !== undefined) set.nationality = patch.nationality?.trim() || null;
  if (patch.passportExpiry !== undefined) set.passport_expiry = patch.passportExpiry;
  if (patch.floatingRegisteredOn !== undefined) set.floating_registered_on = patch.floatingRegisteredOn;
  if (patch.expectedStayUntil !== undefined) set.expected_stay_until = patch.expectedStayUntil;
  if (patch.permitIssuedOn !== undefined) {
    set.permit_issued_on = patch.permitIssuedOn;
    set.permit_next_endorsement = patch.permitIssuedOn ? nextEndorsement(patch.permitIssuedOn, today).anniversary : null;
  }
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.updatePerson(trx, personId, set);
      await recordAudit(trx, ctx, {
        action: 'person.update',
        subjectType: 'person',
        subjectIds: [personId],
        subjectUnitId: (set.org_unit_id as string | undefined) ?? p.org_unit_id,
        // field names only, never the values (an identity number must not reach the log)
        detail: { fields: Object.keys(patch) },
      });
    });
  } catch (e) {
    const c = uniqueViolation(e);
    if (c === undefined) throw e;
    if (blind && c.includes('id_blind')) throw await duplicateId(deps, me.scopePath, blind, 'idNumber', 'id');
    if (pBlind && c.includes('passport_blind')) throw await duplicateId(deps, me.scopePath, pBlind, 'passportNo', 'passport');
    throw conflict('记录已存在（可能刚被他人修改）');
  }
  const row = (await repo.personAnywhere(deps.db, personId))!;
  return presentPerson(deps, row, { today, fullPhone: true });
}

// ---- search -------------------------------------------------------------------------------------------------

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** What a query can mean: an identity number, a passport, a name, pinyin, a phone number, an address. */
export function classifyQuery(deps: Deps, raw: string): { terms: SearchTerms; audit: Record<string, unknown> } {
  const q = foldInput(raw).trim();
  const compact = q.replace(/\s+/g, '');
  const terms: SearchTerms = {};
  if (!compact) return { terms, audit: { kind: 'all' } };
  const id = parseIdNumber(compact, { allowLegacy: true, today: todayCst() });
  if (id.ok) {
    const blind = idBlind(deps, indexForm(id.value));
    terms.idBlind = blind;
    // the audit row keeps the same keyed index as persons.id_blind (so "who searched this number" can be
    // answered) and the masked form, never the number itself
    return { terms, audit: { kind: 'id_number', masked: maskIdNumber(id.value.normalized), idBlind: blind } };
  }
  // digits (a phone, a house number, a mistyped identity number): never kept in clear in the audit row
  if (/^[\d-]*\d[\d-]*[Xx]?$/.test(compact)) {
    const digits = compact.replace(/-/g, '').toUpperCase();
    if (/^\d{4,}$/.test(digits)) terms.phone = digits;
    if (/^\d{2,}$/.test(digits)) terms.address = digits;
    const masked = digits.length >= 7 ? `${digits.slice(0, 3)}****${digits.slice(-4)}` : '*'.repeat(digits.length);
    return { terms, audit: { kind: 'digits', masked, hash: blindIndex(deps.config.keys.index, 'search_digits', digits) } };
  }
  if (/^[A-Za-z]+\d[A-Za-z0-9]*$/.test(compact) && compact.length >= 5 && compact.length <= 20) {
    const no = compact.toUpperCase();
    terms.passportBlind = passportBlind(deps, no);
    return { terms, audit: { kind: 'passport', masked: maskPassport(no), passportBlind: terms.passportBlind } };
  }
  if (/^[A-Za-z' ]+$/.test(q)) {
    terms.pinyin = q.toLowerCase().replace(/[^a-z]/g, '');
    terms.name = q; // Latin names are stored as written
    return { terms, audit: { kind: 'pinyin', text: q.slice(0, 20) } };
  }
  if (CJK.test(q)) {
    terms.name = compact;
    const key = addressSearchKey(q);
    if (key.length >= 2) terms.address = key;
  } else {
    terms.address = addressSearchKey(q);
  }
  return { terms, audit: { kind: 'text', text: compact.slice(0, 20) } };
}

/**
 * Ranked search inside the caller's jurisdiction: identity number (exact, by blind index; a 15-digit number is
 * upgraded first) > exact name > name prefix > full pinyin > initials > pinyin prefix > phone > current address.
 * Results are masked. The search itself is audited (`person.search`) with the page's ids as subjects and the
 * query in a form that does not hold an identity or phone number in clear.
 */
export async function searchPersons(
  deps: Deps,
  ctx: RequestContext,
  f: { q?: string; personType?: PersonType },
  paging: { limit: number; offset: number; page: number },
) {
  const me = staffOf(ctx);
  const { terms, audit } = classifyQuery(deps, f.q ?? '');
  if (f.personType) terms.personType = f.personType;
  const { rows, total } = await repo.search(deps.db, me.scopePath, terms, paging.limit, paging.offset);
  const today = todayCst();
  await recordAudit(deps.db, ctx, {
    action: 'person.search',
    subjectType: 'person',
    subjectIds: rows.map((r) => r.id),
    detail: { query: audit, personType: f.personType, total, page: paging.page },
  });
  return {
    items: rows.map((r) => ({ ...presentPersonSummary(r, today), matchedBy: r.rank in RANKS ? RANKS[r.rank as keyof typeof RANKS] : null })),
    total,
  };
}

// ---- person page (全息档案) ------------------------------------------------------------------------------------

/**
 * The person in the caller's jurisdiction; outside it only for callers with `xiecha` who state a purpose, and
 * then flagged as a cross-jurisdiction access. The purpose is checked before the look-up, so a refusal says
 * nothing about whether the person exists.
 */
async function reach(deps: Deps, ctx: RequestContext, personId: string, purpose: string | undefined, what: string) {
  const me = staffOf(ctx);
  const own = await repo.personInScope(deps.db, me.scopePath, personId);
  if (own) return { person: own, cross: false };
  if (can(ctx, 'xiecha') && purpose !== undefined) {
    requirePurpose(purpose, what);
    const any = await repo.personAnywhere(deps.db, personId);
    if (any) return { person: any, cross: true };
  }
  throw notFound(NOT_FOUND_PERSON);
}

async function householdOf(deps: Deps, personId: string, addressId: string | undefined, today: string) {
  if (!addressId) return [];
  return (await repo.residentsAt(deps.db, addressId, today)).filter((r) => r.person_id !== personId).map((r) => presentResident(r, today));
}

export async function getPerson(deps: Deps, ctx: RequestContext, personId: string, o: { full?: boolean; purpose?: string }) {
  if (o.full && !can(ctx, 'person.id_full')) throw forbidden('您没有查看完整证件号码的权限（person.id_full）');
  const { person: p, cross } = await reach(deps, ctx, personId, o.purpose, '跨辖区查阅人员档案');
  const purpose = o.full || cross ? requirePurpose(o.purpose, o.full ? '查看完整证件号码' : '跨辖区查阅人员档案') : o.purpose?.trim() || undefined;
  const today = todayCst();
  const residences = await repo.residencesOfPerson(deps.db, personId);
  const current = residences.find((r) => r.to_date === null);
  const household = await householdOf(deps, personId, current?.address_id, today);
  const employment = await unitsRepository.employmentsOfPerson(deps.db, personId);
  await deps.db.transaction().execute(async (trx) => {
    const base = { subjectType: 'person', subjectUnitId: p.org_unit_id, purpose, crossJurisdiction: cross };
    await recordAudit(trx, ctx, { ...base, action: 'person.view', subjectIds: [personId, ...household.map((h) => h.personId)] });
    if (o.full) await recordAudit(trx, ctx, { ...base, action: 'person.view_id', subjectIds: [personId] });
  });
  return {
    person: presentPerson(deps, p, { today, fullId: !!o.full, fullPhone: true }),
    crossJurisdiction: cross,
    residences: residences.map(presentResidence),
    household,
    employment: employment.map((e) => presentEmployment(e, today)),
    ...(can(ctx, 'audit.read') ? { recentAccess: await recentAccess(deps, personId) } : {}),
  };
}

/**
 * The last 20 audit rows about a person, whoever wrote them: the home jurisdiction must see 协查 looks from
 * outside as well as its own staff's.
 */
async function recentAccess(deps: Deps, personId: string) {
  const { rows } = await listAudit(deps.db, { subjectId: personId, scopePath: '/', includeUnscoped: true }, 20, 0);
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actorName: r.actor_name,
    actorRole: r.actor_role,
    action: r.action,
    purpose: r.purpose,
    crossJurisdiction: r.cross_jurisdiction,
  }));
}

// ---- locate (社区警务信息定位) -----------------------------------------------------------------------------------

/**
 * Where a person lives now (standard address with its map point), who lives there with them, where they lived
 * before and where they work. Always needs a purpose; audited with it.
 */
export async function locatePerson(deps: Deps, ctx: RequestContext, personId: string, purposeText: string | undefined) {
  const purpose = requirePurpose(purposeText, '人员定位');
  const { person: p, cross } = await reach(deps, ctx, personId, purpose, '人员定位');
  const today = todayCst();
  const residences = await repo.residencesOfPerson(deps.db, personId);
  const current = residences.find((r) => r.to_date === null);
  const coResidents = await householdOf(deps, personId, current?.address_id, today);
  const employers = await unitsRepository.employmentsOfPerson(deps.db, personId, true);
  await recordAudit(deps.db, ctx, {
    action: 'person.locate',
    subjectType: 'person',
    subjectIds: [personId, ...coResidents.map((c) => c.personId)],
    subjectUnitId: p.org_unit_id,
    purpose,
    crossJurisdiction: cross,
    detail: cross ? { personOrgUnitId: p.org_unit_id } : undefined,
  });
  return {
    person: presentPerson(deps, p, { today, fullPhone: true }),
    crossJurisdiction: cross,
    current: current ? presentResidence(current) : null,
    coResidents,
    pastResidences: residences.filter((r) => r.to_date !== null).map(presentResidence),
    employers: employers.map((e) => presentEmployment(e, today)),
  };
}

export type { PersonRow };

// ---- export ----------------------------------------------------------------------------------------------------

export const EXPORT_MAX_ROWS = 200_000;
const EXPORT_BATCH = 1_000;

export const PERSON_EXPORT_HEADER = ['姓名', '性别', '年龄', '公民身份号码（脱敏）', '人员类别', '联系电话（脱敏）', '现住址', '所属网格'];

/**
 * A filtered list of people for a spreadsheet: the same query and scope as the search, always masked, with a
 * stated purpose. The export is audited once, with the purpose, the query (in its audit form) and the count,
 * before any row leaves the server.
 */
export async function exportPersons(deps: Deps, ctx: RequestContext, f: { q?: string; personType?: PersonType }, purposeText: string | undefined) {
  const purpose = requirePurpose(purposeText, '导出人员名单');
  const me = staffOf(ctx);
  const { terms, audit } = classifyQuery(deps, f.q ?? '');
  if (f.personType) terms.personType = f.personType;
  const first = await repo.search(deps.db, me.scopePath, terms, EXPORT_BATCH, 0);
  if (first.total > EXPORT_MAX_ROWS) {
    throw validationError([{ field: 'q', message: `符合条件的人员有 ${first.total} 人，超过单次导出上限 ${EXPORT_MAX_ROWS} 人，请缩小范围` }]);
  }
  await recordAudit(deps.db, ctx, {
    action: 'person.export',
    subjectType: 'person',
    purpose,
    detail: { query: audit, personType: f.personType, rows: first.total },
  });
  const today = todayCst();
  const toRow = (r: (typeof first.rows)[number]) => {
    const p = presentPersonSummary(r, today);
    return [p.name, p.sex === 'M' ? '男' : p.sex === 'F' ? '女' : '', p.age, p.idNumber, PERSON_TYPE_NAMES[p.personType], p.phone, p.currentAddress, p.orgUnit.name];
  };
  // keyset paging: each batch starts after the last row of the one before (rank, pinyin, id), so a batch
  // costs the same at the end of a long list as at its start; the count stays the one that was audited
  async function* rows() {
    let batch = first.rows;
    let sent = 0;
    for (;;) {
      const take = batch.slice(0, Math.max(0, first.total - sent));
      yield take.map(toRow);
      sent += take.length;
      if (sent >= first.total || batch.length < EXPORT_BATCH) return;
      const last = batch[batch.length - 1];
      batch = await repo.searchAfter(deps.db, me.scopePath, terms, EXPORT_BATCH, { rank: last.rank, name_pinyin: last.name_pinyin, id: last.id });
      if (batch.length === 0) return;
    }
  }
  return { total: first.total, rows: rows() };
}
