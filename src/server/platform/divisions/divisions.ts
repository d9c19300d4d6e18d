/**
 * GB/T 2260 administrative division codes (省 / 市 / 县 / 乡镇街道).
 *
 * The data lives in `resources/divisions/*.csv` at the repository root (see
 * the LICENSE and README there). Each table is read synchronously the first
 * time it is needed and then kept in memory; the large street table
 * (~41 000 rows) is only loaded by the street functions.
 *
 * Code shapes accepted by the lookup functions:
 *   province  2 digits   `37`
 *   city      4 digits   `3716`
 *   county    6 digits   `371602`
 *   street    9 digits   `371602005`
 * Anything else (wrong length, non-digits, non-strings) simply yields
 * `undefined` / `false` / `[]`; lookups never throw for bad input.
 *
 * Returned records are frozen and shared; arrays are fresh copies.
 */

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsvObjects } from './csv.js';

export interface Province {
  readonly code: string;
  readonly name: string;
}

export interface City {
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
}

export interface County {
  readonly code: string;
  readonly name: string;
  readonly cityCode: string;
  readonly provinceCode: string;
}

export interface Street {
  readonly code: string;
  readonly name: string;
  readonly countyCode: string;
  readonly cityCode: string;
  readonly provinceCode: string;
}

/**
 * Folder holding the CSV tables. This module sits four levels below the
 * repository root both as source (`src/server/platform/divisions/`) and
 * when compiled (`dist/server/platform/divisions/`, tsconfig.build.json has
 * rootDir `src` and outDir `dist`), so the same relative URL works for both.
 */
export const DIVISIONS_RESOURCE_DIR: URL = new URL(
  '../../../../resources/divisions/',
  import.meta.url,
);

/**
 * City-level entries that are only grouping placeholders in GB/T 2260 and
 * must not appear in a human-readable full name, e.g. 北京市 / 市辖区 /
 * 东城区 is written 北京市东城区.
 */
const PLACEHOLDER_CITY_NAMES: ReadonlySet<string> = new Set([
  '市辖区',
  '县',
  '省直辖县级行政区划',
  '自治区直辖县级行政区划',
]);

export function isPlaceholderCityName(name: string): boolean {
  return PLACEHOLDER_CITY_NAMES.has(name) || name.endsWith('直辖县级行政区划');
}

function readTable(file: string, columns: readonly string[]): Record<string, string>[] {
  const url = new URL(file, DIVISIONS_RESOURCE_DIR);
  let text: string;
  try {
    text = readFileSync(fileURLToPath(url), 'utf8');
  } catch (err) {
    throw new Error(`无法读取行政区划数据文件 ${fileURLToPath(url)}`, { cause: err });
  }
  return parseCsvObjects(text, columns);
}

function checkCode(table: string, code: string, len: number): void {
  if (!isDigits(code, len)) {
    throw new Error(`行政区划数据 ${table} 中的代码格式错误：${JSON.stringify(code)}`);
  }
}

function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

const provinces = lazy((): ReadonlyMap<string, Province> => {
  const map = new Map<string, Province>();
  for (const row of readTable('provinces.csv', ['code', 'name'])) {
    checkCode('provinces.csv', row.code, 2);
    map.set(row.code, Object.freeze({ code: row.code, name: row.name }));
  }
  return map;
});

const cities = lazy((): ReadonlyMap<string, City> => {
  const map = new Map<string, City>();
  for (const row of readTable('cities.csv', ['code', 'name', 'provinceCode'])) {
    checkCode('cities.csv', row.code, 4);
    map.set(
      row.code,
      Object.freeze({ code: row.code, name: row.name, provinceCode: row.provinceCode }),
    );
  }
  return map;
});

interface CountyIndex {
  byCode: ReadonlyMap<string, County>;
  byCity: ReadonlyMap<string, readonly County[]>;
}

const counties = lazy((): CountyIndex => {
  const byCode = new Map<string, County>();
  const byCity = new Map<string, County[]>();
  for (const row of readTable('areas.csv', ['code', 'name', 'cityCode', 'provinceCode'])) {
    checkCode('areas.csv', row.code, 6);
    const county: County = Object.freeze({
      code: row.code,
      name: row.name,
      cityCode: row.cityCode,
      provinceCode: row.provinceCode,
    });
    byCode.set(county.code, county);
    const list = byCity.get(county.cityCode);
    if (list) list.push(county);
    else byCity.set(county.cityCode, [county]);
  }
  for (const list of byCity.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  return { byCode, byCity };
});

interface StreetIndex {
  byCode: ReadonlyMap<string, Street>;
  byCounty: ReadonlyMap<string, readonly Street[]>;
}

const streets = lazy((): StreetIndex => {
  const byCode = new Map<string, Street>();
  const byCounty = new Map<string, Street[]>();
  for (const row of readTable('streets.csv', [
    'code',
    'name',
    'areaCode',
    'provinceCode',
    'cityCode',
  ])) {
    checkCode('streets.csv', row.code, 9);
    const street: Street = Object.freeze({
      code: row.code,
      name: row.name,
      countyCode: row.areaCode,
      cityCode: row.cityCode,
      provinceCode: row.provinceCode,
    });
    byCode.set(street.code, street);
    const list = byCounty.get(street.countyCode);
    if (list) list.push(street);
    else byCounty.set(street.countyCode, [street]);
  }
  for (const list of byCounty.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  return { byCode, byCounty };
});

function isDigits(code: unknown, len: number): boolean {
  if (typeof code !== 'string' || code.length !== len) return false;
  for (let i = 0; i < len; i += 1) {
    const c = code.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Load every table now rather than on first use. Loading the street table
 * takes on the order of 100-200 ms, so a server may call this at start-up to
 * keep that out of the first request that needs it.
 */
export function preloadDivisions(): void {
  provinces();
  cities();
  counties();
  streets();
}

/** 省级行政区, by 2-digit code (e.g. `37` → 山东省). */
export function getProvince(code2: string): Province | undefined {
  return isDigits(code2, 2) ? provinces().get(code2) : undefined;
}

/** All provinces in the bundled table (31 mainland entries), in code order. */
export function listProvinces(): Province[] {
  return [...provinces().values()].sort((a, b) => a.code.localeCompare(b.code));
}

/** 地级行政区 (or placeholder such as 市辖区), by 4-digit code. */
export function getCity(code4: string): City | undefined {
  return isDigits(code4, 4) ? cities().get(code4) : undefined;
}

/** 县级行政区, by 6-digit code (e.g. `371602` → 滨城区). */
export function getCounty(code6: string): County | undefined {
  return isDigits(code6, 6) ? counties().byCode.get(code6) : undefined;
}

/** 乡级行政区 (乡、镇、街道), by 9-digit code. */
export function getStreet(code9: string): Street | undefined {
  return isDigits(code9, 9) ? streets().byCode.get(code9) : undefined;
}

/** Streets/towns of a county, in code order; `[]` for unknown counties. */
export function streetsOfCounty(code6: string): Street[] {
  if (!isDigits(code6, 6)) return [];
  return [...(streets().byCounty.get(code6) ?? [])];
}

/** Counties of a city, in code order; `[]` for unknown cities. */
export function countiesOfCity(code4: string): County[] {
  if (!isDigits(code4, 4)) return [];
  return [...(counties().byCity.get(code4) ?? [])];
}

/** True when `code6` is a county-level code present in the current table. */
export function isCountyCode(code6: string): boolean {
  return getCounty(code6) !== undefined;
}

function joinNames(parts: readonly (string | undefined)[]): string {
  let out = '';
  let previous = '';
  for (const part of parts) {
    if (!part || part === previous) continue; // e.g. 东莞市 / 东莞市 (441900)
    out += part;
    previous = part;
  }
  return out;
}

function cityPart(city: City | undefined): string | undefined {
  return city && !isPlaceholderCityName(city.name) ? city.name : undefined;
}

/**
 * Human-readable full name of a division, skipping placeholder city levels
 * and a county that repeats its city's name:
 *   `371602`    → 山东省滨州市滨城区
 *   `110101`    → 北京市东城区
 *   `441900`    → 广东省东莞市
 *   `371602005` → 山东省滨州市滨城区彭李街道
 * Also accepts 2- and 4-digit codes and the 6-digit forms `XX0000` (province)
 * and `XXXX00` (city) used in GB/T 2260 listings. Unknown codes → undefined.
 */
export function fullName(code: string): string | undefined {
  if (typeof code !== 'string') return undefined;
  if (isDigits(code, 9)) {
    const street = getStreet(code);
    if (!street) return undefined;
    const county = getCounty(street.countyCode);
    const city = getCity(street.cityCode);
    const province = getProvince(street.provinceCode);
    return joinNames([province?.name, cityPart(city), county?.name, street.name]);
  }
  if (isDigits(code, 6)) {
    const county = getCounty(code);
    if (county) {
      return joinNames([
        getProvince(county.provinceCode)?.name,
        cityPart(getCity(county.cityCode)),
        county.name,
      ]);
    }
    if (code.endsWith('0000')) return fullName(code.slice(0, 2));
    if (code.endsWith('00')) return fullName(code.slice(0, 4));
    return undefined;
  }
  if (isDigits(code, 4)) {
    const city = getCity(code);
    if (!city) return undefined;
    return joinNames([getProvince(city.provinceCode)?.name, cityPart(city)]);
  }
  if (isDigits(code, 2)) {
    return getProvince(code)?.name;
  }
  return undefined;
}
