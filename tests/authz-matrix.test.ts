import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from './support/app.js';
import { addForeignBranch } from './support/foreign.js';
import { DEMO_ACCOUNTS } from '../src/demo/district.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createDepartment } from '../src/server/modules/org/service.js';
import { createUser } from '../src/server/modules/users/service.js';
import type { RouteEntry } from '../src/server/platform/auth/plugin.js';

/**
 * The authorization matrix: every registered API route × every demo role (+ a resident and an anonymous
 * caller) × a request inside and outside the caller's jurisdiction. A route without an entry in SPECS fails
 * the suite, so each new capability must say here how its routes are scoped.
 */

interface Actor {
  username: string;
  token: string;
  userId: string;
  orgUnitId: string;
  orgKind: string;
  permissions: Set<string>;
  deptId: string;
  victimId: string;
}
interface Sample {
  url: string;
  body?: unknown;
}
interface Spec {
  own(a: Actor): Sample;
  /** The same request aimed outside the jurisdiction; `expect` is the status an allowed caller must get. */
  foreign?: { sample(a: Actor): Sample; expect: number[] };
  /** Statuses an allowed caller may get inside the jurisdiction (default: any 2xx). */
  ownOk?: number[];
  /** For lists and exports: the response must not reveal anything from outside the jurisdiction. */
  noLeak?: boolean;
  /** The call ends the session (logout): run it on a fresh token. */
  fresh?: boolean;
}

let t: TestApp;
let foreign: Awaited<ReturnType<typeof addForeignBranch>>;
let foreignSessionId: string;
const actors: Actor[] = [];
let resident: string;
let seq = 0;
const next = () => ++seq;
const KIND_CHILD: Record<string, string> = { city_bureau: 'branch', branch: 'station', station: 'community', community: 'grid' };

function childFor(a: Actor, parentCode: string) {
  const kind = KIND_CHILD[a.orgKind] ?? 'grid';
  const n = String(900 + next()).slice(-3);
  const code = kind === 'station' ? `${parentCode}${n}` : `${parentCode}${n}`;
  return { kind, code };
}
const codes = new Map<string, string>();

const SPECS: Record<string, Spec> = {
  'GET /api/v1/health': { own: () => ({ url: '/api/v1/health' }) },
  'GET /api/v1/openapi.json': { own: () => ({ url: '/api/v1/openapi.json' }) },
  'POST /api/v1/auth/login': { own: () => ({ url: '/api/v1/auth/login', body: { username: 'nobody', password: 'x' } }), ownOk: [401] },
  'POST /api/v1/auth/logout': { own: () => ({ url: '/api/v1/auth/logout' }), fresh: true },
  'GET /api/v1/auth/me': { own: () => ({ url: '/api/v1/auth/me' }) },
  'POST /api/v1/auth/password': { own: () => ({ url: '/api/v1/auth/password', body: { currentPassword: 'wrong', newPassword: 'Whatever123' } }), ownOk: [400] },
  'GET /api/v1/auth/sessions': { own: () => ({ url: '/api/v1/auth/sessions' }), noLeak: true },
  'DELETE /api/v1/auth/sessions/:id': {
    own: () => ({ url: '/api/v1/auth/sessions/01900000-0000-7000-8000-000000000000' }),
    ownOk: [404],
    foreign: { sample: () => ({ url: `/api/v1/auth/sessions/${foreignSessionId}` }), expect: [404] },
  },
  'POST /api/v1/auth/totp/setup': { own: () => ({ url: '/api/v1/auth/totp/setup' }) },
  'POST /api/v1/auth/totp/enable': { own: () => ({ url: '/api/v1/auth/totp/enable', body: { code: '000000' } }), ownOk: [400] },
  'POST /api/v1/auth/totp/disable': { own: () => ({ url: '/api/v1/auth/totp/disable', body: { password: 'wrong' } }), ownOk: [400] },
  'POST /api/v1/auth/otp/request': { own: () => ({ url: '/api/v1/auth/otp/request', body: { phone: `1370000${String(next()).padStart(4, '0')}` } }) },
  'POST /api/v1/auth/otp/verify': { own: () => ({ url: '/api/v1/auth/otp/verify', body: { phone: '13700009999', code: '123456' } }), ownOk: [400] },
  'GET /api/v1/dev/outbox': { own: () => ({ url: '/api/v1/dev/outbox' }) },
  'GET /api/v1/org/tree': { own: () => ({ url: '/api/v1/org/tree' }), noLeak: true },
  'GET /api/v1/org/units/:id': {
    own: (a) => ({ url: `/api/v1/org/units/${a.orgUnitId}` }),
    foreign: { sample: () => ({ url: `/api/v1/org/units/${foreign.stationId}` }), expect: [404] },
  },
  'POST /api/v1/org/units': {
    own: (a) => {
      const { kind, code } = childFor(a, codes.get(a.orgUnitId)!);
      return { url: '/api/v1/org/units', body: { parentId: a.orgUnitId, kind, code, name: `矩阵单位${code}` } };
    },
    foreign: {
      sample: () => ({ url: '/api/v1/org/units', body: { parentId: foreign.stationId, kind: 'community', code: `371603001${100 + next()}`, name: '越权单位' } }),
      expect: [400],
    },
  },
  'PATCH /api/v1/org/units/:id': {
    own: (a) => ({ url: `/api/v1/org/units/${a.orgUnitId}`, body: { contactPhone: '0543-1234567' } }),
    foreign: { sample: () => ({ url: `/api/v1/org/units/${foreign.stationId}`, body: { contactPhone: '0543-7654321' } }), expect: [404] },
  },
  'GET /api/v1/org/departments': { own: () => ({ url: '/api/v1/org/departments' }), noLeak: true },
  'POST /api/v1/org/departments': {
    own: (a) => ({ url: '/api/v1/org/departments', body: { orgUnitId: a.orgUnitId, kind: 'partner', category: 'other', name: `矩阵部门${next()}` } }),
    foreign: { sample: () => ({ url: '/api/v1/org/departments', body: { orgUnitId: foreign.branchId, kind: 'partner', category: 'other', name: `越权部门${next()}` } }), expect: [400] },
  },
  'PATCH /api/v1/org/departments/:id': {
    own: (a) => ({ url: `/api/v1/org/departments/${a.deptId}`, body: { contactPhone: '0543-1111111' } }),
    foreign: { sample: () => ({ url: `/api/v1/org/departments/${foreign.deptId}`, body: { contactPhone: '0543-2222222' } }), expect: [404] },
  },
  'GET /api/v1/users': { own: () => ({ url: '/api/v1/users?pageSize=200' }), noLeak: true },
  'GET /api/v1/users/:id': {
    own: (a) => ({ url: `/api/v1/users/${a.userId}` }),
    foreign: { sample: () => ({ url: `/api/v1/users/${foreign.userId}` }), expect: [404] },
  },
  'POST /api/v1/users': {
    own: (a) => ({ url: '/api/v1/users', body: { username: `matrix${next()}`, displayName: '矩阵用户', password: 'Initial123', orgUnitId: a.orgUnitId, roles: [] } }),
    foreign: { sample: () => ({ url: '/api/v1/users', body: { username: `intruder${next()}`, displayName: '越权', password: 'Initial123', orgUnitId: foreign.branchId, roles: [] } }), expect: [400] },
  },
  'PATCH /api/v1/users/:id': {
    own: (a) => ({ url: `/api/v1/users/${a.victimId}`, body: { displayName: '被改名' } }),
    foreign: { sample: () => ({ url: `/api/v1/users/${foreign.userId}`, body: { displayName: '越权改名' } }), expect: [404] },
  },
  'POST /api/v1/users/:id/reset-password': {
    own: (a) => ({ url: `/api/v1/users/${a.victimId}/reset-password`, body: { newPassword: 'Reset12345' } }),
    foreign: { sample: () => ({ url: `/api/v1/users/${foreign.userId}/reset-password`, body: { newPassword: 'Reset12345' } }), expect: [404] },
  },
  'POST /api/v1/users/:id/unlock': {
    own: (a) => ({ url: `/api/v1/users/${a.victimId}/unlock` }),
    foreign: { sample: () => ({ url: `/api/v1/users/${foreign.userId}/unlock` }), expect: [404] },
  },
  'GET /api/v1/roles': { own: () => ({ url: '/api/v1/roles' }) },
  'GET /api/v1/permissions': { own: () => ({ url: '/api/v1/permissions' }) },
  'GET /api/v1/audit': { own: () => ({ url: '/api/v1/audit?pageSize=200' }), noLeak: true },
  'GET /api/v1/audit/verify': { own: () => ({ url: '/api/v1/audit/verify' }) },
  'GET /api/v1/audit/export': { own: () => ({ url: '/api/v1/audit/export?purpose=matrix-check' }), noLeak: true },
};

const key = (r: RouteEntry) => `${r.method} ${r.url}`;

function allowed(access: string, who: Actor | 'resident' | 'anonymous'): boolean {
  if (access === 'public') return true;
  if (who === 'anonymous') return false;
  if (access === 'authenticated') return true;
  if (who === 'resident') return false;
  return access === 'staff' || who.permissions.has(access);
}

function send(token: string | undefined, method: string, s: Sample): Promise<LightMyRequestResponse> {
  return t.call(token, method, s.url, s.body);
}

function assertNoLeak(res: LightMyRequestResponse) {
  const body = res.body;
  for (const id of [...foreign.unitIds, foreign.userId, foreign.deptId]) expect(body).not.toContain(id);
  expect(body).not.toContain('沾化');
  expect(body).not.toContain('zhanhua');
}

beforeAll(async () => {
  t = await createTestApp();
  foreign = await addForeignBranch(t.deps);
  const ftok = await t.login('zhanhua', 'Foreign123');
  foreignSessionId = ((await t.call(ftok, 'GET', '/api/v1/auth/sessions')).json() as Array<{ id: string }>)[0].id;
  await t.call(ftok, 'GET', `/api/v1/users/${foreign.userId}`); // audit rows that belong to the foreign branch
  const sys = systemContext(Object.keys(PERMISSIONS));
  const deptByUnit = new Map<string, string>();
  for (const acc of DEMO_ACCOUNTS) {
    const token = await t.login(acc.username);
    const me = (await t.call(token, 'GET', '/api/v1/auth/me')).json();
    codes.set(me.orgUnit.id, me.orgUnit.code);
    if (!deptByUnit.has(me.orgUnit.id)) {
      const d = await createDepartment(t.deps, sys, { orgUnitId: me.orgUnit.id, kind: 'internal', category: 'other', name: `矩阵测试部门${deptByUnit.size}` });
      deptByUnit.set(me.orgUnit.id, d.id);
    }
    const victim = await createUser(t.deps, sys, { username: `victim.${acc.username}`, displayName: '受测用户', password: 'Victim12345', orgUnitId: me.orgUnit.id, roles: [] });
    actors.push({
      username: acc.username,
      token,
      userId: me.id,
      orgUnitId: me.orgUnit.id,
      orgKind: me.orgUnit.kind,
      permissions: new Set(me.permissions),
      deptId: deptByUnit.get(me.orgUnit.id)!,
      victimId: victim.id,
    });
  }
  await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone: '13600000001' });
  const box = (await t.call(undefined, 'GET', '/api/v1/dev/outbox')).json() as Array<{ phone: string; body: string }>;
  const code = /(\d{6})/.exec(box.find((m) => m.phone === '13600000001')!.body)![1];
  resident = (await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone: '13600000001', code })).json().token;
}, 120_000);
afterAll(() => t.close());

describe('authorization matrix', () => {
  it('every API route declares its access and has a matrix entry', () => {
    const routes = t.app.routeCatalogue;
    expect(routes.length).toBeGreaterThan(25);
    const missing = routes.filter((r) => !SPECS[key(r)]).map(key);
    expect(missing, 'routes without a matrix entry').toEqual([]);
    const stale = Object.keys(SPECS).filter((k) => !routes.some((r) => key(r) === k));
    expect(stale, 'matrix entries without a route').toEqual([]);
  });

  it('anonymous callers get 401 on every non-public route', async () => {
    for (const r of t.app.routeCatalogue) {
      if (r.access === 'public') continue;
      const res = await send(undefined, r.method, SPECS[key(r)].own(actors[0]));
      expect(res.statusCode, `${key(r)}`).toBe(401);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it('a signed-in resident reaches only public and own-account routes', async () => {
    for (const r of t.app.routeCatalogue) {
      const spec = SPECS[key(r)];
      if (spec.fresh) continue;
      const res = await send(resident, r.method, spec.own(actors[0]));
      if (!allowed(r.access, 'resident')) expect(res.statusCode, key(r)).toBe(403);
      else if (spec.ownOk) expect(spec.ownOk, key(r)).toContain(res.statusCode);
      else expect(res.statusCode, key(r)).toBeLessThan(300);
    }
  });

  it('each role gets exactly its permissions, inside its jurisdiction only, and lists leak nothing from outside', async () => {
    const failures: string[] = [];
    for (const a of actors) {
      for (const r of t.app.routeCatalogue) {
        const spec = SPECS[key(r)];
        const can = allowed(r.access, a);
        const token = spec.fresh ? await t.login(a.username) : a.token;
        const res = await send(token, r.method, spec.own(a));
        const label = `${a.username} ${key(r)} own`;
        if (!can) {
          if (res.statusCode !== 403) failures.push(`${label}: expected 403, got ${res.statusCode}`);
          continue;
        }
        const ok = spec.ownOk ? spec.ownOk.includes(res.statusCode) : res.statusCode >= 200 && res.statusCode < 300;
        if (!ok) failures.push(`${label}: got ${res.statusCode} ${res.body.slice(0, 200)}`);
        if (spec.noLeak) {
          try {
            assertNoLeak(res);
          } catch {
            failures.push(`${label}: response reveals data from outside the jurisdiction`);
          }
        }
        if (spec.foreign) {
          const fres = await send(a.token, r.method, spec.foreign.sample(a));
          if (!spec.foreign.expect.includes(fres.statusCode)) failures.push(`${a.username} ${key(r)} foreign: expected ${spec.foreign.expect}, got ${fres.statusCode}`);
          else assertNoLeak(fres);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('nothing outside the jurisdiction was changed by the attempts', async () => {
    const ftok = await t.login('zhanhua', 'Foreign123');
    const unit = (await t.call(ftok, 'GET', `/api/v1/org/units/${foreign.stationId}`)).json();
    expect(unit.contactPhone).toBeNull();
    const user = (await t.call(ftok, 'GET', `/api/v1/users/${foreign.userId}`)).json();
    expect(user.displayName).toBe('沾化管理员');
    const tree = JSON.stringify((await t.call(ftok, 'GET', '/api/v1/org/tree')).json());
    expect(tree).not.toContain('越权单位');
    const users = (await t.call(ftok, 'GET', '/api/v1/users?q=intruder')).json();
    expect(users.total).toBe(0);
  });
});
