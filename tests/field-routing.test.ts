import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { addForeignBranch } from './support/foreign.js';
import { orgUnitId } from './support/registry-fixtures.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createDepartment, updateDepartment } from '../src/server/modules/org/service.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';
import { departmentIdOf, dispatchOf, ensureRoutingTestTypes, insertTestItem, userIdOf } from './authz/routing.js';

let t: TestApp;
let admin: string;
let officer: string;
let worker: string;
let grid: string;
let community: string;
const dept: Record<string, string> = {};
let foreign: Awaited<ReturnType<typeof addForeignBranch>>;
const sys = systemContext(Object.keys(PERMISSIONS));
const about = (id: string) => sql<boolean>`subject_ids @> ARRAY[${id}]::text[]`;

const rule = (o: Record<string, unknown>) => ({ name: '测试规则', itemTypeCode: 'rt_fire', conditions: [], targetKind: 'department', acceptHours: 12, ...o });
const post = async (body: unknown) => t.call(admin, 'POST', '/api/v1/routing-rules', body);
const fields = (res: { json(): unknown }) => ((res.json() as { errors?: Array<{ field: string }> }).errors ?? []).map((e) => e.field);
const dispatchesOf = (itemId: string) => t.deps.db.selectFrom('dispatches').selectAll().where('item_id', '=', itemId).orderBy('created_at').orderBy('id').execute();
const itemStatus = async (id: string) => (await t.deps.db.selectFrom('field_items').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

beforeAll(async () => {
  t = await createTestApp();
  await ensureRoutingTestTypes(t.deps);
  admin = await t.login('admin');
  officer = await t.login('officer');
  worker = await userIdOf(t.deps, 'gridworker');
  grid = await orgUnitId(t.deps, '371602005001001');
  community = await orgUnitId(t.deps, '371602005001');
  for (const [k, name] of Object.entries({ minzheng: '区民政局', xiaofang: '区消防救援大队', yingji: '区应急管理局', sifa: '彭李街道司法所', chengguan: '区综合行政执法局' })) {
    dept[k] = await departmentIdOf(t.deps, name);
  }
  foreign = await addForeignBranch(t.deps);
}, 60_000);
afterAll(() => t.close());

describe('routing rules: validation and access', () => {
  it('creates a rule and lists it with department names', async () => {
    const res = await post(rule({ name: '重大火灾隐患转消防', conditions: [{ field: 'severity', op: 'in', value: ['较大', '重大'] }], departmentId: dept.xiaofang, escalateToDepartmentId: dept.yingji, priority: 10 }));
    expect(res.statusCode).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({ itemTypeCode: 'rt_fire', itemTypeName: '测试消防隐患', targetKind: 'department', departmentName: '区消防救援大队', escalateToDepartmentName: '区应急管理局', acceptHours: 12, priority: 10, status: 'active' });
    expect(r.conditionsText).toBe('严重程度属于其中之一较大、重大');
    const list = (await t.call(officer, 'GET', '/api/v1/routing-rules?itemType=rt_fire')).json();
    expect(list.map((x: { id: string }) => x.id)).toContain(r.id);
    await t.call(admin, 'PUT', `/api/v1/routing-rules/${r.id}`, { ...rule({ name: '重大火灾隐患转消防', departmentId: dept.xiaofang }), status: 'inactive' });
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where(about(r.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['routing_rule.create', 'routing_rule.update']);
  });

  it('rejects bad rules with the offending field', async () => {
    expect(fields(await post(rule({ itemTypeCode: 'no_such_type', departmentId: dept.xiaofang })))).toEqual(['itemTypeCode']);
    expect(
      fields(
        await post(
          rule({
            departmentId: dept.xiaofang,
            conditions: [
              { field: 'severity', op: 'eq', value: '重大' },
              { field: 'severity', op: 'gte', value: '重大' },
              { field: 'nosuch', op: 'truthy' },
              { field: 'peopleAtRisk', op: 'in', value: 3 },
              { field: 'tags', op: 'contains', value: '不存在的选项' },
            ],
          }),
        ),
      ),
    ).toEqual(['conditions.1.op', 'conditions.2.field', 'conditions.3.value', 'conditions.4.value']);
    expect(fields(await post(rule({})))).toEqual(['departmentId']);
    expect(fields(await post(rule({ departmentId: foreign.deptId })))).toEqual(['departmentId']); // 沾化区民政局: outside the admin's branch
    expect(fields(await post(rule({ departmentId: dept.xiaofang, escalateToDepartmentId: dept.xiaofang })))).toEqual(['escalateToDepartmentId']);
    expect(fields(await post(rule({ targetKind: 'officer', departmentId: dept.xiaofang })))).toEqual(['departmentId']);
    expect(fields(await post(rule({ name: ' 甲 ', departmentId: dept.xiaofang })))).toEqual(['name']);
    const bad = await post(rule({ departmentId: dept.xiaofang, acceptHours: 0 }));
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toContain('acceptHours');
    const unknownProp = await post({ ...rule({ departmentId: dept.xiaofang }), extra: 1 });
    expect(unknownProp.statusCode).toBe(400);
    // a disabled department takes no new rules
    const closed = await createDepartment(t.deps, sys, { orgUnitId: await orgUnitId(t.deps, '371602'), kind: 'partner', category: 'other', name: '已撤并的部门' });
    await updateDepartment(t.deps, sys, closed.id, { status: 'inactive' });
    const res = await post(rule({ departmentId: closed.id }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ field: 'departmentId' });
    expect(res.json().errors[0].message).toContain('已停用');
  });

  it('only field.configure writes rules; any staff reads them', async () => {
    expect((await t.call(officer, 'POST', '/api/v1/routing-rules', rule({ departmentId: dept.xiaofang }))).statusCode).toBe(403);
    expect((await t.call(officer, 'POST', '/api/v1/routing-rules/test', { itemTypeCode: 'rt_fire', data: {} })).statusCode).toBe(403);
    const gw = await t.login('gridworker');
    expect((await t.call(gw, 'GET', '/api/v1/routing-rules')).statusCode).toBe(200);
    expect((await t.call(undefined, 'GET', '/api/v1/routing-rules')).statusCode).toBe(401);
  });

  it('deletes an unused rule, refuses one with dispatches (disable it instead)', async () => {
    const unused = (await post(rule({ name: '待删除', targetKind: 'officer', status: undefined }))).json();
    expect((await t.call(admin, 'DELETE', `/api/v1/routing-rules/${unused.id}`)).statusCode).toBe(204);
    expect((await t.call(admin, 'DELETE', `/api/v1/routing-rules/${unused.id}`)).statusCode).toBe(404);
    const used = (await post(rule({ name: '已使用', itemTypeCode: 'rt_dispute', targetKind: 'officer' }))).json();
    await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_dispute', orgUnitId: grid });
    const res = await t.call(admin, 'DELETE', `/api/v1/routing-rules/${used.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('停用');
    const off = await t.call(admin, 'PUT', `/api/v1/routing-rules/${used.id}`, { ...rule({ name: '已使用', itemTypeCode: 'rt_dispute', targetKind: 'officer' }), status: 'inactive' });
    expect(off.json()).toMatchObject({ status: 'inactive', dispatchCount: 1 });
  });
});

describe('routing an item', () => {
  let big: string;
  let anyFire: string;
  let officerFire: string;

  beforeAll(async () => {
    // rt_fire: severe → 消防 (priority 10) and any fire → 消防 too (priority 20: the same owner, no second dispatch),
    // urgent → 应急 (30), people at risk ≥ 50 → the community officer (40); an inactive rule never fires
    big = (await post(rule({ name: '重大隐患→消防', conditions: [{ field: 'severity', op: 'eq', value: '重大' }], departmentId: dept.xiaofang, priority: 10, acceptHours: 2 }))).json().id;
    anyFire = (await post(rule({ name: '火灾隐患→消防', departmentId: dept.xiaofang, priority: 20, acceptHours: 24 }))).json().id;
    await post(rule({ name: '紧急→应急', conditions: [{ field: 'urgent', op: 'truthy' }], departmentId: dept.yingji, priority: 30 }));
    officerFire = (await post(rule({ name: '人员密集→民警', conditions: [{ field: 'peopleAtRisk', op: 'gte', value: 50 }], targetKind: 'officer', priority: 40, acceptHours: 6 }))).json().id;
    await post(rule({ name: '停用的规则', departmentId: dept.minzheng, status: 'inactive' }));
  });

  it('one dispatch per owner, lowest priority first, with the rule’s accept hours; the item becomes routed', async () => {
    const before = Date.now();
    const item = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_fire', orgUnitId: grid, data: { hazardKind: '其他', severity: '重大', urgent: true, peopleAtRisk: 80 } });
    expect(item.routed).toBe(3);
    const ds = await dispatchesOf(item.id);
    expect(ds.map((d) => [d.department_id, d.rule_id, d.target_kind])).toEqual([
      [dept.xiaofang, big, 'department'],
      [dept.yingji, expect.any(String), 'department'],
      [null, officerFire, 'officer'],
    ]);
    const fire = ds[0];
    const hours = (new Date(fire.accept_due_at).getTime() - before) / 3_600_000;
    expect(hours).toBeGreaterThan(1.99);
    expect(hours).toBeLessThan(2.1);
    expect(fire.org_unit_id).toBe(grid); // a department's dispatch stays with the item's grid
    expect(ds[2].org_unit_id).toBe(community); // the officer's goes to the community above it
    expect(await itemStatus(item.id)).toBe('routed');
    const events = await t.deps.db.selectFrom('dispatch_events').selectAll().where('dispatch_id', '=', fire.id).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'routed', actor_id: null });
    expect(events[0].note).toContain('重大隐患→消防');
  });

  it('a second rule for the same owner adds nothing; a retried routing adds nothing', async () => {
    const item = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_fire', orgUnitId: grid, data: { hazardKind: '其他', severity: '一般' } });
    expect(item.routed).toBe(1);
    const ds = await dispatchesOf(item.id);
    expect(ds.map((d) => d.rule_id)).toEqual([anyFire]);
    const { routeItem } = await import('../src/server/modules/field/routing/route-item.js');
    const row = await t.deps.db.selectFrom('field_items').selectAll().where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(await t.deps.db.transaction().execute((trx) => routeItem(trx, row))).toBe(0);
    expect(await dispatchesOf(item.id)).toHaveLength(1);
  });

  it('no rule matches: the item stays submitted', async () => {
    const item = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_elderly', orgUnitId: grid, data: { age: 90 } });
    expect(item.routed).toBe(0);
    expect(await dispatchesOf(item.id)).toEqual([]);
    expect(await itemStatus(item.id)).toBe('submitted');
  });

  it('the officer target is the community above the item; a community or a station keeps its own unit', async () => {
    await post(rule({ name: '线索→民警', itemTypeCode: 'rt_clue', targetKind: 'officer' }));
    const atCommunity = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_clue', orgUnitId: community });
    expect((await dispatchOf(t.deps, atCommunity.id, null)).org_unit_id).toBe(community);
    const station = await orgUnitId(t.deps, '371602005');
    const atStation = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_clue', orgUnitId: station });
    expect((await dispatchOf(t.deps, atStation.id, null)).org_unit_id).toBe(station);
    const otherGrid = await orgUnitId(t.deps, '371602001002002');
    const elsewhere = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_clue', orgUnitId: otherGrid });
    expect((await dispatchOf(t.deps, elsewhere.id, null)).org_unit_id).toBe(await orgUnitId(t.deps, '371602001002'));
  });

  it('a department serves only items inside its own unit, and a disabled department gets nothing', async () => {
    const item = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_fire', orgUnitId: foreign.stationId, countyCode: '371603', data: { hazardKind: '其他', severity: '重大' } });
    expect(item.routed).toBe(0); // 区消防救援大队 belongs to the 滨城 branch

    const temp = await createDepartment(t.deps, sys, { orgUnitId: await orgUnitId(t.deps, '371602'), kind: 'partner', category: 'other', name: '临时专班' });
    await post(rule({ name: '纠纷→临时专班', itemTypeCode: 'rt_dispute', departmentId: temp.id }));
    await updateDepartment(t.deps, sys, temp.id, { status: 'inactive' });
    const d = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_dispute', orgUnitId: grid, data: { kind: '邻里' } });
    expect((await dispatchesOf(d.id)).map((x) => x.department_id)).not.toContain(temp.id);
  });

  it('dry run: which rules would route the data, and bad data named by field', async () => {
    const res = await t.call(admin, 'POST', '/api/v1/routing-rules/test', { itemTypeCode: 'rt_fire', data: { severity: '重大', peopleAtRisk: 10 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().matches.map((m: { name: string; target: { name: string } }) => [m.name, m.target.name])).toEqual([['重大隐患→消防', '区消防救援大队']]);
    const all = (await t.call(admin, 'POST', '/api/v1/routing-rules/test', { itemTypeCode: 'rt_fire', data: { urgent: true, peopleAtRisk: 60 } })).json();
    expect(all.matches.map((m: { target: { kind: string; name: string } }) => m.target.name)).toEqual(['区消防救援大队', '区应急管理局', '社区民警']);
    const bad = await t.call(admin, 'POST', '/api/v1/routing-rules/test', { itemTypeCode: 'rt_fire', data: { peopleAtRisk: 'many', nosuch: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad).sort()).toEqual(['data.nosuch', 'data.peopleAtRisk']);
    expect(fields(await t.call(admin, 'POST', '/api/v1/routing-rules/test', { itemTypeCode: 'nope', data: {} }))).toEqual(['itemTypeCode']);
  });
});

describe('escalation', () => {
  const HOUR = 3_600_000;

  // the rounds below run at injected times far ahead: the dispatches made above are taken out of the way
  beforeAll(async () => {
    await t.deps.db.updateTable('dispatches').set({ status: 'closed', closed_at: new Date() }).where('status', '=', 'pending').execute();
  });

  it('level 1 past the accept time, level 2 after another accept period, never twice; SMS to both departments', async () => {
    await post(rule({ name: '老人→民政（督办应急）', itemTypeCode: 'rt_elderly', conditions: [{ field: 'age', op: 'gte', value: 100 }], departmentId: dept.minzheng, escalateToDepartmentId: dept.yingji, acceptHours: 4 }));
    const item = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_elderly', orgUnitId: grid, data: { age: 101 } });
    const d = await dispatchOf(t.deps, item.id, dept.minzheng);
    const due = new Date(d.accept_due_at).getTime();
    const created = new Date(d.created_at).getTime();
    const level = async () => (await dispatchOf(t.deps, item.id, dept.minzheng)).escalation_level;
    const smsSince = async (since: Date) => t.deps.db.selectFrom('sms_outbox').select(['phone', 'body']).where('created_at', '>=', since).execute();

    expect(await t.app.escalations.tick(new Date(due - 60_000))).toBe(0);
    expect(await level()).toBe(0);

    const mark = new Date();
    // two rounds at once (two processes): one escalation
    const [a, b] = await Promise.all([t.app.escalations.tick(new Date(due + 60_000)), t.app.escalations.tick(new Date(due + 60_000))]);
    expect(a + b).toBe(1);
    expect(await level()).toBe(1);
    const sms = await smsSince(mark);
    expect(sms.map((m) => m.phone).sort()).toEqual(['0543-3162202', '0543-3162205']);
    expect(sms.find((m) => m.phone === '0543-3162202')!.body).toContain('督办');
    expect(await t.app.escalations.tick(new Date(due + 2 * 60_000))).toBe(0);

    // another accept period (4 h) still pending → level 2, the last
    const period = due - created;
    expect(await t.app.escalations.tick(new Date(due + period - 60_000))).toBe(0);
    expect(await t.app.escalations.tick(new Date(due + period + 60_000))).toBe(1);
    expect(await level()).toBe(2);
    expect(await t.app.escalations.tick(new Date(due + 10 * period))).toBe(0);
    const events = await t.deps.db.selectFrom('dispatch_events').select(['action', 'note']).where('dispatch_id', '=', d.id).orderBy('at').execute();
    expect(events.map((e) => e.action)).toEqual(['routed', 'escalated', 'escalated']);
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'dispatch.escalate').where(about(d.id)).execute();
    expect(audit).toHaveLength(2);

    // the escalation department sees it in its oversight box
    const oversight = await t.deps.db.selectFrom('dispatches').select('escalated_at').where('id', '=', d.id).executeTakeFirstOrThrow();
    expect(oversight.escalated_at).not.toBeNull();
  });

  it('a dispatch long overdue jumps straight to level 2 once; accepted ones are left alone', async () => {
    const item = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_elderly', orgUnitId: grid, data: { age: 102 } });
    const d = await dispatchOf(t.deps, item.id, dept.minzheng);
    const far = new Date(new Date(d.accept_due_at).getTime() + 100 * HOUR);
    const other = await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_elderly', orgUnitId: grid, data: { age: 103 } });
    const od = await dispatchOf(t.deps, other.id, dept.minzheng);
    await t.deps.db.updateTable('dispatches').set({ status: 'accepted', accepted_at: new Date() }).where('id', '=', od.id).execute();
    const rounds = await Promise.all([t.app.escalations.tick(far), t.app.escalations.tick(far), t.app.escalations.tick(far)]);
    expect(rounds.reduce((x, y) => x + y, 0)).toBe(1);
    expect((await dispatchOf(t.deps, item.id, dept.minzheng)).escalation_level).toBe(2);
    expect((await dispatchOf(t.deps, other.id, dept.minzheng)).escalation_level).toBe(0);
    const ev = await t.deps.db.selectFrom('dispatch_events').select('action').where('dispatch_id', '=', d.id).where('action', '=', 'escalated').execute();
    expect(ev).toHaveLength(1);
  });
});

describe('statistics', () => {
  it('per department: received, accepted, closed, overdue, escalated and median hours, in the period and scope', async () => {
    // a department of its own so that the figures are exactly the ones made here
    const stats = await createDepartment(t.deps, sys, { orgUnitId: await orgUnitId(t.deps, '371602'), kind: 'partner', category: 'other', name: '统计专班', contactPhone: '0543-3169999' });
    await post(rule({ name: '纠纷→统计专班', itemTypeCode: 'rt_dispute', conditions: [{ field: 'kind', op: 'eq', value: '物业' }], departmentId: stats.id, acceptHours: 10 }));
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await insertTestItem(t.deps, { workerId: worker, typeCode: 'rt_dispute', orgUnitId: grid, data: { kind: '物业' } })).id);
    const ds = await Promise.all(ids.map((id) => dispatchOf(t.deps, id, stats.id)));
    const base = new Date(Date.now() - 30 * 3_600_000); // created 30 h ago, due 20 h ago
    const at = (h: number) => new Date(base.getTime() + h * 3_600_000);
    const set = (id: string, s: Record<string, unknown>) => t.deps.db.updateTable('dispatches').set({ created_at: base, accept_due_at: at(10), ...s }).where('id', '=', id).execute();
    await set(ds[0].id, { status: 'closed', accepted_at: at(1), closed_at: at(5), result: 'resolved', feedback: '已处理' });
    await set(ds[1].id, { status: 'closed', accepted_at: at(3), closed_at: at(9), result: 'resolved', feedback: '已处理' });
    await set(ds[2].id, { status: 'accepted', accepted_at: at(8) });
    await set(ds[3].id, { escalation_level: 1 }); // pending, overdue, escalated

    const chief = await t.login('chief');
    const period = `from=${addDays(todayCst(), -3)}&to=${todayCst()}`;
    const res = await t.call(chief, 'GET', `/api/v1/dispatches/stats?${period}`);
    expect(res.statusCode).toBe(200);
    const row = res.json().rows.find((r: { departmentId: string }) => r.departmentId === stats.id);
    expect(row).toEqual({
      departmentId: stats.id,
      targetKind: 'department',
      ownerName: '统计专班',
      received: 4,
      accepted: 3,
      closed: 2,
      rejected: 0,
      pending: 1,
      overdue: 1,
      escalated: 1,
      medianAcceptHours: 3,
      medianCloseHours: 7,
    });
    // a station whose grids sent none of them: no such row; a foreign unit: 404; a period before: nothing
    const other = await t.call(chief, 'GET', `/api/v1/dispatches/stats?${period}&unitId=${await orgUnitId(t.deps, '371602005002')}`);
    expect(other.json().rows.find((r: { departmentId: string }) => r.departmentId === stats.id)).toBeUndefined();
    expect((await t.call(chief, 'GET', `/api/v1/dispatches/stats?unitId=${foreign.stationId}`)).statusCode).toBe(404);
    const neighbour = await t.call(chief, 'GET', `/api/v1/dispatches/stats?unitId=${await orgUnitId(t.deps, '371602001')}`);
    expect(neighbour.statusCode).toBe(404);
    const old = (await t.call(chief, 'GET', '/api/v1/dispatches/stats?from=2020-01-01&to=2020-01-31')).json();
    expect(old.rows).toEqual([]);
    const bad = await t.call(chief, 'GET', '/api/v1/dispatches/stats?from=2026-02-01&to=2026-01-01');
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(['from']);
    // dept staff hold no field.read
    expect((await t.call(await t.login('dept'), 'GET', '/api/v1/dispatches/stats')).statusCode).toBe(403);
  });
});

describe('demo rules', () => {
  it('seed the district’s rules once, on the built-in catalogue’s fields', async () => {
    const { seedDemoRouting } = await import('../src/demo/field-routing.js');
    const builtin = await t.deps.db.selectFrom('field_item_types').select('code').where('code', 'in', ['fire_hazard', 'dispute', 'elderly_alone']).execute();
    expect(builtin).toHaveLength(3); // the built-in catalogue (ensureFieldCatalogue at every start)
    await seedDemoRouting(t.deps);
    await seedDemoRouting(t.deps);
    const rules = await t.deps.db.selectFrom('routing_rules').select(['name', 'item_type_code', 'conditions']).where('item_type_code', 'in', ['fire_hazard', 'dispute', 'elderly_alone', 'illegal_building', 'suspicious_person', 'incident_clue']).execute();
    expect(rules).toHaveLength(8);
    expect(rules.find((r) => r.name.startsWith('重大消防隐患'))!.conditions).toEqual([{ field: 'level', op: 'eq', value: '重大隐患' }]);
    const high = await insertTestItem(t.deps, { workerId: worker, typeCode: 'dispute', orgUnitId: grid, data: { kind: '邻里纠纷', parties: 2, description: '噪音', risk: '高', status: '正在调解' } });
    expect((await dispatchesOf(high.id)).map((d) => d.department_id ?? 'officer')).toEqual([dept.sifa, 'officer']);
    const settled = await insertTestItem(t.deps, { workerId: worker, typeCode: 'dispute', orgUnitId: grid, data: { kind: '邻里纠纷', parties: 2, description: '噪音', risk: '低', status: '已当场化解' } });
    expect(settled.routed).toBe(0);
  });
});
