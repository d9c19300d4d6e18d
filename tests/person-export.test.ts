import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestApp, type TestApp } from './support/app.js';
import { makeIdNumber } from './support/registry-fixtures.js';
import { createUser } from '../src/server/modules/users/service.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';

let t: TestApp;
let officer: string;
let supervisor: string;
const ids: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  officer = await t.login('officer');
  supervisor = await t.login('supervisor');
  for (let i = 0; i < 25; i++) {
    const idNumber = makeIdNumber(7000 + i, { region: '371602' });
    ids.push(idNumber);
    const r = await t.call(officer, 'POST', '/api/v1/persons', { idNumber, name: i % 2 ? `欧阳明${i}` : `司马兰${i}`, phone: `1390543${String(1000 + i)}` });
    expect(r.statusCode).toBe(201);
  }
});
afterAll(() => t.close());

const url = (q: string) => `/api/v1/persons/export?${q}`;

describe('exporting the population list', () => {
  it('needs a stated purpose and the export permission', async () => {
    const none = await t.call(officer, 'GET', url('format=csv'));
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0].field).toBe('purpose');
    const short = await t.call(officer, 'GET', url('format=csv&purpose=ab'));
    expect(short.statusCode).toBe(400);
    expect(short.json().code).toBe('purpose_required');
    const grid = await t.login('gridworker');
    expect((await t.call(grid, 'GET', url(`format=csv&purpose=${encodeURIComponent('入户走访核对')}`))).statusCode).toBe(403);
  });

  it('streams a masked CSV of the filtered list and audits it once with the purpose', async () => {
    const purpose = '案件 A2026-118 排查';
    const res = await t.call(officer, 'GET', url(`format=csv&q=${encodeURIComponent('欧阳')}&purpose=${encodeURIComponent(purpose)}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['x-total-count']).toBe('12');
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('姓名,性别,年龄,公民身份号码（脱敏）,人员类别,联系电话（脱敏）,现住址,所属网格');
    expect(lines).toHaveLength(13);
    expect(lines.slice(1).every((l) => l.startsWith('欧阳明'))).toBe(true);
    for (const id of ids) expect(res.body).not.toContain(id); // never an ID number in clear
    expect(res.body).toMatch(/371602\*{8}\d{3}[\dX]/);
    expect(res.body).not.toMatch(/1390543\d{4}/);
    const audit = (await t.call(supervisor, 'GET', '/api/v1/audit?action=person.export&pageSize=5')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'person.export', purpose, detail: { rows: 12 } });
  });

  it('streams an XLSX workbook that Excel can open', async () => {
    const res = await t.call(officer, 'GET', url(`purpose=${encodeURIComponent('季度人口核查')}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('实有人口')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('姓名');
    expect(sheet.rowCount).toBe(26);
  });

  it('another station sees none of these people in its export', async () => {
    const r = await t.call(await t.login('chief'), 'GET', url(`format=csv&purpose=${encodeURIComponent('辖区人口核查')}`));
    expect(r.headers['x-total-count']).toBe('25'); // 彭李's chief: the officer's community is inside the station
    const tree = (await t.call(await t.login('admin'), 'GET', '/api/v1/org/tree')).json();
    const shizhong = tree[0].children.find((s: { name: string }) => s.name === '市中派出所');
    await createUser(t.deps, systemContext(Object.keys(PERMISSIONS)), { username: 'shizhong.chief', displayName: '市中所长', password: 'Initial123', orgUnitId: shizhong.id, roles: ['chief'], mustChangePassword: false });
    const other = await t.call(await t.login('shizhong.chief', 'Initial123'), 'GET', url(`format=csv&purpose=${encodeURIComponent('辖区人口核查')}`));
    expect(other.statusCode).toBe(200);
    expect(other.headers['x-total-count']).toBe('0');
    expect(other.body).not.toContain('欧阳');
  });
});
