import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from './support/app.js';
import { addForeignBranch } from './support/foreign.js';
import { insertAddress, orgUnitId } from './support/registry-fixtures.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUnit as createOrgUnit } from '../src/server/modules/org/service.js';
import { createUser } from '../src/server/modules/users/service.js';
import { createRule } from '../src/server/modules/field/routing/rules.js';
import { departmentHandlesItem, dispatchesOfItems } from '../src/server/modules/field/routing/route-item.js';
import { departmentIdOf, dispatchOf, ensureRoutingTestTypes, insertTestItem, userIdOf } from './authz/routing.js';

let t: TestApp;
const sys = systemContext(Object.keys(PERMISSIONS));
const tok: Record<string, string> = {};
const dept: Record<string, string> = {};
let worker: string;
let grid: string;
let grid2: string;
let foreignGrid: string;
let address: { id: string; fullText: string };
const about = (id: string) => sql<boolean>`subject_ids @> ARRAY[${id}]::text[]`;

const item = (typeCode: string, data: Record<string, unknown> = {}, o: { orgUnitId?: string; photoIds?: string[]; addressId?: string; countyCode?: string } = {}) =>
  insertTestItem(t.deps, { workerId: worker, typeCode, orgUnitId: o.orgUnitId ?? grid, data, photoIds: o.photoIds, addressId: o.addressId, countyCode: o.countyCode });
const ids = (res: { json(): { items: Array<{ id: string }> } }) => res.json().items.map((d) => d.id);
const list = (who: string, q = '') => t.call(tok[who], 'GET', `/api/v1/dispatches?pageSize=200${q}`);
const act = (who: string, id: string, action: string, body?: unknown) => t.call(tok[who], 'POST', `/api/v1/dispatches/${id}/${action}`, body ?? undefined);
const get = (who: string, id: string) => t.call(tok[who], 'GET', `/api/v1/dispatches/${id}`);
const itemStatus = async (id: string) => (await t.deps.db.selectFrom('field_items').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

beforeAll(async () => {
  t = await createTestApp();
  await ensureRoutingTestTypes(t.deps);
  for (const [k, name] of Object.entries({ minzheng: '区民政局', xiaofang: '区消防救援大队', sifa: '彭李街道司法所' })) dept[k] = await departmentIdOf(t.deps, name);
  worker = await userIdOf(t.deps, 'gridworker');
  grid = await orgUnitId(t.deps, '371602005001001'); // 学苑社区第一网格
  grid2 = await orgUnitId(t.deps, '371602005002001'); // 香园社区第一网格
  address = await insertAddress(t.deps, { grid: '371602005001001' });
  const f = await addForeignBranch(t.deps);
  const fc = await createOrgUnit(t.deps, sys, { parentId: f.stationId, kind: 'community', code: '371603001005', name: '富国第五社区警务区' });
  foreignGrid = (await createOrgUnit(t.deps, sys, { parentId: fc.id, kind: 'grid', code: '371603001005001', name: '富国第五社区第一网格' })).id;

  await createRule(t.deps, sys, { name: '老人→民政', itemTypeCode: 'rt_elderly', conditions: [], targetKind: 'department', departmentId: dept.minzheng, acceptHours: 24 });
  await createRule(t.deps, sys, { name: '高龄老人也告知民警', itemTypeCode: 'rt_elderly', conditions: [{ field: 'age', op: 'gte', value: 90 }], targetKind: 'officer', acceptHours: 24, priority: 200 });
  await createRule(t.deps, sys, { name: '隐患→消防（民政督办）', itemTypeCode: 'rt_fire', conditions: [], targetKind: 'department', departmentId: dept.xiaofang, escalateToDepartmentId: dept.minzheng, acceptHours: 2 });
  await createRule(t.deps, sys, { name: '线索→民警', itemTypeCode: 'rt_clue', conditions: [], targetKind: 'officer', acceptHours: 12 });

  const mk = (username: string, unit: string, role: string, departmentId: string | null) =>
    createUser(t.deps, sys, { username, displayName: `测试${username}`, password: 'Testing12345', orgUnitId: unit, roles: [role], departmentId, mustChangePassword: false });
  await mk('dept2', await orgUnitId(t.deps, '371602'), 'dept', dept.minzheng);
  await mk('fire1', await orgUnitId(t.deps, '371602'), 'dept', dept.xiaofang);
  await mk('officer2', await orgUnitId(t.deps, '371602005002'), 'officer', null);
  for (const u of ['dept', 'officer', 'chief', 'mediator', 'leader', 'gridworker']) tok[u] = await t.login(u);
  for (const u of ['dept2', 'fire1', 'officer2']) tok[u] = await t.login(u, 'Testing12345');
}, 60_000);
afterAll(() => t.close());

describe('inboxes', () => {
  let elderly: string;
  let clue: string;
  let clue2: string;
  let fClue: string;
  let fire: string;

  beforeAll(async () => {
    elderly = (await dispatchOf(t.deps, (await item('rt_elderly', { age: 70 })).id, dept.minzheng)).id;
    clue = (await dispatchOf(t.deps, (await item('rt_clue', { description: '可疑车辆' })).id, null)).id;
    clue2 = (await dispatchOf(t.deps, (await item('rt_clue', {}, { orgUnitId: grid2 })).id, null)).id;
    fClue = (await dispatchOf(t.deps, (await item('rt_clue', {}, { orgUnitId: foreignGrid, countyCode: '371603' })).id, null)).id;
    fire = (await dispatchOf(t.deps, (await item('rt_fire', { hazardKind: '其他' })).id, dept.xiaofang)).id;
  });

  it('a department’s staff see their department’s dispatches, wherever the item came from', async () => {
    const mine = ids(await list('dept'));
    expect(mine).toContain(elderly);
    expect(mine).not.toContain(fire);
    expect(mine).not.toContain(clue);
    expect(ids(await list('fire1'))).toEqual(expect.arrayContaining([fire]));
    expect(ids(await list('fire1'))).not.toContain(elderly);
  });

  it('officers see the officer-targeted dispatches of the communities in their scope', async () => {
    const officer = ids(await list('officer'));
    expect(officer).toContain(clue);
    expect(officer).not.toContain(clue2);
    expect(officer).not.toContain(elderly); // a department's, not the officers'
    expect(ids(await list('officer2'))).toEqual(expect.arrayContaining([clue2]));
    expect(ids(await list('officer2'))).not.toContain(clue);
    const chief = ids(await list('chief'));
    expect(chief).toEqual(expect.arrayContaining([clue, clue2]));
    expect(chief).not.toContain(fClue);
  });

  it('not mine → 404; a mediator without a department has no inbox', async () => {
    expect((await get('officer2', clue)).statusCode).toBe(404);
    expect((await get('officer', fClue)).statusCode).toBe(404);
    expect((await get('chief', fClue)).statusCode).toBe(404);
    expect((await get('dept', fire)).statusCode).toBe(404);
    expect((await get('dept', clue)).statusCode).toBe(404);
    expect((await act('dept', fire, 'accept')).statusCode).toBe(404);
    expect((await list('mediator')).json().total).toBe(0);
    expect((await get('mediator', clue)).statusCode).toBe(404);
  });

  it('box=all needs field.read and is scoped by the org path; viewing is not handling', async () => {
    expect((await list('dept', '&box=all')).statusCode).toBe(403);
    const all = (await list('officer', '&box=all')).json();
    const byId = new Map(all.items.map((d: { id: string; canHandle: boolean }) => [d.id, d]));
    expect(byId.get(elderly)).toMatchObject({ canHandle: false, ownerName: '区民政局' });
    expect(byId.get(clue)).toMatchObject({ canHandle: true, ownerName: '社区民警' });
    expect(byId.has(clue2)).toBe(false);
    expect(byId.has(fClue)).toBe(false);
    expect((await get('officer', elderly)).statusCode).toBe(200);
    const refused = await act('officer', elderly, 'accept');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toContain('区民政局');
  });

  it('status and overdue filters, paging', async () => {
    const pending = (await list('chief', '&status=pending')).json();
    expect(pending.items.every((d: { status: string }) => d.status === 'pending')).toBe(true);
    await t.deps.db.updateTable('dispatches').set({ accept_due_at: new Date(Date.now() - 60_000) }).where('id', '=', clue).execute();
    const overdue = (await list('chief', '&overdue=true')).json();
    expect(overdue.items.map((d: { id: string }) => d.id)).toEqual([clue]);
    expect(overdue.items[0]).toMatchObject({ overdue: true, statusName: '待签收' });
    const page = (await t.call(tok.chief, 'GET', '/api/v1/dispatches?pageSize=1&page=2')).json();
    expect(page).toMatchObject({ page: 2, pageSize: 1 });
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(2);
  });

  it('wrong roles get 403', async () => {
    expect((await list('leader')).statusCode).toBe(403);
    expect((await list('gridworker')).statusCode).toBe(403);
    expect((await get('leader', clue)).statusCode).toBe(403);
    expect((await act('gridworker', clue, 'accept')).statusCode).toBe(403);
  });

  it('the escalation department oversees an escalated dispatch: sees it, cannot handle it', async () => {
    expect(ids(await list('dept', '&box=oversight'))).not.toContain(fire);
    const d = await t.deps.db.selectFrom('dispatches').select('accept_due_at').where('id', '=', fire).executeTakeFirstOrThrow();
    await t.app.escalations.tick(new Date(new Date(d.accept_due_at).getTime() + 60_000));
    const over = (await list('dept', '&box=oversight')).json();
    expect(over.items.map((x: { id: string }) => x.id)).toContain(fire);
    expect(over.items.find((x: { id: string }) => x.id === fire)).toMatchObject({ escalationLevel: 1, escalateToName: '区民政局', canHandle: false });
    expect((await get('dept', fire)).statusCode).toBe(200);
    expect((await act('dept', fire, 'accept')).statusCode).toBe(403);
    const fireItem = (await t.deps.db.selectFrom('dispatches').select('item_id').where('id', '=', fire).executeTakeFirstOrThrow()).item_id;
    expect(await departmentHandlesItem(t.deps.db, dept.minzheng, fireItem)).toBe(true);
    expect(await departmentHandlesItem(t.deps.db, dept.sifa, fireItem)).toBe(false);
  });
});

describe('detail', () => {
  it('shows the item with its labelled data, photos, address, worker and timeline; audited', async () => {
    const photo = uuidv7();
    const it1 = await item('rt_fire', { hazardKind: '电动车违规充电', severity: '重大', peopleAtRisk: 12, urgent: true, tags: ['高层', '人员密集'], ownerId: '371602199001011234', gone: '旧字段' }, { photoIds: [photo], addressId: address.id });
    const d = await dispatchOf(t.deps, it1.id, dept.xiaofang);
    const res = await get('fire1', d.id);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ id: d.id, status: 'pending', ownerName: '区消防救援大队', canHandle: true, ruleName: '隐患→消防（民政督办）' });
    expect(body.item.fields.map((f: { label: string; text: string }) => [f.label, f.text])).toEqual([
      ['隐患类型', '电动车违规充电'],
      ['严重程度', '重大'],
      ['涉及人数', '12'],
      ['需立即处置', '是'],
      ['场所特征', '高层、人员密集'],
      ['责任人身份号码', '371602********1234'],
      ['gone', '旧字段'],
    ]);
    expect(body.item.photos).toEqual([{ id: photo, url: `/api/v1/field/attachments/${photo}` }]);
    expect(body.item.address).toEqual({ id: address.id, fullText: address.fullText });
    expect(body.item.worker).toMatchObject({ name: '王秀英', phone: '13905430006' });
    expect(body.item.typeName).toBe('测试消防隐患');
    expect(body.timeline.map((e: { action: string; actorName: string }) => [e.action, e.actorName])).toEqual([['routed', '系统']]);
    expect(JSON.stringify(body)).not.toContain('199001011234');
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'actor_name']).where('action', '=', 'dispatch.read').where(about(d.id)).execute();
    expect(audit).toHaveLength(1);
  });
});

describe('handling', () => {
  it('accept → note → close: 409 out of order, validation by field, the item closed, SMS to the worker', async () => {
    const it1 = await item('rt_elderly', { age: 75 });
    const d = (await dispatchOf(t.deps, it1.id, dept.minzheng)).id;
    expect((await act('dept', d, 'note', { note: '先记录' })).statusCode).toBe(409);
    expect((await act('dept', d, 'close', { result: 'resolved', feedback: '已处理' })).statusCode).toBe(409);

    const accepted = await act('dept', d, 'accept');
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', acceptedByName: '吴丽' });
    const again = await act('dept2', d, 'accept');
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toContain('吴丽');

    const shortNote = await act('dept', d, 'note', { note: '好' });
    expect(shortNote.statusCode).toBe(400);
    expect(shortNote.json().errors[0].field).toBe('note');
    expect((await act('dept', d, 'note', { note: '已电话联系老人家属，明日上门' })).statusCode).toBe(200);

    const badResult = await act('dept', d, 'close', { result: 'done', feedback: '已处理完毕' });
    expect(badResult.statusCode).toBe(400);
    const shortFeedback = await act('dept', d, 'close', { result: 'resolved', feedback: ' 好 ' });
    expect(shortFeedback.statusCode).toBe(400);
    expect(shortFeedback.json().errors[0].field).toBe('feedback');

    const since = new Date();
    const closed = await act('dept', d, 'close', { result: 'resolved', feedback: '已上门走访，纳入民政关爱名单' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', result: 'resolved', resultName: '已解决', feedback: '已上门走访，纳入民政关爱名单', closedByName: '吴丽' });
    expect(closed.json().timeline.map((e: { action: string }) => e.action)).toEqual(['routed', 'accepted', 'note', 'closed']);
    expect(await itemStatus(it1.id)).toBe('closed');
    const sms = await t.deps.db.selectFrom('sms_outbox').select(['phone', 'body']).where('created_at', '>=', since).execute();
    expect(sms).toHaveLength(1);
    expect(sms[0].phone).toBe('13905430006');
    expect(sms[0].body).toContain('已上门走访，纳入民政关爱名单');
    expect(sms[0].body).toContain('区民政局');

    expect((await act('dept', d, 'close', { result: 'resolved', feedback: '再次办结' })).statusCode).toBe(409);
    expect((await act('dept', d, 'reject', { reason: '不归我们' })).statusCode).toBe(409);
    expect((await act('dept', d, 'accept')).statusCode).toBe(409);

    const actions = await t.deps.db.selectFrom('audit_log').select('action').where(about(d)).orderBy('seq').execute();
    expect(actions.map((a) => a.action).filter((a) => a !== 'dispatch.read')).toEqual(['dispatch.accept', 'dispatch.note', 'dispatch.close']);

    // the worker's view of it
    const summaries = (await dispatchesOfItems(t.deps.db, [it1.id])).get(it1.id)!;
    expect(summaries).toEqual([expect.objectContaining({ id: d, ownerName: '区民政局', status: 'closed', feedback: '已上门走访，纳入民政关爱名单', result: 'resolved' })]);
  });

  it('two handlers accepting at once: one 200, one 409', async () => {
    const d = (await dispatchOf(t.deps, (await item('rt_elderly', { age: 71 })).id, dept.minzheng)).id;
    const [a, b] = await Promise.all([act('dept', d, 'accept'), act('dept2', d, 'accept')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const events = await t.deps.db.selectFrom('dispatch_events').select('action').where('dispatch_id', '=', d).where('action', '=', 'accepted').execute();
    expect(events).toHaveLength(1);
  });

  it('an item with two owners is closed when both have closed', async () => {
    const it1 = await item('rt_elderly', { age: 95 });
    const dd = (await dispatchOf(t.deps, it1.id, dept.minzheng)).id;
    const od = (await dispatchOf(t.deps, it1.id, null)).id;
    await act('dept', dd, 'accept');
    await act('dept', dd, 'close', { result: 'resolved', feedback: '民政已办结' });
    expect(await itemStatus(it1.id)).toBe('routed');
    await act('officer', od, 'accept');
    expect((await act('officer', od, 'close', { result: 'other', feedback: '民警已走访' })).statusCode).toBe(200);
    expect(await itemStatus(it1.id)).toBe('closed');
  });

  it('reject: the item goes to the community officer; an officer’s dispatch cannot be rejected', async () => {
    const it1 = await item('rt_elderly', { age: 60 });
    const d = (await dispatchOf(t.deps, it1.id, dept.minzheng)).id;
    const short = await act('dept', d, 'reject', { reason: '否' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('reason');
    const res = await act('dept', d, 'reject', { reason: '当事人有子女同住，不属独居，请民警核实' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', rejectReason: '当事人有子女同住，不属独居，请民警核实' });
    const od = await dispatchOf(t.deps, it1.id, null);
    expect(od).toMatchObject({ target_kind: 'officer', status: 'pending', org_unit_id: await orgUnitId(t.deps, '371602005001'), rule_id: null });
    expect(ids(await list('officer'))).toContain(od.id);
    const detail = (await get('officer', od.id)).json();
    expect(detail.timeline[0]).toMatchObject({ action: 'reassigned', actorName: '吴丽' });
    expect(detail.timeline[0].note).toContain('不属独居');
    expect(detail.otherDispatches).toEqual([expect.objectContaining({ id: d, status: 'rejected', ownerName: '区民政局' })]);

    const no = await act('officer', od.id, 'reject', { reason: '也不归我' });
    expect(no.statusCode).toBe(409);
    expect(await itemStatus(it1.id)).toBe('routed');
    await act('officer', od.id, 'accept');
    await act('officer', od.id, 'close', { result: 'unfounded', feedback: '核实有子女同住' });
    expect(await itemStatus(it1.id)).toBe('closed'); // rejected and replaced + closed
    expect(await departmentHandlesItem(t.deps.db, dept.minzheng, it1.id)).toBe(false); // it rejected the item
  });

  it('a rejection reopens the item’s officer dispatch when that one was already closed', async () => {
    const it1 = await item('rt_elderly', { age: 96 });
    const dd = (await dispatchOf(t.deps, it1.id, dept.minzheng)).id;
    const od = (await dispatchOf(t.deps, it1.id, null)).id;
    await act('officer', od, 'accept');
    await act('officer', od, 'close', { result: 'resolved', feedback: '民警已走访' });
    expect((await act('dept', dd, 'accept')).statusCode).toBe(200);
    expect((await act('dept', dd, 'reject', { reason: '已有养老机构对接' })).statusCode).toBe(200);
    const reopened = await dispatchOf(t.deps, it1.id, null);
    expect(reopened).toMatchObject({ id: od, status: 'pending', escalation_level: 0, feedback: null });
    expect(await itemStatus(it1.id)).toBe('routed');
    const ev = await t.deps.db.selectFrom('dispatch_events').select('action').where('dispatch_id', '=', od).orderBy('at').orderBy('id').execute();
    expect(ev.map((e) => e.action)).toEqual(['routed', 'accepted', 'closed', 'reopened']);
  });
});
