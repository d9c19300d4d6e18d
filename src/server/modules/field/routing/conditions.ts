// Routing conditions (docs/api-field.md "Routing"): which operators fit which form-field type, the check of the
// conditions an administrator writes against the item type's form, and their evaluation on an item's data.
// Pure functions: no database, no clock.
import type { RoutingCondition, RoutingOp } from '../../../db/schema.js';
import type { FormField, FormFieldType, FormSchema } from '../../../../shared/forms.js';
import type { FieldError } from '../../../platform/errors/index.js';

export const ROUTING_OPS: readonly RoutingOp[] = ['eq', 'neq', 'in', 'gte', 'lte', 'contains', 'truthy', 'falsy'];

export const OP_NAMES: Record<RoutingOp, string> = {
  eq: '等于',
  neq: '不等于',
  in: '属于其中之一',
  gte: '大于或等于',
  lte: '小于或等于',
  contains: '包含',
  truthy: '是 / 已填写',
  falsy: '否 / 未填写',
};

/** The operators each field type supports. Identity numbers are never compared (only whether one was given). */
export const OPS_BY_TYPE: Record<FormFieldType, readonly RoutingOp[]> = {
  text: ['eq', 'neq', 'in', 'contains', 'truthy', 'falsy'],
  textarea: ['contains', 'truthy', 'falsy'],
  phone: ['eq', 'neq', 'truthy', 'falsy'],
  idnumber: ['truthy', 'falsy'],
  number: ['eq', 'neq', 'in', 'gte', 'lte', 'truthy', 'falsy'],
  date: ['eq', 'neq', 'gte', 'lte', 'truthy', 'falsy'],
  select: ['eq', 'neq', 'in', 'truthy', 'falsy'],
  multiselect: ['contains', 'truthy', 'falsy'],
  boolean: ['eq', 'truthy', 'falsy'],
};

export const MAX_CONDITIONS = 10;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: unknown): v is string => typeof v === 'string' && DATE_RE.test(v) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;

/** Problems of one value for a field (undefined when the value fits), for eq/neq/in/gte/lte/contains. */
function valueProblem(f: FormField, op: RoutingOp, v: unknown): string | undefined {
  switch (f.type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `“${f.label}”的比较值须为数字`;
    case 'date':
      return isDate(v) ? undefined : `“${f.label}”的比较值须为日期（YYYY-MM-DD）`;
    case 'boolean':
      return typeof v === 'boolean' ? undefined : `“${f.label}”的比较值须为是或否`;
    case 'select':
    case 'multiselect':
      if (typeof v !== 'string' || !f.options?.includes(v)) return `比较值须为“${f.label}”的选项之一`;
      return undefined;
    default:
      if (typeof v !== 'string' || !v.trim()) return `“${f.label}”的比较值须为文字`;
      if (v.length > 200) return '比较值最多 200 个字';
      return op === 'contains' && v.trim().length === 0 ? '请填写要包含的文字' : undefined;
  }
}

/**
 * Checks conditions against the item type's form: the field exists, the operator fits its type, the value fits the
 * field. Errors name `conditions.<i>.field|op|value`. Returns the conditions cleaned (text values trimmed, no value
 * kept for truthy/falsy).
 */
export function checkConditions(schema: FormSchema, conditions: RoutingCondition[], base = 'conditions'): { errors: FieldError[]; clean: RoutingCondition[] } {
  const errors: FieldError[] = [];
  const clean: RoutingCondition[] = [];
  if (conditions.length > MAX_CONDITIONS) errors.push({ field: base, message: `条件最多 ${MAX_CONDITIONS} 条` });
  const fields = new Map(schema.fields.map((f) => [f.key, f]));
  conditions.forEach((c, i) => {
    const at = (p: string) => `${base}.${i}.${p}`;
    const f = fields.get(c.field);
    if (!f) {
      errors.push({ field: at('field'), message: `事项表单中没有“${c.field}”这一项` });
      return;
    }
    if (!ROUTING_OPS.includes(c.op)) {
      errors.push({ field: at('op'), message: '条件运算无效' });
      return;
    }
    const allowed = OPS_BY_TYPE[f.type] ?? [];
    if (!allowed.includes(c.op)) {
      errors.push({ field: at('op'), message: `“${f.label}”（${typeLabel(f.type)}）不能用“${OP_NAMES[c.op]}”，可用：${allowed.map((o) => OP_NAMES[o]).join('、')}` });
      return;
    }
    if (c.op === 'truthy' || c.op === 'falsy') {
      clean.push({ field: f.key, op: c.op });
      return;
    }
    if (c.value === undefined || c.value === null) {
      errors.push({ field: at('value'), message: '请填写比较值' });
      return;
    }
    const trim = (v: unknown) => (typeof v === 'string' ? v.trim() : v);
    if (c.op === 'in') {
      if (!Array.isArray(c.value) || c.value.length === 0 || c.value.length > 30) {
        errors.push({ field: at('value'), message: '“属于其中之一”须给出 1–30 个比较值的列表' });
        return;
      }
      const values = c.value.map(trim);
      const bad = values.map((v) => valueProblem(f, c.op, v)).find(Boolean);
      if (bad) {
        errors.push({ field: at('value'), message: bad });
        return;
      }
      clean.push({ field: f.key, op: c.op, value: [...new Set(values)] });
      return;
    }
    const value = trim(c.value);
    const bad = Array.isArray(value) ? '比较值须为单个值' : valueProblem(f, c.op, value);
    if (bad) {
      errors.push({ field: at('value'), message: bad });
      return;
    }
    clean.push({ field: f.key, op: c.op, value });
  });
  return { errors, clean };
}

const TYPE_LABELS: Record<FormFieldType, string> = {
  text: '文字',
  textarea: '多行文字',
  number: '数字',
  select: '单选',
  multiselect: '多选',
  boolean: '是/否',
  date: '日期',
  phone: '手机号码',
  idnumber: '身份号码',
};
const typeLabel = (t: FormFieldType) => TYPE_LABELS[t] ?? t;

const filled = (v: unknown) => !(v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0));

/** Numbers compare as numbers (a numeric string too), everything else as text (ISO dates sort as text). */
function compare(a: unknown, b: unknown): number | undefined {
  if (typeof b === 'number') {
    const n = typeof a === 'string' && a.trim() !== '' ? Number(a) : a;
    if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
    return n - b;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof b === 'number') return compare(a, b) === 0;
  if (typeof a === 'string' && typeof b === 'string') return a.trim() === b.trim();
  return a === b;
}

/** Whether one condition holds for an item's data. A missing value satisfies only `neq` and `falsy`. */
export function conditionHolds(c: RoutingCondition, data: Record<string, unknown>): boolean {
  const v = data[c.field];
  switch (c.op) {
    case 'truthy':
      return filled(v);
    case 'falsy':
      return !filled(v);
    case 'eq':
      return v !== undefined && v !== null && same(v, c.value);
    case 'neq':
      return v === undefined || v === null || !same(v, c.value);
    case 'in':
      return v !== undefined && v !== null && Array.isArray(c.value) && c.value.some((x) => same(v, x));
    case 'gte': {
      const d = v === undefined || v === null ? undefined : compare(v, c.value);
      return d !== undefined && d >= 0;
    }
    case 'lte': {
      const d = v === undefined || v === null ? undefined : compare(v, c.value);
      return d !== undefined && d <= 0;
    }
    case 'contains':
      if (Array.isArray(v)) return v.some((x) => same(x, c.value));
      return typeof v === 'string' && typeof c.value === 'string' && v.includes(c.value.trim());
    default:
      return false;
  }
}

/** Whether every condition holds (no conditions: always). */
export const conditionsHold = (conditions: readonly RoutingCondition[], data: Record<string, unknown>) => conditions.every((c) => conditionHolds(c, data ?? {}));

/** A short Chinese reading of the conditions, for lists and the audit log. */
export function describeConditions(schema: FormSchema | null, conditions: readonly RoutingCondition[]): string {
  if (!conditions.length) return '全部';
  const label = (k: string) => schema?.fields.find((f) => f.key === k)?.label ?? k;
  const show = (v: unknown): string => (Array.isArray(v) ? v.map(show).join('、') : typeof v === 'boolean' ? (v ? '是' : '否') : String(v));
  return conditions
    .map((c) => (c.op === 'truthy' || c.op === 'falsy' ? `${label(c.field)}${OP_NAMES[c.op]}` : `${label(c.field)}${OP_NAMES[c.op]}${show(c.value)}`))
    .join('，且');
}

/** What choosing owners needs of a rule. */
export interface RuleForMatch {
  id: string;
  target_kind: 'department' | 'officer';
  department_id: string | null;
  department_status: 'active' | 'inactive' | null;
  /** the materialised path of the department's org unit */
  department_path: string | null;
  conditions: RoutingCondition[];
}

/**
 * The owners of an item: the rules (already in priority order) whose conditions hold, one per owner (the first rule
 * naming an owner wins; the officer's inbox is one owner). A department rule is skipped when the department is
 * inactive or, given the item's unit path, when the item lies outside the department's unit.
 */
export function pickOwners<R extends RuleForMatch>(rules: readonly R[], data: Record<string, unknown>, unitPath?: string): R[] {
  const seen = new Set<string>();
  const out: R[] = [];
  for (const r of rules) {
    if (r.target_kind === 'department') {
      if (!r.department_id || r.department_status !== 'active') continue;
      if (unitPath !== undefined && (!r.department_path || !unitPath.startsWith(r.department_path))) continue;
    }
    if (!conditionsHold(r.conditions ?? [], data)) continue;
    const owner = r.target_kind === 'officer' ? 'officer' : r.department_id!;
    if (seen.has(owner)) continue;
    seen.add(owner);
    out.push(r);
  }
  return out;
}
