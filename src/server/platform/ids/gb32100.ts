/**
 * 统一社会信用代码 (GB 32100-2015, 法人和其他组织统一社会信用代码编码规则).
 *
 * 18 characters from `0-9 A-H J-N P-R T U W-Y` (I O Z S V are never used):
 *   pos 1      登记管理部门代码 (registering authority)
 *   pos 2      机构类别代码 (category, meaning depends on the authority)
 *   pos 3-8    登记管理机关行政区划码 (GB/T 2260; 100000 = national level)
 *   pos 9-17   主体标识码 = 组织机构代码 (GB 11714), whose 9th character
 *              (pos 17) is its own check character (digit or X)
 *   pos 18     校验码, GB/T 17710 style MOD 31 over the first 17 characters
 *
 * About the pos-17 organisation-code check: it is enforced by default. It was
 * verified against published real codes (the examples used in the tests,
 * including 91350100M000100Y43, 91110000802100433B, 911100001000044477,
 * 92141127MA0KD1Y64A, 12440600MB2C07549J and a public list of ~380 real
 * enterprise, individual-business and institution codes). Every one of them
 * satisfies the GB 11714 check, including the newer `MA…` codes and codes
 * whose organisation code starts with a letter such as `L`. No real code was
 * found that passes the pos-18 check but fails the pos-17 one, so rejecting
 * is safe as far as the evidence goes. For bulk imports of old data the
 * caller can still downgrade it to a warning with `orgCodeCheck: 'warn'`.
 *
 * Known real exception to the standard as a whole: some codes issued in
 * Xiamen before the standard took effect (e.g. 91350203M0001QKT19) fail the
 * pos-18 check itself. Those are rejected with reason `checksum` like any
 * other check failure; they must be corrected at the registry, not here.
 */

import { getProvince } from '../divisions/divisions.js';
import { foldInput } from './normalize.js';

export type CreditFailureReason =
  | 'length'
  | 'charset'
  | 'authority'
  | 'category'
  | 'region'
  | 'orgCode'
  | 'checksum';

export interface CreditCodeInfo {
  /** Trimmed, upper-cased code. */
  normalized: string;
  /** Pos 1, e.g. `9`. */
  authority: string;
  /** e.g. 工商 (market regulation). */
  authorityName: string;
  /** Pos 2, e.g. `1`. */
  category: string;
  /** e.g. 企业; absent when the standard gives the category no name. */
  categoryName?: string;
  /** Pos 3-8. */
  regionCode: string;
  /** Pos 9-17: the 9-character GB 11714 organisation code. */
  orgCode: string;
  /** Only with `orgCodeCheck: 'warn'`: non-fatal findings (Chinese). */
  warnings?: string[];
}

export type CreditParseResult =
  | { ok: true; value: CreditCodeInfo }
  | { ok: false; reason: CreditFailureReason; message: string };

export interface CreditParseOptions {
  /**
   * What to do when the organisation code's own check character (pos 17)
   * is wrong: `'reject'` (default) or `'warn'` (accept, add a warning).
   */
  orgCodeCheck?: 'reject' | 'warn';
}

/** The 31-character alphabet; a character's index is its value. */
export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights Wi = 3^(i-1) mod 31 for positions 1..17. */
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
/** GB 11714 weights over the 8-character organisation code body. */
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

interface Authority {
  name: string;
  categories: Readonly<Record<string, string | undefined>>;
}

/**
 * 登记管理部门 and their 机构类别 (GB 32100-2015 with its amendments, as
 * published by the national USCC data service centre). `Y` has a single
 * category `1` with no further name.
 */
const AUTHORITIES: Readonly<Record<string, Authority>> = {
  '1': {
    name: '机构编制',
    categories: {
      '1': '机关',
      '2': '事业单位',
      '3': '中央编办直接管理机构编制的群众团体',
      '9': '其他',
    },
  },
  '2': { name: '外交', categories: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    categories: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', categories: { '1': '外国在华文化中心', '9': '其他' } },
  '5': {
    name: '民政',
    categories: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' },
  },
  '6': {
    name: '旅游',
    categories: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', categories: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', categories: { '1': '基层工会', '9': '其他' } },
  '9': {
    name: '工商',
    categories: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' },
  },
  A: { name: '中央军委改革和编制办公室', categories: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    categories: {
      '1': '组级集体经济组织',
      '2': '村级集体经济组织',
      '3': '乡镇级集体经济组织',
      '9': '其他',
    },
  },
  Y: { name: '其他', categories: { '1': undefined } },
};

/** Province-level prefixes accepted in pos 3-4 besides the division table. */
const EXTRA_REGION_PREFIXES = ['10', '71', '81', '82'] as const; // 10 = 国家级

const CODE_RE = /^[0-9A-HJ-NPQRTUW-Y]{18}$/;

function creditValue(ch: string): number {
  return CREDIT_CODE_ALPHABET.indexOf(ch);
}

/**
 * Check character (pos 18) for the first 17 characters:
 * C18 = 31 − (Σ value·Wi mod 31), where 31 is written as `0`.
 * @throws RangeError when `first17` is not 17 characters of the alphabet.
 */
export function computeCreditCheckChar(first17: string): string {
  if (typeof first17 !== 'string' || !/^[0-9A-HJ-NPQRTUW-Y]{17}$/.test(first17)) {
    throw new RangeError('computeCreditCheckChar 需要 17 位统一社会信用代码字符');
  }
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += creditValue(first17[i]) * WEIGHTS[i];
  return CREDIT_CODE_ALPHABET[(31 - (sum % 31)) % 31];
}

/**
 * GB 11714 check character for an 8-character organisation code body
 * (digits value 0-9, letters A=10 … Z=35): C9 = 11 − (Σ mod 11), with
 * 10 → `X` and 11 → `0`.
 * @throws RangeError when `first8` is not 8 characters of 0-9/A-Z.
 */
export function computeOrgCodeCheckChar(first8: string): string {
  if (typeof first8 !== 'string' || !/^[0-9A-Z]{8}$/.test(first8)) {
    throw new RangeError('computeOrgCodeCheckChar 需要 8 位数字或大写字母');
  }
  let sum = 0;
  for (let i = 0; i < 8; i += 1) {
    const c = first8.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 65 + 10;
    sum += v * ORG_WEIGHTS[i];
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

function fail(reason: CreditFailureReason, message: string): CreditParseResult {
  return { ok: false, reason, message };
}

/**
 * Parse and validate a 统一社会信用代码. Surrounding whitespace is trimmed,
 * full-width characters folded and lower case upper-cased.
 */
export function parseCreditCode(input: string, opts: CreditParseOptions = {}): CreditParseResult {
  if (typeof input !== 'string') {
    return fail('length', '统一社会信用代码不能为空');
  }
  const s = foldInput(input).toUpperCase();
  if (s.length === 0) return fail('length', '统一社会信用代码不能为空');
  if (s.length !== 18) return fail('length', '统一社会信用代码应为18位');
  if (!CODE_RE.test(s)) {
    return fail(
      'charset',
      '统一社会信用代码只能由数字和大写英文字母组成，且不使用I、O、Z、S、V',
    );
  }

  const authority = s[0];
  const auth = AUTHORITIES[authority];
  if (!auth) return fail('authority', '统一社会信用代码的登记管理部门代码无效');

  const category = s[1];
  if (!Object.prototype.hasOwnProperty.call(auth.categories, category)) {
    return fail('category', `统一社会信用代码的机构类别代码无效（${auth.name}）`);
  }

  const regionCode = s.slice(2, 8);
  const prefix = regionCode.slice(0, 2);
  if (
    !/^\d{6}$/.test(regionCode) ||
    !(getProvince(prefix) || (EXTRA_REGION_PREFIXES as readonly string[]).includes(prefix))
  ) {
    return fail('region', '统一社会信用代码的登记管理机关行政区划码无效');
  }

  // Whole-code check first: it catches every single-character error, so a
  // typo anywhere is reported as such rather than as an org-code problem.
  if (computeCreditCheckChar(s.slice(0, 17)) !== s[17]) {
    return fail('checksum', '统一社会信用代码校验位错误');
  }

  const orgCode = s.slice(8, 17);
  const warnings: string[] = [];
  if (computeOrgCodeCheckChar(orgCode.slice(0, 8)) !== orgCode[8]) {
    const message = '统一社会信用代码中的组织机构代码（第9-17位）校验位错误';
    if (opts.orgCodeCheck !== 'warn') return fail('orgCode', message);
    warnings.push(message);
  }

  const value: CreditCodeInfo = {
    normalized: s,
    authority,
    authorityName: auth.name,
    category,
    regionCode,
    orgCode,
  };
  const categoryName = auth.categories[category];
  if (categoryName !== undefined) value.categoryName = categoryName;
  if (warnings.length > 0) value.warnings = warnings;
  return { ok: true, value };
}

export function isValidCreditCode(input: string, opts: CreditParseOptions = {}): boolean {
  return parseCreditCode(input, opts).ok;
}
