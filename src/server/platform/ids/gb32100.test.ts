import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CREDIT_CODE_ALPHABET,
  computeCreditCheckChar,
  computeOrgCodeCheckChar,
  isValidCreditCode,
  parseCreditCode,
  type CreditParseResult,
} from './gb32100.js';

function expectOk(r: CreditParseResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.message}`);
  return r.value;
}

function expectFail(r: CreditParseResult, reason: string): string {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.reason).toBe(reason);
  expect(r.message).toMatch(/统一社会信用代码/);
  return r.message;
}

const withCheck = (first17: string) => first17 + computeCreditCheckChar(first17);

/**
 * Real codes published online (business licences, registry look-ups and the
 * public test list of a widely used number-validation library). They cover
 * authorities 1 and 9, categories 1/2, `MA…` and `L…` organisation codes,
 * organisation check characters X and 0 (remainder 0 → `0`) and a pos-18
 * check character `0`.
 */
const REAL_CODES = [
  '91350100M000100Y43',
  '91110000802100433B',
  '911100001000044477',
  '92141127MA0KD1Y64A',
  '12440600MB2C07549J',
  '121200004013590816',
  '91110000600037341L',
  '91110000710926094P',
  '91330000755918469E',
  '91310112MA1GBKRE47',
  '91310115MA1K3BTP2B',
  '9115220107837757XE', // org check X
  '91152201078382010M', // org check 0 from 11 − 0
  '911522010783762860', // pos-18 check 0 (Σ mod 31 = 0)
  '91340600MA2PBP2120',
  '91620105L015101280', // org code starting with L
  '91620105MA73NBBLXE',
  '9144030071526726XG',
  '92340602MA2PBMEM24',
  '92340603MA2UK3DT5H',
  '92340621MA2UK3PJXE',
  '92340604MA2PENA300',
];

describe('computeCreditCheckChar / computeOrgCodeCheckChar', () => {
  it('reproduces the check characters of real codes', () => {
    for (const code of REAL_CODES) {
      expect(computeCreditCheckChar(code.slice(0, 17))).toBe(code[17]);
      expect(computeOrgCodeCheckChar(code.slice(8, 16))).toBe(code[16]);
    }
  });

  it('maps remainder 0 to 0 in both algorithms', () => {
    expect(computeCreditCheckChar('91152201078376286')).toBe('0');
    expect(computeOrgCodeCheckChar('07838201')).toBe('0');
    expect(computeOrgCodeCheckChar('07837757')).toBe('X');
  });

  it('uses the 31-character alphabet without I O Z S V', () => {
    expect(CREDIT_CODE_ALPHABET).toHaveLength(31);
    for (const ch of 'IOZSV') expect(CREDIT_CODE_ALPHABET).not.toContain(ch);
  });

  it('throws on malformed input', () => {
    expect(() => computeCreditCheckChar('9135010000010')).toThrow(RangeError);
    expect(() => computeCreditCheckChar('91350100M000100I4')).toThrow(RangeError);
    expect(() => computeOrgCodeCheckChar('m000100y')).toThrow(RangeError);
    expect(() => computeOrgCodeCheckChar('M000100')).toThrow(RangeError);
  });
});

describe('parseCreditCode: valid codes', () => {
  it('accepts every real example', () => {
    for (const code of REAL_CODES) {
      const r = parseCreditCode(code);
      expect(r.ok, `${code}: ${r.ok ? '' : r.message}`).toBe(true);
      expect(isValidCreditCode(code)).toBe(true);
    }
  });

  it('splits a code into its parts', () => {
    expect(expectOk(parseCreditCode('91350100M000100Y43'))).toEqual({
      normalized: '91350100M000100Y43',
      authority: '9',
      authorityName: '工商',
      category: '1',
      categoryName: '企业',
      regionCode: '350100',
      orgCode: 'M000100Y4',
    });
    const v = expectOk(parseCreditCode('92141127MA0KD1Y64A'));
    expect(v.categoryName).toBe('个体工商户');
    expect(v.regionCode).toBe('141127');
    const inst = expectOk(parseCreditCode('12440600MB2C07549J'));
    expect(inst.authorityName).toBe('机构编制');
    expect(inst.categoryName).toBe('事业单位');
  });

  it('accepts lower case, surrounding whitespace and full-width characters', () => {
    expect(expectOk(parseCreditCode('  91350100m000100y43 ')).normalized).toBe('91350100M000100Y43');
    expect(expectOk(parseCreditCode('９１３５０１００Ｍ０００１００Ｙ４３')).normalized).toBe(
      '91350100M000100Y43',
    );
  });

  it('names the authorities and categories of the standard', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['11', '机构编制', '机关'],
      ['13', '机构编制', '中央编办直接管理机构编制的群众团体'],
      ['21', '外交', '外国常驻新闻机构'],
      ['31', '司法行政', '律师执业机构'],
      ['35', '司法行政', '仲裁委员会'],
      ['41', '文化', '外国在华文化中心'],
      ['51', '民政', '社会团体'],
      ['52', '民政', '民办非企业单位'],
      ['53', '民政', '基金会'],
      ['62', '旅游', '港澳台地区旅游部门常驻内地（大陆）代表机构'],
      ['71', '宗教', '宗教活动场所'],
      ['81', '工会', '基层工会'],
      ['93', '工商', '农民专业合作社'],
      ['A1', '中央军委改革和编制办公室', '军队事业单位'],
      ['N2', '农业', '村级集体经济组织'],
      ['Y1', '其他', undefined],
    ];
    for (const [prefix, authorityName, categoryName] of cases) {
      const body = `${prefix}110000M000100Y4`;
      const v = expectOk(parseCreditCode(withCheck(body)));
      expect(v.authorityName).toBe(authorityName);
      expect(v.categoryName).toBe(categoryName);
      expect('categoryName' in v).toBe(categoryName !== undefined);
    }
  });

  it('accepts the national-level region code 100000', () => {
    expect(parseCreditCode(withCheck('11100000M000100Y4')).ok).toBe(true);
  });
});

describe('parseCreditCode: rejections', () => {
  it('rejects wrong lengths', () => {
    expectFail(parseCreditCode(''), 'length');
    expectFail(parseCreditCode('91350100M000100Y4'), 'length');
    expectFail(parseCreditCode('91350100M000100Y433'), 'length');
    expectFail(parseCreditCode(null as unknown as string), 'length');
  });

  it('rejects the forbidden letters I O Z S V in every position', () => {
    for (const bad of 'IOZSV') {
      for (let pos = 0; pos < 18; pos += 1) {
        const code = '91350100M000100Y43';
        const mutated = code.slice(0, pos) + bad + code.slice(pos + 1);
        const m = expectFail(parseCreditCode(mutated), 'charset');
        expect(m).toMatch(/I、O、Z、S、V/);
        expectFail(parseCreditCode(mutated.toLowerCase()), 'charset');
      }
    }
  });

  it('rejects other characters', () => {
    expectFail(parseCreditCode('91350100-M000100Y4'), 'charset');
    expectFail(parseCreditCode('91350100 M000100Y4'), 'charset');
  });

  it('rejects a wrong check character', () => {
    const m = expectFail(parseCreditCode('91350100M000100Y44'), 'checksum');
    expect(m).toBe('统一社会信用代码校验位错误');
    expectFail(parseCreditCode('91110000802100433C'), 'checksum');
    // A made-up code in the usual shape: wrong at pos 18.
    expectFail(parseCreditCode('91310000MA1FL1M35W'), 'checksum');
  });

  it('rejects a code whose organisation code check fails, or warns on request', () => {
    // 91310000MA1FL1M35 + correct pos-18 character: pos 17 should be 4, not 5.
    const code = withCheck('91310000MA1FL1M35');
    expect(code).toBe('91310000MA1FL1M35P');
    const m = expectFail(parseCreditCode(code), 'orgCode');
    expect(m).toMatch(/组织机构代码/);
    expect(isValidCreditCode(code)).toBe(false);

    const v = expectOk(parseCreditCode(code, { orgCodeCheck: 'warn' }));
    expect(v.orgCode).toBe('MA1FL1M35');
    expect(v.warnings).toEqual([m]);
    expect(isValidCreditCode(code, { orgCodeCheck: 'warn' })).toBe(true);
    expect('warnings' in expectOk(parseCreditCode('91350100M000100Y43', { orgCodeCheck: 'warn' })))
      .toBe(false);
  });

  it('rejects an organisation check character that is a letter other than X', () => {
    expectFail(parseCreditCode(withCheck('91350100M000100YA')), 'orgCode');
  });

  it('rejects unknown authorities and categories', () => {
    for (const a of ['0', 'B', 'C', 'M', 'X']) {
      expectFail(parseCreditCode(withCheck(`${a}1110000M000100Y4`)), 'authority');
    }
    for (const prefix of ['94', '90', '14', '54', 'Y2', 'A2', '22']) {
      expectFail(parseCreditCode(withCheck(`${prefix}110000M000100Y4`)), 'category');
    }
  });

  it('rejects malformed region codes', () => {
    expectFail(parseCreditCode(withCheck('9135A100M000100Y4')), 'region');
    expectFail(parseCreditCode(withCheck('91990000M000100Y4')), 'region');
    expectFail(parseCreditCode(withCheck('91000000M000100Y4')), 'region');
  });
});

const alphabetChar = fc.constantFrom(...CREDIT_CODE_ALPHABET.split(''));
const body17 = fc.array(alphabetChar, { minLength: 17, maxLength: 17 }).map((a) => a.join(''));

/** Structurally valid codes: real authority/category, province region, checked org code. */
const validCodeArb = fc
  .record({
    prefix: fc.constantFrom('11', '12', '19', '21', '31', '51', '52', '53', '71', '81', '91', '92', '93', 'A1', 'N1', 'Y1'),
    province: fc.constantFrom('10', '11', '31', '35', '37', '44', '65'),
    area: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
    org8: fc.array(alphabetChar, { minLength: 8, maxLength: 8 }).map((a) => a.join('')),
  })
  .map(({ prefix, province, area, org8 }) =>
    withCheck(`${prefix}${province}${area}${org8}${computeOrgCodeCheckChar(org8)}`),
  );

describe('parseCreditCode: properties', () => {
  it('round trip: any 17-character body plus its computed check character passes the checksum', () => {
    fc.assert(
      fc.property(body17, (body) => {
        const code = withCheck(body);
        expect(code).toMatch(/^[0-9A-HJ-NPQRTUW-Y]{18}$/);
        const r = parseCreditCode(code);
        // Random bodies may fail the structural checks, never the checksum.
        if (!r.ok) expect(r.reason).not.toBe('checksum');
        // …and every other check character is rejected by it.
        for (const other of CREDIT_CODE_ALPHABET) {
          if (other === code[17]) continue;
          const bad = parseCreditCode(body + other);
          expect(bad.ok).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('round trip: structurally valid bodies plus computed check characters are valid', () => {
    fc.assert(
      fc.property(validCodeArb, (code) => {
        const v = expectOk(parseCreditCode(code));
        expect(v.normalized).toBe(code);
        expect(v.orgCode).toBe(code.slice(8, 17));
        expect(isValidCreditCode(code.toLowerCase())).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('every single-character substitution is rejected', () => {
    fc.assert(
      fc.property(validCodeArb, fc.integer({ min: 0, max: 17 }), alphabetChar, (code, pos, ch) => {
        fc.pre(code[pos] !== ch);
        const mutated = code.slice(0, pos) + ch + code.slice(pos + 1);
        expect(parseCreditCode(mutated, { orgCodeCheck: 'warn' }).ok).toBe(false);
        // The MOD 31 relation alone already catches it.
        expect(computeCreditCheckChar(mutated.slice(0, 17))).not.toBe(mutated[17]);
      }),
      { numRuns: 2000 },
    );
  });

  it('swapping two adjacent distinct characters is rejected', () => {
    fc.assert(
      fc.property(validCodeArb, fc.integer({ min: 0, max: 16 }), (code, pos) => {
        fc.pre(code[pos] !== code[pos + 1]);
        const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2);
        expect(parseCreditCode(swapped, { orgCodeCheck: 'warn' }).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
