import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gridRing } from 'h3-js';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from './support/app.js';
import { insertIncidents, pointInGrid, type IncidentSpec } from './support/incident-fixtures.js';
import { unitByCode } from './support/foreign.js';
import { cellCentre, cellOf } from '../src/shared/geo.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';
import { blocksText, mondayOf, neighbourhood, peakBlocks, scoreCells } from '../src/server/modules/patrol/rules.js';

/**
 * "1+3" patrol plans on constructed incidents, coverage by constructed check-ins, patrols and their check-ins.
 *
 * The plan is for last week (W, a Monday) so every slot lies in the past; the basis is the 28 days before W and all
 * constructed incidents fall on its last Friday and Saturday:
 *   P1 20 (Fri+Sat 21:xx) · P2 15 with a camera · P3 12 · P4 10 · V5 8 on Saturday morning in 学苑社区 (which has a
 *   team) · V6 6 on Saturday afternoon in 黄河社区 (no team) · N7 5 at night only · plus 30 非警务 incidents (ignored).
 */
let t: TestApp;
let chief: string;
let officer: string;
let gridworker: string;
let command: string;
let W: string;
let stationId: string;
let xueyuanId: string;
const P: Record<string, { lat: number; lng: number; cell: string }> = {};
let cameraId: string;
let teamId: string;

const bj = (day: string, hour: number, minute = 0) => `${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`;
const many = (n: number, f: (i: number) => IncidentSpec) => Array.from({ length: n }, (_, i) => f(i));
const FRI = 4 * 24;
const SAT = 5 * 24;

beforeAll(async () => {
  t = await createTestApp();
  [chief, officer, gridworker, command] = await Promise.all(['chief', 'officer', 'gridworker', 'command'].map((u) => t.login(u)));
  W = addDays(mondayOf(todayCst()), -7);
  stationId = await unitByCode(t.deps, '371602005');
  xueyuanId = await unitByCode(t.deps, '371602005001');
  const places: Array<[string, string, number, number]> = [
    ['P1', '371602005002001', 0.3, 0.3],
    ['P2', '371602005002002', 0.5, 0.5],
    ['P3', '371602005003002', 0.5, 0.5],
    ['P4', '371602005002001', 0.7, 0.8],
    ['V5', '371602005001001', 0.4, 0.6],
    ['V6', '371602005003001', 0.5, 0.2],
    ['N7', '371602005003001', 0.5, 0.8],
    ['X', '371602005001002', 0.5, 0.5],
  ];
  const grid: Record<string, string> = {};
  for (const [k, g, fx, fy] of places) {
    const p = await pointInGrid(t.deps, g, fx, fy);
    P[k] = { ...p, cell: cellOf(p.lat, p.lng) };
    grid[k] = g;
  }
  const fri = addDays(W, -3);
  const sat = addDays(W, -2);
  const at = (k: string, specs: Array<[string, number, number]>, category = 'za_fight'): IncidentSpec[] =>
    specs.flatMap(([day, hour, n]) => many(n, (i) => ({ at: bj(day, hour, i), grid: grid[k], lat: P[k].lat, lng: P[k].lng, category })));
  await insertIncidents(t.deps, [
    ...at('P1', [[fri, 21, 10], [sat, 21, 10]]),
    ...at('P2', [[sat, 15, 15]]),
    ...at('P3', [[sat, 1, 12]]),
    ...at('P4', [[fri, 13, 10]]),
    ...at('V5', [[sat, 9, 8]]),
    ...at('V6', [[sat, 15, 6]]),
    ...at('N7', [[sat, 23, 5]]),
    ...at('X', [[sat, 10, 30]], 'jf_property'), // not a police matter
    ...at('P1', [[W, 10, 9]]), // inside the plan's week, not its basis
  ]);
  cameraId = uuidv7();
  await t.deps.db.insertInto('cameras').values({ id: cameraId, org_unit_id: stationId, code: `CAM-${cameraId.slice(-6)}`, name: '测试路口摄像头', lat: P.P2.lat, lng: P.P2.lng }).execute();
  const team = await t.call(chief, 'POST', '/api/v1/patrol-teams', { orgUnitId: xueyuanId, name: '学苑社区义务巡逻队', kind: 'yiwu', leaderName: '王队长', leaderPhone: '13912345678' });
  expect(team.statusCode, team.body).toBe(201);
  teamId = team.json().id;
  expect((await t.call(chief, 'POST', `/api/v1/patrol-teams/${teamId}/members`, { name: '李大爷', phone: '13812340001' })).statusCode).toBe(201);
}, 60_000);
afterAll(() => t.close());

describe('plan rules', () => {
  it('finds 2-hour peak blocks and words them plainly', () => {
    const counts = new Array(168).fill(0);
    counts[FRI + 21] = 5;
    counts[FRI + 22] = 2;
    counts[SAT + 21] = 6;
    counts[SAT + 9] = 1;
    const blocks = peakBlocks(counts, counts, 3);
    expect(blocks.map((b) => [b.start, b.count])).toEqual([
      [FRI + 21, 7],
      [SAT + 21, 6],
      [SAT + 9, 1],
    ]);
    expect(peakBlocks(counts, counts, 3, { daytime: true }).map((b) => b.start)).toEqual([SAT + 9]);
    expect(blocksText([FRI + 21, SAT + 21, SAT + 9])).toBe('周五、周六21—23时；周六9—11时');
    expect(blocksText([6 * 24 + 23])).toBe('周日23—次日1时');
  });

  it('weighs recent weeks more', () => {
    const rows = [
      { h3: 'a', how: 1, day: '2025-01-01', grid_id: null, n: 4 },
      { h3: 'b', how: 1, day: '2025-01-28', grid_id: null, n: 4 },
    ];
    const cells = scoreCells(rows, '2025-01-01', 28);
    expect(cells.map((c) => c.h3)).toEqual(['b', 'a']);
    expect(cells[0].score).toBeCloseTo(8, 5);
  });
});

describe('plans', () => {
  let plan: Record<string, unknown> & { id: string; items: Record<string, Array<Record<string, unknown> & { id: string; h3: string; hours: number[] }>> };

  it('generates the station’s plan: patrol at the top cells’ peak hours, video where cameras are, volunteers by day', async () => {
    const res = await t.call(chief, 'POST', '/api/v1/patrol-plans', { unitId: stationId, weekStart: addDays(W, 2) });
    expect(res.statusCode, res.body).toBe(201);
    plan = res.json();
    expect(plan).toMatchObject({ weekStart: W, weekEnd: addDays(W, 6), basisFrom: addDays(W, -28), basisTo: addDays(W, -1), unit: { id: stationId } });
    const { patrol, video, volunteer } = plan.items;
    expect(patrol.map((i) => i.h3)).toEqual([P.P1.cell, P.P2.cell, P.P3.cell, P.P4.cell]);
    const p1 = patrol[0];
    expect([...p1.hours].sort((a, b) => a - b)).toEqual([FRI + 21, FRI + 22, SAT + 21, SAT + 22]);
    expect(p1).toMatchObject({ rank: 1, incidents: 20, label: '香园社区第一网格附近', hoursText: '周五、周六21—23时' });
    expect(p1.reason).toBe('近28天该处发生警情20起，周五、周六21—23时最集中，建议安排专业巡逻');
    // night blocks come first
    expect(patrol[2].hours.slice(0, 2)).toEqual([SAT + 1, SAT + 2]);
    expect(video).toHaveLength(1);
    expect(video[0]).toMatchObject({ h3: P.P2.cell, cameraIds: [cameraId], cameraCount: 1, hours: [SAT + 15, SAT + 16] });
    expect(video[0].reason).toContain('周边有1个视频点位');
    expect(volunteer.map((i) => i.h3)).toEqual([P.V5.cell, P.V6.cell]);
    expect(volunteer[0]).toMatchObject({ team: { id: teamId, name: '学苑社区义务巡逻队' }, hours: [SAT + 9, SAT + 10] });
    expect(volunteer[0].reason).toContain('建议由学苑社区义务巡逻队开展群防巡逻');
    expect(volunteer[1]).toMatchObject({ team: null });
    expect(volunteer[1].reason).toContain('适合组织义务巡逻队');
    // not a police matter, and a place with night incidents only beyond the patrol cells: no item
    const all = [...patrol, ...video, ...volunteer].map((i) => i.h3);
    expect(all).not.toContain(P.X.cell);
    expect(all).not.toContain(P.N7.cell);
  });

  it('a camera in a ring-1 neighbour cell also counts', async () => {
    const near = neighbourhood(P.P3.cell).find((c) => c !== P.P3.cell)!;
    const [lat, lng] = cellCentre(near);
    const id = uuidv7();
    await t.deps.db.insertInto('cameras').values({ id, org_unit_id: stationId, code: `CAM-${id.slice(-6)}`, name: '邻近摄像头', lat, lng }).execute();
    const res = await t.call(chief, 'POST', '/api/v1/patrol-plans', { unitId: stationId, weekStart: W });
    expect(res.statusCode).toBe(201);
    const again = res.json();
    expect(again.id).toBe(plan.id);
    expect(again.items.video.map((i: { h3: string }) => i.h3)).toEqual([P.P2.cell, P.P3.cell]);
    // regenerating keeps the items of the same place and mode
    expect(again.items.patrol.map((i: { id: string }) => i.id)).toEqual(plan.items.patrol.map((i) => i.id));
    await t.deps.db.deleteFrom('cameras').where('id', '=', id).execute();
    const third = (await t.call(chief, 'POST', '/api/v1/patrol-plans', { unitId: stationId, weekStart: W })).json();
    expect(third.items.video).toHaveLength(1);
    plan = third;
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'patrol.plan.generate').execute();
    expect(audit.length).toBe(3);
  });

  it('lists and shows plans inside the scope only', async () => {
    const list = (await t.call(command, 'GET', '/api/v1/patrol-plans')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: plan.id, itemCount: 7 });
    expect((await t.call(command, 'GET', `/api/v1/patrol-plans/${plan.id}`)).statusCode).toBe(200);
    // a community officer's scope does not hold the station's plan
    expect((await t.call(officer, 'GET', `/api/v1/patrol-plans/${plan.id}`)).statusCode).toBe(404);
    expect((await t.call(officer, 'GET', '/api/v1/patrol-plans')).json().total).toBe(0);
    expect((await t.call(gridworker, 'GET', `/api/v1/patrol-plans/${plan.id}`)).statusCode).toBe(403);
  });

  it('refuses plans for the wrong unit or caller', async () => {
    const res = await t.call(officer, 'POST', '/api/v1/patrol-plans', { unitId: stationId });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].field).toBe('unitId');
    const grid = await unitByCode(t.deps, '371602005001001');
    expect((await t.call(chief, 'POST', '/api/v1/patrol-plans', { unitId: grid })).json().errors[0].field).toBe('unitId');
    expect((await t.call(chief, 'POST', '/api/v1/patrol-plans', { unitId: stationId, weekStart: '2025-13-01' })).statusCode).toBe(400);
    expect((await t.call(command, 'POST', '/api/v1/patrol-plans', { unitId: stationId })).statusCode).toBe(403);
    expect((await t.call(gridworker, 'POST', '/api/v1/patrol-plans', {})).statusCode).toBe(403);
    // a community officer plans for the own community
    const own = await t.call(officer, 'POST', '/api/v1/patrol-plans', { weekStart: W });
    expect(own.statusCode).toBe(201);
    expect(own.json().unit.id).toBe(xueyuanId);
    expect(own.json().items.volunteer.map((i: { h3: string }) => i.h3)).toEqual([]);
    expect(own.json().items.patrol.map((i: { h3: string }) => i.h3)).toEqual([P.V5.cell]);
  });

  it('measures coverage exactly from the week’s check-ins in the cell or its ring-1 neighbours during the slot hour', async () => {
    const p1 = plan.items.patrol[0];
    const fri = addDays(W, 4);
    const sat = addDays(W, 5);
    const near = neighbourhood(P.P1.cell).find((c) => c !== P.P1.cell)!;
    const far = gridRing(BigInt(P.P1.cell).toString(16), 2)[0];
    const [nearLat, nearLng] = cellCentre(near);
    const [farLat, farLng] = cellCentre(BigInt(`0x${far}`).toString());
    const started = await t.call(chief, 'POST', '/api/v1/patrols', { mode: 'patrol', planItemId: p1.id, startedAt: new Date(bj(addDays(W, -3), 20)).toISOString() });
    expect(started.statusCode, started.body).toBe(201);
    const pid = started.json().id;
    const ci = async (at: string, lat: number, lng: number) => {
      const r = await t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, { clientId: uuidv7(), at: new Date(at).toISOString(), lat, lng });
      expect(r.statusCode, r.body).toBe(201);
    };
    await ci(bj(fri, 21, 30), P.P1.lat, P.P1.lng); // covers Fri 21
    await ci(bj(sat, 22, 10), nearLat, nearLng); // a neighbour cell: covers Sat 22
    await ci(bj(sat, 21, 30), farLat, farLng); // two rings away: no
    await ci(bj(fri, 20, 30), P.P1.lat, P.P1.lng); // not a recommended hour
    await ci(bj(addDays(W, -3), 22, 15), P.P1.lat, P.P1.lng); // the week before
    const got = (await t.call(chief, 'GET', `/api/v1/patrol-plans/${plan.id}`)).json();
    const item = got.items.patrol[0];
    expect(item.coverage).toEqual({ slots: 4, due: 4, covered: 2, rate: 0.5, rateDue: 0.5 });
    expect(item.coveredHours.sort()).toEqual([FRI + 21, SAT + 22]);
    const patrolSlots = got.items.patrol.reduce((s: number, i: { hours: number[] }) => s + i.hours.length, 0);
    expect(got.byMode.patrol.coverage).toMatchObject({ slots: patrolSlots, covered: 2 });
    expect(got.byMode.video.coverage.covered).toBe(0);
    expect(got.coverage.covered).toBe(2);
    const list = (await t.call(chief, 'GET', `/api/v1/patrols?planItemId=${p1.id}`)).json();
    expect(list.items[0]).toMatchObject({ id: pid, checkinCount: 5, planItem: { id: p1.id } });
  });
});

describe('patrols and check-ins', () => {
  let pid: string;

  it('starts a patrol, stores a check-in once per clientId, also under concurrent retries', async () => {
    const res = await t.call(chief, 'POST', '/api/v1/patrols', { mode: 'patrol', unitId: xueyuanId, note: '夜间巡逻' });
    expect(res.statusCode).toBe(201);
    pid = res.json().id;
    expect(res.json()).toMatchObject({ open: true, mode: 'patrol', modeName: '专业巡逻', unit: { id: xueyuanId }, checkins: [] });
    const body = { clientId: uuidv7(), at: new Date().toISOString(), lat: P.V5.lat, lng: P.V5.lng };
    const first = await t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, body);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ duplicate: false, h3: P.V5.cell, outsideArea: false });
    const again = await t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, body);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, duplicate: true });
    const burst = { ...body, clientId: uuidv7() };
    const results = await Promise.all(Array.from({ length: 6 }, () => t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, burst)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const distinct = await Promise.all(Array.from({ length: 4 }, () => t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, { ...body, clientId: uuidv7() })));
    expect(distinct.every((r) => r.statusCode === 201)).toBe(true);
    const detail = (await t.call(chief, 'GET', `/api/v1/patrols/${pid}`)).json();
    expect(detail.checkins).toHaveLength(6);
  });

  it('flags a check-in far outside the station’s area but keeps it', async () => {
    const res = await t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, { clientId: uuidv7(), at: new Date().toISOString(), lat: P.V5.lat + 0.5, lng: P.V5.lng });
    expect(res.statusCode).toBe(201);
    expect(res.json().outsideArea).toBe(true);
    expect((await t.call(chief, 'GET', `/api/v1/patrols/${pid}`)).json().outsideCount).toBe(1);
  });

  it('lets only the creator check in or end, refuses bad input, and 409s once ended', async () => {
    const body = { clientId: uuidv7(), at: new Date().toISOString(), lat: P.V5.lat, lng: P.V5.lng };
    const other = await t.call(officer, 'POST', `/api/v1/patrols/${pid}/checkins`, body);
    expect(other.statusCode).toBe(403);
    expect((await t.call(officer, 'POST', `/api/v1/patrols/${pid}/end`, {})).statusCode).toBe(403);
    const bad = async (b: Record<string, unknown>, field: string) => {
      const r = await t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, b);
      expect(r.statusCode, JSON.stringify(b)).toBe(400);
      expect(r.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    };
    await bad({ ...body, clientId: undefined }, 'clientId');
    await bad({ ...body, lat: 100 }, 'lat');
    await bad({ ...body, at: new Date(Date.now() + 3_600_000).toISOString() }, 'at');
    await bad({ ...body, at: '2020-01-01T00:00:00Z' }, 'at');
    expect((await t.call(chief, 'POST', `/api/v1/patrols/${pid}/end`, { endedAt: '2020-01-01T00:00:00Z' })).json().errors[0].field).toBe('endedAt');
    const end = await t.call(chief, 'POST', `/api/v1/patrols/${pid}/end`, { note: '无异常' });
    expect(end.statusCode).toBe(200);
    expect(end.json()).toMatchObject({ open: false, note: '无异常' });
    expect((await t.call(chief, 'POST', `/api/v1/patrols/${pid}/end`, {})).statusCode).toBe(409);
    expect((await t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, body)).statusCode).toBe(409);
    // a retry of a check-in stored before the end still answers with it
    const stored = (await t.call(chief, 'GET', `/api/v1/patrols/${pid}`)).json().checkins[0];
    const retry = await t.call(chief, 'POST', `/api/v1/patrols/${pid}/checkins`, { clientId: stored.clientId, at: stored.at, lat: stored.lat, lng: stored.lng });
    expect(retry.statusCode).toBe(200);
  });

  it('refuses references outside the scope and hides foreign patrols', async () => {
    const other = await unitByCode(t.deps, '371602001');
    const r = await t.call(officer, 'POST', '/api/v1/patrols', { mode: 'patrol', unitId: other });
    expect(r.statusCode).toBe(400);
    expect(r.json().errors[0].field).toBe('unitId');
    expect((await t.call(officer, 'POST', '/api/v1/patrols', { mode: 'patrol', teamId: uuidv7() })).json().errors[0].field).toBe('teamId');
    expect((await t.call(officer, 'POST', '/api/v1/patrols', { mode: 'drone' })).statusCode).toBe(400);
    expect((await t.call(officer, 'POST', '/api/v1/patrols', { mode: 'patrol', startedAt: new Date(Date.now() + 3_600_000).toISOString() })).json().errors[0].field).toBe('startedAt');
    const foreign = uuidv7();
    const chiefId = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'chief').executeTakeFirstOrThrow()).id;
    await t.deps.db.insertInto('patrols').values({ id: foreign, org_unit_id: other, mode: 'patrol', started_at: new Date(), created_by: chiefId }).execute();
    expect((await t.call(chief, 'GET', `/api/v1/patrols/${foreign}`)).statusCode).toBe(404);
    expect((await t.call(chief, 'POST', `/api/v1/patrols/${foreign}/checkins`, { clientId: uuidv7(), at: new Date().toISOString(), lat: 37, lng: 118 })).statusCode).toBe(404);
    expect((await t.call(command, 'GET', `/api/v1/patrols/${foreign}`)).statusCode).toBe(200);
    const list = (await t.call(chief, 'GET', '/api/v1/patrols?pageSize=200')).json();
    expect(list.items.map((p: { id: string }) => p.id)).not.toContain(foreign);
    expect((await t.call(chief, 'GET', `/api/v1/patrols?unitId=${other}`)).statusCode).toBe(404);
    expect((await t.call(chief, 'GET', '/api/v1/patrols?from=2026-02-01&to=2026-01-01')).statusCode).toBe(400);
  });

  it('serves the field app: the plan of the week nearest first, start, check in, end', async () => {
    // this week's plan of the station (the constructed incidents lie in its basis too)
    expect((await t.call(chief, 'POST', '/api/v1/patrol-plans', { unitId: stationId })).statusCode).toBe(201);
    const at = `lat=${P.V6.lat}&lng=${P.V6.lng}`;
    const mine = await t.call(gridworker, 'GET', `/api/v1/patrols/mine?${at}`);
    expect(mine.statusCode).toBe(200);
    const m = mine.json();
    expect(m.patrol).toBeNull();
    expect(m.plan.unit.id).toBe(stationId);
    expect(m.items[0].h3).toBe(P.V6.cell);
    expect(m.items[0].distanceM).toBeLessThan(200);
    const ds = m.items.map((i: { distanceM: number }) => i.distanceM);
    expect(ds).toEqual([...ds].sort((a, b) => a - b));
    const start = await t.call(gridworker, 'POST', '/api/v1/patrols', { mode: 'volunteer', planItemId: m.items[0].id });
    expect(start.statusCode, start.body).toBe(201);
    const id = start.json().id;
    const c = await t.call(gridworker, 'POST', `/api/v1/patrols/${id}/checkins`, { clientId: uuidv7(), at: new Date().toISOString(), lat: P.V6.lat, lng: P.V6.lng });
    expect(c.statusCode).toBe(201);
    const now = (await t.call(gridworker, 'GET', '/api/v1/patrols/mine')).json();
    expect(now.patrol).toMatchObject({ id, open: true, planItem: { id: m.items[0].id } });
    expect(now.patrol.checkins).toHaveLength(1);
    expect(now.items[0].distanceM).toBeNull();
    expect((await t.call(gridworker, 'GET', `/api/v1/patrols/${id}`)).statusCode).toBe(403);
    expect((await t.call(gridworker, 'POST', `/api/v1/patrols/${id}/end`, {})).statusCode).toBe(200);
    const after = (await t.call(gridworker, 'GET', '/api/v1/patrols/mine')).json();
    expect(after.patrol).toBeNull();
    expect(after.recent[0].id).toBe(id);
    expect((await t.call(command, 'GET', '/api/v1/patrols/mine')).statusCode).toBe(403);
  });
});
