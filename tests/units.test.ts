import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createPerson } from '../src/server/modules/population/service.js';
import { createUnit } from '../src/server/modules/units/service.js';
import { createRegistryTestApp, insertAddress, makeCreditCode, makeIdNumber, orgUnitId, neighbourChief } from './support/registry-fixtures.js';
import type { TestApp } from './support/app.js';

let t: TestApp;
let officer: string;
let gridworker: string;
let szChief: string;
let grid1: string;
let shop: { id: string; fullText: string };
let seq = 0;
const sys = systemContext(Object.keys(PERMISSIONS));
const code = () => makeCreditCode(2000 + ++seq);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function person(name: string, gridId = grid1) {
  return (await createPerson(t.deps, sys, { idNumber: makeIdNumber(7000 + ++seq), name, orgUnitId: gridId })).person;
}

beforeAll(async () => {
  t = await createRegistryTestApp();
  [officer, gridworker] = await Promise.all([t.login('officer'), t.login('gridworker')]);
  grid1 = await orgUnitId(t.deps, '371602005001001');
  shop = await insertAddress(t.deps, { grid: grid1, level: 'door', fullText: '山东省滨州市滨城区彭李街道学苑社区黄河十二路612号', lng: 117.97, lat: 37.37 });
  szChief = await neighbourChief(t);
});
afterAll(() => t.close());

describe('registering a unit', () => {
  it('validates the credit code by GB 32100 and names the field', async () => {
    const good = code();
    const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const cases: Array<[string, string]> = [
      [badCheck, '统一社会信用代码校验位错误'],
      [`${good.slice(0, 10)}I${good.slice(11)}`, '统一社会信用代码只能由数字和大写英文字母组成，且不使用I、O、Z、S、V'],
      [good.slice(0, 17), '统一社会信用代码应为18位'],
      [`Z${good.slice(1)}`, '统一社会信用代码只能由数字和大写英文字母组成，且不使用I、O、Z、S、V'],
    ];
    for (const [creditCode, message] of cases) {
      const res = await t.call(officer, 'POST', '/api/v1/units', { creditCode, name: '错码单位' });
      expect(res.statusCode, creditCode).toBe(400);
      expect(res.json().errors, creditCode).toEqual([{ field: 'creditCode', message }]);
    }
    const none = await t.call(officer, 'POST', '/api/v1/units', { name: '无码单位' });
    expect(none.json().errors[0].field).toBe('creditCode');
    const both = await t.call(officer, 'POST', '/api/v1/units', { name: '双码单位', creditCode: code(), otherRegNo: 'BZ-0001' });
    expect(both.json().errors[0].field).toBe('otherRegNo');
  });

  it('registers a unit at an address, deriving its type from the code and its jurisdiction from the address', async () => {
    const creditCode = code();
    const res = await t.call(officer, 'POST', '/api/v1/units', {
      creditCode: creditCode.toLowerCase(),
      name: '滨州市学苑宾馆有限公司',
      keyIndustry: 'hotel',
      addressId: shop.id,
      legalRepName: '马经理',
      contactName: '前台',
      contactPhone: '13905438888',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      creditCode,
      unitType: 'enterprise',
      unitTypeName: '企业',
      keyIndustry: 'hotel',
      keyIndustryName: '旅馆业',
      address: { id: shop.id, fullText: shop.fullText, lng: 117.97, lat: 37.37 },
      orgUnit: { id: grid1, name: '学苑社区第一网格' },
      contactPhone: '13905438888',
    });
    const individual = await t.call(officer, 'POST', '/api/v1/units', { creditCode: makeCreditCode(9100 + ++seq, '92371602'), name: '学苑修车铺', keyIndustry: 'ebike', orgUnitId: grid1 });
    expect(individual.json()).toMatchObject({ unitType: 'individual', keyIndustry: 'ebike' });
    const noCode = await t.call(officer, 'POST', '/api/v1/units', { otherRegNo: 'BZ-JY-2026-001', name: '学苑夜市摊位', orgUnitId: grid1 });
    expect(noCode.json()).toMatchObject({ creditCode: null, otherRegNo: 'BZ-JY-2026-001', unitType: 'other' });
  });

  it('answers a duplicate code 409, also when two creations race', async () => {
    const creditCode = code();
    expect((await t.call(officer, 'POST', '/api/v1/units', { creditCode, name: '先到单位', orgUnitId: grid1 })).statusCode).toBe(201);
    const dup = await t.call(officer, 'POST', '/api/v1/units', { creditCode, name: '后到单位', orgUnitId: grid1 });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors).toEqual([{ field: 'creditCode', message: '该统一社会信用代码已登记' }]);
    const twin = code();
    const both = await Promise.all([
      t.call(officer, 'POST', '/api/v1/units', { creditCode: twin, name: '并发甲', orgUnitId: grid1 }),
      t.call(gridworker, 'POST', '/api/v1/units', { creditCode: twin, name: '并发乙' }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const n = await sql<{ n: number }>`SELECT count(*)::int AS n FROM units WHERE credit_code = ${twin}`.execute(t.deps.db);
    expect(n.rows[0].n).toBe(1);
    const otherDup = await t.call(officer, 'POST', '/api/v1/units', { otherRegNo: 'BZ-JY-2026-001', name: '重复编号', orgUnitId: grid1 });
    expect(otherDup.json().errors[0].field).toBe('otherRegNo');
  });
});

describe('listing and changing units', () => {
  let hotelId: string;

  beforeAll(async () => {
    const h = await createUnit(t.deps, sys, { creditCode: code(), name: '黄河大酒店', keyIndustry: 'hotel', addressId: shop.id, contactPhone: '13905437777' });
    hotelId = h.id;
    await createUnit(t.deps, sys, { creditCode: code(), name: '黄河化工原料经营部', keyIndustry: 'precursor_chemical', orgUnitId: grid1 });
    await createUnit(t.deps, sys, { creditCode: code(), name: '渤海快递市中网点', keyIndustry: 'courier', orgUnitId: await orgUnitId(t.deps, '371602001001001') });
  });

  it('searches by a part of the name or the code and filters by key industry, inside the jurisdiction', async () => {
    const byName = (await t.call(officer, 'GET', `/api/v1/units?q=${encodeURIComponent('黄河')}`)).json();
    expect(byName.items.map((u: Json) => u.name).sort()).toEqual(['黄河化工原料经营部', '黄河大酒店']);
    expect(byName.items.find((u: Json) => u.name === '黄河大酒店').contactPhone).toBe('139****7777');
    const hotels = (await t.call(officer, 'GET', '/api/v1/units?keyIndustry=hotel')).json();
    expect(hotels.items.every((u: Json) => u.keyIndustry === 'hotel')).toBe(true);
    expect(hotels.items.map((u: Json) => u.name)).toContain('黄河大酒店');
    const hotel = (await t.call(officer, 'GET', `/api/v1/units/${hotelId}`)).json();
    const byCode = (await t.call(officer, 'GET', `/api/v1/units?q=${hotel.creditCode.slice(0, 12).toLowerCase()}`)).json();
    expect(byCode.items.map((u: Json) => u.id)).toContain(hotelId);
    expect((await t.call(officer, 'GET', `/api/v1/units?q=${encodeURIComponent('快递')}`)).json().total).toBe(0);
    expect((await t.call(szChief, 'GET', `/api/v1/units?q=${encodeURIComponent('快递')}`)).json().total).toBe(1);
    expect((await t.call(szChief, 'GET', `/api/v1/units?q=${encodeURIComponent('黄河')}`)).json().total).toBe(0);
    expect((await t.call(szChief, 'GET', `/api/v1/units/${hotelId}`)).statusCode).toBe(404);
    expect((await t.call(szChief, 'PATCH', `/api/v1/units/${hotelId}`, { name: '越权' })).statusCode).toBe(404);
  });

  it('changes fields, refusing a code that another unit holds', async () => {
    const res = await t.call(officer, 'PATCH', `/api/v1/units/${hotelId}`, { keyIndustry: 'entertainment', contactName: '值班经理', status: 'active' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ keyIndustry: 'entertainment', keyIndustryName: '娱乐场所', contactName: '值班经理' });
    const taken = (await t.call(officer, 'GET', `/api/v1/units?q=${encodeURIComponent('化工')}`)).json().items[0].creditCode;
    const dup = await t.call(officer, 'PATCH', `/api/v1/units/${hotelId}`, { creditCode: taken });
    expect(dup.statusCode).toBe(409);
    const bad = await t.call(officer, 'PATCH', `/api/v1/units/${hotelId}`, { creditCode: '913716020000000000' });
    expect(bad.json().errors[0].field).toBe('creditCode');
    const rows = (await t.call(await t.login('supervisor'), 'GET', '/api/v1/audit?action=unit.update&pageSize=5')).json().items;
    expect(rows[0]).toMatchObject({ subjectIds: [hotelId], detail: { fields: ['keyIndustry', 'contactName', 'status'] } });
  });
});

describe('employees', () => {
  let unitId: string;
  let worker: Json;

  beforeAll(async () => {
    unitId = (await createUnit(t.deps, sys, { creditCode: code(), name: '学苑超市', addressId: shop.id })).id;
    worker = await person('孙店员');
  });

  it('records an employment, refuses a second open one and people outside the jurisdiction', async () => {
    const res = await t.call(gridworker, 'POST', `/api/v1/units/${unitId}/employees`, { personId: worker.id, role: '收银员', fromDate: '2024-03-01' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ role: '收银员', fromDate: '2024-03-01', toDate: null, current: true, person: { id: worker.id, name: '孙店员', idNumber: expect.stringMatching(/^371602\*{8}/) } });
    const again = await t.call(gridworker, 'POST', `/api/v1/units/${unitId}/employees`, { personId: worker.id, fromDate: '2024-04-01' });
    expect(again.statusCode).toBe(409);
    const stranger = await person('市中人', await orgUnitId(t.deps, '371602001001001'));
    const out = await t.call(gridworker, 'POST', `/api/v1/units/${unitId}/employees`, { personId: stranger.id, fromDate: '2024-04-01' });
    expect(out.statusCode).toBe(400);
    expect(out.json().errors[0].field).toBe('personId');
    const detail = (await t.call(officer, 'GET', `/api/v1/units/${unitId}`)).json();
    expect(detail.employees.map((e: Json) => `${e.person.name}:${e.role}`)).toEqual(['孙店员:收银员']);
    const page = (await t.call(officer, 'GET', `/api/v1/persons/${worker.id}`)).json();
    expect(page.employment.map((e: Json) => e.unit.name)).toEqual(['学苑超市']);
  });

  it('ending an employment closes it, never deletes it', async () => {
    const e = (await t.call(officer, 'GET', `/api/v1/units/${unitId}`)).json().employees[0];
    expect((await t.call(szChief, 'POST', `/api/v1/employments/${e.id}/end`, { toDate: '2025-01-01' })).statusCode).toBe(404);
    const early = await t.call(officer, 'POST', `/api/v1/employments/${e.id}/end`, { toDate: '2024-01-01' });
    expect(early.json().errors[0].field).toBe('toDate');
    const ended = await t.call(officer, 'POST', `/api/v1/employments/${e.id}/end`, { toDate: '2025-06-30' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ id: e.id, toDate: '2025-06-30', current: false });
    expect((await t.call(officer, 'POST', `/api/v1/employments/${e.id}/end`, { toDate: '2025-07-30' })).statusCode).toBe(409);
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM employments WHERE id = ${e.id}`.execute(t.deps.db);
    expect(rows.rows[0].n).toBe(1);
    // a new employment may start after the old one ended
    expect((await t.call(officer, 'POST', `/api/v1/units/${unitId}/employees`, { personId: worker.id, role: '店长', fromDate: '2025-08-01' })).statusCode).toBe(201);
    const locate = (await t.call(officer, 'GET', `/api/v1/persons/${worker.id}/locate?purpose=${encodeURIComponent('走访核实从业')}`)).json();
    expect(locate.employers.map((x: Json) => `${x.unit.name}:${x.role}`)).toEqual(['学苑超市:店长']);
  });

  it('a unit view lists people, so it is audited', async () => {
    await t.call(officer, 'GET', `/api/v1/units/${unitId}`);
    const rows = (await t.call(await t.login('supervisor'), 'GET', '/api/v1/audit?action=unit.view&pageSize=1')).json().items;
    expect(rows[0]).toMatchObject({ actorName: '张明(officer)', subjectIds: [unitId, worker.id] });
  });
});
