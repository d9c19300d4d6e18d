import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { addForeignBranch, unitByCode } from './support/foreign.js';
import { systemContext, type RequestContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { staffPrincipal } from '../src/server/platform/auth/principal.js';
import { createUser } from '../src/server/modules/users/service.js';
import { CommandRunner } from '../src/server/modules/command/runner.js';
import { ensureWhistleScenarios } from '../src/server/modules/command/scenarios.js';
import { raiseWhistle, respond } from '../src/server/modules/command/whistles.js';

/** 派出所吹哨、警种报到: scenarios, raise, the departments' responses, confirm/reopen, overdue, figures. */
let t: TestApp;
let tok: Record<string, string> = {};
const ids: Record<string, string> = {};
const sys = () => systemContext(Object.keys(PERMISSIONS));
const min = 60_000;

const userId = async (username: string) => (await t.deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
const dept = async (name: string) => (await t.deps.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const notesOf = (uid: string, kind: string) => t.deps.db.selectFrom('notifications').selectAll().where('user_id', '=', uid).where('kind', '=', kind).execute();
const texts = () => t.deps.db.selectFrom('sms_outbox').select(['phone', 'body']).execute();
const ctxOf = async (username: string): Promise<RequestContext> => ({ principal: (await staffPrincipal(t.deps, await userId(username), '00000000-0000-7000-8000-000000000001'))! });

beforeAll(async () => {
  t = await createTestApp();
  ids.station1 = await unitByCode(t.deps, '371602001');
  ids.xingzhen = await dept('刑事侦查大队');
  ids.sifa = await dept('彭李街道司法所');
  ids.zhian = await dept('治安管理大队');
  ids.minzheng = await dept('区民政局');
  await createUser(t.deps, sys(), { username: 'chief1', displayName: '王所长', password: 'Wang12345xyz', orgUnitId: ids.station1, roles: ['chief'], phone: '13905438801', mustChangePassword: false });
  const foreign = await addForeignBranch(t.deps);
  ids.foreignDept = foreign.deptId;
  const names = ['admin', 'chief', 'officer', 'squad', 'mediator', 'dept', 'leader', 'command'];
  const tokens = await Promise.all(names.map((n) => t.login(n)));
  tok = Object.fromEntries(names.map((n, i) => [n, tokens[i]!]));
  tok.chief1 = await t.login('chief1', 'Wang12345xyz');
  tok.zhanhua = await t.login('zhanhua', 'Foreign123');
  for (const n of ['chief', 'officer', 'squad', 'mediator', 'chief1']) ids[`u_${n}`] = await userId(n);
});
afterAll(() => t.close());

describe('scenarios', () => {
  it('the built-in ones name their receivers by department category', async () => {
    const list = (await t.call(tok.chief, 'GET', '/api/v1/whistle-scenarios')).json();
    expect(list.map((s: { name: string }) => s.name)).toEqual(['重大矛盾纠纷', '群体性事件苗头', '复杂案件', '重点人员异常', '校园周边安全']);
    const major = list.find((s: { code: string }) => s.code === 'major_dispute');
    expect(major.departments.map((d: { name: string }) => d.name).sort()).toEqual(['区综治中心', '彭李街道司法所', '治安管理大队'].sort());
    expect(list.find((s: { code: string }) => s.code === 'complex_case').departments.map((d: { name: string }) => d.name).sort()).toEqual(['刑事侦查大队', '法制大队'].sort());
    // a foreign branch's staff see none of our departments
    const foreign = (await t.call(tok.zhanhua, 'GET', '/api/v1/whistle-scenarios')).json();
    expect(foreign.every((s: { departments: unknown[] }) => s.departments.length === 0)).toBe(true);
  });

  it('running the start-up step again never overwrites an administrator’s edit', async () => {
    const list = (await t.call(tok.admin, 'GET', '/api/v1/whistle-scenarios')).json();
    const campus = list.find((s: { code: string }) => s.code === 'campus_safety');
    const res = await t.call(tok.admin, 'PUT', `/api/v1/whistle-scenarios/${campus.id}`, { code: 'campus_safety', name: '校园周边安全（含幼儿园）', departmentIds: [ids.zhian, ids.sifa], responseMinutes: 45, urgent: true });
    expect(res.statusCode, res.body).toBe(200);
    await ensureWhistleScenarios(t.deps);
    const after = (await t.call(tok.admin, 'GET', '/api/v1/whistle-scenarios')).json().find((s: { code: string }) => s.code === 'campus_safety');
    expect(after).toMatchObject({ name: '校园周边安全（含幼儿园）', responseMinutes: 45, urgent: true, builtin: true });
    expect(after.departmentIds.sort()).toEqual([ids.zhian, ids.sifa].sort());
  });

  it('creates one with checks: minutes 5–10080, departments that exist in reach, a unique code', async () => {
    const body = { code: 'test_joint', name: '联合处置测试', departmentIds: [ids.xingzhen, ids.sifa], responseMinutes: 30, urgent: true, sort: 100 };
    expect((await t.call(tok.chief, 'POST', '/api/v1/whistle-scenarios', body)).statusCode).toBe(403);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ responseMinutes: 4 }, 'responseMinutes'],
      [{ responseMinutes: 10_081 }, 'responseMinutes'],
      [{ departmentIds: [] }, 'departmentIds'],
      [{ departmentIds: ['01900000-0000-7000-8000-000000000000'] }, 'departmentIds'],
      [{ departmentIds: [ids.foreignDept] }, 'departmentIds'],
      [{ code: 'Bad Code' }, 'code'],
    ];
    for (const [patch, field] of bad) {
      const res = await t.call(tok.admin, 'POST', '/api/v1/whistle-scenarios', { ...body, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const res = await t.call(tok.admin, 'POST', '/api/v1/whistle-scenarios', body);
    expect(res.statusCode, res.body).toBe(201);
    ids.scenario = res.json().id;
    expect(res.json()).toMatchObject({ code: 'test_joint', responseMinutes: 30, urgent: true, builtin: false, status: 'active' });
    const dup = await t.call(tok.admin, 'POST', '/api/v1/whistle-scenarios', body);
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('code');
    const slow = await t.call(tok.admin, 'POST', '/api/v1/whistle-scenarios', { ...body, code: 'test_slow', name: '非紧急测试', urgent: false, responseMinutes: 60 });
    ids.slowScenario = slow.json().id;
    expect((await t.call(tok.admin, 'PUT', '/api/v1/whistle-scenarios/01900000-0000-7000-8000-000000000000', body)).statusCode).toBe(404);
  });
});

describe('a whistle with two departments', () => {
  let w: { id: string; code: string; raisedAt: string; responses: Array<{ id: string; departmentId: string; dueAt: string; status: string }> };
  const resp = (deptId: string) => w.responses.find((r) => r.departmentId === deptId)!.id;

  it('is raised by a station’s officer: one response per department, due in the response time, urgent notice and SMS', async () => {
    const res = await t.call(tok.officer, 'POST', '/api/v1/whistles', { scenarioId: ids.scenario, title: '某小区邻里纠纷激化', description: '双方多次冲突，存在持械风险。' });
    expect(res.statusCode, res.body).toBe(201);
    w = res.json();
    expect(w.code).toMatch(/^CS\d{12}$/);
    expect(res.json()).toMatchObject({ status: 'open', round: 1, station: { name: '彭李派出所' }, scenario: { name: '联合处置测试', urgent: true } });
    expect(w.responses.map((r) => r.departmentId).sort()).toEqual([ids.xingzhen, ids.sifa].sort());
    for (const r of w.responses) {
      expect(r.status).toBe('pending');
      expect(new Date(r.dueAt).getTime() - new Date(w.raisedAt).getTime()).toBe(30 * min);
    }
    for (const n of ['squad', 'mediator']) expect((await notesOf(ids[`u_${n}`]!, 'whistle.raised'))[0]).toMatchObject({ level: 'urgent', subject_id: w.id });
    const sms = (await texts()).filter((m) => m.body.includes('某小区邻里纠纷激化'));
    expect(sms.map((m) => m.phone).sort()).toEqual(['13905430011', '13905430014']);
    expect(sms[0]!.body).toMatch(/^【枫桥】派出所吹哨：彭李派出所/);
  });

  it('refuses bad input and callers without whistle.raise', async () => {
    const bad = await t.call(tok.officer, 'POST', '/api/v1/whistles', { scenarioId: '01900000-0000-7000-8000-000000000000', title: ' ', description: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['scenarioId', 'title']);
    expect((await t.call(tok.squad, 'POST', '/api/v1/whistles', { scenarioId: ids.scenario, title: 'x', description: 'x' })).statusCode).toBe(403);
  });

  it('is seen by the station, the receiving departments and oversight; 404 for others', async () => {
    for (const n of ['officer', 'chief', 'squad', 'mediator', 'leader', 'command']) expect((await t.call(tok[n], 'GET', `/api/v1/whistles/${w.id}`)).statusCode, n).toBe(200);
    for (const n of ['chief1', 'dept', 'zhanhua', 'admin']) expect((await t.call(tok[n], 'GET', `/api/v1/whistles/${w.id}`)).statusCode, n).toBe(404);
    expect((await t.call(tok.chief, 'GET', '/api/v1/whistles')).json().items.map((x: { id: string }) => x.id)).toContain(w.id);
    expect((await t.call(tok.chief1, 'GET', '/api/v1/whistles')).json().total).toBe(0);
    expect((await t.call(tok.squad, 'GET', '/api/v1/whistle-inbox')).json().items.map((x: { id: string }) => x.id)).toEqual([resp(ids.xingzhen)]);
    expect((await t.call(tok.dept, 'GET', '/api/v1/whistle-inbox')).json().total).toBe(0);
  });

  it('responses move acknowledge → act → report; out of order is 409; another department gets 404', async () => {
    const x = resp(ids.xingzhen);
    expect((await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${x}/act`)).statusCode).toBe(409);
    expect((await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${x}/report`, { report: '提前反馈' })).statusCode).toBe(409);
    expect((await t.call(tok.mediator, 'POST', `/api/v1/whistle-responses/${x}/acknowledge`)).statusCode).toBe(404);
    expect((await t.call(tok.dept, 'POST', `/api/v1/whistle-responses/${x}/acknowledge`)).statusCode).toBe(404);
    expect((await t.call(tok.officer, 'POST', `/api/v1/whistle-responses/${x}/acknowledge`)).statusCode).toBe(403);
    const ack = await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${x}/acknowledge`);
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: '钱国栋', overdue: false, whistle: { status: 'open' } });
    expect((await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${x}/acknowledge`)).statusCode).toBe(409);
    expect((await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${x}/act`)).json().status).toBe('acting');
    const empty = await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${x}/report`, { report: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('report');
    expect((await t.call(tok.mediator, 'POST', `/api/v1/whistle-responses/${resp(ids.sifa)}/acknowledge`)).statusCode).toBe(200);
    expect(await notesOf(ids.u_officer!, 'whistle.acknowledged')).toHaveLength(2);
    // confirming before every department reported is refused
    expect((await t.call(tok.officer, 'POST', `/api/v1/whistles/${w.id}/confirm`)).statusCode).toBe(409);
  });

  it('two departments reporting at once flip the whistle to reported exactly once', async () => {
    const [a, b] = await Promise.all([
      t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${resp(ids.xingzhen)}/report`, { report: '刑侦已到场处置。' }),
      t.call(tok.mediator, 'POST', `/api/v1/whistle-responses/${resp(ids.sifa)}/report`, { report: '司法所已组织调解。' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const d = (await t.call(tok.officer, 'GET', `/api/v1/whistles/${w.id}`)).json();
    expect(d).toMatchObject({ status: 'reported', canConfirm: true, canReopen: true });
    expect(d.events.filter((e: { action: string }) => e.action === 'all_reported')).toHaveLength(1);
    expect(await notesOf(ids.u_officer!, 'whistle.all_reported')).toHaveLength(1);
    expect((await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${resp(ids.xingzhen)}/report`, { report: '再报' })).statusCode).toBe(409);
  });

  it('reopen starts round 2 with new responses due again; then confirm ends it', async () => {
    expect((await t.call(tok.chief1, 'POST', `/api/v1/whistles/${w.id}/reopen`, { reason: '越权' })).statusCode).toBe(404);
    const blank = await t.call(tok.officer, 'POST', `/api/v1/whistles/${w.id}/reopen`, { reason: ' ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].field).toBe('reason');
    const res = await t.call(tok.chief, 'POST', `/api/v1/whistles/${w.id}/reopen`, { reason: '纠纷仍未化解，需再次到场' });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ status: 'open', round: 2 });
    expect(d.responses).toHaveLength(2);
    expect(d.earlierRounds).toHaveLength(2);
    for (const r of d.responses) expect(r).toMatchObject({ round: 2, status: 'pending' });
    expect(await notesOf(ids.u_squad!, 'whistle.reopened')).toHaveLength(1);
    // the old round is over
    expect((await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${resp(ids.xingzhen)}/act`)).statusCode).toBe(409);
    for (const [token, r] of [
      [tok.squad, d.responses.find((x: { departmentId: string }) => x.departmentId === ids.xingzhen).id],
      [tok.mediator, d.responses.find((x: { departmentId: string }) => x.departmentId === ids.sifa).id],
    ]) {
      expect((await t.call(token, 'POST', `/api/v1/whistle-responses/${r}/acknowledge`)).statusCode).toBe(200);
      expect((await t.call(token, 'POST', `/api/v1/whistle-responses/${r}/report`, { report: '第二轮已处置' })).statusCode).toBe(200);
    }
    const ok = await t.call(tok.officer, 'POST', `/api/v1/whistles/${w.id}/confirm`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', confirmedBy: '张明', canConfirm: false });
    expect((await t.call(tok.officer, 'POST', `/api/v1/whistles/${w.id}/confirm`)).statusCode).toBe(409);
    expect((await t.call(tok.officer, 'POST', `/api/v1/whistles/${w.id}/reopen`, { reason: '再来' })).statusCode).toBe(409);
    const actions = ok.json().events.map((e: { action: string }) => e.action);
    expect(actions[0]).toBe('raised');
    expect(actions.at(-1)).toBe('confirmed');
    expect(actions.filter((a: string) => a === 'reopened')).toHaveLength(1);
  });
});

describe('overdue responses', () => {
  it('are flagged once to the department and the station, with SMS only for urgent scenarios', async () => {
    const urgent = (await t.call(tok.chief, 'POST', '/api/v1/whistles', { scenarioId: ids.scenario, title: '超时测试甲', description: '无人响应' })).json();
    const calm = (await t.call(tok.chief, 'POST', '/api/v1/whistles', { scenarioId: ids.slowScenario, title: '超时测试乙', description: '无人响应' })).json();
    // the squad acknowledges the urgent one in time; the mediator does not
    const xs = urgent.responses.find((r: { departmentId: string }) => r.departmentId === ids.xingzhen).id;
    expect((await t.call(tok.squad, 'POST', `/api/v1/whistle-responses/${xs}/acknowledge`)).statusCode).toBe(200);
    const runner = () => new CommandRunner(t.deps, { pollMs: 60_000 });
    const at = new Date(new Date(urgent.raisedAt).getTime() + 31 * min);
    const [a, b] = await Promise.all([runner().tick(at), runner().tick(at)]);
    expect(a + b).toBe(1); // the mediator's urgent one; the calm ones are due at 60 minutes
    expect(await runner().tick(at)).toBe(0);
    const later = new Date(new Date(calm.raisedAt).getTime() + 61 * min);
    expect(await runner().tick(later)).toBe(2);
    expect(await runner().tick(later)).toBe(0);
    const mediatorNotes = await notesOf(ids.u_mediator!, 'whistle.overdue');
    expect(mediatorNotes).toHaveLength(2);
    expect((await notesOf(ids.u_squad!, 'whistle.overdue')).map((n) => n.subject_id)).toEqual([calm.id]);
    for (const n of ['chief', 'officer']) expect(await notesOf(ids[`u_${n}`]!, 'whistle.overdue'), n).toHaveLength(3);
    expect(await notesOf(ids.u_chief1!, 'whistle.overdue')).toHaveLength(0);
    const sms = (await texts()).filter((m) => m.body.startsWith('【枫桥】超时提醒'));
    expect(sms.map((m) => m.phone)).toEqual(['13905430011']);
    expect(sms[0]!.body).toContain('超时测试甲');
  });
});

describe('figures', () => {
  it('median response and handling minutes per department, exactly', async () => {
    const officer = await ctxOf('officer');
    const squad = await ctxOf('squad');
    const t0 = new Date('2025-03-10T02:00:00Z');
    const acks = [10, 20, 40];
    const reports = [60, 90, null];
    for (const [i, ack] of acks.entries()) {
      const w = await raiseWhistle(t.deps, officer, { scenarioId: ids.scenario, title: `统计测试${i}`, description: '统计' }, t0);
      const r = w.responses.find((x) => x.departmentId === ids.xingzhen)!.id;
      await respond(t.deps, squad, r, 'acknowledge', undefined, new Date(t0.getTime() + ack * min));
      if (reports[i]) await respond(t.deps, squad, r, 'report', '已处置', new Date(t0.getTime() + reports[i]! * min));
    }
    expect((await t.call(tok.chief, 'GET', '/api/v1/whistles/stats')).statusCode).toBe(403);
    const s = (await t.call(tok.leader, 'GET', '/api/v1/whistles/stats?from=2025-03-10&to=2025-03-10')).json();
    const xz = s.byDepartment.find((d: { departmentId: string }) => d.departmentId === ids.xingzhen);
    expect(xz).toMatchObject({ responses: 3, acknowledged: 3, reported: 2, onTime: 2, medianResponseMinutes: 20, medianHandlingMinutes: 75 });
    const sf = s.byDepartment.find((d: { departmentId: string }) => d.departmentId === ids.sifa);
    expect(sf).toMatchObject({ responses: 3, acknowledged: 0, medianResponseMinutes: null });
    expect(s.headline).toMatchObject({ whistles: 3, responses: 6, medianResponseMinutes: 20 });
    // the mediator's three are overdue now (and two from the test above)
    expect(s.overdue.filter((o: { departmentName: string }) => o.departmentName === '彭李街道司法所').length).toBeGreaterThanOrEqual(3);
    const foreign = (await t.call(tok.zhanhua, 'GET', '/api/v1/whistles/stats?from=2025-03-10&to=2025-03-10')).json();
    expect(foreign.headline.whistles).toBe(0);
    expect(foreign.overdue).toEqual([]);
  });
});
