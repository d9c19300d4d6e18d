import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { addForeignBranch, unitByCode } from './support/foreign.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUser } from '../src/server/modules/users/service.js';
import { CommandRunner } from '../src/server/modules/command/runner.js';

/** 四色预警指令: issue → sign → report, who may act, the rates, and the runner's escalations (docs/api-command.md). */
let t: TestApp;
let tok: Record<string, string> = {};
const ids: Record<string, string> = {};
const sys = () => systemContext(Object.keys(PERMISSIONS));
const hour = 3_600_000;

const deadlineIn = (ms: number) => new Date(Date.now() + ms).toISOString();
const notesOf = (userId: string, kind?: string) =>
  t.deps.db
    .selectFrom('notifications')
    .selectAll()
    .where('user_id', '=', userId)
    .$if(!!kind, (q) => q.where('kind', '=', kind!))
    .execute();
const texts = () => t.deps.db.selectFrom('sms_outbox').select(['phone', 'body']).execute();
const userId = async (username: string) => (await t.deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  t = await createTestApp();
  ids.station5 = await unitByCode(t.deps, '371602005');
  ids.station1 = await unitByCode(t.deps, '371602001');
  ids.community = await unitByCode(t.deps, '371602005001');
  ids.grid = await unitByCode(t.deps, '371602005001001');
  ids.xingzhen = (await t.deps.db.selectFrom('departments').select('id').where('name', '=', '刑事侦查大队').executeTakeFirstOrThrow()).id;
  ids.minzheng = (await t.deps.db.selectFrom('departments').select('id').where('name', '=', '区民政局').executeTakeFirstOrThrow()).id;
  // a chief of another station (彭李 is 371602005; this one sits at 371602001)
  await createUser(t.deps, sys(), { username: 'chief1', displayName: '王所长', password: 'Wang12345xyz', orgUnitId: ids.station1, roles: ['chief'], phone: '13905438801', mustChangePassword: false });
  const foreign = await addForeignBranch(t.deps);
  ids.foreignStation = foreign.stationId;
  const names = ['command', 'chief', 'officer', 'squad', 'leader', 'dept', 'gridworker', 'supervisor'];
  const tokens = await Promise.all(names.map((n) => t.login(n)));
  tok = Object.fromEntries(names.map((n, i) => [n, tokens[i]!]));
  tok.chief1 = await t.login('chief1', 'Wang12345xyz');
  tok.zhanhua = await t.login('zhanhua', 'Foreign123');
  for (const n of ['command', 'chief', 'officer', 'squad', 'chief1', 'leader']) ids[`u_${n}`] = await userId(n);
});
afterAll(() => t.close());

const issue = (body: Record<string, unknown>, token = tok.command) =>
  t.call(token, 'POST', '/api/v1/directives', { level: 'red', title: '加强夜间巡逻', content: '近期盗窃警情上升。', actions: '1. 加强巡逻；2. 反馈落实情况。', deadline: deadlineIn(24 * hour), ...body });

describe('issuing a directive', () => {
  let d: { id: string; code: string; issuedAt: string; targets: Array<{ id: string; name: string; kind: string; orgUnitId: string | null; departmentId: string | null; signDueAt: string; status: string }> };

  it('goes to stations and departments, with the level’s sign-off time, notifications and SMS', async () => {
    const res = await issue({ title: '红色指令·三单位', orgUnitIds: [ids.station5, ids.station1], departmentIds: [ids.xingzhen] });
    expect(res.statusCode, res.body).toBe(201);
    d = res.json();
    expect(d.code).toMatch(/^ZL\d{8}\d{4}$/);
    expect(d.targets).toHaveLength(3);
    for (const x of d.targets) {
      expect(x.status).toBe('issued');
      expect(new Date(x.signDueAt).getTime() - new Date(d.issuedAt).getTime()).toBe(15 * 60_000); // red: 15 minutes
    }
    ids.d1 = d.id;
    ids.t5 = d.targets.find((x) => x.orgUnitId === ids.station5)!.id;
    ids.t1 = d.targets.find((x) => x.orgUnitId === ids.station1)!.id;
    ids.tx = d.targets.find((x) => x.departmentId === ids.xingzhen)!.id;

    // the targets' directive.handle staff are told (urgent), the issuer is not
    for (const n of ['chief', 'officer', 'squad', 'chief1']) {
      const notes = await notesOf(ids[`u_${n}`]!, 'directive.issued');
      expect(notes, n).toHaveLength(1);
      expect(notes[0]).toMatchObject({ level: 'urgent', link: `/command/directives/${d.id}`, subject_id: d.id });
    }
    expect(await notesOf(ids.u_command!, 'directive.issued')).toHaveLength(0);
    // red is an SMS level: each recipient with a phone gets a text
    const sms = (await texts()).filter((m) => m.body.includes('红色指令·三单位'));
    expect(sms.map((m) => m.phone).sort()).toEqual(['13905430003', '13905430004', '13905430014', '13905438801']);
    expect(sms[0]!.body).toMatch(/^【枫桥】红色预警指令：/);
  });

  it('numbers the day’s directives in sequence', async () => {
    const res = await issue({ level: 'green', title: '绿色提示', orgUnitIds: [ids.community] });
    expect(res.statusCode).toBe(201);
    const n1 = Number(d.code.slice(10));
    expect(res.json().code).toBe(`${d.code.slice(0, 10)}${String(n1 + 1).padStart(4, '0')}`);
    // green is not an SMS level
    expect((await texts()).some((m) => m.body.includes('绿色提示'))).toBe(false);
  });

  it('refuses bad input with the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ orgUnitIds: [], departmentIds: [] }, 'orgUnitIds'],
      [{ orgUnitIds: [ids.station5], deadline: new Date(Date.now() - 60_000).toISOString() }, 'deadline'],
      [{ orgUnitIds: [ids.grid] }, 'orgUnitIds'],
      [{ orgUnitIds: [ids.foreignStation] }, 'orgUnitIds'],
      [{ orgUnitIds: [ids.station5], departmentIds: ['01900000-0000-7000-8000-000000000000'] }, 'departmentIds'],
      [{ orgUnitIds: [ids.station5], title: '   ' }, 'title'],
      [{ orgUnitIds: [ids.station5], level: 'purple' }, 'level'],
    ];
    for (const [body, field] of cases) {
      const res = await issue(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it('is for directive.issue holders only', async () => {
    expect((await issue({ orgUnitIds: [ids.station5] }, tok.chief)).statusCode).toBe(403);
    expect((await issue({ orgUnitIds: [ids.station5] }, tok.leader)).statusCode).toBe(403);
  });
});

describe('signing and reporting', () => {
  it('shows each unit its own targets in the inbox', async () => {
    const inbox = async (token: string) => (await t.call(token, 'GET', '/api/v1/directive-inbox?pageSize=50')).json().items.map((x: { id: string }) => x.id);
    expect(await inbox(tok.chief)).toContain(ids.t5);
    expect(await inbox(tok.officer)).toContain(ids.t5); // a community below the station may sign for it
    expect(await inbox(tok.chief)).not.toContain(ids.t1);
    expect(await inbox(tok.chief1)).toEqual([ids.t1]);
    expect(await inbox(tok.squad)).toEqual([ids.tx]);
    expect(await inbox(tok.dept)).toEqual([]);
  });

  it('a station signs once; twice is 409; another station or department gets 404', async () => {
    expect((await t.call(tok.chief1, 'POST', `/api/v1/directive-targets/${ids.t5}/sign`)).statusCode).toBe(404);
    expect((await t.call(tok.squad, 'POST', `/api/v1/directive-targets/${ids.t5}/sign`)).statusCode).toBe(404);
    expect((await t.call(tok.dept, 'POST', `/api/v1/directive-targets/${ids.tx}/sign`)).statusCode).toBe(404);
    expect((await t.call(tok.command, 'POST', `/api/v1/directive-targets/${ids.t5}/sign`)).statusCode).toBe(403);
    const res = await t.call(tok.chief, 'POST', `/api/v1/directive-targets/${ids.t5}/sign`);
    expect(res.statusCode, res.body).toBe(200);
    const target = res.json().targets.find((x: { id: string }) => x.id === ids.t5);
    expect(target).toMatchObject({ status: 'signed', signedBy: '孙立民', canHandle: true });
    const again = await t.call(tok.officer, 'POST', `/api/v1/directive-targets/${ids.t5}/sign`);
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/已签收/);
    // the issuer hears of it
    expect(await notesOf(ids.u_command!, 'directive.signed')).toHaveLength(1);
  });

  it('a report needs feedback, signs first when not yet signed, and only once', async () => {
    const empty = await t.call(tok.chief1, 'POST', `/api/v1/directive-targets/${ids.t1}/report`, { feedback: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].field).toBe('feedback');
    const res = await t.call(tok.chief1, 'POST', `/api/v1/directive-targets/${ids.t1}/report`, { feedback: '已部署夜巡两组。' });
    expect(res.statusCode, res.body).toBe(200);
    const target = res.json().targets.find((x: { id: string }) => x.id === ids.t1);
    expect(target).toMatchObject({ status: 'reported', feedback: '已部署夜巡两组。', signedBy: '王所长', reportedBy: '王所长' });
    expect(target.signedAt).toBe(target.reportedAt);
    expect((await t.call(tok.chief1, 'POST', `/api/v1/directive-targets/${ids.t1}/report`, { feedback: '再报' })).statusCode).toBe(409);
    expect((await t.call(tok.chief1, 'POST', `/api/v1/directive-targets/${ids.t1}/sign`)).statusCode).toBe(409);
    const events = res.json().events.map((e: { action: string; targetId: string }) => e.action);
    expect(events).toEqual(['issued', 'signed', 'signed', 'reported']);
  });

  it('a department target is signed and reported by the department’s staff', async () => {
    expect((await t.call(tok.squad, 'POST', `/api/v1/directive-targets/${ids.tx}/sign`)).statusCode).toBe(200);
    const res = await t.call(tok.squad, 'POST', `/api/v1/directive-targets/${ids.tx}/report`, { feedback: '刑侦已布控。' });
    expect(res.statusCode).toBe(200);
    expect(await notesOf(ids.u_command!, 'directive.reported')).toHaveLength(2);
  });

  it('rates: 3 targets, 3 signed, 2 reported → 100 % sign-off, 66.67 % feedback', async () => {
    const d = (await t.call(tok.command, 'GET', `/api/v1/directives/${ids.d1}`)).json();
    expect(d).toMatchObject({ targets: expect.any(Array), signed: 3, reported: 2, onTime: 2, signRate: 100, feedbackRate: 66.67, onTimeRate: 66.67 });
    const list = (await t.call(tok.command, 'GET', '/api/v1/directives?level=red')).json();
    expect(list.items.find((x: { id: string }) => x.id === ids.d1)).toMatchObject({ targets: 3, signed: 3, reported: 2, signRate: 100, feedbackRate: 66.67 });
  });

  it('detail: the issuer, the targets’ staff and oversight see it; others and foreign callers get 404', async () => {
    for (const n of ['command', 'chief', 'officer', 'squad', 'chief1', 'leader', 'supervisor']) {
      expect((await t.call(tok[n], 'GET', `/api/v1/directives/${ids.d1}`)).statusCode, n).toBe(200);
    }
    for (const n of ['dept', 'gridworker', 'zhanhua']) {
      expect((await t.call(tok[n], 'GET', `/api/v1/directives/${ids.d1}`)).statusCode, n).toBe(404);
    }
    const chiefView = (await t.call(tok.chief, 'GET', `/api/v1/directives/${ids.d1}`)).json();
    expect(chiefView.canManage).toBe(false);
    expect(chiefView.targets.filter((x: { canHandle: boolean }) => x.canHandle).map((x: { id: string }) => x.id)).toEqual([ids.t5]);
  });

  it('close and withdraw by the issuer; once', async () => {
    expect((await t.call(tok.chief, 'POST', `/api/v1/directives/${ids.d1}/close`)).statusCode).toBe(403);
    expect((await t.call(tok.zhanhua, 'POST', `/api/v1/directives/${ids.d1}/close`)).statusCode).toBe(403);
    const res = await t.call(tok.command, 'POST', `/api/v1/directives/${ids.d1}/close`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', closedBy: '周海涛', canManage: false });
    expect((await t.call(tok.command, 'POST', `/api/v1/directives/${ids.d1}/withdraw`)).statusCode).toBe(409);
    // a closed directive can no longer be reported on
    expect((await t.call(tok.chief, 'POST', `/api/v1/directive-targets/${ids.t5}/report`, { feedback: '迟到的反馈' })).statusCode).toBe(409);
    // the open filter leaves out finished directives and reported targets
    const open = (await t.call(tok.chief, 'GET', '/api/v1/directive-inbox?status=open&pageSize=50')).json();
    expect(open.items.map((x: { id: string }) => x.id)).not.toContain(ids.t5);
    expect(open.items.every((x: { status: string; directive: { status: string } }) => x.status !== 'reported' && x.directive.status === 'active')).toBe(true);
    expect((await t.call(tok.chief, 'GET', '/api/v1/directive-inbox?status=signed&pageSize=50')).json().items.map((x: { id: string }) => x.id)).toContain(ids.t5);

    const w = (await issue({ title: '待撤回', level: 'blue', orgUnitIds: [ids.station5] })).json();
    const wd = await t.call(tok.command, 'POST', `/api/v1/directives/${w.id}/withdraw`);
    expect(wd.json().status).toBe('withdrawn');
    expect((await notesOf(ids.u_chief!, 'directive.withdrawn')).length).toBe(1);
    const inbox = (await t.call(tok.chief, 'GET', '/api/v1/directive-inbox?pageSize=50')).json();
    expect(inbox.items.map((x: { directive: { id: string } }) => x.directive.id)).not.toContain(w.id);
  });

  it('lists only the caller’s scope and filters by status', async () => {
    const all = (await t.call(tok.command, 'GET', '/api/v1/directives?pageSize=50')).json();
    expect(all.total).toBeGreaterThanOrEqual(3);
    const closed = (await t.call(tok.command, 'GET', '/api/v1/directives?status=closed')).json();
    expect(closed.items.map((x: { id: string }) => x.id)).toEqual([ids.d1]);
    expect((await t.call(tok.command, 'GET', '/api/v1/directives?from=abc')).statusCode).toBe(400);
  });
});

describe('the runner: overdue sign-off and feedback', () => {
  const runner = () => new CommandRunner(t.deps, { pollMs: 60_000 });
  let red: { id: string; issuedAt: string; deadline: string; targets: Array<{ id: string; orgUnitId: string | null }> };
  let blue: { id: string; issuedAt: string; targets: Array<{ id: string }> };

  beforeAll(async () => {
    red = (await issue({ title: '红色督办测试', orgUnitIds: [ids.station5], departmentIds: [ids.xingzhen], deadline: deadlineIn(3 * hour) })).json();
    blue = (await issue({ level: 'blue', title: '蓝色督办测试', orgUnitIds: [ids.station1], deadline: deadlineIn(10 * hour) })).json();
  });

  const targetRows = (directiveId: string) => t.deps.db.selectFrom('directive_targets').selectAll().where('directive_id', '=', directiveId).execute();

  it('escalates a target not signed in time exactly once, even with two ticks at once', async () => {
    const at = new Date(new Date(red.issuedAt).getTime() + 16 * 60_000); // red: 15 minutes
    const [a, b] = await Promise.all([runner().tick(at), runner().tick(at)]);
    expect(a + b).toBe(2); // the two red targets; blue (120 minutes) is not due
    for (const row of await targetRows(red.id)) expect(row).toMatchObject({ escalation_level: 1 });
    for (const row of await targetRows(blue.id)) expect(row.escalation_level).toBe(0);
    expect(await runner().tick(at)).toBe(0);
    const events = await t.deps.db.selectFrom('command_events').select('action').where('subject_id', '=', red.id).where('action', '=', 'escalated').execute();
    expect(events).toHaveLength(2);
    // the issuer and the targets' staff are told; the other station is not
    expect(await notesOf(ids.u_command!, 'directive.escalated')).toHaveLength(2);
    for (const n of ['chief', 'officer', 'squad']) expect(await notesOf(ids[`u_${n}`]!, 'directive.escalated'), n).toHaveLength(1);
    expect(await notesOf(ids.u_chief1!, 'directive.escalated')).toHaveLength(0);
    const sms = (await texts()).filter((m) => m.body.includes('红色督办测试') && m.body.includes('督办'));
    expect([...new Set(sms.map((m) => m.phone))].sort()).toEqual(['13905430003', '13905430004', '13905430009', '13905430014']);
  });

  it('goes to level 2 after another sign-off period, and texts only for SMS levels', async () => {
    const at = new Date(new Date(red.issuedAt).getTime() + 31 * 60_000);
    expect(await runner().tick(at)).toBe(2);
    for (const row of await targetRows(red.id)) expect(row.escalation_level).toBe(2);
    expect(await runner().tick(new Date(at.getTime() + hour))).toBe(0); // red stays at 2; blue is due at 120 min
    const blueAt = new Date(new Date(blue.issuedAt).getTime() + 121 * 60_000);
    expect(await runner().tick(blueAt)).toBe(1);
    expect((await targetRows(blue.id))[0]!.escalation_level).toBe(1);
    expect(await notesOf(ids.u_chief1!, 'directive.escalated')).toHaveLength(1);
    expect((await texts()).some((m) => m.body.includes('蓝色督办测试'))).toBe(false);
  });

  it('a signed target is not escalated; one not reported by the deadline is flagged once', async () => {
    const tx = red.targets.find((x) => !x.orgUnitId)!.id;
    expect((await t.call(tok.squad, 'POST', `/api/v1/directive-targets/${tx}/report`, { feedback: '已落实' })).statusCode).toBe(200);
    const after = new Date(new Date(red.deadline).getTime() + 60_000);
    const [a, b] = await Promise.all([runner().tick(after), runner().tick(after)]);
    expect(a + b).toBe(1); // the station's target; the department reported
    expect(await runner().tick(after)).toBe(0);
    const rows = await targetRows(red.id);
    expect(rows.filter((r) => r.overdue_notified_at).map((r) => r.org_unit_id)).toEqual([ids.station5]);
    expect(await notesOf(ids.u_chief!, 'directive.overdue')).toHaveLength(1);
    expect(await notesOf(ids.u_squad!, 'directive.overdue')).toHaveLength(0);
  });

  it('stats: headline rates, by level and unit, and the overdue now (command.oversee)', async () => {
    expect((await t.call(tok.command, 'GET', '/api/v1/directives/stats')).statusCode).toBe(200);
    expect((await t.call(tok.chief, 'GET', '/api/v1/directives/stats')).statusCode).toBe(403);
    const s = (await t.call(tok.leader, 'GET', '/api/v1/directives/stats')).json();
    // the withdrawn directive is left out: 3 (d1) + 1 (green) + 2 (red) + 1 (blue) targets
    expect(s.headline).toMatchObject({ directives: 4, targets: 7 });
    expect(s.headline.reported).toBe(3);
    expect(s.headline.feedbackRate).toBe(42.86);
    const redLevel = s.byLevel.find((x: { level: string }) => x.level === 'red');
    expect(redLevel).toMatchObject({ directives: 2, targets: 5, reported: 3, feedbackRate: 60 });
    const st5 = s.byUnit.find((x: { id: string }) => x.id === ids.station5);
    expect(st5).toMatchObject({ kind: 'unit', name: '彭李派出所', targets: 2, signed: 1, reported: 0 });
    // nothing is overdue by the real clock yet (the runner was run ahead of time)
    expect(s.overdue).toEqual([]);
    const foreign = (await t.call(tok.zhanhua, 'GET', '/api/v1/directives/stats')).json();
    expect(foreign.headline.targets).toBe(0);
    expect((await t.call(tok.leader, 'GET', '/api/v1/directives/stats?from=2026-02-01&to=2026-01-01')).statusCode).toBe(400);
  });
});
