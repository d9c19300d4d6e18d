import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  DIVISIONS_RESOURCE_DIR,
  countiesOfCity,
  fullName,
  getCity,
  getCounty,
  getProvince,
  getStreet,
  isCountyCode,
  isPlaceholderCityName,
  listProvinces,
  preloadDivisions,
  streetsOfCounty,
} from './divisions.js';

describe('resource location', () => {
  it('resolves to resources/divisions at the repository root', () => {
    const repoRoot = new URL('../../../../', import.meta.url);
    expect(DIVISIONS_RESOURCE_DIR.href).toBe(new URL('resources/divisions/', repoRoot).href);
    for (const f of ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv', 'LICENSE']) {
      expect(existsSync(fileURLToPath(new URL(f, DIVISIONS_RESOURCE_DIR))), f).toBe(true);
    }
    expect(readFileSync(fileURLToPath(repoRoot) + '/package.json', 'utf8')).toMatch(/"name": "fengqiao"/);
  });

  it('resolves to the same folder from the compiled location under dist/', () => {
    const compiled = import.meta.url.replace('/src/server/', '/dist/server/').replace(/\.ts$/, '.js');
    expect(compiled).toContain('/dist/server/platform/divisions/');
    expect(new URL('../../../../resources/divisions/', compiled).href).toBe(
      DIVISIONS_RESOURCE_DIR.href,
    );
  });
});

describe('lookups', () => {
  it('can preload all tables, idempotently', () => {
    preloadDivisions();
    preloadDivisions();
    expect(getStreet('371602005')?.name).toBe('彭李街道');
  });

  it('finds 滨城区 in 滨州市 in 山东省', () => {
    expect(getProvince('37')).toEqual({ code: '37', name: '山东省' });
    expect(getCity('3716')).toEqual({ code: '3716', name: '滨州市', provinceCode: '37' });
    expect(getCounty('371602')).toEqual({
      code: '371602',
      name: '滨城区',
      cityCode: '3716',
      provinceCode: '37',
    });
    expect(isCountyCode('371602')).toBe(true);
  });

  it('lists the streets of 滨城区, including 彭李街道 (371602005)', () => {
    const streets = streetsOfCounty('371602');
    expect(streets.length).toBeGreaterThanOrEqual(10);
    expect(streets).toContainEqual({
      code: '371602005',
      name: '彭李街道',
      countyCode: '371602',
      cityCode: '3716',
      provinceCode: '37',
    });
    expect(streets.every((s) => s.countyCode === '371602' && s.code.startsWith('371602'))).toBe(true);
    const codes = streets.map((s) => s.code);
    expect(codes).toEqual([...codes].sort());
    expect(getStreet('371602005')?.name).toBe('彭李街道');
  });

  it('lists the counties of 滨州市', () => {
    const counties = countiesOfCity('3716');
    expect(counties.map((c) => c.name)).toEqual(
      expect.arrayContaining(['滨城区', '沾化区', '惠民县', '阳信县', '无棣县', '博兴县', '邹平市']),
    );
    expect(counties.every((c) => c.cityCode === '3716')).toBe(true);
  });

  it('lists the 31 mainland provinces in code order', () => {
    const provinces = listProvinces();
    expect(provinces).toHaveLength(31);
    expect(provinces[0]).toEqual({ code: '11', name: '北京市' });
    expect(provinces.at(-1)).toEqual({ code: '65', name: '新疆维吾尔自治区' });
  });

  it('returns undefined / false / [] for unknown or malformed codes', () => {
    expect(getProvince('99')).toBeUndefined();
    expect(getProvince('3')).toBeUndefined();
    expect(getCity('9999')).toBeUndefined();
    expect(getCity('37')).toBeUndefined();
    expect(getCounty('999999')).toBeUndefined();
    expect(getCounty('37160')).toBeUndefined();
    expect(getCounty('３７１６０２')).toBeUndefined();
    expect(getCounty(371602 as unknown as string)).toBeUndefined();
    expect(getStreet('371602999')).toBeUndefined();
    expect(getStreet('37160200')).toBeUndefined();
    expect(isCountyCode('371600')).toBe(false);
    expect(isCountyCode('')).toBe(false);
    expect(streetsOfCounty('999999')).toEqual([]);
    expect(streetsOfCounty('abcdef')).toEqual([]);
    expect(countiesOfCity('9999')).toEqual([]);
    expect(fullName('999999')).toBeUndefined();
    expect(fullName('371699')).toBeUndefined();
    expect(fullName('12345')).toBeUndefined();
    expect(fullName(undefined as unknown as string)).toBeUndefined();
  });

  it('returns frozen records and fresh arrays', () => {
    expect(Object.isFrozen(getCounty('371602'))).toBe(true);
    const first = streetsOfCounty('371602');
    first.length = 0;
    expect(streetsOfCounty('371602').length).toBeGreaterThan(0);
    const counties = countiesOfCity('3716');
    counties.pop();
    expect(countiesOfCity('3716').length).toBe(counties.length + 1);
  });
});

describe('fullName', () => {
  it('joins province, city and county', () => {
    expect(fullName('371602')).toBe('山东省滨州市滨城区');
    expect(fullName('371602005')).toBe('山东省滨州市滨城区彭李街道');
  });

  it('skips placeholder city levels', () => {
    expect(fullName('110101')).toBe('北京市东城区');
    expect(fullName('310101')).toBe('上海市黄浦区');
    expect(fullName('120101')).toBe('天津市和平区');
    expect(fullName('500229')).toBe('重庆市城口县'); // city 5002 is named 县
    expect(fullName('419001')).toBe('河南省济源市'); // 省直辖县级行政区划
    expect(fullName('659001')).toBe('新疆维吾尔自治区石河子市'); // 自治区直辖县级行政区划
    expect(fullName('110101001')).toBe('北京市东城区东华门街道');
  });

  it('does not repeat a county that shares its city name', () => {
    expect(fullName('441900')).toBe('广东省东莞市');
    expect(fullName('442000')).toBe('广东省中山市');
  });

  it('accepts province and city codes in short and 6-digit form', () => {
    expect(fullName('37')).toBe('山东省');
    expect(fullName('370000')).toBe('山东省');
    expect(fullName('3716')).toBe('山东省滨州市');
    expect(fullName('371600')).toBe('山东省滨州市');
    expect(fullName('1101')).toBe('北京市');
    expect(fullName('110000')).toBe('北京市');
  });

  it('recognises placeholder names', () => {
    for (const n of ['市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划']) {
      expect(isPlaceholderCityName(n)).toBe(true);
    }
    expect(isPlaceholderCityName('滨州市')).toBe(false);
  });
});

describe('data integrity of the bundled tables', () => {
  it('links every county to a city and province, and names it in full without placeholders', () => {
    let counties = 0;
    for (const province of listProvinces()) {
      for (let c = 1; c <= 99; c += 1) {
        const city = getCity(province.code + String(c).padStart(2, '0'));
        if (!city) continue;
        expect(city.provinceCode).toBe(province.code);
        for (const county of countiesOfCity(city.code)) {
          counties += 1;
          expect(county.code.startsWith(city.code)).toBe(true);
          expect(county.provinceCode).toBe(province.code);
          const name = fullName(county.code)!;
          expect(name.startsWith(province.name)).toBe(true);
          expect(name.endsWith(county.name)).toBe(true);
          expect(name).not.toMatch(/市辖区|直辖县级行政区划/);
        }
      }
    }
    expect(counties).toBeGreaterThan(2800);
  });

  it('links every street of a sample of counties back to its county', () => {
    for (const code of ['110101', '371602', '441900', '659001', '460400']) {
      const county = getCounty(code)!;
      const streets = streetsOfCounty(code);
      expect(streets.length, code).toBeGreaterThan(0);
      for (const s of streets) {
        expect(s.cityCode).toBe(county.cityCode);
        expect(s.provinceCode).toBe(county.provinceCode);
        expect(getStreet(s.code)).toBe(s);
      }
    }
  });
});
