import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestApp, type TestApp } from './support/app.js';
import { DEMO_ACCOUNTS } from '../src/demo/district.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS, type Access } from '../src/server/platform/access/permissions.js';
import { createDepartment } from '../src/server/modules/org/service.js';
import { createUser } from '../src/server/modules/users/service.js';
import type { RouteEntry } from '../src/server/platform/auth/plugin.js';
import type { Actor, Fixtures, ModuleSpecs, Sample, Spec } from './authz/types.js';
import { platformSpecs } from './authz/platform.js';
import { addressSpecs } from './authz/addresses.js';
import { populationSpecs } from './authz/population.js';
import { importSpecs } from './authz/imports.js';
import { portalSpecs } from './authz/portal.js';
import { servicesSpecs } from './authz/services.js';
import { fieldSpecs } from './authz/field.js';
import { routingSpecs } from './authz/routing.js';
import { tasksSpecs } from './authz/tasks.js';
import { incidentsSpecs } from './authz/incidents.js';
import { analysisSpecs } from './authz/analysis.js';
import { mapSpecs } from './authz/map.js';
import { commandSpecs } from './authz/command.js';

/**
 * The authorization matrix: every registered API route × every demo role (+ a resident and an anonymous
 * caller) × a request inside and outside the caller's jurisdiction. Each module describes its routes in
 * tests/authz/<module>.ts; a route without an entry fails the suite, so every new route must say how it is
 * scoped.
 */
const MODULES: ModuleSpecs[] = [platformSpecs, addressSpecs, populationSpecs, importSpecs, servicesSpecs, portalSpecs, fieldSpecs, routingSpecs, tasksSpecs, incidentsSpecs, analysisSpecs, mapSpecs, commandSpecs];

let t: TestApp;
let fx: Fixtures;
let SPECS: Record<string, Spec> = {};
const actors: Actor[] = [];
let resident: string;

const key = (r: RouteEntry) => `${r.method} ${r.url}`;

function allowed(access: Access, who: Actor | 'resident' | 'anonymous'): boolean {
  if (access === 'public') return true;
  if (who === 'anonymous') return false;
  if (access === 'authenticated') return true;
  if (access === 'resident') return who === 'resident';
  if (who === 'resident') return false;
  // a list of permissions is met by any one of them
  return access === 'staff' || (typeof access === 'string' ? who.permissions.has(access) : access.some((p) => who.permissions.has(p)));
}

const send = (token: string | undefined, method: string, s: Sample): Promise<LightMyRequestResponse> => t.call(token, method, s.url, s.body, s.headers);

function leaks(res: LightMyRequestResponse): string | undefined {
  return [...fx.foreignIds, ...fx.foreignWords].find((x) => res.body.includes(x));
}

beforeAll(async () => {
  t = await createTestApp();
  let seq = 0;
  fx = { t, next: () => ++seq, foreign: {}, foreignIds: [], foreignWords: [] };
  const sys = systemContext(Object.keys(PERMISSIONS));
  const deptByUnit = new Map<string, string>();
  for (const acc of DEMO_ACCOUNTS) {
    const token = await t.login(acc.username);
    const me = (await t.call(token, 'GET', '/api/v1/auth/me')).json();
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
      orgUnitCode: me.orgUnit.code,
      orgKind: me.orgUnit.kind,
      permissions: new Set(me.permissions),
      deptId: deptByUnit.get(me.orgUnit.id)!,
      victimId: victim.id,
    });
  }
  for (const m of MODULES) await m.setup?.(fx, actors);
  for (const m of MODULES) SPECS = { ...SPECS, ...m.specs(fx) };
  resident = await t.residentLogin('13600000001');
}, 180_000);
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
      expect(res.statusCode, key(r)).toBe(401);
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
        const label = `${a.username} ${key(r)}`;
        if (!can) {
          if (res.statusCode !== 403) failures.push(`${label} own: expected 403, got ${res.statusCode}`);
          continue;
        }
        const ok = spec.ownOk ? spec.ownOk.includes(res.statusCode) : res.statusCode >= 200 && res.statusCode < 300;
        if (!ok) failures.push(`${label} own: got ${res.statusCode} ${res.body.slice(0, 200)}`);
        const leak = spec.noLeak ? leaks(res) : undefined;
        if (leak) failures.push(`${label} own: response reveals ${leak} from outside the jurisdiction`);
        if (spec.foreign) {
          const fres = await send(a.token, r.method, spec.foreign.sample(a));
          if (!spec.foreign.expect.includes(fres.statusCode)) failures.push(`${label} foreign: expected ${spec.foreign.expect}, got ${fres.statusCode}`);
          const fleak = leaks(fres);
          if (fleak) failures.push(`${label} foreign: response reveals ${fleak}`);
        }
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it('a caller who may not use a route is refused before its input is read or checked (401/403 come before 400 and 413)', async () => {
    // the same malformed request: a path parameter that is no id, a body of the wrong shape, a query out of range
    const malformed = (r: RouteEntry): Sample => {
      const url = r.url.replace(/:[A-Za-z]+/g, 'not-an-id') + '?page=-1&pageSize=x&from=never';
      return r.method === 'GET' || r.method === 'DELETE' ? { url } : { url, body: { unexpected: [1, 2, 3] } };
    };
    const oversize = JSON.stringify({ text: 'x'.repeat(6 * 1024 * 1024) }); // above every route's body limit
    const failures: string[] = [];
    let refusedAfterValidation = 0;
    for (const r of t.app.routeCatalogue) {
      if (r.access === 'public' || r.access === 'authenticated' || r.access === 'resident' || r.access === 'staff') continue;
      const allowedActor = actors.find((a) => allowed(r.access, a));
      const refusedActor = actors.find((a) => !allowed(r.access, a));
      if (!allowedActor || !refusedActor) continue;
      const sample = malformed(r);
      // only routes whose input rules reject this request say anything about the order
      if ((await send(allowedActor.token, r.method, sample)).statusCode !== 400) continue;
      refusedAfterValidation += 1;
      const anon = await send(undefined, r.method, sample);
      if (anon.statusCode !== 401) failures.push(`anonymous ${key(r)}: expected 401, got ${anon.statusCode}`);
      const res = await send(refusedActor.token, r.method, sample);
      if (res.statusCode !== 403) failures.push(`${refusedActor.username} ${key(r)}: expected 403, got ${res.statusCode}`);
      else if ((res.json() as { errors?: unknown }).errors) failures.push(`${key(r)}: the 403 describes the input`);
      // nor is a body read from a caller who is refused: an oversize one is a 403, not a 413
      if (sample.body !== undefined) {
        const big = await send(refusedActor.token, r.method, { url: sample.url, body: oversize });
        if (big.statusCode !== 403) failures.push(`${refusedActor.username} ${key(r)} oversize: expected 403, got ${big.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    // most permission-guarded routes have input rules this request breaks
    expect(refusedAfterValidation).toBeGreaterThan(100);
  }, 180_000);

  it('nothing outside the jurisdiction was changed by the attempts', async () => {
    const ftok = await t.login('zhanhua', 'Foreign123');
    const unit = (await t.call(ftok, 'GET', `/api/v1/org/units/${fx.foreign.stationId}`)).json();
    expect(unit.contactPhone).toBeNull();
    const user = (await t.call(ftok, 'GET', `/api/v1/users/${fx.foreign.userId}`)).json();
    expect(user.displayName).toBe('沾化管理员');
    const tree = JSON.stringify((await t.call(ftok, 'GET', '/api/v1/org/tree')).json());
    expect(tree).not.toContain('越权单位');
    const users = (await t.call(ftok, 'GET', '/api/v1/users?q=intruder')).json();
    expect(users.total).toBe(0);
  });
});
