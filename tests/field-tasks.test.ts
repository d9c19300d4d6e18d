import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { addForeignBranch } from './support/foreign.js';
import { insertAddress, makeCreditCode, makeIdNumber, orgUnitId } from './support/registry-fixtures.js';
import type { Deps } from '../src/server/deps.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUser } from '../src/server/modules/users/service.js';
import { createPerson } from '../src/server/modules/population/service.js';
import { createUnit } from '../src/server/modules/units/service.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';
import { completeTasksFor, openTasksAt } from '../src/server/modules/field/tasks/complete.js';
import { generateNow, listTemplates, progress } from '../src/server/modules/field/tasks/service.js';
import { currentPeriod, dueDateOf, overlappingPeriods, shiftPeriod } from '../src/server/modules/field/tasks/periods.js';

/**
 * Field tasks (docs/api-field.md "Tasks"): templates, set-based generation per target kind, assignment, resumption,
 * cancellation, completion by task id and by address, progress, the worker's list, the runner, SMS, and scope.
 */

const sys = () => systemContext(Object.keys(PERMISSIONS));
let t: TestApp;
let deps: Deps;
let officer: string;
let chief: string;
let gridworker: string;
let assistant: string;
let leader: string;
let admin: string;
let G1: string; // 学苑社区第一网格 (the demo grid worker's)
let G2: string; // 学苑社区第二网格 (no worker at first)
let COMMUNITY: string;
let foreign: Awaited<ReturnType<typeof addForeignBranch>>;
let gridworkerId: string;
const GRIDWORKER_PHONE = '13905430006';
const today = todayCst();
const month = currentPeriod('monthly');

/** The item types tasks rely on, until the catalogue ships them (nothing is changed when they exist). */
async function ensureItemTypes(d: Deps) {
  const cats = [
    ['info', '信息采集'],
    ['security', '治安防范'],
    ['patrol', '网格巡查'],
    ['service', '社区服务'],
  ];
  for (const [code, name] of cats) await d.db.insertInto('field_categories').values({ code, name }).onConflict((oc) => oc.column('code').doNothing()).execute();
  const types = [
    ['address_verify', 'info', '地址核查（一标三实核查）'],
    ['rental_visit', 'info', '出租房屋走访'],
    ['floating_verify', 'info', '流动人口核查'],
    ['key_unit_check', 'security', '重点单位检查'],
    ['patrol_checkin', 'patrol', '巡查打卡'],
    ['home_visit', 'service', '入户走访'],
  ];
  for (const [code, category, name] of types) {
    await d.db
      .insertInto('field_item_types')
      .values({ id: uuidv7(), code, category_code: category, name, form_schema: JSON.stringify({ fields: [] }), builtin: true })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}

async function rentalAt(grid: string, use: 'rent' | 'self' = 'rent', level: 'room' | 'door' = 'room') {
  const a = await insertAddress(deps, { grid, level });
  await deps.db
    .insertInto('housing')
    .values({ id: uuidv7(), address_id: a.id, property_type: 'commercial', use, group_rental: false, owner_name: '房东' })
    .execute();
  return a.id;
}

let personSeq = 0;
async function floatingAt(addressId: string, expectedStayUntil: string | undefined, personType: 'floating' | 'registered' = 'floating') {
  const n = ++personSeq;
  const r = await createPerson(deps, sys(), {
    idNumber: makeIdNumber(30_000 + n),
    name: `测试流动${n}`,
    personType,
    ...(personType === 'floating' ? { floatingRegisteredOn: '2024-01-01', expectedStayUntil } : {}),
    residence: { addressId, relation: 'tenant', fromDate: '2024-01-01' },
  });
  return r.person.id;
}

/** Simulates the collection part: inserts an item and completes tasks in the same transaction. */
async function collect(o: { workerId: string; typeCode: string; addressId?: string | null; taskId?: string; occurredAt?: Date; orgUnitId?: string }) {
  const id = uuidv7();
  return deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('field_items')
      .values({
        id,
        client_id: uuidv7(),
        worker_id: o.workerId,
        type_code: o.typeCode,
        type_version: 1,
        category_code: 'info',
        org_unit_id: o.orgUnitId ?? G1,
        county_code: '371602',
        address_id: o.addressId ?? null,
        task_id: o.taskId ?? null,
        data: '{}',
        occurred_at: o.occurredAt ?? new Date(),
      })
      .execute();
    const item = await trx.selectFrom('field_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { id, done: await completeTasksFor(trx, item) };
  });
}

const smsTo = async (phone: string) =>
  Number((await deps.db.selectFrom('sms_outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('phone', '=', phone).executeTakeFirstOrThrow()).n);

const tasksOf = (templateId: string, period = month) =>
  deps.db.selectFrom('tasks').selectAll().where('template_id', '=', templateId).where('period', '=', period).orderBy('target_id').execute();

async function newTemplate(token: string, body: Record<string, unknown>) {
  const res = await t.call(token, 'POST', '/api/v1/task-templates', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; currentPeriod: string; counts: Record<string, number> };
}

beforeAll(async () => {
  t = await createTestApp();
  deps = t.deps;
  await ensureItemTypes(deps);
  foreign = await addForeignBranch(deps);
  [officer, chief, gridworker, assistant, leader, admin] = await Promise.all(['officer', 'chief', 'gridworker', 'assistant', 'leader', 'admin'].map((u) => t.login(u)));
  G1 = await orgUnitId(deps, '371602005001001');
  G2 = await orgUnitId(deps, '371602005001002');
  COMMUNITY = await orgUnitId(deps, '371602005001');
  gridworkerId = (await deps.db.selectFrom('users').select('id').where('username', '=', 'gridworker').executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

describe('rental tasks: generation, idempotence, assignment, SMS', () => {
  let tpl: { id: string };
  const rentals: string[] = [];
  let selfUse: string;

  it('creates one task per rented dwelling of every grid under the community', async () => {
    for (let i = 0; i < 3; i++) rentals.push(await rentalAt(G1));
    rentals.push(await rentalAt(G2));
    selfUse = await rentalAt(G1, 'self');
    await insertAddress(deps, { grid: G1 }); // no housing
    const inactive = await rentalAt(G1);
    await deps.db.updateTable('addresses').set({ status: 'inactive' }).where('id', '=', inactive).execute();

    tpl = await newTemplate(officer, { orgUnitId: COMMUNITY, name: '出租屋月度走访', itemTypeCode: 'rental_visit', targetKind: 'rental', recurrence: 'monthly' });
    const before = await smsTo(GRIDWORKER_PHONE);
    const res = await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ period: month, created: 4, existing: 0, unassigned: 1, workers: 1, cancelled: 0 });

    const tasks = await tasksOf(tpl.id);
    expect(tasks.map((x) => x.address_id).sort()).toEqual([...rentals].sort());
    expect(tasks.every((x) => x.due_date === dueDateOf(month) && x.status === 'open' && x.target_kind === 'rental')).toBe(true);
    expect(tasks.filter((x) => x.grid_id === G1).every((x) => x.worker_id === gridworkerId)).toBe(true);
    expect(tasks.find((x) => x.grid_id === G2)!.worker_id).toBeNull(); // 未分配
    // one message for the three new tasks, not one per task
    expect(await smsTo(GRIDWORKER_PHONE)).toBe(before + 1);
    const body = (await deps.db.selectFrom('sms_outbox').select('body').where('phone', '=', GRIDWORKER_PHONE).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).body;
    expect(body).toContain('3 项');
    // the manual run is audited
    const audit = await deps.db.selectFrom('audit_log').select(['detail', 'subject_ids']).where('action', '=', 'task.generate').execute();
    expect(audit.some((a) => a.subject_ids.includes(tpl.id))).toBe(true);
  });

  it('running again creates nothing, sends nothing and reports the existing tasks', async () => {
    const before = await smsTo(GRIDWORKER_PHONE);
    const res = await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, { period: month });
    expect(res.json()).toMatchObject({ created: 0, existing: 4, unassigned: 1, workers: 0 });
    expect(await tasksOf(tpl.id)).toHaveLength(4);
    expect(await smsTo(GRIDWORKER_PHONE)).toBe(before);
  });

  it('spreads a grid’s targets over its workers by target, assigns waiting tasks when workers arrive, skips others', async () => {
    const phones = ['13905431101', '13905431102'];
    const w1 = await createUser(deps, sys(), { username: 'gw.a', displayName: '网格员甲', password: 'Worker12345', orgUnitId: G2, roles: ['gridworker'], phone: phones[0], mustChangePassword: false });
    const w2 = await createUser(deps, sys(), { username: 'gw.b', displayName: '网格员乙', password: 'Worker12345', orgUnitId: G2, roles: ['assistant'], phone: phones[1], mustChangePassword: false });
    const off = await createUser(deps, sys(), { username: 'gw.off', displayName: '停用网格员', password: 'Worker12345', orgUnitId: G2, roles: ['gridworker'], mustChangePassword: false });
    await deps.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', off.id).execute();
    await createUser(deps, sys(), { username: 'gw.officer', displayName: '非采集人员', password: 'Worker12345', orgUnitId: G2, roles: ['officer'], mustChangePassword: false });
    for (let i = 0; i < 3; i++) rentals.push(await rentalAt(G2));

    const res = await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {});
    expect(res.json()).toMatchObject({ created: 3, existing: 4, unassigned: 0, workers: 2 });
    const g2 = (await tasksOf(tpl.id)).filter((x) => x.grid_id === G2);
    expect(g2).toHaveLength(4);
    const [first, second] = [w1.id, w2.id].sort();
    // round robin in target order among the workers in id order
    expect(g2.map((x) => x.worker_id)).toEqual([first, second, first, second]);
    expect(await smsTo(phones[0])).toBe(1);
    expect(await smsTo(phones[1])).toBe(1);
  });

  it('a run interrupted half-way is completed by running it again, with the same assignments', async () => {
    const full = await tasksOf(tpl.id);
    const removed = full.filter((_, i) => i % 2 === 1);
    await deps.db.deleteFrom('tasks').where('id', 'in', removed.map((x) => x.id)).execute();
    const res = await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {});
    expect(res.json()).toMatchObject({ created: removed.length, existing: full.length - removed.length });
    const again = await tasksOf(tpl.id);
    expect(again.map((x) => [x.target_id, x.worker_id, x.grid_id])).toEqual(full.map((x) => [x.target_id, x.worker_id, x.grid_id]));
  });

  it('two runs at once create each task once', async () => {
    rentals.push(await rentalAt(G1), await rentalAt(G1));
    const [a, b] = await Promise.all([
      t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {}),
      t.call(chief, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {}),
    ]);
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(a.json().created + b.json().created).toBe(2);
    expect(await tasksOf(tpl.id)).toHaveLength(rentals.length);
  });

  it('cancels the open task of a dwelling that is no longer rented', async () => {
    const gone = rentals[0];
    await deps.db.updateTable('housing').set({ use: 'self' }).where('address_id', '=', gone).execute();
    const res = await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {});
    expect(res.json()).toMatchObject({ created: 0, cancelled: 1 });
    const task = (await tasksOf(tpl.id)).find((x) => x.address_id === gone)!;
    expect(task.status).toBe('cancelled');
    expect((await tasksOf(tpl.id)).some((x) => x.address_id === selfUse)).toBe(false);
    // cancelled tasks leave the lists and the counts
    const list = await listTemplates(deps, sys());
    expect(list.find((x) => x.id === tpl.id)!.counts).toEqual({ total: rentals.length - 1, done: 0, open: rentals.length - 1, overdue: 0, unassigned: 0 });
  });
});

describe('other target kinds', () => {
  it('floating_overdue: floating persons living in the grid whose stay has ended', async () => {
    const home = await insertAddress(deps, { grid: G1 });
    const overdue = await floatingAt(home.id, addDays(today, -1));
    await floatingAt(home.id, addDays(today, 30)); // not yet
    await floatingAt(home.id, undefined, 'registered');
    const moved = await floatingAt(home.id, addDays(today, -5));
    await deps.db.updateTable('residences').set({ to_date: addDays(today, -2) }).where('person_id', '=', moved).execute();

    const tpl = await newTemplate(officer, { orgUnitId: G1, name: '流动人口到期核查', itemTypeCode: 'floating_verify', targetKind: 'floating_overdue', recurrence: 'monthly' });
    const res = await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {});
    expect(res.json()).toMatchObject({ created: 1 });
    const [task] = await tasksOf(tpl.id);
    expect(task).toMatchObject({ target_id: overdue, address_id: home.id, worker_id: gridworkerId });
    expect(task.title).toMatch(/^流动人口到期核查：测\*+$/); // the name masked
  });

  it('key_unit: active units of a key industry', async () => {
    const a = await insertAddress(deps, { grid: G1, level: 'door' });
    const key = await createUnit(deps, sys(), { creditCode: makeCreditCode(41_001), name: '测试旅馆', keyIndustry: 'hotel', addressId: a.id });
    await createUnit(deps, sys(), { creditCode: makeCreditCode(41_002), name: '普通商店', addressId: a.id });
    const closed = await createUnit(deps, sys(), { creditCode: makeCreditCode(41_003), name: '已注销网吧', keyIndustry: 'entertainment', addressId: a.id });
    await deps.db.updateTable('units').set({ status: 'closed' }).where('id', '=', closed.id).execute();
    const tpl = await newTemplate(chief, { orgUnitId: await orgUnitId(deps, '371602005'), name: '重点单位季度检查', itemTypeCode: 'key_unit_check', targetKind: 'key_unit', recurrence: 'quarterly' });
    expect(tpl.currentPeriod).toBe(currentPeriod('quarterly'));
    const res = await t.call(chief, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {});
    expect(res.json()).toMatchObject({ period: currentPeriod('quarterly'), created: 1 });
    const [task] = await tasksOf(tpl.id, currentPeriod('quarterly'));
    expect(task).toMatchObject({ target_id: key.id, address_id: a.id, title: '重点单位季度检查：测试旅馆', due_date: dueDateOf(currentPeriod('quarterly')) });
  });

  it('patrol_point: the template’s points, weekly; points must lie under the template’s unit', async () => {
    const p1 = await insertAddress(deps, { grid: G1, level: 'door' });
    const p2 = await insertAddress(deps, { grid: G1, level: 'door' });
    const elsewhere = await insertAddress(deps, { grid: G2, level: 'door' });
    const none = await t.call(officer, 'POST', '/api/v1/task-templates', { orgUnitId: G1, name: '巡查', itemTypeCode: 'patrol_checkin', targetKind: 'patrol_point', recurrence: 'weekly' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors.map((e: { field: string }) => e.field)).toEqual(['pointIds']);
    const outside = await t.call(officer, 'POST', '/api/v1/task-templates', { orgUnitId: G1, name: '巡查', itemTypeCode: 'patrol_checkin', targetKind: 'patrol_point', recurrence: 'weekly', pointIds: [p1.id, elsewhere.id] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().errors.map((e: { field: string }) => e.field)).toEqual(['pointIds.1']);
    const notPatrol = await t.call(officer, 'POST', '/api/v1/task-templates', { orgUnitId: G1, name: '走访', itemTypeCode: 'home_visit', targetKind: 'address', recurrence: 'weekly', pointIds: [p1.id] });
    expect(notPatrol.json().errors.map((e: { field: string }) => e.field)).toEqual(['pointIds']);

    const tpl = await newTemplate(officer, { orgUnitId: G1, name: '夜间巡查', itemTypeCode: 'patrol_checkin', targetKind: 'patrol_point', recurrence: 'weekly', pointIds: [p1.id, p2.id] });
    const week = currentPeriod('weekly');
    expect((await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {})).json()).toMatchObject({ period: week, created: 2 });
    const tasks = await tasksOf(tpl.id, week);
    expect(tasks.map((x) => x.address_id).sort()).toEqual([p1.id, p2.id].sort());
    expect(new Date(`${tasks[0].due_date}T00:00:00Z`).getUTCDay()).toBe(0); // Sunday
    // the next week may be prepared; a month is not a week, and nothing further ahead
    expect((await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, { period: shiftPeriod(week, 1) })).json()).toMatchObject({ created: 2 });
    const wrong = await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, { period: month });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('period');
    expect((await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, { period: shiftPeriod(week, -1) })).statusCode).toBe(400);
    expect((await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, { period: shiftPeriod(week, 2) })).statusCode).toBe(400);

    // fewer points: the removed point's open task of this week is cancelled on the next run
    const put = await t.call(officer, 'PUT', `/api/v1/task-templates/${tpl.id}`, { orgUnitId: G1, name: '夜间巡查', itemTypeCode: 'patrol_checkin', targetKind: 'patrol_point', recurrence: 'weekly', pointIds: [p1.id] });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().points).toEqual([{ id: p1.id, fullText: p1.fullText }]);
    expect((await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {})).json()).toMatchObject({ cancelled: 1 });
  });

  it('address: every door or building address, with any item type', async () => {
    const grid = await orgUnitId(deps, '371602005002001');
    const door = await insertAddress(deps, { grid, level: 'door' });
    const building = await insertAddress(deps, { grid, level: 'building' });
    await insertAddress(deps, { grid, level: 'room' });
    const tpl = await newTemplate(chief, { orgUnitId: grid, name: '入户走访', itemTypeCode: 'address_verify', targetKind: 'address', recurrence: 'monthly' });
    expect((await t.call(chief, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {})).json()).toMatchObject({ created: 2, unassigned: 2, workers: 0 });
    expect((await tasksOf(tpl.id)).map((x) => x.address_id).sort()).toEqual([door.id, building.id].sort());
  });
});

describe('templates: validation, scope, roles', () => {
  const body = () => ({ orgUnitId: COMMUNITY, name: '出租屋走访', itemTypeCode: 'rental_visit', targetKind: 'rental', recurrence: 'monthly' });

  it('checks the unit, the item type and the name', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ itemTypeCode: 'no_such_type' }, 'itemTypeCode'],
      [{ orgUnitId: foreign.stationId }, 'orgUnitId'],
      [{ orgUnitId: await orgUnitId(deps, '371602') }, 'orgUnitId'], // a branch (and outside the officer's scope)
      [{ name: ' 一 ' }, 'name'],
      [{ targetKind: 'everything' }, 'targetKind'],
      [{ recurrence: 'daily' }, 'recurrence'],
    ];
    for (const [patch, field] of cases) {
      const res = await t.call(chief, 'POST', '/api/v1/task-templates', { ...body(), ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field), JSON.stringify(patch)).toContain(field);
    }
    await deps.db.updateTable('field_item_types').set({ status: 'inactive' }).where('code', '=', 'home_visit').execute();
    const inactive = await t.call(chief, 'POST', '/api/v1/task-templates', { ...body(), itemTypeCode: 'home_visit' });
    expect(inactive.json().errors[0]).toMatchObject({ field: 'itemTypeCode', message: '该事项类型已停用' });
    await deps.db.updateTable('field_item_types').set({ status: 'active' }).where('code', '=', 'home_visit').execute();
  });

  it('only task.manage changes templates; field.read lists them', async () => {
    for (const token of [gridworker, assistant, leader, admin]) expect((await t.call(token, 'POST', '/api/v1/task-templates', body())).statusCode).toBe(403);
    expect((await t.call(admin, 'GET', '/api/v1/task-templates')).statusCode).toBe(403);
    expect((await t.call(gridworker, 'GET', '/api/v1/tasks')).statusCode).toBe(403);
    const list = await t.call(leader, 'GET', '/api/v1/task-templates');
    expect(list.statusCode).toBe(200);
    expect(list.json().length).toBeGreaterThan(3);
    expect(list.json().every((x: { editable: boolean }) => x.editable)).toBe(true);
  });

  it('a template of another jurisdiction is not found; a station template shows read-only to the community', async () => {
    const ftpl = uuidv7();
    await deps.db
      .insertInto('task_templates')
      .values({ id: ftpl, org_unit_id: foreign.stationId, name: '沾化模板', item_type_code: 'rental_visit', target_kind: 'rental', recurrence: 'monthly' })
      .execute();
    expect((await t.call(officer, 'PUT', `/api/v1/task-templates/${ftpl}`, body())).statusCode).toBe(404);
    expect((await t.call(chief, 'POST', `/api/v1/task-templates/${ftpl}/generate`, {})).statusCode).toBe(404);
    expect((await t.call(chief, 'GET', '/api/v1/task-templates')).body).not.toContain('沾化模板');
    expect((await t.call(chief, 'GET', `/api/v1/task-templates?unitId=${foreign.stationId}`)).statusCode).toBe(404);

    const station = (await t.call(officer, 'GET', '/api/v1/task-templates')).json().find((x: { name: string }) => x.name === '重点单位季度检查');
    expect(station).toMatchObject({ editable: false });
    expect((await t.call(officer, 'PUT', `/api/v1/task-templates/${station.id}`, body())).statusCode).toBe(404);
  });

  it('a paused template is not generated, by hand or by the runner', async () => {
    const tpl = await newTemplate(officer, { ...body(), name: '暂停的模板' });
    const paused = await t.call(officer, 'PUT', `/api/v1/task-templates/${tpl.id}`, { ...body(), name: '暂停的模板', status: 'paused' });
    expect(paused.json().status).toBe('paused');
    expect((await t.call(officer, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {})).statusCode).toBe(409);
    await t.app.fieldTasks.tick();
    expect(await tasksOf(tpl.id)).toHaveLength(0);
  });
});

describe('completion', () => {
  let tpl: string;
  let addr: string;
  let prevNow: Date;
  const prevMonth = shiftPeriod(month, -1);

  beforeAll(async () => {
    addr = await rentalAt(G1);
    tpl = (await newTemplate(officer, { orgUnitId: G1, name: '出租屋核查', itemTypeCode: 'rental_visit', targetKind: 'rental', recurrence: 'monthly' })).id;
    // last month's tasks, generated back then (the clock is injectable)
    prevNow = new Date(`${addDays(`${month}-01`, -10)}T04:00:00Z`);
    await generateNow(deps, sys(), tpl, undefined, prevNow);
    await t.call(officer, 'POST', `/api/v1/task-templates/${tpl}/generate`, {});
  });

  it('an item of the type at the address completes the task of the period it was collected in', async () => {
    expect((await openTasksAt(deps.db, addr)).map((x) => x.itemTypeCode)).toEqual(['rental_visit', 'rental_visit']);
    const wrongType = await collect({ workerId: gridworkerId, typeCode: 'home_visit', addressId: addr });
    expect(wrongType.done).toEqual([]);
    // collected last month (synced late): last month's task, on time
    const late = new Date(`${addDays(dueDateOf(prevMonth), -1)}T02:00:00Z`);
    const old = await collect({ workerId: gridworkerId, typeCode: 'rental_visit', addressId: addr, occurredAt: late });
    const [prevTask] = (await tasksOf(tpl, prevMonth)).filter((x) => x.address_id === addr);
    expect(old.done).toEqual([prevTask.id]);
    expect((await tasksOf(tpl, month)).find((x) => x.address_id === addr)!.status).toBe('open');
    const now = await collect({ workerId: gridworkerId, typeCode: 'rental_visit', addressId: addr });
    const cur = (await tasksOf(tpl, month)).find((x) => x.address_id === addr)!;
    expect(now.done).toEqual([cur.id]);
    expect(cur).toMatchObject({ status: 'done', done_item_id: now.id });
    expect(await openTasksAt(deps.db, addr)).toEqual([]);
    // done is done: a second visit completes nothing
    expect((await collect({ workerId: gridworkerId, typeCode: 'rental_visit', addressId: addr })).done).toEqual([]);
  });

  it('an item naming its task completes it, late when after the due date; a foreign or wrong task falls back to the address', async () => {
    const [other] = (await tasksOf(tpl, prevMonth)).filter((x) => x.address_id !== addr && x.status === 'open');
    // the wrong type names the task: nothing
    expect((await collect({ workerId: gridworkerId, typeCode: 'home_visit', taskId: other.id })).done).toEqual([]);
    // a worker of another grid cannot complete it by naming it
    const g2worker = (await deps.db.selectFrom('users').select('id').where('username', '=', 'gw.a').executeTakeFirstOrThrow()).id;
    expect((await collect({ workerId: g2worker, typeCode: 'rental_visit', taskId: other.id, orgUnitId: G2 })).done).toEqual([]);
    // the grid's worker, after the due date, without an address
    const res = await collect({ workerId: gridworkerId, typeCode: 'rental_visit', taskId: other.id });
    expect(res.done).toEqual([other.id]);
    const list = await t.call(officer, 'GET', `/api/v1/tasks?period=${prevMonth}&unitId=${G1}&status=done&pageSize=100`);
    const shown = list.json().items.find((x: { id: string }) => x.id === other.id);
    expect(shown).toMatchObject({ status: 'done', onTime: false, overdue: false, doneItemId: res.id });
  });

  it('progress counts done, on time, open and overdue per grid, community and worker', async () => {
    const rows = await progress(deps, sys(), { period: prevMonth, unitId: G1, level: 'grid' });
    const prevTasks = (await tasksOf(tpl, prevMonth)).filter((x) => x.status !== 'cancelled');
    // a month's progress also counts the weekly and quarterly tasks whose period shares a day with it
    const alongside = await deps.db
      .selectFrom('tasks')
      .select(['status', 'due_date'])
      .where('grid_id', '=', G1)
      .where('template_id', '<>', tpl)
      .where('status', '<>', 'cancelled')
      .where('period', 'in', overlappingPeriods(prevMonth))
      .execute();
    const openAlongside = alongside.filter((x) => x.status === 'open');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: G1,
      total: prevTasks.length + alongside.length,
      done: 2 + alongside.length - openAlongside.length,
      doneOnTime: 1 + alongside.length - openAlongside.length,
      open: prevTasks.length - 2 + openAlongside.length,
      overdue: prevTasks.length - 2 + openAlongside.filter((x) => x.due_date < today).length,
    });
    expect(rows[0].rate).toBeCloseTo(rows[0].done / rows[0].total, 3);
    const only = (await t.call(officer, 'GET', `/api/v1/tasks?period=${prevMonth}&unitId=${G1}&pageSize=200`)).json();
    expect(only.total).toBe(rows[0].total);

    const res = await t.call(officer, 'GET', `/api/v1/tasks/progress?period=${month}&level=community`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(1);
    expect(res.json()[0]).toMatchObject({ id: COMMUNITY, name: expect.stringContaining('学苑') });
    const byWorker = (await t.call(officer, 'GET', `/api/v1/tasks/progress?period=${month}&level=worker`)).json();
    expect(byWorker.map((r: { name: string }) => r.name)).toEqual(expect.arrayContaining(['王秀英', '网格员甲', '网格员乙']));
    const sum = (k: string) => byWorker.reduce((s: number, r: Record<string, number>) => s + r[k], 0);
    const byGrid = (await t.call(officer, 'GET', `/api/v1/tasks/progress?period=${month}&level=grid`)).json();
    expect(sum('total')).toBe(byGrid.reduce((s: number, r: { total: number }) => s + r.total, 0));
    // a unit outside the jurisdiction: 404; a bad period: 400 naming it
    expect((await t.call(officer, 'GET', `/api/v1/tasks/progress?unitId=${foreign.stationId}`)).statusCode).toBe(404);
    expect((await t.call(officer, 'GET', '/api/v1/tasks/progress?period=2026-13')).json().errors[0].field).toBe('period');
  });

  it('lists overdue tasks, and the worker’s own list (with the grid’s unassigned tasks)', async () => {
    const overdue = (await t.call(officer, 'GET', '/api/v1/tasks?status=overdue&pageSize=200')).json();
    expect(overdue.total).toBeGreaterThan(0);
    expect(overdue.items.every((x: { overdue: boolean; dueDate: string }) => x.overdue && x.dueDate < today)).toBe(true);
    const paged = (await t.call(officer, 'GET', '/api/v1/tasks?pageSize=2&page=2')).json();
    expect(paged).toMatchObject({ page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(2);

    const mine = (await t.call(gridworker, 'GET', '/api/v1/field/me/tasks?status=open&pageSize=200')).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((x: { workerId: string | null; gridId: string; status: string }) => x.status === 'open' && (x.workerId === gridworkerId || (x.workerId === null && x.gridId === G1)))).toBe(true);
    const dues = mine.items.map((x: { dueDate: string }) => x.dueDate);
    expect(dues).toEqual([...dues].sort());
    const done = (await t.call(gridworker, 'GET', '/api/v1/field/me/tasks?status=done')).json();
    expect(done.items.every((x: { status: string }) => x.status === 'done')).toBe(true);
    expect(done.total).toBeGreaterThanOrEqual(3);
    expect((await t.call(officer, 'GET', '/api/v1/field/me/tasks')).statusCode).toBe(403);
    expect((await t.call(officer, 'GET', `/api/v1/tasks?unitId=${foreign.branchId}`)).statusCode).toBe(404);
  });
});

describe('the runner', () => {
  it('generates the current period of every active template and sends one SMS per worker per run', async () => {
    const grid = await orgUnitId(deps, '371602005003001');
    const phone = '13905431199';
    const w = await createUser(deps, sys(), { username: 'gw.runner', displayName: '网格员丙', password: 'Worker12345', orgUnitId: grid, roles: ['gridworker'], phone, mustChangePassword: false });
    const rent = await rentalAt(grid);
    const door = await insertAddress(deps, { grid, level: 'door' });
    await newTemplate(chief, { orgUnitId: grid, name: '出租屋走访', itemTypeCode: 'rental_visit', targetKind: 'rental', recurrence: 'monthly' });
    await newTemplate(chief, { orgUnitId: grid, name: '门牌走访', itemTypeCode: 'home_visit', targetKind: 'address', recurrence: 'weekly' });
    const created = await t.app.fieldTasks.tick();
    expect(created).toBeGreaterThanOrEqual(2);
    const mine = await deps.db.selectFrom('tasks').select(['address_id', 'period']).where('worker_id', '=', w.id).execute();
    expect(mine.map((x) => x.address_id).sort()).toEqual([rent, door.id].sort());
    expect(await smsTo(phone)).toBe(1);
    expect(await t.app.fieldTasks.tick()).toBe(0);
    expect(await smsTo(phone)).toBe(1);
    // next week: the weekly template's new period, one more message
    const nextWeek = new Date(Date.now() + 7 * 86_400_000);
    await t.app.fieldTasks.tick(nextWeek);
    expect(await deps.db.selectFrom('tasks').select('id').where('worker_id', '=', w.id).where('period', '=', currentPeriod('weekly', nextWeek)).execute()).toHaveLength(1);
    expect(await smsTo(phone)).toBe(2);
  });

  it('generation is set-based: one statement per template whatever the number of targets', async () => {
    const grid = await orgUnitId(deps, '371602005003002');
    const rows = Array.from({ length: 400 }, () => ({ id: uuidv7() }));
    await sql`INSERT INTO addresses (id, parent_id, level, name, code, full_text, search_text, grid_id, county_code, path, status)
      SELECT x.id::uuid, NULL, 'door', '门', 'BULK' || x.n, '批量地址' || x.n, '批量地址' || x.n, ${grid}, '371602', '/' || x.id || '/', 'active'
      FROM unnest(${rows.map((r) => r.id)}::text[]) WITH ORDINALITY AS x(id, n)`.execute(deps.db);
    const tpl = await newTemplate(chief, { orgUnitId: grid, name: '批量走访', itemTypeCode: 'home_visit', targetKind: 'address', recurrence: 'monthly' });
    const res = await t.call(chief, 'POST', `/api/v1/task-templates/${tpl.id}/generate`, {});
    expect(res.json()).toMatchObject({ created: 400, unassigned: 400 });
  });
});
