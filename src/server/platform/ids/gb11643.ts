/**
 * 公民身份号码 (GB 11643-1999).
 *
 * 18 characters: 6-digit address code (GB/T 2260 county at first issue),
 * 8-digit birth date YYYYMMDD, 3-digit sequence (odd = male, even = female)
 * and a check character computed with ISO 7064 MOD 11-2.
 *
 * Legacy 15-digit numbers (GB 11643-1989: address code, YYMMDD in the 1900s,
 * sequence, no check character) are only accepted with `allowLegacy: true`,
 * which is meant for importing old records; they are reported with
 * `legacy: true` and the 18-digit `upgraded` equivalent.
 *
 * The birth date must exist in the calendar, must not be after today (in
 * China Standard Time; `today` is injectable for tests) and by default must
 * not be before 1900 (`minBirthYear`).
 *
 * The address code is only checked at province level: a county code that has
 * since been abolished or renumbered stays valid on the card for life, so the
 * current division table cannot be used to reject it.
 */

import { listProvinces } from '../divisions/divisions.js';
import { foldInput } from './normalize.js';

export type IdFailureReason = 'length' | 'charset' | 'region' | 'date' | 'checksum';

export interface IdNumberInfo {
  /** Trimmed, upper-cased number as entered (15 or 18 characters). */
  normalized: string;
  /** First six digits: the address code at first issue. */
  regionCode: string;
  /** Birth date, `YYYY-MM-DD`. */
  birthDate: string;
  sex: 'M' | 'F';
  /** True for a 15-digit (GB 11643-1989) number. */
  legacy: boolean;
  /** For legacy numbers: the equivalent 18-digit number. */
  upgraded?: string;
  /** Last four characters of `normalized`. */
  last4: string;
}

export type IdParseResult =
  | { ok: true; value: IdNumberInfo }
  | { ok: false; reason: IdFailureReason; message: string };

export interface IdParseOptions {
  /** Accept 15-digit legacy numbers (imports only). Default false. */
  allowLegacy?: boolean;
  /**
   * The current date for the "not born in the future" check: a `Date`
   * (interpreted in China Standard Time, UTC+8) or a `YYYY-MM-DD` string.
   * Defaults to now.
   */
  today?: Date | string;
  /**
   * Earliest accepted birth year, default 1900. The standard itself allows
   * earlier years (its worked example 440524188001010014 is born 1880); the
   * 1900 default is a plausibility rule for living persons. Lower it only for
   * historical records.
   */
  minBirthYear?: number;
}

/** Weights Wi = 2^(17-i) mod 11 for positions 1..17. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Check character for R = Σ(ai·Wi) mod 11 = 0..10. */
const CHECK_CHARS = '10X98765432';

/**
 * Province-level codes valid in an address code: the mainland provinces from
 * the division table plus 71 台湾, 81 香港, 82 澳门 and 83 (used in residence
 * permits for Taiwan residents).
 */
const EXTRA_PROVINCE_CODES = ['71', '81', '82', '83'] as const;

let provinceCodes: ReadonlySet<string> | undefined;
function validProvinceCodes(): ReadonlySet<string> {
  if (!provinceCodes) {
    provinceCodes = new Set([...listProvinces().map((p) => p.code), ...EXTRA_PROVINCE_CODES]);
  }
  return provinceCodes;
}

const DEFAULT_MIN_BIRTH_YEAR = 1900;

function isAllDigits(s: string): boolean {
  return /^\d*$/.test(s);
}

/**
 * ISO 7064 MOD 11-2 check character for the first 17 digits.
 * @throws RangeError when `first17` is not exactly 17 ASCII digits.
 */
export function computeIdCheckChar(first17: string): string {
  if (typeof first17 !== 'string' || first17.length !== 17 || !isAllDigits(first17)) {
    throw new RangeError('computeIdCheckChar 需要 17 位数字');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const CST_OFFSET_MS = 8 * 60 * 60 * 1000; // China has had no DST since 1991.

function todayString(today: Date | string | undefined): string {
  if (typeof today === 'string') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
      throw new TypeError(`today 必须是 YYYY-MM-DD 格式：${JSON.stringify(today)}`);
    }
    return today;
  }
  const d = today ?? new Date();
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) {
    throw new TypeError('today 不是有效日期');
  }
  return new Date(d.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

function minBirthYear(opts: IdParseOptions): number {
  const y = opts.minBirthYear ?? DEFAULT_MIN_BIRTH_YEAR;
  if (!Number.isInteger(y)) throw new TypeError('minBirthYear 必须是整数');
  return y;
}

function fail(reason: IdFailureReason, message: string): IdParseResult {
  return { ok: false, reason, message };
}

/** Checks `yyyymmdd` and returns `YYYY-MM-DD`, or a failure message. */
function checkBirthDate(
  yyyymmdd: string,
  today: string,
  minYear: number,
): { date: string } | { error: string } {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { error: '公民身份号码中的出生日期不存在' };
  }
  const date = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
  if (year < minYear) {
    return { error: `公民身份号码中的出生日期早于${minYear}年` };
  }
  if (date > today) {
    return { error: '公民身份号码中的出生日期晚于当前日期' };
  }
  return { date };
}

/**
 * Parse and validate a 公民身份号码. Surrounding whitespace is trimmed,
 * full-width digits/letters are folded and a lower-case `x` check character
 * is accepted and upper-cased.
 */
export function parseIdNumber(input: string, opts: IdParseOptions = {}): IdParseResult {
  if (typeof input !== 'string') {
    return fail('length', '公民身份号码不能为空');
  }
  const s = foldInput(input).toUpperCase();
  const allowLegacy = opts.allowLegacy === true;

  if (s.length !== 18 && !(allowLegacy && s.length === 15)) {
    if (s.length === 0) return fail('length', '公民身份号码不能为空');
    if (s.length === 15) {
      return fail('length', '公民身份号码应为18位，15位旧号码仅在导入时接受');
    }
    return fail(
      'length',
      allowLegacy ? '公民身份号码应为18位（或15位旧号码）' : '公民身份号码应为18位',
    );
  }

  const legacy = s.length === 15;
  if (legacy ? !isAllDigits(s) : !/^\d{17}[\dX]$/.test(s)) {
    return fail(
      'charset',
      legacy
        ? '15位公民身份号码只能由数字组成'
        : '公民身份号码前17位只能是数字，最后一位只能是数字或X',
    );
  }

  if (!validProvinceCodes().has(s.slice(0, 2))) {
    return fail('region', '公民身份号码中的地址码无效（省级代码不存在）');
  }

  const yyyymmdd = legacy ? `19${s.slice(6, 12)}` : s.slice(6, 14);
  const birth = checkBirthDate(yyyymmdd, todayString(opts.today), minBirthYear(opts));
  if ('error' in birth) return fail('date', birth.error);

  let upgraded: string | undefined;
  if (legacy) {
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    upgraded = first17 + computeIdCheckChar(first17);
  } else if (computeIdCheckChar(s.slice(0, 17)) !== s[17]) {
    return fail('checksum', '公民身份号码校验位错误');
  }

  // Sequence digit: position 17 of an 18-digit number, 15 of a 15-digit one.
  const sexDigit = Number(legacy ? s[14] : s[16]);
  const value: IdNumberInfo = {
    normalized: s,
    regionCode: s.slice(0, 6),
    birthDate: birth.date,
    sex: sexDigit % 2 === 1 ? 'M' : 'F',
    legacy,
    last4: s.slice(-4),
  };
  if (upgraded !== undefined) value.upgraded = upgraded;
  return { ok: true, value };
}

export function isValidIdNumber(input: string, opts: IdParseOptions = {}): boolean {
  return parseIdNumber(input, opts).ok;
}

/**
 * Mask a normalized number for display: first 6 characters, asterisks, last
 * 4 characters, keeping the length (18 → `371602********1234`, 15 → 5
 * asterisks). Input that is too short to keep anything is fully masked.
 */
export function maskIdNumber(normalized: string): string {
  const s = typeof normalized === 'string' ? normalized.trim().toUpperCase() : '';
  if (s.length <= 10) return '*'.repeat(s.length);
  return s.slice(0, 6) + '*'.repeat(s.length - 10) + s.slice(-4);
}
