import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger, LightMyRequestResponse } from 'fastify';
import { createTestApp, openTestDatabase, type TestApp } from './support/app.js';
import { testConfig } from './support/env.js';
import { openDeps } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import type { RouteEntry } from '../src/server/platform/auth/plugin.js';
import { holdsAccess } from '../src/server/platform/access/permissions.js';
import { DEMO_ACCOUNTS } from '../src/demo/district.js';

/**
 * Bad input on every route with a body, parameters or a query string: malformed JSON, wrong types,
 * unknown fields, oversize bodies, wrong media types. Always a 4xx problem+json, never a 500.
 */
let t: TestApp;
const staff: Array<{ token: string; permissions: Set<string> }> = [];
let resident: string;
beforeAll(async () => {
  t = await createTestApp();
  for (const acc of DEMO_ACCOUNTS) {
    const token = await t.login(acc.username);
    const me = (await t.call(token, 'GET', '/api/v1/auth/me')).json() as { permissions: string[] };
    staff.push({ token, permissions: new Set(me.permissions) });
  }
  resident = await t.residentLogin('13600000002');
}, 120_000);

/** A caller the route lets in: access is checked before input, so only such a caller reaches validation. */
function tokenFor(r: RouteEntry): string {
  const access = r.access;
  if (access === 'resident') return resident;
  if (access === 'public' || access === 'authenticated' || access === 'staff') return staff[0].token;
  const holder = staff.find((s) => holdsAccess(s.permissions, access));
  if (!holder) throw new Error(`no demo account may call ${r.method} ${r.url}`);
  return holder.token;
}
afterAll(() => t.close());

interface ObjSchema {
  type?: string;
  properties?: Record<string, { type?: string; anyOf?: Array<{ type?: string }> }>;
}

const withParams = (r: RouteEntry) => r.url.replace(/:(\w+)/g, '01900000-0000-7000-8000-000000000000');

function expectProblem(res: LightMyRequestResponse, label: string, statuses: number[] = [400]) {
  expect(statuses, `${label} → ${res.statusCode} ${res.body.slice(0, 200)}`).toContain(res.statusCode);
  expect(res.headers['content-type'], label).toContain('application/problem+json');
  const p = res.json();
  expect(p.title, label).toMatch(/[\u4e00-\u9fa5]/);
  expect(p.status).toBe(res.statusCode);
  expect(res.body).not.toMatch(/at .*\.(ts|js):\d+/); // no stack trace
}

/** A value of a JSON type the field's schema does not allow (unions included). */
function wrongValue(prop: { type?: string; anyOf?: Array<{ type?: string }> }): unknown {
  const allowed = new Set([prop.type, ...(prop.anyOf ?? []).map((m) => m.type)].filter(Boolean));
  if (allowed.has('integer')) allowed.add('number');
  const candidates: Array<[string, unknown]> = [
    ['object', { zz: [1] }],
    ['boolean', true],
    ['number', 12345],
    ['string', 'not-valid'],
    ['array', ['x']],
  ];
  const pick = candidates.find(([type]) => !allowed.has(type));
  return pick ? pick[1] : null;
}

const bodyRoutes = () => t.app.routeCatalogue.filter((r) => (r.schema?.body as ObjSchema | undefined)?.type === 'object');

describe('bad input never reaches the services', () => {
  it('has body routes to check', () => expect(bodyRoutes().length).toBeGreaterThan(10));

  it('malformed JSON → 400 malformed_json', async () => {
    for (const r of bodyRoutes()) {
      const res = await t.call(tokenFor(r), r.method, withParams(r), '{"username": "adm');
      expectProblem(res, `${r.method} ${r.url}`);
      expect(res.json().code).toBe('malformed_json');
    }
  });

  it('a JSON array, a string or null instead of an object → 400', async () => {
    for (const r of bodyRoutes()) {
      for (const payload of ['[]', '"text"', 'null', '42']) {
        expectProblem(await t.call(tokenFor(r), r.method, withParams(r), payload), `${r.method} ${r.url} ${payload}`);
      }
    }
  });

  it('unknown fields → 400 naming the field', async () => {
    for (const r of bodyRoutes()) {
      const res = await t.call(tokenFor(r), r.method, withParams(r), { zzUnknown: 1 });
      expectProblem(res, `${r.method} ${r.url}`);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain('zzUnknown');
    }
  });

  it('each field with the wrong type → 400 naming that field', async () => {
    for (const r of bodyRoutes()) {
      for (const [name, prop] of Object.entries((r.schema!.body as ObjSchema).properties ?? {})) {
        const res = await t.call(tokenFor(r), r.method, withParams(r), { [name]: wrongValue(prop) });
        expectProblem(res, `${r.method} ${r.url} ${name}`);
        expect(res.json().errors.map((e: { field: string }) => e.field), `${r.url} ${name}`).toContain(name);
      }
    }
  });

  it('oversize bodies → 413', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(1024 * 1024 + 10), password: 'y' });
    for (const r of bodyRoutes()) expectProblem(await t.call(tokenFor(r), r.method, withParams(r), big), `${r.method} ${r.url}`, [413]);
  });

  it('form posts and other media types → 415 or 400, never 2xx', async () => {
    for (const r of bodyRoutes()) {
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/xml']) {
        const res = await t.app.inject({ method: r.method as 'POST', url: withParams(r), headers: { authorization: `Bearer ${tokenFor(r)}`, 'content-type': type }, payload: 'username=admin' });
        expectProblem(res, `${r.method} ${r.url} ${type}`, [400, 415]);
      }
    }
  });

  it('path parameters that are not UUIDs → 400', async () => {
    for (const r of t.app.routeCatalogue.filter((x) => x.url.includes(':id'))) {
      const res = await t.call(tokenFor(r), r.method, r.url.replace(':id', 'not-a-uuid'), r.schema?.body ? {} : undefined);
      expectProblem(res, `${r.method} ${r.url}`);
    }
  });

  it('bad query strings → 400', async () => {
    for (const r of t.app.routeCatalogue.filter((x) => x.schema?.querystring)) {
      for (const q of ['page=0', 'pageSize=100000', 'page=abc', 'zzUnknown=1']) {
        const res = await t.call(tokenFor(r), r.method, `${withParams(r)}?${q}&purpose=testing`);
        expectProblem(res, `${r.url}?${q}`);
      }
    }
  });

  it('a value outside a fixed choice is named with the choices', async () => {
    const command = await t.login('command');
    const res = await t.call(command, 'POST', '/api/v1/directives', { level: 'purple' });
    expectProblem(res, 'POST /api/v1/directives');
    const level = (res.json().errors as Array<{ field: string; message: string }>).filter((e) => e.field === 'level');
    expect(level).toEqual([{ field: 'level', message: '应为 red、orange、blue、green 之一' }]);
    expect(res.json().detail).not.toMatch(/常量|anyOf/);
  });

  it('answers in English when asked', async () => {
    const res = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 1 }, { 'accept-language': 'en-US,en;q=0.9' });
    expect(res.statusCode).toBe(400);
    expect(res.json().title).toBe('Invalid request');
    expect(res.json().errors).toEqual(expect.arrayContaining([{ field: 'password', message: 'is required' }]));
  });
});

describe('unexpected errors', () => {
  it('become a 500 problem with a correlation id that is also in the log, and no internals', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(String(chunk)), cb()) });
    const database = await openTestDatabase();
    const deps = await openDeps(testConfig(), pino({ level: 'error' }, sink) as unknown as FastifyBaseLogger, database);
    const app = await buildApp(deps, { rateLimit: false });
    app.get('/api/v1/test/boom', { config: { access: 'public' } }, async () => {
      throw new Error('secret internal detail: connection string postgres://u:p@h/db');
    });
    await app.ready();
    try {
      const res = await app.inject({ method: 'GET', url: '/api/v1/test/boom' });
      expect(res.statusCode).toBe(500);
      const p = res.json();
      expect(p).toMatchObject({ code: 'internal', title: '服务器内部错误' });
      expect(res.body).not.toContain('secret internal detail');
      expect(p.correlationId).toMatch(/^[0-9a-f-]{36}$/);
      expect(lines.join('')).toContain(p.correlationId);
      expect(lines.join('')).toContain('secret internal detail');
    } finally {
      await app.close();
      await database.close();
    }
  });
});
