import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress, makeIdNumber, neighbourChief, orgUnitId } from './support/registry-fixtures.js';
import { pointInGrid } from './support/incident-fixtures.js';
import { addForeignBranch } from './support/foreign.js';
import { beijingDay, cellOf, hourOfWeek } from '../src/shared/geo.js';

/** 警情: categories, recording and placing, scope, the state machine, links, diversion (docs/api-command.md). */
let t: TestApp;
let admin: string;
let chief: string;
let officer: string;
let command: string;
let dept: string;
let mediator: string;
let leader: string;
let neighbour: string;
const cat: Record<string, string> = {};
let station5: string;
let grid1: string;
let grid1Path: string;
let community1: string;
let foreignIncident: string;

async function create(token: string, body: Record<string, unknown> = {}) {
  const res = await t.call(token, 'POST', '/api/v1/incidents', {
    source: 'walk_in',
    categoryId: cat.za_fight,
    occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
    summary: '两人在饭店门口发生口角并推搡',
    callerName: '张三丰',
    callerPhone: '13800001234',
    ...body,
  });
  return res;
}

async function created(token: string, body: Record<string, unknown> = {}) {
  const res = await create(token, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, chief, officer, command, dept, mediator, leader] = await Promise.all(['admin', 'chief', 'officer', 'command', 'dept', 'mediator', 'leader'].map((u) => t.login(u)));
  neighbour = await neighbourChief(t);
  for (const c of await t.deps.db.selectFrom('incident_categories').select(['id', 'code']).execute()) cat[c.code] = c.id;
  station5 = await orgUnitId(t.deps, '371602005');
  community1 = await orgUnitId(t.deps, '371602005001');
  grid1 = await orgUnitId(t.deps, '371602005001001');
  grid1Path = (await t.deps.db.selectFrom('org_units').select('path').where('id', '=', grid1).executeTakeFirstOrThrow()).path;
  const f = await addForeignBranch(t.deps);
  const sys = await t.deps.db.selectFrom('org_units').select('path').where('id', '=', f.stationId).executeTakeFirstOrThrow();
  foreignIncident = '01900000-0000-7000-8000-00000000abcd';
  await t.deps.db
    .insertInto('incidents')
    .values({
      id: foreignIncident,
      code: 'JQ2026010100001',
      source: '110',
      category_id: cat.za_fight,
      occurred_at: new Date(),
      reported_at: new Date(),
      day: beijingDay(new Date()),
      how: 0,
      org_unit_id: f.stationId,
      station_id: f.stationId,
      org_path: sys.path,
      summary: '沾化的警情',
      status: 'received',
      created_at: new Date(),
      updated_at: new Date(),
    })
    .execute();
}, 120_000);
afterAll(() => t.close());

describe('categories', () => {
  it('reads the two-level tree with the built-ins', async () => {
    const res = await t.call(officer, 'GET', '/api/v1/incident-categories');
    expect(res.statusCode).toBe(200);
    const tree = res.json();
    expect(tree.map((c: { code: string }) => c.code)).toContain('zhian');
    const jiufen = tree.find((c: { code: string }) => c.code === 'jiufen');
    expect(jiufen.children.find((c: { code: string }) => c.code === 'jf_property')).toMatchObject({ policeMatter: false, builtin: true, status: 'active' });
  });

  it('creates a child, checks the code, the parent level and uniqueness', async () => {
    const zhian = cat.zhian;
    const ok = await t.call(admin, 'POST', '/api/v1/incident-categories', { parentId: zhian, code: 'za_drunk', name: '醉酒滋事', policeMatter: true, sort: 60 });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ code: 'za_drunk', parentId: zhian, builtin: false });
    const bad = await t.call(admin, 'POST', '/api/v1/incident-categories', { parentId: zhian, code: 'Bad Code', name: '坏编码', policeMatter: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('code');
    const third = await t.call(admin, 'POST', '/api/v1/incident-categories', { parentId: cat.za_fight, code: 'za_third', name: '三级', policeMatter: true });
    expect(third.statusCode).toBe(400);
    expect(third.json().errors[0]).toMatchObject({ field: 'parentId', message: expect.stringContaining('两级') });
    const missing = await t.call(admin, 'POST', '/api/v1/incident-categories', { parentId: '01900000-0000-7000-8000-000000000001', code: 'za_x', name: '无上级', policeMatter: true });
    expect(missing.json().errors[0].field).toBe('parentId');
    const dup = await t.call(admin, 'POST', '/api/v1/incident-categories', { parentId: zhian, code: 'za_fight', name: '重复', policeMatter: true });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('code');
    expect((await t.call(chief, 'POST', '/api/v1/incident-categories', { code: 'x_top', name: '顶级', policeMatter: true })).statusCode).toBe(403);
  });

  it('renames and disables a built-in; there is no delete', async () => {
    const res = await t.call(admin, 'PUT', `/api/v1/incident-categories/${cat.qt_consult}`, { name: '咨询（非警务）', policeMatter: false, sort: 5, status: 'inactive' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: '咨询（非警务）', status: 'inactive', builtin: true });
    expect((await t.call(admin, 'DELETE', `/api/v1/incident-categories/${cat.qt_consult}`)).statusCode).toBe(404);
    // a disabled category takes no new incidents
    const r = await create(chief, { categoryId: cat.qt_consult });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('categoryId');
    await t.call(admin, 'PUT', `/api/v1/incident-categories/${cat.qt_consult}`, { name: '咨询', policeMatter: false, sort: 0, status: 'active' });
  });
});

describe('recording and placing', () => {
  it('places an incident at a standard address: its grid, the station above as handling unit', async () => {
    const a = await insertAddress(t.deps, { grid: '371602005001001' });
    const i = await created(officer, { addressId: a.id, place: '香园小区门口' });
    expect(i.code).toMatch(new RegExp(`^JQ${beijingDay(new Date()).replaceAll('-', '')}\\d{5}$`));
    expect(i).toMatchObject({ status: 'received', source: 'walk_in', orgUnit: { id: station5 }, grid: { id: grid1 }, address: { id: a.id }, version: 1 });
    const row = await t.deps.db.selectFrom('incidents').selectAll().where('id', '=', i.id).executeTakeFirstOrThrow();
    expect(row.org_path).toBe(grid1Path);
    expect(row.community_id).toBe(community1);
    // binned as the analysis reads it: the H3 cell of the place, the Beijing hour of the week
    expect(row.h3).toBe(cellOf(row.lat!, row.lng!));
    expect(row.how).toBe(hourOfWeek(new Date(row.occurred_at)));
    expect(row.day).toBe(beijingDay(new Date(row.occurred_at)));
    const events = await t.deps.db.selectFrom('incident_events').select('action').where('incident_id', '=', i.id).execute();
    expect(events.map((e) => e.action)).toEqual(['received']);
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where(sql<boolean>`${i.id} = ANY (subject_ids)`).execute();
    expect(audit.map((x) => x.action)).toContain('incident.create');
  });

  it('places by a point: the grid whose boundary contains it; outside every grid → the caller’s own unit', async () => {
    const p = await pointInGrid(t.deps, '371602004001002', 0.3, 0.7);
    const i = await created(command, p);
    const row = await t.deps.db.selectFrom('incidents').select(['grid_id', 'org_unit_id', 'org_path']).where('id', '=', i.id).executeTakeFirstOrThrow();
    expect(row.grid_id).toBe(await orgUnitId(t.deps, '371602004001002'));
    expect(row.org_unit_id).toBe(await orgUnitId(t.deps, '371602004'));
    const far = await created(officer, { lat: 30.1, lng: 110.2 });
    const farRow = await t.deps.db.selectFrom('incidents').select(['grid_id', 'org_unit_id', 'org_path', 'h3']).where('id', '=', far.id).executeTakeFirstOrThrow();
    expect(farRow).toMatchObject({ grid_id: null, org_unit_id: community1 });
    expect(farRow.org_path.endsWith(`${community1}/`)).toBe(true);
    expect(farRow.h3).not.toBeNull();
  });

  it('rejects bad input with the field named', async () => {
    const future = await create(chief, { occurredAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(future.statusCode).toBe(400);
    expect(future.json().errors[0].field).toBe('occurredAt');
    const half = await create(chief, { lat: 37.4 });
    expect(half.json().errors.map((e: { field: string }) => e.field)).toContain('lng');
    const phone = await create(chief, { callerPhone: '12345' });
    expect(phone.json().errors[0].field).toBe('callerPhone');
    const a = await insertAddress(t.deps, { grid: '371602005001001' });
    const foreignAddr = await create(neighbour, { addressId: a.id });
    expect(foreignAddr.statusCode).toBe(400);
    expect(foreignAddr.json().errors[0]).toMatchObject({ field: 'addressId', message: expect.stringContaining('不在您的辖区') });
    const foreignUnit = await create(chief, { orgUnitId: await orgUnitId(t.deps, '371602001') });
    expect(foreignUnit.json().errors[0].field).toBe('orgUnitId');
    expect((await create(dept)).statusCode).toBe(403);
    expect((await create(leader)).statusCode).toBe(403);
    const grid = await t.call(chief, 'POST', '/api/v1/incidents', { source: 'grid', categoryId: cat.za_fight, occurredAt: new Date().toISOString(), summary: 'x' });
    expect(grid.statusCode).toBe(400);
    expect(grid.json().errors[0].field).toBe('source');
  });

  it('gives concurrent creates distinct consecutive codes', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => create(chief)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(201));
    const codes = results.map((r) => r.json().code as string).sort();
    expect(new Set(codes).size).toBe(8);
    const seqs = codes.map((c) => Number(c.slice(-5)));
    expect(seqs[7] - seqs[0]).toBe(7);
  });
});

describe('scope and personal data', () => {
  let mine: { id: string };
  beforeAll(async () => {
    mine = await created(chief, { addressId: (await insertAddress(t.deps, { grid: '371602005001002' })).id, callerPhone: '13912345678', callerName: '李四' });
  });

  it('lists carry no caller data and stay in the jurisdiction', async () => {
    const res = await t.call(chief, 'GET', '/api/v1/incidents?pageSize=200');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.items.some((i: { id: string }) => i.id === mine.id)).toBe(true);
    expect(res.body).not.toContain('13912345678');
    expect(res.body).not.toContain('callerPhone');
    expect(res.body).not.toContain('李四');
    const age = page.items.find((i: { id: string }) => i.id === mine.id).ageHours;
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(2); // it happened an hour ago
    const other = (await t.call(neighbour, 'GET', '/api/v1/incidents?pageSize=200')).json();
    expect(other.items.some((i: { id: string }) => i.id === mine.id)).toBe(false);
    const all = (await t.call(command, 'GET', '/api/v1/incidents?pageSize=200')).json();
    expect(all.items.some((i: { id: string }) => i.id === mine.id)).toBe(true);
    expect(all.items.some((i: { id: string }) => i.id === foreignIncident)).toBe(false);
  });

  it('filters by status, category subtree, unit, period and overdue', async () => {
    const byCat = (await t.call(command, 'GET', `/api/v1/incidents?categoryId=${cat.zhian}&pageSize=200`)).json();
    expect(byCat.total).toBeGreaterThan(0);
    expect(byCat.items.every((i: { category: { code: string } }) => i.category.code.startsWith('za_'))).toBe(true);
    const byUnit = (await t.call(command, 'GET', `/api/v1/incidents?unitId=${await orgUnitId(t.deps, '371602004')}&pageSize=200`)).json();
    expect(byUnit.items.every((i: { orgUnit: { id: string } }) => i.orgUnit.id !== station5)).toBe(true);
    const foreignUnit = (await t.call(neighbour, 'GET', `/api/v1/incidents?unitId=${station5}`)).json();
    expect(foreignUnit.total).toBe(0);
    const overdue = (await t.call(command, 'GET', '/api/v1/incidents?openOver=72h')).json();
    expect(overdue.total).toBe(0);
    // The incidents here happened an hour ago: just after midnight (Beijing time) that is yesterday.
    const from = beijingDay(new Date(Date.now() - 2 * 3_600_000));
    const to = beijingDay(new Date());
    const inPeriod = (await t.call(command, 'GET', `/api/v1/incidents?from=${from}&to=${to}&status=received&pageSize=1`)).json();
    expect(inPeriod.total).toBeGreaterThan(0);
    expect(inPeriod.items).toHaveLength(1);
    const longAgo = (await t.call(command, 'GET', `/api/v1/incidents?from=2020-01-01&to=2020-01-31&status=received`)).json();
    expect(longAgo.total).toBe(0);
    const bad = await t.call(command, 'GET', `/api/v1/incidents?from=2026-02-02&to=2026-01-01`);
    expect(bad.statusCode).toBe(400);
  });

  it('the detail masks the caller and is audited; outside the jurisdiction is 404', async () => {
    const res = await t.call(chief, 'GET', `/api/v1/incidents/${mine.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ callerPhone: '139****5678', callerName: '李*' });
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', '=', 'incident.view').where(sql<boolean>`${mine.id} = ANY (subject_ids)`).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_name).toContain('chief');
    expect((await t.call(neighbour, 'GET', `/api/v1/incidents/${mine.id}`)).statusCode).toBe(404);
    expect((await t.call(command, 'GET', `/api/v1/incidents/${foreignIncident}`)).statusCode).toBe(404);
    expect((await t.call(command, 'POST', `/api/v1/incidents/${foreignIncident}/handle`, { version: 1 })).statusCode).toBe(404);
    expect((await t.call(dept, 'GET', `/api/v1/incidents/${mine.id}`)).statusCode).toBe(403);
  });
});

describe('the state machine', () => {
  const inGrid1 = async () => ({ addressId: (await insertAddress(t.deps, { grid: '371602005001001' })).id });

  it('received → handling → closed → reopened, with 409 for illegal moves and stale versions', async () => {
    const i = await created(chief, await inGrid1());
    const url = `/api/v1/incidents/${i.id}`;
    const stale = await t.call(chief, 'POST', `${url}/close`, { version: 7, result: '已处置' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().errors[0].field).toBe('version');
    const h = await t.call(chief, 'POST', `${url}/handle`, { version: 1, note: '民警已出警' });
    expect(h.statusCode, h.body).toBe(200);
    expect(h.json()).toMatchObject({ status: 'handling', version: 2, handler: { name: '孙立民' } });
    const again = await t.call(chief, 'POST', `${url}/handle`, { version: 2 });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('已在处置中');
    const reopenOpen = await t.call(chief, 'POST', `${url}/reopen`, { version: 2, reason: '复查' });
    expect(reopenOpen.statusCode).toBe(409);
    const emptyResult = await t.call(chief, 'POST', `${url}/close`, { version: 2, result: '   ' });
    expect(emptyResult.statusCode).toBe(400);
    expect(emptyResult.json().errors[0].field).toBe('result');
    const c = await t.call(officer, 'POST', `${url}/close`, { version: 2, result: '双方已和解，现场处置完毕' });
    expect(c.statusCode, c.body).toBe(200);
    expect(c.json()).toMatchObject({ status: 'closed', version: 3, result: '双方已和解，现场处置完毕', ageHours: null });
    expect(c.json().closedAt).not.toBeNull();
    const twice = await t.call(chief, 'POST', `${url}/close`, { version: 3, result: '再次' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().detail).toContain('已办结');
    const patchClosed = await t.call(chief, 'PATCH', url, { version: 3, summary: '改' });
    expect(patchClosed.statusCode).toBe(409);
    const r = await t.call(chief, 'POST', `${url}/reopen`, { version: 3, reason: '当事人再次报警' });
    expect(r.json()).toMatchObject({ status: 'handling', version: 4, result: null, closedAt: null });
    const n = await t.call(chief, 'POST', `${url}/notes`, { note: '已回访当事人' });
    expect(n.statusCode).toBe(200);
    const detail = (await t.call(chief, 'GET', url)).json();
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(['received', 'handling', 'closed', 'reopened', 'note']);
    expect(detail.events[3]).toMatchObject({ note: '当事人再次报警', actor: { name: '孙立民' } });
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where(sql<boolean>`${i.id} = ANY (subject_ids)`).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['incident.create', 'incident.handle', 'incident.close', 'incident.reopen', 'incident.note', 'incident.view']);
  });

  it('only one of two concurrent changes with the same version wins', async () => {
    const i = await created(chief, await inGrid1());
    const url = `/api/v1/incidents/${i.id}`;
    const [a, b] = await Promise.all([t.call(chief, 'POST', `${url}/handle`, { version: 1 }), t.call(officer, 'POST', `${url}/close`, { version: 1, result: '已处置' })]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const row = await t.deps.db.selectFrom('incidents').select('version').where('id', '=', i.id).executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
  });

  it('patches with the version and transfers to another unit in scope', async () => {
    const i = await created(command, { addressId: (await insertAddress(t.deps, { grid: '371602005001001' })).id });
    const url = `/api/v1/incidents/${i.id}`;
    const p = await t.call(command, 'PATCH', url, { version: 1, summary: '更正：三人斗殴', categoryId: cat.xs_assault });
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json()).toMatchObject({ summary: '更正：三人斗殴', category: { code: 'xs_assault' }, version: 2 });
    expect((await t.call(command, 'PATCH', url, { version: 1, summary: '旧版本' })).statusCode).toBe(409);
    const station1 = await orgUnitId(t.deps, '371602001');
    const moved = await t.call(command, 'PATCH', url, { version: 2, orgUnitId: station1 });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().orgUnit.id).toBe(station1);
    const row = await t.deps.db.selectFrom('incidents').select(['org_path', 'grid_id', 'station_id', 'address_id']).where('id', '=', i.id).executeTakeFirstOrThrow();
    // the address stays, but the scope follows the handling unit, and so do the unit columns the analysis scopes by
    expect(row.address_id).not.toBeNull();
    expect(row.grid_id).toBeNull();
    expect(row.station_id).toBe(station1);
    expect(row.org_path.endsWith(`${station1}/`)).toBe(true);
    expect((await t.call(chief, 'GET', url)).statusCode).toBe(404);
    expect((await t.call(neighbour, 'GET', url)).statusCode).toBe(200);
    const n = await t.deps.db.selectFrom('notifications').select('kind').where('subject_id', '=', i.id).execute();
    expect(n.map((x) => x.kind)).toContain('incident.transferred');
    const bad = await t.call(command, 'PATCH', url, { version: 3, orgUnitId: '01900000-0000-7000-8000-000000000009' });
    expect(bad.json().errors[0].field).toBe('orgUnitId');
  });
});

describe('links', () => {
  it('links a person (masked identity number), an address, a unit and a case; targets must be in scope', async () => {
    const i = await created(officer);
    const url = `/api/v1/incidents/${i.id}/links`;
    const idNumber = makeIdNumber(4242);
    const person = await t.call(officer, 'POST', '/api/v1/persons', { idNumber, name: '王五', orgUnitId: grid1 });
    expect(person.statusCode, person.body).toBe(201);
    const pid = person.json().id;
    const l1 = await t.call(officer, 'POST', url, { kind: 'person', targetId: pid, role: '当事人' });
    expect(l1.statusCode, l1.body).toBe(201);
    const link = l1.json().links[0];
    expect(link).toMatchObject({ kind: 'person', label: '王五', role: '当事人', idNumber: `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}` });
    expect(l1.body).not.toContain(idNumber);
    expect((await t.call(officer, 'POST', url, { kind: 'person', targetId: pid })).statusCode).toBe(409);
    const a = await insertAddress(t.deps, { grid: '371602005001001' });
    expect((await t.call(officer, 'POST', url, { kind: 'address', targetId: a.id })).statusCode).toBe(201);
    const c = await t.call(officer, 'POST', url, { kind: 'case', ref: 'A3716020050002026110001' });
    expect(c.statusCode).toBe(201);
    const noRef = await t.call(officer, 'POST', url, { kind: 'case' });
    expect(noRef.json().errors[0].field).toBe('ref');
    const outside = await insertAddress(t.deps, { grid: '371602004001001' });
    const far = await t.call(officer, 'POST', url, { kind: 'address', targetId: outside.id });
    expect(far.statusCode).toBe(400);
    expect(far.json().errors[0].field).toBe('targetId');
    const detail = (await t.call(officer, 'GET', `/api/v1/incidents/${i.id}`)).json();
    expect(detail.links).toHaveLength(3);
    const view = await t.deps.db.selectFrom('audit_log').select('subject_ids').where('action', '=', 'incident.view').where(sql<boolean>`${i.id} = ANY (subject_ids)`).executeTakeFirstOrThrow();
    expect(view.subject_ids).toContain(pid);
    const del = await t.call(officer, 'DELETE', `${url}/${detail.links[2].id}`);
    expect(del.statusCode).toBe(200);
    expect(del.json().links).toHaveLength(2);
    expect((await t.call(officer, 'DELETE', `${url}/${detail.links[2].id}`)).statusCode).toBe(404);
  });
});

describe('diversion of non-police matters', () => {
  it('diverts to a partner department: notified, texted, answered; a return puts the incident back to handling', async () => {
    const i = await created(chief, { categoryId: cat.jf_property, summary: '小区物业停水纠纷' });
    const targets = (await t.call(chief, 'GET', '/api/v1/incident-diversion-targets')).json();
    expect(targets[0]).toMatchObject({ hotline: true, name: '12345政务服务便民热线' });
    const minzheng = targets.find((d: { name: string }) => d.name === '区民政局');
    const internal = (await t.deps.db.selectFrom('departments').select('id').where('name', '=', '治安管理大队').executeTakeFirstOrThrow()).id;
    const url = `/api/v1/incidents/${i.id}`;
    const wrong = await t.call(chief, 'POST', `${url}/divert`, { version: 1, departmentId: internal, reason: '非警务' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('departmentId');
    const d = await t.call(chief, 'POST', `${url}/divert`, { version: 1, departmentId: minzheng.id, reason: '属物业服务纠纷，转民政部门处理' });
    expect(d.statusCode, d.body).toBe(200);
    expect(d.json()).toMatchObject({ status: 'diverted', version: 2, diversions: [{ status: 'sent', department: { name: '区民政局' } }] });
    expect(d.json().closedAt).not.toBeNull();
    const box = (await t.call(undefined, 'GET', '/api/v1/dev/outbox')).json() as Array<{ phone: string; body: string }>;
    const sms = box.find((m) => m.phone === '0543-3162202');
    expect(sms?.body).toMatch(/^【枫桥】.*物业纠纷.*JQ\d{13}/);
    expect(sms?.body).not.toContain('13800001234');
    const deptUser = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'dept').executeTakeFirstOrThrow();
    const notes = await t.deps.db.selectFrom('notifications').selectAll().where('user_id', '=', deptUser.id).where('kind', '=', 'incident.diverted').execute();
    expect(notes).toHaveLength(1);
    expect(notes[0].link).toBe('/command/diversions');
    expect((await t.call(chief, 'POST', `${url}/divert`, { version: 2, departmentId: minzheng.id, reason: '再次' })).statusCode).toBe(409);

    const inbox = (await t.call(dept, 'GET', '/api/v1/incident-diversions?status=sent')).json();
    expect(inbox.total).toBe(1);
    const item = inbox.items[0];
    expect(item.incident).toMatchObject({ id: i.id, categoryName: '物业纠纷' });
    expect(JSON.stringify(item)).not.toContain('13800001234');
    expect((await t.call(mediator, 'GET', '/api/v1/incident-diversions')).json().total).toBe(0);
    expect((await t.call(mediator, 'POST', `/api/v1/incident-diversions/${item.id}/answer`, { status: 'accepted' })).statusCode).toBe(404);
    expect((await t.call(chief, 'GET', '/api/v1/incident-diversions')).json().total).toBe(0);
    const acc = await t.call(dept, 'POST', `/api/v1/incident-diversions/${item.id}/answer`, { status: 'accepted' });
    expect(acc.statusCode, acc.body).toBe(200);
    expect(acc.json().status).toBe('accepted');
    expect((await t.call(dept, 'POST', `/api/v1/incident-diversions/${item.id}/answer`, { status: 'accepted' })).statusCode).toBe(409);
    const noFeedback = await t.call(dept, 'POST', `/api/v1/incident-diversions/${item.id}/answer`, { status: 'returned' });
    expect(noFeedback.json().errors[0].field).toBe('feedback');
    const ret = await t.call(dept, 'POST', `/api/v1/incident-diversions/${item.id}/answer`, { status: 'returned', feedback: '涉及人身冲突，不属本部门职责' });
    expect(ret.json().status).toBe('returned');
    const back = (await t.call(chief, 'GET', url)).json();
    expect(back).toMatchObject({ status: 'handling', closedAt: null, version: 3 });
    expect(back.diversions[0]).toMatchObject({ status: 'returned', feedback: '涉及人身冲突，不属本部门职责' });
    expect(back.events.map((e: { action: string }) => e.action)).toEqual(['received', 'diverted', 'diversion_accepted', 'diversion_returned']);
    const told = await t.deps.db.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').select(['u.username', 'n.level']).where('n.kind', '=', 'incident.diversion_returned').execute();
    expect(told.map((x) => x.username)).toContain('chief');
    expect((await t.call(dept, 'POST', `/api/v1/incident-diversions/${item.id}/answer`, { status: 'done', feedback: '迟到的反馈' })).statusCode).toBe(409);

    // diverted again, then done: the incident stays cleared
    const again = await t.call(chief, 'POST', `${url}/divert`, { version: 3, departmentId: targets[0].id, reason: '转12345热线' });
    expect(again.json().status).toBe('diverted');
    const hotlineBox = (await t.call(undefined, 'GET', '/api/v1/dev/outbox')).json() as Array<{ phone: string }>;
    expect(hotlineBox.some((m) => m.phone === '12345')).toBe(true);
  });
});
