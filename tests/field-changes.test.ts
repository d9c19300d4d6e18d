import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress, makeCreditCode, makeIdNumber, orgUnitId } from './support/registry-fixtures.js';
import { addForeignBranch } from './support/foreign.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createPerson, updatePerson } from '../src/server/modules/population/service.js';
import { putHousing } from '../src/server/modules/population/housing.js';
import { populationRepository } from '../src/server/modules/population/repository.js';
import { createUnit, updateUnit } from '../src/server/modules/units/service.js';
import { createUnit as createOrgUnit } from '../src/server/modules/org/service.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';

/** Changes to the registry collected in the field, and their review (docs/api-field.md "Sync", "Review of field changes"). */
let t: TestApp;
let worker: string;
let workerId: string;
let officer: string;
let officerId: string;
let chief: string;
let grid: string;
let foreignAddress: string;
let n = 0;
const sys = () => systemContext(Object.keys(PERMISSIONS));
const today = todayCst();

const syncOps = (token: string, ops: unknown[]) => t.call(token, 'POST', '/api/v1/field/sync', { ops });
const change = (kind: string, addressId: string, data: Record<string, unknown>, o: Record<string, unknown> = {}) => ({
  op: 'change',
  clientId: randomUUID(),
  kind,
  addressId,
  data,
  occurredAt: new Date().toISOString(),
  ...o,
});
async function send(op: Record<string, unknown>, token = worker) {
  const res = await syncOps(token, [op]);
  expect(res.statusCode).toBe(200);
  return res.json().results[0];
}
const room = () => insertAddress(t.deps, { grid });
async function resident(addressId: string, relation: 'householder' | 'spouse' | 'tenant' = 'householder') {
  const { person } = await createPerson(t.deps, sys(), { idNumber: makeIdNumber(5000 + ++n), name: `变更测试${n}`, phone: '13900000001', residence: { addressId, relation, fromDate: '2018-01-01' } });
  return person;
}
const versionOf = async (personId: string) => new Date((await populationRepository.personAnywhere(t.deps.db, personId))!.updated_at).toISOString();
const newPerson = (o: Record<string, unknown> = {}) => ({
  name: '新来租户',
  idNumber: makeIdNumber(7000 + ++n),
  phone: '13700001234',
  personType: 'floating',
  relation: 'tenant',
  fromDate: addDays(today, -3),
  hukouAddress: '河南省周口市川汇区人民路1号',
  expectedStayUntil: addDays(today, 300),
  ...o,
});

beforeAll(async () => {
  t = await createTestApp();
  worker = await t.login('gridworker');
  workerId = (await t.call(worker, 'GET', '/api/v1/auth/me')).json().id;
  officer = await t.login('officer');
  officerId = (await t.call(officer, 'GET', '/api/v1/auth/me')).json().id;
  chief = await t.login('chief');
  grid = await orgUnitId(t.deps, '371602005001001');
  const foreign = await addForeignBranch(t.deps);
  const fc = await createOrgUnit(t.deps, sys(), { parentId: foreign.stationId, kind: 'community', code: '371603001008', name: '沾化变更社区' });
  const fg = await createOrgUnit(t.deps, sys(), { parentId: fc.id, kind: 'grid', code: '371603001008001', name: '沾化变更网格' });
  foreignAddress = (await insertAddress(t.deps, { grid: fg.id, countyCode: '371603', fullText: '山东省滨州市沾化区富国街道变更路2号' })).id;
});
afterAll(() => t.close());

describe('changes arrive from the field', () => {
  it('stores a person_add pending, the identity number encrypted with its blind index, masked everywhere it is shown', async () => {
    const a = await room();
    const p = newPerson();
    const r = await send(change('person_add', a.id, p, { note: '房东带领入户核实' }));
    expect(r).toMatchObject({ status: 'created', kind: 'change', changeStatus: 'pending' });
    const row = await t.deps.db.selectFrom('field_changes').selectAll().where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', direct: false, org_unit_id: grid, address_id: a.id, worker_id: workerId });
    expect(row.summary).toBe('新增人员：新来租户（租户，流动人口）');
    expect(row.id_blinds).toHaveLength(1);
    expect(JSON.stringify(row.payload)).not.toContain(p.idNumber);
    const mine = await t.call(worker, 'GET', '/api/v1/field/me/changes?status=pending');
    expect(mine.json().items[0]).toMatchObject({ id: r.id, status: 'pending', summary: row.summary });
    expect(mine.body).not.toContain(p.idNumber);
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor_id', 'subject_ids']).where('action', '=', 'field.change.create').execute();
    expect(audit.some((x) => x.subject_ids.includes(r.id) && x.actor_id === workerId)).toBe(true);
  });

  it('checks each kind with the registry rules, errors relative to the op', async () => {
    const a = await room();
    const holder = await resident(a.id);
    const good = newPerson();
    const bad = good.idNumber.slice(0, 17) + (good.idNumber[17] === '1' ? '2' : '1');
    const ops = [
      change('person_add', a.id, newPerson({ idNumber: bad, name: '', phone: '123', zodiac: '龙' })),
      change('person_add', foreignAddress, newPerson()),
      change('person_add', a.id, newPerson({ relation: 'householder' })),
      change('person_add', a.id, newPerson({ personType: 'registered' })),
      change('person_update', a.id, { phone: '13700000000' }, { targetId: holder.id }),
      change('person_update', a.id, {}, { targetId: holder.id, baseVersion: await versionOf(holder.id) }),
      change('move_out', a.id, { toDate: addDays(today, 5) }, { targetId: randomUUID() }),
      change('housing_update', a.id, { use: 'castle', rooms: 1.5, leaseFrom: '2026-05-01', leaseTo: '2026-04-01' }),
      change('unit_add', a.id, { name: '测试商店', unitType: 'shop', creditCode: '91370000XXXXXXXXXX' }),
      change('unit_update', a.id, { name: '改名' }, { targetId: randomUUID(), baseVersion: new Date().toISOString() }),
      change('person_add', a.id, newPerson(), { targetId: holder.id }),
    ];
    const r = (await syncOps(worker, ops)).json().results;
    const fields = (i: number) => r[i].errors.map((e: { field: string }) => e.field).sort();
    expect(fields(0)).toEqual(['data.idNumber', 'data.name', 'data.phone', 'data.zodiac']);
    expect(r[0].errors.find((e: { field: string }) => e.field === 'data.idNumber').message).toMatch(/校验/);
    expect(fields(1)).toEqual(['addressId']);
    expect(fields(2)).toEqual(['data.relation']);
    expect(fields(3)).toEqual(['data.expectedStayUntil']);
    expect(fields(4)).toEqual(['baseVersion']);
    expect(fields(5)).toEqual(['data']);
    expect(fields(6)).toEqual(['data.toDate', 'targetId']);
    expect(fields(7)).toEqual(['data.leaseTo', 'data.rooms', 'data.use']);
    expect(fields(8)).toEqual(['data.creditCode', 'data.unitType']);
    expect(fields(9)).toEqual(['targetId']);
    expect(fields(10)).toEqual(['targetId']);
    for (const x of r) for (const e of x.errors) expect(e.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await t.deps.db.selectFrom('field_changes').select('id').where('client_id', 'in', ops.map((o) => o.clientId)).execute()).toEqual([]);
  });

  it('replays a change op (sequentially and concurrently) into one row', async () => {
    const a = await room();
    const op = change('person_add', a.id, newPerson());
    const first = await send(op);
    const again = await send({ ...op, data: {} });
    expect(again).toMatchObject({ status: 'replayed', id: first.id, changeStatus: 'pending' });
    const twin = change('housing_update', a.id, { use: 'vacant' });
    const both = await Promise.all([syncOps(worker, [twin]), syncOps(worker, [twin])]);
    const results = both.map((x) => x.json().results[0]);
    expect(new Set(results.map((x) => x.id)).size).toBe(1);
    expect(results.map((x) => x.status).sort()).toEqual(['created', 'replayed']);
    expect(await t.deps.db.selectFrom('field_changes').select('id').where('client_id', '=', twin.clientId).execute()).toHaveLength(1);
  });
});

describe('review by the community officer', () => {
  it('applies a person_add under the officer: the registry gets the person with the officer audit rows', async () => {
    const a = await room();
    const p = newPerson();
    const r = await send(change('person_add', a.id, p));
    const detail = await t.call(officer, 'GET', `/api/v1/field/changes/${r.id}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json()).toMatchObject({ kind: 'person_add', status: 'pending', matches: [], worker: { id: workerId } });
    expect(detail.json().proposal.find((x: { field: string }) => x.field === 'idNumber').value).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(detail.body).not.toContain(p.idNumber);
    const applied = await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, { note: '已电话核实' });
    expect(applied.statusCode).toBe(200);
    expect(applied.json()).toMatchObject({ status: 'applied', reviewerName: '张明', reviewNote: '已电话核实', result: { created: true } });
    const personId = applied.json().result.personId;
    const person = await populationRepository.personAnywhere(t.deps.db, personId);
    expect(person).toMatchObject({ name: '新来租户', person_type: 'floating', phone: '13700001234', org_unit_id: grid, expected_stay_until: p.expectedStayUntil });
    const res = await populationRepository.residencesOfPerson(t.deps.db, personId);
    expect(res[0]).toMatchObject({ address_id: a.id, relation: 'tenant', to_date: null, source: 'field' });
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'actor_id']).where(sql<boolean>`${personId} = ANY(subject_ids)`).execute();
    expect(audit).toEqual(expect.arrayContaining([{ action: 'person.create', actor_id: officerId }, { action: 'field.change.apply', actor_id: officerId }]));
    expect((await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, {})).statusCode).toBe(409);
    expect((await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/reject`, { reason: '晚了' })).statusCode).toBe(409);
    const mine = (await t.call(worker, 'GET', '/api/v1/field/me/changes?status=applied')).json();
    expect(mine.items[0]).toMatchObject({ id: r.id, status: 'applied', reviewNote: '已电话核实' });
  });

  it('moves an already registered person in instead of creating a duplicate (and says so)', async () => {
    const from = await room();
    const to = await room();
    const known = await resident(from.id);
    const id = (await populationRepository.personAnywhere(t.deps.db, known.id))!;
    expect(id).toBeTruthy();
    const number = makeIdNumber(5000 + n); // the number `resident` used
    const r = await send(change('person_add', to.id, newPerson({ idNumber: number, name: known.name, personType: 'registered', expectedStayUntil: undefined, relation: 'householder' })));
    const detail = (await t.call(officer, 'GET', `/api/v1/field/changes/${r.id}`)).json();
    expect(detail.matches).toEqual([{ personId: known.id, name: known.name, idMasked: expect.any(String), currentAddress: from.fullText, sameAddress: false, inScope: true }]);
    const applied = (await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, {})).json();
    expect(applied.result).toMatchObject({ personId: known.id, existing: true, movedIn: true });
    expect(applied.result.message).toContain('未新建人员');
    const rs = await populationRepository.residencesOfPerson(t.deps.db, known.id);
    expect(rs.find((x) => x.to_date === null)?.address_id).toBe(to.id);
    expect(rs.find((x) => x.address_id === from.id)?.to_date).not.toBeNull();
    expect(await t.deps.db.selectFrom('persons').select('id').where('name', '=', known.name).execute()).toHaveLength(1);
  });

  it('applies person_update, move_out, housing_update, unit_add and unit_update through the registry services', async () => {
    const a = await room();
    const holder = await resident(a.id);
    const spouse = await resident(a.id, 'spouse');
    const spouseResidence = (await populationRepository.residencesOfPerson(t.deps.db, spouse.id))[0];
    const u = await createUnit(t.deps, sys(), { creditCode: makeCreditCode(6001), name: '老字号烧饼店', addressId: a.id });
    const credit = makeCreditCode(6002);
    const ops = [
      change('person_update', a.id, { phone: '13611112222', hukouAddress: '山东省滨州市滨城区' }, { targetId: holder.id, baseVersion: await versionOf(holder.id) }),
      change('move_out', a.id, { toDate: today }, { targetId: spouseResidence.id }),
      change('housing_update', a.id, { use: 'vacant', rooms: 3, areaM2: 89.5, ownerName: '房主甲', ownerPhone: '13512345678' }),
      change('unit_add', a.id, { name: '新开便利店', unitType: 'individual', creditCode: credit, keyIndustry: null, contactName: '店主', contactPhone: '13612345678' }),
      change('unit_update', a.id, { contactName: '新联系人', status: 'closed' }, { targetId: u.id, baseVersion: u.updatedAt }),
    ];
    const results = (await syncOps(worker, ops)).json().results;
    expect(results.map((x: { changeStatus: string }) => x.changeStatus)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    const summaries = await t.deps.db.selectFrom('field_changes').select(['id', 'summary']).where('id', 'in', results.map((x: { id: string }) => x.id)).execute();
    expect(summaries.map((x) => x.summary).sort()).toEqual(
      [
        `人员信息变更：${holder.name}（联系电话、户籍地址）`,
        `人员迁出：${spouse.name}（${today}）`,
        '房屋信息变更：用途改为空置，及产权人、产权人电话、房间数、面积（平方米）',
        '新增单位：新开便利店（个体工商户）',
        '单位信息变更：老字号烧饼店（联系人、经营状态）',
      ].sort(),
    );
    for (const x of results) {
      const res = await t.call(officer, 'POST', `/api/v1/field/changes/${x.id}/apply`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe('applied');
    }
    expect(await populationRepository.personAnywhere(t.deps.db, holder.id)).toMatchObject({ phone: '13611112222', hukou_address: '山东省滨州市滨城区' });
    expect((await populationRepository.residenceById(t.deps.db, spouseResidence.id))?.to_date).toBe(today);
    expect(await populationRepository.housingByAddress(t.deps.db, a.id)).toMatchObject({ use: 'vacant', rooms: 3, owner_name: '房主甲', owner_phone: '13512345678' });
    expect(await t.deps.db.selectFrom('units').select(['name', 'address_id', 'org_unit_id']).where('credit_code', '=', credit).executeTakeFirst()).toEqual({ name: '新开便利店', address_id: a.id, org_unit_id: grid });
    expect(await t.deps.db.selectFrom('units').select(['contact_name', 'status']).where('id', '=', u.id).executeTakeFirst()).toEqual({ contact_name: '新联系人', status: 'closed' });
  });

  it('never applies silently over a registry changed meanwhile: conflict for worker and officer, override after seeing it', async () => {
    const a = await room();
    const holder = await resident(a.id);
    const base = await versionOf(holder.id);
    const r = await send(change('person_update', a.id, { phone: '13622223333' }, { targetId: holder.id, baseVersion: base }));
    expect(r.changeStatus).toBe('pending');
    // someone else edits the person in the registry
    await new Promise((ok) => setTimeout(ok, 5));
    await updatePerson(t.deps, sys(), holder.id, { phone: '13633334444' });
    // the officer who has not seen it tries override: still a conflict first
    const blind = await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, { override: true });
    expect(blind.statusCode).toBe(409);
    expect(blind.json()).toMatchObject({ reason: 'FIELD_CONFLICT', conflict: { fields: [{ field: 'phone', label: '联系电话', base: '139****0001', mine: '136****3333', current: '136****4444', changed: true }] } });
    expect((await populationRepository.personAnywhere(t.deps.db, holder.id))?.phone).toBe('13633334444');
    const mine = (await t.call(worker, 'GET', '/api/v1/field/me/changes?status=conflict')).json();
    expect(mine.items[0]).toMatchObject({ id: r.id, status: 'conflict', conflict: { fields: [expect.objectContaining({ field: 'phone' })] } });
    const detail = (await t.call(officer, 'GET', `/api/v1/field/changes/${r.id}`)).json();
    expect(detail).toMatchObject({ status: 'conflict', hasConflict: true, current: { fields: expect.arrayContaining([{ field: 'phone', label: '联系电话', value: '136****4444' }]) } });
    // a plain apply stays refused
    expect((await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, {})).statusCode).toBe(409);
    const over = await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, { override: true, note: '已与本人核实，以新号码为准' });
    expect(over.statusCode).toBe(200);
    expect(over.json()).toMatchObject({ status: 'applied', result: { override: true } });
    expect((await populationRepository.personAnywhere(t.deps.db, holder.id))?.phone).toBe('13622223333');
  });

  it('marks a change a conflict on arrival when the worker saw an old version, and move_out when the residence ended', async () => {
    const a = await room();
    const holder = await resident(a.id);
    const spouse = await resident(a.id, 'spouse');
    const residence = (await populationRepository.residencesOfPerson(t.deps.db, spouse.id))[0];
    const stale = await send(change('person_update', a.id, { name: '改个名' }, { targetId: holder.id, baseVersion: '2020-01-01T00:00:00.000Z' }));
    expect(stale.changeStatus).toBe('conflict');
    const out = await send(change('move_out', a.id, { toDate: today }, { targetId: residence.id }));
    await t.deps.db.updateTable('residences').set({ to_date: addDays(today, -1) }).where('id', '=', residence.id).execute();
    const res = await t.call(officer, 'POST', `/api/v1/field/changes/${out.id}/apply`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().conflict.message).toContain('已于');
    // housing recorded by someone else after a worker saw none
    await putHousing(t.deps, sys(), a.id, { use: 'self' });
    const h = await send(change('housing_update', a.id, { use: 'vacant' }));
    expect(h.changeStatus).toBe('conflict');
  });

  it('two officers applying at once: one applies, the other gets 409, one person is created', async () => {
    const a = await room();
    const p = newPerson();
    const r = await send(change('person_add', a.id, p));
    const [x, y] = await Promise.all([t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, {}), t.call(chief, 'POST', `/api/v1/field/changes/${r.id}/apply`, {})]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const blinds = await t.deps.db.selectFrom('field_changes').select('id_blinds').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(await t.deps.db.selectFrom('persons').select('id').where('id_blind', '=', blinds.id_blinds[0]).execute()).toHaveLength(1);
    const applies = await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'field.change.apply').where(sql<boolean>`${r.id} = ANY(subject_ids)`).execute();
    expect(applies).toHaveLength(1);
  });

  it('a registry rule refusing an apply leaves the change as it was (nothing half-applied)', async () => {
    const a = await room();
    await resident(a.id);
    // a tenant with a move-in date the registry refuses by the time of review: before the birth date
    const p = newPerson({ idNumber: makeIdNumber(9100, { birth: '20010101' }) });
    const r = await send(change('person_add', a.id, p));
    await t.deps.db
      .updateTable('field_changes')
      .set({ payload: JSON.stringify({ ...(await t.deps.db.selectFrom('field_changes').select('payload').where('id', '=', r.id).executeTakeFirstOrThrow()).payload, data: { ...newPerson(), idNumber: 'x', fromDate: '1990-01-01' } }) })
      .where('id', '=', r.id)
      .execute();
    const res = await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, {});
    expect(res.statusCode).toBe(400);
    const row = await t.deps.db.selectFrom('field_changes').select(['status', 'result', 'reviewed_by']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'pending', result: null, reviewed_by: null });
    const blind = (await t.deps.db.selectFrom('field_changes').select('id_blinds').where('id', '=', r.id).executeTakeFirstOrThrow()).id_blinds[0];
    expect(await t.deps.db.selectFrom('persons').select('id').where('id_blind', '=', blind).execute()).toEqual([]);
    // and it can still be handled
    expect((await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/reject`, { reason: '迁入日期有误，请核实后重报' })).statusCode).toBe(200);
  });

  it('rejects with a reason the worker sees; counts as returned', async () => {
    const a = await room();
    const r = await send(change('housing_update', a.id, { use: 'business' }));
    expect((await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/reject`, { reason: 'x' })).statusCode).toBe(400);
    const res = await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/reject`, { reason: '实地为自住，不是经营用房' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'rejected', reviewNote: '实地为自住，不是经营用房' });
    const row = await t.deps.db.selectFrom('field_changes').select(['status', 'reviewed_by', 'reviewed_at']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.reviewed_by).toBe(officerId);
    expect(row.reviewed_at).not.toBeNull();
    expect((await t.call(officer, 'POST', `/api/v1/field/changes/${r.id}/apply`, {})).statusCode).toBe(409);
    const mine = (await t.call(worker, 'GET', '/api/v1/field/me/changes?status=rejected')).json();
    expect(mine.items[0]).toMatchObject({ id: r.id, reviewNote: '实地为自住，不是经营用房' });
  });

  it('lists the queue in scope, open ones first by age; audited; hidden from other jurisdictions and roles', async () => {
    const list = await t.call(officer, 'GET', '/api/v1/field/changes?pageSize=100');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ status: string; receivedAt: string }>;
    const open = items.filter((x) => x.status === 'pending' || x.status === 'conflict');
    expect(items.slice(0, open.length)).toEqual(open);
    expect(open.map((x) => x.receivedAt)).toEqual([...open.map((x) => x.receivedAt)].sort());
    expect((await t.call(officer, 'GET', `/api/v1/field/changes?kind=person_add&workerId=${workerId}`)).json().items.every((x: { kind: string }) => x.kind === 'person_add')).toBe(true);
    expect(await t.deps.db.selectFrom('audit_log').select('id').where('action', '=', 'field.change.list').execute()).not.toHaveLength(0);
    expect((await t.call(worker, 'GET', '/api/v1/field/changes')).statusCode).toBe(403);
    const command = await t.login('command');
    expect((await t.call(command, 'GET', '/api/v1/field/changes')).statusCode).toBe(200);
    const some = items[0] as unknown as { id: string };
    expect((await t.call(command, 'POST', `/api/v1/field/changes/${some.id}/apply`, {})).statusCode).toBe(403);
    const ftok = await t.login('zhanhua', 'Foreign123');
    expect((await t.call(ftok, 'GET', `/api/v1/field/changes/${some.id}`)).statusCode).toBe(403);
    const outsider = await createOrgUnit(t.deps, sys(), { parentId: await orgUnitId(t.deps, '371602005'), kind: 'community', code: '371602005077', name: '隔壁社区' });
    const { createUser } = await import('../src/server/modules/users/service.js');
    await createUser(t.deps, sys(), { username: 'nextofficer', displayName: '隔壁民警', password: 'Nextdoor123', orgUnitId: outsider.id, roles: ['officer'], mustChangePassword: false });
    const next = await t.login('nextofficer', 'Nextdoor123');
    expect((await t.call(next, 'GET', `/api/v1/field/changes/${some.id}`)).statusCode).toBe(404);
    expect((await t.call(next, 'POST', `/api/v1/field/changes/${some.id}/apply`, {})).statusCode).toBe(404);
    expect((await t.call(next, 'GET', '/api/v1/field/changes')).json().total).toBe(0);
  });
});

describe('direct changes', () => {
  it('a worker with a grant changes the registry at once under their own name; the grant is listed and audited', async () => {
    const grants = await t.call(officer, 'GET', '/api/v1/field/grants');
    expect(grants.statusCode).toBe(200);
    expect(grants.json().find((g: { userId: string }) => g.userId === workerId)).toMatchObject({ name: '王秀英', direct: false, roles: ['gridworker'] });
    const on = await t.call(officer, 'PUT', `/api/v1/field/grants/${workerId}`, { direct: true, note: '业务熟练，授权直接变更' });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ userId: workerId, direct: true, grantedByName: '张明', note: '业务熟练，授权直接变更' });
    expect(await t.deps.db.selectFrom('audit_log').select('subject_ids').where('action', '=', 'field.grant').execute()).toEqual([{ subject_ids: [workerId] }]);
    // not a collector (officer) or not in scope: 404
    expect((await t.call(officer, 'PUT', `/api/v1/field/grants/${officerId}`, { direct: true })).statusCode).toBe(404);
    expect((await t.call(worker, 'GET', '/api/v1/field/grants')).statusCode).toBe(403);

    const a = await room();
    const p = newPerson();
    const r = await send(change('person_add', a.id, p));
    expect(r.changeStatus).toBe('applied');
    const row = await t.deps.db.selectFrom('field_changes').select(['direct', 'status', 'result', 'reviewed_by']).where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ direct: true, status: 'applied', reviewed_by: workerId });
    const personId = (row.result as { personId: string }).personId;
    const audit = await t.deps.db.selectFrom('audit_log').select(['action', 'actor_id']).where(sql<boolean>`${personId} = ANY(subject_ids)`).execute();
    expect(audit).toEqual(expect.arrayContaining([{ action: 'person.create', actor_id: workerId }]));

    // a unit without a credit code gets a registration number of its own
    const shop = await send(change('unit_add', a.id, { name: '无照小店', unitType: 'individual' }));
    expect(shop.changeStatus).toBe('applied');
    // a refusal by the registry leaves it pending for the officer, with the reason
    const elsewhere = await room();
    const holder = await resident(elsewhere.id);
    const number = makeIdNumber(5000 + n);
    const early = await send(change('person_add', a.id, newPerson({ idNumber: number, name: holder.name, personType: 'registered', expectedStayUntil: undefined, fromDate: '2017-06-01' })));
    expect(early.changeStatus).toBe('pending');
    const mine = (await t.call(worker, 'GET', '/api/v1/field/me/changes?status=pending')).json().items.find((x: { id: string }) => x.id === early.id);
    expect(mine.result.applyError.message).toMatch(/迁入日期/);
    expect((await populationRepository.residencesOfPerson(t.deps.db, holder.id)).find((x) => x.to_date === null)?.address_id).toBe(elsewhere.id);
    const stale = await send(change('person_update', a.id, { phone: '13655556666' }, { targetId: holder.id, baseVersion: '2020-01-01T00:00:00.000Z' }));
    expect(stale.changeStatus).toBe('conflict');
    expect((await populationRepository.personAnywhere(t.deps.db, holder.id))?.phone).toBe('13900000001');

    const off = await t.call(officer, 'PUT', `/api/v1/field/grants/${workerId}`, { direct: false });
    expect(off.json().direct).toBe(false);
    expect((await send(change('person_add', a.id, newPerson()))).changeStatus).toBe('pending');
  });
});

describe('units changed by unit_update conflict too', () => {
  it('a unit edited after the worker saw it', async () => {
    const a = await room();
    const u = await createUnit(t.deps, sys(), { creditCode: makeCreditCode(6100), name: '冲突测试店', addressId: a.id });
    await new Promise((ok) => setTimeout(ok, 5));
    await updateUnit(t.deps, sys(), u.id, { contactName: '别人改的' });
    const r = await send(change('unit_update', a.id, { contactName: '我改的' }, { targetId: u.id, baseVersion: u.updatedAt }));
    expect(r.changeStatus).toBe('conflict');
    const row = await t.deps.db.selectFrom('field_changes').select('conflict').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(row.conflict).toMatchObject({ fields: [{ field: 'contactName', label: '联系人', base: null, mine: '我改的', current: '别人改的', changed: true }] });
  });
});
