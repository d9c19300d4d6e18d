import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress } from './support/registry-fixtures.js';
import { addForeignBranch } from './support/foreign.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { issuePlate, revokePlate } from '../src/server/modules/addresses/plates.js';
import { servicesRepository } from '../src/server/modules/services/repository.js';

let t: TestApp;
let officer: string;
let admin: string;
let gridworker: string;
let assistant: string;
let token: string;
let replacedToken: string;
let revokedToken: string;
const ids: Record<string, string> = {};

const sys = systemContext(Object.keys(PERMISSIONS));
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('IHDR-test-photo')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF-test-photo')]);
const upload = (tok: string | undefined, userId: string, body: Buffer | string, type: string) =>
  t.app.inject({ method: 'PUT', url: `/api/v1/users/${userId}/photo`, headers: { ...(tok ? { authorization: `Bearer ${tok}` } : {}), 'content-type': type }, payload: body });

beforeAll(async () => {
  t = await createTestApp();
  [officer, admin, gridworker, assistant] = await Promise.all(['officer', 'admin', 'gridworker', 'assistant'].map((u) => t.login(u)));
  for (const u of ['officer', 'gridworker', 'assistant']) ids[u] = (await t.deps.db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id;
  const a = await insertAddress(t.deps, { grid: '371602005001001', lng: 117.93, lat: 37.35 });
  token = (await issuePlate(t.deps, sys, a.id, {})).token;
  const b = await insertAddress(t.deps, { grid: '371602005001001' });
  replacedToken = (await issuePlate(t.deps, sys, b.id, {})).token;
  await issuePlate(t.deps, sys, b.id, { reason: '门牌损坏' });
  const c = await insertAddress(t.deps, { grid: '371602005001002' });
  const p = await issuePlate(t.deps, sys, c.id, {});
  revokedToken = p.token;
  await revokePlate(t.deps, sys, p.id, { reason: '房屋拆除' });
});
afterAll(() => t.close());

describe('plate context', () => {
  it('shows the address, the community officer, the grid worker, the office and the station', async () => {
    const res = await t.call(undefined, 'GET', `/api/v1/portal/plates/${token}`);
    expect(res.statusCode).toBe(200);
    const c = res.json();
    expect(c).toMatchObject({ token, state: 'active', replaced: false, emergency: '110', address: { kindName: '室号牌' } });
    expect(c.address.fullText).toContain('学苑社区');
    expect(c.officers).toEqual([{ id: ids.officer, name: '张明', policeNo: '371842', phone: '13905430004', photoUrl: `/api/v1/portal/staff/${ids.officer}/photo` }]);
    expect(c.gridWorkers).toEqual([{ id: ids.gridworker, name: '王秀英', policeNo: null, phone: '13905430006', photoUrl: `/api/v1/portal/staff/${ids.gridworker}/photo` }]);
    expect(c.office).toMatchObject({ kind: 'office', kindName: '社区警务室', name: '学苑社区警务室', phone: '0543-3163001' });
    expect(c.office.hoursText).toContain('周六、周日 09:00–12:00');
    expect(typeof c.office.openNow).toBe('boolean');
    expect(c.station).toMatchObject({ kind: 'station', name: '彭李派出所' });
    expect(res.body).not.toContain('addressId');
  });

  it('answers a revoked plate with its state and an unknown one with 404', async () => {
    const replaced = (await t.call(undefined, 'GET', `/api/v1/portal/plates/${replacedToken}`)).json();
    expect(replaced).toMatchObject({ state: 'revoked', replaced: true });
    expect(replaced.officers[0].name).toBe('张明');
    expect((await t.call(undefined, 'GET', `/api/v1/portal/plates/${revokedToken}`)).json()).toMatchObject({ state: 'revoked', replaced: false });
    const unknown = await t.call(undefined, 'GET', '/api/v1/portal/plates/AAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe('未找到该门牌');
  });

  it('lists the offices of the branch, nearest first, never another branch', async () => {
    const f = await addForeignBranch(t.deps);
    await servicesRepository.insertOffice(t.deps.db, crypto.randomUUID(), {
      org_unit_id: f.stationId,
      kind: 'station',
      name: '富国派出所',
      address: null,
      lng: 117.93,
      lat: 37.35,
      phone: null,
      hours: [],
      hours_note: null,
      status: 'active',
    });
    const fromAddress = (await t.call(undefined, 'GET', `/api/v1/portal/plates/${token}/offices`)).json();
    expect(fromAddress.length).toBeLessThanOrEqual(20);
    expect(fromAddress.map((o: { name: string }) => o.name)).not.toContain('富国派出所');
    expect(fromAddress.map((o: { name: string }) => o.name)).toEqual(expect.arrayContaining(['彭李派出所', '市中派出所', '市东派出所', '学苑社区警务室', '丰收社区警务室']));
    const d = fromAddress.map((o: { distanceM: number }) => o.distanceM);
    expect(d).toEqual([...d].sort((x: number, y: number) => x - y));
    // from where the phone is: the third station's area comes first
    const east = (await t.call(undefined, 'GET', `/api/v1/portal/plates/${token}/offices?lng=118.095&lat=37.36`)).json();
    expect(east[0].name).toMatch(/^(市东派出所|东城社区警务室)$/);
    expect(east[0].distanceM).toBeLessThan(east.at(-1).distanceM);
    const half = await t.call(undefined, 'GET', `/api/v1/portal/plates/${token}/offices?lng=118`);
    expect(half.statusCode).toBe(400);
    expect(half.json().errors[0].field).toBe('lat');
  });

  it("offers the services of the community office, then the station's", async () => {
    const services = (await t.call(undefined, 'GET', `/api/v1/portal/plates/${token}/services`)).json();
    const offices = [...new Set(services.map((s: { officeName: string }) => s.officeName))];
    expect(offices).toEqual(['学苑社区警务室', '彭李派出所']);
    expect(services.find((s: { name: string }) => s.name === '无犯罪记录证明开具')).toMatchObject({ category: 'zhian', categoryName: '治安业务', fullyOnline: true });
    expect(services.find((s: { name: string }) => s.name === '居民身份证申领、换领、补领').requiredDocs).toContain('居民户口簿');
  });
});

describe('the landing page /q/{token}', () => {
  it('is a small page with the officer, the office, 110 and the resident actions', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/q/${token}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.body;
    expect(Buffer.byteLength(html)).toBeLessThan(12 * 1024);
    // no script and no external resource: the only links are idle-time prefetches of the built resident portal
    expect(html).not.toMatch(/<script|url\(/i);
    for (const [link] of html.matchAll(/<link[^>]*>/g)) expect(link).toMatch(/^<link rel="prefetch" href="\/assets\/[^"]+"/);
    for (const text of ['张明', '警号 371842', '社区民警', '王秀英', '网格员', '学苑社区警务室', '彭李派出所', '紧急情况请直接拨打 110', '晚间', '周末']) expect(html).toContain(text);
    expect(html).toContain('href="tel:110"');
    expect(html).toContain('href="tel:13905430004"');
    expect(html).toContain('href="tel:13905430006"');
    expect(html).toContain('href="tel:05433163001"');
    expect(html).toMatch(/正在办公|已下班/);
    expect(html).toContain(`<img src="/api/v1/portal/staff/${ids.officer}/photo" width="60" height="75" loading="lazy" alt="社区民警张明的照片">`);
    const t0 = encodeURIComponent(token);
    for (const [label, href] of [
      ['出租屋报备', `/m/p/${t0}/rental`],
      ['流动人口报备', `/m/p/${t0}/residence`],
      ['报警求助/咨询', `/m/p/${t0}/help`],
      ['办事预约', `/m/p/${t0}/appointments`],
      ['矛盾纠纷调解', `/m/p/${t0}/mediation`],
      ['电动自行车登记', `/m/p/${t0}/ebike`],
      ['我的办理进度', '/m/me'],
      ['安全防范提示', `/m/p/${t0}/tips`],
      ['周边警务', `/m/p/${t0}/nearby`],
    ]) {
      expect(html).toMatch(new RegExp(`href="${href.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')}">.*?${label.replace('/', '\\/')}</a>`));
    }
  });

  it('escapes what it shows', async () => {
    await t.deps.db.updateTable('users').set({ police_no: '<b>1</b>' }).where('id', '=', ids.officer).execute();
    const html = (await t.app.inject({ method: 'GET', url: `/q/${token}` })).body;
    expect(html).toContain('警号 &lt;b&gt;1&lt;/b&gt;');
    await t.deps.db.updateTable('users').set({ police_no: '371842' }).where('id', '=', ids.officer).execute();
  });

  it('is a friendly page for unknown and revoked plates, with 110 and the officer', async () => {
    const unknown = await t.app.inject({ method: 'GET', url: '/q/nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('未找到该门牌');
    expect(unknown.body).toContain('href="tel:110"');
    const replaced = await t.app.inject({ method: 'GET', url: `/q/${replacedToken}` });
    expect(replaced.statusCode).toBe(410);
    expect(replaced.body).toContain('该门牌已更换');
    expect(replaced.body).toContain('href="tel:13905430004"');
    expect(replaced.body).not.toContain('/rental');
    const revoked = await t.app.inject({ method: 'GET', url: `/q/${revokedToken}` });
    expect(revoked.body).toContain('该门牌已注销');
    expect(revoked.body).toContain('href="tel:110"');
  });
});

describe('staff photos and police numbers', () => {
  it('lets a user upload their own photo, and a manager upload one for a user in scope', async () => {
    const self = await upload(officer, ids.officer, PNG, 'image/png');
    expect(self.statusCode).toBe(200);
    expect(self.json()).toEqual({ userId: ids.officer, contentType: 'image/png', bytes: PNG.length, photoUrl: `/api/v1/portal/staff/${ids.officer}/photo` });
    const photo = await t.call(undefined, 'GET', `/api/v1/portal/staff/${ids.officer}/photo`);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(photo.rawPayload.equals(PNG)).toBe(true);

    expect((await upload(admin, ids.gridworker, JPEG, 'image/jpeg')).statusCode).toBe(200);
    expect((await t.call(undefined, 'GET', `/api/v1/portal/staff/${ids.gridworker}/photo`)).headers['content-type']).toBe('image/jpeg');
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor_name', 'subject_ids']).where('action', '=', 'user.photo').orderBy('seq').execute();
    expect(audit).toEqual([
      { actor_name: '张明(officer)', subject_ids: [ids.officer] },
      { actor_name: '高志强(admin)', subject_ids: [ids.gridworker] },
    ]);
  });

  it('refuses bytes that are not the declared image, other media types, big files and other people', async () => {
    const fake = await upload(officer, ids.officer, Buffer.from('not an image at all'), 'image/png');
    expect(fake.statusCode).toBe(415);
    expect(fake.headers['content-type']).toContain('application/problem+json');
    expect((await upload(officer, ids.officer, PNG, 'image/jpeg')).statusCode).toBe(415);
    expect((await upload(officer, ids.officer, '<svg/>', 'image/svg+xml')).statusCode).toBe(415);
    expect((await upload(officer, ids.officer, Buffer.alloc(0), 'image/png')).statusCode).toBe(415);
    const big = await upload(officer, ids.officer, Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), 'image/png');
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toBe('照片不能超过 2 MB');
    const svg = await upload(officer, ids.officer, '<svg/>', 'image/svg+xml');
    expect(svg.json().errors).toEqual([{ field: 'photo', message: '请上传 JPEG、PNG 或 WebP 格式的照片' }]);
    const anonymous = await t.app.inject({ method: 'PUT', url: `/api/v1/users/${ids.officer}/photo`, headers: { 'content-type': 'image/png' }, payload: PNG });
    expect(anonymous.statusCode).toBe(401);
    expect((await upload(gridworker, ids.officer, PNG, 'image/png')).statusCode).toBe(403);
    expect((await upload(undefined, ids.officer, PNG, 'image/png')).statusCode).toBe(401);
    const f = await addForeignBranch(t.deps).catch(() => undefined);
    const foreignId = f?.userId ?? (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'zhanhua').executeTakeFirstOrThrow()).id;
    expect((await upload(admin, foreignId, PNG, 'image/png')).statusCode).toBe(404);
  });

  it('publishes only the photos of officers and grid workers', async () => {
    expect((await upload(assistant, ids.assistant, PNG, 'image/png')).json().photoUrl).toBeNull();
    expect((await t.call(undefined, 'GET', `/api/v1/portal/staff/${ids.assistant}/photo`)).statusCode).toBe(404);
    expect((await t.call(undefined, 'GET', `/api/v1/portal/staff/${crypto.randomUUID()}/photo`)).statusCode).toBe(404);
    // the portrait of a disabled grid worker is no longer published
    await t.deps.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', ids.gridworker).execute();
    expect((await t.call(undefined, 'GET', `/api/v1/portal/staff/${ids.gridworker}/photo`)).statusCode).toBe(404);
    await t.deps.db.updateTable('users').set({ status: 'active' }).where('id', '=', ids.gridworker).execute();
  });

  it('keeps police numbers on users', async () => {
    const detail = (await t.call(admin, 'GET', `/api/v1/users/${ids.officer}`)).json();
    expect(detail).toMatchObject({ policeNo: '371842', hasPhoto: true, photoUrl: `/api/v1/portal/staff/${ids.officer}/photo` });
    const patched = await t.call(admin, 'PATCH', `/api/v1/users/${ids.assistant}`, { policeNo: ' f37106 ' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().policeNo).toBe('F37106');
    const bad = await t.call(admin, 'PATCH', `/api/v1/users/${ids.assistant}`, { policeNo: '警号12' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual(['policeNo']);
    const unit = (await t.call(admin, 'GET', '/api/v1/auth/me')).json().orgUnit.id;
    const created = await t.call(admin, 'POST', '/api/v1/users', { username: 'newcop', displayName: '新民警', password: 'Initial123', orgUnitId: unit, roles: ['officer'], policeNo: '371999' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ policeNo: '371999', hasPhoto: false, photoUrl: null });
    expect((await t.call(admin, 'PATCH', `/api/v1/users/${ids.assistant}`, { policeNo: null })).json().policeNo).toBeNull();
  });
});
