import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createAddress } from '../src/server/modules/addresses/service.js';
import { createUnit } from '../src/server/modules/units/service.js';
import { DEPARTMENT_CATEGORIES } from '../src/server/modules/org/rules.js';
import { createRegistryTestApp, makeCreditCode, orgUnitId, neighbourChief } from './support/registry-fixtures.js';
import type { TestApp } from './support/app.js';

/**
 * Exports of the address and unit lists, the units' address filter, the grid list for address pickers and the
 * department category catalogue.
 */
let t: TestApp;
let officer: string;
let gridworker: string;
let supervisor: string;
let szChief: string;
let grid1: string;
let grid2: string;
let szGrid: string;
const sys = systemContext(Object.keys(PERMISSIONS));
const tree: Record<string, string> = {};
const unitIds: Record<string, string> = {};
let seq = 0;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BULK_ADDRESSES = 2_100;
const BULK_UNITS = 1_050;
const enc = encodeURIComponent;
const csvLines = (body: string) => body.replace(/^\uFEFF/, '').trim().split('\r\n');

beforeAll(async () => {
  t = await createRegistryTestApp();
  [officer, gridworker, supervisor] = await Promise.all([t.login('officer'), t.login('gridworker'), t.login('supervisor')]);
  [grid1, grid2, szGrid] = await Promise.all(['371602005001001', '371602005001002', '371602001001001'].map((c) => orgUnitId(t.deps, c)));
  szChief = await neighbourChief(t);

  // 导出路1号 → 1号楼 → 1单元 → 101室, 102室 in 学苑 grid 1; 海港路9号 in a 市中 grid
  const add = (body: Parameters<typeof createAddress>[2]) => createAddress(t.deps, sys, body);
  tree.road = (await add({ gridId: grid1, level: 'road', name: '导出路', lng: 117.97, lat: 37.37 })).id;
  tree.door = (await add({ parentId: tree.road, level: 'door', name: '1' })).id;
  tree.building = (await add({ parentId: tree.door, level: 'building', name: '1' })).id;
  tree.unit = (await add({ parentId: tree.building, level: 'unit', name: '1' })).id;
  tree.room101 = (await add({ parentId: tree.unit, level: 'room', name: '101' })).id;
  tree.room102 = (await add({ parentId: tree.unit, level: 'room', name: '102' })).id;
  tree.door2 = (await add({ parentId: tree.road, level: 'door', name: '2' })).id;
  await t.call(officer, 'POST', `/api/v1/addresses/${tree.room102}/status`, { status: 'inactive', reason: '房屋拆除' });
  const szRoad = (await add({ gridId: szGrid, level: 'road', name: '海港路' })).id;
  tree.szDoor = (await add({ parentId: szRoad, level: 'door', name: '9' })).id;

  // more rows than one export batch, straight into the tables (学苑 grid 2)
  await sql`INSERT INTO addresses (id, parent_id, level, name, code, full_text, search_text, grid_id, county_code, path, status)
    SELECT x.id, NULL, 'room', x.i || '室', 'Z' || lpad(x.i::text, 6, '0'), '批量地址' || x.i || '室', '批量地址' || x.i || '室', ${grid2}::uuid, '371602', '/' || x.id || '/', 'active'
    FROM (SELECT i, gen_random_uuid() AS id FROM generate_series(1, ${sql.lit(BULK_ADDRESSES)}) AS i) x`.execute(t.deps.db);
  await sql`INSERT INTO units (id, other_reg_no, name, unit_type, org_unit_id, county_code, contact_phone)
    SELECT gen_random_uuid(), 'PL-' || lpad(i::text, 6, '0'), '批量商户' || i, 'other', ${grid2}::uuid, '371602', '1390543' || lpad(i::text, 4, '0')
    FROM generate_series(1, ${sql.lit(BULK_UNITS)}) AS i`.execute(t.deps.db);

  const unit = async (key: string, body: Omit<Parameters<typeof createUnit>[2], 'creditCode'>) => {
    unitIds[key] = (await createUnit(t.deps, sys, { creditCode: makeCreditCode(3000 + ++seq), ...body })).id;
  };
  await unit('hotel', { name: '导出路宾馆有限公司', keyIndustry: 'hotel', addressId: tree.door, legalRepName: '马经理', contactName: '前台', contactPhone: '13905431234' });
  await unit('shop', { name: '导出路101便利店', keyIndustry: 'other', addressId: tree.room101 });
  await unit('garage', { name: '导出路2号修车铺', keyIndustry: 'ebike', addressId: tree.door2 });
  await unit('nowhere', { name: '导出路无址工作室', orgUnitId: grid1 });
  await unit('harbour', { name: '海港路导出物流有限公司', keyIndustry: 'courier', addressId: tree.szDoor, contactPhone: '13905439876' });
}, 120_000);
afterAll(() => t.close());

const addressExport = (q: string) => `/api/v1/addresses/export?${q}`;
const unitExport = (q: string) => `/api/v1/units/export?${q}`;

describe('exporting the address list', () => {
  it('needs a stated purpose and the export permission', async () => {
    const none = await t.call(officer, 'GET', addressExport('format=csv'));
    expect(none.statusCode).toBe(400);
    expect(none.headers['content-type']).toContain('application/problem+json');
    expect(none.json().errors.map((e: Json) => e.field)).toContain('purpose');
    const short = await t.call(officer, 'GET', addressExport('format=csv&purpose=ab'));
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: 'purpose_required', errors: [{ field: 'purpose' }] });
    const blank = await t.call(officer, 'GET', addressExport(`format=csv&purpose=${enc('    ')}`));
    expect(blank.json().code).toBe('purpose_required');
    expect((await t.call(gridworker, 'GET', addressExport(`format=csv&purpose=${enc('入户走访核对')}`))).statusCode).toBe(403);
    const bad = await t.call(officer, 'GET', addressExport(`format=pdf&purpose=${enc('入户走访核对')}`));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: Json) => e.field)).toContain('format');
  });

  it('streams the filtered list as CSV with a Chinese header, in code order, and audits it once with the purpose', async () => {
    const purpose = '门牌普查 2026-03';
    const res = await t.call(officer, 'GET', addressExport(`format=csv&gridId=${grid1}&q=${enc('导出路')}&purpose=${enc(purpose)}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toContain('attachment');
    expect(res.headers['x-total-count']).toBe('7');
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const lines = csvLines(res.body);
    expect(lines[0]).toBe('地址编码,标准地址,层级,名称,所属社区,所属网格,经度,纬度,状态,更新时间');
    expect(lines).toHaveLength(8);
    const rows = lines.slice(1).map((l) => l.split(','));
    const codes = rows.map((r) => r[0]);
    expect(codes).toEqual([...codes].sort());
    expect(rows[0]).toEqual([
      expect.stringMatching(/^3716020050\d{3}$/),
      '山东省滨州市滨城区彭李街道学苑社区导出路',
      '街路巷',
      '导出路',
      '学苑社区警务区',
      '学苑社区第一网格',
      '117.97',
      '37.37',
      '在用',
      expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
    ]);
    const room102 = rows.find((r) => r[3] === '102室')!;
    expect([room102[1], room102[2], room102[6], room102[8]]).toEqual(['山东省滨州市滨城区彭李街道学苑社区导出路1号1号楼1单元102室', '户室', '', '停用']);
    expect(res.body).not.toContain('海港路');

    const audit = (await t.call(supervisor, 'GET', '/api/v1/audit?action=address.export&pageSize=5')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'address.export', actorName: '张明(officer)', purpose, detail: { rows: 7, filters: { gridId: grid1, q: '导出路' } } });
  });

  it('takes the list’s other filters: parent, level, status and a code prefix', async () => {
    const purpose = `purpose=${enc('门牌普查核对')}`;
    const count = async (q: string) => (await t.call(officer, 'GET', addressExport(`format=csv&${q}&${purpose}`))).headers['x-total-count'];
    expect(await count(`parentId=${tree.unit}`)).toBe('2');
    expect(await count(`parentId=${tree.unit}&status=active`)).toBe('1');
    expect(await count(`gridId=${grid1}&level=door`)).toBe('2');
    const list = (await t.call(officer, 'GET', `/api/v1/addresses?gridId=${grid1}&level=door`)).json();
    expect(list.total).toBe(2);
    const doorCode = list.items.find((a: Json) => a.name === '1号').code;
    expect(await count(`q=${doorCode}`)).toBe('5'); // the door and what lies below it
  });

  it('walks a long list in batches: every row once, in code order', async () => {
    const res = await t.call(officer, 'GET', addressExport(`format=csv&gridId=${grid2}&purpose=${enc('批量核对地址')}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-total-count']).toBe(String(BULK_ADDRESSES));
    const codes = csvLines(res.body).slice(1).map((l) => l.split(',')[0]);
    expect(codes).toHaveLength(BULK_ADDRESSES);
    expect(new Set(codes).size).toBe(BULK_ADDRESSES);
    expect(codes[0]).toBe('Z000001');
    expect(codes.at(-1)).toBe(`Z${String(BULK_ADDRESSES).padStart(6, '0')}`);
    expect(codes).toEqual([...codes].sort());
  });

  it('streams an XLSX workbook by default', async () => {
    const res = await t.call(officer, 'GET', addressExport(`gridId=${grid1}&purpose=${enc('门牌普查核对')}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('标准地址')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('地址编码');
    expect(sheet.rowCount).toBe(8);
    expect(sheet.getRow(2).getCell(7).value).toBe(117.97);
  });

  it('another jurisdiction’s addresses never appear, not even when its grid is named', async () => {
    const purpose = `purpose=${enc('辖区地址核查')}`;
    const mine = await t.call(officer, 'GET', addressExport(`format=csv&${purpose}`));
    expect(mine.body).toContain('导出路');
    expect(mine.body).not.toContain('海港路');
    const foreignGrid = await t.call(officer, 'GET', addressExport(`format=csv&gridId=${szGrid}&level=road&${purpose}`));
    expect(foreignGrid.statusCode).toBe(200);
    expect(foreignGrid.headers['x-total-count']).toBe('0');
    expect(csvLines(foreignGrid.body)).toHaveLength(1);
    const foreignParent = await t.call(officer, 'GET', addressExport(`format=csv&parentId=${tree.szDoor}&${purpose}`));
    expect(foreignParent.headers['x-total-count']).toBe('0');
    // the foreign ids stay out of this jurisdiction's audit trail
    const audit = (await t.call(supervisor, 'GET', '/api/v1/audit?action=address.export&pageSize=2')).json().items;
    expect(audit.map((r: Json) => r.detail)).toEqual([
      { rows: 0, filters: {}, notInScope: ['parentId'] },
      { rows: 0, filters: { level: 'road' }, notInScope: ['gridId'] },
    ]);
    expect(JSON.stringify(audit)).not.toContain(szGrid);
    const theirs = await t.call(szChief, 'GET', addressExport(`format=csv&${purpose}`));
    expect(theirs.headers['x-total-count']).toBe('2');
    expect(theirs.body).toContain('海港路9号');
    expect(theirs.body).not.toContain('导出路');
    expect(theirs.body).not.toContain('批量地址');
  });
});

describe('units at an address', () => {
  const names = async (token: string, q: string) => ((await t.call(token, 'GET', `/api/v1/units?${q}&pageSize=200`)).json().items as Json[]).map((u) => u.name).sort();

  it('lists the units at the address and below it in the address tree', async () => {
    expect(await names(officer, `addressId=${tree.door}`)).toEqual(['导出路101便利店', '导出路宾馆有限公司']);
    expect(await names(officer, `addressId=${tree.room101}`)).toEqual(['导出路101便利店']);
    expect(await names(officer, `addressId=${tree.road}`)).toEqual(['导出路101便利店', '导出路2号修车铺', '导出路宾馆有限公司']);
    expect(await names(officer, `addressId=${tree.road}&keyIndustry=hotel`)).toEqual(['导出路宾馆有限公司']);
    expect(await names(officer, `addressId=${tree.room102}`)).toEqual([]);
  });

  it('answers nothing for an address outside the jurisdiction or unknown', async () => {
    const foreign = (await t.call(officer, 'GET', `/api/v1/units?addressId=${tree.szDoor}`)).json();
    expect(foreign).toMatchObject({ items: [], total: 0 });
    expect(await names(szChief, `addressId=${tree.szDoor}`)).toEqual(['海港路导出物流有限公司']);
    expect(await names(szChief, `addressId=${tree.door}`)).toEqual([]);
    expect((await t.call(officer, 'GET', '/api/v1/units?addressId=01900000-0000-7000-8000-000000000000')).json().total).toBe(0);
    expect((await t.call(officer, 'GET', '/api/v1/units?addressId=not-a-uuid')).statusCode).toBe(400);
  });
});

describe('exporting the unit list', () => {
  it('needs a stated purpose and the export permission', async () => {
    const none = await t.call(officer, 'GET', unitExport('format=csv'));
    expect(none.statusCode).toBe(400);
    expect(none.json().errors.map((e: Json) => e.field)).toContain('purpose');
    const short = await t.call(officer, 'GET', unitExport('format=csv&purpose=abc'));
    expect(short.json()).toMatchObject({ code: 'purpose_required', errors: [{ field: 'purpose' }] });
    expect((await t.call(gridworker, 'GET', unitExport(`format=csv&purpose=${enc('重点行业核查')}`))).statusCode).toBe(403);
  });

  it('streams the filtered list as CSV with masked phones and audits it once with the purpose', async () => {
    const purpose = '重点行业专项检查';
    const res = await t.call(officer, 'GET', unitExport(`format=csv&q=${enc('导出路')}&purpose=${enc(purpose)}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['x-total-count']).toBe('4');
    const lines = csvLines(res.body);
    expect(lines[0]).toBe('单位名称,统一社会信用代码,其他登记编号,单位类型,重点行业,地址,法定代表人,联系人,联系电话（脱敏）,所属网格,状态');
    expect(lines).toHaveLength(5);
    const hotel = lines.find((l) => l.startsWith('导出路宾馆有限公司'))!.split(',');
    expect(hotel).toEqual([
      '导出路宾馆有限公司',
      expect.stringMatching(/^91371602[0-9A-Z]{10}$/),
      '',
      '企业',
      '旅馆业',
      '山东省滨州市滨城区彭李街道学苑社区导出路1号',
      '马经理',
      '前台',
      '139****1234',
      '学苑社区第一网格',
      '正常',
    ]);
    expect(res.body).not.toContain('13905431234');
    expect(res.body).not.toContain('海港路');

    const audit = (await t.call(supervisor, 'GET', '/api/v1/audit?action=unit.export&pageSize=5')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'unit.export', purpose, detail: { rows: 4, filters: { q: '导出路' } } });
  });

  it('takes the address filter', async () => {
    const res = await t.call(officer, 'GET', unitExport(`format=csv&addressId=${tree.door}&purpose=${enc('门前三包核查')}`));
    expect(res.headers['x-total-count']).toBe('2');
    expect(csvLines(res.body).slice(1).map((l) => l.split(',')[0]).sort()).toEqual(['导出路101便利店', '导出路宾馆有限公司']);
    const foreign = await t.call(officer, 'GET', unitExport(`format=csv&addressId=${tree.szDoor}&purpose=${enc('门前三包核查')}`));
    expect(foreign.statusCode).toBe(200);
    expect(foreign.headers['x-total-count']).toBe('0');
    expect(csvLines(foreign.body)).toHaveLength(1);
    // the foreign address's id stays out of this jurisdiction's audit trail
    const rows = (await t.call(supervisor, 'GET', '/api/v1/audit?action=unit.export&pageSize=2')).json().items;
    expect(rows[0].detail).toEqual({ rows: 0, filters: {}, notInScope: ['addressId'] });
    expect(rows[1].detail).toEqual({ rows: 2, filters: { addressId: tree.door } });
  });

  it('walks a long list in batches: every unit once', async () => {
    const res = await t.call(officer, 'GET', unitExport(`format=csv&q=${enc('批量商户')}&purpose=${enc('批量核对单位')}`));
    expect(res.headers['x-total-count']).toBe(String(BULK_UNITS));
    const rows = csvLines(res.body).slice(1).map((l) => l.split(','));
    expect(rows).toHaveLength(BULK_UNITS);
    expect(new Set(rows.map((r) => r[2])).size).toBe(BULK_UNITS);
    expect(rows.every((r) => /^139\*{4}\d{4}$/.test(r[8]))).toBe(true);
  });

  it('streams an XLSX workbook by default', async () => {
    const res = await t.call(officer, 'GET', unitExport(`q=${enc('导出路')}&purpose=${enc('重点行业专项检查')}`));
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('实有单位')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('单位名称');
    expect(sheet.rowCount).toBe(5);
  });

  it('another jurisdiction’s units never appear', async () => {
    const theirs = await t.call(szChief, 'GET', unitExport(`format=csv&purpose=${enc('辖区单位核查')}`));
    expect(theirs.headers['x-total-count']).toBe('1');
    expect(theirs.body).toContain('海港路导出物流有限公司');
    expect(theirs.body).toContain('139****9876');
    expect(theirs.body).not.toContain('导出路宾馆');
    expect(theirs.body).not.toContain('批量商户');
  });
});

describe('grids for address pickers', () => {
  const grids = async (token: string, q = '') => (await t.call(token, 'GET', `/api/v1/grids?pageSize=200${q}`)).json();

  it('lists the grids inside the jurisdiction with their community, by code', async () => {
    const mine = await grids(officer);
    expect(mine.total).toBe(2);
    expect(mine.items).toEqual([
      { id: grid1, code: '371602005001001', name: '学苑社区第一网格', status: 'active', community: { id: expect.any(String), name: '学苑社区警务区' } },
      { id: grid2, code: '371602005001002', name: '学苑社区第二网格', status: 'active', community: { id: expect.any(String), name: '学苑社区警务区' } },
    ]);
    const own = await grids(gridworker);
    expect(own.items.map((g: Json) => g.id)).toEqual([grid1]);
    const theirs = await grids(szChief);
    expect(theirs.total).toBe(6);
    expect(theirs.items.every((g: Json) => g.code.startsWith('371602001'))).toBe(true);
    const branch = await grids(await t.login('leader'));
    expect(branch.total).toBe(18);
  });

  it('filters by a part of the name or a code prefix, and pages', async () => {
    const byName = await grids(await t.login('chief'), `&q=${enc('第二网格')}`);
    expect(byName.items.map((g: Json) => g.name)).toEqual(['学苑社区第二网格', '香园社区第二网格', '黄河社区第二网格']);
    const byCode = await grids(await t.login('leader'), '&q=371602001002');
    expect(byCode.items.map((g: Json) => g.code)).toEqual(['371602001002001', '371602001002002']);
    expect((await grids(officer, `&q=${enc('渤海')}`)).total).toBe(0);
    expect((await grids(officer, `&q=${enc('%')}`)).total).toBe(0);
    const page2 = (await t.call(await t.login('chief'), 'GET', '/api/v1/grids?pageSize=4&page=2')).json();
    expect(page2).toMatchObject({ total: 6, page: 2, pageSize: 4 });
    expect(page2.items).toHaveLength(2);
  });

  it('needs address.read, not org.read', async () => {
    expect((await t.call(gridworker, 'GET', '/api/v1/org/tree')).statusCode).toBe(403);
    expect((await t.call(gridworker, 'GET', '/api/v1/grids')).statusCode).toBe(200);
    expect((await t.call(await t.login('legal'), 'GET', '/api/v1/grids')).statusCode).toBe(403);
  });
});

describe('department categories', () => {
  it('serves the catalogue the server accepts, internal and partner, in order', async () => {
    const res = await t.call(officer, 'GET', '/api/v1/org/department-categories');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body)).toEqual(['internal', 'partner']);
    expect(body.internal[0]).toEqual({ code: 'zhian', name: '治安' });
    expect(body.partner).toContainEqual({ code: 'hotline12345', name: '12345' });
    for (const kind of ['internal', 'partner'] as const) expect(body[kind].map((c: Json) => c.code)).toEqual(Object.keys(DEPARTMENT_CATEGORIES[kind]));
    // every category served is one a department can be created with
    const admin = await t.login('admin');
    const me = (await t.call(admin, 'GET', '/api/v1/auth/me')).json();
    const created = await t.call(admin, 'POST', '/api/v1/org/departments', { orgUnitId: me.orgUnit.id, kind: 'partner', category: body.partner[2].code, name: '类别核对部门' });
    expect(created.statusCode).toBe(201);
    expect((await t.call(gridworker, 'GET', '/api/v1/org/department-categories')).statusCode).toBe(403);
  });
});
