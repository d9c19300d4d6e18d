import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { residentOf, staffOf, type RequestContext } from '../../platform/access/context.js';
import { PHONE_RE } from '../../platform/auth/service.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { maskPhone } from '../../platform/http/schemas.js';
import { uniqueViolation } from '../population/service.js';
import { nextTrackingNo } from '../portal/repository.js';
import { officeInScope } from './offices.js';
import { servicesRepository as repo, type AppointmentRow } from './repository.js';
import { addDays, APPOINTMENT_STATUS_NAMES, atCst, cstParts, formatMdHm, hmOf, optText, reminderHorizon, todayCst, type AppointmentStatus } from './rules.js';
import { bookableSlot, NOT_OFFERED, offeredService } from './slots.js';

const NOT_FOUND_APPOINTMENT = '预约不存在';
const NOT_FOUND_STAFF = '预约不存在或不在您的辖区内';

/** `Appointment` of docs/api-portal.md (the phone masked). */
export function presentAppointment(a: AppointmentRow) {
  return {
    id: a.id,
    trackingNo: a.tracking_no,
    serviceId: a.service_id,
    serviceName: a.service_name,
    officeName: a.office_name,
    officeAddress: a.office_address,
    slotStart: new Date(a.slot_start).toISOString(),
    slotEnd: new Date(a.slot_end).toISOString(),
    name: a.name,
    phone: maskPhone(a.phone),
    note: a.note,
    status: a.status,
    statusName: APPOINTMENT_STATUS_NAMES[a.status as AppointmentStatus],
    requiredDocs: a.required_docs ?? [],
    createdAt: new Date(a.created_at).toISOString(),
  };
}

/** What the office sees: the phone in full (they call back), the office and who handled it. */
function presentForStaff(a: AppointmentRow) {
  return {
    ...presentAppointment(a),
    phone: a.phone,
    officeId: a.office_id,
    handledAt: a.handled_at ? new Date(a.handled_at).toISOString() : null,
    handledBy: a.handled_by_name ?? null,
  };
}

const docsText = (docs: string[] | null) => (docs?.length ? docs.join('、') : '本人有效身份证件');
const when = (a: { slot_start: Date; slot_end: Date }) => `${formatMdHm(new Date(a.slot_start))}–${hmOf(cstParts(new Date(a.slot_end)).minutes)}`;

export const smsText = {
  booked: (a: AppointmentRow) =>
    `【枫桥】预约成功：您已预约${a.office_name}「${a.service_name}」，时间 ${when(a)}，预约号 ${a.tracking_no}。请携带：${docsText(a.required_docs)}。如需取消，请在预约时段开始前操作。`,
  cancelled: (a: AppointmentRow) => `【枫桥】您预约的${a.office_name}「${a.service_name}」（${formatMdHm(new Date(a.slot_start))}，预约号 ${a.tracking_no}）已取消。如需办理，请重新预约。`,
  reminder: (a: AppointmentRow) =>
    `【枫桥】预约提醒：您预约的「${a.service_name}」于 ${formatMdHm(new Date(a.slot_start))} 在${a.office_name}${a.office_address ? `（${a.office_address}）` : ''}办理，请携带${docsText(a.required_docs)}。预约号 ${a.tracking_no}。`,
};

/** Sends a text after the change committed; a failed send is logged, never undoes the change. */
async function notify(deps: Deps, phone: string, text: string): Promise<boolean> {
  try {
    await deps.sms.send(phone, text);
    return true;
  } catch (err) {
    deps.log.warn({ err }, 'appointment sms failed');
    return false;
  }
}

/** `YY` + yyyymmdd (CST) + 6 digits of the portal tracking sequence (shared with the submissions). */
export const nextAppointmentNo = (db: Kysely<DB>, now: Date) => nextTrackingNo(db, 'YY', now);

export interface BookInput {
  serviceId: string;
  slotStart: string;
  name: string;
  phone?: string | null;
  note?: string | null;
  clientId: string;
}

/**
 * Books a slot. The service row is locked for the count, so two residents racing for the last place get one
 * booking and one 409. The same `clientId` again returns the first booking (`replayed: true`).
 */
export async function book(deps: Deps, ctx: RequestContext, input: BookInput, now = new Date()): Promise<{ appointment: ReturnType<typeof presentAppointment>; replayed: boolean }> {
  const me = residentOf(ctx);
  const prior = await repo.byClient(deps.db, me.residentId, input.clientId);
  if (prior) return { appointment: presentAppointment(prior), replayed: true };

  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: '请填写办事人姓名' });
  const phone = input.phone?.replace(/[\s-]/g, '') || me.phone;
  if (!PHONE_RE.test(phone)) errors.push({ field: 'phone', message: '请填写 11 位手机号码，用于接收预约短信' });
  const s = await offeredService(deps, input.serviceId);
  const slot = bookableSlot(s, new Date(input.slotStart), now);
  if (!slot) errors.push({ field: 'slotStart', message: '所选时段不可预约（已过、不在办公时间或超出可预约日期），请重新选择' });
  if (errors.length) throw validationError(errors);

  const id = uuidv7();
  const trackingNo = await nextAppointmentNo(deps.db, now);
  const day = cstParts(slot!.start).date;
  const replay = await deps.db
    .transaction()
    .execute(async (trx) => {
      const locked = await repo.lockService(trx, s.id);
      if (!locked || locked.status !== 'active') throw notFound(NOT_OFFERED);
      if (await repo.byClient(trx, me.residentId, input.clientId)) return true;
      const same = await repo.activeOnDay(trx, me.residentId, s.id, atCst(day, 0), atCst(addDays(day, 1), 0));
      if (same) throw conflict(`您已预约该事项 ${formatMdHm(new Date(same.slot_start))} 的时段，同一事项每天只能预约一次`, 'slotStart');
      if ((await repo.countSlot(trx, s.id, slot!.start)) >= locked.capacity) throw conflict('该时段已约满，请选择其他时段', 'slotStart');
      await repo.insertAppointment(trx, {
        id,
        tracking_no: trackingNo,
        service_id: s.id,
        office_id: s.office_id,
        resident_id: me.residentId,
        client_id: input.clientId,
        slot_start: slot!.start,
        slot_end: slot!.end,
        name,
        phone,
        note: optText(input.note) ?? null,
        status: 'booked',
        // a slot sooner than the next reminder round: the booking text is the reminder
        reminder_sent_at: slot!.start < reminderHorizon(now) ? now : null,
      });
      await recordAudit(trx, ctx, {
        action: 'appointment.book',
        subjectType: 'appointment',
        subjectIds: [id],
        orgUnitId: s.org_unit_id,
        detail: { serviceId: s.id, officeId: s.office_id, slotStart: slot!.start.toISOString(), trackingNo },
      });
      return false;
    })
    .catch((e) => {
      // the same clientId committed by a concurrent request: answer with that booking
      if (uniqueViolation(e) === 'appointments_client_idx') return true;
      throw e;
    });
  if (replay) {
    const first = await repo.byClient(deps.db, me.residentId, input.clientId);
    if (first) return { appointment: presentAppointment(first), replayed: true };
    throw conflict('该时段已约满，请选择其他时段', 'slotStart');
  }
  const row = (await repo.appointment(deps.db, id))!;
  await notify(deps, row.phone, smsText.booked(row));
  return { appointment: presentAppointment(row), replayed: false };
}

export async function listOwn(deps: Deps, ctx: RequestContext, paging: { limit: number; offset: number }) {
  const me = residentOf(ctx);
  const { rows, total } = await repo.residentPage(deps.db, me.residentId, paging.limit, paging.offset);
  return { items: rows.map(presentAppointment), total };
}

/** Cancels an own booking before its slot begins. */
export async function cancel(deps: Deps, ctx: RequestContext, id: string, now = new Date()) {
  const me = residentOf(ctx);
  const a = await repo.ownAppointment(deps.db, me.residentId, id);
  if (!a) throw notFound(NOT_FOUND_APPOINTMENT);
  if (a.status !== 'booked') throw conflict(`该预约${APPOINTMENT_STATUS_NAMES[a.status as AppointmentStatus]}，不能取消`, 'status');
  if (new Date(a.slot_start) <= now) throw conflict('预约时段已开始，不能取消；如不能到场，请联系办事地点', 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.cancel(trx, id, now))) throw conflict('该预约已不能取消', 'status');
    await recordAudit(trx, ctx, { action: 'appointment.cancel', subjectType: 'appointment', subjectIds: [id], orgUnitId: a.org_unit_id, detail: { trackingNo: a.tracking_no } });
  });
  const row = (await repo.appointment(deps.db, id))!;
  await notify(deps, row.phone, smsText.cancelled(row));
  return presentAppointment(row);
}

// ---- staff -------------------------------------------------------------------------------------------------

/** One day's appointments of the offices in scope (or one office), by slot; the read is audited. */
export async function listDay(deps: Deps, ctx: RequestContext, f: { officeId?: string; date?: string; status?: AppointmentStatus }) {
  const me = staffOf(ctx);
  const office = f.officeId ? await officeInScope(deps, ctx, f.officeId) : undefined;
  const date = f.date ?? todayCst();
  const rows = await repo.staffDay(deps.db, { scopePath: me.scopePath, officeId: f.officeId, status: f.status, from: atCst(date, 0), to: atCst(addDays(date, 1), 0) });
  await recordAudit(deps.db, ctx, {
    action: 'appointment.list',
    subjectType: 'appointment',
    subjectIds: rows.map((r) => r.id),
    subjectUnitId: office?.org_unit_id,
    detail: { officeId: f.officeId ?? null, date, status: f.status ?? null, count: rows.length },
  });
  return rows.map(presentForStaff);
}

async function handle(deps: Deps, ctx: RequestContext, id: string, to: 'done' | 'no_show', now: Date) {
  const me = staffOf(ctx);
  const a = await repo.appointmentInScope(deps.db, me.scopePath, id);
  if (!a) throw notFound(NOT_FOUND_STAFF);
  if (a.status !== 'booked') throw conflict(`该预约${APPOINTMENT_STATUS_NAMES[a.status as AppointmentStatus]}，不能再次处理`, 'status');
  if (to === 'no_show' && new Date(a.slot_start) > now) throw conflict('预约时段尚未开始，不能标记为未到场', 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.handle(trx, id, to, me.userId, now, to === 'no_show' ? now : undefined))) throw conflict('该预约已被处理', 'status');
    await recordAudit(trx, ctx, { action: to === 'done' ? 'appointment.done' : 'appointment.no_show', subjectType: 'appointment', subjectIds: [id], subjectUnitId: a.org_unit_id, detail: { trackingNo: a.tracking_no } });
  });
  return presentForStaff((await repo.appointment(deps.db, id))!);
}

export const markDone = (deps: Deps, ctx: RequestContext, id: string, now = new Date()) => handle(deps, ctx, id, 'done', now);
export const markNoShow = (deps: Deps, ctx: RequestContext, id: string, now = new Date()) => handle(deps, ctx, id, 'no_show', now);

/** Sends the reminders due at `now`; returns how many were sent. */
export async function sendDueReminders(deps: Deps, now = new Date()): Promise<number> {
  const ids = await repo.claimReminders(deps.db, now, reminderHorizon(now));
  let sent = 0;
  for (const a of await repo.appointments(deps.db, ids)) {
    if (await notify(deps, a.phone, smsText.reminder(a))) sent++;
    else await repo.unclaimReminder(deps.db, a.id); // tried again at the next round
  }
  return sent;
}
