import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { addressesRepository } from '../src/server/modules/addresses/repository.js';
import { newPlateToken } from '../src/server/modules/addresses/plates.js';
import { createUnit as createOrgUnit } from '../src/server/modules/org/service.js';
import { putHousing } from '../src/server/modules/population/housing.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';
import { createPerson, idBlind } from '../src/server/modules/population/service.js';
import { approve, STALE_APPROVAL_MS } from '../src/server/modules/portal/review.js';
import { loadPrincipal } from '../src/server/platform/auth/principal.js';
import { createRegistryTestApp, insertAddress, makeIdNumber, orgUnitId, neighbourChief } from './support/registry-fixtures.js';
import type { TestApp } from './support/app.js';

/** A parsed JSON body, as loosely typed as `res.json()`. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let alice: string;
let officer: string;
let chief: string;
let assistant: string;
let gridworker: string;
let leader: string;
let szChief: string; // chief of 市中派出所: the same branch, another station
let grid1: string;
let szGrid: string;
let seq = 0;
const sys = systemContext(Object.keys(PERMISSIONS));
const nextId = () => makeIdNumber(40_000 + ++seq);
const ALICE = '13700000201';
const PURPOSE = encodeURIComponent('核对申报身份');

const residentToken = (phone: string) => t.residentLogin(phone);

async function plateAt(grid: string) {
  const a = await insertAddress(t.deps, { grid });
  const token = newPlateToken();
  await addressesRepository.insertPlate(t.deps.db, { id: uuidv7(), address_id: a.id, kind: 'room', token, issued_by: null });
  return { id: a.id, token, fullText: a.fullText };
}

async function outbox(phone: string): Promise<string[]> {
  const box = (await t.call(undefined, 'GET', '/api/v1/dev/outbox')).json() as Array<{ phone: string; body: string }>;
  return box.filter((m) => m.phone === phone).map((m) => m.body);
}

function auditOf(subjectId: string) {
  return t.deps.db.selectFrom('audit_log').selectAll().where(sql<boolean>`${subjectId} = ANY(subject_ids)`).orderBy('seq').execute();
}

const personsByNumber = (idNumber: string) => t.deps.db.selectFrom('persons').selectAll().where('id_blind', '=', idBlind(t.deps, idNumber)).execute();
const residencesOf = (personId: string) => t.deps.db.selectFrom('residences').selectAll().where('person_id', '=', personId).orderBy('from_date').execute();

const residence = (o: Partial<Record<string, unknown>> = {}) => ({
  name: '孙流动',
  idNumber: nextId(),
  phone: '13800002222',
  hukouAddress: '河北省邯郸市丛台区中华大街8号',
  reason: 'work',
  arrivalDate: addDays(todayCst(), -10),
  expectedStayUntil: addDays(todayCst(), 200),
  relation: 'tenant',
  ...o,
});

async function submit(kind: string, data: unknown, plateToken: string): Promise<Json> {
  const res = await t.call(alice, 'POST', '/api/v1/portal/submissions', { kind, plateToken, clientId: uuidv4(), data });
  if (res.statusCode !== 201) throw new Error(`submit: ${res.statusCode} ${res.body}`);
  // this file files more for one resident than a day allows (SUBMISSIONS_PER_DAY): the filing time moves back
  await t.deps.db.updateTable('portal_submissions').set({ created_at: new Date(Date.now() - 2 * 86_400_000) }).where('id', '=', res.json().id).execute();
  return res.json();
}

const review = (token: string, id: string, action: string, body?: unknown) => t.call(token, 'POST', `/api/v1/portal-reviews/${id}/${action}`, body);

let room: { id: string; token: string; fullText: string };
let szRoom: { id: string; token: string; fullText: string };

beforeAll(async () => {
  t = await createRegistryTestApp();
  [officer, chief, assistant, gridworker, leader] = await Promise.all(['officer', 'chief', 'assistant', 'gridworker', 'leader'].map((u) => t.login(u)));
  grid1 = await orgUnitId(t.deps, '371602005001001');
  szGrid = await orgUnitId(t.deps, '371602001001001');
  szChief = await neighbourChief(t);
  alice = await residentToken(ALICE);
  room = await plateAt(grid1);
  szRoom = await plateAt(szGrid);
});
afterAll(() => t.close());

describe('the review queue', () => {
  let first: Json;
  let second: Json;
  let elsewhere: Json;
  beforeAll(async () => {
    first = await submit('residence', residence(), room.token);
    second = await submit('residence', residence(), (await plateAt(grid1)).token);
    elsewhere = await submit('residence', residence(), szRoom.token);
  });

  it('lists pending submissions in scope, oldest first, with grid, age and a masked phone; the page is audited', async () => {
    const res = await t.call(officer, 'GET', '/api/v1/portal-reviews?pageSize=200');
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((i: Json) => i.id);
    expect(ids.indexOf(first.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(elsewhere.id);
    const item = res.json().items.find((i: Json) => i.id === first.id);
    expect(item).toMatchObject({ trackingNo: first.trackingNo, status: 'submitted', gridName: expect.stringContaining('网格'), ageHours: 0, assignedTo: null, residentPhone: '137****0201' });
    expect((await auditOf(first.id)).map((a) => a.action)).toContain('portal.review_list');

    const byNo = (await t.call(officer, 'GET', `/api/v1/portal-reviews?q=${first.trackingNo}`)).json();
    expect(byNo.items.map((i: Json) => i.id)).toEqual([first.id]);
    // the other station sees its own, not ours
    const sz = (await t.call(szChief, 'GET', '/api/v1/portal-reviews?pageSize=200')).json();
    expect(sz.items.map((i: Json) => i.id)).toEqual([elsewhere.id]);
    // the branch leader reads the whole branch
    const all = (await t.call(leader, 'GET', '/api/v1/portal-reviews?pageSize=200&status=all')).json().items.map((i: Json) => i.id);
    expect(all).toEqual(expect.arrayContaining([first.id, second.id, elsewhere.id]));
  });

  it('a grid worker (no portal.read) → 403; another station → 404 on the detail', async () => {
    expect((await t.call(gridworker, 'GET', '/api/v1/portal-reviews')).statusCode).toBe(403);
    expect((await t.call(szChief, 'GET', `/api/v1/portal-reviews/${first.id}`)).statusCode).toBe(404);
    expect((await t.call(szChief, 'GET', `/api/v1/portal-reviews/${first.id}/ids?purpose=${PURPOSE}`)).statusCode).toBe(404);
    for (const action of ['claim', 'approve', 'return', 'complete']) {
      const body = action === 'return' ? { reason: '越权退回试试' } : action === 'complete' ? { reply: '越权办结' } : {};
      expect((await review(szChief, first.id, action, body)).statusCode, action).toBe(404);
      expect((await review(gridworker, first.id, action, body)).statusCode, action).toBe(403);
      expect((await review(assistant, first.id, action, body)).statusCode, action).toBe(403);
    }
    expect((await t.call(alice, 'GET', `/api/v1/portal/submissions/${first.id}`)).json().status).toBe('submitted');
  });

  it('the officer of 学苑社区 does not reach a submission in 香园社区 (same station); the station chief does', async () => {
    const other = await submit('residence', residence(), (await plateAt(await orgUnitId(t.deps, '371602005002001'))).token);
    expect((await t.call(officer, 'GET', `/api/v1/portal-reviews/${other.id}`)).statusCode).toBe(404);
    expect((await review(officer, other.id, 'approve', {})).statusCode).toBe(404);
    expect((await t.call(officer, 'GET', '/api/v1/portal-reviews?pageSize=200')).json().items.map((i: Json) => i.id)).not.toContain(other.id);
    expect((await t.call(chief, 'GET', `/api/v1/portal-reviews/${other.id}`)).statusCode).toBe(200);
    expect((await t.call(alice, 'GET', `/api/v1/portal/submissions/${other.id}`)).json().status).toBe('submitted');
  });

  it('the detail: masked numbers, full phone, the registry comparison; audited as portal.review_read', async () => {
    const res = await t.call(officer, 'GET', `/api/v1/portal-reviews/${first.id}`);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ id: first.id, residentPhone: ALICE, data: { idNumber: expect.stringMatching(/^\d{4}\*{10}/) } });
    expect(d.registry).toMatchObject({ addressId: room.id, addressLevel: 'room', currentResidents: [], housing: null, matches: [], conflicts: [] });
    expect(d.timeline).toHaveLength(1);
    const rows = (await auditOf(first.id)).filter((a) => a.action === 'portal.review_read');
    expect(rows.length).toBeGreaterThan(0);
  });

  it('full identity numbers: person.id_full and a purpose, audited with it', async () => {
    expect((await t.call(assistant, 'GET', `/api/v1/portal-reviews/${first.id}/ids?purpose=${PURPOSE}`)).statusCode).toBe(403);
    const none = await t.call(officer, 'GET', `/api/v1/portal-reviews/${first.id}/ids`);
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('purpose_required');
    const res = await t.call(officer, 'GET', `/api/v1/portal-reviews/${first.id}/ids?purpose=${PURPOSE}`);
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(['self']);
    expect(res.json().self).toMatch(/^\d{17}[\dX]$/);
    expect(idBlind(t.deps, res.json().self)).toBe((await t.deps.db.selectFrom('portal_submissions').select('id_blinds').where('id', '=', first.id).executeTakeFirstOrThrow()).id_blinds[0]);
    const row = (await auditOf(first.id)).find((a) => a.action === 'portal.view_ids')!;
    expect(row.purpose).toBe('核对申报身份');
  });
});

describe('approving a residence', () => {
  it('creates the floating person living at the address (source resident), with audit rows, timeline and SMS; a second approval → 409', async () => {
    const data = residence();
    const s = await submit('residence', data, room.token);
    const res = await review(officer, s.id, 'approve', { note: '核对无误' });
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({ status: 'done', statusName: '已办结' });
    expect(d.result.personIds).toHaveLength(1);
    expect(d.result.persons).toEqual([{ key: 'self', personId: d.result.personIds[0], created: true }]);
    expect(d.result.residenceIds).toHaveLength(1);

    const [p] = await personsByNumber(data.idNumber as string);
    expect(p).toMatchObject({ id: d.result.personIds[0], name: '孙流动', person_type: 'floating', floating_registered_on: data.arrivalDate, expected_stay_until: data.expectedStayUntil, phone: '13800002222', org_unit_id: grid1 });
    const [r] = await residencesOf(p.id);
    expect(r).toMatchObject({ id: d.result.residenceIds[0], address_id: room.id, relation: 'tenant', from_date: data.arrivalDate, to_date: null, source: 'resident' });

    expect((await auditOf(p.id)).map((a) => a.action)).toContain('person.create');
    const approveRow = (await auditOf(s.id)).find((a) => a.action === 'portal.approve');
    expect(approveRow).toBeDefined();
    expect(approveRow!.subject_ids).toContain(p.id);

    const mine = (await t.call(alice, 'GET', `/api/v1/portal/submissions/${s.id}`)).json();
    expect(mine.timeline.map((e: Json) => [e.status, e.by, e.note])).toEqual([
      ['submitted', null, null],
      ['approved', '社区民警 张明', '核对无误'],
      ['done', '社区民警 张明', null],
    ]);
    expect(await outbox(ALICE)).toContain(`【枫桥】您的流动人口报备（${s.trackingNo}）已通过审核，登记已完成。`);

    const again = await review(chief, s.id, 'approve', {});
    expect(again.statusCode).toBe(409);
    expect(await personsByNumber(data.idNumber as string)).toHaveLength(1);
  });

  it('two concurrent approvals: one writes, the other gets 409; one person', async () => {
    const data = residence();
    const s = await submit('residence', data, (await plateAt(grid1)).token);
    const results = await Promise.all([review(officer, s.id, 'approve', {}), review(chief, s.id, 'approve', {})]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect(await personsByNumber(data.idNumber as string)).toHaveLength(1);
    const events = await t.deps.db.selectFrom('portal_submission_events').select('status').where('submission_id', '=', s.id).execute();
    expect(events.map((e) => e.status).sort()).toEqual(['approved', 'done', 'submitted']);
  });

  it('racing approvals past the first check: the conditional status change lets exactly one write', async () => {
    const data = residence();
    const s = await submit('residence', data, (await plateAt(grid1)).token);
    const [o, c] = await Promise.all([loadPrincipal(t.deps, officer), loadPrincipal(t.deps, chief)]);
    const outcome = (p: Promise<unknown>) => p.then(
      () => 200,
      (e: { status?: number }) => e.status ?? 500,
    );
    const results = await Promise.all([outcome(approve(t.deps, { principal: o }, s.id, {})), outcome(approve(t.deps, { principal: c }, s.id, {}))]);
    expect(results.sort()).toEqual([200, 409]);
    expect(await personsByNumber(data.idNumber as string)).toHaveLength(1);
    const events = await t.deps.db.selectFrom('portal_submission_events').select('status').where('submission_id', '=', s.id).execute();
    expect(events.map((e) => e.status).sort()).toEqual(['approved', 'done', 'submitted']);

    // an e-bike writes no person, so only the status change stands between two registration numbers
    const bike = await submit('ebike', { ownerName: '并发车主', idNumber: nextId(), phone: '13900008888', brand: '新日', color: '黑色', frameNo: 'XR20250002' }, room.token);
    const bikes = await Promise.all([outcome(approve(t.deps, { principal: o }, bike.id, {})), outcome(approve(t.deps, { principal: c }, bike.id, {}))]);
    expect(bikes.sort()).toEqual([200, 409]);
    const bikeEvents = await t.deps.db.selectFrom('portal_submission_events').select('status').where('submission_id', '=', bike.id).execute();
    expect(bikeEvents.map((e) => e.status).sort()).toEqual(['approved', 'done', 'submitted']);
  });

  it('a person already registered with the number is moved, not duplicated; the detail shows the match and the conflict', async () => {
    const idNumber = nextId();
    const before = await insertAddress(t.deps, { grid: grid1 });
    const { person } = await createPerson(t.deps, sys, { idNumber, name: '孙流动', personType: 'floating', residence: { addressId: before.id, relation: 'tenant', fromDate: '2020-01-01' } });
    const target = await plateAt(grid1);
    const s = await submit('residence', residence({ idNumber }), target.token);
    const detail = (await t.call(officer, 'GET', `/api/v1/portal-reviews/${s.id}`)).json();
    expect(detail.registry.matches).toEqual([
      { key: 'self', personId: person.id, name: '孙流动', maskedId: expect.stringMatching(/^371602\*{8}/), currentAddress: before.fullText, sameAddress: false, inScope: true },
    ]);
    expect(detail.registry.conflicts).toEqual([{ key: 'self', message: expect.stringContaining('现登记居住在') }]);
    const res = await review(officer, s.id, 'approve', {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().result.personIds).toEqual([person.id]);
    expect(res.json().result.persons).toEqual([{ key: 'self', personId: person.id, created: false }]);
    expect(await personsByNumber(idNumber)).toHaveLength(1);
    const rs = await residencesOf(person.id);
    expect(rs.map((r) => [r.address_id, r.to_date, r.source])).toEqual([
      [before.id, s.data.arrivalDate, 'manual'],
      [target.id, null, 'resident'],
    ]);
    expect((await auditOf(person.id)).map((a) => a.action)).toContain('residence.move_in');
  });

  it('merge: the officer names the existing person (whose record lacks the number); invalid merges → 400 merge.<key>', async () => {
    const before = await insertAddress(t.deps, { grid: grid1 });
    const { person } = await createPerson(t.deps, sys, { idNumber: nextId(), name: '孙旧档', residence: { addressId: before.id, relation: 'householder', fromDate: '2019-05-01' } });
    const target = await plateAt(grid1);
    const s = await submit('residence', residence(), target.token);

    const unknownKey = await review(officer, s.id, 'approve', { merge: { owner: person.id } });
    expect(unknownKey.statusCode).toBe(400);
    expect(unknownKey.json().errors).toEqual([{ field: 'merge.owner', message: '该申报中没有这个人员' }]);
    const { person: outside } = await createPerson(t.deps, sys, { idNumber: nextId(), name: '市中居民', orgUnitId: szGrid });
    const foreign = await review(officer, s.id, 'approve', { merge: { self: outside.id } });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().errors).toEqual([{ field: 'merge.self', message: '人员不存在或不在您的辖区内' }]);
    expect((await t.call(alice, 'GET', `/api/v1/portal/submissions/${s.id}`)).json().status).toBe('submitted');

    const res = await review(officer, s.id, 'approve', { merge: { self: person.id } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().result.personIds).toEqual([person.id]);
    const rs = await residencesOf(person.id);
    expect(rs.find((r) => r.to_date === null)).toMatchObject({ address_id: target.id, source: 'resident' });
    expect(rs.find((r) => r.address_id === before.id)!.to_date).toBe(s.data.arrivalDate);
    expect(await personsByNumber((await t.call(officer, 'GET', `/api/v1/portal-reviews/${s.id}/ids?purpose=${PURPOSE}`)).json().self)).toHaveLength(0);
  });
});

describe('returning, editing, claiming, completing', () => {
  it('return with a reason → returned (SMS with the reason); the resident edits → submitted again; then approvable', async () => {
    const s = await submit('residence', residence(), room.token);
    const short = await review(officer, s.id, 'return', { reason: '太短' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].field).toBe('reason');
    const res = await review(officer, s.id, 'return', { reason: '户籍地址不完整，请补充到门牌号' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'returned', returnReason: '户籍地址不完整，请补充到门牌号' });
    expect((await outbox(ALICE)).some((b) => b.includes(s.trackingNo) && b.includes('户籍地址不完整，请补充到门牌号'))).toBe(true);
    expect((await review(officer, s.id, 'approve', {})).statusCode).toBe(409);

    const mine = (await t.call(alice, 'GET', `/api/v1/portal/submissions/${s.id}`)).json();
    expect(mine).toMatchObject({ status: 'returned', statusName: '已退回', returnReason: '户籍地址不完整，请补充到门牌号' });
    const edited = await t.call(alice, 'PUT', `/api/v1/portal/submissions/${s.id}`, { data: residence({ hukouAddress: '河北省邯郸市丛台区中华大街8号3单元' }) });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ status: 'submitted', returnReason: null });
    expect(edited.json().timeline.map((e: Json) => e.status)).toEqual(['submitted', 'returned', 'submitted']);
    expect((await outbox(ALICE)).some((b) => b.includes(s.trackingNo) && b.includes('已重新提交'))).toBe(true);
    expect((await auditOf(s.id)).map((a) => a.action)).toEqual(expect.arrayContaining(['portal.return', 'portal.edit']));
    expect((await review(officer, s.id, 'approve', {})).statusCode).toBe(200);
  });

  it('claim → reviewing (已受理) assigned to the caller; the resident can no longer edit; complete a help request with a reply', async () => {
    const h = await submit('help', { category: 'help', description: '楼道里的消防通道被杂物堵住了，请处理。' }, room.token);
    const c = await review(officer, h.id, 'claim');
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ status: 'reviewing', statusName: '已受理', assignedTo: '张明' });
    expect((await review(chief, h.id, 'claim')).statusCode).toBe(409);
    expect((await t.call(alice, 'PUT', `/api/v1/portal/submissions/${h.id}`, { data: { category: 'help', description: '再改一下内容试一试看。' } })).statusCode).toBe(409);
    expect((await t.call(alice, 'POST', `/api/v1/portal/submissions/${h.id}/withdraw`)).statusCode).toBe(409);
    expect((await review(officer, h.id, 'approve', {})).statusCode).toBe(409);

    const done = await review(officer, h.id, 'complete', { reply: '已通知物业清理，谢谢您的反映。' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', reply: '已通知物业清理，谢谢您的反映。' });
    const mine = (await t.call(alice, 'GET', `/api/v1/portal/submissions/${h.id}`)).json();
    expect(mine.timeline.map((e: Json) => e.status)).toEqual(['submitted', 'reviewing', 'done']);
    expect(mine.reply).toBe('已通知物业清理，谢谢您的反映。');
    expect(await outbox(ALICE)).toContain(`【枫桥】您的报警求助/咨询（${h.trackingNo}）已办结。答复：已通知物业清理，谢谢您的反映。`);

    const r = await submit('residence', residence(), room.token);
    expect((await review(officer, r.id, 'complete', { reply: '不适用' })).statusCode).toBe(409);
  });
});

describe('approving a rental and an e-bike', () => {
  const rental = () => ({
    owner: { name: '周房东', idNumber: nextId(), phone: '13900005555' },
    leaseFrom: addDays(todayCst(), -20),
    leaseTo: addDays(todayCst(), 345),
    rooms: 3,
    areaM2: 88,
    groupRental: false,
    tenants: [
      { name: '吴租客', idNumber: nextId(), phone: '13900006666', hukouAddress: '山东省德州市' },
      { name: '郑租客', idNumber: nextId() },
    ],
  });

  it('writes the owner, the rented housing (registered, lease, landlord) and each tenant living there', async () => {
    const home = await plateAt(grid1);
    await putHousing(t.deps, sys, home.id, { use: 'vacant', propertyType: 'self_built' });
    const data = rental();
    const s = await submit('rental', data, home.token);
    const res = await review(officer, s.id, 'approve', {});
    expect(res.statusCode, res.body).toBe(200);
    const [owner] = await personsByNumber(data.owner.idNumber);
    const h = await t.deps.db.selectFrom('housing').selectAll().where('address_id', '=', home.id).executeTakeFirstOrThrow();
    expect(h).toMatchObject({ id: res.json().result.housingId, use: 'rent', rental_registration: 'registered', lease_from: data.leaseFrom, lease_to: data.leaseTo, landlord_person_id: owner.id, owner_person_id: owner.id, rooms: 3, property_type: 'self_built' });
    for (const tenant of data.tenants) {
      const [p] = await personsByNumber(tenant.idNumber);
      expect(p.person_type).toBe('floating');
      expect((await residencesOf(p.id))[0]).toMatchObject({ address_id: home.id, relation: 'tenant', from_date: data.leaseFrom, to_date: null, source: 'resident' });
    }
    expect(res.json().result.personIds).toHaveLength(3);
    expect(await residencesOf(owner.id)).toEqual([]);
    const detail = res.json();
    expect(detail.registry.housing).toMatchObject({ use: 'rent', useName: '出租', rentalRegistration: 'registered' });
  });

  it('a failure half-way gives the submission back; the retry creates nobody twice', async () => {
    const home = await plateAt(grid1);
    // a person who moved somewhere today cannot be recorded at the rental from an earlier date
    const other = await insertAddress(t.deps, { grid: grid1 });
    const { person: late } = await createPerson(t.deps, sys, { idNumber: nextId(), name: '郑租客', residence: { addressId: other.id, relation: 'householder', fromDate: todayCst() } });
    const data = rental();
    const s = await submit('rental', data, home.token);
    const failed = await review(officer, s.id, 'approve', { merge: { 'tenants.1': late.id } });
    expect(failed.statusCode).toBe(400);
    expect(failed.json().errors[0].field).toBe('tenants.1.fromDate');
    const row = await t.deps.db.selectFrom('portal_submissions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'submitted', reviewed_by: null, result: null });
    expect(await personsByNumber(data.owner.idNumber)).toHaveLength(1);
    expect(await personsByNumber(data.tenants[0].idNumber)).toHaveLength(1);

    const retry = await review(chief, s.id, 'approve', {});
    expect(retry.statusCode, retry.body).toBe(200);
    for (const x of [data.owner, ...data.tenants]) expect(await personsByNumber(x.idNumber)).toHaveLength(1);
    expect((await residencesOf(late.id)).map((r) => r.address_id)).toEqual([other.id]);
  });

  it('an approval left half-way by a stopped process is refused while fresh and taken over once stale', async () => {
    const data = residence();
    const s = await submit('residence', data, room.token);
    // the process took the submission and stopped before writing anything
    await t.deps.db.updateTable('portal_submissions').set({ status: 'approved', updated_at: new Date() }).where('id', '=', s.id).execute();
    const fresh = await review(officer, s.id, 'approve', {});
    expect(fresh.statusCode).toBe(409);
    expect(await personsByNumber(data.idNumber as string)).toHaveLength(0);

    await t.deps.db.updateTable('portal_submissions').set({ updated_at: new Date(Date.now() - STALE_APPROVAL_MS - 1000) }).where('id', '=', s.id).execute();
    const [a, b] = await Promise.all([review(officer, s.id, 'approve', {}), review(chief, s.id, 'approve', {})]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    expect(await personsByNumber(data.idNumber as string)).toHaveLength(1);
    const row = await t.deps.db.selectFrom('portal_submissions').select(['status']).where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('done');
  });

  it('an e-bike gets a registration number, shown to the resident and sent by SMS', async () => {
    const s = await submit('ebike', { ownerName: '王车主', idNumber: nextId(), phone: '13900007777', brand: '爱玛', color: '红色', frameNo: 'AM20250001' }, room.token);
    const res = await review(officer, s.id, 'approve', {});
    expect(res.statusCode, res.body).toBe(200);
    const no = res.json().result.registrationNo as string;
    expect(no).toMatch(/^DC371602\d{8}$/);
    expect((await t.call(alice, 'GET', `/api/v1/portal/submissions/${s.id}`)).json().result).toEqual({ registrationNo: no });
    expect((await outbox(ALICE)).some((b) => b.includes(s.trackingNo) && b.includes(no))).toBe(true);
  });
});

describe('statistics', () => {
  it('per child unit and in total: self-declaration and rental-registration rates, the backlog', async () => {
    const station = await orgUnitId(t.deps, '371602005');
    const community = (await createOrgUnit(t.deps, sys, { parentId: station, kind: 'community', code: '371602005090', name: '统计测试社区警务区' })).id;
    const gA = (await createOrgUnit(t.deps, sys, { parentId: community, kind: 'grid', code: '371602005090001', name: '统计测试第一网格' })).id;
    const gB = (await createOrgUnit(t.deps, sys, { parentId: community, kind: 'grid', code: '371602005090002', name: '统计测试第二网格' })).id;
    const [a1, a2, a3, b1] = await Promise.all([gA, gA, gA, gB].map((grid) => insertAddress(t.deps, { grid })));
    const person = (addressId: string | undefined, personType: 'floating' | 'registered', source?: string, orgUnitId?: string) =>
      createPerson(
        t.deps,
        sys,
        { idNumber: nextId(), name: '统计', personType, orgUnitId, ...(addressId ? { residence: { addressId, relation: personType === 'registered' ? 'householder' : 'tenant', fromDate: '2024-01-01' } } : {}) },
        { source },
      );
    await person(a1.id, 'floating', 'resident');
    await person(a2.id, 'floating', 'manual');
    const owner = (await person(a1.id, 'registered')).person;
    await person(undefined, 'floating', undefined, gA); // no residence: not counted
    await person(b1.id, 'floating', 'resident');
    await putHousing(t.deps, sys, a1.id, { use: 'rent', landlordPersonId: owner.id, leaseFrom: '2025-01-01', leaseTo: '2027-01-01', rentalRegistration: 'registered' });
    await putHousing(t.deps, sys, a2.id, { use: 'rent', landlordPersonId: owner.id, leaseFrom: '2025-01-01', leaseTo: '2027-01-01' });
    await putHousing(t.deps, sys, a3.id, { use: 'self' });

    const plate = newPlateToken();
    await addressesRepository.insertPlate(t.deps.db, { id: uuidv7(), address_id: a3.id, kind: 'room', token: plate, issued_by: null });
    const old = await submit('help', { category: 'consult', description: '咨询一下办理居住证的流程。' }, plate);
    await submit('help', { category: 'consult', description: '咨询一下车辆登记的流程。' }, plate);
    const answered = await submit('help', { category: 'consult', description: '咨询一下开具证明的流程。' }, plate);
    expect((await review(chief, answered.id, 'complete', { reply: '请携带身份证到警务室办理。' })).statusCode).toBe(200);
    await t.deps.db
      .updateTable('portal_submissions')
      .set({ submitted_at: new Date(Date.now() - 100 * 3_600_000 - 60_000) })
      .where('id', '=', old.id)
      .execute();

    const res = await t.call(chief, 'GET', `/api/v1/portal-reviews/stats?orgUnitId=${community}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json();
    expect(s.orgUnit).toEqual({ id: community, name: '统计测试社区警务区' });
    expect(s.rows).toEqual([
      {
        orgUnitId: gA,
        orgUnitName: '统计测试第一网格',
        floating: 2,
        floatingSelfDeclared: 1,
        selfDeclarationRate: 0.5,
        rentals: 2,
        rentalsRegistered: 1,
        rentalRegistrationRate: 0.5,
        pending: 2,
        oldestPendingHours: 100,
        pendingOver72h: 1,
        submitted30d: 3,
      },
      {
        orgUnitId: gB,
        orgUnitName: '统计测试第二网格',
        floating: 1,
        floatingSelfDeclared: 1,
        selfDeclarationRate: 1,
        rentals: 0,
        rentalsRegistered: 0,
        rentalRegistrationRate: null,
        pending: 0,
        oldestPendingHours: null,
        pendingOver72h: 0,
        submitted30d: 0,
      },
    ]);
    expect(s.total).toMatchObject({ orgUnitId: community, floating: 3, floatingSelfDeclared: 2, rentals: 2, rentalsRegistered: 1, pending: 2, oldestPendingHours: 100, pendingOver72h: 1, submitted30d: 3 });
    expect(s.total.selfDeclarationRate).toBeCloseTo(2 / 3);

    // the default is the caller's own unit; a unit outside the jurisdiction → 404
    const own = (await t.call(officer, 'GET', '/api/v1/portal-reviews/stats')).json();
    expect(own.orgUnit.id).toBe(await orgUnitId(t.deps, '371602005001'));
    expect(own.rows.map((r: Json) => r.orgUnitId)).toContain(grid1);
    expect((await t.call(szChief, 'GET', `/api/v1/portal-reviews/stats?orgUnitId=${community}`)).statusCode).toBe(404);
    expect((await t.call(gridworker, 'GET', '/api/v1/portal-reviews/stats')).statusCode).toBe(403);
  });
});
