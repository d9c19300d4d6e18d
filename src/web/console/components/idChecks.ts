// Client-side checks of 公民身份号码 (GB 11643) and 统一社会信用代码 (GB 32100) for on-the-spot hints while
// typing. The server checks again and has the last word (its messages name the standard's reason).

/** Full-width digits and letters to ASCII, spaces removed, upper case. */
export function foldCode(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '')
    .toUpperCase();
}

// ---- 公民身份号码 -----------------------------------------------------------------------------------------------

/** Weights Wi = 2^(17-i) mod 11 for positions 1..17 (ISO 7064 MOD 11-2). */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for Σ(ai·Wi) mod 11 = 0..10. */
const ID_CHECK_CHARS = '10X98765432';
/** Province-level address codes (mainland provinces, 71 台湾, 81 香港, 82 澳门, 83 台湾居民居住证). */
const ID_PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]);

export type IdCheck =
  | { ok: true; normalized: string; birthDate: string; sex: 'M' | 'F' }
  | { ok: false; reason: 'empty' | 'incomplete' | 'length' | 'charset' | 'region' | 'date' | 'checksum'; expected?: string; length: number };

/** The check character of the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return ID_CHECK_CHARS[sum % 11];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Today in China Standard Time, `YYYY-MM-DD`. */
export function todayCst(now: Date = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Checks an 18-character identity number: characters, province, birth date (exists, not in the future, not
 * before 1900) and the check character. Lower-case x and full-width characters are accepted.
 */
export function checkIdNumber(raw: string, today = todayCst()): IdCheck {
  const s = foldCode(raw);
  if (!s) return { ok: false, reason: 'empty', length: 0 };
  if (s.length > 18) return { ok: false, reason: 'length', length: s.length };
  if (!(s.length < 18 ? /^\d*$/ : /^\d{17}[\dX]$/).test(s)) return { ok: false, reason: 'charset', length: s.length };
  if (s.length < 18) return { ok: false, reason: 'incomplete', length: s.length };
  if (!ID_PROVINCES.has(s.slice(0, 2))) return { ok: false, reason: 'region', length: 18 };
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const birthDate = `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`;
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || birthDate > today) {
    return { ok: false, reason: 'date', length: 18 };
  }
  const expected = idCheckChar(s.slice(0, 17));
  if (expected !== s[17]) return { ok: false, reason: 'checksum', expected, length: 18 };
  return { ok: true, normalized: s, birthDate, sex: Number(s[16]) % 2 === 1 ? 'M' : 'F' };
}

// ---- 统一社会信用代码 -------------------------------------------------------------------------------------------

/** The 31-character alphabet (no I O Z S V); a character's index is its value. */
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights Wi = 3^(i-1) mod 31 for positions 1..17. */
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
/** GB 11714 weights over the 8-character organisation code body (positions 9..16). */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

export type CreditCheck =
  | { ok: true; normalized: string }
  | { ok: false; reason: 'empty' | 'incomplete' | 'length' | 'charset' | 'orgCode' | 'checksum'; expected?: string; length: number };

/** Check character (position 18) of the first 17 characters: 31 − (Σ value·Wi mod 31), 31 written as 0. */
export function creditCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += CREDIT_ALPHABET.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_ALPHABET[(31 - (sum % 31)) % 31];
}

/** Check character (position 17) of the organisation code body (positions 9..16): 11 − (Σ mod 11), 10 → X, 11 → 0. */
export function orgCodeCheckChar(first8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const c = first8.charCodeAt(i);
    sum += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i];
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

/** Checks an 18-character credit code: alphabet, the organisation-code check and the MOD 31 check. */
export function checkCreditCode(raw: string): CreditCheck {
  const s = foldCode(raw);
  if (!s) return { ok: false, reason: 'empty', length: 0 };
  if (![...s].every((ch) => CREDIT_ALPHABET.includes(ch))) return { ok: false, reason: 'charset', length: s.length };
  if (s.length < 18) return { ok: false, reason: 'incomplete', length: s.length };
  if (s.length > 18) return { ok: false, reason: 'length', length: s.length };
  const org = orgCodeCheckChar(s.slice(8, 16));
  if (org !== s[16]) return { ok: false, reason: 'orgCode', expected: org, length: 18 };
  const expected = creditCheckChar(s.slice(0, 17));
  if (expected !== s[17]) return { ok: false, reason: 'checksum', expected, length: 18 };
  return { ok: true, normalized: s };
}
