import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { createTestApp, type TestApp } from './support/app.js';
import { orgUnitId } from './support/registry-fixtures.js';
import { systemContext, type RequestContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { createUser } from '../src/server/modules/users/service.js';
import { book } from '../src/server/modules/services/appointments.js';
import { serviceSlots } from '../src/server/modules/services/slots.js';
import { servicesRepository } from '../src/server/modules/services/repository.js';
import { addDays, atCst, todayCst } from '../src/server/modules/services/rules.js';

let t: TestApp;
let officer: string;
let chief: string;
let gridworker: string;
let admin: string;
let community: string;
let officeId: string;
/** Capacity 1, 30-minute slots. */
let single: string;
/** Capacity 2, 30-minute slots. */
let pair: string;

const today = todayCst();
const D = addDays(today, 3);
const at = (date: string, hm: string) => atCst(date, Number(hm.slice(0, 2)) * 60 + Number(hm.slice(3))).toISOString();
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].flatMap((day) => [
  { day, open: '08:30', close: '12:00' },
  { day, open: '14:00', close: '17:30' },
]);

const tokens = new Map<string, string>();
/** Signs a resident in with phone + one-time code. */
async function resident(phone: string): Promise<string> {
  if (tokens.has(phone)) return tokens.get(phone)!;
  await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone });
  const row = await t.deps.db.selectFrom('sms_outbox').select('body').where('phone', '=', phone).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const code = /(\d{6})/.exec(row.body)![1];
  const res = await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code });
  expect(res.statusCode).toBe(200);
  tokens.set(phone, res.json().token);
  return res.json().token;
}

const sms = async (phone: string) => (await t.deps.db.selectFrom('sms_outbox').select('body').where('phone', '=', phone).orderBy('created_at').execute()).map((r) => r.body);
const bookAs = (token: string, body: Record<string, unknown>) => t.call(token, 'POST', '/api/v1/portal/appointments', { name: '王大明', clientId: uuidv7(), ...body });

beforeAll(async () => {
  t = await createTestApp();
  [officer, chief, gridworker, admin] = await Promise.all(['officer', 'chief', 'gridworker', 'admin'].map((u) => t.login(u)));
  community = await orgUnitId(t.deps, '371602005001');
  const office = await t.call(officer, 'POST', '/api/v1/police-offices', { orgUnitId: community, kind: 'post', name: '黄河十二路测试警务站', hours: EVERY_DAY, phone: '0543-3169999' });
  expect(office.statusCode).toBe(201);
  officeId = office.json().id;
  const make = async (name: string, capacity: number) => {
    const r = await t.call(officer, 'POST', '/api/v1/appointment-services', {
      officeId,
      category: 'huzheng',
      name,
      requiredDocs: ['居民户口簿', '居民身份证'],
      slotMinutes: 30,
      capacity,
      daysAhead: 7,
    });
    expect(r.statusCode).toBe(201);
    return r.json().id as string;
  };
  single = await make('居民身份证换领', 1);
  pair = await make('居住证办理', 2);
});
afterAll(() => t.close());

describe('slots', () => {
  it('cuts the office hours into slots with capacity and bookings', async () => {
    const res = await t.call(undefined, 'GET', `/api/v1/portal/services/${single}/slots?from=${D}&days=1`);
    expect(res.statusCode).toBe(200);
    const [day] = res.json();
    expect(day.date).toBe(D);
    expect(day.slots).toHaveLength(14);
    expect(day.slots[0]).toEqual({ start: at(D, '08:30'), end: at(D, '09:00'), capacity: 1, booked: 0, available: 1 });
    expect(day.slots.at(-1).end).toBe(at(D, '17:30'));
  });

  it('clamps the days to what the service can be booked for, and refuses more than 60', async () => {
    const all = (await t.call(undefined, 'GET', `/api/v1/portal/services/${single}/slots?days=30`)).json();
    expect(all.map((d: { date: string }) => d.date)).toEqual(Array.from({ length: 8 }, (_, i) => addDays(today, i)));
    expect((await t.call(undefined, 'GET', `/api/v1/portal/services/${single}/slots?from=${addDays(today, 8)}`)).json()).toEqual([]);
    const tooMany = await t.call(undefined, 'GET', `/api/v1/portal/services/${single}/slots?days=61`);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().errors.map((e: { field: string }) => e.field)).toContain('days');
    expect((await t.call(undefined, 'GET', `/api/v1/portal/services/${uuidv7()}/slots`)).statusCode).toBe(404);
  });

  it("leaves out today's slots that have begun", async () => {
    const now = new Date(at(today, '10:05'));
    const [first] = await serviceSlots(t.deps, single, { days: 1 }, now);
    expect(first.date).toBe(today);
    expect(first.slots.map((s) => s.start)).toEqual([at(today, '10:30'), at(today, '11:00'), at(today, '11:30'), ...['14:00', '14:30', '15:00', '15:30', '16:00', '16:30', '17:00'].map((h) => at(today, h))]);
    // the slot starting right now is gone as well
    const [exact] = await serviceSlots(t.deps, single, { days: 1 }, new Date(at(today, '10:30')));
    expect(exact.slots[0].start).toBe(at(today, '11:00'));
  });
});

describe('booking', () => {
  it('books a slot, texts the resident and audits it', async () => {
    const r1 = await resident('13700000101');
    const res = await bookAs(r1, { serviceId: single, slotStart: at(D, '09:00'), note: '换领，旧证已过期' });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      serviceId: single,
      serviceName: '居民身份证换领',
      officeName: '黄河十二路测试警务站',
      slotStart: at(D, '09:00'),
      slotEnd: at(D, '09:30'),
      name: '王大明',
      phone: '137****0101',
      status: 'booked',
      statusName: '已预约',
      requiredDocs: ['居民户口簿', '居民身份证'],
    });
    expect(a.replayed).toBeUndefined();
    expect(a.trackingNo).toMatch(new RegExp(`^YY${today.replace(/-/g, '')}\\d{6}$`));
    const texts = await sms('13700000101');
    expect(texts.at(-1)).toContain('【枫桥】预约成功');
    expect(texts.at(-1)).toContain(a.trackingNo);
    expect(texts.at(-1)).toContain('居民户口簿、居民身份证');
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor_kind', 'org_unit_id', 'subject_ids']).where('action', '=', 'appointment.book').execute();
    expect(audit).toContainEqual({ actor_kind: 'resident', org_unit_id: community, subject_ids: [a.id] });
    const [day] = (await t.call(undefined, 'GET', `/api/v1/portal/services/${single}/slots?from=${D}&days=1`)).json();
    expect(day.slots[1]).toMatchObject({ start: at(D, '09:00'), booked: 1, available: 0 });
  });

  it('refuses a full slot with 409 on slotStart', async () => {
    const r2 = await resident('13700000102');
    const res = await bookAs(r2, { serviceId: single, slotStart: at(D, '09:00') });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors).toEqual([{ field: 'slotStart', message: '该时段已约满，请选择其他时段' }]);
  });

  it('lets exactly one of two residents racing for the last place in', async () => {
    const [r2, r3] = [await resident('13700000102'), await resident('13700000103')];
    const results = await Promise.all([bookAs(r2, { serviceId: single, slotStart: at(D, '10:00') }), bookAs(r3, { serviceId: single, slotStart: at(D, '10:00') })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const n = await t.deps.db.selectFrom('appointments').select((eb) => eb.fn.countAll<string>().as('n')).where('service_id', '=', single).where('slot_start', '=', new Date(at(D, '10:00'))).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1);
  });

  it('answers a retry with the same clientId with the first booking, also when both arrive at once', async () => {
    const r1 = await resident('13700000101');
    const clientId = uuidv7();
    const first = await bookAs(r1, { serviceId: pair, slotStart: at(D, '14:00'), clientId });
    expect(first.statusCode).toBe(201);
    const again = await bookAs(r1, { serviceId: pair, slotStart: at(D, '14:00'), clientId });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ id: first.json().id, trackingNo: first.json().trackingNo, replayed: true });

    const twin = uuidv7();
    const both = await Promise.all([0, 1].map(() => bookAs(r1, { serviceId: pair, slotStart: at(addDays(D, 1), '14:00'), clientId: twin })));
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 201]);
    expect(both[0].json().id).toBe(both[1].json().id);
    const rows = await t.deps.db.selectFrom('appointments').select('id').where('client_id', '=', twin).execute();
    expect(rows).toHaveLength(1);
    expect((await sms('13700000101')).filter((m) => m.includes(both[0].json().trackingNo))).toHaveLength(1);
  });

  it('allows one active booking of a service per resident and day', async () => {
    const r1 = await resident('13700000101');
    const res = await bookAs(r1, { serviceId: pair, slotStart: at(D, '16:00') });
    expect(res.statusCode).toBe(409);
    expect(res.json().errors[0].field).toBe('slotStart');
    expect(res.json().detail).toContain('每天只能预约一次');
  });

  it('refuses slots that are not slots of the service, past, too far ahead, and bad phones', async () => {
    const r3 = await resident('13700000103');
    const field = async (body: Record<string, unknown>) => {
      const res = await bookAs(r3, { serviceId: pair, ...body });
      expect(res.statusCode).toBe(400);
      return res.json().errors.map((e: { field: string }) => e.field);
    };
    expect(await field({ slotStart: at(D, '09:10') })).toEqual(['slotStart']); // not a slot boundary
    expect(await field({ slotStart: at(D, '12:00') })).toEqual(['slotStart']); // lunch break
    expect(await field({ slotStart: at(addDays(today, -1), '09:00') })).toEqual(['slotStart']);
    expect(await field({ slotStart: at(addDays(today, 8), '09:00') })).toEqual(['slotStart']); // beyond daysAhead
    expect(await field({ slotStart: at(D, '09:00'), phone: '12345' })).toEqual(['phone']);
    const unknown = await bookAs(r3, { serviceId: uuidv7(), slotStart: at(D, '09:00') });
    expect(unknown.statusCode).toBe(404);
  });

  it('keeps staff and anonymous callers out of the resident routes', async () => {
    const body = { serviceId: pair, slotStart: at(D, '15:00'), name: '张三', clientId: uuidv7() };
    expect((await t.call(officer, 'POST', '/api/v1/portal/appointments', body)).statusCode).toBe(403);
    expect((await t.call(officer, 'GET', '/api/v1/portal/appointments')).statusCode).toBe(403);
    expect((await t.call(undefined, 'POST', '/api/v1/portal/appointments', body)).statusCode).toBe(401);
  });

  it("lists a resident's own bookings, newest first, and lets them cancel their own only", async () => {
    const [r1, r2] = [await resident('13700000101'), await resident('13700000102')];
    const mine = (await t.call(r1, 'GET', '/api/v1/portal/appointments')).json();
    expect(mine.total).toBe(3);
    expect(mine.items.map((a: { createdAt: string }) => a.createdAt)).toEqual([...mine.items.map((a: { createdAt: string }) => a.createdAt)].sort().reverse());
    expect(mine.items.every((a: { phone: string }) => a.phone === '137****0101')).toBe(true);
    const theirs = (await t.call(r2, 'GET', '/api/v1/portal/appointments')).json();
    expect(theirs.items.map((a: { id: string }) => a.id)).not.toContain(mine.items[0].id);

    const target = mine.items.find((a: { serviceId: string }) => a.serviceId === single);
    expect((await t.call(r2, 'POST', `/api/v1/portal/appointments/${target.id}/cancel`)).statusCode).toBe(404);
    const ok = await t.call(r1, 'POST', `/api/v1/portal/appointments/${target.id}/cancel`);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'cancelled', statusName: '已取消' });
    expect((await sms('13700000101')).at(-1)).toContain('已取消');
    expect((await t.call(r1, 'POST', `/api/v1/portal/appointments/${target.id}/cancel`)).statusCode).toBe(409);
    // the place is free again
    const [day] = (await t.call(undefined, 'GET', `/api/v1/portal/services/${single}/slots?from=${D}&days=1`)).json();
    expect(day.slots[1]).toMatchObject({ booked: 0, available: 1 });
    const cancelRows = await t.deps.db.selectFrom('audit_log').select('actor_kind').where('action', '=', 'appointment.cancel').execute();
    expect(cancelRows).toEqual([{ actor_kind: 'resident' }]);
  });

  it('takes a booking made after 18:00 the day before as its own reminder', async () => {
    const residentId = (await t.deps.db.selectFrom('residents').select('id').where('phone', '=', '13700000103').executeTakeFirstOrThrow()).id;
    const ctx: RequestContext = { principal: { kind: 'resident', residentId, phone: '13700000103', sessionId: 'test' } };
    const day = addDays(today, 5);
    const soon = await book(t.deps, ctx, { serviceId: pair, slotStart: at(day, '09:00'), name: '赵六', clientId: uuidv7() }, new Date(at(addDays(day, -1), '19:00')));
    const row = await t.deps.db.selectFrom('appointments').select('reminder_sent_at').where('id', '=', soon.appointment.id).executeTakeFirstOrThrow();
    expect(row.reminder_sent_at).not.toBeNull();
  });
});

describe('reminders', () => {
  it('sends each due reminder once, even with two runners at the same time', async () => {
    const r4 = await resident('13700000104');
    const day = addDays(today, 4);
    const a = (await bookAs(r4, { serviceId: pair, slotStart: at(day, '09:00') })).json();
    expect(await t.app.reminders.tick(new Date(at(addDays(day, -1), '17:00')))).toBeGreaterThanOrEqual(0);
    expect((await sms('13700000104')).filter((m) => m.includes('预约提醒'))).toEqual([]);

    const evening = new Date(at(addDays(day, -1), '18:30'));
    const [x, y] = await Promise.all([t.app.reminders.tick(evening), t.app.reminders.tick(evening)]);
    expect(x + y).toBeGreaterThanOrEqual(1);
    expect(await t.app.reminders.tick(evening)).toBe(0);
    const reminders = (await sms('13700000104')).filter((m) => m.includes('预约提醒'));
    expect(reminders).toHaveLength(1);
    expect(reminders[0]).toMatch(/^【枫桥】预约提醒：您预约的「居住证办理」于 \d+月\d+日 09:00 在黄河十二路测试警务站办理，请携带居民户口簿、居民身份证。/);
    expect(reminders[0]).toContain(a.trackingNo);
    // once the slot has begun nothing is sent any more
    expect(await t.app.reminders.tick(new Date(at(day, '09:01')))).toBe(0);
  });

  it('stops cleanly', async () => {
    const runner = t.app.reminders;
    runner.start();
    runner.start(); // a second start does not add a timer
    await runner.stop();
    await runner.stop();
  });
});

describe('the office side', () => {
  let past: string;
  let missed: string;
  let future: string;

  beforeAll(async () => {
    const residentId = (await t.deps.db.selectFrom('residents').select('id').where('phone', '=', '13700000101').executeTakeFirstOrThrow()).id;
    const insert = async (start: string) => {
      const id = uuidv7();
      await servicesRepository.insertAppointment(t.deps.db, {
        id,
        tracking_no: `YYTEST${id.slice(-8)}`,
        service_id: pair,
        office_id: officeId,
        resident_id: residentId,
        client_id: null,
        slot_start: new Date(start),
        slot_end: new Date(new Date(start).getTime() + 30 * 60_000),
        name: '王大明',
        phone: '13700000101',
        note: null,
        status: 'booked',
        reminder_sent_at: null,
      });
      return id;
    };
    past = await insert(at(addDays(today, -1), '09:00'));
    missed = await insert(at(addDays(today, -1), '09:30'));
    future = await insert(at(addDays(today, 6), '09:00'));
  });

  it("lists the day's bookings by slot with the full phone, audited", async () => {
    const res = await t.call(officer, 'GET', `/api/v1/appointments?officeId=${officeId}&date=${D}`);
    expect(res.statusCode).toBe(200);
    const items = res.json();
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((a: { slotStart: string }) => a.slotStart)).toEqual([...items.map((a: { slotStart: string }) => a.slotStart)].sort());
    expect(items.find((a: { name: string; phone: string }) => a.phone === '13700000101')).toBeTruthy();
    const audit = await t.deps.db.selectFrom('audit_log').select(['actor_name', 'subject_ids']).where('action', '=', 'appointment.list').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit.actor_name).toBe('张明(officer)');
    expect(audit.subject_ids).toEqual(items.map((a: { id: string }) => a.id));
    const booked = (await t.call(chief, 'GET', `/api/v1/appointments?officeId=${officeId}&date=${D}&status=cancelled`)).json();
    expect(booked.every((a: { status: string }) => a.status === 'cancelled')).toBe(true);
    expect((await t.call(gridworker, 'GET', '/api/v1/appointments')).statusCode).toBe(403);
    expect((await t.call(admin, 'GET', '/api/v1/appointments')).statusCode).toBe(403);
  });

  it('keeps another jurisdiction out', async () => {
    const sys = systemContext(Object.keys(PERMISSIONS));
    await createUser(t.deps, sys, { username: 'szofficer', displayName: '市中民警', password: 'Shizhong123', orgUnitId: await orgUnitId(t.deps, '371602001001'), roles: ['officer'], mustChangePassword: false });
    const sz = await t.login('szofficer', 'Shizhong123');
    expect((await t.call(sz, 'GET', `/api/v1/appointments?officeId=${officeId}`)).statusCode).toBe(404);
    expect((await t.call(sz, 'POST', `/api/v1/appointments/${past}/done`)).statusCode).toBe(404);
    const day = (await t.call(sz, 'GET', `/api/v1/appointments?date=${D}`)).json();
    expect(day).toEqual([]);
  });

  it('finishes a booking once, and marks a no-show only after the slot began', async () => {
    const done = await t.call(officer, 'POST', `/api/v1/appointments/${past}/done`);
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'done', statusName: '已办结', handledBy: '张明' });
    expect((await t.call(officer, 'POST', `/api/v1/appointments/${past}/done`)).statusCode).toBe(409);
    expect((await t.call(officer, 'POST', `/api/v1/appointments/${past}/no-show`)).statusCode).toBe(409);
    const early = await t.call(officer, 'POST', `/api/v1/appointments/${future}/no-show`);
    expect(early.statusCode).toBe(409);
    expect(early.json().detail).toContain('尚未开始');
    const noShow = await t.call(officer, 'POST', `/api/v1/appointments/${missed}/no-show`);
    expect(noShow.statusCode).toBe(200);
    expect(noShow.json()).toMatchObject({ status: 'no_show', statusName: '未到场' });
    const actions = await t.deps.db.selectFrom('audit_log').select('action').where('action', 'in', ['appointment.done', 'appointment.no_show']).orderBy('seq').execute();
    expect(actions).toEqual([{ action: 'appointment.done' }, { action: 'appointment.no_show' }]);
  });
});
