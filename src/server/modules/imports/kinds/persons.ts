import { v7 as uuidv7 } from 'uuid';
import type { Insertable, Kysely } from 'kysely';
import type { DB, PersonTable, ResidenceTable } from '../../../db/schema.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { encryptField } from '../../../platform/crypto/fields.js';
import type { FieldError } from '../../../platform/errors/index.js';
import type { IdNumberInfo } from '../../../platform/ids/index.js';
import { populationRepository } from '../../population/repository.js';
import {
  DWELLING_LEVELS,
  nameKeys,
  nextEndorsement,
  PERSON_TYPE_NAMES,
  RELATION_NAMES,
  type NameKeys,
  type PersonType,
  type Relation,
} from '../../population/rules.js';
import { checkPassport, checkTypeFields, normalizePassport, passportBlind } from '../../population/service.js';
import { readIdNumber } from './ids.js';
import type { ColumnDef, RowValues } from '../cells.js';
import { importsRepository as repo, type BulkAddress, type BulkPerson } from '../repository.js';
import type { BatchDone, ImportKindDef, JobEnv, ParsedRow, RowPlan } from './types.js';

const columns: ColumnDef[] = [
  { field: 'idNumber', header: '公民身份号码', aliases: ['身份证号', '身份证号码', '证件号码', '身份证'], example: '371602199003071236', note: '18 位（末位 X 可小写）；旧 15 位号码可导入并标记待核。境外人员不填。请将该列设为“文本”格式' },
  { field: 'name', header: '姓名', required: true, example: '张金明', note: '必填' },
  { field: 'personType', header: '人员类别', aliases: ['人口类别', '人员类型'], values: PERSON_TYPE_NAMES, example: '户籍人口', note: '户籍人口、流动人口或境外人员；新登记人员不填时为户籍人口' },
  { field: 'phone', header: '联系电话', aliases: ['手机号', '手机号码', '电话'], example: '13805431234', note: '11 位手机号或带区号的固定电话' },
  { field: 'ethnicity', header: '民族', example: '汉族', note: '' },
  { field: 'hukouAddress', header: '户籍地址', aliases: ['户籍地', '户籍地详址'], example: '山东省滨州市滨城区黄河五路100号', note: '' },
  { field: 'nationality', header: '国籍', example: '', note: '仅境外人员填写' },
  { field: 'passportNo', header: '护照号码', aliases: ['护照号'], example: '', note: '仅境外人员填写（境外人员以护照号码识别）' },
  { field: 'passportExpiry', header: '护照有效期至', example: '', note: '日期，如 2030-05-01' },
  { field: 'addressCode', header: '现住址编码', aliases: ['地址编码', '标准地址编码', '居住地址编码'], example: '', note: '标准地址编码（门牌、楼栋、单元、楼层或户室一级），可在“标准地址”中查到或导出' },
  { field: 'relation', header: '与户主关系', aliases: ['关系'], values: RELATION_NAMES, example: '户主', note: '填写现住址时必填' },
  { field: 'fromDate', header: '迁入日期', aliases: ['入住日期', '居住起始日期'], example: '2020-05-01', note: '填写现住址时必填；迁往新住址时原住址记录于此日结束' },
  { field: 'floatingRegisteredOn', header: '流动人口登记日期', aliases: ['登记日期'], example: '', note: '仅流动人口' },
  { field: 'expectedStayUntil', header: '拟居住至', aliases: ['拟居住期限'], example: '', note: '仅流动人口' },
  { field: 'permitIssuedOn', header: '居住证签发日期', example: '', note: '仅流动人口' },
  { field: 'orgUnitCode', header: '所属单位编码', aliases: ['网格编码', '所属网格编码'], example: '', note: '无现住址的人员归属的单位（网格、警务区或派出所）编码；不填时为导入人所在单位' },
];

const TYPE_NAMES: Record<string, PersonType> = { 户籍: 'registered', 常住人口: 'registered', 流动: 'floating', 暂住人口: 'floating', 境外: 'overseas', 外籍人员: 'overseas' };
const RELATION_ALIASES: Record<string, Relation> = { 本人: 'householder', 户主本人: 'householder', 妻: 'spouse', 夫: 'spouse', 妻子: 'spouse', 丈夫: 'spouse', 儿子: 'child', 女儿: 'child', 父亲: 'parent', 母亲: 'parent', 租客: 'tenant', 承租人: 'tenant' };

export interface PersonImport {
  id?: IdNumberInfo;
  blind?: string;
  passportNo?: string;
  passportBlind?: string;
  name: string;
  keys: NameKeys;
  phone?: string;
  ethnicity?: string;
  hukouAddress?: string;
  personType?: PersonType;
  nationality?: string;
  passportExpiry?: string;
  floatingRegisteredOn?: string;
  expectedStayUntil?: string;
  permitIssuedOn?: string;
  addressCode?: string;
  relation?: Relation;
  fromDate?: string;
  orgUnitCode?: string;
}

function parse(v: RowValues, env: JobEnv): PersonImport | undefined {
  const { deps } = env;
  const out: Partial<PersonImport> = {};
  const id = readIdNumber(v, 'idNumber', deps);
  if (id) {
    out.id = id.info;
    out.blind = id.blind;
  }
  const passport = v.text('passportNo', { max: 40 });
  if (passport) {
    const no = normalizePassport(passport);
    const pe = checkPassport(no);
    if (pe) v.fail('passportNo', pe.message);
    else {
      out.passportNo = no;
      out.passportBlind = passportBlind(deps, no);
    }
  }
  if (v.raw('idNumber') === undefined && !passport) v.fail('idNumber', '请填写公民身份号码（境外人员填写护照号码）');
  const name = v.text('name', { required: '姓名不能为空', max: 64 });
  if (name) {
    out.name = name;
    out.keys = nameKeys(name);
  }
  out.personType = v.choice('personType', PERSON_TYPE_NAMES, { names: TYPE_NAMES });
  out.phone = v.phone('phone');
  out.ethnicity = v.text('ethnicity', { max: 16 });
  out.hukouAddress = v.text('hukouAddress', { max: 200 });
  out.nationality = v.text('nationality', { max: 64 });
  out.passportExpiry = v.date('passportExpiry');
  out.floatingRegisteredOn = v.date('floatingRegisteredOn');
  out.expectedStayUntil = v.date('expectedStayUntil');
  out.permitIssuedOn = v.date('permitIssuedOn');
  out.orgUnitCode = v.text('orgUnitCode', { max: 32 });
  out.addressCode = v.text('addressCode', { max: 40 });
  out.relation = v.choice('relation', RELATION_NAMES, { names: RELATION_ALIASES });
  out.fromDate = v.date('fromDate');
  if (out.addressCode) {
    if (!out.relation && !v.errors.some((e) => e.field === 'relation')) v.fail('relation', '填写现住址时须填写与户主关系');
    if (!out.fromDate && !v.errors.some((e) => e.field === 'fromDate')) v.fail('fromDate', '填写现住址时须填写迁入日期');
  } else if (out.relation || out.fromDate) v.fail('addressCode', '填写与户主关系或迁入日期时须填写现住址编码');
  if (out.fromDate && out.fromDate > env.today) v.fail('fromDate', '迁入日期不能晚于今天');
  if (out.fromDate && out.id && out.fromDate < out.id.birthDate) v.fail('fromDate', '迁入日期不能早于出生日期');
  return v.errors.length ? undefined : (out as PersonImport);
}

const key = (p: PersonImport) => (p.blind ? `id:${p.blind}` : `pp:${p.passportBlind}`);

/** The person columns an import row sets (blank cells leave what is recorded). */
function fieldsOf(p: PersonImport): Partial<Insertable<PersonTable>> {
  const f: Partial<Insertable<PersonTable>> = {};
  f.name = p.name;
  if (p.phone !== undefined) f.phone = p.phone;
  if (p.ethnicity !== undefined) f.ethnicity = p.ethnicity;
  if (p.hukouAddress !== undefined) f.hukou_address = p.hukouAddress;
  if (p.personType !== undefined) f.person_type = p.personType;
  if (p.nationality !== undefined) f.nationality = p.nationality;
  if (p.passportExpiry !== undefined) f.passport_expiry = p.passportExpiry;
  if (p.floatingRegisteredOn !== undefined) f.floating_registered_on = p.floatingRegisteredOn;
  if (p.expectedStayUntil !== undefined) f.expected_stay_until = p.expectedStayUntil;
  if (p.permitIssuedOn !== undefined) f.permit_issued_on = p.permitIssuedOn;
  return f;
}

interface Writes {
  inserts: Insertable<PersonTable>[];
  updates: Array<{ id: string; set: Partial<Insertable<PersonTable>> }>;
  closes: Array<{ id: string; toDate: string }>;
  residences: Insertable<ResidenceTable>[];
  relations: Array<{ id: string; relation: Relation }>;
  created: string[];
  updated: string[];
  legacy: number;
}

const inScope = (path: string, scopePath: string) => path.startsWith(scopePath);

/** Matches a batch against the registry (read as committed now, or inside the commit's transaction). */
async function classify(db: Kysely<DB>, env: JobEnv, rows: ParsedRow<PersonImport>[]) {
  const { deps, scopePath, today } = env;
  const found = await repo.personsByBlinds(
    db,
    rows.flatMap((r) => (r.value.blind ? [r.value.blind] : [])),
    rows.flatMap((r) => (!r.value.blind && r.value.passportBlind ? [r.value.passportBlind] : [])),
  );
  const byId = new Map(found.filter((p) => p.id_blind).map((p) => [p.id_blind!, p]));
  const byPassport = new Map(found.filter((p) => p.passport_blind).map((p) => [p.passport_blind!, p]));
  const addresses = new Map((await repo.addressesByCodes(db, [...new Set(rows.flatMap((r) => (r.value.addressCode ? [r.value.addressCode] : [])))])).map((a) => [a.code, a]));
  const orgCodes = [...new Set(rows.flatMap((r) => (r.value.orgUnitCode ? [r.value.orgUnitCode] : [])))];
  const orgs = new Map((await repo.orgUnitsByCodes(db, orgCodes)).map((o) => [o.code, o]));
  const current = new Map((await repo.currentResidences(db, found.map((p) => p.id))).map((r) => [r.person_id, r]));
  const householders = new Map((await repo.currentHouseholders(db, [...addresses.values()].map((a) => a.id))).map((h) => [h.address_id, h.person_id]));

  const plans: RowPlan[] = [];
  const w: Writes = { inserts: [], updates: [], closes: [], residences: [], relations: [], created: [], updated: [], legacy: 0 };
  for (const { rowNo, value: p } of rows) {
    const errors: FieldError[] = [];
    const existing: BulkPerson | undefined = p.blind ? byId.get(p.blind) : byPassport.get(p.passportBlind!);
    if (existing && !inScope(existing.org_path, scopePath)) {
      errors.push({ field: p.blind ? 'idNumber' : 'passportNo', message: '该人员已在其他辖区登记，不能由本辖区导入（已迁入本辖区的，请联系原辖区办理迁出）' });
    }
    // the address the row names
    let address: BulkAddress | undefined;
    if (p.addressCode) {
      address = addresses.get(p.addressCode);
      if (!address || !inScope(address.grid_path, scopePath)) errors.push({ field: 'addressCode', message: '标准地址编码不存在或不在您的辖区内' });
      else if (!(DWELLING_LEVELS as readonly string[]).includes(address.level)) errors.push({ field: 'addressCode', message: '只能登记到门牌、楼栋、单元、楼层或户室一级的标准地址' });
      else if (address.status !== 'active') errors.push({ field: 'addressCode', message: '该地址已停用' });
    }
    // where a record without a (new) address belongs
    let placement: { id: string; county: string } | undefined;
    if (p.orgUnitCode) {
      const o = orgs.get(p.orgUnitCode);
      if (!o || !inScope(o.path, scopePath)) errors.push({ field: 'orgUnitCode', message: '单位编码不存在或不在您的辖区内' });
      else if (!o.county_code) errors.push({ field: 'orgUnitCode', message: '请填写分局（县局）及以下单位的编码' });
      else placement = { id: o.id, county: o.county_code };
    }
    // the record as it would be after the row, checked by the same rules as a form
    const set = fieldsOf(p);
    const personType = (set.person_type ?? existing?.person_type ?? 'registered') as PersonType;
    const merged = <K extends keyof PersonTable>(k: K) => (k in set ? set[k] : existing?.[k]) as string | null | undefined;
    errors.push(
      ...checkTypeFields(
        {
          personType,
          hasId: !!p.id || !!existing?.id_cipher,
          hasPassport: !!p.passportNo || !!existing?.passport_no_cipher,
          nationality: merged('nationality'),
          floatingRegisteredOn: merged('floating_registered_on'),
          expectedStayUntil: merged('expected_stay_until'),
          permitIssuedOn: merged('permit_issued_on'),
          birthDate: p.id?.birthDate ?? existing?.birth_date,
        },
        today,
      ).filter((e) => !errors.some((x) => x.field === e.field)),
    );
    // residence: the same address changes nothing (but the relation), another address is a move
    const cur = existing ? current.get(existing.id) : undefined;
    let residence: 'none' | 'insert' | 'move' | 'relation' = 'none';
    if (address && p.relation && p.fromDate) {
      if (cur && cur.address_id === address.id) residence = cur.relation === p.relation ? 'none' : 'relation';
      else if (cur) {
        residence = 'move';
        if (cur.from_date > p.fromDate) errors.push({ field: 'fromDate', message: `迁入日期不能早于原住址的迁入日期 ${cur.from_date}` });
      } else residence = 'insert';
      if (residence !== 'none' && p.relation === 'householder') {
        const holder = householders.get(address.id);
        if (holder && holder !== existing?.id) errors.push({ field: 'relation', message: '该地址已登记户主，请选择与户主的关系' });
      }
    }
    if (errors.length) {
      plans.push({ rowNo, errors });
      continue;
    }
    if (residence !== 'none' && p.relation === 'householder') householders.set(address!.id, existing?.id ?? `row:${rowNo}`);

    const permitNext = set.permit_issued_on ? nextEndorsement(set.permit_issued_on as string, today).anniversary : undefined;
    if (!existing) {
      const id = uuidv7();
      const orgUnit = address ? { id: address.grid_id, county: address.county_code } : (placement ?? env.home);
      if (!orgUnit.county) {
        plans.push({ rowNo, errors: [{ field: 'orgUnitCode', message: '请填写所属单位编码（分局及以下单位）或现住址编码' }] });
        continue;
      }
      if (p.id?.legacy) w.legacy += 1;
      w.inserts.push({
        id,
        id_cipher: p.id ? encryptField(deps.config.keys.data, p.id.normalized) : null,
        id_blind: p.blind ?? null,
        id_kind: p.id ? 'resident_id' : 'passport',
        id_legacy: p.id?.legacy ?? false,
        id_last4: p.id?.last4 ?? null,
        birth_date: p.id?.birthDate ?? null,
        sex: p.id?.sex ?? null,
        region_code: p.id?.regionCode ?? null,
        name: p.name,
        name_pinyin: p.keys.pinyin,
        name_initials: p.keys.initials,
        name_pinyin_alt: p.keys.pinyinAlt,
        name_initials_alt: p.keys.initialsAlt,
        ethnicity: p.ethnicity ?? null,
        phone: p.phone ?? null,
        hukou_address: p.hukouAddress ?? null,
        person_type: personType,
        nationality: p.nationality ?? null,
        passport_no_cipher: p.passportNo ? encryptField(deps.config.keys.data, p.passportNo) : null,
        passport_blind: p.passportBlind ?? null,
        passport_expiry: p.passportExpiry ?? null,
        floating_registered_on: p.floatingRegisteredOn ?? null,
        expected_stay_until: p.expectedStayUntil ?? null,
        permit_issued_on: p.permitIssuedOn ?? null,
        permit_next_endorsement: permitNext ?? null,
        org_unit_id: orgUnit.id,
        county_code: orgUnit.county,
      });
      if (address) w.residences.push({ id: uuidv7(), person_id: id, address_id: address.id, relation: p.relation!, from_date: p.fromDate!, to_date: null, source: 'import' });
      w.created.push(id);
      plans.push({ rowNo, action: 'create', recordId: id });
      continue;
    }
    // an existing record in scope: only what differs is written
    const diff: Partial<Insertable<PersonTable>> = {};
    for (const [k, val] of Object.entries(set) as Array<[keyof PersonTable, unknown]>) if ((existing[k] ?? null) !== (val ?? null)) Object.assign(diff, { [k]: val });
    if (diff.name) Object.assign(diff, { name_pinyin: p.keys.pinyin, name_initials: p.keys.initials, name_pinyin_alt: p.keys.pinyinAlt, name_initials_alt: p.keys.initialsAlt });
    if ('permit_issued_on' in diff) diff.permit_next_endorsement = permitNext ?? null;
    // an 18-digit number replaces a legacy one it upgrades to
    if (p.id && !p.id.legacy && existing.id_legacy) {
      Object.assign(diff, { id_cipher: encryptField(deps.config.keys.data, p.id.normalized), id_legacy: false, id_last4: p.id.last4 });
    }
    if (residence === 'move' || residence === 'insert') Object.assign(diff, { org_unit_id: address!.grid_id, county_code: address!.county_code });
    else if (placement && !cur && placement.id !== existing.org_unit_id) Object.assign(diff, { org_unit_id: placement.id, county_code: placement.county });
    if (residence === 'move') w.closes.push({ id: cur!.id, toDate: p.fromDate! });
    if (residence === 'move' || residence === 'insert') {
      w.residences.push({ id: uuidv7(), person_id: existing.id, address_id: address!.id, relation: p.relation!, from_date: p.fromDate!, to_date: null, source: 'import' });
    }
    if (residence === 'relation') w.relations.push({ id: cur!.id, relation: p.relation! });
    const changed = Object.keys(diff).length > 0 || residence !== 'none';
    if (Object.keys(diff).length) w.updates.push({ id: existing.id, set: diff });
    if (changed) w.updated.push(existing.id);
    plans.push({ rowNo, action: changed ? 'update' : 'unchanged', recordId: existing.id });
  }
  return { plans, writes: w };
}

async function commit(env: JobEnv, rows: ParsedRow<PersonImport>[], done: BatchDone) {
  await env.deps.db.transaction().execute(async (trx) => {
    const { plans, writes: w } = await classify(trx, env, rows);
    await repo.insertPersons(trx, w.inserts);
    for (const u of w.updates) await populationRepository.updatePerson(trx, u.id, u.set);
    // a move closes the old residence before the new one opens (one current residence per person)
    for (const c of w.closes) await populationRepository.closeResidence(trx, c.id, c.toDate);
    for (const r of w.relations) await repo.setRelation(trx, r.id, r.relation);
    await repo.insertResidences(trx, w.residences);
    const detail = { jobId: env.jobId, rows: [rows[0]?.rowNo, rows.at(-1)?.rowNo], legacyIds: w.legacy };
    if (w.created.length) await recordAudit(trx, env.ctx, { action: 'person.import_create', subjectType: 'person', subjectIds: w.created, detail });
    if (w.updated.length) await recordAudit(trx, env.ctx, { action: 'person.import_update', subjectType: 'person', subjectIds: w.updated, detail });
    await done(trx, plans);
  });
}

export const personsImport: ImportKindDef<PersonImport> = {
  kind: 'persons',
  title: '实有人口',
  permission: 'person.write',
  columns,
  maskedFields: ['idNumber', 'passportNo', 'phone'],
  parse,
  key,
  plan: async (env, rows) => (await classify(env.deps.db, env, rows)).plans,
  commit,
};
