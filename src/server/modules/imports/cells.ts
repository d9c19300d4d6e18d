import type { FieldError } from '../../platform/errors/index.js';
import { normalizePhone } from '../population/rules.js';
import type { Cell } from './reader.js';

/** A column of an import template. */
export interface ColumnDef {
  field: string;
  /** The header in the Chinese template (a trailing * marks a required column there). */
  header: string;
  /** Other headers recognised when suggesting the mapping. */
  aliases?: string[];
  required?: boolean;
  /** For enumerations: the accepted values, code → Chinese name (either is accepted in the file). */
  values?: Record<string, string>;
  example: string;
  note: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDate(y: number, m: number, d: number): string | undefined {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || y > 2200 || dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** Excel's day serial (1900 date system, 1 = 1900-01-01, with its phantom 1900-02-29) to a date. */
function fromSerial(n: number): string | undefined {
  if (!Number.isInteger(n) || n < 1 || n > 120_000) return undefined;
  const dt = new Date(Date.UTC(1899, 11, 30) + n * 86_400_000);
  return validDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

/** A date as people write it in a spreadsheet: 2024-03-01, 2024/3/1, 2024.3.1, 20240301, 2024年3月1日, or a date cell. */
export function parseDate(c: Cell): string | undefined {
  if (c instanceof Date) return validDate(c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate());
  if (typeof c === 'number') return fromSerial(c);
  if (typeof c !== 'string') return undefined;
  const s = c.trim();
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (m) return validDate(+m[1], +m[2], +m[3]);
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return validDate(+m[1], +m[2], +m[3]);
  return undefined;
}

const TRUE = new Set(['是', 'y', 'yes', 'true', '1', '有', '√']);
const FALSE = new Set(['否', 'n', 'no', 'false', '0', '无', '×']);

/**
 * The cells of one row, read through the column mapping. Each accessor returns the converted value (undefined
 * when the cell is empty or the column is not mapped) and collects a field error when the value cannot be read.
 */
export class RowValues {
  readonly errors: FieldError[] = [];

  constructor(
    private readonly cells: Cell[],
    private readonly mapping: Record<string, number>,
  ) {}

  raw(field: string): Cell | undefined {
    const i = this.mapping[field];
    if (i === undefined) return undefined;
    const c = this.cells[i];
    if (c === null || c === undefined || (typeof c === 'string' && c.trim() === '')) return undefined;
    return c;
  }

  fail(field: string, message: string) {
    if (!this.errors.some((e) => e.field === field)) this.errors.push({ field, message });
  }

  text(field: string, o: { required?: string; max?: number } = {}): string | undefined {
    const c = this.raw(field);
    if (c === undefined) {
      if (o.required) this.fail(field, o.required);
      return undefined;
    }
    let s: string;
    if (typeof c === 'number') {
      // long digit strings typed into a number cell lose their last digits in Excel
      if (!Number.isSafeInteger(c) && Number.isInteger(c)) {
        this.fail(field, '数字超过 15 位已被 Excel 截断，请把该列设为“文本”格式后重新填写');
        return undefined;
      }
      s = String(c);
    } else if (c instanceof Date) s = c.toISOString().slice(0, 10);
    else s = String(c).trim();
    if (o.max && s.length > o.max) {
      this.fail(field, `不能超过 ${o.max} 个字`);
      return undefined;
    }
    return s;
  }

  /** A phone number as the forms accept it (mobile or landline), stored as digits. */
  phone(field: string): string | undefined {
    const raw = this.text(field, { max: 32 });
    if (!raw) return undefined;
    const ph = normalizePhone(field, raw);
    if ('error' in ph) {
      this.fail(field, ph.error.message);
      return undefined;
    }
    return ph.value ?? undefined;
  }

  date(field: string, required?: string): string | undefined {
    const c = this.raw(field);
    if (c === undefined) {
      if (required) this.fail(field, required);
      return undefined;
    }
    const d = parseDate(c);
    if (!d) this.fail(field, '日期格式应为 YYYY-MM-DD（如 2024-03-01），且须是有效日期');
    return d;
  }

  number(field: string, o: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
    const c = this.raw(field);
    if (c === undefined) return undefined;
    const n = typeof c === 'number' ? c : typeof c === 'string' ? Number(c.trim().replace(/,/g, '')) : NaN;
    if (!Number.isFinite(n) || (o.integer && !Number.isInteger(n))) {
      this.fail(field, o.integer ? '应为整数' : '应为数字');
      return undefined;
    }
    if ((o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) {
      this.fail(field, `应在 ${o.min ?? '-∞'} 到 ${o.max ?? '∞'} 之间`);
      return undefined;
    }
    return n;
  }

  bool(field: string): boolean | undefined {
    const c = this.raw(field);
    if (c === undefined) return undefined;
    if (typeof c === 'boolean') return c;
    const s = String(c).trim().toLowerCase();
    if (TRUE.has(s)) return true;
    if (FALSE.has(s)) return false;
    this.fail(field, '应填“是”或“否”');
    return undefined;
  }

  /** An enumeration: the Chinese name or the code; `names` lists the accepted spellings beyond them. */
  choice<T extends string>(field: string, values: Record<T, string>, o: { required?: string; names?: Record<string, T> } = {}): T | undefined {
    const s = this.text(field, { required: o.required });
    if (s === undefined) return undefined;
    for (const [code, name] of Object.entries(values) as Array<[T, string]>) if (s === code || s === name) return code;
    const alias = o.names?.[s];
    if (alias) return alias;
    this.fail(field, `应为以下之一：${Object.values(values).join('、')}`);
    return undefined;
  }
}

/** Header text reduced for matching: no spaces, no required mark, no bracketed notes, latin lower-cased. */
export const headerKey = (h: string) =>
  h
    .replace(/[（(][^）)]*[）)]/g, '')
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase();

/** The suggested mapping of template fields onto the file's columns, by header and alias. */
export function suggestMapping(columns: ColumnDef[], headers: string[]): Record<string, number> {
  const keys = headers.map(headerKey);
  const used = new Set<number>();
  const mapping: Record<string, number> = {};
  for (const c of columns) {
    const wanted = [c.header, ...(c.aliases ?? []), c.field].map(headerKey);
    const i = keys.findIndex((k, idx) => !used.has(idx) && k !== '' && wanted.includes(k));
    if (i >= 0) {
      mapping[c.field] = i;
      used.add(i);
    }
  }
  return mapping;
}

/** Problems with a mapping: a column named twice, an index outside the header, a required field left out. */
export function checkMapping(columns: ColumnDef[], headers: string[], mapping: Record<string, number>): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Map(columns.map((c) => [c.field, c]));
  const seen = new Map<number, string>();
  for (const [field, idx] of Object.entries(mapping)) {
    const c = known.get(field);
    if (!c) errors.push({ field: `mapping.${field}`, message: '模板中没有该字段' });
    else if (!Number.isInteger(idx) || idx < 0 || idx >= headers.length) errors.push({ field: `mapping.${field}`, message: `列序号应在 0 到 ${headers.length - 1} 之间` });
    else if (seen.has(idx)) errors.push({ field: `mapping.${field}`, message: `第 ${idx + 1} 列「${headers[idx]}」已对应到「${known.get(seen.get(idx)!)!.header}」` });
    else seen.set(idx, field);
  }
  for (const c of columns) if (c.required && mapping[c.field] === undefined) errors.push({ field: `mapping.${c.field}`, message: `必填列「${c.header}」未对应到文件中的列` });
  return errors;
}
