import type { FieldChangeKind } from '../../../db/schema.js';
import type { FieldError } from '../../../platform/errors/index.js';
import { parseCreditCode } from '../../../platform/ids/index.js';
import { HOUSING_USES, HOUSING_USE_NAMES, normalizePhone, PERSON_TYPE_NAMES, PROPERTY_TYPES, PROPERTY_TYPE_NAMES, RELATIONS, RELATION_NAMES, RENTAL_REGISTRATIONS } from '../../population/rules.js';
import { KEY_INDUSTRIES, KEY_INDUSTRY_NAMES, UNIT_TYPES, UNIT_TYPE_NAMES } from '../../units/rules.js';

export const CHANGE_KINDS = ['person_add', 'person_update', 'move_out', 'housing_update', 'unit_add', 'unit_update'] as const;
export const CHANGE_STATUSES = ['pending', 'applied', 'conflict', 'rejected'] as const;

export const CHANGE_KIND_NAMES: Record<FieldChangeKind, string> = {
  person_add: '新增人员',
  person_update: '人员信息变更',
  move_out: '人员迁出',
  housing_update: '房屋信息变更',
  unit_add: '新增单位',
  unit_update: '单位信息变更',
};

export const CHANGE_STATUS_NAMES: Record<(typeof CHANGE_STATUSES)[number], string> = {
  pending: '待审核',
  applied: '已入库',
  conflict: '有冲突',
  rejected: '已驳回',
};

/** The Chinese label of each field a change may carry, by kind. */
export const CHANGE_FIELD_LABELS: Record<FieldChangeKind, Record<string, string>> = {
  person_add: {
    name: '姓名',
    idNumber: '公民身份号码',
    sex: '性别',
    phone: '联系电话',
    personType: '人员类别',
    relation: '与户主关系',
    fromDate: '迁入日期',
    hukouAddress: '户籍地址',
    expectedStayUntil: '拟居住至',
  },
  person_update: { name: '姓名', phone: '联系电话', personType: '人员类别', hukouAddress: '户籍地址', expectedStayUntil: '拟居住至' },
  move_out: { toDate: '迁出日期' },
  housing_update: {
    use: '房屋用途',
    propertyType: '房屋性质',
    ownerName: '产权人',
    ownerPhone: '产权人电话',
    groupRental: '群租',
    rooms: '房间数',
    areaM2: '面积（平方米）',
    leaseFrom: '租赁起始日期',
    leaseTo: '租赁结束日期',
    rentalRegistration: '租赁登记',
  },
  unit_add: { name: '单位名称', unitType: '单位类型', creditCode: '统一社会信用代码', keyIndustry: '重点行业', contactName: '联系人', contactPhone: '联系电话', legalRepName: '法定代表人' },
  unit_update: { name: '单位名称', unitType: '单位类型', keyIndustry: '重点行业', contactName: '联系人', contactPhone: '联系电话', status: '经营状态' },
};

/** Fields whose value is a phone number (masked wherever a change is shown). */
export const PHONE_FIELDS = new Set(['phone', 'ownerPhone', 'contactPhone']);

const RENTAL_REGISTRATION_NAMES: Record<string, string> = { registered: '已登记', unregistered: '未登记', expired: '已过期' };
const UNIT_STATUS_NAMES: Record<string, string> = { active: '在营', closed: '已注销/停业' };

/** How a stored value reads in Chinese (enums by name, booleans 是/否). */
export function displayValue(field: string, v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? '是' : '否';
  const s = String(v);
  const names: Record<string, Record<string, string>> = {
    personType: PERSON_TYPE_NAMES,
    relation: RELATION_NAMES,
    use: HOUSING_USE_NAMES,
    propertyType: PROPERTY_TYPE_NAMES,
    rentalRegistration: RENTAL_REGISTRATION_NAMES,
    unitType: UNIT_TYPE_NAMES,
    keyIndustry: KEY_INDUSTRY_NAMES,
    status: UNIT_STATUS_NAMES,
    sex: { M: '男', F: '女' },
  };
  return names[field]?.[s] ?? s;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string => typeof v === 'string' && DATE_RE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/** Field-by-field checks of a change's data, with the registry's own rules; errors are `data.<key>`. */
export class DataChecker {
  readonly errors: FieldError[] = [];
  readonly clean: Record<string, unknown> = {};
  constructor(
    private readonly data: Record<string, unknown>,
    private readonly allowed: string[],
  ) {
    for (const k of Object.keys(data)) if (!allowed.includes(k)) this.fail(k, '不能变更这一项');
  }

  fail(key: string, message: string) {
    this.errors.push({ field: `data.${key}`, message });
  }

  has(key: string) {
    const v = this.data[key];
    return v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');
  }

  /** Present keys (a change of some fields). */
  present() {
    return this.allowed.filter((k) => k in this.data);
  }

  required(key: string, label: string) {
    if (!this.has(key)) {
      this.fail(key, `请填写${label}`);
      return false;
    }
    return true;
  }

  text(key: string, label: string, max: number, required = false) {
    if (required && !this.required(key, label)) return;
    const v = this.data[key];
    if (v === undefined) return;
    if (v === null || (typeof v === 'string' && !v.trim())) {
      if (required) this.fail(key, `请填写${label}`);
      else this.clean[key] = null;
      return;
    }
    if (typeof v !== 'string') return this.fail(key, `${label}须为文字`);
    if ([...v.trim()].length > max) return this.fail(key, `${label}最多 ${max} 个字`);
    this.clean[key] = v.trim();
  }

  oneOf(key: string, label: string, values: readonly string[], required = false, nullable = false) {
    if (required && !this.required(key, label)) return;
    const v = this.data[key];
    if (v === undefined) return;
    if (v === null && nullable) {
      this.clean[key] = null;
      return;
    }
    if (typeof v !== 'string' || !values.includes(v)) return this.fail(key, `请从选项中选择${label}`);
    this.clean[key] = v;
  }

  date(key: string, label: string, o: { required?: boolean; notAfter?: string; nullable?: boolean } = {}) {
    if (o.required && !this.required(key, label)) return;
    const v = this.data[key];
    if (v === undefined) return;
    if (v === null && o.nullable) {
      this.clean[key] = null;
      return;
    }
    if (!isDate(v)) return this.fail(key, `${label}须为有效日期（YYYY-MM-DD）`);
    if (o.notAfter && v > o.notAfter) return this.fail(key, `${label}不能晚于今天`);
    this.clean[key] = v;
  }

  phone(key: string, label: string) {
    const v = this.data[key];
    if (v === undefined) return;
    if (v !== null && typeof v !== 'string') return this.fail(key, `${label}格式不正确`);
    const r = normalizePhone(`data.${key}`, v as string | null);
    if ('error' in r) return this.errors.push(r.error);
    this.clean[key] = r.value;
  }

  int(key: string, label: string, min: number, max: number, nullable = true) {
    const v = this.data[key];
    if (v === undefined) return;
    if (v === null && nullable) {
      this.clean[key] = null;
      return;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return this.fail(key, `${label}须为 ${min}–${max} 的整数`);
    this.clean[key] = v;
  }

  number(key: string, label: string, min: number, max: number) {
    const v = this.data[key];
    if (v === undefined) return;
    if (v === null) {
      this.clean[key] = null;
      return;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= min || v > max) return this.fail(key, `${label}须大于 ${min}、不超过 ${max}`);
    this.clean[key] = Math.round(v * 100) / 100;
  }

  bool(key: string, label: string) {
    const v = this.data[key];
    if (v === undefined) return;
    if (typeof v !== 'boolean') return this.fail(key, `${label}须为是或否`);
    this.clean[key] = v;
  }

  creditCode(key: string) {
    const v = this.data[key];
    if (v === undefined || v === null || v === '') return;
    if (typeof v !== 'string') return this.fail(key, '统一社会信用代码格式不正确');
    const r = parseCreditCode(v);
    if (!r.ok) return this.fail(key, r.message);
    this.clean[key] = r.value.normalized;
  }
}

export const PERSON_ADD_TYPES = ['registered', 'floating'] as const;

/** The shape rules of each kind's data (the registry's rules that need no look-up). */
export function checkChangeData(kind: FieldChangeKind, data: Record<string, unknown>, today: string): DataChecker {
  const labels = CHANGE_FIELD_LABELS[kind];
  const c = new DataChecker(data, Object.keys(labels));
  switch (kind) {
    case 'person_add':
      c.text('name', '姓名', 50, true);
      c.required('idNumber', '公民身份号码'); // checked with the identity-number rules by the caller
      c.oneOf('sex', '性别', ['M', 'F']);
      c.phone('phone', '联系电话');
      c.oneOf('personType', '人员类别（户籍人口或流动人口；境外人员请到派出所登记）', PERSON_ADD_TYPES, true);
      c.oneOf('relation', '与户主关系', RELATIONS, true);
      c.date('fromDate', '迁入日期', { required: true, notAfter: today });
      c.text('hukouAddress', '户籍地址', 200);
      c.date('expectedStayUntil', '拟居住至');
      if (c.clean.expectedStayUntil && c.clean.personType !== 'floating') c.fail('expectedStayUntil', '仅流动人口填写拟居住期限');
      if (c.clean.expectedStayUntil && c.clean.fromDate && (c.clean.expectedStayUntil as string) < (c.clean.fromDate as string))
        c.fail('expectedStayUntil', '拟居住截止日期不能早于迁入日期');
      break;
    case 'person_update':
      c.text('name', '姓名', 50);
      if ('name' in c.clean && c.clean.name === null) c.fail('name', '姓名不能为空');
      c.phone('phone', '联系电话');
      c.oneOf('personType', '人员类别（户籍人口或流动人口）', PERSON_ADD_TYPES);
      c.text('hukouAddress', '户籍地址', 200);
      c.date('expectedStayUntil', '拟居住至', { nullable: true });
      if (c.present().length === 0 && c.errors.length === 0) c.errors.push({ field: 'data', message: '请至少变更一项' });
      break;
    case 'move_out':
      c.date('toDate', '迁出日期', { required: true, notAfter: today });
      break;
    case 'housing_update':
      c.oneOf('use', '房屋用途', HOUSING_USES);
      c.oneOf('propertyType', '房屋性质', PROPERTY_TYPES);
      c.text('ownerName', '产权人', 50);
      c.phone('ownerPhone', '产权人电话');
      c.bool('groupRental', '群租');
      c.int('rooms', '房间数', 0, 99);
      c.number('areaM2', '面积', 0, 100_000);
      c.date('leaseFrom', '租赁起始日期', { nullable: true });
      c.date('leaseTo', '租赁结束日期', { nullable: true });
      c.oneOf('rentalRegistration', '租赁登记', RENTAL_REGISTRATIONS, false, true);
      if (c.clean.leaseFrom && c.clean.leaseTo && (c.clean.leaseTo as string) <= (c.clean.leaseFrom as string)) c.fail('leaseTo', '租赁结束日期须晚于开始日期');
      if (c.present().length === 0 && c.errors.length === 0) c.errors.push({ field: 'data', message: '请至少变更一项' });
      break;
    case 'unit_add':
      c.text('name', '单位名称', 100, true);
      c.oneOf('unitType', '单位类型', UNIT_TYPES, true);
      c.creditCode('creditCode');
      c.oneOf('keyIndustry', '重点行业', KEY_INDUSTRIES, false, true);
      c.text('contactName', '联系人', 50);
      c.phone('contactPhone', '联系电话');
      c.text('legalRepName', '法定代表人', 50);
      break;
    case 'unit_update':
      c.text('name', '单位名称', 100);
      if ('name' in c.clean && c.clean.name === null) c.fail('name', '单位名称不能为空');
      c.oneOf('unitType', '单位类型', UNIT_TYPES);
      c.oneOf('keyIndustry', '重点行业', KEY_INDUSTRIES, false, true);
      c.text('contactName', '联系人', 50);
      c.phone('contactPhone', '联系电话');
      c.oneOf('status', '经营状态', ['active', 'closed']);
      if (c.present().length === 0 && c.errors.length === 0) c.errors.push({ field: 'data', message: '请至少变更一项' });
      break;
  }
  return c;
}

/** Which kinds name a record (`targetId`) and carry the version the worker saw (`baseVersion`). */
export const TARGETED: Record<FieldChangeKind, 'person' | 'residence' | 'unit' | null> = {
  person_add: null,
  person_update: 'person',
  move_out: 'residence',
  housing_update: null,
  unit_add: null,
  unit_update: 'unit',
};
export const VERSIONED = new Set<FieldChangeKind>(['person_update', 'unit_update']);

/** One line for lists, never an identity number. */
export function summarizeChange(kind: FieldChangeKind, data: Record<string, unknown>, targetName: string | null): string {
  const fields = (keys: string[]) =>
    keys
      .map((k) => CHANGE_FIELD_LABELS[kind][k])
      .filter(Boolean)
      .join('、');
  switch (kind) {
    case 'person_add':
      return `新增人员：${data.name}（${displayValue('relation', data.relation)}，${displayValue('personType', data.personType)}）`;
    case 'person_update':
      return `人员信息变更：${targetName ?? ''}（${fields(Object.keys(data))}）`;
    case 'move_out':
      return `人员迁出：${targetName ?? ''}（${data.toDate}）`;
    case 'housing_update':
      return data.use ? `房屋信息变更：用途改为${displayValue('use', data.use)}${Object.keys(data).length > 1 ? `，及${fields(Object.keys(data).filter((k) => k !== 'use'))}` : ''}` : `房屋信息变更：${fields(Object.keys(data))}`;
    case 'unit_add':
      return `新增单位：${data.name}（${displayValue('unitType', data.unitType)}）`;
    case 'unit_update':
      return `单位信息变更：${targetName ?? ''}（${fields(Object.keys(data))}）`;
  }
}
