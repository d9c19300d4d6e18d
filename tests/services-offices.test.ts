import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress, orgUnitId } from './support/registry-fixtures.js';
import { addForeignBranch } from './support/foreign.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { issuePlate } from '../src/server/modules/addresses/plates.js';
import { servicesRepository } from '../src/server/modules/services/repository.js';

let t: TestApp;
let officer: string;
let chief: string;
let gridworker: string;
let admin: string;
let xueyuan: string;
let xiangyuan: string;
let token: string;

beforeAll(async () => {
  t = await createTestApp();
  [officer, chief, gridworker, admin] = await Promise.all(['officer', 'chief', 'gridworker', 'admin'].map((u) => t.login(u)));
  xueyuan = await orgUnitId(t.deps, '371602005001');
  xiangyuan = await orgUnitId(t.deps, '371602005002');
  const a = await insertAddress(t.deps, { grid: '371602005001001' });
  token = (await issuePlate(t.deps, systemContext(Object.keys(PERMISSIONS)), a.id, {})).token;
});
afterAll(() => t.close());

const fields = (res: { json(): { errors?: Array<{ field: string }> } }) => res.json().errors!.map((e) => e.field);

describe('offices', () => {
  it('lists the offices in scope with readable hours', async () => {
    const mine = (await t.call(officer, 'GET', '/api/v1/police-offices')).json();
    expect(mine.map((o: { name: string }) => o.name)).toEqual(['学苑社区警务室']);
    expect(mine[0]).toMatchObject({
      kind: 'office',
      kindName: '社区警务室',
      orgUnit: { id: xueyuan },
      status: 'active',
      hoursText: ['周一至周五 08:30–12:00、14:00–17:30', '周六、周日 09:00–12:00', '周二、周四晚间 19:00–21:00'],
    });
    const station = (await t.call(chief, 'GET', '/api/v1/police-offices')).json();
    expect(station.map((o: { kind: string }) => o.kind)).toEqual(['station', 'office', 'office', 'office', 'post']);
    const narrowed = (await t.call(chief, 'GET', `/api/v1/police-offices?orgUnitId=${xiangyuan}`)).json();
    expect(narrowed.map((o: { name: string }) => o.name)).toEqual(['香园社区警务室']);
    expect((await t.call(officer, 'GET', `/api/v1/police-offices?orgUnitId=${xiangyuan}`)).statusCode).toBe(404);
    // every staff member may look (a grid worker tells residents where to go)
    expect((await t.call(gridworker, 'GET', '/api/v1/police-offices')).statusCode).toBe(200);
  });

  it('validates opening hours with the offending field', async () => {
    const post = (hours: unknown) => t.call(officer, 'POST', '/api/v1/police-offices', { orgUnitId: xueyuan, kind: 'post', name: '学苑警务站', hours });
    const overlap = await post([
      { day: 1, open: '08:30', close: '12:00' },
      { day: 1, open: '11:00', close: '13:00' },
    ]);
    expect(overlap.statusCode).toBe(400);
    expect(fields(overlap)).toEqual(['hours.1.open']);
    const reversed = await post([{ day: 3, open: '18:00', close: '09:00' }]);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors).toEqual([{ field: 'hours.0.close', message: '结束时间须晚于开始时间' }]);
    expect(fields(await post([{ day: 9, open: '8:00', close: '09:00' }]))).toEqual(['hours.0.day', 'hours.0.open']);
  });

  it('creates and edits offices inside the scope only', async () => {
    const created = await t.call(officer, 'POST', '/api/v1/police-offices', {
      orgUnitId: xueyuan,
      kind: 'post',
      name: '学苑广场警务站',
      address: '黄河十二路与渤海十八路交叉口',
      lng: 117.93,
      lat: 37.36,
      phone: '0543-3169901',
      hours: [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '08:00', close: '22:00' })),
      hoursNote: '巡逻时段可能无人值守',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: '学苑广场警务站', kindName: '警务站', phone: '05433169901', hoursText: ['每天 08:00–22:00'] });
    const id = created.json().id;
    const patched = await t.call(officer, 'PATCH', `/api/v1/police-offices/${id}`, { status: 'inactive', hours: [{ day: 6, open: '09:00', close: '12:00' }] });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ status: 'inactive', openNow: false, hoursText: ['周六 09:00–12:00'] });

    // the office of another community: invisible to this officer, open to the station chief
    const other = (await t.call(chief, 'GET', `/api/v1/police-offices?orgUnitId=${xiangyuan}`)).json()[0];
    expect((await t.call(officer, 'PATCH', `/api/v1/police-offices/${other.id}`, { hoursNote: '越权' })).statusCode).toBe(404);
    expect((await t.call(chief, 'PATCH', `/api/v1/police-offices/${other.id}`, { hoursNote: '周三下午社区民警集中走访' })).statusCode).toBe(200);
    const foreign = await t.call(officer, 'POST', '/api/v1/police-offices', { orgUnitId: xiangyuan, kind: 'office', name: '香园第二警务室', hours: [] });
    expect(foreign.statusCode).toBe(400);
    expect(fields(foreign)).toEqual(['orgUnitId']);
    // a station office sits on a station
    const wrongKind = await t.call(chief, 'POST', '/api/v1/police-offices', { orgUnitId: xueyuan, kind: 'station', name: '学苑派出所', hours: [] });
    expect(wrongKind.statusCode).toBe(400);
    expect(fields(wrongKind)).toEqual(['orgUnitId']);
    expect(fields(await t.call(officer, 'PATCH', `/api/v1/police-offices/${id}`, { lng: 200 }))).toEqual(['lng']);
    expect(fields(await t.call(officer, 'PATCH', `/api/v1/police-offices/${id}`, { lat: null }))).toEqual(['lat']);
  });

  it('refuses staff without service.manage', async () => {
    expect((await t.call(gridworker, 'POST', '/api/v1/police-offices', { orgUnitId: xueyuan, kind: 'post', name: '网格员警务站', hours: [] })).statusCode).toBe(403);
    const office = (await t.call(officer, 'GET', '/api/v1/police-offices')).json()[0];
    expect((await t.call(gridworker, 'PATCH', `/api/v1/police-offices/${office.id}`, { hoursNote: 'x' })).statusCode).toBe(403);
    expect((await t.call(gridworker, 'POST', '/api/v1/appointment-services', { officeId: office.id, category: 'other', name: '网格员事项' })).statusCode).toBe(403);
  });
});

describe('services', () => {
  it('lists, creates and edits the services of offices in scope', async () => {
    const office = (await t.call(officer, 'GET', '/api/v1/police-offices')).json()[0];
    const list = (await t.call(officer, 'GET', `/api/v1/appointment-services?officeId=${office.id}`)).json();
    expect(list.map((s: { name: string }) => s.name).sort()).toEqual(['出租房屋登记咨询', '居住证签注', '辖区居住情况证明'].sort());
    const created = await t.call(officer, 'POST', '/api/v1/appointment-services', {
      officeId: office.id,
      category: 'zhengming',
      name: '亲属关系证明',
      requiredDocs: [' 居民户口簿 ', '居民身份证'],
      fullyOnline: true,
      slotMinutes: 20,
      capacity: 3,
      daysAhead: 10,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ categoryName: '证明开具', officeName: '学苑社区警务室', requiredDocs: ['居民户口簿', '居民身份证'], fullyOnline: true, status: 'active' });
    const bad = await t.call(officer, 'POST', '/api/v1/appointment-services', { officeId: office.id, category: 'other', name: '事项', slotMinutes: 5, capacity: 0, daysAhead: 90, requiredDocs: ['a', 'a'] });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad).sort()).toEqual(['capacity', 'daysAhead', 'requiredDocs', 'slotMinutes']);
    const off = await t.call(officer, 'PATCH', `/api/v1/appointment-services/${created.json().id}`, { status: 'inactive' });
    expect(off.json().status).toBe('inactive');
    // inactive services are not offered on the plate
    const offered = (await t.call(undefined, 'GET', `/api/v1/portal/plates/${token}/services`)).json();
    expect(offered.map((s: { name: string }) => s.name)).not.toContain('亲属关系证明');
    expect((await t.call(undefined, 'GET', `/api/v1/portal/services/${created.json().id}/slots`)).statusCode).toBe(404);

    const stationService = (await t.call(chief, 'GET', '/api/v1/appointment-services')).json().find((s: { name: string }) => s.name === '户口迁移');
    expect((await t.call(officer, 'PATCH', `/api/v1/appointment-services/${stationService.id}`, { capacity: 9 })).statusCode).toBe(404);
    expect((await t.call(officer, 'GET', `/api/v1/appointment-services?officeId=${stationService.officeId}`)).statusCode).toBe(404);
    const foreignOffice = await t.call(officer, 'POST', '/api/v1/appointment-services', { officeId: stationService.officeId, category: 'other', name: '越权事项' });
    expect(foreignOffice.statusCode).toBe(400);
    expect(fields(foreignOffice)).toEqual(['officeId']);
  });
});

describe('safety articles', () => {
  const plateTitles = async () => ((await t.call(undefined, 'GET', `/api/v1/portal/plates/${token}/articles?pageSize=100`)).json().items as Array<{ title: string }>).map((a) => a.title);

  it('go from draft to published to withdrawn, visible to residents only while published', async () => {
    const created = await t.call(officer, 'POST', '/api/v1/safety-articles', {
      title: '学苑社区防范入室盗窃提示',
      summary: '近期小区发生多起入室盗窃。',
      body: '近期学苑社区发生多起入室盗窃案件。\r\n\r\n请居民外出时关好门窗，发现可疑人员及时报警。',
    });
    expect(created.statusCode).toBe(201);
    const a = created.json();
    expect(a).toMatchObject({ status: 'draft', statusName: '草稿', orgUnitId: xueyuan, publishedAt: null, body: '近期学苑社区发生多起入室盗窃案件。\n\n请居民外出时关好门窗，发现可疑人员及时报警。' });
    expect((await t.call(undefined, 'GET', `/api/v1/portal/articles/${a.id}`)).statusCode).toBe(404);
    expect(await plateTitles()).not.toContain('学苑社区防范入室盗窃提示');

    const published = await t.call(officer, 'POST', `/api/v1/safety-articles/${a.id}/publish`);
    expect(published.json()).toMatchObject({ status: 'published' });
    expect((await t.call(officer, 'POST', `/api/v1/safety-articles/${a.id}/publish`)).statusCode).toBe(409);
    const titles = await plateTitles();
    expect(titles[0]).toBe('学苑社区防范入室盗窃提示'); // newest first
    expect(titles).toContain('出租屋消防安全，房东租客都有责'); // the station's
    expect(titles).toContain('防范电信网络诈骗：牢记“六个一律”'); // the branch's
    expect(titles).not.toContain('冬季防盗提示：关好门窗，看好财物'); // another station's
    const pub = (await t.call(undefined, 'GET', `/api/v1/portal/articles/${a.id}`)).json();
    expect(pub).toMatchObject({ title: '学苑社区防范入室盗窃提示', orgUnitName: '学苑社区警务区', summary: '近期小区发生多起入室盗窃。' });
    expect(pub.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect((await t.call(officer, 'POST', `/api/v1/safety-articles/${a.id}/withdraw`)).json().status).toBe('withdrawn');
    expect((await t.call(officer, 'POST', `/api/v1/safety-articles/${a.id}/withdraw`)).statusCode).toBe(409);
    expect((await t.call(undefined, 'GET', `/api/v1/portal/articles/${a.id}`)).statusCode).toBe(404);
    expect(await plateTitles()).not.toContain('学苑社区防范入室盗窃提示');
  });

  it("never shows another community's or another branch's articles on a plate", async () => {
    const sibling = await t.call(chief, 'POST', '/api/v1/safety-articles', { orgUnitId: xiangyuan, title: '香园社区停水期间防骗提示', body: '停水期间谨防冒充物业人员上门收费。' });
    await t.call(chief, 'POST', `/api/v1/safety-articles/${sibling.json().id}/publish`);
    const f = await addForeignBranch(t.deps);
    const author = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;
    await servicesRepository.insertArticle(t.deps.db, { id: crypto.randomUUID(), org_unit_id: f.branchId, title: '沾化分局防诈提示', summary: null, body: '沾化分局发布的防诈提示正文。', created_by: author, status: 'published', published_at: new Date() });
    const titles = await plateTitles();
    expect(titles).not.toContain('香园社区停水期间防骗提示');
    expect(titles).not.toContain('沾化分局防诈提示');
    // the staff list is scoped too
    const staff = (await t.call(officer, 'GET', '/api/v1/safety-articles?pageSize=200')).json();
    expect(staff.items.map((a: { title: string }) => a.title)).not.toContain('香园社区停水期间防骗提示');
    expect((await t.call(officer, 'PATCH', `/api/v1/safety-articles/${sibling.json().id}`, { title: '越权修改' })).statusCode).toBe(404);
    const adminList = (await t.call(admin, 'GET', '/api/v1/safety-articles?status=published&pageSize=200')).json();
    expect(adminList.items.map((a: { title: string }) => a.title)).toContain('香园社区停水期间防骗提示');
    expect(adminList.items.map((a: { title: string }) => a.title)).not.toContain('沾化分局防诈提示');
    expect(adminList.items.every((a: { status: string }) => a.status === 'published')).toBe(true);
  });

  it('validates the text and the unit', async () => {
    const bad = await t.call(officer, 'POST', '/api/v1/safety-articles', { title: '提', body: '太短', orgUnitId: xiangyuan });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad).sort()).toEqual(['body', 'orgUnitId', 'title']);
    expect((await t.call(gridworker, 'POST', '/api/v1/safety-articles', { title: '网格员提示', body: '网格员发布的安全提示正文。' })).statusCode).toBe(403);
    const page = (await t.call(gridworker, 'GET', '/api/v1/safety-articles?page=1&pageSize=1')).json();
    expect(page).toMatchObject({ page: 1, pageSize: 1 });
  });
});
