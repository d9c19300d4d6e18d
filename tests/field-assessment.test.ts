import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from './support/app.js';
import { addForeignBranch } from './support/foreign.js';
import { insertAddress, orgUnitId } from './support/registry-fixtures.js';
import type { Deps } from '../src/server/deps.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUser } from '../src/server/modules/users/service.js';
import { DEFAULT_WEIGHTS } from '../src/server/modules/field/tasks/assessment.js';

/**
 * The monthly assessment of grid workers (docs/api-field.md "Assessment"): every figure on a known dataset, the
 * month's edges in China Standard Time, the score with its caps, ranking, scope, and the weights.
 */

const sys = () => systemContext(Object.keys(PERMISSIONS));
const MONTH = '2025-06';
let t: TestApp;
let deps: Deps;
let officer: string;
let chief: string;
let leader: string;
let admin: string;
let gridworker: string;
let W: string; // the demo grid worker 王秀英 (grid 371602005001001)
let idle: string; // a second worker of the same grid, with nothing done
let far: string; // a worker of another community
let G1: string;
let foreignBranch: string;

async function ensureItemTypes(d: Deps) {
  for (const [code, name] of [
    ['info', '信息采集'],
    ['patrol', '网格巡查'],
  ]) {
    await d.db.insertInto('field_categories').values({ code, name }).onConflict((oc) => oc.column('code').doNothing()).execute();
  }
  for (const [code, category, name] of [
    ['address_verify', 'info', '地址核查（一标三实核查）'],
    ['rental_visit', 'info', '出租房屋走访'],
    ['patrol_checkin', 'patrol', '巡查打卡'],
  ]) {
    await d.db
      .insertInto('field_item_types')
      .values({ id: uuidv7(), code, category_code: category, name, form_schema: JSON.stringify({ fields: [] }), builtin: true })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}

const at = (iso: string) => new Date(iso);
const hoursAfter = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000);

async function item(o: { worker: string; type: string; address: string; occurred: string; receivedAfterH: number; returnedAt?: string }) {
  await deps.db
    .insertInto('field_items')
    .values({
      id: uuidv7(),
      client_id: uuidv7(),
      worker_id: o.worker,
      type_code: o.type,
      type_version: 1,
      category_code: 'info',
      org_unit_id: G1,
      county_code: '371602',
      address_id: o.address,
      data: '{}',
      occurred_at: at(o.occurred),
      received_at: hoursAfter(o.occurred, o.receivedAfterH),
      ...(o.returnedAt ? { status: 'returned' as const, returned_at: at(o.returnedAt), return_reason: '照片不清晰' } : {}),
    })
    .execute();
}

async function change(o: { worker: string; address: string; occurred: string; receivedAfterH: number; rejectedAt?: string }) {
  await deps.db
    .insertInto('field_changes')
    .values({
      id: uuidv7(),
      client_id: uuidv7(),
      worker_id: o.worker,
      kind: 'person_update',
      org_unit_id: G1,
      county_code: '371602',
      address_id: o.address,
      payload: JSON.stringify({ phone: '13800000000' }),
      summary: '更新联系电话',
      occurred_at: at(o.occurred),
      received_at: hoursAfter(o.occurred, o.receivedAfterH),
      ...(o.rejectedAt ? { status: 'rejected' as const, reviewed_at: at(o.rejectedAt), review_note: '信息不实' } : {}),
    })
    .execute();
}

async function task(o: { template: string; worker: string; due: string; status?: 'open' | 'done' | 'cancelled'; doneAt?: string; period: string }) {
  await deps.db
    .insertInto('tasks')
    .values({
      id: uuidv7(),
      template_id: o.template,
      period: o.period,
      grid_id: G1,
      county_code: '371602',
      worker_id: o.worker,
      target_kind: 'address',
      target_id: uuidv7(),
      address_id: null,
      title: '入户走访',
      due_date: o.due,
      status: o.status ?? 'open',
      done_at: o.doneAt ? at(o.doneAt) : null,
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestApp();
  deps = t.deps;
  await ensureItemTypes(deps);
  foreignBranch = (await addForeignBranch(deps)).branchId;
  [officer, chief, leader, admin, gridworker] = await Promise.all(['officer', 'chief', 'leader', 'admin', 'gridworker'].map((u) => t.login(u)));
  G1 = await orgUnitId(deps, '371602005001001');
  W = (await deps.db.selectFrom('users').select('id').where('username', '=', 'gridworker').executeTakeFirstOrThrow()).id;
  idle = (await createUser(deps, sys(), { username: 'gw.idle', displayName: '网格员闲', password: 'Worker12345', orgUnitId: G1, roles: ['gridworker'], mustChangePassword: false })).id;
  far = (await createUser(deps, sys(), { username: 'gw.far', displayName: '网格员远', password: 'Worker12345', orgUnitId: await orgUnitId(deps, '371602005002001'), roles: ['gridworker'], mustChangePassword: false })).id;

  const [A1, A2, A3] = await Promise.all([1, 2, 3].map(() => insertAddress(deps, { grid: G1 }).then((a) => a.id)));
  const tpl = uuidv7();
  await deps.db.insertInto('task_templates').values({ id: tpl, org_unit_id: G1, name: '入户走访', item_type_code: 'rental_visit', target_kind: 'address', recurrence: 'monthly' }).execute();

  // tasks due in June: one done on time, one done after the due day had ended in Beijing (00:30 on 1 July), one
  // still open; a cancelled one and July's do not count
  await task({ template: tpl, worker: W, period: '2025-06', due: '2025-06-30', status: 'done', doneAt: '2025-06-20T02:00:00Z' });
  await task({ template: tpl, worker: W, period: '2025-06', due: '2025-06-30', status: 'done', doneAt: '2025-06-30T16:30:00Z' });
  await task({ template: tpl, worker: W, period: '2025-W24', due: '2025-06-15' });
  await task({ template: tpl, worker: W, period: '2025-06', due: '2025-06-30', status: 'cancelled' });
  await task({ template: tpl, worker: W, period: '2025-07', due: '2025-07-31', status: 'done', doneAt: '2025-07-02T02:00:00Z' });
  // another worker's task is not W's
  await task({ template: tpl, worker: far, period: '2025-06', due: '2025-06-30', status: 'done', doneAt: '2025-06-10T02:00:00Z' });

  // items by occurredAt in Beijing time; timely = received within 24 h
  await item({ worker: W, type: 'address_verify', address: A1, occurred: '2025-06-02T02:00:00Z', receivedAfterH: 1 });
  await item({ worker: W, type: 'address_verify', address: A1, occurred: '2025-06-03T02:00:00Z', receivedAfterH: 30 });
  await item({ worker: W, type: 'address_verify', address: A2, occurred: '2025-06-10T02:00:00Z', receivedAfterH: 2, returnedAt: '2025-06-11T02:00:00Z' });
  await item({ worker: W, type: 'rental_visit', address: A3, occurred: '2025-06-30T15:00:00Z', receivedAfterH: 1 }); // 23:00 on 30 June
  await item({ worker: W, type: 'address_verify', address: A3, occurred: '2025-06-30T16:30:00Z', receivedAfterH: 1 }); // 1 July in Beijing
  await item({ worker: W, type: 'patrol_checkin', address: A3, occurred: '2025-05-31T16:30:00Z', receivedAfterH: 48 }); // 1 June in Beijing
  await item({ worker: W, type: 'rental_visit', address: A3, occurred: '2025-05-20T02:00:00Z', receivedAfterH: 1, returnedAt: '2025-06-05T02:00:00Z' }); // May's item, returned in June
  await item({ worker: far, type: 'address_verify', address: A1, occurred: '2025-06-02T02:00:00Z', receivedAfterH: 1 });
  // changes
  await change({ worker: W, address: A1, occurred: '2025-06-05T02:00:00Z', receivedAfterH: 1 });
  await change({ worker: W, address: A1, occurred: '2025-06-06T02:00:00Z', receivedAfterH: 25, rejectedAt: '2025-06-07T02:00:00Z' });
  await change({ worker: W, address: A1, occurred: '2025-07-02T02:00:00Z', receivedAfterH: 1 });
});
afterAll(() => t.close());

// W in June: tasks due 3, on time 1; items 5 (+2 changes = 7), timely 3 + 1 = 4; verified A1, A2 = 2;
// returned 2 items + 1 change = 3. Score with the default weights 40/25/20/15, caps 60 and 30, 2 per return up to 10:
// 40·1/3 + 25·7/60 + 20·2/30 + 15·4/7 − 6 = 13.33 + 2.92 + 1.33 + 8.57 − 6 = 20.16
const EXPECTED_W = {
  month: MONTH,
  name: '王秀英',
  tasksDue: 3,
  tasksOnTime: 1,
  onTimeRate: 0.3333,
  itemsCollected: 7,
  items: 5,
  changes: 2,
  recordsVerified: 2,
  timelyRate: 0.5714,
  returned: 3,
  score: 20.2,
  parts: { onTime: 13.3, collected: 2.9, verified: 1.3, timely: 8.6, deduction: 6 },
};

describe('assessment figures', () => {
  it('computes every figure from the data for the month in Beijing time, ranked by score', async () => {
    const res = await t.call(officer, 'GET', `/api/v1/assessment/field?month=${MONTH}`);
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json();
    const w = rows.find((r: { workerId: string }) => r.workerId === W);
    expect(w).toMatchObject({ ...EXPECTED_W, rank: 1 });
    const i = rows.find((r: { workerId: string }) => r.workerId === idle);
    expect(i).toMatchObject({ tasksDue: 0, tasksOnTime: 0, onTimeRate: null, itemsCollected: 0, recordsVerified: 0, timelyRate: null, returned: 0, score: 0 });
    expect(rows.map((r: { score: number }) => r.score)).toEqual([...rows.map((r: { score: number }) => r.score)].sort((a: number, b: number) => b - a));
    // the assistant of the community collects too, with nothing this month: shares the last rank with the idle worker
    const zero = rows.filter((r: { score: number }) => r.score === 0);
    expect(new Set(zero.map((r: { rank: number }) => r.rank)).size).toBe(1);
    // the officer's community does not hold the other community's worker; the station does
    expect(rows.some((r: { workerId: string }) => r.workerId === far)).toBe(false);
    const station = (await t.call(chief, 'GET', `/api/v1/assessment/field?month=${MONTH}`)).json();
    expect(station.find((r: { workerId: string }) => r.workerId === far)).toMatchObject({ tasksDue: 1, tasksOnTime: 1, onTimeRate: 1, itemsCollected: 1, recordsVerified: 1, timelyRate: 1 });
    const byGrid = (await t.call(leader, 'GET', `/api/v1/assessment/field?month=${MONTH}&unitId=${G1}`)).json();
    expect(byGrid.map((r: { workerId: string }) => r.workerId).sort()).toEqual([W, idle].sort());
  });

  it('shows the worker their own figures', async () => {
    const res = await t.call(gridworker, 'GET', `/api/v1/field/me/assessment?month=${MONTH}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ...EXPECTED_W, workerId: W });
    const now = (await t.call(gridworker, 'GET', '/api/v1/field/me/assessment')).json();
    expect(now.month).toMatch(/^\d{4}-\d{2}$/);
    expect(now.month).not.toBe(MONTH);
    expect((await t.call(officer, 'GET', '/api/v1/field/me/assessment')).statusCode).toBe(403);
  });

  it('in the month under way counts a task once it is due or done, so one not yet due is never late', async () => {
    const now = new Date();
    const month = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    const [y, m] = month.split('-').map(Number);
    const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    const worker = await createUser(deps, sys(), { username: 'gw.month', displayName: '网格员本月', password: 'Worker12345', orgUnitId: G1, roles: ['gridworker'], mustChangePassword: false });
    const tpl = uuidv7();
    await deps.db.insertInto('task_templates').values({ id: tpl, org_unit_id: G1, name: '本月走访', item_type_code: 'rental_visit', target_kind: 'address', recurrence: 'monthly' }).execute();
    // due at the end of the month: one still open (not yet due, unless today is the last day), one already done
    await task({ template: tpl, worker: worker.id, period: month, due: last, status: 'open' });
    await task({ template: tpl, worker: worker.id, period: month, due: last, status: 'done', doneAt: now.toISOString() });
    const row = (await t.call(officer, 'GET', '/api/v1/assessment/field')).json().find((r: { workerId: string }) => r.workerId === worker.id);
    if (today < last) expect(row).toMatchObject({ tasksDue: 1, tasksOnTime: 1, onTimeRate: 1 });
    else expect(row).toMatchObject({ tasksDue: 2, tasksOnTime: 1, onTimeRate: 0.5 });
  });

  it('refuses a bad month, a unit outside the jurisdiction and the wrong roles', async () => {
    for (const m of ['2025-13', '2025-00', '2025-6', 'june']) {
      const res = await t.call(officer, 'GET', `/api/v1/assessment/field?month=${m}`);
      expect(res.statusCode, m).toBe(400);
      expect(res.json().errors[0].field).toBe('month');
    }
    expect((await t.call(officer, 'GET', `/api/v1/assessment/field?unitId=${foreignBranch}`)).statusCode).toBe(404);
    expect((await t.call(gridworker, 'GET', '/api/v1/assessment/field')).statusCode).toBe(403);
    expect((await t.call(admin, 'GET', '/api/v1/assessment/field')).statusCode).toBe(403);
  });
});

describe('weights', () => {
  const valid = { ...DEFAULT_WEIGHTS };

  it('starts from the defaults', async () => {
    const res = await t.call(leader, 'GET', '/api/v1/assessment/field/weights');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(DEFAULT_WEIGHTS);
  });

  it('are validated: non-negative integers, the four parts adding up to 100, caps of at least one', async () => {
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ onTime: 50 }, ['onTime', 'collected', 'verified', 'timely']],
      [{ verified: -1, onTime: 61 }, ['verified']],
      [{ timely: 7.5 }, ['timely']],
      [{ collectedCap: 0 }, ['collectedCap']],
      [{ verifiedCap: 0 }, ['verifiedCap']],
      [{ returnPenaltyCap: 101 }, ['returnPenaltyCap']],
    ];
    for (const [patch, fields] of cases) {
      const res = await t.call(admin, 'PUT', '/api/v1/assessment/field/weights', { ...valid, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field).sort(), JSON.stringify(patch)).toEqual([...fields].sort());
    }
    const sum = await t.call(admin, 'PUT', '/api/v1/assessment/field/weights', { ...valid, onTime: 50 });
    expect(sum.json().detail).toBe('四项权重之和须为 100（现为 110）');
    const missing = await t.call(admin, 'PUT', '/api/v1/assessment/field/weights', { onTime: 40 });
    expect(missing.statusCode).toBe(400);
    expect((await t.call(leader, 'GET', '/api/v1/assessment/field/weights')).json()).toEqual(DEFAULT_WEIGHTS);
  });

  it('only field.configure changes them; the change is audited and the score follows with its caps', async () => {
    for (const token of [officer, chief, leader, gridworker]) expect((await t.call(token, 'PUT', '/api/v1/assessment/field/weights', valid)).statusCode).toBe(403);
    const next = { ...valid, collectedCap: 5, returnPenaltyCap: 4 };
    const res = await t.call(admin, 'PUT', '/api/v1/assessment/field/weights', next);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual(next);
    expect((await t.call(officer, 'GET', '/api/v1/assessment/field/weights')).json()).toEqual(next);
    const audit = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'field.assessment.weights').execute();
    expect(audit).toHaveLength(1);
    // 7 items now fill the collected part (capped at 5), and returns cost at most 4:
    // 13.33 + 25 + 1.33 + 8.57 − 4 = 44.24
    const w = (await t.call(officer, 'GET', `/api/v1/assessment/field?month=${MONTH}`)).json().find((r: { workerId: string }) => r.workerId === W);
    expect(w).toMatchObject({ score: 44.2, parts: { onTime: 13.3, collected: 25, verified: 1.3, timely: 8.6, deduction: 4 } });
  });
});
