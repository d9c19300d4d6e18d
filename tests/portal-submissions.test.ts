import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { addressesRepository } from '../src/server/modules/addresses/repository.js';
import { newPlateToken } from '../src/server/modules/addresses/plates.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';
import { idBlind } from '../src/server/modules/population/service.js';
import { submit as submitService, SUBMISSIONS_PER_DAY } from '../src/server/modules/portal/service.js';
import { loadPrincipal } from '../src/server/platform/auth/principal.js';
import { createRegistryTestApp, insertAddress, makeIdNumber, orgUnitId } from './support/registry-fixtures.js';
import type { TestApp } from './support/app.js';

/** A parsed JSON body, as loosely typed as `res.json()`. */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let t: TestApp;
let alice: string; // resident A
let bob: string; // resident B
let officer: string;
let gridworker: string;
let szChiefPlate: string; // a plate in 市中派出所's grid (another station)
let room: { id: string; token: string };
let road: { id: string; token: string };
let seq = 0;
const nextId = () => makeIdNumber(30_000 + ++seq);
const ALICE = '13700000101';
const BOB = '13700000102';

const residentToken = (phone: string) => t.residentLogin(phone);

async function plateAt(grid: string, level: 'room' | 'road' = 'room') {
  const a = await insertAddress(t.deps, { grid, level });
  const token = newPlateToken();
  await addressesRepository.insertPlate(t.deps.db, { id: uuidv7(), address_id: a.id, kind: level === 'road' ? 'road' : 'room', token, issued_by: null });
  return { id: a.id, token };
}

/** Audit rows naming a subject, oldest first. */
function auditOf(subjectId: string) {
  return t.deps.db.selectFrom('audit_log').selectAll().where(sql<boolean>`${subjectId} = ANY(subject_ids)`).orderBy('seq').execute();
}

async function outbox(phone: string): Promise<string[]> {
  const box = (await t.call(undefined, 'GET', '/api/v1/dev/outbox')).json() as Array<{ phone: string; body: string }>;
  return box.filter((m) => m.phone === phone).map((m) => m.body);
}

const residence = (o: Partial<Record<string, unknown>> = {}) => ({
  name: '李流动',
  idNumber: nextId(),
  phone: '138 0000 1111',
  hukouAddress: '河南省周口市川汇区人民路1号',
  reason: 'work',
  arrivalDate: addDays(todayCst(), -10),
  expectedStayUntil: addDays(todayCst(), 300),
  relation: 'tenant',
  ...o,
});

const rental = (o: Partial<Record<string, unknown>> = {}) => ({
  owner: { name: '王房东', idNumber: nextId(), phone: '13900001111' },
  leaseFrom: addDays(todayCst(), -30),
  leaseTo: addDays(todayCst(), 335),
  rooms: 2,
  areaM2: 65.5,
  tenants: [
    { name: '赵租客', idNumber: nextId(), phone: '13900002222', hukouAddress: '安徽省阜阳市' },
    { name: '钱租客', idNumber: nextId() },
  ],
  ...o,
});

function submit(token: string | undefined, kind: string, data: unknown, o: { plateToken?: string; clientId?: string } = {}) {
  return t.call(token, 'POST', '/api/v1/portal/submissions', { kind, plateToken: o.plateToken ?? room.token, clientId: o.clientId ?? uuidv4(), data });
}

/** A tiny valid PNG header and body (only the first bytes matter to the check). */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

function upload(token: string | undefined, body: Buffer, type = 'image/png') {
  return t.app.inject({ method: 'POST', url: '/api/v1/portal/attachments', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': type }, payload: body });
}

beforeAll(async () => {
  t = await createRegistryTestApp();
  [officer, gridworker] = await Promise.all(['officer', 'gridworker'].map((u) => t.login(u)));
  alice = await residentToken(ALICE);
  bob = await residentToken(BOB);
  room = await plateAt('371602005001001');
  road = await plateAt('371602005001001', 'road');
  szChiefPlate = (await plateAt(await orgUnitId(t.deps, '371602001001001'))).token;
});
afterAll(() => t.close());

describe('submitting from a plate', () => {
  it('residence: 201 with a tracking number, masked identity number, a timeline and an SMS; the number is stored encrypted', async () => {
    const data = residence();
    const res = await submit(alice, 'residence', data);
    expect(res.statusCode).toBe(201);
    const s = res.json() as Json;
    const day = todayCst().replace(/-/g, '');
    expect(s.trackingNo).toMatch(new RegExp(`^LD${day}\\d{6}$`));
    expect(s).toMatchObject({ kind: 'residence', kindName: '流动人口报备', status: 'submitted', statusName: '已提交', replayed: false, returnReason: null, reply: null });
    expect(s.data.idNumber).toBe(`${data.idNumber.slice(0, 4)}**********${data.idNumber.slice(-4)}`);
    expect(s.data.phone).toBe('13800001111');
    expect(res.body).not.toContain(data.idNumber);
    expect(s.timeline).toEqual([expect.objectContaining({ status: 'submitted', statusName: '已提交' })]);
    expect(s.address).toContain('香园小区');

    const row = await t.deps.db.selectFrom('portal_submissions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row.payload)).not.toContain(data.idNumber);
    expect(row.id_blinds).toEqual([idBlind(t.deps, data.idNumber)]);
    expect(row.address_id).toBe(room.id);

    expect(await outbox(ALICE)).toContain(`【枫桥】您的流动人口报备（${s.trackingNo}）已提交，社区民警将尽快审核。可在扫码页面“我的办理进度”查看。`);
    const audit = (await auditOf(s.id)).filter((a) => a.action === 'portal.submit');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_kind: 'resident', actor_name: ALICE });
  });

  it('rental, mediation and ebike: each with its prefix; every identity number masked', async () => {
    const r = rental();
    const res = await submit(alice, 'rental', r);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().trackingNo).toMatch(/^CZ\d{14}$/);
    expect(res.json().data.tenants[1].idNumber).toMatch(/^\d{4}\*{10}[\dX]{4}$/);
    for (const id of [r.owner.idNumber, ...r.tenants.map((x) => x.idNumber)]) expect(res.body).not.toContain(id);
    expect(res.json().summary).toContain('租户 2 人');

    const m = await submit(alice, 'mediation', {
      category: 'neighbour',
      description: '楼上邻居长期深夜噪音扰民，协商未果。',
      parties: [{ role: 'applicant', name: '李申请' }, { role: 'respondent', name: '张对方', phone: '13900003333', idNumber: nextId() }],
    });
    expect(m.statusCode, m.body).toBe(201);
    expect(m.json().trackingNo).toMatch(/^TJ/);
    expect(m.json().data.parties[1].idNumber).toMatch(/\*{10}/);

    const e = await submit(alice, 'ebike', { ownerName: '李车主', idNumber: nextId(), phone: '13900004444', brand: '雅迪', color: '白色', frameNo: 'ab12345678' });
    expect(e.statusCode, e.body).toBe(201);
    expect(e.json().trackingNo).toMatch(/^DC/);
    expect(e.json().data.frameNo).toBe('AB12345678');
  });

  it('help with photos: the photos are linked to the submission and shown to the resident', async () => {
    const a1 = await upload(alice, PNG);
    expect(a1.statusCode, a1.body).toBe(201);
    expect(a1.json()).toMatchObject({ contentType: 'image/png', bytes: PNG.length });
    const res = await submit(alice, 'help', { category: 'clue', description: '小区门口有可疑人员反复查看电动车。', attachmentIds: [a1.json().id], location: { lng: 117.97, lat: 37.38 } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().trackingNo).toMatch(/^QZ/);
    expect(res.json().attachments).toEqual([{ id: a1.json().id, contentType: 'image/png', url: `/api/v1/portal/attachments/${a1.json().id}` }]);
    // a road plate is fine for a help request
    expect((await submit(alice, 'help', { category: 'consult', description: '请问居住证如何办理？需要什么材料？' }, { plateToken: road.token })).statusCode).toBe(201);

    // the same photo cannot be named again; someone else's cannot be named at all
    const again = await submit(alice, 'help', { category: 'clue', description: '再次提交同一张图片试试看。', attachmentIds: [a1.json().id] });
    expect(again.statusCode).toBe(400);
    expect(again.json().errors).toEqual([{ field: 'data.attachmentIds.0', message: '该图片已用于其他申报，请重新上传' }]);
    const bobs = await upload(bob, PNG);
    const theft = await submit(alice, 'help', { category: 'clue', description: '使用别人的图片提交求助。', attachmentIds: [bobs.json().id] });
    expect(theft.statusCode).toBe(400);
    expect(theft.json().errors[0].field).toBe('data.attachmentIds.0');
  });
});

describe('validation collects every offending field', () => {
  it('an identity number with a wrong check digit → 400 data.idNumber with the reason', async () => {
    const good = nextId();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res = await submit(alice, 'residence', residence({ idNumber: bad }));
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors).toEqual([{ field: 'data.idNumber', message: '公民身份号码校验位错误' }]);
  });

  it('a lease that ends before it starts → 400 data.leaseTo', async () => {
    const res = await submit(alice, 'rental', rental({ leaseFrom: '2026-01-01', leaseTo: '2025-12-31' }));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ field: 'data.leaseTo', message: '租赁结束日期须晚于开始日期' }]);
  });

  it('all at once: a bad tenant number, an unknown field, a bad phone, a repeated number, the lease', async () => {
    const r = rental({ leaseFrom: '2026-01-01', leaseTo: '2026-01-01', extra: 1 }) as Json;
    r.tenants[1].idNumber = '37160219900230001X';
    r.tenants.push({ name: '孙重复', idNumber: r.tenants[0].idNumber });
    r.owner.phone = '12345';
    const res = await submit(alice, 'rental', r);
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as Json[]).map((e) => e.field).sort();
    expect(fields).toEqual(['data.extra', 'data.leaseTo', 'data.owner.phone', 'data.tenants.1.idNumber', 'data.tenants.2.idNumber'].sort());
    expect(res.json().errors).toContainEqual({ field: 'data.tenants.1.idNumber', message: '公民身份号码中的出生日期不存在' });
  });

  it('dates of a residence: arrival not in the future, stay ends after arrival', async () => {
    const res = await submit(alice, 'residence', residence({ arrivalDate: addDays(todayCst(), 1), expectedStayUntil: addDays(todayCst(), -5) }));
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as Json[]).map((e) => e.field);
    expect(fields).toContain('data.arrivalDate');
    expect(fields).toContain('data.expectedStayUntil');
  });

  it('unknown kinds of mistakes in data: missing fields, wrong types, a missing respondent', async () => {
    const res = await submit(alice, 'residence', { name: '', phone: 13800001111, reason: 'fun' });
    expect(res.statusCode).toBe(400);
    const fields = (res.json().errors as Json[]).map((e) => e.field);
    for (const f of ['data.name', 'data.phone', 'data.reason', 'data.idNumber', 'data.arrivalDate', 'data.relation']) expect(fields).toContain(f);
    const m = await submit(alice, 'mediation', { category: 'family', description: '家庭矛盾需要调解一下。', parties: [{ role: 'applicant', name: '李' }] });
    expect(m.json().errors).toEqual([{ field: 'data.parties', message: '请至少填写一名被申请人（对方当事人）' }]);
    const e = await submit(alice, 'ebike', { ownerName: '李', idNumber: nextId(), phone: '13900004444', brand: '雅迪', color: '白', frameNo: '12-34' });
    expect(e.json().errors.map((x: Json) => x.field)).toEqual(['data.frameNo']);
  });

  it('the plate: unknown, revoked, or not a dwelling for a residence', async () => {
    const unknown = await submit(alice, 'residence', residence(), { plateToken: 'no-such-token' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([{ field: 'plateToken', message: '门牌二维码无效' }]);

    const old = await plateAt('371602005001001');
    const plate = (await addressesRepository.plates(t.deps.db, old.id))[0];
    await addressesRepository.revokePlate(t.deps.db, plate.id, '损坏', null);
    const revoked = await submit(alice, 'help', { category: 'consult', description: '这个门牌还能用吗？试一试。' }, { plateToken: old.token });
    expect(revoked.json().errors).toEqual([{ field: 'plateToken', message: '该门牌已注销，请扫描现场新门牌' }]);

    const onRoad = await submit(alice, 'residence', residence(), { plateToken: road.token });
    expect(onRoad.statusCode).toBe(400);
    expect(onRoad.json().errors[0].field).toBe('plateToken');
  });
});

describe('idempotent retries', () => {
  it('the same clientId twice → one row; the second reply is the first submission with replayed: true', async () => {
    const clientId = uuidv4();
    const data = residence();
    const first = await submit(alice, 'residence', data, { clientId });
    const second = await submit(alice, 'residence', { ...data, name: '改了名字' }, { clientId });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ id: first.json().id, trackingNo: first.json().trackingNo, replayed: true });
    const rows = await t.deps.db.selectFrom('portal_submissions').select('id').where('client_id', '=', clientId).execute();
    expect(rows).toHaveLength(1);
  });

  it('a clientId used for another kind → 409 clientId', async () => {
    const clientId = uuidv4();
    expect((await submit(alice, 'residence', residence(), { clientId })).statusCode).toBe(201);
    const res = await submit(alice, 'ebike', { ownerName: '李', idNumber: nextId(), phone: '13900004444', brand: '雅迪', color: '白', frameNo: 'ABC123456' }, { clientId });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('clientId');
  });

  it('racing past the first check: the unique index decides and the loser replays the winner', async () => {
    // called on the service directly, both copies pass the look-up for an earlier submission before either inserts
    const ctx = { principal: await loadPrincipal(t.deps, alice) };
    const input = { kind: 'residence' as const, plateToken: room.token, clientId: uuidv4(), data: residence() };
    const results = await Promise.all([submitService(t.deps, ctx, input), submitService(t.deps, ctx, input)]);
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(results[0].submission.id).toBe(results[1].submission.id);
    const rows = await t.deps.db.selectFrom('portal_submissions').select('id').where('client_id', '=', input.clientId).execute();
    expect(rows).toHaveLength(1);
  });

  it('a concurrent double submit with one clientId → one row, one 201 and one replay', async () => {
    const clientId = uuidv4();
    const data = residence();
    const results = await Promise.all([submit(alice, 'residence', data, { clientId }), submit(alice, 'residence', data, { clientId })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const rows = await t.deps.db.selectFrom('portal_submissions').select('id').where('client_id', '=', clientId).execute();
    expect(rows).toHaveLength(1);
    const events = await t.deps.db.selectFrom('portal_submission_events').select('id').where('submission_id', '=', rows[0].id).execute();
    expect(events).toHaveLength(1);
  });
});

describe('flooding', () => {
  it(`one resident files at most ${SUBMISSIONS_PER_DAY} in 24 hours; a retry of one already filed still answers`, async () => {
    const carol = await residentToken('13700009999');
    const help = { category: 'consult', description: '咨询一下居住证办理需要哪些材料' };
    const first = uuidv4();
    expect((await submit(carol, 'help', help, { clientId: first })).statusCode).toBe(201);
    for (let i = 1; i < SUBMISSIONS_PER_DAY; i++) expect((await submit(carol, 'help', help)).statusCode).toBe(201);
    const over = await submit(carol, 'help', help);
    expect(over.statusCode).toBe(429);
    expect(over.json().detail).toContain('110');
    expect((await submit(carol, 'help', help, { clientId: first })).statusCode).toBe(200);
    const n = await t.deps.db.selectFrom('portal_submissions as s').innerJoin('residents as r', 'r.id', 's.resident_id').select((eb) => eb.fn.countAll<string>().as('n')).where('r.phone', '=', '13700009999').executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(SUBMISSIONS_PER_DAY);
  });
});

describe('a resident sees and changes only their own submissions', () => {
  let mine: Json;
  beforeAll(async () => {
    mine = (await submit(alice, 'residence', residence())).json();
  });

  it('another resident: read, edit, withdraw → 404, and their list does not show it', async () => {
    const get = await t.call(bob, 'GET', `/api/v1/portal/submissions/${mine.id}`);
    expect(get.statusCode).toBe(404);
    expect(get.json().detail).toBe('办理记录不存在');
    expect((await t.call(bob, 'PUT', `/api/v1/portal/submissions/${mine.id}`, { data: residence() })).statusCode).toBe(404);
    expect((await t.call(bob, 'POST', `/api/v1/portal/submissions/${mine.id}/withdraw`)).statusCode).toBe(404);
    const list = (await t.call(bob, 'GET', '/api/v1/portal/submissions?pageSize=200')).json();
    expect(list.items.map((i: Json) => i.id)).not.toContain(mine.id);
    expect((await t.call(alice, 'GET', `/api/v1/portal/submissions/${mine.id}`)).json().status).toBe('submitted');
  });

  it('own list: newest first, filtered by kind', async () => {
    const list = (await t.call(alice, 'GET', '/api/v1/portal/submissions?kind=residence&pageSize=200')).json();
    expect(list.total).toBeGreaterThan(3);
    expect(list.items.every((i: Json) => i.kind === 'residence')).toBe(true);
    expect(list.items[0].id).toBe(mine.id);
    expect(Object.keys(list.items[0]).sort()).toEqual(['address', 'id', 'kind', 'kindName', 'status', 'statusName', 'submittedAt', 'summary', 'trackingNo', 'updatedAt'].sort());
  });

  it('staff tokens on resident routes → 403; no token → 401', async () => {
    expect((await t.call(officer, 'GET', '/api/v1/portal/submissions')).statusCode).toBe(403);
    expect((await submit(officer, 'residence', residence())).statusCode).toBe(403);
    expect((await t.call(officer, 'GET', `/api/v1/portal/submissions/${mine.id}`)).statusCode).toBe(403);
    expect((await upload(officer, PNG)).statusCode).toBe(403);
    expect((await t.call(undefined, 'GET', '/api/v1/portal/submissions')).statusCode).toBe(401);
  });

  it('edit while submitted keeps it submitted; withdraw; then neither edit nor withdraw (409)', async () => {
    const s = (await submit(alice, 'residence', residence())).json();
    const edited = await t.call(alice, 'PUT', `/api/v1/portal/submissions/${s.id}`, { data: residence({ name: '李改名' }) });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ status: 'submitted' });
    expect(edited.json().summary).toContain('李改名');
    const bad = await t.call(alice, 'PUT', `/api/v1/portal/submissions/${s.id}`, { data: residence({ idNumber: '123' }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('data.idNumber');
    const w = await t.call(alice, 'POST', `/api/v1/portal/submissions/${s.id}/withdraw`);
    expect(w.statusCode).toBe(200);
    expect(w.json()).toMatchObject({ status: 'withdrawn', statusName: '已撤回' });
    expect(w.json().timeline.map((e: Json) => e.status)).toEqual(['submitted', 'withdrawn']);
    expect((await t.call(alice, 'PUT', `/api/v1/portal/submissions/${s.id}`, { data: residence() })).statusCode).toBe(409);
    expect((await t.call(alice, 'POST', `/api/v1/portal/submissions/${s.id}/withdraw`)).statusCode).toBe(409);
    const audit = await auditOf(s.id);
    expect(audit.map((a) => a.action)).toEqual(['portal.submit', 'portal.edit', 'portal.withdraw']);
    expect((await outbox(ALICE)).some((b) => b.includes(s.trackingNo) && b.includes('已撤回'))).toBe(true);
  });
});

describe('photos', () => {
  it('wrong bytes → 415 (whatever the declared type); another type → 415; too big → 413', async () => {
    const fake = await upload(alice, Buffer.from('GIF89a not really a png at all'), 'image/png');
    expect(fake.statusCode).toBe(415);
    expect(fake.headers['content-type']).toContain('application/problem+json');
    expect(fake.json().detail).toBe('仅支持 JPEG、PNG 或 WebP 格式的图片');
    const gif = await upload(alice, Buffer.from('GIF89a....'), 'image/gif');
    expect(gif.statusCode).toBe(415);
    expect(gif.json().detail).toBe('仅支持 JPEG、PNG 或 WebP 格式的图片');
    const json = await t.call(alice, 'POST', '/api/v1/portal/attachments', { image: 'x' });
    expect(json.statusCode).toBe(415);
    // only a resident gets as far as the body
    expect((await upload(undefined, Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]))).statusCode).toBe(401);
    expect((await upload(officer, Buffer.concat([PNG, Buffer.alloc(6 * 1024 * 1024)]))).statusCode).toBe(403);
    const big = await upload(alice, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]));
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toBe('图片不能超过 5 MB');
    const jpeg = await upload(alice, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]), 'image/jpeg');
    expect(jpeg.statusCode).toBe(201);
    const webp = await upload(alice, Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'), 'image/webp');
    expect(webp.json().contentType).toBe('image/webp');
  });

  it('the uploader reads it back; another resident gets 404; staff need portal.read and the jurisdiction', async () => {
    const a = (await upload(alice, PNG)).json();
    const own = await t.call(alice, 'GET', `/api/v1/portal/attachments/${a.id}`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(own.headers['cache-control']).toBe('private, max-age=3600');
    expect(own.rawPayload.equals(PNG)).toBe(true);
    expect((await t.call(bob, 'GET', `/api/v1/portal/attachments/${a.id}`)).statusCode).toBe(404);
    // unused: no staff sees it
    expect((await t.call(officer, 'GET', `/api/v1/portal/attachments/${a.id}`)).statusCode).toBe(404);
    await submit(alice, 'help', { category: 'lost', description: '在小区门口捡到一个钱包，已交给保安。', attachmentIds: [a.id] });
    expect((await t.call(officer, 'GET', `/api/v1/portal/attachments/${a.id}`)).statusCode).toBe(200);
    expect((await t.call(gridworker, 'GET', `/api/v1/portal/attachments/${a.id}`)).statusCode).toBe(403);
    const read = (await auditOf(a.id)).filter((x) => x.action === 'portal.attachment_read');
    expect(read).toHaveLength(1);

    // a photo of a submission in another station's grid: outside the officer's jurisdiction
    const b = (await upload(bob, PNG)).json();
    expect((await submit(bob, 'help', { category: 'lost', description: '在市中社区丢了一只黑色的猫。', attachmentIds: [b.id] }, { plateToken: szChiefPlate })).statusCode).toBe(201);
    expect((await t.call(officer, 'GET', `/api/v1/portal/attachments/${b.id}`)).statusCode).toBe(404);
  });
});
