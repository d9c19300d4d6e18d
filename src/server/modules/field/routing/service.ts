// Dispatches (分派事项): the inboxes of departments and community officers, the detail (audited), accept, handling
// notes, close with feedback (SMS to the worker), reject to the community officer, and the figures per department.
import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Deps } from '../../../deps.js';
import type { DB, DispatchStatus } from '../../../db/schema.js';
import type { FormSchema } from '../../../../shared/forms.js';
import { staffOf, type RequestContext, type StaffPrincipal } from '../../../platform/access/context.js';
import { subtreePattern } from '../../../platform/access/scope.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { conflict, forbidden, notFound, validationError } from '../../../platform/errors/index.js';
import { orgRepository } from '../../org/repository.js';
import { addDays, todayCst } from '../../population/rules.js';
import { routingRepository as repo, type Box, type DispatchRow } from './repository.js';
import { dispatchesOfItems, OFFICER_OWNER_NAME, officerUnitOf } from './route-item.js';

const NOT_FOUND_DISPATCH = '分派事项不存在或不由您办理';
const HOUR = 3_600_000;

export const RESULT_NAMES = { resolved: '已解决', referred: '已转办', unfounded: '经核查不属实', other: '其他' } as const;
export type DispatchResult = keyof typeof RESULT_NAMES;

export const STATUS_NAMES: Record<DispatchStatus, string> = { pending: '待签收', accepted: '办理中', closed: '已办结', rejected: '已退回' };

export const EVENT_NAMES: Record<string, string> = {
  routed: '分派',
  accepted: '签收',
  note: '办理记录',
  escalated: '超时督办',
  closed: '办结反馈',
  rejected: '退回',
  reassigned: '转社区民警',
  reopened: '重新分派',
};

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

// ---- who may see and handle a dispatch -------------------------------------------------------------------------------

/**
 * Whether the caller works the community officers' inbox: staff without a department who hold field.read (the
 * jurisdiction's police: officers, chiefs). A mediator without a department has no inbox of their own.
 */
const officerInbox = (me: StaffPrincipal) => !me.departmentId && me.permissions.has('field.read');

/** The owner of the dispatch: its department's staff, or (officer-targeted) the officers whose scope holds it. */
function handles(me: StaffPrincipal, d: DispatchRow): boolean {
  if (me.departmentId) return d.department_id === me.departmentId;
  return officerInbox(me) && d.target_kind === 'officer' && d.org_path.startsWith(me.scopePath);
}

/** Who may read it: the owner, the escalation department once escalated, and field.read in the jurisdiction. */
function sees(me: StaffPrincipal, d: DispatchRow): boolean {
  if (handles(me, d)) return true;
  if (me.departmentId && d.escalation_level > 0 && d.escalate_to_department_id === me.departmentId) return true;
  return me.permissions.has('field.read') && d.org_path.startsWith(me.scopePath);
}

async function visibleOr404(deps: Deps, me: StaffPrincipal, id: string) {
  const d = await repo.dispatch(deps.db, id);
  if (!d || !sees(me, d)) throw notFound(NOT_FOUND_DISPATCH);
  return d;
}

async function ownedOr404(deps: Deps, me: StaffPrincipal, id: string) {
  const d = await visibleOr404(deps, me, id);
  if (!handles(me, d)) throw forbidden(d.target_kind === 'officer' ? '该事项由社区民警办理，您只能查看' : `该事项由${d.department_name ?? '其他部门'}办理，您只能查看`);
  return d;
}

// ---- presenting ------------------------------------------------------------------------------------------------------

export function presentSummary(d: DispatchRow, now: Date) {
  const due = new Date(d.accept_due_at);
  return {
    id: d.id,
    status: d.status,
    statusName: STATUS_NAMES[d.status],
    targetKind: d.target_kind,
    departmentId: d.department_id,
    ownerName: d.department_name ?? OFFICER_OWNER_NAME,
    ruleName: d.rule_name,
    escalationLevel: d.escalation_level,
    escalateToName: d.escalate_name,
    acceptDueAt: due.toISOString(),
    overdue: d.status === 'pending' && due.getTime() < now.getTime(),
    createdAt: iso(d.created_at)!,
    acceptedAt: iso(d.accepted_at),
    closedAt: iso(d.closed_at),
    result: d.result,
    orgUnitName: d.org_unit_name,
    item: {
      id: d.item_id,
      typeCode: d.item_type_code,
      typeName: d.item_type_name ?? d.item_type_code,
      status: d.item_status,
      occurredAt: iso(d.item_occurred_at)!,
      address: d.address_text,
      workerName: d.worker_name,
    },
  };
}

const maskIdNumber = (v: string) => (/^\d{17}[\dX]$/i.test(v) ? `${v.slice(0, 6)}********${v.slice(-4)}` : '（已脱敏）');

/** An item's data with the labels of its type's form: known fields in form order, then any the form no longer has. */
export function labelData(schema: FormSchema | null, data: Record<string, unknown>) {
  const fields = schema?.fields ?? [];
  const out: Array<{ key: string; label: string; type: string; value: unknown; text: string }> = [];
  const show = (type: string, v: unknown): { value: unknown; text: string } => {
    if (type === 'idnumber') {
      const masked = typeof v === 'string' ? maskIdNumber(v) : '（已加密）';
      return { value: masked, text: masked };
    }
    if (typeof v === 'boolean') return { value: v, text: v ? '是' : '否' };
    if (Array.isArray(v)) return { value: v, text: v.map(String).join('、') };
    if (v !== null && typeof v === 'object') return { value: null, text: '（已加密）' };
    return { value: v, text: String(v) };
  };
  for (const f of fields) {
    const v = data[f.key];
    if (v === undefined || v === null || v === '') continue;
    out.push({ key: f.key, label: f.label, type: f.type, ...show(f.type, v) });
  }
  const known = new Set(fields.map((f) => f.key));
  for (const [k, v] of Object.entries(data)) {
    if (known.has(k) || v === undefined || v === null || v === '') continue;
    out.push({ key: k, label: k, type: 'text', ...show(/id(number|no)/i.test(k) ? 'idnumber' : 'text', v) });
  }
  return out;
}

// ---- lists and detail -----------------------------------------------------------------------------------------------

export async function listDispatches(
  deps: Deps,
  ctx: RequestContext,
  f: { box?: Box; status?: DispatchStatus; overdue?: boolean },
  paging: { limit: number; offset: number },
) {
  const me = staffOf(ctx);
  const box = f.box ?? 'inbox';
  if (box === 'all' && !me.permissions.has('field.read')) throw forbidden('查看辖区全部分派事项需要“查看网格采集事项”权限');
  const now = new Date();
  const { items, total } = await repo.listDispatches(deps.db, { box, departmentId: me.departmentId, officer: officerInbox(me), scopePath: me.scopePath, status: f.status, overdue: f.overdue, now }, paging);
  return { items: items.map((d) => ({ ...presentSummary(d, now), canHandle: handles(me, d) })), total };
}

/** DispatchDetail: the item with its data labelled, photos, address, worker, the timeline; audited `dispatch.read`. */
export async function getDispatch(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const d = await visibleOr404(deps, me, id);
  const [item, events, siblings] = await Promise.all([repo.item(deps.db, d.item_id), repo.events(deps.db, d.id), dispatchesOfItems(deps.db, [d.item_id])]);
  await recordAudit(deps.db, ctx, {
    action: 'dispatch.read',
    subjectType: 'dispatch',
    subjectIds: [d.id, d.item_id],
    subjectUnitId: d.org_unit_id,
    detail: { itemType: d.item_type_code, owner: d.department_name ?? OFFICER_OWNER_NAME },
  });
  const now = new Date();
  const data = (item?.data ?? {}) as Record<string, unknown>;
  return {
    ...presentSummary(d, now),
    canHandle: handles(me, d),
    feedback: d.feedback,
    rejectReason: d.reject_reason,
    acceptedByName: d.accepted_by_name,
    closedByName: d.closed_by_name,
    resultName: d.result ? RESULT_NAMES[d.result] : null,
    item: item && {
      id: item.id,
      typeCode: item.type_code,
      typeName: item.type_name ?? item.type_code,
      categoryCode: item.category_code,
      categoryName: item.category_name ?? item.category_code,
      status: item.status,
      fields: labelData((item.form_schema as FormSchema | null) ?? null, data),
      note: item.note,
      photos: (item.photo_ids ?? []).map((pid) => ({ id: pid, url: `/api/v1/field/attachments/${pid}` })),
      address: item.address_id ? { id: item.address_id, fullText: item.address_text } : null,
      orgUnit: { id: item.org_unit_id, name: item.org_unit_name },
      lng: item.lng,
      lat: item.lat,
      occurredAt: iso(item.occurred_at)!,
      receivedAt: iso(item.received_at)!,
      worker: { id: item.worker_id, name: item.worker_name, phone: item.worker_phone },
    },
    timeline: events.map((e) => ({ id: e.id, action: e.action, actionName: EVENT_NAMES[e.action] ?? e.action, actorName: e.actor_name ?? (e.actor_id ? null : '系统'), note: e.note, at: iso(e.at)! })),
    otherDispatches: (siblings.get(d.item_id) ?? []).filter((s) => s.id !== d.id),
  };
}

// ---- handling ---------------------------------------------------------------------------------------------------------

const RACE = '该事项刚被他人处理，请刷新后重试';

function stateConflict(d: DispatchRow, what: string): never {
  if (what === '签收' && d.status === 'accepted') throw conflict(`该事项已由${d.accepted_by_name ?? '他人'}签收`, 'status');
  throw conflict(`该事项${STATUS_NAMES[d.status]}，不能${what}`, 'status');
}

async function event(trx: Kysely<DB>, me: StaffPrincipal, dispatchId: string, action: string, note: string | null, at = new Date()) {
  await repo.insertEvent(trx, { id: uuidv7(), dispatch_id: dispatchId, action, actor_id: me.userId, note, at });
}

const audit = (trx: Kysely<DB>, ctx: RequestContext, d: DispatchRow, action: string, detail: Record<string, unknown> = {}) =>
  recordAudit(trx, ctx, { action, subjectType: 'dispatch', subjectIds: [d.id, d.item_id], subjectUnitId: d.org_unit_id, detail: { itemType: d.item_type_code, ...detail } });

/** 签收: pending → accepted. Two handlers at once: one succeeds, the other gets 409. */
export async function acceptDispatch(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const d = await ownedOr404(deps, me, id);
  if (d.status !== 'pending') stateConflict(d, '签收');
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.transition(trx, d.id, ['pending'], { status: 'accepted', accepted_at: now, accepted_by: me.userId }))) throw conflict('该事项已被他人签收', 'status');
    await event(trx, me, d.id, 'accepted', null, now);
    await audit(trx, ctx, d, 'dispatch.accept');
  });
  return getDispatch(deps, ctx, d.id);
}

const text = (field: string, raw: string, min: number, max: number, what: string) => {
  const v = raw.trim();
  if ([...v].length < min || [...v].length > max) throw validationError([{ field, message: `${what}须为 ${min}–${max} 个字` }]);
  return v;
};

/** 添加办理记录 while accepted. */
export async function noteDispatch(deps: Deps, ctx: RequestContext, id: string, raw: string) {
  const me = staffOf(ctx);
  const note = text('note', raw, 2, 1000, '办理记录');
  const d = await ownedOr404(deps, me, id);
  if (d.status !== 'accepted') throw conflict(d.status === 'pending' ? '请先签收再添加办理记录' : `该事项${STATUS_NAMES[d.status]}，不能添加办理记录`, 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.transition(trx, d.id, ['accepted'], {}))) throw conflict(RACE, 'status');
    await event(trx, me, d.id, 'note', note);
    await audit(trx, ctx, d, 'dispatch.note');
  });
  return getDispatch(deps, ctx, d.id);
}

/** 办结反馈: accepted → closed; the item is closed when none of its dispatches is still open; SMS to the worker. */
export async function closeDispatch(deps: Deps, ctx: RequestContext, id: string, input: { result: DispatchResult; feedback: string }) {
  const me = staffOf(ctx);
  const feedback = text('feedback', input.feedback, 2, 1000, '反馈意见');
  const d = await ownedOr404(deps, me, id);
  if (d.status !== 'accepted') throw conflict(d.status === 'pending' ? '请先签收再办结' : `该事项${STATUS_NAMES[d.status]}，不能办结`, 'status');
  const now = new Date();
  let itemClosed = false;
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.transition(trx, d.id, ['accepted'], { status: 'closed', closed_at: now, closed_by: me.userId, result: input.result, feedback }))) throw conflict(RACE, 'status');
    await event(trx, me, d.id, 'closed', `${RESULT_NAMES[input.result]}：${feedback}`, now);
    if ((await repo.openDispatchesOfItem(trx, d.item_id)) === 0) {
      await repo.setItemStatus(trx, d.item_id, 'closed', ['routed', 'submitted']);
      itemClosed = true;
    }
    await audit(trx, ctx, d, 'dispatch.close', { result: input.result, itemClosed });
  });
  const item = await repo.item(deps.db, d.item_id);
  if (item?.worker_phone) {
    const day = todayCst(new Date(item.occurred_at));
    const where = item.address_text ? `（${item.address_text.length > 30 ? `…${item.address_text.slice(-30)}` : item.address_text}）` : '';
    const fb = feedback.length > 120 ? `${feedback.slice(0, 120)}…` : feedback;
    await notify(deps, item.worker_phone, `【枫桥】您${day}上报的“${item.type_name ?? item.type_code}”${where}已由${d.department_name ?? OFFICER_OWNER_NAME}办结（${RESULT_NAMES[input.result]}）：${fb}`);
  }
  return getDispatch(deps, ctx, d.id);
}

/**
 * 退回（非本部门事项）: pending/accepted → rejected, and the item goes to the community officer (a new dispatch, or
 * the item's officer dispatch if it has one: reopened when already closed). Officer-targeted dispatches cannot be
 * rejected (409).
 */
export async function rejectDispatch(deps: Deps, ctx: RequestContext, id: string, raw: string) {
  const me = staffOf(ctx);
  const reason = text('reason', raw, 2, 500, '退回原因');
  const d = await ownedOr404(deps, me, id);
  if (d.target_kind === 'officer') throw conflict('分派给社区民警的事项不能退回，请办理后办结', 'status');
  if (d.status !== 'pending' && d.status !== 'accepted') stateConflict(d, '退回');
  const now = new Date();
  const period = Math.max(HOUR, new Date(d.accept_due_at).getTime() - new Date(d.created_at).getTime());
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.transition(trx, d.id, ['pending', 'accepted'], { status: 'rejected', reject_reason: reason }))) throw conflict(RACE, 'status');
    await event(trx, me, d.id, 'rejected', reason, now);
    const note = `${d.department_name ?? '部门'}退回：${reason}`;
    const existing = await repo.officerDispatchOf(trx, d.item_id);
    let officerId: string;
    if (!existing) {
      officerId = uuidv7();
      const item = await repo.item(trx, d.item_id);
      await repo.insertDispatch(trx, {
        id: officerId,
        item_id: d.item_id,
        rule_id: null,
        target_kind: 'officer',
        department_id: null,
        org_unit_id: await officerUnitOf(trx, item!.org_unit_id),
        county_code: d.county_code,
        status: 'pending',
        accept_due_at: new Date(now.getTime() + period),
        created_at: now,
        updated_at: now,
      });
      await event(trx, me, officerId, 'reassigned', note, now);
    } else {
      officerId = existing.id;
      if (existing.status === 'closed') {
        await repo.reopen(trx, existing.id, new Date(now.getTime() + period), now);
        await event(trx, me, existing.id, 'reopened', note, now);
      } else {
        await event(trx, me, existing.id, 'note', note, now);
      }
    }
    await repo.setItemStatus(trx, d.item_id, 'routed', ['closed', 'submitted']);
    await audit(trx, ctx, d, 'dispatch.reject', { reason, officerDispatchId: officerId });
  });
  return getDispatch(deps, ctx, d.id);
}

/** Sends a text message; a failing gateway is logged, never fails the change it reports. */
export async function notify(deps: Deps, phone: string, body: string) {
  try {
    await deps.sms.send(phone, body);
  } catch (err) {
    deps.log.warn({ err }, 'dispatch sms failed');
  }
}

// ---- figures ---------------------------------------------------------------------------------------------------------

const cstMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** Per department (and the community officers) of the dispatches created in the period, in the caller's scope. */
export async function dispatchStats(deps: Deps, ctx: RequestContext, q: { unitId?: string; from?: string; to?: string }) {
  const me = staffOf(ctx);
  const today = todayCst();
  const to = q.to ?? today;
  const from = q.from ?? `${today.slice(0, 8)}01`;
  if (from > to) throw validationError([{ field: 'from', message: '开始日期不能晚于结束日期' }]);
  if (cstMidnight(to).getTime() - cstMidnight(from).getTime() > 366 * 86_400_000) throw validationError([{ field: 'from', message: '统计区间最长一年' }]);
  let path = me.scopePath;
  if (q.unitId) {
    const unit = await orgRepository.inScope(deps.db, me.scopePath, q.unitId);
    if (!unit) throw notFound('单位不存在或不在您的辖区内');
    path = unit.path;
  }
  const rows = await repo.stats(deps.db, subtreePattern(path), cstMidnight(from), cstMidnight(addDays(to, 1)), new Date());
  const hours = (h: number | null) => (h === null || h === undefined ? null : Math.round(Number(h) * 10) / 10);
  return {
    from,
    to,
    unitId: q.unitId ?? null,
    rows: rows.map((r) => ({
      departmentId: r.department_id,
      targetKind: r.department_id ? 'department' : 'officer',
      ownerName: r.department_name ?? OFFICER_OWNER_NAME,
      received: r.received,
      accepted: r.accepted,
      closed: r.closed,
      rejected: r.rejected,
      pending: r.pending,
      overdue: r.overdue,
      escalated: r.escalated,
      medianAcceptHours: hours(r.median_accept_hours),
      medianCloseHours: hours(r.median_close_hours),
    })),
  };
}
