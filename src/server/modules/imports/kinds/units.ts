import type { FieldError } from '../../../platform/errors/index.js';
import { parseCreditCode } from '../../../platform/ids/index.js';
import { createUnit, updateUnit, type UnitInput } from '../../units/service.js';
import { KEY_INDUSTRY_NAMES, UNIT_TYPE_NAMES, unitTypeFromCreditCode, type KeyIndustry, type UnitType } from '../../units/rules.js';
import type { ColumnDef, RowValues } from '../cells.js';
import { importLookups, importsRepository as repo } from '../repository.js';
import { commitRowByRow } from './row-by-row.js';
import type { ImportKindDef, JobEnv, ParsedRow, RowPlan } from './types.js';

const STATUS_NAMES = { active: '正常', closed: '已注销' } as const;

const columns: ColumnDef[] = [
  { field: 'creditCode', header: '统一社会信用代码', aliases: ['信用代码', '社会信用代码'], example: '91371602MA3C4H5J96', note: '18 位（GB 32100，校验位自动核对）；没有的单位填“其他登记编号”' },
  { field: 'otherRegNo', header: '其他登记编号', aliases: ['登记编号', '注册号'], example: '', note: '没有统一社会信用代码的单位填写（如个体户旧注册号）' },
  { field: 'name', header: '单位名称', required: true, aliases: ['名称', '企业名称'], example: '滨州市香园旅馆有限公司', note: '必填' },
  { field: 'unitType', header: '单位类型', values: UNIT_TYPE_NAMES, example: '企业', note: '不填时按信用代码推断' },
  { field: 'keyIndustry', header: '重点行业', values: KEY_INDUSTRY_NAMES, example: '旅馆业', note: '旅馆、寄递、电动车销售维修、易制毒化学品、学校、医院、金融网点等' },
  { field: 'addressCode', header: '地址编码', aliases: ['标准地址编码', '经营地址编码'], example: '', note: '单位所在的标准地址编码' },
  { field: 'legalRepName', header: '法定代表人', aliases: ['负责人', '法人'], example: '张金明', note: '' },
  { field: 'contactName', header: '联系人', example: '李秀英', note: '' },
  { field: 'contactPhone', header: '联系电话', aliases: ['电话'], example: '05433161234', note: '' },
  { field: 'orgUnitCode', header: '所属单位编码', aliases: ['所属网格编码'], example: '', note: '无地址的单位归属的单位编码；不填时为导入人所在单位' },
  { field: 'status', header: '状态', values: STATUS_NAMES, example: '正常', note: '正常或已注销；不填时为正常' },
];

export interface UnitImport {
  creditCode?: string;
  otherRegNo?: string;
  name: string;
  unitType?: UnitType;
  keyIndustry?: KeyIndustry;
  addressCode?: string;
  legalRepName?: string;
  contactName?: string;
  contactPhone?: string;
  orgUnitCode?: string;
  status?: 'active' | 'closed';
}

function parse(v: RowValues): UnitImport | undefined {
  const out: Partial<UnitImport> = {};
  const code = v.text('creditCode', { max: 40 });
  if (code) {
    const r = parseCreditCode(code);
    if (!r.ok) v.fail('creditCode', r.message);
    else out.creditCode = r.value.normalized;
  }
  out.otherRegNo = v.text('otherRegNo', { max: 40 });
  if (!code && !out.otherRegNo) v.fail('creditCode', '请填写统一社会信用代码；没有的单位填写其他登记编号');
  if (code && out.otherRegNo) v.fail('otherRegNo', '已有统一社会信用代码的单位不填其他登记编号');
  out.name = v.text('name', { required: '单位名称不能为空', max: 120 });
  out.unitType = v.choice('unitType', UNIT_TYPE_NAMES);
  out.keyIndustry = v.choice('keyIndustry', KEY_INDUSTRY_NAMES, { names: { 旅馆: 'hotel', 寄递: 'courier', 快递: 'courier', 学校: 'school', 医院: 'hospital', 金融: 'financial' } });
  out.addressCode = v.text('addressCode', { max: 40 });
  out.legalRepName = v.text('legalRepName', { max: 64 });
  out.contactName = v.text('contactName', { max: 64 });
  out.contactPhone = v.phone('contactPhone');
  out.orgUnitCode = v.text('orgUnitCode', { max: 32 });
  out.status = v.choice('status', STATUS_NAMES, { names: { 在营: 'active', 存续: 'active', 注销: 'closed', 吊销: 'closed' } });
  return v.errors.length ? undefined : (out as UnitImport);
}

type Existing = Awaited<ReturnType<typeof importLookups.unitsByKeys>>[number];
interface Match {
  existing?: Existing;
  input: UnitInput & { name: string };
}

async function match(env: JobEnv, rows: ParsedRow<UnitImport>[]) {
  const db = env.deps.db;
  const found = await importLookups.unitsByKeys(
    db,
    rows.flatMap((r) => (r.value.creditCode ? [r.value.creditCode] : [])),
    rows.flatMap((r) => (r.value.otherRegNo ? [r.value.otherRegNo] : [])),
  );
  const addresses = new Map((await repo.addressesByCodes(db, rows.flatMap((r) => (r.value.addressCode ? [r.value.addressCode] : [])))).map((a) => [a.code, a]));
  const orgs = new Map((await repo.orgUnitsByCodes(db, rows.flatMap((r) => (r.value.orgUnitCode ? [r.value.orgUnitCode] : [])))).map((o) => [o.code, o]));
  return rows.map(({ rowNo, value: u }) => {
    const errors: FieldError[] = [];
    const existing = found.find((f) => (u.creditCode ? f.credit_code === u.creditCode : f.other_reg_no === u.otherRegNo));
    if (existing && !existing.org_path.startsWith(env.scopePath)) errors.push({ field: u.creditCode ? 'creditCode' : 'otherRegNo', message: '该单位已在其他辖区登记，不能由本辖区导入' });
    const address = u.addressCode ? addresses.get(u.addressCode) : undefined;
    if (u.addressCode && (!address || !address.grid_path.startsWith(env.scopePath))) errors.push({ field: 'addressCode', message: '标准地址编码不存在或不在您的辖区内' });
    else if (address && address.status !== 'active') errors.push({ field: 'addressCode', message: '该地址已停用' });
    const org = u.orgUnitCode ? orgs.get(u.orgUnitCode) : undefined;
    if (u.orgUnitCode && (!org || !org.path.startsWith(env.scopePath))) errors.push({ field: 'orgUnitCode', message: '单位编码不存在或不在您的辖区内' });
    if (errors.length) return { rowNo, plan: { rowNo, errors } as RowPlan };
    // blank cells keep what is recorded
    const input: UnitInput & { name: string } = {
      name: u.name,
      ...(u.creditCode ? { creditCode: u.creditCode } : {}),
      ...(u.otherRegNo ? { otherRegNo: u.otherRegNo } : {}),
      ...(u.unitType ? { unitType: u.unitType } : !existing && u.creditCode ? { unitType: unitTypeFromCreditCode(u.creditCode) } : {}),
      ...(u.keyIndustry ? { keyIndustry: u.keyIndustry } : {}),
      ...(address ? { addressId: address.id } : {}),
      ...(u.legalRepName ? { legalRepName: u.legalRepName } : {}),
      ...(u.contactName ? { contactName: u.contactName } : {}),
      ...(u.contactPhone ? { contactPhone: u.contactPhone } : {}),
      ...(org && !address ? { orgUnitId: org.id } : {}),
      ...(u.status ? { status: u.status } : {}),
    };
    if (!existing) return { rowNo, plan: { rowNo, action: 'create' } as RowPlan, match: { input } };
    const same =
      existing.name === input.name &&
      (input.unitType === undefined || existing.unit_type === input.unitType) &&
      (input.keyIndustry === undefined || existing.key_industry === input.keyIndustry) &&
      (input.addressId === undefined || existing.address_id === input.addressId) &&
      (input.legalRepName === undefined || existing.legal_rep_name === input.legalRepName) &&
      (input.contactName === undefined || existing.contact_name === input.contactName) &&
      (input.contactPhone === undefined || existing.contact_phone === input.contactPhone) &&
      (input.orgUnitId === undefined || existing.org_unit_id === input.orgUnitId) &&
      (input.status === undefined || existing.status === input.status);
    return { rowNo, plan: { rowNo, action: same ? 'unchanged' : 'update', recordId: existing.id } as RowPlan, match: { existing, input } };
  });
}

export const unitsImport: ImportKindDef<UnitImport> = {
  kind: 'units',
  title: '实有单位',
  permission: 'unit.write',
  columns,
  maskedFields: ['contactPhone'],
  parse,
  key: (u) => (u.creditCode ? `cc:${u.creditCode}` : `no:${u.otherRegNo}`),
  plan: async (env, rows) => (await match(env, rows)).map((m) => m.plan),
  commit: (env, rows, done) =>
    commitRowByRow<UnitImport, Match>(
      env,
      rows,
      done,
      (r) => match(env, r),
      async (_row, m) => {
        if (!m.existing) return (await createUnit(env.deps, env.ctx, m.input)).id;
        const { creditCode: _c, otherRegNo: _o, ...patch } = m.input;
        return (await updateUnit(env.deps, env.ctx, m.existing.id, patch)).id;
      },
      'name',
    ),
};


