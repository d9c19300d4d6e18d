// Checks run as the resident types; the server repeats every one of them.
import { S } from '../strings';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
// province-level codes of GB/T 2260 (incl. Taiwan, Hong Kong, Macao)
const PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '),
);

/** Full-width digits and letters typed by some keyboards become ASCII; spaces go. */
export function normalizeId(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
}

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function todayCst(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The birth date (YYYY-MM-DD) of a valid identity number. */
export function birthDateOf(id: string): string | null {
  const v = normalizeId(id);
  if (v.length !== 18) return null;
  const d = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  return isDate(d) ? d : null;
}

/** A GB 11643 identity number's problem, or null when it is valid. Empty → required message. */
export function idError(raw: string): string | null {
  const v = normalizeId(raw);
  if (!v) return S.id.empty;
  if (v.length !== 18) return /[^\dX]/.test(v) || v.slice(0, -1).includes('X') ? S.id.charset : S.id.length;
  if (!/^\d{17}[\dX]$/.test(v)) return S.id.charset;
  if (!PROVINCES.has(v.slice(0, 2))) return S.id.region;
  const birth = birthDateOf(v);
  if (!birth || birth < '1900-01-01' || birth > todayCst()) return S.id.birth;
  if (idCheckChar(v.slice(0, 17)) !== v[17]) return S.id.checksum;
  return null;
}

/** While typing: complain only once the number is complete or already cannot become valid. */
export function idErrorWhileTyping(raw: string): string | null {
  const v = normalizeId(raw);
  if (v.length >= 18 || /[^\dX]/.test(v) || v.slice(0, -1).includes('X')) return idError(v);
  return null;
}

export const MOBILE_RE = /^1[3-9]\d{9}$/;
export const PHONE_RE = /^(1[3-9]\d{9}|0\d{9,11})$/;

export const cleanPhone = (s: string) => s.replace(/[\s-]/g, '');

export function phoneError(raw: string, required: boolean, mobileOnly = false): string | null {
  const v = cleanPhone(raw);
  if (!v) return required ? S.form.requiredMsg(S.fields.phone) : null;
  if (mobileOnly ? !MOBILE_RE.test(v) : !PHONE_RE.test(v)) return mobileOnly ? S.form.mobileInvalid : S.form.phoneInvalid;
  return null;
}

export function textError(raw: string, label: string, opts: { required?: boolean; min?: number; max?: number } = {}): string | null {
  const v = raw.trim();
  if (!v) return opts.required ? S.form.requiredMsg(label) : null;
  if (opts.min && [...v].length < opts.min) return S.form.tooShort(opts.min);
  if (opts.max && [...v].length > opts.max) return S.form.tooLong(opts.max);
  return null;
}

export function dateError(raw: string, label: string, required: boolean): string | null {
  if (!raw) return required ? S.form.chooseMsg(label) : null;
  return isDate(raw) ? null : S.form.dateInvalid;
}
