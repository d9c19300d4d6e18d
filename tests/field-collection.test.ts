import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress, makeIdNumber, orgUnitId } from './support/registry-fixtures.js';
import { addForeignBranch } from './support/foreign.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createPerson } from '../src/server/modules/population/service.js';
import { putHousing } from '../src/server/modules/population/housing.js';
import { createUnit as createOrgUnit } from '../src/server/modules/org/service.js';
import { addressesRepository } from '../src/server/modules/addresses/repository.js';
import { newPlateToken } from '../src/server/modules/addresses/plates.js';
import { createUser } from '../src/server/modules/users/service.js';

/** Collection in the field: photos, sync of items, replays, the pack and address records (docs/api-field.md). */
let t: TestApp;
let worker: string;
let workerId: string;
let officer: string;
let grid: string;
let home: { id: string; fullText: string };
let plate: string;
let foreignAddress: string;
let personId: string;
const sys = () => systemContext(Object.keys(PERMISSIONS));
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF field photo test')]);
const now = () => new Date().toISOString();
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

const upload = (token: string, id: string, body: Buffer | string, type = 'image/jpeg') =>
  t.app.inject({ method: 'PUT', url: `/api/v1/field/attachments/${id}`, headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body });
const syncOps = (token: string, ops: unknown[]) => t.call(token, 'POST', '/api/v1/field/sync', { ops });
const verifyOp = (o: Record<string, unknown> = {}) => ({
  op: 'item',
  clientId: randomUUID(),
  typeCode: 'address_verify',
  addressId: home.id,
  data: { addressStatus: '与登记一致', plateStatus: '完好', residentsMatch: '与登记一致', peopleSeen: 2 },
  occurredAt: now(),
  ...o,
});

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.login('gridworker');
  workerId = (await t.call(worker, 'GET', '/api/v1/auth/me')).json().id;
  officer = await t.login('officer');
  grid = await orgUnitId(t.deps, '371602005001001');
  home = await insertAddress(t.deps, { grid });
  plate = newPlateToken();
  await addressesRepository.insertPlate(t.deps.db, { id: uuidv7(), address_id: home.id, kind: 'room', token: plate, issued_by: null });
  const p = await createPerson(t.deps, sys(), { idNumber: makeIdNumber(3001), name: '采集测试户主', phone: '13812345678', residence: { addressId: home.id, relation: 'householder', fromDate: '2015-03-01' } });
  personId = p.person.id;
  await putHousing(t.deps, sys(), home.id, { use: 'self', ownerPersonId: personId, ownerName: '采集测试户主', ownerPhone: '13812345678' });
  const foreign = await addForeignBranch(t.deps);
  const fcommunity = await createOrgUnit(t.deps, sys(), { parentId: foreign.stationId, kind: 'community', code: '371603001009', name: '沾化测试社区' });
  const fgrid = await createOrgUnit(t.deps, sys(), { parentId: fcommunity.id, kind: 'grid', code: '371603001009001', name: '沾化测试网格' });
  foreignAddress = (await insertAddress(t.deps, { grid: fgrid.id, countyCode: '371603', fullText: '山东省滨州市沾化区富国街道测试路1号' })).id;
});
afterAll(() => t.close());

describe('photos', () => {
  it('stores a JPEG under the phone id: 201, 200 on a retry by the same worker, 409 for another worker', async () => {
    const id = randomUUID();
    const first = await upload(worker, id, JPEG);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ id, contentType: 'image/jpeg', bytes: JPEG.length });
    expect((await upload(worker, id, JPEG)).statusCode).toBe(200);
    const assistant = await t.login('assistant');
    const stolen = await upload(assistant, id, JPEG);
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json().detail).toMatch(/[\u4e00-\u9fa5]/);
    const rows = await t.deps.db.selectFrom('field_attachments').select(['worker_id']).where('id', '=', id).execute();
    expect(rows).toEqual([{ worker_id: workerId }]);
  });

  it('refuses what is not an image (415), too large (413), other roles (403) and anonymous callers (401)', async () => {
    const bad = await upload(worker, randomUUID(), Buffer.from('not an image at all'), 'image/jpeg');
    expect(bad.statusCode).toBe(415);
    expect(bad.json().errors[0].field).toBe('file');
    expect((await upload(worker, randomUUID(), 'plain text', 'text/plain')).statusCode).toBe(415);
    const big = Buffer.concat([JPEG, Buffer.alloc(4 * 1024 * 1024 + 1)]);
    const tooBig = await upload(worker, randomUUID(), big);
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.headers['content-type']).toContain('application/problem+json');
    expect((await upload(officer, randomUUID(), JPEG)).statusCode).toBe(403);
    const anon = await t.app.inject({ method: 'PUT', url: `/api/v1/field/attachments/${randomUUID()}`, headers: { 'content-type': 'image/jpeg' }, payload: JPEG });
    expect(anon.statusCode).toBe(401);
    expect((await upload(worker, 'not-a-uuid', JPEG)).statusCode).toBe(400);
  });

  it('shows a photo to its worker and to field.read staff in scope of an item using it (audited), to nobody else', async () => {
    const id = randomUUID();
    await upload(worker, id, JPEG);
    // not yet used by an item: only the worker
    expect((await t.call(officer, 'GET', `/api/v1/field/attachments/${id}`)).statusCode).toBe(404);
    const mine = await t.call(worker, 'GET', `/api/v1/field/attachments/${id}`);
    expect(mine.statusCode).toBe(200);
    expect(mine.headers['content-type']).toBe('image/jpeg');
    const op = { ...verifyOp(), typeCode: 'fire_hazard', data: { kinds: ['消防通道堵塞'], level: '一般隐患', rectify: '已告知限期整改' }, photoIds: [id] };
    expect((await syncOps(worker, [op])).json().results[0].status).toBe('created');
    const seen = await t.call(officer, 'GET', `/api/v1/field/attachments/${id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.rawPayload.equals(JPEG)).toBe(true);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'subject_ids']).where('action', '=', 'field.attachment.read').execute();
    expect(audit.some((a) => a.subject_ids.includes(id))).toBe(true);
    const ftok = await t.login('zhanhua', 'Foreign123');
    expect((await t.call(ftok, 'GET', `/api/v1/field/attachments/${id}`)).statusCode).toBe(404);
    // a department that handles no dispatch of the item sees nothing
    expect((await t.call(await t.login('dept'), 'GET', `/api/v1/field/attachments/${id}`)).statusCode).toBe(404);
  });
});

describe('sync of items', () => {
  it('creates an item, marks the address verified and audits it', async () => {
    const op = verifyOp({ lng: 117.95, lat: 37.36, accuracyM: 8, note: '  现场核对无误  ' });
    const res = await syncOps(worker, [op]);
    expect(res.statusCode).toBe(200);
    const [r] = res.json().results;
    expect(r).toMatchObject({ clientId: op.clientId, status: 'created', kind: 'item', itemStatus: expect.any(String), dispatches: expect.any(Number), tasksDone: expect.any(Array) });
    const row = await t.deps.db.selectFrom('field_items').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ worker_id: workerId, type_code: 'address_verify', category_code: 'info', org_unit_id: grid, county_code: '371602', address_id: home.id, note: '现场核对无误', type_version: 1 });
    expect(row.data).toEqual({ addressStatus: '与登记一致', plateStatus: '完好', residentsMatch: '与登记一致', peopleSeen: 2 });
    const check = await t.deps.db.selectFrom('field_address_checks').selectAll().where('address_id', '=', home.id).executeTakeFirstOrThrow();
    expect(check).toMatchObject({ last_checked_by: workerId, last_item_id: r.id });
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'subject_ids', 'actor_id']).where('action', '=', 'field.item.create').execute();
    expect(audit.some((a) => a.subject_ids.includes(r.id) && a.actor_id === workerId)).toBe(true);

    // an older verification synced later does not move the last check back, but counts
    const older = await syncOps(worker, [verifyOp({ occurredAt: ago(3) })]);
    expect(older.json().results[0].status).toBe('created');
    const after = await t.deps.db.selectFrom('field_address_checks').selectAll().where('address_id', '=', home.id).executeTakeFirstOrThrow();
    expect(after.last_item_id).toBe(r.id);
    expect(after.check_count).toBe(check.check_count + 1);
  });

  it('replays return the stored result, whatever the body; a concurrent double send makes one row', async () => {
    const op = verifyOp();
    const first = (await syncOps(worker, [op])).json().results[0];
    const again = (await syncOps(worker, [{ ...op, data: { nonsense: true }, typeCode: 'no_such_type' }])).json().results[0];
    expect(again).toMatchObject({ clientId: op.clientId, status: 'replayed', id: first.id, kind: 'item' });

    const twin = verifyOp();
    const both = await Promise.all([syncOps(worker, [twin]), syncOps(worker, [twin]), syncOps(worker, [twin])]);
    const results = both.map((r) => r.json().results[0]);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'replayed')).toHaveLength(2);
    const rows = await t.deps.db.selectFrom('field_items').select('id').where('client_id', '=', twin.clientId).execute();
    expect(rows).toHaveLength(1);
    // the same op twice in one request
    const dup = verifyOp();
    const inOne = (await syncOps(worker, [dup, dup])).json().results;
    expect(inOne.map((r: { status: string }) => r.status)).toEqual(['created', 'replayed']);
  });

  it('rejects each bad op with fields relative to the op, and never fails the others', async () => {
    const missingPhoto = randomUUID();
    const othersPhoto = randomUUID();
    await upload(await t.login('assistant'), othersPhoto, JPEG);
    const ops = [
      verifyOp({ data: { addressStatus: '不知道', plateStatus: '完好', peopleSeen: 99, extra: 1 } }),
      verifyOp({ addressId: foreignAddress }),
      verifyOp({ addressId: undefined }),
      verifyOp({ typeCode: 'plate_damage', data: { plateKind: '门牌', problem: '缺失' }, photoIds: [missingPhoto, othersPhoto] }),
      verifyOp({ typeCode: 'plate_damage', data: { plateKind: '门牌', problem: '缺失' } }),
      verifyOp({ occurredAt: new Date(Date.now() + 3_600_000).toISOString() }),
      verifyOp({ occurredAt: ago(31) }),
      verifyOp({ occurredAt: 'yesterday' }),
      verifyOp({ typeCode: 'patrol_checkin', addressId: undefined, data: { situation: '正常' } }),
      { op: 'item', clientId: 'nope', typeCode: 'address_verify', data: {}, occurredAt: now(), color: 'red' },
      { op: 'teleport', clientId: randomUUID() },
      'not an object',
      verifyOp(),
    ];
    const res = await syncOps(worker, ops);
    expect(res.statusCode).toBe(200);
    const r = res.json().results;
    expect(r).toHaveLength(ops.length);
    const fields = (i: number) => r[i].errors.map((e: { field: string }) => e.field);
    expect(r[0].status).toBe('rejected');
    expect(fields(0)).toEqual(expect.arrayContaining(['data.extra', 'data.addressStatus', 'data.residentsMatch', 'data.peopleSeen']));
    expect(r[0].errors.find((e: { field: string }) => e.field === 'data.residentsMatch').message).toBe('请填写“实有人口”');
    expect(fields(1)).toEqual(['addressId']);
    expect(fields(2)).toEqual(['addressId']);
    expect(fields(3)).toEqual(['photoIds.0', 'photoIds.1']);
    expect(fields(4)).toEqual(['photoIds']);
    expect(fields(5)).toEqual(['occurredAt']);
    expect(fields(6)).toEqual(['occurredAt']);
    expect(fields(7)).toEqual(['occurredAt']);
    expect(fields(8)).toEqual(['lng']);
    expect(fields(9)).toEqual(expect.arrayContaining(['clientId', 'color']));
    expect(r[9].clientId).toBeNull();
    expect(fields(10)).toEqual(['op']);
    expect(r[11].status).toBe('rejected');
    expect(r[12].status).toBe('created');
    for (const x of r.slice(0, 12)) for (const e of x.errors) expect(e.message).toMatch(/[\u4e00-\u9fa5]|UUID/);
    // nothing of the rejected ops was stored
    const stored = await t.deps.db.selectFrom('field_items').select('client_id').where('client_id', 'in', ops.slice(0, 9).map((o) => (o as { clientId: string }).clientId)).execute();
    expect(stored).toEqual([]);
  });

  it('refuses the wrong roles (403), empty and oversized batches (400)', async () => {
    expect((await syncOps(officer, [verifyOp()])).statusCode).toBe(403);
    expect((await syncOps(await t.login('admin'), [verifyOp()])).statusCode).toBe(403);
    expect((await syncOps(worker, [])).statusCode).toBe(400);
    const many = await syncOps(worker, Array.from({ length: 101 }, () => verifyOp()));
    expect(many.statusCode).toBe(400);
    expect(many.json().errors[0].field).toBe('ops');
  });

  it('validates identity numbers inside forms with the GB 11643 rules', async () => {
    const admin = await t.login('admin');
    const created = await t.call(admin, 'POST', '/api/v1/field/item-types', {
      code: 'id_probe',
      categoryCode: 'info',
      name: '证件核验测试',
      formSchema: { fields: [{ key: 'idNo', label: '身份号码', type: 'idnumber', required: true }] },
    });
    expect(created.statusCode).toBe(201);
    const good = makeIdNumber(4242);
    const bad = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    const r = (await syncOps(worker, [verifyOp({ typeCode: 'id_probe', addressId: undefined, data: { idNo: bad } }), verifyOp({ typeCode: 'id_probe', addressId: undefined, data: { idNo: good } })])).json().results;
    expect(r[0].errors[0]).toMatchObject({ field: 'data.idNo' });
    expect(r[0].errors[0].message).toMatch(/校验/);
    expect(r[1].status).toBe('created');
    // an item without an address belongs to the worker's own unit
    const row = await t.deps.db.selectFrom('field_items').select(['org_unit_id', 'address_id']).where('id', '=', r[1].id).executeTakeFirstOrThrow();
    expect(row).toEqual({ org_unit_id: grid, address_id: null });
  });

  it('keeps the labels of the form an item was collected with after the type changes', async () => {
    const admin = await t.login('admin');
    const type = (await t.call(admin, 'POST', '/api/v1/field/item-types', {
      code: 'label_probe',
      categoryCode: 'patrol',
      name: '标签测试',
      formSchema: { fields: [{ key: 'old', label: '旧的问题', type: 'text', required: true }] },
    })).json();
    const [r] = (await syncOps(worker, [verifyOp({ typeCode: 'label_probe', addressId: undefined, data: { old: '旧回答' } })])).json().results;
    const edited = await t.call(admin, 'PUT', `/api/v1/field/item-types/${type.id}`, {
      categoryCode: 'patrol',
      name: '标签测试',
      formSchema: { fields: [{ key: 'fresh', label: '新的问题', type: 'text' }] },
      version: 1,
    });
    expect(edited.statusCode).toBe(200);
    const detail = (await t.call(officer, 'GET', `/api/v1/field/items/${r.id}`)).json();
    expect(detail.typeVersion).toBe(1);
    expect(detail.currentTypeVersion).toBe(2);
    expect(detail.fields).toEqual([{ key: 'old', label: '旧的问题', type: 'text', value: '旧回答', display: '旧回答' }]);
    // the new form applies to new items
    const next = (await syncOps(worker, [verifyOp({ typeCode: 'label_probe', addressId: undefined, data: { old: 'x' } })])).json().results[0];
    expect(next.errors[0].field).toBe('data.old');
  });
});

describe('the worker and the console read items', () => {
  it('lists my items newest first with their dispatches; the console lists, filters, reads (audited) and returns them', async () => {
    const [r] = (await syncOps(worker, [{ ...verifyOp(), typeCode: 'home_visit', data: { met: '见到本人', people: 3, topics: ['反诈宣传'] } }])).json().results;
    const mine = await t.call(worker, 'GET', '/api/v1/field/me/items?pageSize=5');
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items[0]).toMatchObject({ id: r.id, typeName: '入户走访', dispatches: expect.any(Array), returnReason: null });
    expect(mine.json().total).toBeGreaterThan(3);

    const list = await t.call(officer, 'GET', `/api/v1/field/items?type=home_visit&q=${encodeURIComponent('香园小区')}`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({ id: r.id, typeName: '入户走访', categoryName: '社区服务', worker: { id: workerId }, address: { id: home.id } });
    expect(list.json().items[0].summary).toContain('见面情况：见到本人');
    const byWorker = await t.call(officer, 'GET', `/api/v1/field/items?workerId=${workerId}&category=service&from=2020-01-01&to=2099-12-31`);
    expect(byWorker.json().items.map((i: { id: string }) => i.id)).toContain(r.id);
    const none = await t.call(officer, 'GET', '/api/v1/field/items?from=2001-01-01&to=2001-01-02');
    expect(none.json().total).toBe(0);
    expect((await t.call(officer, 'GET', '/api/v1/field/items?from=2026-02-01&to=2026-01-01')).statusCode).toBe(400);

    const detail = await t.call(officer, 'GET', `/api/v1/field/items/${r.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json().fields.map((f: { label: string }) => f.label)).toEqual(['见面情况', '在家人数', '走访内容']);
    expect(detail.json().fields[2].display).toBe('反诈宣传');
    const read = await t.deps.db.selectFrom('audit_log').select('subject_ids').where('action', '=', 'field.item.read').execute();
    expect(read.some((a) => a.subject_ids.includes(r.id))).toBe(true);

    // 退回: reason required; the worker sees it; twice is a 409; a gridworker may not
    expect((await t.call(worker, 'POST', `/api/v1/field/items/${r.id}/return`, { reason: '照片不清楚' })).statusCode).toBe(403);
    expect((await t.call(officer, 'POST', `/api/v1/field/items/${r.id}/return`, { reason: ' ' })).statusCode).toBe(400);
    const ret = await t.call(officer, 'POST', `/api/v1/field/items/${r.id}/return`, { reason: '走访内容不完整，请补充' });
    expect(ret.statusCode).toBe(200);
    expect(ret.json()).toMatchObject({ status: 'returned', returnReason: '走访内容不完整，请补充', returnedByName: '张明' });
    expect((await t.call(officer, 'POST', `/api/v1/field/items/${r.id}/return`, { reason: '再退一次' })).statusCode).toBe(409);
    const returned = (await t.call(worker, 'GET', '/api/v1/field/me/items?status=returned')).json();
    expect(returned.items[0]).toMatchObject({ id: r.id, returnReason: '走访内容不完整，请补充' });
    // the correction names the returned item
    const fix = (await syncOps(worker, [{ ...verifyOp(), typeCode: 'home_visit', correctionOf: r.id, data: { met: '见到本人', topics: ['反诈宣传', '安全提示'] } }])).json().results[0];
    expect(fix.status).toBe('created');
    expect((await syncOps(worker, [{ ...verifyOp(), correctionOf: randomUUID() }])).json().results[0].errors[0].field).toBe('correctionOf');
  });

  it('hides items outside the jurisdiction (404) and from roles without field.read (403)', async () => {
    const [r] = (await syncOps(worker, [verifyOp()])).json().results;
    const ftok = await t.login('zhanhua', 'Foreign123');
    expect((await t.call(ftok, 'GET', `/api/v1/field/items/${r.id}`)).statusCode).toBe(403);
    const sys2 = sys();
    const other = await createUser(t.deps, sys2, {
      username: 'szofficer',
      displayName: '市中民警',
      password: 'Shizhong123',
      orgUnitId: await orgUnitId(t.deps, '371602001'),
      roles: ['officer'],
      mustChangePassword: false,
    });
    expect(other.id).toBeTruthy();
    const neighbour = await t.login('szofficer', 'Shizhong123');
    expect((await t.call(neighbour, 'GET', `/api/v1/field/items/${r.id}`)).statusCode).toBe(404);
    expect((await t.call(neighbour, 'GET', '/api/v1/field/items')).json().total).toBe(0);
    expect((await t.call(neighbour, 'POST', `/api/v1/field/items/${r.id}/return`, { reason: '越权退回' })).statusCode).toBe(404);
    expect((await t.call(worker, 'GET', '/api/v1/field/items')).statusCode).toBe(403);
  });
});

describe('the pack and address records', () => {
  it('gives the worker the grid with masked people, housing, units and plates; audited with counts', async () => {
    const res = await t.call(worker, 'GET', '/api/v1/field/pack');
    expect(res.statusCode).toBe(200);
    const pack = res.json();
    expect(pack.grids).toEqual([{ id: grid, code: '371602005001001', name: expect.any(String) }]);
    expect(pack.itemTypes.length).toBeGreaterThan(50);
    expect(pack.itemTypes.every((x: { status: string }) => x.status === 'active')).toBe(true);
    const a = pack.addresses.find((x: { id: string }) => x.id === home.id);
    expect(a).toMatchObject({ fullText: home.fullText, gridId: grid, plateTokens: [plate], level: 'room' });
    const rec = pack.records[home.id];
    expect(rec.housing).toMatchObject({ use: 'self', ownerName: '采集测试户主', ownerPhoneMasked: '138****5678' });
    expect(rec.residents[0]).toMatchObject({ personId, name: '采集测试户主', relation: 'householder', phoneMasked: '138****5678', idMasked: expect.stringMatching(/^371602\*{8}\d{3}[\dX]$/) });
    expect(rec.residents[0].version).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(rec.checkedAt).not.toBeNull();
    expect(res.body).not.toContain(makeIdNumber(3001));
    expect(res.body).not.toContain('13812345678');
    expect(res.body).not.toContain('沾化');
    const audit = await t.deps.db.selectFrom('audit_log').select(['detail', 'actor_id']).where('action', '=', 'field.pack').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(workerId);
    expect(audit.detail).toMatchObject({ grids: 1, residents: expect.any(Number), addresses: pack.addresses.length });
    expect((await t.call(worker, 'GET', `/api/v1/field/pack?gridId=${await orgUnitId(t.deps, '371602005001')}`)).statusCode).toBe(404);
    expect((await t.call(officer, 'GET', '/api/v1/field/pack')).statusCode).toBe(403);
  });

  it('reads the record of a scanned plate or an address in scope (masked, audited), 404 otherwise', async () => {
    const res = await t.call(worker, 'GET', `/api/v1/field/plates/${plate}/record`);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.address).toMatchObject({ id: home.id, gridId: grid, status: 'active' });
    expect(r.checks).toMatchObject({ count: expect.any(Number), lastCheckedByName: '王秀英' });
    expect(r.residents[0]).toMatchObject({ personId, phoneMasked: '138****5678' });
    expect(r).toMatchObject({ openTasks: expect.any(Array), pendingChanges: expect.any(Number), children: [] });
    expect(res.body).not.toContain('13812345678');
    const audit = await t.deps.db.selectFrom('audit_log').select(['subject_ids', 'detail']).where('action', '=', 'field.record.read').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.subject_ids).toContain(personId);
    expect((await t.call(worker, 'GET', `/api/v1/field/addresses/${home.id}/record`)).statusCode).toBe(200);
    expect((await t.call(worker, 'GET', `/api/v1/field/addresses/${foreignAddress}/record`)).statusCode).toBe(404);
    expect((await t.call(worker, 'GET', '/api/v1/field/plates/no-such-token/record')).statusCode).toBe(404);
    await t.deps.db.updateTable('plates').set({ status: 'revoked' }).where('token', '=', plate).execute();
    expect((await t.call(worker, 'GET', `/api/v1/field/plates/${plate}/record`)).statusCode).toBe(404);
    await t.deps.db.updateTable('plates').set({ status: 'active' }).where('token', '=', plate).execute();
  });

  it('asks for a grid above 5,000 addresses (400 naming gridId)', async () => {
    const community = await orgUnitId(t.deps, '371602005001');
    const big = await createOrgUnit(t.deps, sys(), { parentId: community, kind: 'grid', code: '371602005001099', name: '大网格' });
    await sql`INSERT INTO addresses (id, parent_id, level, name, code, full_text, search_text, grid_id, county_code, path, status)
      SELECT gen_random_uuid(), NULL, 'room', n || '室', 'BIG' || n, '大网格' || n || '室', '大网格' || n || '室', ${big.id}, '371602', '/big' || n || '/', 'active'
      FROM generate_series(1, 5001) AS n`.execute(t.deps.db);
    const assistant = await t.login('assistant');
    const res = await t.call(assistant, 'GET', '/api/v1/field/pack');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('gridId');
    expect(res.json().errors[0].message).toMatch(/5001|5,001|上限/);
    const one = await t.call(assistant, 'GET', `/api/v1/field/pack?gridId=${grid}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().grids).toHaveLength(1);
  });
});

describe('item types in the field', () => {
  it('refuses an inactive type', async () => {
    const admin = await t.login('admin');
    const x = (await t.call(admin, 'GET', '/api/v1/field/item-types?category=publicity')).json().find((i: { code: string }) => i.code === 'law_publicity');
    await t.call(admin, 'PUT', `/api/v1/field/item-types/${x.id}`, { categoryCode: x.categoryCode, name: x.name, formSchema: x.formSchema, status: 'inactive', version: x.version });
    const r = (await syncOps(worker, [verifyOp({ typeCode: 'law_publicity', addressId: undefined, data: { topic: '禁毒', people: 20 } })])).json().results[0];
    expect(r.errors).toEqual([{ field: 'typeCode', message: '事项类型不存在或已停用' }]);
  });
});
