// Checks run as the worker types; the server repeats every one of them.
import { MOBILE_RE } from '../../../shared/forms';
import { S } from '../strings';
import { todayCst } from './util';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const PROVINCES = new Set('11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '));

export { MOBILE_RE };

export function normalizeId(raw: string): string {
  return raw
    .replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, '')
    .toUpperCase();
}

export function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A GB 11643 identity number's problem, or null when it is valid. */
export function idProblem(raw: string): string | null {
  const v = normalizeId(raw);
  if (v.length !== 18) return S.id.length;
  if (!/^\d{17}[\dX]$/.test(v)) return S.id.charset;
  if (!PROVINCES.has(v.slice(0, 2))) return S.id.region;
  const birth = `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`;
  if (!isDate(birth) || birth < '1900-01-01' || birth > todayCst()) return S.id.birth;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * WEIGHTS[i];
  if (CHECK_CHARS[sum % 11] !== v[17]) return S.id.checksum;
  return null;
}

/** While typing: complain once the number is complete or already cannot become valid. */
export function idProblemWhileTyping(raw: string): string | null {
  const v = normalizeId(raw);
  if (v.length >= 18 || /[^\dX]/.test(v) || v.slice(0, -1).includes('X')) return idProblem(v);
  return null;
}

export const cleanPhone = (s: string) => s.replace(/[\s-]/g, '');
