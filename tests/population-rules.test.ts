import { describe, expect, it } from 'vitest';
import { addMonths, ageOn, nameKeys, nextEndorsement, normalizePhone, requirePurpose, todayCst } from '../src/server/modules/population/rules.js';
import { maskedIdOf } from '../src/server/modules/population/present.js';
import { maskIdNumber } from '../src/server/platform/ids/index.js';
import { makeCreditCode, makeIdNumber } from './support/registry-fixtures.js';
import { parseCreditCode, parseIdNumber } from '../src/server/platform/ids/index.js';

describe('residence-permit endorsement (居住证暂行条例 Art. 13)', () => {
  it('is due in the month before each full year of residence', () => {
    expect(nextEndorsement('2025-12-10', '2026-11-22')).toEqual({ anniversary: '2026-12-10', windowFrom: '2026-11-10', windowTo: '2026-12-09' });
    // on the anniversary itself that year is over: the next one counts
    expect(nextEndorsement('2025-11-22', '2026-11-22').anniversary).toBe('2027-11-22');
    expect(nextEndorsement('2025-11-22', '2026-11-21').anniversary).toBe('2026-11-22');
    // a permit issued this year is first endorsed after one year
    expect(nextEndorsement('2026-06-01', '2026-06-02').anniversary).toBe('2027-06-01');
  });

  it('handles month ends and 29 February', () => {
    expect(nextEndorsement('2024-02-29', '2026-11-22')).toEqual({ anniversary: '2027-02-28', windowFrom: '2027-01-28', windowTo: '2027-02-27' });
    expect(nextEndorsement('2024-02-29', '2027-03-01').anniversary).toBe('2028-02-29');
    expect(nextEndorsement('2025-03-31', '2025-04-01')).toEqual({ anniversary: '2026-03-31', windowFrom: '2026-02-28', windowTo: '2026-03-30' });
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-03-15', -3)).toBe('2023-12-15');
  });
});

describe('name keys', () => {
  it('gives full pinyin without spaces and initials, surnames read as surnames, alternatives kept', () => {
    expect(nameKeys('张金明')).toEqual({ pinyin: 'zhangjinming', initials: 'zjm', pinyinAlt: '', initialsAlt: '' });
    expect(nameKeys('单田芳')).toEqual({ pinyin: 'shantianfang', initials: 'stf', pinyinAlt: 'dantianfang', initialsAlt: 'dtf' });
    expect(nameKeys('曾国藩').pinyin).toBe('zengguofan');
    expect(nameKeys('欧阳修')).toMatchObject({ pinyin: 'ouyangxiu', initials: 'oyx' });
    expect(nameKeys('吕布').pinyin).toBe('lvbu');
    expect(nameKeys('阿卜杜拉·买买提')).toMatchObject({ pinyin: 'abudulamaimaiti', initials: 'abdlmmt' });
    expect(nameKeys('John Smith')).toMatchObject({ pinyin: 'johnsmith', initials: 'js' });
  });
});

describe('small rules', () => {
  it('computes ages in whole years', () => {
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
    expect(ageOn(null, '2026-01-01')).toBeNull();
  });

  it('normalises phone numbers to digits and refuses others', () => {
    expect(normalizePhone('phone', '139 0543-0001')).toEqual({ value: '13905430001' });
    expect(normalizePhone('phone', '0543-3161100')).toEqual({ value: '05433161100' });
    expect(normalizePhone('phone', '')).toEqual({ value: null });
    expect(normalizePhone('phone', '12345')).toMatchObject({ error: { field: 'phone' } });
  });

  it('needs a purpose of four characters or more', () => {
    expect(() => requirePurpose(undefined, '人员定位')).toThrow(expect.objectContaining({ code: 'purpose_required', status: 400 }));
    expect(() => requirePurpose('  查人  ', '人员定位')).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'purpose' })] }));
    expect(requirePurpose(' 案件核查 ', '人员定位')).toBe('案件核查');
  });

  it('masks from the stored parts exactly as the full number would be masked', () => {
    const id = makeIdNumber(4242);
    const p = parseIdNumber(id);
    if (!p.ok) throw new Error(p.message);
    expect(maskedIdOf({ id_kind: 'resident_id', region_code: p.value.regionCode, id_last4: p.value.last4, id_legacy: false })).toBe(maskIdNumber(id));
    expect(maskedIdOf({ id_kind: 'passport', region_code: null, id_last4: null, id_legacy: false })).toBeNull();
  });

  it('test fixtures produce valid, distinct numbers and codes', () => {
    const ids = new Set(Array.from({ length: 500 }, (_, i) => makeIdNumber(i * 37)));
    expect(ids.size).toBe(500);
    for (const id of ids) expect(parseIdNumber(id, { today: todayCst() }).ok, id).toBe(true);
    for (let i = 0; i < 200; i++) expect(parseCreditCode(makeCreditCode(i)).ok, makeCreditCode(i)).toBe(true);
  });
});
