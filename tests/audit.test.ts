import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { verifyAuditChain } from '../src/server/platform/audit/service.js';

let t: TestApp;
let admin: string;
let supervisor: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  supervisor = await t.login('supervisor');
});
afterAll(() => t.close());

async function lastRows(n = 1) {
  const r = await t.call(supervisor, 'GET', `/api/v1/audit?pageSize=${n}`);
  expect(r.statusCode).toBe(200);
  return r.json().items as Array<Record<string, unknown>>;
}

describe('every mutation writes one audit row', () => {
  it('creating and changing org units, departments and users is recorded with actor, subject and outcome', async () => {
    const tree = (await t.call(admin, 'GET', '/api/v1/org/tree')).json();
    const branchId = tree[0].id;
    const cases: Array<{ action: string; run: () => Promise<{ statusCode: number; json(): { id?: string } }> }> = [
      { action: 'org.unit_create', run: () => t.call(admin, 'POST', '/api/v1/org/units', { parentId: branchId, kind: 'station', code: '371602007', name: '小营派出所' }) },
      { action: 'org.department_create', run: () => t.call(admin, 'POST', '/api/v1/org/departments', { orgUnitId: branchId, kind: 'partner', category: 'other', name: '区教育局' }) },
      { action: 'user.create', run: () => t.call(admin, 'POST', '/api/v1/users', { username: 'auditee', displayName: '审计对象', password: 'Initial123', orgUnitId: branchId, roles: ['officer'] }) },
    ];
    for (const c of cases) {
      const before = (await lastRows())[0].seq as number;
      const res = await c.run();
      expect(res.statusCode).toBe(201);
      const [row] = await lastRows();
      expect(row.seq).toBe(before + 1);
      expect(row).toMatchObject({ action: c.action, outcome: 'success', actorName: '高志强(admin)', actorRole: 'admin', subjectIds: [res.json().id] });
      expect(row.ip).toBeTruthy();
    }
    const user = (await t.call(admin, 'GET', '/api/v1/users?q=auditee')).json().items[0];
    await t.call(admin, 'PATCH', `/api/v1/users/${user.id}`, { displayName: '审计对象二' });
    expect((await lastRows())[0]).toMatchObject({ action: 'user.update', subjectIds: [user.id] });
    await t.call(admin, 'POST', `/api/v1/users/${user.id}/reset-password`, { newPassword: 'Another123' });
    expect((await lastRows())[0]).toMatchObject({ action: 'user.reset_password', subjectIds: [user.id] });
  });

  it('a failed change writes no success row and leaves the data untouched', async () => {
    const before = (await lastRows())[0].seq as number;
    const res = await t.call(admin, 'POST', '/api/v1/users', { username: 'admin', displayName: '重名', password: 'Initial123', orgUnitId: (await t.call(admin, 'GET', '/api/v1/org/tree')).json()[0].id, roles: [] });
    expect(res.statusCode).toBe(409);
    expect((await lastRows())[0].seq).toBe(before);
  });

  it('reading a person\'s full record (a user\'s phone) is audited', async () => {
    const officer = (await t.call(admin, 'GET', '/api/v1/users?q=officer')).json().items.find((u: { username: string }) => u.username === 'officer');
    expect(officer.phone).toBe('139****0004');
    const full = await t.call(admin, 'GET', `/api/v1/users/${officer.id}`);
    expect(full.json().phone).toBe('13905430004');
    expect((await lastRows())[0]).toMatchObject({ action: 'user.view', subjectIds: [officer.id], actorName: '高志强(admin)' });
  });

  it('failed sign-ins are recorded with the attempted username', async () => {
    await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'chief', password: 'wrong-pass1' });
    const rows = (await t.call(supervisor, 'GET', '/api/v1/audit?action=auth.login&outcome=failure&pageSize=1')).json().items;
    expect(rows[0]).toMatchObject({ action: 'auth.login', outcome: 'failure', actorName: 'chief', actorRole: 'chief', detail: { reason: 'bad_password' } });
    await t.login('legal');
    const ok = (await t.call(supervisor, 'GET', '/api/v1/audit?action=auth.login&outcome=success&pageSize=1')).json().items;
    expect(ok[0]).toMatchObject({ actorName: '陈静(legal)', actorRole: 'legal' });
  });

  it('filters by subject, actor, action and time, and pages', async () => {
    const officer = (await t.call(admin, 'GET', '/api/v1/users?q=officer')).json().items.find((u: { username: string }) => u.username === 'officer');
    const bySubject = (await t.call(supervisor, 'GET', `/api/v1/audit?subjectType=user&subjectId=${officer.id}`)).json();
    expect(bySubject.total).toBeGreaterThan(0);
    expect(bySubject.items.every((r: { subjectIds: string[] }) => r.subjectIds.includes(officer.id))).toBe(true);
    const me = (await t.call(admin, 'GET', '/api/v1/auth/me')).json();
    const byActor = (await t.call(supervisor, 'GET', `/api/v1/audit?actorId=${me.id}&pageSize=5&page=2`)).json();
    expect(byActor.page).toBe(2);
    expect(byActor.items.every((r: { actorId: string }) => r.actorId === me.id)).toBe(true);
    const future = (await t.call(supervisor, 'GET', `/api/v1/audit?from=${encodeURIComponent('2099-01-01T00:00:00Z')}`)).json();
    expect(future.total).toBe(0);
    const reversed = await t.call(supervisor, 'GET', `/api/v1/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().errors[0].field).toBe('to');
  });

  it('export needs a purpose, streams CSV for Excel and is itself audited', async () => {
    const noPurpose = await t.call(supervisor, 'GET', '/api/v1/audit/export');
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().errors[0].field).toBe('purpose');
    const res = await t.call(supervisor, 'GET', `/api/v1/audit/export?purpose=${encodeURIComponent('季度督察 DC-2026-11')}&action=user.`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body.startsWith('\uFEFF序号,时间,操作人')).toBe(true);
    const lines = res.body.trim().split('\r\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',user.'))).toBe(true);
    expect((await lastRows())[0]).toMatchObject({ action: 'audit.export', purpose: '季度督察 DC-2026-11' });
    expect((await t.call(admin, 'GET', '/api/v1/audit/export?purpose=x1')).statusCode).toBe(403); // admin may read, not export
  });

  it('ordinary SQL cannot change or delete audit rows', async () => {
    await expect(sql`UPDATE audit_log SET action = 'x' WHERE seq = 1`.execute(t.deps.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log WHERE seq = 1`.execute(t.deps.db)).rejects.toThrow(/append-only/);
  });
});

describe('tamper evidence', () => {
  // Each case tampers with its own copy of the database, as someone with superuser access would.
  let local: TestApp;
  beforeEach(async () => {
    local = await createTestApp();
    const tok = await local.login('admin');
    await local.call(tok, 'GET', '/api/v1/users?q=officer');
    expect((await verifyAuditChain(local.deps.db)).ok).toBe(true);
    await sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`.execute(local.deps.db);
  });
  const done = () => local.close();

  it('an intact chain verifies, also over the API', async () => {
    const sup = await local.login('supervisor');
    const r = (await local.call(sup, 'GET', '/api/v1/audit/verify')).json();
    expect(r).toMatchObject({ ok: true, firstBrokenSeq: null });
    expect(r.checked).toBeGreaterThan(50);
    await done();
  });

  it('detects an edited row and names it', async () => {
    await sql`UPDATE audit_log SET actor_name = '别人' WHERE seq = 20`.execute(local.deps.db);
    expect(await verifyAuditChain(local.deps.db)).toMatchObject({ ok: false, firstBrokenSeq: 20 });
    await done();
  });

  it('detects an edited detail even when its hash is recomputed without the chain', async () => {
    await sql`UPDATE audit_log SET outcome = 'failure' WHERE seq = 7`.execute(local.deps.db);
    const r = await verifyAuditChain(local.deps.db);
    expect(r.firstBrokenSeq).toBe(7);
    expect(r.reason).toContain('被修改');
    await done();
  });

  it('detects a deleted row in the middle', async () => {
    await sql`DELETE FROM audit_log WHERE seq = 30`.execute(local.deps.db);
    expect(await verifyAuditChain(local.deps.db)).toMatchObject({ ok: false, firstBrokenSeq: 31 });
    await done();
  });

  it('detects a deleted tail', async () => {
    const { rows } = await sql<{ m: number }>`SELECT max(seq) AS m FROM audit_log`.execute(local.deps.db);
    const last = Number(rows[0].m);
    await sql`DELETE FROM audit_log WHERE seq = ${last}`.execute(local.deps.db);
    expect(await verifyAuditChain(local.deps.db)).toMatchObject({ ok: false, firstBrokenSeq: last });
    await done();
  });

  it('detects two rows swapped (reordered)', async () => {
    await sql`UPDATE audit_log SET seq = -1 WHERE seq = 10`.execute(local.deps.db);
    await sql`UPDATE audit_log SET seq = 10 WHERE seq = 11`.execute(local.deps.db);
    await sql`UPDATE audit_log SET seq = 11 WHERE seq = -1`.execute(local.deps.db);
    expect(await verifyAuditChain(local.deps.db)).toMatchObject({ ok: false, firstBrokenSeq: 10 });
    await done();
  });

  it('concurrent writers still produce one unbroken chain', async () => {
    const tok = await local.login('admin');
    await sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update`.execute(local.deps.db);
    const users = (await local.call(tok, 'GET', '/api/v1/users?pageSize=13')).json().items as Array<{ id: string }>;
    const results = await Promise.all(users.map((u) => local.call(tok, 'GET', `/api/v1/users/${u.id}`)));
    expect(results.every((r) => r.statusCode === 200)).toBe(true);
    const r = await verifyAuditChain(local.deps.db);
    expect(r.ok).toBe(true);
    await done();
  });
});
