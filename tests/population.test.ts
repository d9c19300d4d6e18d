import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { v4 as uuidv4 } from 'uuid';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createPerson } from '../src/server/modules/population/service.js';
import { nextEndorsement, todayCst } from '../src/server/modules/population/rules.js';
import { createRegistryTestApp, insertAddress, makeIdNumber, orgUnitId, neighbourChief } from './support/registry-fixtures.js';
import type { TestApp } from './support/app.js';

let t: TestApp;
let officer: string;
let gridworker: string;
let caseofficer: string;
let supervisor: string;
let chief: string;
let szChief: string; // the chief of 市中派出所: another station of the same branch
let grid1: string; // 学苑社区第一网格
let szGrid: string; // 渤海社区第一网格 (市中派出所)
let seq = 0;
const sys = systemContext(Object.keys(PERMISSIONS));
const nextId = (o: Parameters<typeof makeIdNumber>[1] = {}) => makeIdNumber(1000 + ++seq, o);

/** A parsed JSON body, as loosely typed as `res.json()`. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Registers through the API; without a residence the record goes to 学苑社区第一网格, where every test actor sees it. */
async function register(token: string, body: Record<string, unknown>) {
  const res = await t.call(token, 'POST', '/api/v1/persons', body.residence || body.orgUnitId ? body : { ...body, orgUnitId: grid1 });
  if (res.statusCode !== 201) throw new Error(`register: ${res.statusCode} ${res.body}`);
  return res.json() as Json;
}

async function auditRows(action: string): Promise<Json[]> {
  const res = await t.call(supervisor, 'GET', `/api/v1/audit?action=${action}&pageSize=50`);
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

beforeAll(async () => {
  t = await createRegistryTestApp();
  [officer, gridworker, caseofficer, supervisor, chief] = await Promise.all(['officer', 'gridworker', 'caseofficer', 'supervisor', 'chief'].map((u) => t.login(u)));
  grid1 = await orgUnitId(t.deps, '371602005001001');
  szGrid = await orgUnitId(t.deps, '371602001001001');
  szChief = await neighbourChief(t);
});
afterAll(() => t.close());

describe('registering a person', () => {
  it('refuses an invalid identity number with the standard\'s reason, naming idNumber', async () => {
    const good = nextId();
    const badCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const cases: Array<[string, string]> = [
      [badCheck, '公民身份号码校验位错误'],
      ['371602199113010012', '公民身份号码中的出生日期不存在'],
      ['37160219900230001X', '公民身份号码中的出生日期不存在'],
      [good.slice(0, 15), '公民身份号码应为18位，15位旧号码仅在导入时接受'],
      ['37160219900101001', '公民身份号码应为18位'],
      ['3716021990010100AX', '公民身份号码前17位只能是数字，最后一位只能是数字或X'],
    ];
    for (const [idNumber, message] of cases) {
      const res = await t.call(officer, 'POST', '/api/v1/persons', { idNumber, name: '错号码' });
      expect(res.statusCode, idNumber).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors, idNumber).toEqual([{ field: 'idNumber', message }]);
    }
    const future = `371602${Number(todayCst().slice(0, 4)) + 1}0101001`;
    const res = await t.call(officer, 'POST', '/api/v1/persons', { idNumber: future + 'X', name: '未来人' });
    expect(res.json().errors[0].field).toBe('idNumber');
  });

  it('accepts a lower-case x, derives birth date, sex and region, and stores no clear number', async () => {
    let n = 0;
    let idx = '';
    while (!idx.endsWith('X')) idx = makeIdNumber(5000 + ++n, { sex: 'F', region: '371602' });
    const p = await register(officer, { idNumber: idx.toLowerCase(), name: '王小雨', phone: '139 0543 7777', ethnicity: '汉族' });
    expect(p).toMatchObject({ name: '王小雨', sex: 'F', idNumber: `371602********${idx.slice(-4)}`, idMasked: true, birthDate: null, phone: '13905437777', personType: 'registered' });
    expect(p.age).toBeGreaterThan(20);
    const raw = await sql<Record<string, unknown>>`SELECT * FROM persons WHERE id = ${p.id}`.execute(t.deps.db);
    const row = raw.rows[0];
    const dump = JSON.stringify(row);
    expect(dump).not.toContain(idx);
    expect(dump.toUpperCase()).not.toContain(idx.slice(0, 14)); // not even region + birth date as one string
    expect(row.id_cipher).toMatch(/^v1\./);
    expect(row.id_blind).toMatch(/^[0-9a-f]{64}$/);
    expect(row).toMatchObject({ id_last4: idx.slice(-4), region_code: '371602', sex: 'F', id_legacy: false, birth_date: `${idx.slice(6, 10)}-${idx.slice(10, 12)}-${idx.slice(12, 14)}` });
    const audit = await sql<{ n: number }>`SELECT count(*)::int AS n FROM audit_log WHERE detail::text ILIKE ${`%${idx.slice(6, 14)}%`}`.execute(t.deps.db);
    expect(audit.rows[0].n).toBe(0);
    const full = (await t.call(officer, 'GET', `/api/v1/persons/${p.id}?full=1&purpose=${encodeURIComponent('户籍核对测试')}`)).json();
    expect(full.person.idNumber).toBe(idx); // normalised to upper case
    expect(full.person.birthDate).toBe(row.birth_date);
  });

  it('computes pinyin keys with surname readings', async () => {
    const p = await register(officer, { idNumber: nextId(), name: '单田芳' });
    expect(p).toMatchObject({ namePinyin: 'shantianfang', nameInitials: 'stf' });
  });

  it('answers a second record with the same number 409, and two concurrent creations one 201 and one 409', async () => {
    const idNumber = nextId();
    const first = await register(officer, { idNumber, name: '重复甲' });
    const dup = await t.call(officer, 'POST', '/api/v1/persons', { idNumber: ` ${idNumber.toLowerCase()} `, name: '重复乙' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors).toEqual([{ field: 'idNumber', message: '该公民身份号码已登记' }]);
    expect(dup.json().existingPersonId).toBe(first.id);
    // someone outside the jurisdiction learns that the number is taken, but not which record holds it
    const outside = await t.call(szChief, 'POST', '/api/v1/persons', { idNumber, name: '重复丙' });
    expect(outside.statusCode).toBe(409);
    expect(outside.json().existingPersonId).toBeUndefined();

    const twin = nextId();
    const results = await Promise.all([t.call(officer, 'POST', '/api/v1/persons', { idNumber: twin, name: '并发甲' }), t.call(gridworker, 'POST', '/api/v1/persons', { idNumber: twin, name: '并发乙' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const search = (await t.call(officer, 'GET', `/api/v1/persons?q=${twin}`)).json();
    expect(search.total).toBe(1);
  });

  it('a retry with the same clientId returns the first result, also when both arrive together', async () => {
    const clientId = '01931234-5678-7abc-8def-0123456789ab';
    const body = { idNumber: nextId(), name: '重试人', clientId };
    const first = await t.call(gridworker, 'POST', '/api/v1/persons', body);
    expect(first.statusCode).toBe(201);
    const retry = await t.call(gridworker, 'POST', '/api/v1/persons', body);
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().id).toBe(first.json().id);
    const other = await t.call(officer, 'POST', '/api/v1/persons', { ...body, idNumber: nextId() });
    expect(other.statusCode).toBe(409);
    expect(other.json().errors[0].field).toBe('clientId');

    const together = { idNumber: nextId(), name: '同时重试', clientId: '01931234-5678-7abc-8def-0123456789ac' };
    const both = await Promise.all([t.call(gridworker, 'POST', '/api/v1/persons', together), t.call(gridworker, 'POST', '/api/v1/persons', together)]);
    expect(both.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(both[0].json().id).toBe(both[1].json().id);
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM persons WHERE name IN ('重试人', '同时重试')`.execute(t.deps.db);
    expect(count.rows[0].n).toBe(2);
  });

  it('a copy that starts while the first is part-way through still gets the first result, however far apart they start', async () => {
    // the second copy's look-up for its clientId can come before the first commits and its duplicate check after:
    // starting it a varying time later puts that moment at every step of the first
    const started = Date.now();
    await t.call(gridworker, 'POST', '/api/v1/persons', { idNumber: nextId(), name: '错峰重试', clientId: uuidv4() });
    const one = Math.max(Date.now() - started, 4);
    for (let round = 0; round < 39; round++) {
      const step = round % 13;
      const body = { idNumber: nextId(), name: '错峰重试', clientId: uuidv4() };
      const first = t.call(gridworker, 'POST', '/api/v1/persons', body);
      await new Promise((r) => setTimeout(r, (one * step) / 12));
      const second = t.call(gridworker, 'POST', '/api/v1/persons', body);
      const both = await Promise.all([first, second]);
      expect(both.map((r) => r.statusCode), `started ${step}/12 of one request apart`).toEqual([201, 201]);
      expect(both[1].json().id).toBe(both[0].json().id);
    }
    const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM persons WHERE name = '错峰重试'`.execute(t.deps.db);
    expect(count.rows[0].n).toBe(40);
  });

  it('floating persons carry registration and residence-permit dates; the next endorsement follows the permit', async () => {
    const issued = '2025-03-15';
    const p = await register(officer, { idNumber: nextId({ region: '370102' }), name: '流动甲', personType: 'floating', floatingRegisteredOn: '2024-09-01', expectedStayUntil: '2027-09-01', permitIssuedOn: issued, hukouAddress: '山东省济南市历下区' });
    expect(p.personType).toBe('floating');
    expect(p.permitEndorsement).toEqual(nextEndorsement(issued, todayCst()));
    const raw = await sql<{ permit_next_endorsement: string }>`SELECT permit_next_endorsement FROM persons WHERE id = ${p.id}`.execute(t.deps.db);
    expect(raw.rows[0].permit_next_endorsement).toBe(nextEndorsement(issued, todayCst()).anniversary);
    const wrong = await t.call(officer, 'POST', '/api/v1/persons', { idNumber: nextId(), name: '户籍甲', permitIssuedOn: issued, floatingRegisteredOn: '2099-01-01', personType: 'floating' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors.map((e: Json) => e.field)).toEqual(['floatingRegisteredOn']);
    const registered = await t.call(officer, 'POST', '/api/v1/persons', { idNumber: nextId(), name: '户籍乙', permitIssuedOn: issued });
    expect(registered.json().errors[0]).toMatchObject({ field: 'permitIssuedOn' });
  });

  it('overseas persons are registered by nationality and passport instead of an identity number', async () => {
    const missing = await t.call(officer, 'POST', '/api/v1/persons', { name: 'John Smith', personType: 'overseas' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().errors.map((e: Json) => e.field).sort()).toEqual(['nationality', 'passportNo']);
    const p = await register(officer, { name: 'John Smith', personType: 'overseas', nationality: 'GBR', passportNo: 'k1234567', passportExpiry: '2030-05-01' });
    expect(p).toMatchObject({ idKind: 'passport', idNumber: null, passportNo: 'K****567', namePinyin: 'johnsmith', nameInitials: 'js' });
    const dup = await t.call(officer, 'POST', '/api/v1/persons', { name: 'J. Smith', personType: 'overseas', nationality: 'GBR', passportNo: 'K1234567' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].field).toBe('passportNo');
    const found = (await t.call(officer, 'GET', '/api/v1/persons?q=K1234567')).json();
    expect(found.items.map((i: Json) => i.id)).toEqual([p.id]);
    const noId = await t.call(officer, 'POST', '/api/v1/persons', { name: '无证', personType: 'registered' });
    expect(noId.json().errors).toEqual([{ field: 'idNumber', message: '请填写公民身份号码' }]);
  });

  it('places the record in the caller\'s unit by default and refuses units outside the jurisdiction', async () => {
    const res = await t.call(officer, 'POST', '/api/v1/persons', { idNumber: nextId(), name: '默认单位' });
    expect(res.json().orgUnit.name).toBe('学苑社区警务区');
    const out = await t.call(officer, 'POST', '/api/v1/persons', { idNumber: nextId(), name: '越权单位', orgUnitId: szGrid });
    expect(out.statusCode).toBe(400);
    expect(out.json().errors).toEqual([{ field: 'orgUnitId', message: '所属单位不存在或不在您的辖区内' }]);
  });

  it('updates fields, recomputes pinyin and audits field names only', async () => {
    const p = await register(officer, { idNumber: nextId(), name: '改名前' });
    const res = await t.call(officer, 'PATCH', `/api/v1/persons/${p.id}`, { name: '曾小贤', phone: '0543-3161234', hukouAddress: '山东省滨州市' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: '曾小贤', namePinyin: 'zengxiaoxian', phone: '05433161234' });
    const bad = await t.call(officer, 'PATCH', `/api/v1/persons/${p.id}`, { idNumber: '371602199001010010' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('idNumber');
    const rows = await auditRows('person.update');
    expect(rows[0]).toMatchObject({ subjectIds: [p.id], detail: { fields: ['name', 'phone', 'hukouAddress'] } });
  });
});

describe('residence history', () => {
  let a1: { id: string; fullText: string };
  let a2: { id: string; fullText: string };
  let father: Json;
  let mother: Json;
  let child: Json;

  beforeAll(async () => {
    a1 = await insertAddress(t.deps, { grid: grid1, fullText: '山东省滨州市滨城区彭李街道学苑社区黄河十二路599号香园小区3号楼2单元501室' });
    a2 = await insertAddress(t.deps, { grid: '371602005001002', fullText: '山东省滨州市滨城区彭李街道学苑社区黄河十二路601号香园小区5号楼1单元202室' });
    father = await register(officer, { idNumber: nextId({ sex: 'M' }), name: '陈建国', residence: { addressId: a1.id, relation: 'householder', fromDate: '2015-03-01' } });
    mother = await register(officer, { idNumber: nextId({ sex: 'F' }), name: '林秀珍' });
    child = await register(officer, { idNumber: makeIdNumber(1, { birth: '20180501', sex: 'M' }), name: '陈小宝' });
  });

  it('moving in records the residence and the record follows the address\'s grid', async () => {
    expect(father.orgUnit).toEqual({ id: grid1, name: '学苑社区第一网格' });
    const m = await t.call(officer, 'POST', `/api/v1/persons/${mother.id}/residences`, { addressId: a1.id, relation: 'spouse', fromDate: '2016-06-01' });
    expect(m.statusCode).toBe(201);
    expect(m.json()).toMatchObject({ relation: 'spouse', relationName: '配偶', fromDate: '2016-06-01', toDate: null, current: true, address: { id: a1.id, fullText: a1.fullText } });
    const c = await t.call(gridworker, 'POST', `/api/v1/persons/${child.id}/residences`, { addressId: a1.id, relation: 'child', fromDate: '2018-05-01' });
    expect(c.statusCode).toBe(201);
    const page = (await t.call(officer, 'GET', `/api/v1/persons/${mother.id}`)).json();
    expect(page.person.orgUnit.id).toBe(grid1);
  });

  it('refuses impossible dates and a second householder', async () => {
    const before = await t.call(officer, 'POST', `/api/v1/persons/${child.id}/residences`, { addressId: a2.id, relation: 'child', fromDate: '2017-01-01', toDate: '2017-06-01' });
    expect(before.statusCode).toBe(400);
    expect(before.json().errors[0]).toMatchObject({ field: 'fromDate', message: '迁入日期不能早于出生日期' });
    const future = await t.call(officer, 'POST', `/api/v1/persons/${mother.id}/residences`, { addressId: a2.id, relation: 'spouse', fromDate: '2099-01-01', closePrevious: true });
    expect(future.json().errors[0].field).toBe('fromDate');
    const other = await register(officer, { idNumber: nextId(), name: '第二户主' });
    const second = await t.call(officer, 'POST', `/api/v1/persons/${other.id}/residences`, { addressId: a1.id, relation: 'householder', fromDate: '2020-01-01' });
    expect(second.statusCode).toBe(409);
    expect(second.json().errors[0].field).toBe('relation');
    const road = await insertAddress(t.deps, { grid: grid1, level: 'road', fullText: '山东省滨州市滨城区彭李街道学苑社区黄河十二路' });
    const onRoad = await t.call(officer, 'POST', `/api/v1/persons/${other.id}/residences`, { addressId: road.id, relation: 'tenant', fromDate: '2020-01-01' });
    expect(onRoad.statusCode).toBe(400);
    expect(onRoad.json().errors[0].field).toBe('addressId');
  });

  it('moving elsewhere while a residence is current asks for closePrevious, then closes it without deleting', async () => {
    const refused = await t.call(officer, 'POST', `/api/v1/persons/${father.id}/residences`, { addressId: a2.id, relation: 'householder', fromDate: '2024-07-01' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().errors[0].field).toBe('closePrevious');
    expect(refused.json().detail).toContain('closePrevious');
    const moved = await t.call(officer, 'POST', `/api/v1/persons/${father.id}/residences`, { addressId: a2.id, relation: 'householder', fromDate: '2024-07-01', closePrevious: true });
    expect(moved.statusCode).toBe(201);
    const page = (await t.call(officer, 'GET', `/api/v1/persons/${father.id}`)).json();
    expect(page.residences.map((r: Json) => [r.address.id, r.fromDate, r.toDate])).toEqual([
      [a2.id, '2024-07-01', null],
      [a1.id, '2015-03-01', '2024-07-01'],
    ]);
    expect(page.person.orgUnit.name).toBe('学苑社区第二网格');
    const rows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM residences WHERE person_id = ${father.id}`.execute(t.deps.db);
    expect(rows.rows[0].n).toBe(2);
    const overlap = await t.call(officer, 'POST', `/api/v1/persons/${father.id}/residences`, { addressId: a1.id, relation: 'relative', fromDate: '2020-01-01', toDate: '2021-01-01' });
    expect(overlap.statusCode).toBe(409);
  });

  it('ending a residence closes it, never deletes it, and cannot be done twice', async () => {
    const page = (await t.call(officer, 'GET', `/api/v1/persons/${child.id}`)).json();
    const rid = page.residences[0].id;
    const early = await t.call(officer, 'POST', `/api/v1/residences/${rid}/end`, { toDate: '2018-01-01' });
    expect(early.statusCode).toBe(400);
    expect(early.json().errors[0].field).toBe('toDate');
    const ended = await t.call(officer, 'POST', `/api/v1/residences/${rid}/end`, { toDate: '2025-09-01' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json()).toMatchObject({ id: rid, toDate: '2025-09-01', current: false });
    const again = await t.call(officer, 'POST', `/api/v1/residences/${rid}/end`, { toDate: '2025-10-01' });
    expect(again.statusCode).toBe(409);
    const row = await sql<{ to_date: string }>`SELECT to_date FROM residences WHERE id = ${rid}`.execute(t.deps.db);
    expect(row.rows[0].to_date).toBe('2025-09-01');
  });

  it('lists who lived at an address on a given day, with their relation', async () => {
    const at = async (date: string) => {
      const res = await t.call(officer, 'GET', `/api/v1/addresses/${a1.id}/residents?date=${date}`);
      expect(res.statusCode).toBe(200);
      return res.json().residents.map((r: Json) => `${r.name}:${r.relation}`);
    };
    expect(await at('2016-01-01')).toEqual(['陈建国:householder']);
    expect(await at('2019-01-01')).toEqual(['陈建国:householder', '林秀珍:spouse', '陈小宝:child']);
    expect(await at('2024-06-30')).toEqual(['陈建国:householder', '林秀珍:spouse', '陈小宝:child']);
    expect(await at('2024-07-01')).toEqual(['林秀珍:spouse', '陈小宝:child']); // moved out on that day
    expect(await at('2025-09-01')).toEqual(['林秀珍:spouse']);
    const today = (await t.call(officer, 'GET', `/api/v1/addresses/${a1.id}/residents`)).json();
    expect(today.date).toBe(todayCst());
    expect(today.residents[0]).toMatchObject({ name: '林秀珍', relationName: '配偶', idNumber: expect.stringMatching(/^371602\*{8}[0-9X]{4}$/) });
    expect(today.residents[0].birthDate).toBeUndefined();
    const rows = await auditRows('address.residents');
    expect(rows[0]).toMatchObject({ actorName: '张明(officer)', subjectIds: [mother.id], detail: { addressId: a1.id } });
  });
});

describe('search', () => {
  const people: Record<string, Json> = {};
  const ids: Record<string, string> = {};
  let street: { id: string; fullText: string };

  beforeAll(async () => {
    street = await insertAddress(t.deps, { grid: grid1, fullText: '山东省滨州市滨城区彭李街道学苑社区张金路88号' });
    const other = await insertAddress(t.deps, { grid: grid1, fullText: '山东省滨州市滨城区彭李街道学苑社区渤海十路3号' });
    const add = async (key: string, name: string, extra: Record<string, unknown> = {}) => {
      ids[key] = nextId();
      people[key] = await register(officer, { idNumber: ids[key], name, ...extra });
    };
    await add('zjm', '张金明', { phone: '13905431234', residence: { addressId: other.id, relation: 'householder', fromDate: '2019-01-01' } });
    await add('zj', '张金');
    await add('zjh', '张金花');
    await add('li', '李四', { residence: { addressId: street.id, relation: 'householder', fromDate: '2020-01-01' } });
    await add('moved', '王五', { residence: { addressId: street.id, relation: 'tenant', fromDate: '2020-01-01' } });
    await add('shan', '单雄信');
    const r = (await t.call(officer, 'GET', `/api/v1/persons/${people.moved.id}`)).json().residences[0];
    await t.call(officer, 'POST', `/api/v1/residences/${r.id}/end`, { toDate: '2024-01-01' });
  });

  const search = async (token: string, q: string, extra = '') => {
    const res = await t.call(token, 'GET', `/api/v1/persons?q=${encodeURIComponent(q)}${extra}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Json[]; total: number; page: number; pageSize: number };
  };

  it('finds by exact identity number through the blind index, masked', async () => {
    const r = await search(gridworker, ids.zjm.toLowerCase());
    expect(r.items.map((i) => i.id)).toEqual([people.zjm.id]);
    expect(r.items[0]).toMatchObject({ matchedBy: 'id_number', idNumber: `371602********${ids.zjm.slice(-4)}`, phone: '139****1234' });
    expect(r.items[0].birthDate).toBeUndefined();
  });

  it('ranks an exact name before name prefixes before addresses', async () => {
    const r = await search(officer, '张金');
    expect(r.items.map((i) => `${i.name}:${i.matchedBy}`)).toEqual(['张金:name', '张金花:name_prefix', '张金明:name_prefix', '李四:address']);
    expect(r.total).toBe(4);
  });

  it('finds by full pinyin, initials and pinyin prefix, exact matches first', async () => {
    expect((await search(officer, 'zhangjinming')).items.map((i) => `${i.name}:${i.matchedBy}`)).toEqual(['张金明:pinyin']);
    expect((await search(officer, 'ZJM')).items.map((i) => `${i.name}:${i.matchedBy}`)).toEqual(['张金明:initials']);
    const prefix = await search(officer, 'zhangjin');
    expect(prefix.items.map((i) => `${i.name}:${i.matchedBy}`)).toEqual(['张金:pinyin', '张金花:pinyin_prefix', '张金明:pinyin_prefix']);
    // a surname with two readings is found by both
    expect((await search(officer, 'shanxiongxin')).items.map((i) => i.name)).toEqual(['单雄信']);
    expect((await search(officer, 'danxiongxin')).items.map((i) => i.name)).toEqual(['单雄信']);
  });

  it('finds by phone number, whole or in part', async () => {
    expect((await search(officer, '13905431234')).items.map((i) => `${i.name}:${i.matchedBy}`)).toEqual(['张金明:phone']);
    expect((await search(officer, '5431234')).items.map((i) => `${i.name}:${i.matchedBy}`)).toEqual(['张金明:phone_partial']);
  });

  it('finds by the text of the current address only', async () => {
    const r = await search(officer, '张金路88号');
    expect(r.items.map((i) => `${i.name}:${i.matchedBy}`)).toEqual(['李四:address']);
    expect(r.items[0].currentAddress).toBe(street.fullText);
  });

  it('finds a legacy 15-digit number by either form', async () => {
    const upgraded = nextId({ birth: '19650412' });
    const legacy = upgraded.slice(0, 6) + upgraded.slice(8, 17);
    const { person } = await createPerson(t.deps, sys, { idNumber: legacy, name: '老号码', orgUnitId: grid1 }, { allowLegacy: true, source: 'import' });
    expect(person).toMatchObject({ idLegacy: true, idNumber: `371602*****${legacy.slice(-4)}` });
    expect((await search(officer, legacy)).items.map((i) => i.id)).toEqual([person.id]);
    expect((await search(officer, upgraded)).items.map((i) => i.id)).toEqual([person.id]);
    const dup = await t.call(officer, 'POST', '/api/v1/persons', { idNumber: upgraded, name: '新号码' });
    expect(dup.statusCode).toBe(409);
  });

  it('paginates', async () => {
    const p1 = await search(officer, '张', '&pageSize=2&page=1');
    const p2 = await search(officer, '张', '&pageSize=2&page=2');
    expect(p1.total).toBe(p2.total);
    expect(p1.items).toHaveLength(2);
    expect(p2.items[0].id).not.toBe(p1.items[0].id);
    expect(p1.items[0].name).toBe('张金'); // prefix matches ordered by pinyin
  });

  it('audits each search with the query hashed, never in clear', async () => {
    await search(gridworker, ids.zj);
    const [row] = await auditRows('person.search');
    expect(row).toMatchObject({ actorName: '王秀英(gridworker)', subjectIds: [people.zj.id], detail: { query: { kind: 'id_number', masked: `371602********${ids.zj.slice(-4)}` }, total: 1 } });
    const blind = await sql<{ id_blind: string }>`SELECT id_blind FROM persons WHERE id = ${people.zj.id}`.execute(t.deps.db);
    expect(row.detail.query.idBlind).toBe(blind.rows[0].id_blind);
    expect(JSON.stringify(row)).not.toContain(ids.zj);
    await search(gridworker, '13905431234');
    const [phoneRow] = await auditRows('person.search');
    expect(phoneRow.detail.query).toMatchObject({ kind: 'digits', masked: '139****1234' });
    expect(JSON.stringify(phoneRow)).not.toContain('13905431234');
    // a mistyped number or a phone with dashes is not kept in clear either
    const typo = ids.zj.slice(0, 17) + (ids.zj[17] === 'X' ? '0' : 'X');
    for (const q of [typo, '139-0543-1234']) {
      expect((await search(gridworker, q)).items.every((i) => i.matchedBy !== 'id_number')).toBe(true);
      const [r] = await auditRows('person.search');
      expect(r.detail.query.kind).toBe('digits');
      expect(JSON.stringify(r)).not.toContain(q);
      expect(JSON.stringify(r)).not.toContain(q.replace(/-/g, ''));
    }
  });

  it('masks by role: full numbers need person.id_full and a purpose, and every full view is audited', async () => {
    const id = people.zjm.id;
    const masked = (await t.call(gridworker, 'GET', `/api/v1/persons/${id}`)).json();
    expect(masked.person).toMatchObject({ idNumber: `371602********${ids.zjm.slice(-4)}`, idMasked: true, birthDate: null });
    const denied = await t.call(gridworker, 'GET', `/api/v1/persons/${id}?full=1&purpose=${encodeURIComponent('核对身份信息')}`);
    expect(denied.statusCode).toBe(403);
    const noPurpose = await t.call(officer, 'GET', `/api/v1/persons/${id}?full=1`);
    expect(noPurpose.statusCode).toBe(400);
    expect(noPurpose.json().code).toBe('purpose_required');
    const full = await t.call(officer, 'GET', `/api/v1/persons/${id}?full=1&purpose=${encodeURIComponent('办理居住证核验')}`);
    expect(full.statusCode).toBe(200);
    expect(full.json().person).toMatchObject({ idNumber: ids.zjm, idMasked: false });
    const [row] = await auditRows('person.view_id');
    expect(row).toMatchObject({ actorName: '张明(officer)', subjectIds: [id], purpose: '办理居住证核验' });
    const views = await auditRows('person.view');
    expect(views.some((v) => v.actorName === '王秀英(gridworker)' && v.subjectIds[0] === id)).toBe(true);
  });
});

describe('person page and locate', () => {
  let home: { id: string; fullText: string };
  let prev: { id: string; fullText: string };
  let subject: Json;
  let wife: Json;
  let foreign: Json;

  beforeAll(async () => {
    home = await insertAddress(t.deps, { grid: grid1, fullText: '山东省滨州市滨城区彭李街道学苑社区黄河八路100号1号楼1单元101室', lng: 117.98, lat: 37.38 });
    prev = await insertAddress(t.deps, { grid: grid1, fullText: '山东省滨州市滨城区彭李街道学苑社区黄河八路102号2号楼1单元302室' });
    subject = await register(officer, { idNumber: nextId({ sex: 'M' }), name: '周定位', phone: '13800001111', residence: { addressId: prev.id, relation: 'householder', fromDate: '2010-01-01' } });
    await t.call(officer, 'POST', `/api/v1/persons/${subject.id}/residences`, { addressId: home.id, relation: 'householder', fromDate: '2022-03-01', closePrevious: true });
    wife = await register(officer, { idNumber: nextId({ sex: 'F' }), name: '吴同住', residence: { addressId: home.id, relation: 'spouse', fromDate: '2022-03-01' } });
    const unit = (await t.call(chief, 'POST', '/api/v1/units', { otherRegNo: 'BZ-TEST-0001', name: '滨城区学苑便利店', orgUnitId: grid1 })).json();
    await t.call(chief, 'POST', `/api/v1/units/${unit.id}/employees`, { personId: subject.id, role: '店员', fromDate: '2023-01-01' });
    const szAddr = await insertAddress(t.deps, { grid: szGrid, fullText: '山东省滨州市滨城区市中街道渤海社区渤海五路9号' });
    ({ person: foreign } = await createPerson(t.deps, sys, { idNumber: nextId(), name: '市中居民', residence: { addressId: szAddr.id, relation: 'householder', fromDate: '2019-01-01' } }));
  });

  it('shows the whole record: residences with addresses, household, employment; audited as person.view', async () => {
    const res = await t.call(officer, 'GET', `/api/v1/persons/${subject.id}`);
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page.person).toMatchObject({ name: '周定位', phone: '13800001111', idMasked: true });
    expect(page.residences.map((r: Json) => [r.address.fullText, r.current])).toEqual([
      [home.fullText, true],
      [prev.fullText, false],
    ]);
    expect(page.household).toEqual([expect.objectContaining({ personId: wife.id, name: '吴同住', relation: 'spouse', relationName: '配偶' })]);
    expect(page.employment).toEqual([expect.objectContaining({ role: '店员', current: true, unit: expect.objectContaining({ name: '滨城区学苑便利店' }) })]);
    expect(page.recentAccess).toBeUndefined(); // officer has no audit.read
    const [row] = await auditRows('person.view');
    expect(row).toMatchObject({ actorName: '张明(officer)', subjectIds: [subject.id, wife.id], crossJurisdiction: false });
  });

  it('shows callers with audit.read who looked at the record recently', async () => {
    const page = (await t.call(supervisor, 'GET', `/api/v1/persons/${subject.id}`)).json();
    const actions = page.recentAccess.map((r: Json) => `${r.actorName}:${r.action}`);
    expect(actions).toContain('张明(officer):person.view');
    expect(actions[0]).toBe('韩卫东(supervisor):person.view');
    expect(page.recentAccess.length).toBeLessThanOrEqual(20);
  });

  it('refuses to locate without a stated purpose', async () => {
    for (const q of ['', '?purpose=', `?purpose=${encodeURIComponent('查一')}`]) {
      const res = await t.call(officer, 'GET', `/api/v1/persons/${subject.id}/locate${q}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'purpose_required', errors: [{ field: 'purpose' }] });
    }
    expect((await t.call(gridworker, 'GET', `/api/v1/persons/${subject.id}/locate?purpose=xxxxxx`)).statusCode).toBe(403);
  });

  it('locates with a purpose: current address on the map, co-residents, past residences, employers; audited with the purpose', async () => {
    const purpose = '滨公(彭)行受字[2026]101号 案件核查';
    const res = await t.call(officer, 'GET', `/api/v1/persons/${subject.id}/locate?purpose=${encodeURIComponent(purpose)}`);
    expect(res.statusCode).toBe(200);
    const l = res.json();
    expect(l.crossJurisdiction).toBe(false);
    expect(l.current).toMatchObject({ relation: 'householder', address: { id: home.id, fullText: home.fullText, lng: 117.98, lat: 37.38 } });
    expect(l.coResidents.map((c: Json) => `${c.name}:${c.relationName}`)).toEqual(['吴同住:配偶']);
    expect(l.pastResidences.map((r: Json) => r.address.fullText)).toEqual([prev.fullText]);
    expect(l.employers.map((e: Json) => `${e.unit.name}:${e.role}`)).toEqual(['滨城区学苑便利店:店员']);
    const [row] = await auditRows('person.locate');
    expect(row).toMatchObject({ actorName: '张明(officer)', purpose, crossJurisdiction: false, subjectIds: [subject.id, wife.id] });
  });

  it('outside the jurisdiction: 404 for an officer, allowed and flagged for a case officer with 协查', async () => {
    const purpose = encodeURIComponent('协查函 滨公刑协字[2026]7号');
    expect((await t.call(officer, 'GET', `/api/v1/persons/${foreign.id}/locate?purpose=${purpose}`)).statusCode).toBe(404);
    expect((await t.call(officer, 'GET', `/api/v1/persons/${foreign.id}?purpose=${purpose}`)).statusCode).toBe(404);
    expect((await t.call(caseofficer, 'GET', `/api/v1/persons/${foreign.id}/locate`)).json().code).toBe('purpose_required');
    expect((await t.call(caseofficer, 'GET', `/api/v1/persons/${foreign.id}`)).statusCode).toBe(404); // no purpose: no 协查
    const res = await t.call(caseofficer, 'GET', `/api/v1/persons/${foreign.id}/locate?purpose=${purpose}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ crossJurisdiction: true, current: { address: { fullText: '山东省滨州市滨城区市中街道渤海社区渤海五路9号' } } });
    const [row] = await auditRows('person.locate');
    expect(row).toMatchObject({ actorName: '赵磊(caseofficer)', crossJurisdiction: true, purpose: '协查函 滨公刑协字[2026]7号', subjectIds: [foreign.id] });
    const page = await t.call(caseofficer, 'GET', `/api/v1/persons/${foreign.id}?purpose=${purpose}`);
    expect(page.statusCode).toBe(200);
    expect(page.json().crossJurisdiction).toBe(true);
    expect((await auditRows('person.view'))[0]).toMatchObject({ actorName: '赵磊(caseofficer)', crossJurisdiction: true });
    // 协查 opens one record for a stated purpose; searches stay inside the jurisdiction
    expect((await t.call(caseofficer, 'GET', `/api/v1/persons?q=${encodeURIComponent('市中居民')}`)).json().total).toBe(0);
  });
});

describe('jurisdiction scoping', () => {
  let ours: Json;
  let addr: { id: string };
  let residenceId: string;

  beforeAll(async () => {
    addr = await insertAddress(t.deps, { grid: grid1, fullText: '山东省滨州市滨城区彭李街道学苑社区黄河十二路700号' });
    ours = await register(officer, { idNumber: nextId(), name: '彭李居民', phone: '13700007000', residence: { addressId: addr.id, relation: 'householder', fromDate: '2020-01-01' } });
    residenceId = (await t.call(officer, 'GET', `/api/v1/persons/${ours.id}`)).json().residences[0].id;
  });

  it('the chief of 市中 sees none of 彭李\'s people, by any query or route', async () => {
    const all = (await t.call(szChief, 'GET', '/api/v1/persons?pageSize=200')).json();
    expect(all.items.every((i: Json) => i.orgUnit.name.startsWith('渤海') || i.orgUnit.name.startsWith('市中'))).toBe(true);
    expect(all.items.map((i: Json) => i.name)).toContain('市中居民');
    for (const q of ['彭李居民', 'pengliju', '13700007000', '黄河十二路700号', '张金']) {
      expect((await t.call(szChief, 'GET', `/api/v1/persons?q=${encodeURIComponent(q)}`)).json().total, q).toBe(0);
    }
    const purpose = `purpose=${encodeURIComponent('案件核查需要')}`;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/v1/persons/${ours.id}`],
      ['GET', `/api/v1/persons/${ours.id}?full=1&${purpose}`],
      ['GET', `/api/v1/persons/${ours.id}/locate?${purpose}`],
      ['PATCH', `/api/v1/persons/${ours.id}`, { phone: '13700007001' }],
      ['POST', `/api/v1/persons/${ours.id}/residences`, { addressId: addr.id, relation: 'tenant', fromDate: '2021-01-01' }],
      ['POST', `/api/v1/residences/${residenceId}/end`, { toDate: '2024-01-01' }],
      ['GET', `/api/v1/addresses/${addr.id}/residents`],
      ['GET', `/api/v1/addresses/${addr.id}/housing`],
      ['PUT', `/api/v1/addresses/${addr.id}/housing`, { use: 'self' }],
    ];
    for (const [method, url, body] of attempts) {
      const res = await t.call(szChief, method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.body).not.toContain('彭李居民');
    }
    const place = await t.call(szChief, 'POST', '/api/v1/persons', { idNumber: nextId(), name: '越界登记', orgUnitId: grid1 });
    expect(place.statusCode).toBe(400);
    const moveIn = await t.call(szChief, 'POST', '/api/v1/persons', { idNumber: nextId(), name: '越界迁入', residence: { addressId: addr.id, relation: 'tenant', fromDate: '2021-01-01' } });
    expect(moveIn.json().errors[0].field).toBe('residence.addressId');
    const page = (await t.call(officer, 'GET', `/api/v1/persons/${ours.id}`)).json();
    expect(page.person.phone).toBe('13700007000');
    expect(page.residences[0].toDate).toBeNull();
  });

  it('an officer sees the own community only; the branch leader sees both stations', async () => {
    expect((await t.call(officer, 'GET', `/api/v1/persons?q=${encodeURIComponent('市中居民')}`)).json().total).toBe(0);
    const leader = await t.login('leader');
    expect((await t.call(leader, 'GET', `/api/v1/persons?q=${encodeURIComponent('市中居民')}`)).json().total).toBe(1);
    expect((await t.call(leader, 'GET', `/api/v1/persons?q=${encodeURIComponent('彭李居民')}`)).json().total).toBe(1);
  });
});

describe('housing', () => {
  let room: { id: string };
  let landlord: Json;

  beforeAll(async () => {
    room = await insertAddress(t.deps, { grid: grid1, fullText: '山东省滨州市滨城区彭李街道学苑社区黄河十二路599号香园小区7号楼1单元602室' });
    landlord = await register(officer, { idNumber: nextId(), name: '房东甲', phone: '13600006000' });
  });

  it('a rental needs a landlord and a lease that ends after it starts', async () => {
    const none = await t.call(officer, 'PUT', `/api/v1/addresses/${room.id}/housing`, { use: 'rent' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors.map((e: Json) => e.field).sort()).toEqual(['landlordPersonId', 'leaseFrom', 'leaseTo']);
    const backwards = await t.call(officer, 'PUT', `/api/v1/addresses/${room.id}/housing`, { use: 'rent', landlordPersonId: landlord.id, leaseFrom: '2026-01-01', leaseTo: '2025-12-31' });
    expect(backwards.json().errors).toEqual([{ field: 'leaseTo', message: '租赁结束日期须晚于开始日期' }]);
    const selfWithLandlord = await t.call(officer, 'PUT', `/api/v1/addresses/${room.id}/housing`, { use: 'self', landlordPersonId: landlord.id, groupRental: true });
    expect(selfWithLandlord.json().errors.map((e: Json) => e.field).sort()).toEqual(['groupRental', 'landlordPersonId']);
  });

  it('records a rental with its landlord and reads it back (audited)', async () => {
    const put = await t.call(gridworker, 'PUT', `/api/v1/addresses/${room.id}/housing`, {
      use: 'rent',
      propertyType: 'commercial',
      landlordPersonId: landlord.id,
      leaseFrom: '2025-03-01',
      leaseTo: '2026-02-28',
      groupRental: true,
      areaM2: 89.5,
      rooms: 3,
      rentalRegistration: 'registered',
      ownerPersonId: landlord.id,
    });
    expect(put.statusCode, put.body).toBe(200);
    const got = (await t.call(officer, 'GET', `/api/v1/addresses/${room.id}/housing`)).json();
    expect(got.housing).toMatchObject({
      use: 'rent',
      useName: '出租',
      groupRental: true,
      areaM2: 89.5,
      rooms: 3,
      leaseFrom: '2025-03-01',
      leaseTo: '2026-02-28',
      rentalRegistration: 'registered',
      landlord: { id: landlord.id, name: '房东甲', idNumber: expect.stringMatching(/^371602\*{8}/) },
    });
    expect(got.housing.leaseExpired).toBe(todayCst() > '2026-02-28');
    expect((await auditRows('housing.view'))[0]).toMatchObject({ actorName: '张明(officer)', subjectIds: [room.id, landlord.id] });
    const self = await t.call(officer, 'PUT', `/api/v1/addresses/${room.id}/housing`, { use: 'self', ownerPersonId: landlord.id });
    expect(self.json().housing).toMatchObject({ use: 'self', landlord: null, leaseFrom: null, groupRental: false, rentalRegistration: null });
    expect((await auditRows('housing.update'))[0].subjectIds[0]).toBe(room.id);
    const empty = await insertAddress(t.deps, { grid: grid1 });
    expect((await t.call(officer, 'GET', `/api/v1/addresses/${empty.id}/housing`)).json().housing).toBeNull();
  });
});
