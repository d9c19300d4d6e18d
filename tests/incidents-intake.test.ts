import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress, neighbourChief, orgUnitId } from './support/registry-fixtures.js';
import { insertIncidents, pointInGrid } from './support/incident-fixtures.js';
import { authRepository } from '../src/server/platform/auth/repository.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';

/** 110 intake by API and by file, incidents from grid reports and help requests, and 警情清零 figures. */
let t: TestApp;
let chief: string;
let officer: string;
let command: string;
let neighbour: string;
let grid1: string;

beforeAll(async () => {
  t = await createTestApp();
  [chief, officer, command] = await Promise.all(['chief', 'officer', 'command'].map((u) => t.login(u)));
  neighbour = await neighbourChief(t);
  grid1 = await orgUnitId(t.deps, '371602005001001');
}, 120_000);
afterAll(() => t.close());

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
let seq = 0;
const record = (o: Record<string, unknown> = {}) => ({
  externalNo: `110T${Date.now()}${++seq}`,
  occurredAt: hourAgo(),
  categoryCode: 'za_fight',
  unitCode: '371602005',
  summary: '报警称有人打架',
  callerName: '赵六',
  callerPhone: '13700001111',
  ...o,
});

describe('110 API intake', () => {
  it('stores each record once, reports per-record errors with the record’s index', async () => {
    const a = await insertAddress(t.deps, { grid: '371602005001002' });
    const code = (await t.deps.db.selectFrom('addresses').select('code').where('id', '=', a.id).executeTakeFirstOrThrow()).code;
    const p = await pointInGrid(t.deps, '371602005002001');
    const records = [record({ addressCode: code }), record({ ...p, reportedAt: new Date().toISOString() }), record({ categoryCode: 'nope' }), record({ callerPhone: '999' })];
    const res = await t.call(command, 'POST', '/api/v1/incidents/intake', { records });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out).toMatchObject({ created: 2, unchanged: 0, errors: 2 });
    expect(out.results[0]).toMatchObject({ externalNo: records[0].externalNo, status: 'created' });
    expect(out.results[2]).toMatchObject({ status: 'error', errors: [{ field: 'records.2.categoryCode' }] });
    expect(out.results[3].errors[0].field).toBe('records.3.callerPhone');
    const rows = await t.deps.db.selectFrom('incidents').select(['source', 'external_no', 'grid_id', 'address_id', 'org_unit_id', 'place']).where('id', 'in', [out.results[0].id, out.results[1].id]).orderBy('code').execute();
    expect(rows[0]).toMatchObject({ source: '110', external_no: records[0].externalNo, grid_id: a.gridId, address_id: a.id, place: a.fullText });
    expect(rows[1].grid_id).toBe(await orgUnitId(t.deps, '371602005002001'));

    const again = (await t.call(command, 'POST', '/api/v1/incidents/intake', { records })).json();
    expect(again).toMatchObject({ created: 0, unchanged: 2, errors: 2 });
    expect(again.results[0]).toMatchObject({ status: 'unchanged', id: out.results[0].id });
  });

  it('concurrent duplicate batches store every record once', async () => {
    const records = Array.from({ length: 5 }, () => record());
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => t.call(chief, 'POST', '/api/v1/incidents/intake', { records })));
    const outs = [a, b, c].map((r) => r.json());
    expect(outs.reduce((s, o) => s + o.created, 0)).toBe(5);
    expect(outs.reduce((s, o) => s + o.unchanged, 0)).toBe(10);
    const n = await t.deps.db.selectFrom('incidents').select('id').where('external_no', 'in', records.map((r) => r.externalNo)).execute();
    expect(n).toHaveLength(5);
    // a repeat inside one batch is the same record
    const twin = record();
    const dup = (await t.call(chief, 'POST', '/api/v1/incidents/intake', { records: [twin, twin] })).json();
    expect(dup.results.map((r: { status: string }) => r.status)).toEqual(['created', 'unchanged']);
  });

  it('refuses units and records outside the jurisdiction, big batches and callers without incident.import', async () => {
    const mine = record();
    await t.call(chief, 'POST', '/api/v1/incidents/intake', { records: [mine] });
    const res = (await t.call(neighbour, 'POST', '/api/v1/incidents/intake', { records: [record(), { ...mine, unitCode: '371602001' }] })).json();
    expect(res.results[0].errors[0]).toMatchObject({ field: 'records.0.unitCode' });
    expect(res.results[1]).toMatchObject({ status: 'error', errors: [{ field: 'records.1.externalNo' }] });
    expect(res.results[1].id).toBeUndefined();
    const big = await t.call(chief, 'POST', '/api/v1/incidents/intake', { records: Array.from({ length: 501 }, () => record()) });
    expect(big.statusCode).toBe(400);
    expect((await t.call(officer, 'POST', '/api/v1/incidents/intake', { records: [record()] })).statusCode).toBe(403);
  });
});

async function waitFor(id: string, token: string, status: string) {
  for (let i = 0; i < 400; i++) {
    const j = (await t.call(token, 'GET', `/api/v1/imports/${id}`)).json();
    if (j.status === status) return j;
    if (['failed', 'cancelled'].includes(j.status)) throw new Error(`import ${j.status}: ${j.error}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`import did not reach ${status}`);
}

describe('110 import by file', () => {
  it('dry run, commit, and a re-import leaves everything unchanged', async () => {
    const tpl = await t.call(chief, 'GET', '/api/v1/imports/templates/incidents?format=csv');
    expect(tpl.statusCode).toBe(200);
    expect(tpl.body).toContain('接警单号*');
    const now = new Date(Date.now() - 2 * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const p = await pointInGrid(t.deps, '371602005001001');
    const csv = [
      '接警单号,报警时间,发生时间,警情类别,管辖单位代码,发案地点,标准地址编码,经度,纬度,简要警情,报警人,报警电话',
      `CSV110-1,${now},${now},za_fight,371602005,黄河十二路,,${p.lng},${p.lat},饭店门口打架,孙七,13600002222`,
      `CSV110-2,,${now},盗窃,371602005,学苑小区,,,,电动车被盗,,`,
      `CSV110-3,,昨天,za_fight,371602005,,,,,时间写错的行,,`,
    ].join('\r\n');
    const up = await t.call(chief, 'POST', '/api/v1/imports?kind=incidents&fileName=110.csv', csv, { 'content-type': 'text/csv' });
    expect(up.statusCode, up.body).toBe(201);
    const job = up.json();
    expect(job.kindName).toBe('110警情');
    expect(Object.keys(job.mapping)).toEqual(expect.arrayContaining(['externalNo', 'occurredAt', 'category', 'unitCode', 'summary', 'lat', 'lng']));
    expect((await t.call(chief, 'POST', `/api/v1/imports/${job.id}/validate`, {})).statusCode).toBe(202);
    const validated = await waitFor(job.id, chief, 'validated');
    expect(validated.dryRun).toMatchObject({ rows: 3, valid: 2, invalid: 1, create: 2 });
    const issues = (await t.call(chief, 'GET', `/api/v1/imports/${job.id}/issues`)).json();
    expect(issues.items[0]).toMatchObject({ row: 4, field: 'occurredAt' });
    expect((await t.call(chief, 'POST', `/api/v1/imports/${job.id}/commit`, { skipInvalid: true })).statusCode).toBe(202);
    const done = await waitFor(job.id, chief, 'committed');
    expect(done.committed).toMatchObject({ create: 2 });
    const rows = await t.deps.db.selectFrom('incidents').select(['external_no', 'source', 'grid_id', 'caller_phone']).where('external_no', 'in', ['CSV110-1', 'CSV110-2']).orderBy('external_no').execute();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ source: '110', grid_id: grid1, caller_phone: '13600002222' });
    const events = await t.deps.db.selectFrom('incident_events').select('data').where('action', '=', 'received').execute();
    expect(events.some((e) => (e.data as { importJobId?: string } | null)?.importJobId === job.id)).toBe(true);

    const up2 = (await t.call(chief, 'POST', '/api/v1/imports?kind=incidents&fileName=110-again.csv', csv, { 'content-type': 'text/csv' })).json();
    await t.call(chief, 'POST', `/api/v1/imports/${up2.id}/validate`, {});
    const v2 = await waitFor(up2.id, chief, 'validated');
    expect(v2.dryRun).toMatchObject({ unchanged: 2, create: 0, invalid: 1 });
  });

  it('the command centre imports 110 files but no registry data; an officer cannot import incidents', async () => {
    const csv = '接警单号,发生时间,警情类别,管辖单位代码,简要警情\r\nCMD110-1,2026-01-02 10:00,za_fight,371602004,指挥中心导入\r\n';
    const up = await t.call(command, 'POST', '/api/v1/imports?kind=incidents&fileName=cmd.csv', csv, { 'content-type': 'text/csv' });
    expect(up.statusCode, up.body).toBe(201);
    await t.call(command, 'POST', `/api/v1/imports/${up.json().id}/validate`, {});
    expect((await waitFor(up.json().id, command, 'validated')).dryRun).toMatchObject({ create: 1 });
    // the command role holds incident.import, not registry.import: the centre opens, the registry kinds do not
    const persons = await t.call(command, 'POST', '/api/v1/imports?kind=persons&fileName=p.csv', '姓名\r\n张三\r\n', { 'content-type': 'text/csv' });
    expect(persons.statusCode).toBe(403);
    expect(persons.json().detail).toContain('registry.import');
    const officerUp = await t.call(officer, 'POST', '/api/v1/imports?kind=incidents&fileName=o.csv', csv, { 'content-type': 'text/csv' });
    expect(officerUp.statusCode).toBe(403);
    expect(officerUp.json().detail).toContain('incident.import');
    // each sees the jobs of the kinds they may import, even inside their jurisdiction
    const addresses = await t.call(officer, 'POST', '/api/v1/imports?kind=addresses&fileName=a.csv', '网格编码,街路巷,门牌号\r\n371602005001001,导入测试路,1号\r\n', { 'content-type': 'text/csv' });
    expect(addresses.statusCode, addresses.body).toBe(201);
    const commandJobs = (await t.call(command, 'GET', '/api/v1/imports?pageSize=200')).json();
    expect(commandJobs.items.map((j: { id: string }) => j.id)).toContain(up.json().id);
    expect(commandJobs.items.every((j: { kind: string }) => j.kind === 'incidents')).toBe(true);
    expect((await t.call(command, 'GET', `/api/v1/imports/${addresses.json().id}`)).statusCode).toBe(404);
    const officerJobs = (await t.call(officer, 'GET', '/api/v1/imports?pageSize=200')).json();
    expect(officerJobs.items.map((j: { id: string }) => j.id)).toContain(addresses.json().id);
    expect(officerJobs.items.some((j: { kind: string }) => j.kind === 'incidents')).toBe(false);
    // holding neither permission: the centre itself is closed, and the message names both
    const mediator = await t.login('mediator');
    const closed = await t.call(mediator, 'GET', '/api/v1/imports');
    expect(closed.statusCode).toBe(403);
    expect(closed.json().detail).toBe('您没有「registry.import」或「incident.import」权限');
  });
});

describe('incidents from grid reports and help requests', () => {
  it('makes one incident per source; asking again returns it; outside the jurisdiction is 404', async () => {
    const worker = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'gridworker').executeTakeFirstOrThrow();
    const type = await t.deps.db.selectFrom('field_item_types').select(['code', 'version']).where('code', '=', 'dispute').executeTakeFirstOrThrow();
    const itemId = uuidv7();
    await t.deps.db
      .insertInto('field_items')
      .values({ id: itemId, client_id: uuidv7(), worker_id: worker.id, type_code: type.code, type_version: type.version, category_code: 'dispute', org_unit_id: grid1, county_code: '371602', data: JSON.stringify({ description: '两户因楼道堆物争吵' }), occurred_at: new Date(Date.now() - 7_200_000) })
      .execute();
    const first = await t.call(officer, 'POST', '/api/v1/incidents/from-source', { kind: 'field_item', id: itemId });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ source: 'grid', sourceRef: itemId, category: { code: 'jf_neighbour' }, grid: { id: grid1 }, callerPhone: '139****0006' });
    expect(first.json().summary).toContain('两户因楼道堆物争吵');
    const second = await t.call(chief, 'POST', '/api/v1/incidents/from-source', { kind: 'field_item', id: itemId });
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
    expect((await t.call(neighbour, 'POST', '/api/v1/incidents/from-source', { kind: 'field_item', id: itemId })).statusCode).toBe(404);

    const residentId = await authRepository.upsertResident(t.deps.db, '13600009999');
    const a = await insertAddress(t.deps, { grid: '371602005001001' });
    const subId = uuidv7();
    await t.deps.db
      .insertInto('portal_submissions')
      .values({ id: subId, tracking_no: `QZT${Date.now()}`, kind: 'help', resident_id: residentId, address_id: a.id, grid_id: grid1, status: 'submitted', payload: JSON.stringify({ category: 'help', description: '家中老人走失，请求帮助寻找' }), summary: '求助：家中老人走失' })
      .execute();
    const both = await Promise.all([1, 2].map(() => t.call(chief, 'POST', '/api/v1/incidents/from-source', { kind: 'portal_submission', id: subId })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(both[0].json().id).toBe(both[1].json().id);
    expect(both[0].json()).toMatchObject({ source: 'resident', address: { id: a.id }, callerPhone: '136****9999', category: { code: 'qz_emergency' } });
    const n = await t.deps.db.selectFrom('incidents').select('id').where('source_ref', '=', subId).execute();
    expect(n).toHaveLength(1);
    const missing = await t.call(chief, 'POST', '/api/v1/incidents/from-source', { kind: 'portal_submission', id: uuidv7() });
    expect(missing.statusCode).toBe(404);
  });
});

describe('警情清零', () => {
  it('computes open at start, new, closed, diverted, open at end and the rate per unit and day', async () => {
    const today = todayCst();
    const D = addDays(today, -10);
    const at = (day: string, hm: string) => `${day}T${hm}:00+08:00`;
    const g1 = '371602004001001';
    const g2 = '371602004002001';
    const pt = await pointInGrid(t.deps, g1);
    const pt2 = await pointInGrid(t.deps, g2);
    const ago = (h: number) => new Date(Date.now() - h * 3_600_000);
    const ids = await insertIncidents(t.deps, [
      { at: at(addDays(D, -2), '10:00'), grid: g1, ...pt, status: 'closed', closedAt: at(D, '12:00') }, // A: open at start, closed on D
      { at: at(addDays(D, -1), '09:00'), grid: g1, ...pt, status: 'handling' }, // B: open throughout
      { at: at(D, '08:00'), grid: g1, ...pt, status: 'closed', closedAt: at(D, '20:00') }, // C
      { at: at(D, '09:00'), grid: g1, ...pt, status: 'diverted', closedAt: at(addDays(D, 1), '10:00') }, // D1
      { at: at(addDays(D, 1), '11:00'), grid: g1, ...pt, status: 'received' }, // E
      { at: at(addDays(D, 2), '15:00'), grid: g1, ...pt, status: 'closed', closedAt: at(addDays(D, 3), '09:00') }, // F
      { at: at(addDays(D, -5), '10:00'), grid: g1, ...pt, status: 'closed', closedAt: at(addDays(D, -3), '10:00') }, // G
      { at: at(D, '10:00'), grid: g2, ...pt2, status: 'closed', closedAt: at(addDays(D, 2), '10:00') }, // H
      { at: ago(2), grid: g2, ...pt2, status: 'received' }, // I
      { at: ago(50), grid: g2, ...pt2, status: 'handling' }, // J
      { at: ago(100), grid: g2, ...pt2, status: 'received' }, // K
    ]);
    const station4 = await orgUnitId(t.deps, '371602004');
    const res = await t.call(command, 'GET', `/api/v1/incidents/clearance?unitId=${station4}&from=${D}&to=${addDays(D, 2)}`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.days).toEqual([
      { day: D, openAtStart: 2, new: 3, closed: 2, diverted: 0, openAtEnd: 3, rate: 0.4 },
      { day: addDays(D, 1), openAtStart: 3, new: 1, closed: 0, diverted: 1, openAtEnd: 3, rate: 0.25 },
      { day: addDays(D, 2), openAtStart: 3, new: 1, closed: 1, diverted: 0, openAtEnd: 3, rate: 0.25 },
    ]);
    expect(c.totals).toEqual({ openAtStart: 2, new: 5, closed: 3, diverted: 1, openAtEnd: 3, rate: 0.571 });
    const u1 = c.units.find((u: { unit: { code: string } }) => u.unit.code === '371602004001');
    const u2 = c.units.find((u: { unit: { code: string } }) => u.unit.code === '371602004002');
    expect(u1.totals).toEqual({ openAtStart: 2, new: 4, closed: 2, diverted: 1, openAtEnd: 3, rate: 0.5 });
    expect(u2.totals).toEqual({ openAtStart: 0, new: 1, closed: 1, diverted: 0, openAtEnd: 0, rate: 1 });
    expect(c.units.find((u: { unit: { code: string } }) => u.unit.code === '371602004003').totals.rate).toBeNull();
    expect(c.ageing).toEqual({ lt24h: 1, d1to3: 1, d3to7: 1, gt7d: 2 });
    expect(c.headline.openNow).toBe(5);
    expect(c.oldest.map((i: { id: string }) => i.id)).toEqual([ids[1], ids[4], ids[10], ids[9], ids[8]]);
    expect(c.oldest[0].ageHours).toBeGreaterThan(24 * 10);

    // a station sees only its own; another station's unit is 404; too long a range is 400
    const mine = (await t.call(chief, 'GET', `/api/v1/incidents/clearance?from=${D}&to=${addDays(D, 2)}`)).json();
    expect(mine.unit.code).toBe('371602005');
    expect(mine.totals.new).toBe(0);
    expect((await t.call(chief, 'GET', `/api/v1/incidents/clearance?unitId=${station4}`)).statusCode).toBe(404);
    const long = await t.call(command, 'GET', `/api/v1/incidents/clearance?from=${addDays(today, -200)}&to=${today}`);
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].field).toBe('from');
  });
});
