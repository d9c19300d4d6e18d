import { fullName, getCity, getCounty, getProvince, getStreet, isPlaceholderCityName } from '../../platform/divisions/index.js';
import type { FieldError } from '../../platform/errors/index.js';

/**
 * Standard address (一标) rules: element levels and which may hang below which, element-name
 * normalisation, the stable public code and the plate kind of each level. Pure functions only.
 */

export const LEVELS = ['road', 'door', 'compound', 'building', 'unit', 'floor', 'room', 'village', 'group'] as const;
export type Level = (typeof LEVELS)[number];

export const LEVEL_NAMES: Record<Level, string> = {
  road: '街路巷',
  door: '门牌号',
  compound: '小区/单位',
  building: '楼栋',
  unit: '单元',
  floor: '楼层',
  room: '户室',
  village: '村',
  group: '组',
};

/** Levels that hang directly under a grid. */
export const TOP_LEVELS: readonly Level[] = ['road', 'village'];

export const CHILD_LEVELS: Record<Level, readonly Level[]> = {
  road: ['door'],
  door: ['compound', 'building', 'room'],
  compound: ['building', 'door'],
  building: ['unit', 'floor', 'room'],
  unit: ['floor', 'room'],
  floor: ['room'],
  room: [],
  village: ['group', 'door'],
  group: ['door'],
};

/**
 * Width of the serial a child adds to its parent's code, by the parent's level (`street` = the
 * top-level serial after the 9-digit street code). All children of one parent share one serial space
 * and one code length, so no code is ever a prefix-collision of another branch's code.
 */
export const SERIAL_WIDTH: Record<Level | 'street', number> = {
  street: 4,
  road: 4,
  village: 4,
  group: 4,
  door: 3,
  compound: 3,
  building: 3,
  unit: 3,
  floor: 3,
  room: 0,
};

export const PLATE_KINDS = ['road', 'gate', 'building', 'room'] as const;
export type PlateKind = (typeof PLATE_KINDS)[number];

export const PLATE_KIND_NAMES: Record<PlateKind, string> = {
  road: '路牌',
  gate: '小区/单位门牌',
  building: '楼宇牌',
  room: '室号牌',
};

/** The plate kind follows from the level: 路牌 for roads and villages (and their groups), and so on. */
export const PLATE_KIND_OF: Record<Level, PlateKind> = {
  road: 'road',
  village: 'road',
  group: 'road',
  door: 'gate',
  compound: 'gate',
  building: 'building',
  unit: 'building',
  floor: 'room',
  room: 'room',
};

export function checkLevelPlacement(level: Level, parentLevel: Level | null): FieldError | undefined {
  if (parentLevel === null) {
    if (!TOP_LEVELS.includes(level)) return { field: 'level', message: `网格下只能建立「${LEVEL_NAMES.road}」或「${LEVEL_NAMES.village}」，「${LEVEL_NAMES[level]}」须指定上级地址（parentId）` };
    return undefined;
  }
  const allowed = CHILD_LEVELS[parentLevel];
  if (!allowed.includes(level)) {
    return {
      field: 'level',
      message: allowed.length
        ? `「${LEVEL_NAMES[parentLevel]}」下只能建立：${allowed.map((l) => `「${LEVEL_NAMES[l]}」`).join('、')}`
        : `「${LEVEL_NAMES[parentLevel]}」是最末一级，不能再建下级地址`,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Text normalisation

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
export const CN_NUMERAL = '[零〇一二两三四五六七八九十百千]+';

/** 十二 → 12, 一百零五 → 105, 二〇三 → 203; undefined when it is not a numeral. */
export function cnToInt(s: string): number | undefined {
  if (!s || !new RegExp(`^${CN_NUMERAL}$`).test(s)) return undefined;
  if (!/[十百千]/.test(s)) return Number([...s].map((c) => CN_DIGITS[c]).join('')); // 二〇三 read digit by digit
  let total = 0;
  let digit = 0;
  for (const c of s) {
    if (c in CN_DIGITS) digit = CN_DIGITS[c];
    else {
      total += (digit || 1) * CN_UNITS[c];
      digit = 0;
    }
  }
  return total + digit;
}

const CN_NAMES = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 12 → 十二, 105 → 一百零五 (for road names, which are written in Chinese numerals). */
export function intToCn(n: number): string {
  if (n < 10) return CN_NAMES[n];
  if (n < 20) return `十${n % 10 ? CN_NAMES[n % 10] : ''}`;
  if (n < 100) return `${CN_NAMES[Math.floor(n / 10)]}十${n % 10 ? CN_NAMES[n % 10] : ''}`;
  if (n < 1000) {
    const rest = n % 100;
    return `${CN_NAMES[Math.floor(n / 100)]}百${rest === 0 ? '' : rest < 10 ? `零${CN_NAMES[rest]}` : rest < 20 ? `一${intToCn(rest)}` : intToCn(rest)}`;
  }
  return String(n);
}

/**
 * Common clean-up of any address text: NFKC (full-width digits, letters and punctuation become ASCII),
 * no whitespace, one kind of dash.
 */
export function cleanText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u200b\u3000]+/g, '')
    .replace(/[‐‑‒–—―−﹣－~～]/g, '-');
}

/** The search key stored in `search_text`: no whitespace or punctuation (except `-` and `#`), lower case. Works character by character, so the key of a concatenation is the concatenation of the keys. */
export function searchKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u200b\u3000]+/gu, '')
    .replace(/[^\p{L}\p{N}\-#]/gu, '');
}

const ROAD_SUFFIX = '(?:大道|大街|路|街|巷|胡同|弄|道|里|线)';
const VILLAGE_SUFFIX = '(?:村|庄|屯|寨|堡|营)';

/** Road names use Chinese numerals (黄河十二路); 黄河12路 is the same road. */
export function roadKey(name: string): string {
  return name.replace(new RegExp(`(\\D)(\\d{1,3})(?=${ROAD_SUFFIX}$)`), (_m, pre: string, n: string) => pre + intToCn(Number(n)));
}

const num = (s: string) => String(Number(s)); // strips leading zeros

function toDigits(s: string): string {
  const cn = cnToInt(s);
  return cn === undefined ? s : String(cn);
}

export interface NormalisedName {
  /** The element text as stored, e.g. 599号, 3号楼, 2单元, 5层, 501室. */
  name: string;
  /** What identifies the element among its siblings: 3号楼 and 3栋 are both building `3`. */
  key: string;
}

const ALLOWED_CHARS = /^[\p{Script=Han}A-Za-z0-9\-#·()]+$/u;

/**
 * Validates and normalises one element name for its level. Returns the stored form and the sibling key,
 * or a Chinese message saying what is expected.
 */
export function normaliseName(level: Level, raw: string): NormalisedName | { error: string } {
  const s = cleanText(raw);
  if (!s) return { error: '名称不能为空' };
  if (s.length > 40) return { error: '名称不能超过 40 个字' };
  if (!ALLOWED_CHARS.test(s)) return { error: '名称只能包含汉字、字母、数字和 - # · ( )' };
  let m: RegExpExecArray | null;
  switch (level) {
    case 'road': {
      if (!new RegExp(`^\\D[\\p{Script=Han}A-Za-z0-9]*${ROAD_SUFFIX}$`, 'u').test(s) || s.length < 2)
        return { error: '街路巷名称应以「路」「街」「巷」「大道」「胡同」「弄」「道」「里」「线」结尾，如：黄河十二路' };
      const name = roadKey(s);
      return { name, key: name };
    }
    case 'village':
      if (!new RegExp(`^\\D[\\p{Script=Han}0-9]*${VILLAGE_SUFFIX}$`, 'u').test(s) || s.length < 2)
        return { error: '村名应以「村」「庄」「屯」「寨」「堡」「营」结尾，如：李家村' };
      return { name: s, key: s };
    case 'group':
      if ((m = new RegExp(`^第?(\\d{1,3}|${CN_NUMERAL})(组|队|村民小组)?$`).exec(s))) {
        const n = num(toDigits(m[1]));
        if (n === '0') return { error: '组号不能为 0' };
        return { name: `${n}${m[2] === '队' ? '队' : '组'}`, key: n };
      }
      return { error: '组名应为组号，如：3组、第三村民小组' };
    case 'door':
      if ((m = /^([甲乙丙丁])?(\d{1,5})(?:(?:-|之)(\d{1,4}))?号?$/.exec(s))) {
        const n = `${m[1] ?? ''}${num(m[2])}${m[3] ? `-${num(m[3])}` : ''}`;
        if (num(m[2]) === '0') return { error: '门牌号不能为 0' };
        return { name: `${n}号`, key: n };
      }
      return { error: '门牌号应为数字加「号」，如：599号、599-1号' };
    case 'compound':
      if (s.length < 2 || /^[\d\-#]+$/.test(s)) return { error: '小区/单位名称至少 2 个字，且不能只有数字，如：香园小区' };
      return { name: s, key: s };
    case 'building':
      if ((m = new RegExp(`^(\\d{1,4}|${CN_NUMERAL})(号楼|号|栋|幢|座|#楼|#|楼)?$`).exec(s))) {
        const n = num(toDigits(m[1]));
        if (n === '0') return { error: '楼号不能为 0' };
        const suffix = m[2] === '栋' || m[2] === '幢' || m[2] === '座' ? m[2] : '号楼';
        return { name: `${n}${suffix}`, key: n };
      }
      if ((m = /^([A-Za-z])(号楼|栋|幢|座|#|楼)?$/.exec(s))) {
        const n = m[1].toUpperCase();
        return { name: `${n}${m[2] === '栋' || m[2] === '幢' || m[2] === '号楼' ? m[2] : '座'}`, key: n };
      }
      if (/^\D.*(楼|座|馆|堂|中心|厂房|车间)$/u.test(s) && s.length >= 2) return { name: s, key: s }; // 综合楼, 1号教学楼 is numbered above
      return { error: '楼栋应为楼号，如：3号楼、3栋、3幢、A座，或以「楼」结尾的楼名，如：综合楼' };
    case 'unit':
      if ((m = new RegExp(`^(\\d{1,2}|${CN_NUMERAL})(单元)?$`).exec(s))) {
        const n = num(toDigits(m[1]));
        if (n === '0') return { error: '单元号不能为 0' };
        return { name: `${n}单元`, key: n };
      }
      return { error: '单元应为单元号，如：2单元' };
    case 'floor': {
      if ((m = /^(?:-|B|b|负|地下)(\d{1,2})(层|楼|F|f)?$/.exec(s))) {
        const n = num(m[1]);
        if (n === '0') return { error: '楼层不能为 0' };
        return { name: `地下${n}层`, key: `-${n}` };
      }
      if ((m = new RegExp(`^(\\d{1,3}|${CN_NUMERAL})(层|楼|F|f)?$`).exec(s))) {
        const n = num(toDigits(m[1]));
        if (n === '0') return { error: '楼层不能为 0' };
        return { name: `${n}层`, key: n };
      }
      return { error: '楼层应为层数，如：5层、地下1层' };
    }
    case 'room':
      if ((m = /^(\d{1,5}(?:-\d{1,3})?|[A-Za-z]\d{0,4})(室|户|房|号)?$/.exec(s))) {
        const n = m[1].toUpperCase().replace(/^0+(?=\d)/, '');
        if (/^0+$/.test(n)) return { error: '室号不能为 0' };
        return { name: `${n}室`, key: n };
      }
      if (/^[东西南北中][边侧]?户$/.test(s)) return { name: s, key: s };
      return { error: '户室应为室号，如：501室、501' };
  }
}

export function checkCoordinates(lng: number | null | undefined, lat: number | null | undefined): FieldError | undefined {
  const hasLng = lng !== undefined && lng !== null;
  const hasLat = lat !== undefined && lat !== null;
  if (hasLng !== hasLat) return { field: hasLng ? 'lat' : 'lng', message: '经度和纬度须同时提供' };
  if (!hasLng) return undefined;
  if (!Number.isFinite(lng) || lng! < 73 || lng! > 136) return { field: 'lng', message: '经度超出中国范围（73–136）' };
  if (!Number.isFinite(lat) || lat! < 3 || lat! > 54) return { field: 'lat', message: '纬度超出中国范围（3–54）' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Codes and full text

/** The next code below a parent (or below the street for top-level elements), or an error when the serials are used up. */
export function nextCode(prefix: string, width: number, maxExisting: string | undefined): string | { error: string } {
  const last = maxExisting ? Number(maxExisting.slice(prefix.length)) : 0;
  const next = last + 1;
  if (next >= 10 ** width) return { error: `该上级下的编码序号已用尽（最多 ${10 ** width - 1} 个）` };
  return prefix + String(next).padStart(width, '0');
}

/** The 9-digit street (乡镇/街道) code of a grid: the first 9 digits of its org code (the station's code). */
export const streetCodeOf = (gridCode: string) => gridCode.slice(0, 9);

/** 学苑社区警务区 → 学苑社区; 李家村警务室 → 李家村. */
export const communityShortName = (orgName: string) => orgName.replace(/(警务区|警务室)$/, '');

/**
 * Province + city + county + street of a grid (from the divisions tables), or the county's name when
 * the station's code is not a known street.
 */
export function divisionText(gridCode: string, countyCode: string | null): string {
  const street = streetCodeOf(gridCode);
  return fullName(street) ?? (countyCode ? (fullName(countyCode) ?? '') : '');
}

/** The full text of a top-level element: divisions + community + the element (the community is left out when a village bears its name). */
export function topFullText(division: string, community: string, name: string): string {
  return name === community ? `${division}${name}` : `${division}${community}${name}`;
}

/** Names that may open a free-text address and say nothing the scope does not already say (longest first). */
export function prefixNames(gridCode: string, countyCode: string | null, communityOrgName: string): string[] {
  const out = new Set<string>();
  const street = getStreet(streetCodeOf(gridCode));
  const county = getCounty(street?.countyCode ?? countyCode ?? '');
  const city = county ? getCity(county.cityCode) : undefined;
  const province = county ? getProvince(county.provinceCode) : undefined;
  const division = divisionText(gridCode, countyCode);
  for (const n of [division, province?.name, city && !isPlaceholderCityName(city.name) ? city.name : undefined, county?.name, street?.name]) if (n) out.add(n);
  out.add(communityOrgName);
  out.add(communityShortName(communityOrgName));
  return [...out].filter((x) => x.length >= 2).sort((a, b) => b.length - a.length);
}
