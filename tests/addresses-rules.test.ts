import { describe, expect, it } from 'vitest';
import { checkLevelPlacement, cnToInt, intToCn, nextCode, normaliseName, searchKey, type Level } from '../src/server/modules/addresses/rules.js';
import { combinedScore, elementScore, normaliseQuery, parseQuery } from '../src/server/modules/addresses/matching.js';
import { esc } from '../src/server/modules/addresses/html.js';

const norm = (level: Level, raw: string) => {
  const n = normaliseName(level, raw);
  return 'error' in n ? `ERR ${n.error}` : n.name;
};
const key = (level: Level, raw: string) => {
  const n = normaliseName(level, raw);
  return 'error' in n ? undefined : n.key;
};

describe('element names', () => {
  it('normalises each level to one stored form', () => {
    const cases: Array<[Level, string, string]> = [
      ['road', ' 黄河十二路 ', '黄河十二路'],
      ['road', '黄河12路', '黄河十二路'],
      ['road', '渤海七路', '渤海七路'],
      ['village', '李家村', '李家村'],
      ['group', '三', '3组'],
      ['group', '第3村民小组', '3组'],
      ['group', '2队', '2队'],
      ['door', '599', '599号'],
      ['door', '５９９号', '599号'],
      ['door', '0599号', '599号'],
      ['door', '599之1', '599-1号'],
      ['door', '599－1号', '599-1号'],
      ['door', '甲5号', '甲5号'],
      ['compound', '香园小区', '香园小区'],
      ['building', '3', '3号楼'],
      ['building', '3#', '3号楼'],
      ['building', '3#楼', '3号楼'],
      ['building', '三号楼', '3号楼'],
      ['building', '3栋', '3栋'],
      ['building', '3幢', '3幢'],
      ['building', 'a', 'A座'],
      ['building', 'Ｂ座', 'B座'],
      ['building', '综合楼', '综合楼'],
      ['unit', '2', '2单元'],
      ['unit', '二单元', '2单元'],
      ['floor', '5', '5层'],
      ['floor', '5F', '5层'],
      ['floor', '-1', '地下1层'],
      ['floor', 'B2', '地下2层'],
      ['room', '501', '501室'],
      ['room', '５０１室', '501室'],
      ['room', '501户', '501室'],
      ['room', '1-101', '1-101室'],
    ];
    for (const [level, raw, want] of cases) expect(norm(level, raw), `${level} ${raw}`).toBe(want);
  });

  it('rejects names that do not fit the level, with a message saying what is expected', () => {
    expect(norm('road', '香园小区')).toContain('街路巷名称应以「路」');
    expect(norm('door', '五九九号')).toContain('门牌号应为数字');
    expect(norm('door', '0')).toContain('不能为 0');
    expect(norm('building', '楼楼楼x')).toContain('楼栋应为楼号');
    expect(norm('unit', '东')).toContain('单元应为单元号');
    expect(norm('room', '5楼01')).toContain('户室应为室号');
    expect(norm('compound', '12')).toContain('不能只有数字');
    expect(norm('compound', '香园<script>')).toContain('只能包含');
    expect(norm('village', '李家')).toContain('村名应以');
    expect(norm('room', '')).toContain('不能为空');
  });

  it('gives 3号楼, 3栋 and 三号楼 the same sibling key', () => {
    expect(new Set([key('building', '3号楼'), key('building', '3栋'), key('building', '三号楼'), key('building', '3#')])).toEqual(new Set(['3']));
    expect(key('building', '13号楼')).toBe('13');
    expect(key('road', '黄河12路')).toBe(key('road', '黄河十二路'));
  });

  it('converts Chinese numerals both ways', () => {
    expect([cnToInt('十二'), cnToInt('二十'), cnToInt('一百零五'), cnToInt('二〇三'), cnToInt('两'), cnToInt('十')]).toEqual([12, 20, 105, 203, 2, 10]);
    expect([intToCn(7), intToCn(12), intToCn(20), intToCn(105), intToCn(110)]).toEqual(['七', '十二', '二十', '一百零五', '一百一十']);
    for (let n = 1; n < 1000; n++) expect(cnToInt(intToCn(n))).toBe(n);
  });
});

describe('levels and codes', () => {
  it('allows only the listed child levels', () => {
    expect(checkLevelPlacement('road', null)).toBeUndefined();
    expect(checkLevelPlacement('village', null)).toBeUndefined();
    expect(checkLevelPlacement('door', null)?.field).toBe('level');
    expect(checkLevelPlacement('door', 'road')).toBeUndefined();
    expect(checkLevelPlacement('building', 'road')?.message).toBe('「街路巷」下只能建立：「门牌号」');
    expect(checkLevelPlacement('door', 'compound')).toBeUndefined();
    expect(checkLevelPlacement('room', 'unit')).toBeUndefined();
    expect(checkLevelPlacement('unit', 'floor')?.field).toBe('level');
    expect(checkLevelPlacement('door', 'group')).toBeUndefined();
    expect(checkLevelPlacement('room', 'room')?.message).toContain('最末一级');
  });

  it('allocates the next serial of a fixed width and refuses when they run out', () => {
    expect(nextCode('371602005', 4, undefined)).toBe('3716020050001');
    expect(nextCode('3716020050001', 4, '37160200500010009')).toBe('37160200500010010');
    expect(nextCode('X', 3, 'X998')).toBe('X999');
    expect(nextCode('X', 3, 'X999')).toEqual({ error: expect.stringContaining('已用尽') });
  });

  it('search keys drop spaces and punctuation, character by character', () => {
    expect(searchKey('香园 小区（东区）·3号楼')).toBe('香园小区东区3号楼');
    const a = '山东省滨州市';
    const b = '黄河十二路 599-1号';
    expect(searchKey(a + b)).toBe(searchKey(a) + searchKey(b));
  });
});

describe('free-text queries', () => {
  const prefixes = ['山东省滨州市滨城区彭李街道', '山东省', '滨州市', '滨城区', '彭李街道', '学苑社区警务区', '学苑社区'].sort((a, b) => b.length - a.length);
  const parse = (s: string) => parseQuery(normaliseQuery(s, prefixes)).map((e) => `${e.level}:${e.key}`);

  it('strips the administrative prefix and reads the elements', () => {
    expect(normaliseQuery('山东省 滨州市滨城区彭李街道学苑社区黄河十二路599号', prefixes)).toBe('黄河十二路599号');
    expect(parse('黄河十二路599号香园小区3-2-501')).toEqual(['road:黄河十二路', 'door:599', 'compound:香园小区', 'building:3', 'unit:2', 'room:501']);
    expect(parse('香园小区3栋2单元501')).toEqual(['compound:香园小区', 'building:3', 'unit:2', 'room:501']);
    expect(parse('滨州市滨城区黄河12路５９９号3号楼二单元501室')).toEqual(['road:黄河十二路', 'door:599', 'building:3', 'unit:2', 'room:501']);
    expect(parse('黄河十二路599-1号')).toEqual(['road:黄河十二路', 'door:599-1']);
    expect(parse('香园小区3-501')).toEqual(['compound:香园小区', 'building:3', 'room:501']);
    expect(parse('李家村第三组15号')).toEqual(['village:李家村', 'group:3', 'door:15']);
    expect(parse('香园小区3号楼5楼501')).toEqual(['compound:香园小区', 'building:3', 'floor:5', 'room:501']);
  });

  it('scores element matches, penalising conflicts and candidates more specific than asked', () => {
    const q = parseQuery('香园小区3号楼2单元501室');
    const chain = (...xs: Array<[Level, string]>) => xs.map(([level, name]) => ({ level, name }));
    const base: Array<[Level, string]> = [['road', '黄河十二路'], ['door', '599号'], ['compound', '香园小区'], ['building', '3栋'], ['unit', '2单元']];
    expect(elementScore(q, chain(...base, ['room', '501室']))).toEqual({ matched: 4, extra: 0, e: 1 });
    // a wrong room is below the deepest match (extra) and misses the query's room: it ranks under its unit
    expect(elementScore(q, chain(...base, ['room', '502室']))).toEqual({ matched: 3, extra: 1, e: 0.6 });
    expect(elementScore(q, chain(...base))).toEqual({ matched: 3, extra: 0, e: 0.75 });
    const short = parseQuery('香园小区3号楼');
    expect(elementScore(short, chain(...base))).toEqual({ matched: 2, extra: 1, e: 2 / 3 });
    expect(combinedScore({ matched: 4, extra: 0, e: 1 }, 0.9, true)).toBe(0.97);
    expect(combinedScore({ matched: 0, extra: 0, e: 0 }, 0.5, false)).toBe(0.5);
  });
});

describe('html escaping', () => {
  it('escapes every special character', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(esc(null)).toBe('');
  });
});
