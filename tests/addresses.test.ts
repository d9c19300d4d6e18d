import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { unitByCode } from './support/foreign.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUser } from '../src/server/modules/users/service.js';

let t: TestApp;
let admin: string;
let officer: string;
let gridworker: string;
/** Chief of 市中派出所: a neighbouring station, outside every 彭李 address. */
let shizhong: string;
let grid1: string; // 学苑社区第一网格 371602005001001
let grid2: string; // 学苑社区第二网格 371602005001002
const ids: Record<string, string> = {};

/** Audit rows naming a subject. */
const about = (id: string) => sql<boolean>`subject_ids @> ARRAY[${id}]::text[]`;

const FULL_501 = '山东省滨州市滨城区彭李街道学苑社区黄河十二路599号香园小区3号楼2单元501室';

async function make(key: string, body: Record<string, unknown>, token = officer) {
  const res = await t.call(token, 'POST', '/api/v1/addresses', body);
  if (res.statusCode !== 201) throw new Error(`create ${key}: ${res.statusCode} ${res.body}`);
  ids[key] = res.json().id;
  return res.json();
}

beforeAll(async () => {
  t = await createTestApp();
  [admin, officer, gridworker] = await Promise.all([t.login('admin'), t.login('officer'), t.login('gridworker')]);
  const sys = systemContext(Object.keys(PERMISSIONS));
  await createUser(t.deps, sys, {
    username: 'shizhong',
    displayName: '市中所长',
    password: 'Neighbour123',
    orgUnitId: await unitByCode(t.deps, '371602001'),
    roles: ['chief'],
    mustChangePassword: false,
  });
  shizhong = await t.login('shizhong', 'Neighbour123');
  grid1 = await unitByCode(t.deps, '371602005001001');
  grid2 = await unitByCode(t.deps, '371602005001002');

  await make('road', { gridId: grid1, level: 'road', name: '黄河十二路', lng: 117.95, lat: 37.38 });
  await make('door', { parentId: ids.road, level: 'door', name: '５９９' });
  await make('compound', { parentId: ids.door, level: 'compound', name: '香园小区' });
  await make('b3', { parentId: ids.compound, level: 'building', name: '3#' });
  await make('b3u1', { parentId: ids.b3, level: 'unit', name: '1' });
  await make('b3u2', { parentId: ids.b3, level: 'unit', name: '二单元' });
  await make('r501', { parentId: ids.b3u2, level: 'room', name: '501' });
  await make('r502', { parentId: ids.b3u2, level: 'room', name: '502室' });
  await make('u1r501', { parentId: ids.b3u1, level: 'room', name: '501' });
  await make('b13', { parentId: ids.compound, level: 'building', name: '13栋' });
  await make('b13u2', { parentId: ids.b13, level: 'unit', name: '2' });
  await make('b13r501', { parentId: ids.b13u2, level: 'room', name: '501' });
  await make('road11', { gridId: grid1, level: 'road', name: '黄河十一路' });
  await make('road11door', { parentId: ids.road11, level: 'door', name: '599' });
}, 120_000);
afterAll(() => t.close());

describe('address tree', () => {
  it('builds the chain with normalised names and the exact standard full text', async () => {
    const a = (await t.call(officer, 'GET', `/api/v1/addresses/${ids.r501}`)).json();
    expect(a).toMatchObject({ level: 'room', levelName: '户室', name: '501室', fullText: FULL_501, gridId: grid1, countyCode: '371602', status: 'active' });
    expect(a.ancestors.map((x: { name: string }) => x.name)).toEqual(['黄河十二路', '599号', '香园小区', '3号楼', '2单元']);
    expect(a.ancestors.map((x: { level: string }) => x.level)).toEqual(['road', 'door', 'compound', 'building', 'unit']);
    expect(a.statusHistory).toEqual([expect.objectContaining({ status: 'active', reason: '新建', changedBy: expect.objectContaining({ name: '张明' }) })]);
    const road = (await t.call(officer, 'GET', `/api/v1/addresses/${ids.road}`)).json();
    expect(road).toMatchObject({ fullText: '山东省滨州市滨城区彭李街道学苑社区黄河十二路', lng: 117.95, lat: 37.38, children: { total: 1, active: 1, byLevel: { door: 1 } } });
    const b13 = (await t.call(officer, 'GET', `/api/v1/addresses/${ids.b13}`)).json();
    expect(b13.name).toBe('13栋');
  });

  it('allows only the listed child levels and needs a grid in scope for top-level elements', async () => {
    const bad = async (body: Record<string, unknown>, field: string, text?: string) => {
      const res = await t.call(officer, 'POST', '/api/v1/addresses', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors[0].field).toBe(field);
      if (text) expect(res.json().errors[0].message).toContain(text);
    };
    await bad({ parentId: ids.road, level: 'building', name: '9号楼' }, 'level', '「街路巷」下只能建立：「门牌号」');
    await bad({ parentId: ids.r501, level: 'room', name: '9' }, 'level', '最末一级');
    await bad({ gridId: grid1, level: 'door', name: '1号' }, 'level');
    await bad({ gridId: await unitByCode(t.deps, '371602005001'), level: 'road', name: '新路' }, 'gridId', '网格不存在');
    await bad({ gridId: grid1, parentId: ids.road, level: 'door', name: '1' }, 'gridId');
    await bad({ level: 'road', name: '新路' }, 'parentId');
    await bad({ parentId: ids.road, level: 'door', name: '一号' }, 'name', '门牌号应为数字');
    await bad({ parentId: ids.road, level: 'door', name: '1', lng: 200, lat: 37 }, 'lng', '经度超出中国范围');
    await bad({ parentId: ids.road, level: 'door', name: '1', lng: 118 }, 'lat', '须同时提供');
    // every kind of allowed placement works, rural included
    const village = await make('village', { gridId: grid1, level: 'village', name: '李家村' });
    const group = await make('group', { parentId: village.id, level: 'group', name: '第三村民小组' });
    const rdoor = await make('rdoor', { parentId: group.id, level: 'door', name: '15' });
    expect(rdoor.fullText).toBe('山东省滨州市滨城区彭李街道学苑社区李家村3组15号');
    const floor = await make('floor5', { parentId: ids.b13, level: 'floor', name: '5F' });
    const froom = await make('froom', { parentId: floor.id, level: 'room', name: '0508' });
    expect(froom.fullText).toMatch(/香园小区13栋5层508室$/);
    const cdoor = await make('cdoor', { parentId: ids.compound, level: 'door', name: '1' });
    expect(cdoor.fullText).toMatch(/香园小区1号$/);
  });

  it('refuses duplicates under one parent with 409, whatever the spelling', async () => {
    for (const [parentId, level, name] of [
      [ids.compound, 'building', '3号楼'],
      [ids.compound, 'building', '3栋'],
      [ids.compound, 'building', '三号楼'],
      [ids.b3u2, 'room', '５０１'],
      [ids.road, 'door', '599号'],
    ]) {
      const res = await t.call(officer, 'POST', '/api/v1/addresses', { parentId, level, name });
      expect(res.statusCode, `${level} ${name}`).toBe(409);
      expect(res.json().detail).toContain('同一上级地址下已有');
    }
    const road = await t.call(officer, 'POST', '/api/v1/addresses', { gridId: grid1, level: 'road', name: '黄河12路' });
    expect(road.statusCode).toBe(409);
    expect(road.json().detail).toBe('同一网格下已有「黄河十二路」');
    // the same room number under another unit is fine
    expect((await t.call(officer, 'POST', '/api/v1/addresses', { parentId: ids.b13u2, level: 'room', name: '502' })).statusCode).toBe(201);
  });

  it('codes follow the documented layout: street + 4-digit road + 4-digit door + 3-digit serials', async () => {
    const code = async (id: string) => (await t.call(officer, 'GET', `/api/v1/addresses/${id}`)).json().code as string;
    expect(await code(ids.road)).toBe('3716020050001');
    expect(await code(ids.door)).toBe('37160200500010001');
    expect(await code(ids.compound)).toBe('37160200500010001001');
    expect(await code(ids.b3)).toBe('37160200500010001001001');
    expect(await code(ids.b3u1)).toBe('37160200500010001001001001');
    expect(await code(ids.b3u2)).toBe('37160200500010001001001002');
    expect(await code(ids.r501)).toBe('37160200500010001001001002001');
    expect(await code(ids.r502)).toBe('37160200500010001001001002002');
    expect(await code(ids.b13)).toBe('37160200500010001001002');
    expect(await code(ids.road11)).toBe('3716020050002');
    // road serials run across the grids of one street
    const other = await make('grid2road', { gridId: grid2, level: 'road', name: '黄河十二路' });
    expect(other.code).toBe('3716020050004'); // 0003 went to 李家村
    expect(other.fullText).toBe('山东省滨州市滨城区彭李街道学苑社区黄河十二路');
  });

  it('keeps codes when names are corrected and rewrites every descendant’s full text in the same change', async () => {
    const before = (await t.call(officer, 'GET', `/api/v1/addresses/${ids.r501}`)).json();
    const res = await t.call(officer, 'PATCH', `/api/v1/addresses/${ids.compound}`, { name: '香苑小区' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '香苑小区', code: '37160200500010001001' });
    const after = (await t.call(officer, 'GET', `/api/v1/addresses/${ids.r501}`)).json();
    expect(after.code).toBe(before.code);
    expect(after.fullText).toBe(FULL_501.replace('香园小区', '香苑小区'));
    const found = (await t.call(officer, 'GET', '/api/v1/addresses?q=香苑小区3号楼2单元&level=room')).json();
    expect(found.items.map((x: { id: string }) => x.id).sort()).toEqual([ids.r501, ids.r502].sort());
    expect((await t.call(officer, 'GET', '/api/v1/addresses?q=香园小区')).json().total).toBe(0);
    const audit = await t.deps.db.selectFrom('audit_log').select(['detail']).where('action', '=', 'address.update').where(about(ids.compound)).execute();
    expect(audit.at(-1)!.detail).toMatchObject({ from: '香园小区', to: '香苑小区', descendantsUpdated: 13 });
    // renaming to a sibling's name is a duplicate
    expect((await t.call(officer, 'PATCH', `/api/v1/addresses/${ids.b13}`, { name: '3号楼' })).statusCode).toBe(409);
    // the top level: its text comes from the divisions and the community
    const road = await t.call(officer, 'PATCH', `/api/v1/addresses/${ids.road11}`, { name: '黄河11路', lng: 118.01, lat: 37.4 });
    expect(road.json()).toMatchObject({ name: '黄河十一路', code: '3716020050002', lng: 118.01 });
    const back = await t.call(officer, 'PATCH', `/api/v1/addresses/${ids.compound}`, { name: '香园小区' });
    expect(back.statusCode).toBe(200);
    expect((await t.call(officer, 'GET', `/api/v1/addresses/${ids.r501}`)).json().fullText).toBe(FULL_501);
  });

  it('lists with filters and pages, and lists children', async () => {
    const all = (await t.call(officer, 'GET', `/api/v1/addresses?gridId=${grid1}&pageSize=5`)).json();
    expect(all).toMatchObject({ page: 1, pageSize: 5 });
    expect(all.items).toHaveLength(5);
    expect(all.total).toBeGreaterThan(15);
    const rooms = (await t.call(officer, 'GET', `/api/v1/addresses?level=room&q=${encodeURIComponent('3号楼2单元')}`)).json();
    expect(rooms.items.map((x: { name: string }) => x.name)).toEqual(['501室', '502室']);
    const byCode = (await t.call(officer, 'GET', '/api/v1/addresses?q=37160200500010001001001')).json();
    expect(byCode.items[0].id).toBe(ids.b3);
    const kids = (await t.call(officer, 'GET', `/api/v1/addresses/${ids.b3}/children`)).json();
    expect(kids.items.map((x: { name: string; childCount: number }) => [x.name, x.childCount])).toEqual([
      ['1单元', 1],
      ['2单元', 2],
    ]);
    const top = (await t.call(officer, 'GET', `/api/v1/addresses?gridId=${grid1}&parentId=${ids.road}`)).json();
    expect(top.items.map((x: { id: string }) => x.id)).toEqual([ids.door]);
  });
});

describe('status', () => {
  it('needs a reason, writes history, and refuses to deactivate an address with active children', async () => {
    const noReason = await t.call(officer, 'POST', `/api/v1/addresses/${ids.r502}/status`, { status: 'inactive' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    const blank = await t.call(officer, 'POST', `/api/v1/addresses/${ids.r502}/status`, { status: 'inactive', reason: '  ' });
    expect(blank.statusCode).toBe(400);
    const parent = await t.call(officer, 'POST', `/api/v1/addresses/${ids.b3u2}/status`, { status: 'inactive', reason: '拆除' });
    expect(parent.statusCode).toBe(409);
    expect(parent.json().detail).toBe('该地址下还有在用的下级地址（501室、502室），请先停用下级地址');

    const off = await t.call(officer, 'POST', `/api/v1/addresses/${ids.r502}/status`, { status: 'inactive', reason: '房屋合并' });
    expect(off.statusCode).toBe(200);
    expect(off.json().status).toBe('inactive');
    expect(off.json().statusHistory.map((h: { status: string; reason: string }) => [h.status, h.reason])).toEqual([
      ['active', '新建'],
      ['inactive', '房屋合并'],
    ]);
    expect((await t.call(officer, 'POST', `/api/v1/addresses/${ids.r502}/status`, { status: 'inactive', reason: '再次' })).statusCode).toBe(409);
    // no new children below an inactive address, and a child cannot come back while its parent is inactive
    await make('tmpUnit', { parentId: ids.b13, level: 'unit', name: '9' });
    await make('tmpRoom', { parentId: ids.tmpUnit, level: 'room', name: '101' });
    expect((await t.call(officer, 'POST', `/api/v1/addresses/${ids.tmpRoom}/status`, { status: 'inactive', reason: '测试' })).statusCode).toBe(200);
    expect((await t.call(officer, 'POST', `/api/v1/addresses/${ids.tmpUnit}/status`, { status: 'inactive', reason: '测试' })).statusCode).toBe(200);
    const under = await t.call(officer, 'POST', '/api/v1/addresses', { parentId: ids.tmpUnit, level: 'room', name: '102' });
    expect(under.statusCode).toBe(400);
    expect(under.json().errors[0].message).toContain('已停用');
    const revive = await t.call(officer, 'POST', `/api/v1/addresses/${ids.tmpRoom}/status`, { status: 'active', reason: '恢复' });
    expect(revive.statusCode).toBe(409);
    expect(revive.json().detail).toBe('上级地址「9单元」已停用，请先启用上级地址');
    const on = await t.call(officer, 'POST', `/api/v1/addresses/${ids.r502}/status`, { status: 'active', reason: '恢复使用' });
    expect(on.json().statusHistory).toHaveLength(3);
    const rows = await t.deps.db.selectFrom('address_status_history').selectAll().where('address_id', '=', ids.r502).execute();
    expect(rows.map((r) => r.reason)).toEqual(['新建', '房屋合并', '恢复使用']);
  });
});

describe('free-text matching', () => {
  const match = async (text: string, token = officer) => {
    const res = await t.call(token, 'POST', '/api/v1/addresses/match', { text, limit: 5 });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { query: { elements: unknown[] }; items: Array<{ id: string; score: number; fullText: string; explain: Record<string, number> }> };
  };

  it('ranks the right room first for different phrasings', async () => {
    for (const text of ['黄河十二路599号香园小区3-2-501', '香园小区3栋2单元501', '山东省滨州市滨城区黄河12路５９９号3号楼二单元501室']) {
      const r = await match(text);
      expect(r.items[0]?.id, text).toBe(ids.r501);
      expect(r.items[0].fullText).toBe(FULL_501);
      expect(r.items[0].score).toBeGreaterThan(0.8);
      expect(r.items[0].score).toBeLessThanOrEqual(1);
      expect(r.items[0].explain.e).toBe(1);
      for (const it of r.items) expect(it.score).toBeGreaterThanOrEqual(0.4);
      if (r.items[1]) expect(r.items[1].score).toBeLessThan(r.items[0].score);
    }
    const r = await match('香园小区13栋2单元501');
    expect(r.items[0].id).toBe(ids.b13r501);
    const door = await match('黄河十一路599号');
    expect(door.items[0].id).toBe(ids.road11door);
    const rural = await match('李家村三组15号');
    expect(rural.items[0].id).toBe(ids.rdoor);
  });

  it('returns nothing for garbage', async () => {
    for (const text of ['asdfghjkl', '今天天气很好', '北京市朝阳区建国路88号', '！！！', '123456789']) {
      expect((await match(text)).items, text).toEqual([]);
    }
  });

  it('only searches the caller’s jurisdiction', async () => {
    expect((await match('黄河十二路599号香园小区3-2-501', shizhong)).items).toEqual([]);
    expect((await match('黄河十二路599号香园小区3-2-501', gridworker)).items[0].id).toBe(ids.r501);
  });
});

describe('plates', () => {
  let roomPlate: { id: string; token: string; url: string };

  it('issues a plate whose kind follows the level, with an unguessable token', async () => {
    const res = await t.call(officer, 'POST', `/api/v1/addresses/${ids.r501}/plates`, {});
    expect(res.statusCode).toBe(201);
    roomPlate = res.json();
    expect(res.json()).toMatchObject({ addressId: ids.r501, kind: 'room', kindName: '室号牌', status: 'active' });
    expect(roomPlate.token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(Buffer.from(roomPlate.token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    expect(roomPlate.url).toBe(`${t.deps.config.publicBaseUrl}/q/${roomPlate.token}`);
    const kinds: Array<[string, string]> = [
      ['road', 'road'],
      ['village', 'road'],
      ['door', 'gate'],
      ['compound', 'gate'],
      ['b3', 'building'],
      ['b3u2', 'building'],
      ['floor5', 'room'],
    ];
    for (const [key, kind] of kinds) {
      const p = await t.call(officer, 'POST', `/api/v1/addresses/${ids[key]}/plates`, {});
      expect(p.json().kind, key).toBe(kind);
    }
    const detail = (await t.call(officer, 'GET', `/api/v1/addresses/${ids.r501}`)).json();
    expect(detail.activePlate).toMatchObject({ id: roomPlate.id, token: roomPlate.token });
  });

  it('reissue needs a reason and revokes the old token in the same change', async () => {
    const noReason = await t.call(officer, 'POST', `/api/v1/addresses/${ids.r501}/plates`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().errors[0].field).toBe('reason');
    const re = await t.call(officer, 'POST', `/api/v1/addresses/${ids.r501}/plates`, { reason: '门牌损坏' });
    expect(re.statusCode).toBe(201);
    const fresh = re.json();
    expect(fresh.token).not.toBe(roomPlate.token);
    const rows = await t.deps.db.selectFrom('plates').selectAll().where('address_id', '=', ids.r501).orderBy('issued_at').execute();
    expect(rows.map((r) => [r.status, r.revoked_reason, r.replaced_by])).toEqual([
      ['revoked', '门牌损坏', fresh.id],
      ['active', null, null],
    ]);
    const old = await t.call(undefined, 'GET', `/api/v1/plates/${roomPlate.token}`);
    expect(old.statusCode).toBe(410);
    expect(old.headers['content-type']).toContain('application/problem+json');
    expect(old.json().detail).toBe('该门牌已被新门牌替换，不再有效。请联系社区民警张明（13905430004）核实地址信息。');
    expect(old.body).not.toContain(FULL_501);
    expect(old.body).not.toContain(ids.r501);
    expect((await t.call(undefined, 'GET', `/api/v1/plates/${fresh.token}`)).statusCode).toBe(200);
    roomPlate = fresh;
    const audit = await t.deps.db.selectFrom('audit_log').select(['subject_ids', 'detail']).where('action', '=', 'plate.issue').where(about(fresh.id)).executeTakeFirstOrThrow();
    expect(audit.detail).toMatchObject({ addressId: ids.r501, reason: '门牌损坏', replaces: rows[0].id });
  });

  it('the public scan shows the address and the community officer, and no personal data', async () => {
    const res = await t.call(undefined, 'GET', `/api/v1/plates/${roomPlate.token}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['address', 'community', 'officers', 'plate', 'status']);
    expect(body).toEqual({
      status: 'active',
      plate: { kind: 'room', kindName: '室号牌' },
      address: { code: '37160200500010001001001002001', level: 'room', levelName: '户室', name: '501室', fullText: FULL_501, status: 'active' },
      community: { name: '学苑社区', contactPhone: '0543-3163001' },
      officers: [{ name: '张明', phone: '13905430004' }],
    });
    for (const secret of [ids.r501, grid1, roomPlate.id, '13905430005', '13905430006', '李娜', '王秀英']) expect(res.body).not.toContain(secret);
    // anonymous scans are not audited
    const before = await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'plate.scan').executeTakeFirstOrThrow();
    await t.call(undefined, 'GET', `/api/v1/plates/${roomPlate.token}`);
    const after = await t.deps.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'plate.scan').executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('staff scanning inside their scope also get the address id; outside they do not; both are audited', async () => {
    const own = (await t.call(gridworker, 'GET', `/api/v1/plates/${roomPlate.token}`)).json();
    expect(own.addressId).toBe(ids.r501);
    const foreign = await t.call(shizhong, 'GET', `/api/v1/plates/${roomPlate.token}`);
    expect(foreign.statusCode).toBe(200);
    expect(foreign.json().addressId).toBeUndefined();
    expect(foreign.body).not.toContain(ids.r501);
    const rows = await t.deps.db.selectFrom('audit_log').select(['actor_name', 'subject_ids', 'detail']).where('action', '=', 'plate.scan').orderBy('seq').execute();
    expect(rows.map((r) => [r.actor_name, r.subject_ids, r.detail])).toEqual([
      ['王秀英(gridworker)', [roomPlate.id], { plateStatus: 'active', inScope: true, addressId: ids.r501 }],
      // outside the scanner's jurisdiction only what the plate shows is recorded, no record ids
      ['市中所长(shizhong)', [], { plateStatus: 'active', inScope: false, code: '37160200500010001001001002001' }],
    ]);
  });

  it('unknown tokens answer 404, revoked ones 410', async () => {
    const unknown = await t.call(undefined, 'GET', '/api/v1/plates/AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const p = (await t.call(officer, 'POST', `/api/v1/addresses/${ids.r502}/plates`, {})).json();
    const revoke = await t.call(officer, 'POST', `/api/v1/plates/${p.id}/revoke`, { reason: '住户要求撤除' });
    expect(revoke.statusCode).toBe(200);
    expect(revoke.json()).toMatchObject({ status: 'revoked', revokedReason: '住户要求撤除', replacedBy: null });
    expect((await t.call(officer, 'POST', `/api/v1/plates/${p.id}/revoke`, { reason: '再次注销' })).statusCode).toBe(409);
    const gone = await t.call(undefined, 'GET', `/api/v1/plates/${p.token}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().detail).toBe('该门牌已注销，不再有效。请联系社区民警张明（13905430004）核实地址信息。');
  });

  it('deactivating an address revokes its plate', async () => {
    await make('shop', { parentId: ids.road11, level: 'door', name: '601' });
    const p = (await t.call(officer, 'POST', `/api/v1/addresses/${ids.shop}/plates`, {})).json();
    await t.call(officer, 'POST', `/api/v1/addresses/${ids.shop}/status`, { status: 'inactive', reason: '门面拆除' });
    expect((await t.call(undefined, 'GET', `/api/v1/plates/${p.token}`)).statusCode).toBe(410);
    expect((await t.call(officer, 'POST', `/api/v1/addresses/${ids.shop}/plates`, {})).statusCode).toBe(409);
  });

  it('/q/{token} is a phone page for everyone and a redirect into the console for staff in scope', async () => {
    const page = await t.app.inject({ method: 'GET', url: `/q/${roomPlate.token}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.body).toContain('<meta charset="utf-8">');
    expect(page.body).toContain(FULL_501);
    expect(page.body).toContain('室号牌');
    expect(page.body).toContain('张明');
    expect(page.body).toContain('href="tel:13905430004"');
    // no script and no external resource: the only links are idle-time prefetches of the built resident portal
    expect(page.body).not.toMatch(/<script|url\(/i);
    for (const [link] of page.body.matchAll(/<link[^>]*>/g)) expect(link).toMatch(/^<link rel="prefetch" href="\/assets\/[^"]+"/);
    // the only resources are the staff photos, same origin
    for (const [, src] of page.body.matchAll(/src="([^"]*)"/g)) expect(src).toMatch(/^\/api\/v1\/portal\/staff\/[0-9a-f-]{36}\/photo$/);
    expect(page.body).not.toContain(ids.r501);

    const staff = await t.app.inject({ method: 'GET', url: `/q/${roomPlate.token}`, cookies: { fq_session: officer } });
    expect(staff.statusCode).toBe(302);
    expect(staff.headers.location).toBe(`/registry/addresses/${ids.r501}`);
    const outside = await t.app.inject({ method: 'GET', url: `/q/${roomPlate.token}`, cookies: { fq_session: shizhong } });
    expect(outside.statusCode).toBe(200);
    expect(outside.body).not.toContain(ids.r501);
    const bogusCookie = await t.app.inject({ method: 'GET', url: `/q/${roomPlate.token}`, cookies: { fq_session: 'not-a-session' } });
    expect(bogusCookie.statusCode).toBe(200);

    const revoked = await t.app.inject({ method: 'GET', url: `/q/${(await t.deps.db.selectFrom('plates').select('token').where('address_id', '=', ids.r501).where('status', '=', 'revoked').executeTakeFirstOrThrow()).token}` });
    expect(revoked.statusCode).toBe(410);
    expect(revoked.body).toContain('该门牌已更换');
    expect(revoked.body).toContain('href="tel:13905430004"');
    expect(revoked.body).not.toContain(FULL_501);
    const unknown = await t.app.inject({ method: 'GET', url: '/q/nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('未找到该门牌');
  });
});

describe('printing', () => {
  const print = (q: string, token = officer) => t.call(token, 'GET', `/api/v1/plates/print?${q}`);

  const activeToken = async (id: string) =>
    (await t.deps.db.selectFrom('plates').select('token').where('address_id', '=', id).where('status', '=', 'active').executeTakeFirstOrThrow()).token;

  it('renders one QR per address at the real plate size, issuing missing plates', async () => {
    const list = [ids.r501, ids.b13, ids.b13r501];
    const token501 = await activeToken(ids.r501);
    expect(await t.deps.db.selectFrom('plates').select('id').where('address_id', 'in', [ids.b13, ids.b13r501]).execute()).toEqual([]);
    const res = await print(`addressIds=${list.join(',')}&size=large`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body.match(/<svg/g)).toHaveLength(3);
    expect(res.body.match(/class="plate"/g)).toHaveLength(3);
    expect(res.body).toContain('@page{size:570mm 370mm;margin:0}');
    expect(res.body).toContain('width:570mm;height:370mm;background:#0b4aa2;color:#fff');
    expect(res.body).toContain('.qr svg{width:120mm;height:120mm');
    expect(res.body).toContain('page-break-after:always');
    expect(res.body).toContain(FULL_501);
    expect(res.body.indexOf('37160200500010001001001002001')).toBeLessThan(res.body.indexOf('37160200500010001001002001001')); // the given order
    const issued = await t.deps.db.selectFrom('plates').select(['address_id', 'kind']).where('address_id', 'in', [ids.b13, ids.b13r501]).where('status', '=', 'active').execute();
    expect(issued).toHaveLength(2);
    const audit = await t.deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'plate.issue').where('detail', '@>', JSON.stringify({ via: 'print' }) as never).execute();
    expect(audit).toHaveLength(2);
    // the existing plate was reprinted, not reissued, and its QR carries its token
    expect(await activeToken(ids.r501)).toBe(token501);
    expect(res.body).toContain(`data-code="37160200500010001001001002001"`);
    const again = await print(`addressIds=${list.join(',')}&size=large`);
    expect(again.body).toBe(res.body);

    for (const [size, dims] of [
      ['medium', ['270mm 170mm', 'width:75mm;height:75mm']],
      ['small', ['150mm 90mm', 'width:40mm;height:40mm']],
      ['label', ['210mm 297mm', 'repeat(3,70mm)', 'grid-auto-rows:37mm', 'width:30mm;height:30mm']],
    ] as const) {
      const r = await print(`addressIds=${list.join(',')}&size=${size}`);
      expect(r.statusCode).toBe(200);
      expect(r.body.match(/<svg/g), size).toHaveLength(3);
      for (const d of dims) expect(r.body, `${size} ${d}`).toContain(d);
    }
  });

  it('refuses more than 500 addresses, unknown or foreign ones, and inactive ones', async () => {
    const many = Array.from({ length: 501 }, (_, i) => `01900000-0000-7000-8000-${String(i).padStart(12, '0')}`);
    const tooMany = await print(`addressIds=${many.join(',')}`);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors[0].message).toContain('一次最多打印 500 个地址');
    const five = await print(`addressIds=${many.slice(0, 500).join(',')}`);
    expect(five.statusCode).toBe(404);
    expect((await print('addressIds=not-a-uuid')).statusCode).toBe(400);
    expect((await print(`addressIds=${ids.r501}&size=huge`)).statusCode).toBe(400);
    const inactive = await print(`addressIds=${ids.shop}`);
    expect(inactive.statusCode).toBe(400);
    expect(inactive.json().errors[0].message).toContain('已停用');
  });
});

describe('jurisdiction and permissions', () => {
  it('another station’s chief can neither read, change, match nor print 彭李 addresses', async () => {
    const plate = (await t.deps.db.selectFrom('plates').select('id').where('address_id', '=', ids.r501).where('status', '=', 'active').executeTakeFirstOrThrow()).id;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/addresses/${ids.r501}`],
      ['GET', `/api/v1/addresses/${ids.b3}/children`],
      ['PATCH', `/api/v1/addresses/${ids.r501}`, { name: '999' }],
      ['POST', `/api/v1/addresses/${ids.r501}/status`, { status: 'inactive', reason: '越权' }],
      ['POST', `/api/v1/addresses/${ids.r501}/plates`, { reason: '越权补发' }],
      ['POST', `/api/v1/plates/${plate}/revoke`, { reason: '越权注销' }],
      ['GET', `/api/v1/plates/print?addressIds=${ids.r501}`],
    ];
    for (const [method, url, body] of calls) {
      const res = await t.call(shizhong, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('香园');
    }
    const list = (await t.call(shizhong, 'GET', '/api/v1/addresses?pageSize=200')).json();
    expect(list.total).toBe(0);
    expect((await t.call(shizhong, 'GET', `/api/v1/addresses?gridId=${grid1}`)).json().items).toEqual([]);
    const create = await t.call(shizhong, 'POST', '/api/v1/addresses', { parentId: ids.b3u2, level: 'room', name: '503' });
    expect(create.statusCode).toBe(400);
    expect(create.json().errors[0].field).toBe('parentId');
    const top = await t.call(shizhong, 'POST', '/api/v1/addresses', { gridId: grid1, level: 'road', name: '越权路' });
    expect(top.statusCode).toBe(400);
    // nothing changed
    const a = (await t.call(admin, 'GET', `/api/v1/addresses/${ids.r501}`)).json();
    expect(a).toMatchObject({ name: '501室', status: 'active' });
    expect(a.activePlate.id).toBe(plate);
  });

  it('a grid worker reads addresses of the own grid only and may change nothing', async () => {
    expect((await t.call(gridworker, 'GET', `/api/v1/addresses/${ids.r501}`)).statusCode).toBe(200);
    expect((await t.call(gridworker, 'GET', `/api/v1/addresses/${ids.grid2road}`)).statusCode).toBe(404);
    const listed = (await t.call(gridworker, 'GET', '/api/v1/addresses?level=road&pageSize=200')).json();
    expect(listed.items.map((x: { id: string }) => x.id)).not.toContain(ids.grid2road);
    const calls: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/addresses', { parentId: ids.b3u2, level: 'room', name: '503' }],
      ['PATCH', `/api/v1/addresses/${ids.r501}`, { name: '999' }],
      ['POST', `/api/v1/addresses/${ids.r501}/status`, { status: 'inactive', reason: '测试' }],
      ['POST', `/api/v1/addresses/${ids.r501}/plates`, { reason: '测试补发' }],
      ['POST', '/api/v1/plates/01900000-0000-7000-8000-000000000000/revoke', { reason: '测试' }],
      ['GET', `/api/v1/plates/print?addressIds=${ids.r501}`, undefined],
    ];
    for (const [method, url, body] of calls) expect((await t.call(gridworker, method, url, body)).statusCode, `${method} ${url}`).toBe(403);
  });

  it('every change left an audit row in its grid’s jurisdiction', async () => {
    const rows = await t.deps.db.selectFrom('audit_log').select(['action', 'subject_type', 'subject_ids']).where('action', 'like', 'address.%').execute();
    const actions = new Set(rows.map((r) => r.action));
    expect([...actions].sort()).toEqual(['address.create', 'address.status', 'address.update']);
    expect(rows.filter((r) => r.action === 'address.create').flatMap((r) => r.subject_ids)).toEqual(expect.arrayContaining([ids.road, ids.r501, ids.rdoor]));
    const verify = (await t.call(await t.login('supervisor'), 'GET', '/api/v1/audit/verify')).json();
    expect(verify.ok).toBe(true);
  });
});
