import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress, makeCreditCode, orgUnitId } from './support/registry-fixtures.js';
import { insertIncidents, pointInGrid } from './support/incident-fixtures.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUnit as createOrgUnit } from '../src/server/modules/org/service.js';
import { createUnit } from '../src/server/modules/units/service.js';
import { MAP_LIMITS } from '../src/server/modules/map/service.js';

/** The one map (docs/api-command.md "The one map"): layer scoping, the incident columns, rings, bbox, assets. */
let t: TestApp;
let chief: string;
let command: string;
let officer: string;
let admin: string;
let leader: string;
const sys = () => systemContext(Object.keys(PERMISSIONS));
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  [chief, command, officer, admin, leader] = await Promise.all(['chief', 'command', 'officer', 'admin', 'leader'].map((u) => t.login(u)));
  for (const code of ['371602', '371602005', '371602001', '371602004', '371602005001', '371602005001001', '371602001001001']) ids[code] = await orgUnitId(t.deps, code);
  // a unit outside the demo branch: 沾化 (371603) under the city bureau
  const city = (await t.deps.db.selectFrom('org_units').select('id').where('kind', '=', 'city_bureau').executeTakeFirstOrThrow()).id;
  const foreign = await createOrgUnit(t.deps, sys(), { parentId: city, kind: 'branch', code: '371603', name: '沾化分局' });
  ids.foreign = foreign.id;
});
afterAll(() => t.close());

const get = (token: string, url: string) => t.call(token, 'GET', url);
const fieldsOf = (res: { json(): { errors?: Array<{ field: string }> } }) => (res.json().errors ?? []).map((e) => e.field);

describe('boundaries', () => {
  it('a station sees its own subtree; the command centre the branch; unitId narrows', async () => {
    const own = (await get(chief, '/api/v1/map/boundaries')).json();
    expect(own.type).toBe('FeatureCollection');
    const codes = own.features.map((f: { properties: { code: string } }) => f.properties.code);
    expect(codes).toHaveLength(1 + 3 + 6);
    expect(codes.every((c: string) => c.startsWith('371602005'))).toBe(true);
    const station = own.features.find((f: { properties: { code: string } }) => f.properties.code === '371602005');
    expect(station.properties).toMatchObject({ id: ids['371602005'], kind: 'station', name: '彭李派出所' });
    expect(station.geometry.type).toBe('Polygon');

    const branch = (await get(command, '/api/v1/map/boundaries')).json();
    expect(branch.features).toHaveLength(1 + 3 * (1 + 3 + 6));
    expect(branch.features.map((f: { properties: { code: string } }) => f.properties.code)).not.toContain('371603');

    const narrowed = (await get(command, `/api/v1/map/boundaries?unitId=${ids['371602001']}`)).json();
    expect(narrowed.features).toHaveLength(10);
    expect(narrowed.features.every((f: { properties: { code: string } }) => f.properties.code.startsWith('371602001'))).toBe(true);

    const officerView = (await get(officer, '/api/v1/map/boundaries')).json();
    expect(officerView.features.map((f: { properties: { kind: string } }) => f.properties.kind).sort()).toEqual(['community', 'grid', 'grid']);
  });

  it('a unit outside the scope is 404; a malformed id 400; no map.read 403', async () => {
    expect((await get(chief, `/api/v1/map/boundaries?unitId=${ids['371602001']}`)).statusCode).toBe(404);
    expect((await get(command, `/api/v1/map/boundaries?unitId=${ids.foreign}`)).statusCode).toBe(404);
    expect((await get(command, '/api/v1/map/boundaries?unitId=abc')).statusCode).toBe(400);
    const gw = await t.login('gridworker');
    expect((await get(gw, '/api/v1/map/boundaries')).statusCode).toBe(403);
    expect((await get(await t.login('legal'), '/api/v1/map/boundaries')).statusCode).toBe(403);
  });
});

describe('addresses in a box', () => {
  it('returns located active addresses in scope inside the box only', async () => {
    const p = await pointInGrid(t.deps, '371602005001001', 0.5, 0.5);
    const q = await pointInGrid(t.deps, '371602001001001', 0.5, 0.5);
    const inside = await insertAddress(t.deps, { grid: '371602005001001', lat: p.lat, lng: p.lng, fullText: '山东省滨州市滨城区彭李街道地图测试路1号' });
    const off = await insertAddress(t.deps, { grid: '371602005001001', lat: p.lat + 0.2, lng: p.lng });
    const gone = await insertAddress(t.deps, { grid: '371602005001001', lat: p.lat + 0.001, lng: p.lng, status: 'inactive' });
    const noCoord = await insertAddress(t.deps, { grid: '371602005001001', lat: null, lng: null });
    const other = await insertAddress(t.deps, { grid: '371602001001001', lat: q.lat, lng: q.lng });
    const bbox = `${Math.min(p.lng, q.lng) - 0.01},${p.lat - 0.01},${Math.max(p.lng, q.lng) + 0.01},${p.lat + 0.01}`;

    const res = await get(chief, `/api/v1/map/addresses?bbox=${bbox}`);
    expect(res.statusCode).toBe(200);
    const got = res.json();
    const found = got.items.map((a: { id: string }) => a.id);
    expect(found).toContain(inside.id);
    for (const x of [off, gone, noCoord, other]) expect(found).not.toContain(x.id);
    expect(got.items.find((a: { id: string }) => a.id === inside.id)).toMatchObject({ label: '山东省滨州市滨城区彭李街道地图测试路1号', lat: p.lat, lng: p.lng });
    expect(got.items[0]).toHaveProperty('code');
    expect(got.truncated).toBe(false);

    const all = (await get(command, `/api/v1/map/addresses?bbox=${bbox}`)).json().items.map((a: { id: string }) => a.id);
    expect(all).toEqual(expect.arrayContaining([inside.id, other.id]));
    const one = (await get(command, `/api/v1/map/addresses?bbox=${bbox}&limit=1`)).json();
    expect(one.items).toHaveLength(1);
    expect(one.truncated).toBe(true);
  });

  it('rejects a bad box with the field named', async () => {
    for (const bbox of ['1,2,3', 'a,b,c,d', '118,37,117.9,37.1', '117.9,37.2,118,37.1', '117.0,37.0,117.6,37.1', '117.9,37.0,118.0,37.6', '117.9,,118,37.1']) {
      const res = await get(command, `/api/v1/map/addresses?bbox=${encodeURIComponent(bbox)}`);
      expect(res.statusCode, bbox).toBe(400);
      expect(fieldsOf(res), bbox).toContain('bbox');
      expect(res.json().errors[0].message).toMatch(/[\u4e00-\u9fa5]/);
    }
    expect(fieldsOf(await get(command, '/api/v1/map/addresses'))).toContain('bbox');
    expect(fieldsOf(await get(command, '/api/v1/map/addresses?bbox=117.9,37.3,118,37.4&limit=20001'))).toContain('limit');
  });
});

describe('incident layer', () => {
  const made: Record<string, string> = {};
  let from: string;
  let to: string;

  beforeAll(async () => {
    const a = await pointInGrid(t.deps, '371602005001001', 0.25, 0.25);
    const b = await pointInGrid(t.deps, '371602005001001', 0.75, 0.75);
    const c = await pointInGrid(t.deps, '371602001001001', 0.5, 0.5);
    // a past month of our own, far from any demo data: 2021-03
    const specs = [
      { key: 'fight', at: '2021-03-10T12:00:00+08:00', grid: '371602005001001', ...a, category: 'za_fight', status: 'closed' as const },
      { key: 'theft', at: '2021-03-11T09:30:00+08:00', grid: '371602005001001', ...b, category: 'xs_theft', status: 'received' as const },
      { key: 'noise', at: '2021-03-12T23:15:00+08:00', grid: '371602005001001', lat: 37.4123456, lng: 117.9612349, category: 'za_noise', status: 'handling' as const },
      { key: 'lock', at: '2021-03-20T08:00:00+08:00', grid: '371602005001001', ...a, category: 'qz_lock', status: 'diverted' as const },
      { key: 'elsewhere', at: '2021-03-10T12:00:00+08:00', grid: '371602001001001', ...c, category: 'za_fight', status: 'closed' as const },
      { key: 'before', at: '2021-02-28T23:59:00+08:00', grid: '371602005001001', ...a, category: 'za_fight', status: 'closed' as const },
      { key: 'after', at: '2021-04-01T00:00:00+08:00', grid: '371602005001001', ...a, category: 'za_fight', status: 'closed' as const },
    ];
    const out = await insertIncidents(t.deps, specs);
    specs.forEach((s, i) => (made[s.key] = out[i]));
    // personal data on the rows: never in the layer
    await t.deps.db.updateTable('incidents').set({ caller_name: '欧阳报警人', caller_phone: '13912345678' }).where('id', 'in', out).execute();
    from = '2021-03-01';
    to = '2021-03-31';
  });

  afterEach(() => {
    MAP_LIMITS.incidents = 200_000;
  });

  const layer = async (token: string, q: string) => {
    const res = await get(token, `/api/v1/map/incidents?from=${from}&to=${to}${q}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    return res.json();
  };

  it('gives exact column arrays, newest first, scoped to the station', async () => {
    const res = await get(chief, `/api/v1/map/incidents?from=${from}&to=${to}`);
    expect(res.headers['content-type']).toContain('application/json');
    const l = res.json();
    expect(l.ids).toEqual([made.lock, made.noise, made.theft, made.fight]);
    expect(l.count).toBe(4);
    expect(l.truncated).toBe(false);
    expect(l.statuses).toEqual(['received', 'handling', 'diverted', 'closed']);
    const top = l.categories.map((c: { code: string }) => c.code);
    expect(top).toEqual(['xingshi', 'zhian', 'jiufen', 'qiuzhu', 'jiaotong', 'huozai', 'qita'].filter((c) => top.includes(c)));
    expect(l.cat.map((i: number) => top[i])).toEqual(['qiuzhu', 'zhian', 'xingshi', 'zhian']);
    expect(l.status.map((i: number) => l.statuses[i])).toEqual(['diverted', 'handling', 'received', 'closed']);
    expect(l.t).toEqual(['2021-03-20T08:00:00+08:00', '2021-03-12T23:15:00+08:00', '2021-03-11T09:30:00+08:00', '2021-03-10T12:00:00+08:00'].map((x) => Date.parse(x) / 1000));
    // rounded to 5 decimals (≈ 1 m)
    expect(l.lat[1]).toBe(37.41235);
    expect(l.lng[1]).toBe(117.96123);
    expect(l.lat).toHaveLength(4);
    expect(l.lng).toHaveLength(4);
    expect(res.body).not.toContain('欧阳报警人');
    expect(res.body).not.toContain('13912345678');
    expect(res.body).not.toContain('测试警情');

    const branch = await layer(command, '');
    expect(branch.ids).toContain(made.elsewhere);
    expect(branch.ids).toHaveLength(5);
    const neighbourOfficer = await layer(officer, '');
    expect(neighbourOfficer.ids).toHaveLength(4); // the grid lies in the officer's community
  });

  it('filters by period (Beijing days), category subtree and status', async () => {
    expect((await layer(chief, '')).ids).not.toContain(made.before);
    from = '2021-02-28';
    expect((await layer(chief, '')).ids).toContain(made.before);
    from = '2021-03-11';
    to = '2021-03-12';
    expect((await layer(chief, '')).ids).toEqual([made.noise, made.theft]);
    from = '2021-03-01';
    to = '2021-04-01';
    expect((await layer(chief, '')).ids).toContain(made.after);
    to = '2021-03-31';

    const cats = await t.deps.db.selectFrom('incident_categories').select(['id', 'code']).execute();
    const cat = (code: string) => cats.find((c) => c.code === code)!.id;
    expect((await layer(chief, `&categoryId=${cat('zhian')}`)).ids).toEqual([made.noise, made.fight]);
    expect((await layer(chief, `&categoryId=${cat('za_noise')}`)).ids).toEqual([made.noise]);
    expect((await layer(chief, `&categoryId=${cat('jiaotong')}`)).ids).toEqual([]);
    expect((await layer(chief, '&status=received,handling')).ids).toEqual([made.noise, made.theft]);
    expect((await layer(chief, `&status=closed&categoryId=${cat('zhian')}`)).ids).toEqual([made.fight]);
  });

  it('says truncated when more than the limit match, keeping the newest', async () => {
    MAP_LIMITS.incidents = 2;
    const l = await layer(chief, '');
    expect(l.ids).toEqual([made.lock, made.noise]);
    expect(l.t).toHaveLength(2);
    expect(l.truncated).toBe(true);
    expect(l.count).toBe(2);
    MAP_LIMITS.incidents = 4;
    expect((await layer(chief, '')).truncated).toBe(false);
  });

  it('rejects bad filters with the field named', async () => {
    const bad = async (q: string, field: string) => {
      const res = await get(chief, `/api/v1/map/incidents?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(fieldsOf(res), q).toContain(field);
    };
    await bad('from=2021-03-10&to=2021-03-01', 'from');
    await bad('from=2020-01-01&to=2021-01-01', 'from'); // 367 days
    await bad('status=open', 'status');
    await bad('status=closed,', 'status');
    await bad(`categoryId=${'01900000-0000-7000-8000-000000000000'}`, 'categoryId');
    await bad('from=2021-13-01', 'from');
    expect((await get(chief, '/api/v1/map/incidents?from=2020-01-01&to=2020-12-31')).statusCode).toBe(200); // 366 days
  });

  it('defaults to the last 30 days', async () => {
    const res = await get(chief, '/api/v1/map/incidents');
    expect(res.statusCode).toBe(200);
    const l = res.json();
    expect(Date.parse(l.to) - Date.parse(l.from)).toBe(29 * 86_400_000);
    expect(l.ids).toEqual([]);
  });
});

describe('offices and response rings', () => {
  it('rings follow the settings; offices are scoped', async () => {
    const own = (await get(chief, '/api/v1/map/offices')).json();
    expect(own.items).toHaveLength(5); // the hall, three community offices, one post
    expect(own.items.map((o: { kind: string }) => o.kind).sort()).toEqual(['office', 'office', 'office', 'post', 'station']);
    expect(own.items[0].rings).toEqual([
      { minutes: 1, radiusM: 500 },
      { minutes: 3, radiusM: 1500 },
      { minutes: 5, radiusM: 2500 },
    ]);
    expect((await get(command, '/api/v1/map/offices')).json().items).toHaveLength(15);
    expect((await get(officer, '/api/v1/map/offices')).json().items).toHaveLength(1);

    const put = await t.call(admin, 'PUT', '/api/v1/command-settings', { map: { tileUrl: null, tileAttribution: null, ringSpeedKmh: 48, ringMinutes: [2, 4] } });
    expect(put.statusCode).toBe(200);
    const after = (await get(chief, '/api/v1/map/offices')).json();
    expect(after.ringSpeedKmh).toBe(48);
    expect(after.items[0].rings).toEqual([
      { minutes: 2, radiusM: 1600 },
      { minutes: 4, radiusM: 3200 },
    ]);
    await t.call(admin, 'PUT', '/api/v1/command-settings', { map: { tileUrl: null, tileAttribution: null, ringSpeedKmh: 30, ringMinutes: [1, 3, 5] } });
  });
});

describe('key units', () => {
  it('shows units of key industries at their address, in scope, without contacts', async () => {
    const p = await pointInGrid(t.deps, '371602005001001', 0.3, 0.6);
    const addr = await insertAddress(t.deps, { grid: '371602005001001', lat: p.lat, lng: p.lng });
    const q = await pointInGrid(t.deps, '371602001001001', 0.3, 0.6);
    const addr2 = await insertAddress(t.deps, { grid: '371602001001001', lat: q.lat, lng: q.lng });
    const hotel = await createUnit(t.deps, sys(), { creditCode: makeCreditCode(61_001), name: '地图测试宾馆', keyIndustry: 'hotel', addressId: addr.id, contactName: '欧阳联系', contactPhone: '13811112222' });
    const plain = await createUnit(t.deps, sys(), { creditCode: makeCreditCode(61_002), name: '地图测试超市', addressId: addr.id });
    const far = await createUnit(t.deps, sys(), { creditCode: makeCreditCode(61_003), name: '地图测试学校', keyIndustry: 'school', addressId: addr2.id });
    const res = await get(chief, '/api/v1/map/key-units');
    const items = res.json().items;
    expect(items.find((u: { id: string }) => u.id === hotel.id)).toMatchObject({ name: '地图测试宾馆', keyIndustry: 'hotel', keyIndustryName: '旅馆业', lat: p.lat, lng: p.lng });
    expect(items.map((u: { id: string }) => u.id)).not.toContain(plain.id);
    expect(items.map((u: { id: string }) => u.id)).not.toContain(far.id);
    expect(res.body).not.toContain('13811112222');
    expect(res.body).not.toContain('欧阳联系');
    expect((await get(command, '/api/v1/map/key-units')).json().items.map((u: { id: string }) => u.id)).toContain(far.id);
  });
});

describe('cameras (mapped assets only)', () => {
  const body = (o: Record<string, unknown> = {}) => ({ orgUnitId: ids['371602005'], code: `CAM${Math.random().toString(36).slice(2, 10)}`, name: '黄河五路与渤海七路路口', kind: 'public', lat: 37.42, lng: 117.94, ...o });

  it('creates, lists, edits and draws cameras; the record has no feed or recognition field', async () => {
    const res = await t.call(chief, 'POST', '/api/v1/cameras', body({ code: '37160200001320000001', note: '路口东北角立杆' }));
    expect(res.statusCode, res.body).toBe(201);
    const cam = res.json();
    expect(cam).toMatchObject({ code: '37160200001320000001', kind: 'public', status: 'active', orgUnit: { id: ids['371602005'], name: '彭李派出所' }, note: '路口东北角立杆' });
    expect(Object.keys(cam).sort()).toEqual(['code', 'createdAt', 'id', 'kind', 'lat', 'lng', 'name', 'note', 'orgUnit', 'status', 'updatedAt']);

    const list = (await get(chief, '/api/v1/cameras?q=37160200001')).json();
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([cam.id]);
    expect(list.total).toBe(1);

    const put = await t.call(chief, 'PUT', `/api/v1/cameras/${cam.id}`, { name: '黄河五路口（东）', kind: 'social', lat: 37.421 });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ name: '黄河五路口（东）', kind: 'social', lat: 37.421, lng: 117.94 });

    const drawn = (await get(officer, '/api/v1/map/cameras')).json().items.map((c: { id: string }) => c.id);
    expect(drawn).not.toContain(cam.id); // the station's camera is outside the community officer's scope
    expect((await get(command, '/api/v1/map/cameras')).json().items.map((c: { id: string }) => c.id)).toContain(cam.id);
    await t.call(chief, 'PUT', `/api/v1/cameras/${cam.id}`, { status: 'inactive' });
    expect((await get(command, '/api/v1/map/cameras')).json().items.map((c: { id: string }) => c.id)).not.toContain(cam.id);

    const audit = await t.deps.db.selectFrom('audit_log').select(['action']).where(sql<boolean>`subject_ids @> ARRAY[${cam.id}]::text[]`).orderBy('seq').execute();
    expect(audit.map((a) => a.action)).toEqual(['camera.create', 'camera.update', 'camera.update']);
  });

  it('a duplicate code is 409 naming the field, also when two arrive together', async () => {
    const code = 'CAM-DUP-001';
    expect((await t.call(chief, 'POST', '/api/v1/cameras', body({ code }))).statusCode).toBe(201);
    const again = await t.call(command, 'POST', '/api/v1/cameras', body({ code }));
    expect(again.statusCode).toBe(409);
    expect(fieldsOf(again)).toEqual(['code']);
    const race = await Promise.all([t.call(chief, 'POST', '/api/v1/cameras', body({ code: 'CAM-RACE-1' })), t.call(command, 'POST', '/api/v1/cameras', body({ code: 'CAM-RACE-1' }))]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const other = (await t.call(chief, 'POST', '/api/v1/cameras', body())).json();
    const rename = await t.call(chief, 'PUT', `/api/v1/cameras/${other.id}`, { code });
    expect(rename.statusCode).toBe(409);
    expect(fieldsOf(rename)).toEqual(['code']);
  });

  it('validates coordinates, code and unit', async () => {
    const bad = async (o: Record<string, unknown>, field: string) => {
      const res = await t.call(chief, 'POST', '/api/v1/cameras', body(o));
      expect(res.statusCode, JSON.stringify(o)).toBe(400);
      expect(fieldsOf(res), JSON.stringify(o)).toContain(field);
    };
    await bad({ lat: 117.94, lng: 37.42 }, 'lat'); // swapped: latitude out of range
    await bad({ lat: 37.42, lng: 37.42 }, 'lng'); // outside China
    await bad({ lat: 60, lng: 117.9 }, 'lat');
    await bad({ code: '中文编号' }, 'code');
    await bad({ name: '   ' }, 'name');
    await bad({ orgUnitId: ids['371602001'] }, 'orgUnitId'); // another station
    await bad({ orgUnitId: ids.foreign }, 'orgUnitId');
    await bad({ kind: 'face' }, 'kind');
    await bad({ streamUrl: 'rtsp://x' }, 'streamUrl');
  });

  it('is scoped: other stations 404, no map.manage 403', async () => {
    const cam = (await t.call(command, 'POST', '/api/v1/cameras', body({ orgUnitId: ids['371602001'] }))).json();
    expect((await t.call(chief, 'PUT', `/api/v1/cameras/${cam.id}`, { name: '越权' })).statusCode).toBe(404);
    expect((await get(chief, '/api/v1/cameras')).json().items.map((c: { id: string }) => c.id)).not.toContain(cam.id);
    expect((await get(chief, `/api/v1/cameras?orgUnitId=${ids['371602001']}`)).json()).toMatchObject({ items: [], total: 0 });
    expect((await t.call(officer, 'POST', '/api/v1/cameras', body({ orgUnitId: ids['371602005001'] }))).statusCode).toBe(403);
    expect((await t.call(leader, 'PUT', `/api/v1/cameras/${cam.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await get(leader, '/api/v1/cameras')).statusCode).toBe(200);
  });
});

describe('patrol routes', () => {
  const line = (n: number, x0 = 117.93, y0 = 37.35) => ({ type: 'LineString', coordinates: Array.from({ length: n }, (_, i) => [x0 + i * 0.001, y0 + (i % 2) * 0.001]) });

  it('creates, lists, edits and draws routes', async () => {
    const res = await t.call(chief, 'POST', '/api/v1/patrol-routes', { orgUnitId: ids['371602005'], name: '黄河五路夜巡线', mode: 'patrol', geometry: line(3) });
    expect(res.statusCode, res.body).toBe(201);
    const route = res.json();
    expect(route).toMatchObject({ name: '黄河五路夜巡线', mode: 'patrol', status: 'active', geometry: { type: 'LineString' } });
    expect(route.geometry.coordinates).toHaveLength(3);
    expect(route.lengthM).toBeGreaterThan(200);
    expect(route.lengthM).toBeLessThan(400);

    const put = await t.call(chief, 'PUT', `/api/v1/patrol-routes/${route.id}`, { mode: 'volunteer', geometry: line(2), note: '红袖标' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ mode: 'volunteer', note: '红袖标' });
    expect(put.json().geometry.coordinates).toHaveLength(2);

    expect((await get(chief, '/api/v1/patrol-routes?mode=volunteer')).json().items.map((r: { id: string }) => r.id)).toContain(route.id);
    const drawn = (await get(chief, '/api/v1/map/routes')).json().items;
    expect(drawn.find((r: { id: string }) => r.id === route.id)).toMatchObject({ mode: 'volunteer', geometry: { type: 'LineString' } });
    expect((await get(officer, '/api/v1/map/routes')).json().items.map((r: { id: string }) => r.id)).not.toContain(route.id);
  });

  it('a LineString needs 2–500 points inside China', async () => {
    const bad = async (geometry: unknown, field: string) => {
      const res = await t.call(chief, 'POST', '/api/v1/patrol-routes', { orgUnitId: ids['371602005'], name: '坏路线', mode: 'patrol', geometry });
      expect(res.statusCode, JSON.stringify(geometry).slice(0, 80)).toBe(400);
      expect(fieldsOf(res)).toContain(field);
    };
    await bad(line(1), 'geometry.coordinates');
    await bad(line(0), 'geometry.coordinates');
    await bad(line(501), 'geometry.coordinates');
    await bad(line(3, 37.3, 117.9), 'geometry.coordinates'); // [lat, lng] swapped
    await bad({ type: 'Point', coordinates: [[117.9, 37.3]] }, 'geometry.type');
    await bad({ type: 'LineString', coordinates: [[117.9, 37.3, 5], [117.91, 37.3]] }, 'geometry.coordinates.0');
    expect((await t.call(chief, 'POST', '/api/v1/patrol-routes', { orgUnitId: ids['371602005'], name: '长路线', mode: 'patrol', geometry: line(500) })).statusCode).toBe(201);
  });

  it('is scoped: other stations 404 (edit) and 400 (create for them)', async () => {
    const r = (await t.call(command, 'POST', '/api/v1/patrol-routes', { orgUnitId: ids['371602001'], name: '市中巡线', mode: 'patrol', geometry: line(2) })).json();
    expect((await t.call(chief, 'PUT', `/api/v1/patrol-routes/${r.id}`, { name: '越权' })).statusCode).toBe(404);
    const res = await t.call(chief, 'POST', '/api/v1/patrol-routes', { orgUnitId: ids['371602001'], name: '越权', mode: 'patrol', geometry: line(2) });
    expect(res.statusCode).toBe(400);
    expect(fieldsOf(res)).toEqual(['orgUnitId']);
    expect((await t.call(officer, 'POST', '/api/v1/patrol-routes', { orgUnitId: ids['371602005001'], name: 'x', mode: 'patrol', geometry: line(2) })).statusCode).toBe(403);
  });
});
