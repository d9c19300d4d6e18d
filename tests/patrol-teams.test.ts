import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from './support/app.js';
import { unitByCode } from './support/foreign.js';
import { todayCst } from '../src/server/modules/population/rules.js';

/** 义务巡逻队: teams, members with masked phones, shifts, attendance → points (idempotent, concurrent), ranking. */
let t: TestApp;
let chief: string;
let officer: string;
let command: string;
let gridworker: string;
let xueyuanId: string;
let otherCommunityId: string;
let teamId: string;
const members: string[] = [];

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

beforeAll(async () => {
  t = await createTestApp();
  [chief, officer, command, gridworker] = await Promise.all(['chief', 'officer', 'command', 'gridworker'].map((u) => t.login(u)));
  xueyuanId = await unitByCode(t.deps, '371602005001');
  otherCommunityId = await unitByCode(t.deps, '371602005002');
}, 60_000);
afterAll(() => t.close());

describe('teams and members', () => {
  it('creates a team and refuses duplicates, bad phones and units outside the scope', async () => {
    const res = await t.call(officer, 'POST', '/api/v1/patrol-teams', { orgUnitId: xueyuanId, name: '学苑社区红袖标', kind: 'hongxiubiao', leaderName: '赵阿姨', leaderPhone: '139-1234-5678' });
    expect(res.statusCode, res.body).toBe(201);
    teamId = res.json().id;
    expect(res.json()).toMatchObject({ name: '学苑社区红袖标', kindName: '红袖标', leaderPhone: '139****5678', memberCount: 0, points: 0, unit: { id: xueyuanId } });
    const dup = await t.call(chief, 'POST', '/api/v1/patrol-teams', { orgUnitId: xueyuanId, name: '学苑社区红袖标', kind: 'yiwu' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('name');
    const phone = await t.call(officer, 'POST', '/api/v1/patrol-teams', { orgUnitId: xueyuanId, name: '另一队', kind: 'yiwu', leaderPhone: '12345' });
    expect(phone.statusCode).toBe(400);
    expect(phone.json().errors[0].field).toBe('leaderPhone');
    const foreign = await t.call(officer, 'POST', '/api/v1/patrol-teams', { orgUnitId: otherCommunityId, name: '越权队', kind: 'yiwu' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors[0].field).toBe('orgUnitId');
    expect((await t.call(officer, 'POST', '/api/v1/patrol-teams', { orgUnitId: xueyuanId, name: '错队', kind: 'army' })).statusCode).toBe(400);
    expect((await t.call(command, 'POST', '/api/v1/patrol-teams', { orgUnitId: xueyuanId, name: '指挥队', kind: 'yiwu' })).statusCode).toBe(403);
    const put = await t.call(officer, 'PUT', `/api/v1/patrol-teams/${teamId}`, { orgUnitId: xueyuanId, name: '学苑社区红袖标队', kind: 'hongxiubiao', leaderName: '赵阿姨', leaderPhone: '13912345678' });
    expect(put.statusCode).toBe(200);
    expect(put.json().name).toBe('学苑社区红袖标队');
  });

  it('adds members with unique phones, shows them masked and audits the team view', async () => {
    for (const [i, name] of ['李大爷', '王阿姨', '张师傅'].entries()) {
      const r = await t.call(officer, 'POST', `/api/v1/patrol-teams/${teamId}/members`, { name, phone: `1381234000${i}`, joinedOn: '2026-01-0' + (i + 1) });
      expect(r.statusCode, r.body).toBe(201);
      expect(r.json().phone).toBe(`138****000${i}`);
      members.push(r.json().id);
    }
    const dup = await t.call(officer, 'POST', `/api/v1/patrol-teams/${teamId}/members`, { name: '重复', phone: '13812340001' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('phone');
    const race = await Promise.all([0, 1, 2].map(() => t.call(officer, 'POST', `/api/v1/patrol-teams/${teamId}/members`, { name: '并发', phone: '13812349999' })));
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    members.push(race.find((r) => r.statusCode === 201)!.json().id);
    const edit = await t.call(officer, 'PUT', `/api/v1/patrol-team-members/${members[3]}`, { name: '并发队员', phone: '13812340001' });
    expect(edit.statusCode).toBe(409);
    expect((await t.call(officer, 'PUT', `/api/v1/patrol-team-members/${members[3]}`, { name: '并发队员', phone: '13812349999', status: 'left' })).json()).toMatchObject({ status: 'left', phone: '138****9999' });
    expect((await t.call(officer, 'POST', `/api/v1/patrol-teams/${teamId}/members`, { name: '坏号', phone: 'abc' })).json().errors[0].field).toBe('phone');
    // a change without the phone keeps it
    const keep = await t.call(officer, 'PUT', `/api/v1/patrol-team-members/${members[2]}`, { name: '张师傅' });
    expect(keep.json()).toMatchObject({ name: '张师傅', phone: '138****0002' });
    const before = await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'patrol.team.view').execute();
    const detail = await t.call(command, 'GET', `/api/v1/patrol-teams/${teamId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toMatch(/1381234000\d/);
    expect(detail.body).not.toContain('13912345678');
    expect(detail.json().members).toHaveLength(4);
    expect(detail.json().memberCount).toBe(3);
    const after = await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'patrol.team.view').execute();
    expect(after.length).toBe(before.length + 1);
    expect((await t.call(gridworker, 'GET', `/api/v1/patrol-teams/${teamId}`)).statusCode).toBe(403);
  });

  it('scopes teams: another community’s officer sees nothing of them', async () => {
    const other = await t.call(chief, 'POST', '/api/v1/patrol-teams', { orgUnitId: otherCommunityId, name: '香园社区义务巡逻队', kind: 'yiwu' });
    expect(other.statusCode).toBe(201);
    const list = (await t.call(officer, 'GET', '/api/v1/patrol-teams')).json();
    expect(list.items.map((x: { id: string }) => x.id)).toEqual([teamId]);
    expect((await t.call(officer, 'GET', `/api/v1/patrol-teams/${other.json().id}`)).statusCode).toBe(404);
    expect((await t.call(officer, 'POST', `/api/v1/patrol-teams/${other.json().id}/members`, { name: '越权', phone: '13700000000' })).statusCode).toBe(404);
    expect((await t.call(chief, 'GET', '/api/v1/patrol-teams')).json().total).toBe(2);
    expect((await t.call(officer, 'GET', `/api/v1/patrol-teams?unitId=${otherCommunityId}`)).statusCode).toBe(404);
  });
});

describe('shifts, attendance and points', () => {
  let shiftId: string;

  it('plans a shift with members and refuses bad ones', async () => {
    const bad = async (b: Record<string, unknown>, field: string) => {
      const r = await t.call(officer, 'POST', `/api/v1/patrol-teams/${teamId}/shifts`, b);
      expect(r.statusCode, JSON.stringify(b)).toBe(400);
      expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    const ok = { startsAt: hoursAgo(5), endsAt: hoursAgo(2), area: '学苑小区南门至菜市场', memberIds: members.slice(0, 3) };
    await bad({ ...ok, endsAt: hoursAgo(6) }, 'endsAt');
    await bad({ ...ok, memberIds: [uuidv7()] }, 'memberIds');
    await bad({ ...ok, memberIds: [members[3]] }, 'memberIds'); // left the team
    await bad({ ...ok, memberIds: [] }, 'memberIds');
    await bad({ ...ok, area: '' }, 'area');
    const r = await t.call(officer, 'POST', `/api/v1/patrol-teams/${teamId}/shifts`, ok);
    expect(r.statusCode, r.body).toBe(201);
    shiftId = r.json().id;
    expect(r.json()).toMatchObject({ hours: 3, status: 'planned' });
    expect(r.json().members).toHaveLength(3);
  });

  it('books points once per shift: re-recording replaces, concurrent recording never double counts', async () => {
    // default settings: 5 per shift + 2 per hour; a 3-hour shift → 11; absence costs 0
    const record = (attended: boolean[]) => t.call(officer, 'POST', `/api/v1/patrol-shifts/${shiftId}/attendance`, { members: attended.map((a, i) => ({ memberId: members[i], attended: a })) });
    const first = await record([true, true, false]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().status).toBe('done');
    expect(first.json().members.map((m: { points: number }) => m.points).sort()).toEqual([0, 11, 11]);
    const burst = await Promise.all(Array.from({ length: 5 }, () => record([true, true, false])));
    expect(burst.every((r) => r.statusCode === 200)).toBe(true);
    const pts = async () => (await t.deps.db.selectFrom('patrol_team_members').select(['id', 'points']).where('team_id', '=', teamId).execute()).reduce((m, r) => ({ ...m, [r.id]: r.points }), {} as Record<string, number>);
    expect(await pts()).toMatchObject({ [members[0]]: 11, [members[1]]: 11, [members[2]]: 0 });
    // a correction: the second member was absent after all, the third came
    expect((await record([true, false, true])).statusCode).toBe(200);
    expect(await pts()).toMatchObject({ [members[0]]: 11, [members[1]]: 0, [members[2]]: 11 });
    const ledger = await t.deps.db.selectFrom('patrol_points_ledger').select(['member_id', 'points']).where('shift_id', '=', shiftId).execute();
    expect(ledger.map((l) => l.points).sort()).toEqual([11, 11]);
    // a penalty for absence when the settings ask for one
    const admin = await t.login('admin');
    expect((await t.call(admin, 'PUT', '/api/v1/command-settings', { patrol: { basisDays: 28, pointsPerShift: 5, pointsPerHour: 2, absencePenalty: 3 } })).statusCode).toBe(200);
    await record([true, false, true]);
    expect(await pts()).toMatchObject({ [members[0]]: 11, [members[1]]: -3, [members[2]]: 11 });
    expect((await t.call(admin, 'PUT', '/api/v1/command-settings', { patrol: { basisDays: 28, pointsPerShift: 5, pointsPerHour: 2, absencePenalty: 0 } })).statusCode).toBe(200);
    await record([true, false, true]);
    expect(await pts()).toMatchObject({ [members[1]]: 0 });
  });

  it('refuses attendance for strangers, duplicates, future shifts and foreign shifts', async () => {
    const r = await t.call(officer, 'POST', `/api/v1/patrol-shifts/${shiftId}/attendance`, { members: [{ memberId: uuidv7(), attended: true }] });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('members');
    const twice = await t.call(officer, 'POST', `/api/v1/patrol-shifts/${shiftId}/attendance`, { members: [{ memberId: members[0], attended: true }, { memberId: members[0], attended: false }] });
    expect(twice.statusCode).toBe(400);
    const future = await t.call(officer, 'POST', `/api/v1/patrol-teams/${teamId}/shifts`, { startsAt: new Date(Date.now() + 86_400_000).toISOString(), endsAt: new Date(Date.now() + 90_000_000).toISOString(), area: '明日', memberIds: [members[0]] });
    expect((await t.call(officer, 'POST', `/api/v1/patrol-shifts/${future.json().id}/attendance`, { members: [{ memberId: members[0], attended: true }] })).statusCode).toBe(400);
    expect((await t.call(officer, 'POST', `/api/v1/patrol-shifts/${uuidv7()}/attendance`, { members: [{ memberId: members[0], attended: true }] })).statusCode).toBe(404);
    expect((await t.call(command, 'POST', `/api/v1/patrol-shifts/${shiftId}/attendance`, { members: [{ memberId: members[0], attended: true }] })).statusCode).toBe(403);
  });

  it('adjusts points by hand, explains every total in the ledger and ranks the month', async () => {
    const adj = await Promise.all([5, -2, 4].map((points) => t.call(officer, 'POST', `/api/v1/patrol-team-members/${members[0]}/points`, { points, reason: '表现突出' })));
    expect(adj.every((r) => r.statusCode === 201)).toBe(true);
    expect((await t.call(officer, 'POST', `/api/v1/patrol-team-members/${members[0]}/points`, { points: 0, reason: '无' })).json().errors[0].field).toBe('points');
    expect((await t.call(officer, 'POST', `/api/v1/patrol-team-members/${members[0]}/points`, { points: 3, reason: ' ' })).json().errors[0].field).toBe('reason');
    const ledger = (await t.call(command, 'GET', `/api/v1/patrol-team-members/${members[0]}/points`)).json();
    expect(ledger.member.points).toBe(18);
    expect(ledger.items.reduce((s: number, l: { points: number }) => s + l.points, 0)).toBe(18);
    expect(ledger.total).toBe(4);
    const month = todayCst().slice(0, 7);
    const rank = (await t.call(chief, 'GET', `/api/v1/patrol-teams/ranking?month=${month}`)).json();
    expect(rank.month).toBe(month);
    expect(rank.items[0]).toMatchObject({ rank: 1, memberId: members[0], monthPoints: 18, team: { id: teamId } });
    expect(rank.items[1]).toMatchObject({ rank: 2, memberId: members[2], monthPoints: 11 });
    expect(JSON.stringify(rank)).not.toMatch(/1381234\d{4}/);
    expect((await t.call(chief, 'GET', '/api/v1/patrol-teams/ranking?month=2026-13')).statusCode).toBe(400);
    const teams = (await t.call(officer, 'GET', '/api/v1/patrol-teams')).json();
    expect(teams.items[0]).toMatchObject({ points: 29, shiftsThisMonth: expect.any(Number) });
    const other = (await t.call(chief, 'GET', '/api/v1/patrol-teams')).json().items.find((x: { id: string }) => x.id !== teamId);
    expect((await t.call(officer, 'GET', `/api/v1/patrol-team-members/${members[0]}/points`)).statusCode).toBe(200);
    expect(other).toBeTruthy();
  });
});
