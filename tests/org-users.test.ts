import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let admin: string;
let chief: string;
let branchId: string;
let stations: Array<{ id: string; name: string; code: string; children: Array<{ id: string; code: string }> }>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  chief = await t.login('chief');
  const tree = (await t.call(admin, 'GET', '/api/v1/org/tree')).json();
  branchId = tree[0].id;
  stations = tree[0].children;
});
afterAll(() => t.close());

const ids = (nodes: Array<{ id: string; children: unknown[] }>): string[] =>
  nodes.flatMap((n) => [n.id, ...ids(n.children as Array<{ id: string; children: unknown[] }>)]);

describe('demo district', () => {
  it('is a city bureau → 滨城分局 → three stations on real streets → communities → grids', async () => {
    expect(stations.map((s) => s.name)).toEqual(['彭李派出所', '市中派出所', '市东派出所']);
    expect(stations.map((s) => s.code)).toEqual(['371602005', '371602001', '371602004']);
    expect(stations.every((s) => s.children.length === 3)).toBe(true);
    const unit = (await t.call(admin, 'GET', `/api/v1/org/units/${stations[0].children[0].id}`)).json();
    expect(unit.ancestors.map((a: { name: string }) => a.name)).toEqual(['滨州市公安局', '滨州市公安局滨城分局', '彭李派出所']);
    expect(unit.boundary.type).toBe('Polygon');
    const depts = (await t.call(admin, 'GET', '/api/v1/org/departments')).json();
    expect(depts.filter((d: { kind: string }) => d.kind === 'internal').map((d: { category: string }) => d.category)).toEqual(
      expect.arrayContaining(['zhian', 'huzheng', 'fazhi', 'xingzhen', 'zhihui']),
    );
    expect(depts.filter((d: { kind: string }) => d.kind === 'partner').length).toBeGreaterThanOrEqual(11);
  });
});

describe('jurisdiction scoping', () => {
  it('a station chief sees only the own station subtree', async () => {
    const tree = (await t.call(chief, 'GET', '/api/v1/org/tree')).json();
    expect(tree).toHaveLength(1);
    expect(tree[0].name).toBe('彭李派出所');
    expect(ids(tree)).not.toContain(stations[1].id);
    expect((await t.call(chief, 'GET', `/api/v1/org/units/${stations[1].id}`)).statusCode).toBe(404);
    expect((await t.call(chief, 'GET', `/api/v1/org/units/${branchId}`)).statusCode).toBe(404);
    const users = (await t.call(chief, 'GET', '/api/v1/users?pageSize=200')).json();
    expect(users.items.map((u: { username: string }) => u.username).sort()).toEqual(
      ['assistant', 'caseofficer', 'chief', 'gridworker', 'hotel', 'mediator', 'officer'].sort(),
    );
  });

  it('a community officer has no wider view than the community', async () => {
    const officer = await t.login('officer');
    const tree = (await t.call(officer, 'GET', '/api/v1/org/tree')).json();
    expect(tree[0].name).toBe('学苑社区警务区');
    expect(tree[0].children.map((g: { name: string }) => g.name)).toEqual(['学苑社区第一网格', '学苑社区第二网格']);
  });
});

describe('org units', () => {
  it('checks the code shape against the parent and real division codes', async () => {
    const wrongPrefix = await t.call(admin, 'POST', '/api/v1/org/units', { parentId: branchId, kind: 'station', code: '371603001', name: '错误派出所' });
    expect(wrongPrefix.statusCode).toBe(400);
    expect(wrongPrefix.json().errors[0]).toMatchObject({ field: 'code' });
    const wrongKind = await t.call(admin, 'POST', '/api/v1/org/units', { parentId: branchId, kind: 'grid', code: '371602005999', name: '错误网格' });
    expect(wrongKind.json().errors[0]).toMatchObject({ field: 'kind', message: '「分局/县局」下只能建立「派出所」' });
    const dup = await t.call(admin, 'POST', '/api/v1/org/units', { parentId: branchId, kind: 'station', code: '371602005', name: '重复派出所' });
    expect(dup.statusCode).toBe(409);
    const ok = await t.call(admin, 'POST', '/api/v1/org/units', { parentId: branchId, kind: 'station', code: '371602008', name: '滨北派出所', contactPhone: '0543-3161280' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ kind: 'station', countyCode: '371602', status: 'active' });
  });

  it('validates boundary polygons', async () => {
    const unit = stations[0].children[1].id;
    const open = await t.call(admin, 'PATCH', `/api/v1/org/units/${unit}`, { boundary: { type: 'Polygon', coordinates: [[[118, 37.4], [118.01, 37.4], [118.01, 37.41], [118, 37.41]]] } });
    expect(open.statusCode).toBe(400);
    expect(open.json().errors[0]).toMatchObject({ field: 'boundary', message: '多边形的环必须闭合（首尾坐标相同）' });
    const abroad = await t.call(admin, 'PATCH', `/api/v1/org/units/${unit}`, { boundary: { type: 'Polygon', coordinates: [[[2, 48], [3, 48], [3, 49], [2, 48]]] } });
    expect(abroad.json().errors[0].message).toContain('中国范围');
    const ok = await t.call(admin, 'PATCH', `/api/v1/org/units/${unit}`, { boundary: { type: 'Polygon', coordinates: [[[118, 37.4], [118.01, 37.4], [118.01, 37.41], [118, 37.4]]] }, name: '香园社区警务区（新）' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().name).toBe('香园社区警务区（新）');
  });

  it('an administrator cannot deactivate the own unit', async () => {
    const r = await t.call(admin, 'PATCH', `/api/v1/org/units/${branchId}`, { status: 'inactive' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('status');
  });

  it('departments need a known category and a unique name per unit', async () => {
    const bad = await t.call(admin, 'POST', '/api/v1/org/departments', { orgUnitId: branchId, kind: 'internal', category: 'zongzhi', name: '错类部门' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('category');
    const dup = await t.call(admin, 'POST', '/api/v1/org/departments', { orgUnitId: branchId, kind: 'partner', category: 'minzheng', name: '区民政局' });
    expect(dup.statusCode).toBe(409);
  });
});

describe('users', () => {
  it('validates every field and reports all problems at once', async () => {
    const r = await t.call(admin, 'POST', '/api/v1/users', { username: '9bad name', displayName: '某人', password: 'abc', orgUnitId: branchId, roles: ['nosuchrole'], phone: '12' });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['password', 'phone', 'roles', 'username']);
  });

  it('two concurrent creations of one username: one succeeds, the other is a clean 409', async () => {
    const body = { username: 'twin', displayName: '双胞胎', password: 'Initial123', orgUnitId: branchId, roles: ['officer'] };
    const results = await Promise.all([t.call(admin, 'POST', '/api/v1/users', body), t.call(admin, 'POST', '/api/v1/users', body)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect((await t.call(admin, 'GET', '/api/v1/users?q=twin')).json().total).toBe(1);
  });

  it('lists with filters and pagination, phone masked', async () => {
    const page1 = (await t.call(admin, 'GET', '/api/v1/users?pageSize=5&page=1')).json();
    const page2 = (await t.call(admin, 'GET', '/api/v1/users?pageSize=5&page=2')).json();
    expect(page1.items).toHaveLength(5);
    expect(page1.total).toBeGreaterThanOrEqual(13);
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
    expect(page1.items.every((u: { phone: string | null }) => !u.phone || /^\d{3}\*{4}\d{4}$/.test(u.phone))).toBe(true);
    const byRole = (await t.call(admin, 'GET', '/api/v1/users?role=supervisor')).json();
    expect(byRole.items.map((u: { username: string }) => u.username)).toEqual(['supervisor']);
    const byUnit = (await t.call(admin, 'GET', `/api/v1/users?orgUnitId=${stations[0].id}`)).json();
    expect(byUnit.items.every((u: { orgUnit: { name: string } }) => u.orgUnit.name === '彭李派出所')).toBe(true);
  });

  it('role changes take effect on the next request and an administrator cannot lock themself out', async () => {
    const officer = (await t.call(admin, 'GET', '/api/v1/users?q=officer')).json().items.find((u: { username: string }) => u.username === 'officer');
    const tok = await t.login('officer');
    expect((await t.call(tok, 'GET', '/api/v1/users')).statusCode).toBe(403);
    await t.call(admin, 'PATCH', `/api/v1/users/${officer.id}`, { roles: ['officer', 'chief'] });
    expect((await t.call(tok, 'GET', '/api/v1/users')).statusCode).toBe(200);
    const me = (await t.call(admin, 'GET', '/api/v1/auth/me')).json();
    const self = await t.call(admin, 'PATCH', `/api/v1/users/${me.id}`, { status: 'disabled', roles: ['leader'] });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['roles', 'status']);
  });

  it('roles and permissions are listed for the console', async () => {
    const roles = (await t.call(admin, 'GET', '/api/v1/roles')).json();
    expect(roles.map((r: { code: string }) => r.code)).toEqual(
      expect.arrayContaining(['admin', 'leader', 'chief', 'officer', 'assistant', 'gridworker', 'caseofficer', 'legal', 'command', 'dept', 'mediator', 'operator', 'supervisor', 'squad']),
    );
    const perms = (await t.call(admin, 'GET', '/api/v1/permissions')).json();
    expect(perms.find((p: { code: string }) => p.code === 'audit.export').name).toBe('导出审计日志');
  });
});
