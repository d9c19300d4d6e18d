import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { insertIncidents, pointInGrid, type IncidentSpec } from './support/incident-fixtures.js';
import { unitByCode } from './support/foreign.js';
import { cellOf, parentCell } from '../src/shared/geo.js';
import { mergeRanges, minusYear, periodsOf, splitByMonth } from '../src/server/modules/analysis/periods.js';

/**
 * 热点分析 on constructed incidents: three places with known counts in March 2025, the month before and March 2024.
 *   X (学苑社区第一网格): 40 now (all on Fridays 21:xx), 10 in February, 20 a year ago, 打架斗殴  → up
 *   Y (学苑社区第二网格): 12 now, 10 in February, 盗窃                                           → noise
 *   Z (another community of the station): 2 now, 1 in February, 邻里纠纷                       → too few
 *   W (another station): 5 now, seen by the command centre only.
 */
let t: TestApp;
let command: string;
let chief: string;
let officer: string;
let gridworker: string;
let X: { lat: number; lng: number };
let Y: { lat: number; lng: number };
let Z: { lat: number; lng: number };
const GRID_A = '371602005001001';
const GRID_B = '371602005001002';
const GRID_C = '371602005002001';
const GRID_W = '371602001001001';
const PERIOD = 'from=2025-03-01&to=2025-03-31';

const at = (day: string, hour: number, minute = 10) => `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;
const many = (n: number, f: (i: number) => IncidentSpec) => Array.from({ length: n }, (_, i) => f(i));

beforeAll(async () => {
  t = await createTestApp();
  [command, chief, officer, gridworker] = await Promise.all(['command', 'chief', 'officer', 'gridworker'].map((u) => t.login(u)));
  X = await pointInGrid(t.deps, GRID_A, 0.3, 0.3);
  Y = await pointInGrid(t.deps, GRID_B, 0.6, 0.6);
  Z = await pointInGrid(t.deps, GRID_C, 0.5, 0.5);
  const W = await pointInGrid(t.deps, GRID_W, 0.5, 0.5);
  const fridays = ['2025-03-07', '2025-03-14', '2025-03-21', '2025-03-28'];
  await insertIncidents(t.deps, [
    ...many(40, (i) => ({ at: at(fridays[i % 4], 21, i), grid: GRID_A, ...X, category: 'za_fight' })),
    ...many(10, (i) => ({ at: at(`2025-02-${String(10 + i).padStart(2, '0')}`, 9), grid: GRID_A, ...X, category: 'za_fight' })),
    ...many(20, (i) => ({ at: at(`2024-03-${10 + i}`, 15), grid: GRID_A, ...X, category: 'za_fight' })),
    ...many(12, (i) => ({ at: at(`2025-03-${String(1 + i).padStart(2, '0')}`, 10), grid: GRID_B, ...Y, category: 'xs_theft' })),
    ...many(10, (i) => ({ at: at(`2025-02-${String(1 + i).padStart(2, '0')}`, 10), grid: GRID_B, ...Y, category: 'xs_theft' })),
    ...many(2, (i) => ({ at: at(`2025-03-0${2 + i}`, 8), grid: GRID_C, ...Z, category: 'jf_neighbour' })),
    { at: at('2025-02-20', 8), grid: GRID_C, ...Z, category: 'jf_neighbour' },
    ...many(5, (i) => ({ at: at(`2025-03-1${i}`, 3), grid: GRID_W, ...W, category: 'jt_accident' })),
    // outside every window
    { at: at('2025-04-01', 0, 0), grid: GRID_A, ...X },
    { at: at('2025-01-28', 23, 59), grid: GRID_A, ...X },
    // the leap-day windows: 29 Feb – 1 Mar 2024 against 28 Feb – 1 Mar 2023
    { at: at('2024-02-29', 12), grid: GRID_A, ...X },
    ...['2023-02-27', '2023-02-28', '2023-03-01', '2023-03-02'].map((d) => ({ at: at(d, 12), grid: GRID_A, ...X })),
  ]);
}, 60_000);
afterAll(() => t.close());

const get = async (token: string, path: string, status = 200) => {
  const res = await t.call(token, 'GET', path);
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
};

describe('periods', () => {
  it('derives the previous period and the same dates a year earlier', () => {
    const p = periodsOf('2025-03-01', '2025-03-31');
    expect(p.days).toBe(31);
    expect([p.previous.from, p.previous.to]).toEqual(['2025-01-29', '2025-02-28']);
    expect([p.lastYear.from, p.lastYear.to]).toEqual(['2024-03-01', '2024-03-31']);
    expect(p.current.start.toISOString()).toBe('2025-02-28T16:00:00.000Z');
    expect(p.current.end.toISOString()).toBe('2025-03-31T16:00:00.000Z');
    expect(minusYear('2024-02-29')).toBe('2023-02-28');
  });

  it('merges overlapping windows of a year-long span so no row is read twice', () => {
    const p = periodsOf('2024-01-01', '2024-12-31');
    const ranges = mergeRanges([p.lastYear, p.previous, p.current].map((w) => [w.start, w.end]));
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0].getTime()).toBeGreaterThan(ranges[i - 1][1].getTime());
    expect(ranges[0][0].getTime()).toBe(Math.min(p.previous.start.getTime(), p.lastYear.start.getTime()));
    expect(ranges.at(-1)![1].getTime()).toBe(p.current.end.getTime());
  });

  it('cuts a window into whole Beijing months and the days before and after them', () => {
    const iso = (rs: Array<[Date, Date]>) => rs.map(([a, b]) => [a.toISOString(), b.toISOString()]);
    const year = splitByMonth(periodsOf('2025-11-23', '2026-11-22').current);
    expect(year.months).toEqual({ first: '2025-12-01', last: '2026-10-01' });
    expect(iso(year.raw)).toEqual([
      ['2025-11-22T16:00:00.000Z', '2025-11-30T16:00:00.000Z'],
      ['2026-10-31T16:00:00.000Z', '2026-11-22T16:00:00.000Z'],
    ]);
    const whole = splitByMonth(periodsOf('2024-02-01', '2024-02-29').current);
    expect(whole).toEqual({ months: { first: '2024-02-01', last: '2024-02-01' }, raw: [] });
    const december = splitByMonth(periodsOf('2025-12-01', '2026-01-15').current);
    expect(december.months).toEqual({ first: '2025-12-01', last: '2025-12-01' });
    expect(iso(december.raw)).toEqual([['2025-12-31T16:00:00.000Z', '2026-01-15T16:00:00.000Z']]);
    const inside = splitByMonth(periodsOf('2025-03-02', '2025-03-31').current);
    expect(inside.months).toBeNull();
    expect(iso(inside.raw)).toEqual([['2025-03-01T16:00:00.000Z', '2025-03-31T16:00:00.000Z']]);
    const across = splitByMonth(periodsOf('2025-03-20', '2025-04-10').current);
    expect(across.months).toBeNull();
    expect(across.raw).toHaveLength(1);
  });
});

describe('hot spots', () => {
  it('ranks the constructed cells with counts, shares and verdicts', async () => {
    const r = await get(chief, `/api/v1/analysis/hotspots?${PERIOD}&by=cell&res=9`);
    expect(r.totals.count).toBe(54);
    expect(r.totals.mom).toMatchObject({ current: 54, previous: 21 });
    expect(r.items.map((i: { key: string }) => i.key)).toEqual([cellOf(X.lat, X.lng), cellOf(Y.lat, Y.lng), cellOf(Z.lat, Z.lng)]);
    const [x, y, z] = r.items;
    expect(x).toMatchObject({ rank: 1, count: 40, label: '学苑社区第一网格附近', gridName: '学苑社区第一网格' });
    expect(x.share).toBeCloseTo(40 / 54, 3);
    expect(x.mom).toMatchObject({ current: 40, previous: 10, change: 30, verdict: 'up' });
    expect(x.yoy).toMatchObject({ current: 40, previous: 20, verdict: 'up' });
    expect(y.mom).toMatchObject({ current: 12, previous: 10, verdict: 'noise' });
    expect(z.mom).toMatchObject({ current: 2, previous: 1, verdict: 'too_few', z: null });
    expect(x.lat).toBeCloseTo(X.lat, 2);
  });

  it('rolls cells up to coarser resolutions', async () => {
    const r = await get(chief, `/api/v1/analysis/hotspots?${PERIOD}&by=cell&res=7`);
    const parents = new Map<string, number>();
    for (const [p, n] of [[X, 40], [Y, 12], [Z, 2]] as const) {
      const k = parentCell(cellOf(p.lat, p.lng), 7);
      parents.set(k, (parents.get(k) ?? 0) + n);
    }
    expect(r.res).toBe(7);
    expect(Object.fromEntries(r.items.map((i: { key: string; count: number }) => [i.key, i.count]))).toEqual(Object.fromEntries(parents));
  });

  it('counts by grid and by community with the units’ names', async () => {
    const g = await get(chief, `/api/v1/analysis/hotspots?${PERIOD}&by=grid`);
    expect(g.items.map((i: { label: string; count: number }) => [i.label, i.count])).toEqual([
      ['学苑社区第一网格', 40],
      ['学苑社区第二网格', 12],
      [expect.stringContaining('第一网格'), 2],
    ]);
    expect(g.items[0].key).toBe(await unitByCode(t.deps, GRID_A));
    expect(typeof g.items[0].lat).toBe('number');
    const c = await get(chief, `/api/v1/analysis/hotspots?${PERIOD}&by=community`);
    expect(c.items.map((i: { label: string; count: number }) => [i.label, i.count])).toEqual([
      ['学苑社区警务区', 52],
      [expect.stringContaining('警务区'), 2],
    ]);
  });

  it('filters by a category with its subtree', async () => {
    const zhian = (await t.deps.db.selectFrom('incident_categories').select('id').where('code', '=', 'zhian').executeTakeFirstOrThrow()).id;
    const r = await get(chief, `/api/v1/analysis/hotspots?${PERIOD}&by=grid&categoryId=${zhian}`);
    expect(r.totals.count).toBe(40);
    expect(r.items).toHaveLength(1);
    const fight = (await t.deps.db.selectFrom('incident_categories').select('id').where('code', '=', 'xs_theft').executeTakeFirstOrThrow()).id;
    expect((await get(chief, `/api/v1/analysis/hotspots?${PERIOD}&categoryId=${fight}`)).totals.count).toBe(12);
  });

  it('is scoped: the station, the command centre, a community officer, a foreign unit', async () => {
    expect((await get(command, `/api/v1/analysis/hotspots?${PERIOD}`)).totals.count).toBe(59);
    expect((await get(chief, `/api/v1/analysis/hotspots?${PERIOD}`)).totals.count).toBe(54);
    expect((await get(officer, `/api/v1/analysis/hotspots?${PERIOD}`)).totals.count).toBe(52);
    const station = await unitByCode(t.deps, '371602005');
    expect((await get(command, `/api/v1/analysis/hotspots?${PERIOD}&unitId=${station}`)).totals.count).toBe(54);
    const otherStation = await unitByCode(t.deps, '371602001');
    expect((await get(command, `/api/v1/analysis/hotspots?${PERIOD}&unitId=${otherStation}`)).totals.count).toBe(5);
    const r = await t.call(chief, 'GET', `/api/v1/analysis/hotspots?${PERIOD}&unitId=${otherStation}`);
    expect(r.statusCode).toBe(404);
    expect((await t.call(officer, 'GET', `/api/v1/analysis/hours?${PERIOD}&unitId=${station}`)).statusCode).toBe(404);
  });

  it('refuses bad input with the field and callers without incident.read', async () => {
    const bad = async (q: string, field: string) => {
      const r = await t.call(chief, 'GET', `/api/v1/analysis/hotspots?${q}`);
      expect(r.statusCode, q).toBe(400);
      expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad('from=2025-03-31&to=2025-03-01', 'to');
    await bad('from=2024-01-01&to=2025-01-02', 'to');
    await bad(`${PERIOD}&res=6`, 'res');
    await bad(`${PERIOD}&by=street`, 'by');
    await bad('from=2025-3-1&to=2025-03-31', 'from');
    await bad(`${PERIOD}&categoryId=01900000-0000-7000-8000-000000000000`, 'categoryId');
    expect((await t.call(chief, 'GET', '/api/v1/analysis/hours?from=2025-03-01')).statusCode).toBe(400);
    expect((await t.call(gridworker, 'GET', `/api/v1/analysis/hotspots?${PERIOD}`)).statusCode).toBe(403);
    expect((await t.call(undefined, 'GET', `/api/v1/analysis/trend?${PERIOD}`)).statusCode).toBe(401);
  });
});

describe('hours, trend and categories', () => {
  it('finds the hour-of-week peak', async () => {
    const r = await get(chief, `/api/v1/analysis/hours?${PERIOD}`);
    const friday21 = 4 * 24 + 21;
    expect(r.counts).toHaveLength(168);
    expect(r.counts[friday21]).toBe(40);
    expect(r.peaks[0]).toEqual({ how: friday21, label: '周五 21时', count: 40 });
    expect(r.matrix[4][21]).toBe(40);
    expect(r.byHour[21]).toBe(40);
    expect(r.previous.reduce((s: number, x: number) => s + x, 0)).toBe(21);
    expect(r.lastYear.reduce((s: number, x: number) => s + x, 0)).toBe(20);
    expect(r.totals.count).toBe(54);
  });

  it('draws the trend by day, week and month with both comparison series', async () => {
    const d = await get(chief, `/api/v1/analysis/trend?${PERIOD}&interval=day`);
    expect(d.series).toHaveLength(31);
    const total = (s: Array<Record<string, number>>, k: string) => s.reduce((a, b) => a + b[k], 0);
    expect(total(d.series, 'count')).toBe(54);
    expect(total(d.series, 'previous')).toBe(21);
    expect(total(d.series, 'lastYear')).toBe(20);
    expect(d.series.find((b: { key: string }) => b.key === '2025-03-07').count).toBe(11);
    const w = await get(chief, `/api/v1/analysis/trend?${PERIOD}&interval=week`);
    expect(w.series[0]).toMatchObject({ key: '2025-02-24', from: '2025-03-01', to: '2025-03-02' });
    expect(total(w.series, 'count')).toBe(54);
    const m = await get(chief, `/api/v1/analysis/trend?from=2025-01-15&to=2025-03-31&interval=month`);
    expect(m.series.map((b: { key: string; count: number }) => [b.key, b.count])).toEqual([
      ['2025-01', 1],
      ['2025-02', 21],
      ['2025-03', 54],
    ]);
  });

  it('compares a leap day with the same dates a year earlier', async () => {
    const r = await get(chief, '/api/v1/analysis/trend?from=2024-02-29&to=2024-03-01&interval=day');
    expect(r.period.lastYear).toEqual({ from: '2023-02-28', to: '2023-03-01' });
    expect(r.totals.count).toBe(1);
    expect(r.totals.yoy).toMatchObject({ current: 1, previous: 2, verdict: 'too_few' });
    expect(r.series.reduce((s: number, b: { lastYear: number }) => s + b.lastYear, 0)).toBe(2);
  });

  it('breaks down by top-level category, or by the children of one', async () => {
    const r = await get(chief, `/api/v1/analysis/categories?${PERIOD}`);
    expect(r.items.map((i: { code: string; count: number }) => [i.code, i.count])).toEqual([
      ['zhian', 40],
      ['xingshi', 12],
      ['jiufen', 2],
    ]);
    expect(r.items[0].mom.verdict).toBe('up');
    const zhian = r.items[0].id;
    const sub = await get(chief, `/api/v1/analysis/categories?${PERIOD}&categoryId=${zhian}`);
    expect(sub.items.map((i: { code: string; count: number }) => [i.code, i.count])).toEqual([['za_fight', 40]]);
  });
});
