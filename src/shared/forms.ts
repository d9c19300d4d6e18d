// Item forms defined as data (网格采集事项的表单): the schema administrators edit, and the one check of collected
// data against it. The phone runs it as the worker types; the server runs it again on every synced item.
// No imports: this file is compiled for Node (server) and bundled for the browser (field app) alike.

export const FORM_FIELD_TYPES = ['text', 'textarea', 'number', 'select', 'multiselect', 'boolean', 'date', 'phone', 'idnumber'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

export const FORM_FIELD_TYPE_NAMES: Record<FormFieldType, string> = {
  text: '单行文字',
  textarea: '多行文字',
  number: '数字',
  select: '单选',
  multiselect: '多选',
  boolean: '是/否',
  date: '日期',
  phone: '手机号码',
  idnumber: '公民身份号码',
};

export interface FormField {
  /** the key in the item's data: a letter, then letters, digits or _ (at most 40) */
  key: string;
  label: string;
  type: FormFieldType;
  required?: boolean;
  /** the choices of select / multiselect (1–30, each 1–40 characters, no repeats) */
  options?: string[];
  /** bounds of a number */
  min?: number;
  max?: number;
  /** longest text (text: default 200, textarea: default 2000) */
  maxLength?: number;
  help?: string;
}

export interface FormSchema {
  fields: FormField[];
}

export interface FormError {
  /** `data.<key>` for a value, `formSchema.fields.<i>.<prop>` for the schema itself */
  field: string;
  message: string;
}

export const FIELD_KEY_RE = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;
export const MOBILE_RE = /^1[3-9]\d{9}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_FORM_FIELDS = 40;
const DEFAULT_MAX: Partial<Record<FormFieldType, number>> = { text: 200, textarea: 2000 };

/** Problems of a schema an administrator wrote, or [] when it can be used. */
export function checkFormSchema(schema: FormSchema, base = 'formSchema'): FormError[] {
  const errors: FormError[] = [];
  if (!schema || !Array.isArray(schema.fields)) return [{ field: `${base}.fields`, message: '表单字段须为列表' }];
  if (schema.fields.length > MAX_FORM_FIELDS) errors.push({ field: `${base}.fields`, message: `表单字段最多 ${MAX_FORM_FIELDS} 个` });
  const seen = new Set<string>();
  schema.fields.forEach((f, i) => {
    const at = (p: string) => `${base}.fields.${i}.${p}`;
    if (!f || typeof f !== 'object') {
      errors.push({ field: `${base}.fields.${i}`, message: '字段定义无效' });
      return;
    }
    if (typeof f.key !== 'string' || !FIELD_KEY_RE.test(f.key)) errors.push({ field: at('key'), message: '字段标识须以字母开头，由字母、数字或下划线组成，最长 40 个字符' });
    else if (seen.has(f.key)) errors.push({ field: at('key'), message: `字段标识“${f.key}”重复` });
    else seen.add(f.key);
    if (typeof f.label !== 'string' || !f.label.trim() || f.label.length > 40) errors.push({ field: at('label'), message: '字段名称须为 1–40 个字符' });
    if (!(FORM_FIELD_TYPES as readonly string[]).includes(f.type)) errors.push({ field: at('type'), message: '字段类型无效' });
    if (f.type === 'select' || f.type === 'multiselect') {
      const o = f.options;
      if (!Array.isArray(o) || o.length === 0 || o.length > 30) errors.push({ field: at('options'), message: '单选、多选字段须有 1–30 个选项' });
      else if (o.some((x) => typeof x !== 'string' || !x.trim() || x.length > 40)) errors.push({ field: at('options'), message: '每个选项须为 1–40 个字符' });
      else if (new Set(o).size !== o.length) errors.push({ field: at('options'), message: '选项不能重复' });
    }
    if (f.min !== undefined && f.max !== undefined && f.min > f.max) errors.push({ field: at('max'), message: '最大值不能小于最小值' });
    if (f.maxLength !== undefined && (!Number.isInteger(f.maxLength) || f.maxLength < 1 || f.maxLength > 5000)) {
      errors.push({ field: at('maxLength'), message: '最大长度须为 1–5000' });
    }
  });
  return errors;
}

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

export interface ValidateOptions {
  /** checks a 公民身份号码 (GB 11643 check digit, date); returns a message or null */
  checkIdNumber?: (value: string) => string | null;
  /** today as YYYY-MM-DD (dates may not be later); default: no such check */
  today?: string;
}

/**
 * Checks collected data against its schema. Returns the errors (field `data.<key>`) and the clean data: known keys
 * only, strings trimmed, empty optional values dropped.
 */
export function validateFormData(schema: FormSchema, data: Record<string, unknown>, opts: ValidateOptions = {}): { errors: FormError[]; clean: Record<string, unknown> } {
  const errors: FormError[] = [];
  const clean: Record<string, unknown> = {};
  const known = new Set(schema.fields.map((f) => f.key));
  for (const key of Object.keys(data ?? {})) {
    if (!known.has(key)) errors.push({ field: `data.${key}`, message: '表单中没有这一项' });
  }
  for (const f of schema.fields) {
    const field = `data.${f.key}`;
    let v = data?.[f.key];
    if (typeof v === 'string') v = v.trim();
    if (isEmpty(v)) {
      if (f.required) errors.push({ field, message: `请填写“${f.label}”` });
      continue;
    }
    const fail = (message: string) => errors.push({ field, message });
    switch (f.type) {
      case 'text':
      case 'textarea': {
        if (typeof v !== 'string') { fail(`“${f.label}”须为文字`); continue; }
        const max = f.maxLength ?? DEFAULT_MAX[f.type]!;
        if (v.length > max) { fail(`“${f.label}”最多 ${max} 个字`); continue; }
        break;
      }
      case 'number': {
        const n = typeof v === 'string' && v !== '' ? Number(v) : v;
        if (typeof n !== 'number' || !Number.isFinite(n)) { fail(`“${f.label}”须为数字`); continue; }
        if (f.min !== undefined && n < f.min) { fail(`“${f.label}”不能小于 ${f.min}`); continue; }
        if (f.max !== undefined && n > f.max) { fail(`“${f.label}”不能大于 ${f.max}`); continue; }
        v = n;
        break;
      }
      case 'select':
        if (typeof v !== 'string' || !f.options?.includes(v)) { fail(`请从选项中选择“${f.label}”`); continue; }
        break;
      case 'multiselect':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !f.options?.includes(x))) { fail(`请从选项中选择“${f.label}”`); continue; }
        if (new Set(v).size !== v.length) { fail(`“${f.label}”的选项重复`); continue; }
        break;
      case 'boolean':
        if (typeof v !== 'boolean') { fail(`“${f.label}”须为是或否`); continue; }
        break;
      case 'date': {
        if (typeof v !== 'string' || !DATE_RE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) !== v) {
          fail(`“${f.label}”须为有效日期（YYYY-MM-DD）`);
          continue;
        }
        if (opts.today && v > opts.today) { fail(`“${f.label}”不能晚于今天`); continue; }
        break;
      }
      case 'phone':
        if (typeof v !== 'string' || !MOBILE_RE.test(v.replace(/[\s-]/g, ''))) { fail(`“${f.label}”须为 11 位手机号码`); continue; }
        v = v.replace(/[\s-]/g, '');
        break;
      case 'idnumber': {
        if (typeof v !== 'string') { fail(`“${f.label}”须为公民身份号码`); continue; }
        const up = v.replace(/\s+/g, '').toUpperCase();
        const msg = opts.checkIdNumber ? opts.checkIdNumber(up) : /^\d{17}[\dX]$/.test(up) ? null : '公民身份号码须为 18 位';
        if (msg) { fail(`“${f.label}”：${msg}`); continue; }
        v = up;
        break;
      }
    }
    clean[f.key] = v;
  }
  return { errors, clean };
}
