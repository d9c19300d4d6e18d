import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  computeIdCheckChar,
  isValidIdNumber,
  maskIdNumber,
  parseIdNumber,
  type IdParseResult,
} from './gb11643.js';

const TODAY = '2025-06-15';

function expectOk(r: IdParseResult) {
  if (!r.ok) throw new Error(`expected ok, got ${r.reason}: ${r.message}`);
  return r.value;
}

function expectFail(r: IdParseResult, reason: string): string {
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('unreachable');
  expect(r.reason).toBe(reason);
  expect(r.message).toMatch(/公民身份号码/);
  return r.message;
}

/** Appends the computed check character to a 17-digit body. */
function withCheck(first17: string): string {
  return first17 + computeIdCheckChar(first17);
}

const PROVINCES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64',
  '65', '71', '81', '82', '83',
];

const digits = (n: number) =>
  fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));

/** Arbitrary valid 18-digit number born 1900-01-01 .. 2020-12-31. */
const validIdArb = fc
  .record({
    province: fc.constantFrom(...PROVINCES),
    county: digits(4),
    birth: fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2020-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    seq: digits(3),
  })
  .map(({ province, county, birth, seq }) => {
    const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
    return withCheck(`${province}${county}${ymd}${seq}`);
  });

describe('computeIdCheckChar', () => {
  it('matches the worked examples of GB 11643-1999', () => {
    expect(computeIdCheckChar('11010519491231002')).toBe('X');
    expect(computeIdCheckChar('44052418800101001')).toBe('4');
  });

  it('covers every remainder 0..10', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i += 1) {
      seen.add(computeIdCheckChar(`110105199001${String(i).padStart(5, '0')}`));
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('rejects malformed bodies', () => {
    expect(() => computeIdCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => computeIdCheckChar('110105194912310021')).toThrow(RangeError);
    expect(() => computeIdCheckChar('1101051949123100X')).toThrow(RangeError);
  });
});

describe('parseIdNumber: valid numbers', () => {
  it('parses the standard example 11010519491231002X', () => {
    const v = expectOk(parseIdNumber('11010519491231002X', { today: TODAY }));
    expect(v).toEqual({
      normalized: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'F',
      legacy: false,
      last4: '002X',
    });
    expect('upgraded' in v).toBe(false);
  });

  it('parses the standard example 440524188001010014 once births before 1900 are allowed', () => {
    // Born 1880: outside the default plausibility window, but a valid number.
    expectFail(parseIdNumber('440524188001010014', { today: TODAY }), 'date');
    const v = expectOk(
      parseIdNumber('440524188001010014', { today: TODAY, minBirthYear: 1800 }),
    );
    expect(v.birthDate).toBe('1880-01-01');
    expect(v.sex).toBe('M');
    expect(v.regionCode).toBe('440524');
  });

  it('parses other published examples', () => {
    expect(expectOk(parseIdNumber('360426199101010071', { today: TODAY })).sex).toBe('M');
    const v = expectOk(parseIdNumber('44011320141005001x', { today: TODAY }));
    expect(v.normalized).toBe('44011320141005001X');
    expect(v.birthDate).toBe('2014-10-05');
  });

  it('accepts lower-case x and normalises it', () => {
    const v = expectOk(parseIdNumber('11010519491231002x', { today: TODAY }));
    expect(v.normalized).toBe('11010519491231002X');
    expect(v.last4).toBe('002X');
  });

  it('trims surrounding whitespace, including the ideographic space', () => {
    expect(expectOk(parseIdNumber('  11010519491231002X\t\n', { today: TODAY })).normalized).toBe(
      '11010519491231002X',
    );
    expect(expectOk(parseIdNumber('\u300011010519491231002X\u3000', { today: TODAY })).normalized)
      .toBe('11010519491231002X');
  });

  it('folds full-width digits and letters', () => {
    expect(expectOk(parseIdNumber('１１０１０５１９４９１２３１００２ｘ', { today: TODAY })).normalized)
      .toBe('11010519491231002X');
  });

  it('derives sex from the parity of the 17th digit', () => {
    for (let d = 0; d <= 9; d += 1) {
      const id = withCheck(`3716021990010112${d}`);
      expect(expectOk(parseIdNumber(id, { today: TODAY })).sex).toBe(d % 2 === 1 ? 'M' : 'F');
    }
  });

  it('accepts 71/81/82/83 address codes that the mainland table lacks', () => {
    for (const p of ['71', '81', '82', '83']) {
      expect(parseIdNumber(withCheck(`${p}000019900101001`), { today: TODAY }).ok).toBe(true);
    }
  });

  it('accepts old county codes that no longer exist (province check only)', () => {
    // 120110 is the old 天津市东郊区 code; 379999 is not a current county code.
    expect(parseIdNumber(withCheck('12011019801201007'), { today: TODAY }).ok).toBe(true);
    expect(parseIdNumber(withCheck('37999919801201007'), { today: TODAY }).ok).toBe(true);
  });

  it('property: generated valid numbers parse and round-trip their fields', () => {
    fc.assert(
      fc.property(validIdArb, (id) => {
        const v = expectOk(parseIdNumber(id, { today: TODAY }));
        expect(v.normalized).toBe(id);
        expect(v.regionCode).toBe(id.slice(0, 6));
        expect(v.birthDate.replaceAll('-', '')).toBe(id.slice(6, 14));
        expect(v.sex).toBe(Number(id[16]) % 2 ? 'M' : 'F');
        expect(v.legacy).toBe(false);
        expect(v.last4).toBe(id.slice(14));
        expect(isValidIdNumber(id.toLowerCase(), { today: TODAY })).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseIdNumber: rejections', () => {
  it('rejects wrong lengths', () => {
    expectFail(parseIdNumber('', { today: TODAY }), 'length');
    expectFail(parseIdNumber('   ', { today: TODAY }), 'length');
    expectFail(parseIdNumber('1101051949123100', { today: TODAY }), 'length');
    expectFail(parseIdNumber('11010519491231002', { today: TODAY }), 'length');
    expectFail(parseIdNumber('11010519491231002X1', { today: TODAY }), 'length');
    expectFail(parseIdNumber(undefined as unknown as string), 'length');
  });

  it('rejects bad characters', () => {
    expectFail(parseIdNumber('1101051949123100XX', { today: TODAY }), 'charset');
    expectFail(parseIdNumber('X10105194912310021', { today: TODAY }), 'charset');
    expectFail(parseIdNumber('110105 94912310021', { today: TODAY }), 'charset');
    expectFail(parseIdNumber('11010519491231002Y', { today: TODAY }), 'charset');
    expectFail(parseIdNumber('11010519491231002-', { today: TODAY }), 'charset');
  });

  it('rejects unknown province codes even with a correct check character', () => {
    for (const p of ['00', '10', '16', '20', '24', '30', '38', '47', '55', '60', '66', '70', '72', '80', '84', '99']) {
      expectFail(parseIdNumber(withCheck(`${p}010519900101001`), { today: TODAY }), 'region');
    }
  });

  it('rejects impossible dates even with a correct check character', () => {
    const bad = ['19911301', '19910001', '19910100', '19910132', '19910230', '19910229', '19000229', '20010229', '19910431', '19911131'];
    for (const ymd of bad) {
      const m = expectFail(parseIdNumber(withCheck(`110105${ymd}001`), { today: TODAY }), 'date');
      expect(m).toMatch(/出生日期/);
    }
    // Leap days that do exist.
    for (const ymd of ['20000229', '19960229', '20240229']) {
      expect(parseIdNumber(withCheck(`110105${ymd}001`), { today: TODAY }).ok).toBe(true);
    }
  });

  it('rejects births before 1900 by default', () => {
    expectFail(parseIdNumber(withCheck('11010518991231001'), { today: TODAY }), 'date');
    expect(parseIdNumber(withCheck('11010519000101001'), { today: TODAY }).ok).toBe(true);
    expect(parseIdNumber(withCheck('11010518991231001'), { today: TODAY, minBirthYear: 1899 }).ok)
      .toBe(true);
  });

  it('rejects birth dates after the injected today, accepts today itself', () => {
    expect(parseIdNumber(withCheck('11010520250615001'), { today: TODAY }).ok).toBe(true);
    const m = expectFail(parseIdNumber(withCheck('11010520250616001'), { today: TODAY }), 'date');
    expect(m).toMatch(/晚于当前日期/);
    expectFail(parseIdNumber(withCheck('11010520990101001'), { today: TODAY }), 'date');
  });

  it('interprets a Date for today in China Standard Time', () => {
    const id = withCheck('11010520240601001'); // born 2024-06-01
    // 2024-05-31T16:30Z is already 2024-06-01 00:30 in Beijing.
    expect(parseIdNumber(id, { today: new Date('2024-05-31T16:30:00Z') }).ok).toBe(true);
    expectFail(parseIdNumber(id, { today: new Date('2024-05-31T15:30:00Z') }), 'date');
  });

  it('uses the real clock when no today is given', () => {
    expect(parseIdNumber('11010519491231002X').ok).toBe(true);
    expectFail(parseIdNumber(withCheck('11010530000101001')), 'date');
  });

  it('throws on a malformed today option', () => {
    expect(() => parseIdNumber('11010519491231002X', { today: '2025/06/15' })).toThrow(TypeError);
    expect(() => parseIdNumber('11010519491231002X', { today: new Date('nope') })).toThrow(TypeError);
  });

  it('rejects a wrong check character', () => {
    const m = expectFail(parseIdNumber('110105194912310021', { today: TODAY }), 'checksum');
    expect(m).toBe('公民身份号码校验位错误');
    expectFail(parseIdNumber('440524188001010015', { today: TODAY, minBirthYear: 1800 }), 'checksum');
    expectFail(parseIdNumber('360426199101010070', { today: TODAY }), 'checksum');
  });

  it('property: every single-character substitution is rejected and breaks the checksum', () => {
    fc.assert(
      fc.property(
        validIdArb,
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'),
        (id, pos, ch) => {
          fc.pre(id[pos] !== ch);
          const mutated = id.slice(0, pos) + ch + id.slice(pos + 1);
          expect(parseIdNumber(mutated, { today: TODAY, minBirthYear: 0 }).ok).toBe(false);
          if (pos === 17 || ch !== 'X') {
            // Body still all digits: the MOD 11-2 relation itself must fail.
            expect(computeIdCheckChar(mutated.slice(0, 17))).not.toBe(mutated[17]);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('exhaustively: all 18 x 10 single substitutions of the standard example fail', () => {
    const id = '11010519491231002X';
    let count = 0;
    for (let pos = 0; pos < 18; pos += 1) {
      for (const ch of '0123456789X') {
        if (ch === id[pos]) continue;
        const mutated = id.slice(0, pos) + ch + id.slice(pos + 1);
        expect(isValidIdNumber(mutated, { today: TODAY, minBirthYear: 0 })).toBe(false);
        count += 1;
      }
    }
    expect(count).toBe(18 * 10);
  });

  it('property: swapping two adjacent distinct characters is rejected', () => {
    fc.assert(
      fc.property(validIdArb, fc.integer({ min: 0, max: 16 }), (id, pos) => {
        fc.pre(id[pos] !== id[pos + 1]);
        const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
        expect(parseIdNumber(swapped, { today: TODAY, minBirthYear: 0 }).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseIdNumber: legacy 15-digit numbers', () => {
  it('rejects them unless allowLegacy is set', () => {
    const m = expectFail(parseIdNumber('110105491231002', { today: TODAY }), 'length');
    expect(m).toMatch(/15位/);
    expectFail(parseIdNumber('110105491231002', { today: TODAY, allowLegacy: false }), 'length');
  });

  it('accepts them with allowLegacy and upgrades to 18 digits', () => {
    const v = expectOk(parseIdNumber(' 110105491231002 ', { today: TODAY, allowLegacy: true }));
    expect(v).toEqual({
      normalized: '110105491231002',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'F',
      legacy: true,
      upgraded: '11010519491231002X',
      last4: '1002',
    });
    expect(expectOk(parseIdNumber('440524800101001', { today: TODAY, allowLegacy: true })).upgraded)
      .toBe(withCheck('44052419800101001'));
  });

  it('still validates charset, region and date of legacy numbers', () => {
    const opts = { today: TODAY, allowLegacy: true };
    expectFail(parseIdNumber('11010549123100X', opts), 'charset');
    expectFail(parseIdNumber('990105491231002', opts), 'region');
    expectFail(parseIdNumber('110105491301002', opts), 'date');
    expectFail(parseIdNumber('110105000229002', opts), 'date'); // 1900 is not a leap year
    expectFail(parseIdNumber('1101054912310021', opts), 'length');
  });

  it('still accepts 18-digit numbers with allowLegacy', () => {
    expect(parseIdNumber('11010519491231002X', { today: TODAY, allowLegacy: true }).ok).toBe(true);
  });

  it('property: the upgraded number of a valid legacy number is itself valid', () => {
    fc.assert(
      fc.property(validIdArb, (id) => {
        fc.pre(id.slice(6, 8) === '19');
        const legacy = id.slice(0, 6) + id.slice(8, 17);
        const v = expectOk(parseIdNumber(legacy, { today: TODAY, allowLegacy: true }));
        expect(v.upgraded).toBe(id);
        expect(v.sex).toBe(expectOk(parseIdNumber(id, { today: TODAY })).sex);
      }),
      { numRuns: 300 },
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 characters of an 18-character number', () => {
    expect(maskIdNumber('371602199001011234')).toBe('371602********1234');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskIdNumber('11010519491231002x')).toBe('110105********002X');
  });

  it('keeps the length of a 15-digit number', () => {
    expect(maskIdNumber('110105491231002')).toBe('110105*****1002');
  });

  it('fully masks anything too short to reveal safely', () => {
    expect(maskIdNumber('1234567890')).toBe('**********');
    expect(maskIdNumber('')).toBe('');
  });
});
