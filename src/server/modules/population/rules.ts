import { pinyin } from 'pinyin-pro';
import { DomainError, type FieldError } from '../../platform/errors/index.js';
import { beijingDay } from '../../../shared/geo.js';

export const PERSON_TYPES = ['registered', 'floating', 'overseas'] as const;
export type PersonType = (typeof PERSON_TYPES)[number];
export const PERSON_TYPE_NAMES: Record<PersonType, string> = { registered: '户籍人口', floating: '流动人口', overseas: '境外人员' };

/** Relation to the householder (与户主关系). */
export const RELATIONS = ['householder', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'relative', 'tenant', 'roommate', 'employee', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];
export const RELATION_NAMES: Record<Relation, string> = {
  householder: '户主',
  spouse: '配偶',
  child: '子女',
  parent: '父母',
  grandchild: '孙子女',
  grandparent: '祖父母',
  sibling: '兄弟姐妹',
  relative: '其他亲属',
  tenant: '租户',
  roommate: '合租人',
  employee: '雇员',
  other: '其他',
};

/** Address levels a person can live at and housing can be recorded for (a room, a floor, a house). */
export const DWELLING_LEVELS = ['door', 'building', 'unit', 'floor', 'room'] as const;

export const HOUSING_USES = ['self', 'rent', 'vacant', 'business'] as const;
export type HousingUse = (typeof HOUSING_USES)[number];
export const HOUSING_USE_NAMES: Record<HousingUse, string> = { self: '自住', rent: '出租', vacant: '空置', business: '经营' };

export const PROPERTY_TYPES = ['commercial', 'affordable', 'public_rental', 'self_built', 'collective', 'other'] as const;
export type PropertyType = (typeof PROPERTY_TYPES)[number];
export const PROPERTY_TYPE_NAMES: Record<PropertyType, string> = {
  commercial: '商品房',
  affordable: '经济适用房',
  public_rental: '公租房',
  self_built: '自建房',
  collective: '集体宿舍',
  other: '其他',
};

export const RENTAL_REGISTRATIONS = ['registered', 'unregistered', 'expired'] as const;
export type RentalRegistration = (typeof RENTAL_REGISTRATIONS)[number];

/** A stated purpose (case number, task) is at least this many characters. */
export const PURPOSE_MIN_LENGTH = 4;

/** Today's calendar date in China Standard Time, `YYYY-MM-DD`. */
export function todayCst(now: Date = new Date()): string {
  return beijingDay(now);
}

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const ymd = (y: number, m: number, d: number) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Adds calendar months to a `YYYY-MM-DD` date; a day that does not exist in the target month becomes its last day. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = (total % 12) + 1;
  return ymd(ty, tm, Math.min(d, daysIn(ty, tm)));
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** Whole years between a birth date and a day. */
export function ageOn(birthDate: string | null, day: string): number | null {
  if (!birthDate) return null;
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = day.split('-').map(Number);
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}

export interface Endorsement {
  /** 居住每满一年之日: the anniversary of the issue date. */
  anniversary: string;
  /** The window 居住证暂行条例 Art. 13 gives: the month before the anniversary. */
  windowFrom: string;
  windowTo: string;
}

/**
 * The next annual endorsement (签注) of a residence permit: 居住证暂行条例 Art. 13 — a holder who keeps living
 * in the place has it endorsed "within the month before each full year of residence". The next one is the first
 * anniversary of the issue date that has not been reached yet; its window runs from one calendar month before
 * it to the day before it. A permit issued on 29 February has its anniversary on 28 February in other years.
 */
export function nextEndorsement(issuedOn: string, today: string): Endorsement {
  let years = 1;
  let anniversary = addMonths(issuedOn, 12);
  while (anniversary <= today) {
    years += 1;
    anniversary = addMonths(issuedOn, 12 * years);
  }
  return { anniversary, windowFrom: addMonths(anniversary, -1), windowTo: addDays(anniversary, -1) };
}

export interface NameKeys {
  pinyin: string;
  initials: string;
  /** The ordinary reading when it differs from the surname reading (单 shan → dan), else ''. */
  pinyinAlt: string;
  initialsAlt: string;
}

const syllables = (name: string, surname: 'head' | 'off') =>
  pinyin(name, { toneType: 'none', type: 'array', surname, v: true, nonZh: 'consecutive' })
    .flatMap((s) => s.toLowerCase().split(/[^a-z]+/))
    .filter(Boolean);

/**
 * Search keys of a name: full pinyin without spaces in lower case ("zhangjinming") and initials ("zjm"). The
 * surname is read in surname mode, so 单田芳 is "shantianfang" and 曾 is "zeng"; the ordinary reading is kept
 * as a second key when it differs. ü is written v (lv), as on a keyboard. Latin names keep their letters
 * ("John Smith" → "johnsmith", "js").
 */
export function nameKeys(name: string): NameKeys {
  const main = syllables(name, 'head');
  const plain = syllables(name, 'off');
  const full = main.join('');
  const initials = main.map((s) => s[0]).join('');
  const altFull = plain.join('');
  const altInitials = plain.map((s) => s[0]).join('');
  return {
    pinyin: full,
    initials,
    pinyinAlt: altFull !== full ? altFull : '',
    initialsAlt: altInitials !== initials ? altInitials : '',
  };
}

/** Mobile (11 digits starting 1) or landline (0 + area code + number); stored as digits only. */
export function normalizePhone(field: string, phone: string | null | undefined): { value: string | null } | { error: FieldError } {
  if (phone === null || phone === undefined || phone.trim() === '') return { value: null };
  const digits = phone.replace(/[\s-]/g, '');
  if (!/^1[3-9]\d{9}$/.test(digits) && !/^0\d{9,11}$/.test(digits)) return { error: { field, message: '电话号码格式不正确（11 位手机号或带区号的固定电话）' } };
  return { value: digits };
}

/**
 * The purpose a sensitive look-up needs (a case number, a task): refused with `purpose_required` when it is
 * missing or shorter than PURPOSE_MIN_LENGTH characters.
 */
export function requirePurpose(purpose: string | undefined, what: string): string {
  const p = purpose?.trim() ?? '';
  if ([...p].length < PURPOSE_MIN_LENGTH) {
    const message = `${what}须说明用途（如案件编号、任务），至少 ${PURPOSE_MIN_LENGTH} 个字`;
    throw new DomainError('purpose_required', 400, message, [{ field: 'purpose', message }]);
  }
  return p;
}

/** Search text of an address: no whitespace or punctuation (as stored in addresses.search_text). */
export const addressSearchKey = (s: string) => s.replace(/[\s\p{P}\p{S}]/gu, '');

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
export { likeEscape } from '../../db/like.js';
