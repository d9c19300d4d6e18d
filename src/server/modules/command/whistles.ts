import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext, type StaffPrincipal } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, fieldError, forbidden, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { directivesRepository, whistlesRepository as repo, type ResponseRow, type WhistleRow } from './repository.js';
import { NotificationOutbox } from '../../platform/notify/notifications.js';
import { formatCst, median, minutesBetween, period, round1 } from './rules.js';
import { nextDailyCode } from '../../db/daily-codes.js';

/** 派出所吹哨、警种报到 (docs/api-command.md "Whistles"). */

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const link = (id: string) => `/command/whistles/${id}`;
const INBOX_LINK = '/command/whistle-inbox';
const NOT_FOUND = '吹哨事项不存在或不在您的辖区内';

/** The station at or above the caller's unit. */
async function stationOf(deps: Deps, me: StaffPrincipal) {
  return directivesRepository.ancestorOfKind(deps.db, me.scopePath, 'station');
}

/** The station side of a whistle: whistle.raise holders at the station (or below it), or above it. */
const stationSide = (me: StaffPrincipal, w: { org_path: string }) => me.permissions.has('whistle.raise') && (w.org_path.startsWith(me.scopePath) || me.scopePath.startsWith(w.org_path));

/** When a round began: the raise for round 1, else the reopen (the due time less the response time). */
const roundStart = (w: Pick<WhistleRow, 'raised_at' | 'response_minutes'>, r: Pick<ResponseRow, 'round' | 'due_at'>) =>
  r.round === 1 ? w.raised_at : new Date(r.due_at.getTime() - w.response_minutes * 60_000);

function presentResponse(w: Pick<WhistleRow, 'raised_at' | 'response_minutes'>, r: ResponseRow, now: Date, me?: StaffPrincipal) {
  const start = roundStart(w, r);
  const overdue = r.status === 'pending' ? now > r.due_at : !!r.acknowledged_at && r.acknowledged_at > r.due_at;
  return {
    id: r.id,
    departmentId: r.department_id,
    departmentName: r.department_name,
    round: r.round,
    status: r.status,
    dueAt: iso(r.due_at),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by_name,
    actedAt: iso(r.acted_at),
    reportedAt: iso(r.reported_at),
    reportedBy: r.reported_by_name,
    report: r.report,
    overdue,
    /** Minutes from the round's start to the acknowledgement (响应用时). */
    responseMinutes: r.acknowledged_at ? minutesBetween(start, r.acknowledged_at) : null,
    /** Minutes from the round's start to the report (处置用时). */
    handlingMinutes: r.reported_at ? minutesBetween(start, r.reported_at) : null,
    /** Minutes past the due time while still not acknowledged. */
    overdueMinutes: r.status === 'pending' && now > r.due_at ? minutesBetween(r.due_at, now) : null,
    mine: !!me && me.departmentId === r.department_id && me.permissions.has('whistle.respond'),
  };
}

function presentWhistle(w: WhistleRow) {
  return {
    id: w.id,
    code: w.code,
    scenario: { id: w.scenario_id, code: w.scenario_code, name: w.scenario_name, urgent: w.urgent, responseMinutes: w.response_minutes },
    station: { id: w.station_id, name: w.station_name },
    title: w.title,
    description: w.description,
    incident: w.incident_id ? { id: w.incident_id, code: w.incident_code } : null,
    address: w.address_id ? { id: w.address_id, text: w.address_text } : null,
    raisedAt: iso(w.raised_at),
    raisedBy: w.raised_by_name,
    round: w.round,
    status: w.status,
    confirmedAt: iso(w.confirmed_at),
    confirmedBy: w.confirmed_by_name,
  };
}

export interface RaiseInput {
  scenarioId: string;
  title: string;
  description: string;
  incidentId?: string;
  addressId?: string;
}

export async function raiseWhistle(deps: Deps, ctx: RequestContext, input: RaiseInput, now = new Date()) {
  const me = staffOf(ctx);
  const station = await stationOf(deps, me);
  if (!station) throw forbidden('只有派出所及其社区警务区的民警可以吹哨');
  const errors: FieldError[] = [];
  const title = input.title.trim();
  const description = input.description.trim();
  if (!title) errors.push({ field: 'title', message: '请填写事项标题' });
  if (!description) errors.push({ field: 'description', message: '请填写情况说明' });
  const scenario = await repo.scenario(deps.db, input.scenarioId);
  let receivers: Array<{ id: string; name: string }> = [];
  if (!scenario || scenario.status !== 'active') errors.push({ field: 'scenarioId', message: '吹哨场景不存在或已停用' });
  else {
    // the scenario's departments that serve this station: those of its branch (their unit lies above the station)
    receivers = (await repo.departments(deps.db, scenario.department_ids)).filter((d) => d.status === 'active' && station.path.startsWith(d.path));
    if (!receivers.length) errors.push({ field: 'scenarioId', message: '该场景在本辖区没有可报到的部门，请联系管理员配置' });
  }
  if (input.incidentId && !(await directivesRepository.incidentInScope(deps.db, station.path, input.incidentId))) errors.push({ field: 'incidentId', message: '警情不存在或不在本所辖区' });
  if (input.addressId && !(await repo.addressInScope(deps.db, station.path, input.addressId))) errors.push({ field: 'addressId', message: '地址不存在或不在本所辖区' });
  if (errors.length) throw validationError(errors);
  const s = scenario!;
  const due = new Date(now.getTime() + s.response_minutes * 60_000);
  const id = uuidv7();
  const outbox = new NotificationOutbox();
  await deps.db.transaction().execute(async (trx) => {
    const code = await nextDailyCode(trx, 'whistles', 'CS', now, 4);
    await repo.insertWhistle(trx, {
      id,
      code,
      scenario_id: s.id,
      station_id: station.id,
      org_path: station.path,
      title,
      description,
      incident_id: input.incidentId ?? null,
      address_id: input.addressId ?? null,
      raised_by: me.userId,
      raised_at: now,
    });
    await repo.insertResponses(trx, receivers.map((d) => ({ id: uuidv7(), whistle_id: id, department_id: d.id, round: 1, due_at: due })));
    await directivesRepository.insertEvents(trx, [
      { id: uuidv7(), subject_kind: 'whistle', subject_id: id, at: now, actor_id: me.userId, action: 'raised', note: `${s.name}：${receivers.map((d) => d.name).join('、')}须于${formatCst(due)}前响应` },
    ]);
    await recordAudit(trx, ctx, { action: 'whistle.raise', subjectType: 'whistle', subjectIds: [id], detail: { code, scenario: s.code, title, departments: receivers.map((d) => d.id) } });
    await outbox.notify(
      trx,
      receivers.map((d) => ({ permission: 'whistle.respond' as const, departmentId: d.id })),
      { kind: 'whistle.raised', level: s.urgent ? 'urgent' : 'normal', title: `${station.name}吹哨：${title}`, body: `${s.name}，请于${formatCst(due)}前响应报到`, link: INBOX_LINK, subjectId: id },
      { sms: s.urgent ? `【枫桥】派出所吹哨：${station.name}就“${title}”（${s.name}）吹哨，请于${formatCst(due)}前响应报到。` : undefined },
    );
  });
  await outbox.flush(deps);
  return getWhistle(deps, ctx, id, now);
}

export async function listWhistles(deps: Deps, ctx: RequestContext, f: { status?: string }, page: { limit: number; offset: number }, now = new Date()) {
  const me = staffOf(ctx);
  const station = await stationOf(deps, me);
  const { total, rows } = await repo.list(deps.db, { stationId: station?.id, scopePath: me.scopePath, status: f.status, ...page });
  const responses = await repo.responsesOf(deps.db, rows.map((w) => w.id), 'current');
  return {
    total,
    items: rows.map((w) => ({ ...presentWhistle(w), responses: responses.filter((r) => r.whistle_id === w.id).map((r) => presentResponse(w, r, now)) })),
  };
}

/** The whistle if the caller may see it (the station's side, a receiving department, or oversight); else 404. */
async function visible(deps: Deps, me: StaffPrincipal, id: string) {
  const w = await repo.byId(deps.db, id);
  if (!w) throw notFound(NOT_FOUND);
  const responses = await repo.responsesOf(deps.db, [id]);
  const ok =
    stationSide(me, w) ||
    (me.permissions.has('whistle.respond') && !!me.departmentId && responses.some((r) => r.department_id === me.departmentId)) ||
    (me.permissions.has('command.oversee') && w.org_path.startsWith(me.scopePath));
  if (!ok) throw notFound(NOT_FOUND);
  return { w, responses };
}

export async function getWhistle(deps: Deps, ctx: RequestContext, id: string, now = new Date()) {
  const me = staffOf(ctx);
  const { w, responses } = await visible(deps, me, id);
  const events = await directivesRepository.events(deps.db, id);
  const names = new Map(responses.map((r) => [r.id, r.department_name]));
  const station = stationSide(me, w);
  return {
    ...presentWhistle(w),
    responses: responses.filter((r) => r.round === w.round).map((r) => presentResponse(w, r, now, me)),
    earlierRounds: responses.filter((r) => r.round < w.round).map((r) => presentResponse(w, r, now, me)),
    events: events.map((e) => ({ id: e.id, at: iso(e.at), action: e.action, note: e.note, actor: e.actor_name, targetId: e.target_id, departmentName: e.target_id ? (names.get(e.target_id) ?? null) : null })),
    canConfirm: station && w.status === 'reported',
    canReopen: station && w.status === 'reported',
  };
}

/** The station's side of a whistle, locked for a change; else 404. */
async function stationWhistle(trx: Deps['db'], me: StaffPrincipal, id: string) {
  const w = await repo.byId(trx, id, true);
  if (!w || !stationSide(me, w)) throw notFound(NOT_FOUND);
  return w;
}

export async function confirmWhistle(deps: Deps, ctx: RequestContext, id: string, now = new Date()) {
  const me = staffOf(ctx);
  const outbox = new NotificationOutbox();
  await deps.db.transaction().execute(async (trx) => {
    const w = await stationWhistle(trx, me, id);
    if (!(await repo.confirm(trx, id, me.userId, now))) throw conflict(w.status === 'confirmed' ? '该事项已确认办结' : '报到部门尚未全部反馈，不能确认', 'status');
    await directivesRepository.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'whistle', subject_id: id, at: now, actor_id: me.userId, action: 'confirmed', note: null }]);
    await recordAudit(trx, ctx, { action: 'whistle.confirm', subjectType: 'whistle', subjectIds: [id], detail: { code: w.code, round: w.round } });
    const depts = [...new Set((await repo.responsesOf(trx, [id], 'current')).map((r) => r.department_id))];
    await outbox.notify(trx, depts.map((d) => ({ permission: 'whistle.respond' as const, departmentId: d })), { kind: 'whistle.confirmed', title: `吹哨事项已确认办结：${w.title}`, body: `${w.station_name}已确认各部门的反馈`, link: INBOX_LINK, subjectId: id });
  });
  await outbox.flush(deps);
  return getWhistle(deps, ctx, id, now);
}

/** Reopens a reported whistle: a new round with a response (due again) for every receiver of the last round. */
export async function reopenWhistle(deps: Deps, ctx: RequestContext, id: string, reasonText: string, now = new Date()) {
  const me = staffOf(ctx);
  const reason = reasonText.trim();
  if (!reason) throw fieldError('reason', '请填写重新吹哨的原因');
  const outbox = new NotificationOutbox();
  await deps.db.transaction().execute(async (trx) => {
    const w = await stationWhistle(trx, me, id);
    const last = await repo.responsesOf(trx, [id], 'current');
    const next = await repo.reopen(trx, id);
    if (!next) throw conflict(w.status === 'confirmed' ? '该事项已确认办结，不能重新吹哨' : '报到部门尚未全部反馈，不能重新吹哨', 'status');
    const due = new Date(now.getTime() + w.response_minutes * 60_000);
    const depts = [...new Map(last.map((r) => [r.department_id, r.department_name])).entries()];
    await repo.insertResponses(trx, depts.map(([d]) => ({ id: uuidv7(), whistle_id: id, department_id: d, round: next.round, due_at: due })));
    await directivesRepository.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'whistle', subject_id: id, at: now, actor_id: me.userId, action: 'reopened', note: `第 ${next.round} 轮：${reason}` }]);
    await recordAudit(trx, ctx, { action: 'whistle.reopen', subjectType: 'whistle', subjectIds: [id], detail: { code: w.code, round: next.round, reason } });
    await outbox.notify(
      trx,
      depts.map(([d]) => ({ permission: 'whistle.respond' as const, departmentId: d })),
      { kind: 'whistle.reopened', level: w.urgent ? 'urgent' : 'normal', title: `${w.station_name}重新吹哨：${w.title}`, body: `${reason}；请于${formatCst(due)}前响应`, link: INBOX_LINK, subjectId: id },
      { sms: w.urgent ? `【枫桥】派出所重新吹哨：${w.station_name}就“${w.title}”再次吹哨（${reason}），请于${formatCst(due)}前响应报到。` : undefined },
    );
  });
  await outbox.flush(deps);
  return getWhistle(deps, ctx, id, now);
}

export async function whistleInbox(deps: Deps, ctx: RequestContext, f: { status?: string }, page: { limit: number; offset: number }, now = new Date()) {
  const me = staffOf(ctx);
  if (!me.departmentId) return { total: 0, items: [] };
  const { total, rows } = await repo.inbox(deps.db, { departmentId: me.departmentId, status: f.status, ...page });
  return {
    total,
    items: rows.map((r) => ({
      ...presentResponse(r, r, now, me),
      whistle: { id: r.whistle_id, code: r.code, title: r.title, description: r.description, scenarioName: r.scenario_name, urgent: r.urgent, stationName: r.station_name, raisedAt: iso(r.raised_at), raisedBy: r.raised_by_name, status: r.whistle_status, round: r.whistle_round },
      current: r.round === r.whistle_round && r.whistle_status === 'open',
    })),
  };
}

const STEPS = {
  acknowledge: { from: ['pending'] as Array<ResponseRow['status']>, to: 'acknowledged' as const, action: 'acknowledged', name: '响应' },
  act: { from: ['acknowledged'] as Array<ResponseRow['status']>, to: 'acting' as const, action: 'acting', name: '处置' },
  report: { from: ['acknowledged', 'acting'] as Array<ResponseRow['status']>, to: 'reported' as const, action: 'reported', name: '反馈' },
};

const STATUS_NAMES: Record<ResponseRow['status'], string> = { pending: '待响应', acknowledged: '已响应', acting: '处置中', reported: '已反馈' };

/**
 * One step of a department's response: acknowledge (响应) → act (处置) → report (反馈, with text). Only the
 * department's own staff (else 404); a step out of order is 409. The whistle row is locked first, so two
 * departments reporting at once are serialised and the last one flips the whistle to `reported` exactly once.
 */
export async function respond(deps: Deps, ctx: RequestContext, id: string, step: keyof typeof STEPS, reportText?: string, now = new Date()) {
  const me = staffOf(ctx);
  const s = STEPS[step];
  const report = reportText?.trim() ?? '';
  if (step === 'report' && !report) throw fieldError('report', '请填写反馈内容');
  const first = await repo.response(deps.db, id);
  if (!first || !me.departmentId || first.department_id !== me.departmentId) throw notFound('报到事项不存在或不是本部门的');
  const outbox = new NotificationOutbox();
  await deps.db.transaction().execute(async (trx) => {
    const w = (await repo.byId(trx, first.whistle_id, true))!;
    const r = (await repo.response(trx, id))!;
    if (w.status !== 'open' || r.round !== w.round) throw conflict(w.status === 'confirmed' ? '该事项已确认办结' : '该轮报到已结束', 'status');
    const set =
      step === 'acknowledge'
        ? { status: s.to, acknowledged_at: now, acknowledged_by: me.userId }
        : step === 'act'
          ? { status: s.to, acted_at: now }
          : { status: s.to, reported_at: now, reported_by: me.userId, report };
    if (!(await repo.transition(trx, id, s.from, set))) throw conflict(`当前状态为「${STATUS_NAMES[r.status]}」，不能${s.name}`, 'status');
    await directivesRepository.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'whistle', subject_id: w.id, target_id: id, at: now, actor_id: me.userId, action: s.action, note: step === 'report' ? report.slice(0, 500) : null }]);
    await recordAudit(trx, ctx, { action: `whistle.${step}`, subjectType: 'whistle', subjectIds: [w.id, id], detail: { code: w.code, round: r.round, late: step === 'acknowledge' && now > r.due_at } });
    const dept = (await repo.departments(trx, [r.department_id]))[0]?.name ?? '报到部门';
    if (step !== 'act') {
      await outbox.notify(trx, { userIds: [w.raised_by] }, { kind: `whistle.${s.action}`, title: `${dept}已${s.name}：${w.title}`, body: step === 'report' ? report.slice(0, 200) : `${me.displayName}于${formatCst(now)}响应`, link: link(w.id), subjectId: w.id });
    }
    if (step === 'report' && (await repo.markReportedIfDone(trx, w.id))) {
      await directivesRepository.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'whistle', subject_id: w.id, at: now, actor_id: null, action: 'all_reported', note: `第 ${w.round} 轮报到部门已全部反馈` }]);
      await outbox.notify(trx, { userIds: [w.raised_by] }, { kind: 'whistle.all_reported', level: 'normal', title: `全部报到部门已反馈：${w.title}`, body: '请确认办结或重新吹哨', link: link(w.id), subjectId: w.id });
    }
  });
  await outbox.flush(deps);
  const fresh = await repo.responsesOf(deps.db, [first.whistle_id]);
  const w = (await repo.byId(deps.db, first.whistle_id))!;
  return { ...presentResponse(w, fresh.find((x) => x.id === id)!, now, me), whistle: { id: w.id, code: w.code, status: w.status, round: w.round } };
}

/** Median response and handling minutes per department over the first rounds of a period; overdue now. */
export async function whistleStats(deps: Deps, ctx: RequestContext, q: { from?: string; to?: string }, now = new Date()) {
  const me = staffOf(ctx);
  const p = period(q.from, q.to, now);
  if (p.start >= p.end) throw fieldError('from', '开始日期不能晚于结束日期');
  const rows = await repo.statsResponses(deps.db, { scopePath: me.scopePath, start: p.start, end: p.end });
  const overdue = await repo.overdueResponses(deps.db, me.scopePath, now);
  const mins = (a: Date, b: Date) => (b.getTime() - a.getTime()) / 60_000;
  const byDept = new Map<string, typeof rows>();
  for (const r of rows) byDept.set(r.department_id, [...(byDept.get(r.department_id) ?? []), r]);
  const figures = (xs: typeof rows) => {
    const acked = xs.filter((r) => r.acknowledged_at);
    const reported = xs.filter((r) => r.reported_at);
    return {
      responses: xs.length,
      acknowledged: acked.length,
      reported: reported.length,
      onTime: acked.filter((r) => r.acknowledged_at! <= r.due_at).length,
      medianResponseMinutes: round1(median(acked.map((r) => mins(r.raised_at, r.acknowledged_at!)))),
      medianHandlingMinutes: round1(median(reported.map((r) => mins(r.raised_at, r.reported_at!)))),
    };
  };
  const statuses = await repo.statsWhistles(deps.db, { scopePath: me.scopePath, start: p.start, end: p.end });
  const n = (s: string) => Number(statuses.find((x) => x.status === s)?.n ?? 0);
  return {
    from: p.fromDay,
    to: p.toDay,
    headline: { whistles: n('open') + n('reported') + n('confirmed'), byStatus: { open: n('open'), reported: n('reported'), confirmed: n('confirmed') }, ...figures(rows), overdueNow: overdue.length },
    byDepartment: [...byDept.entries()]
      .map(([id, xs]) => ({ departmentId: id, name: xs[0]!.department_name, ...figures(xs), overdueNow: overdue.filter((o) => o.department_name === xs[0]!.department_name).length }))
      .sort((a, b) => (b.medianResponseMinutes ?? -1) - (a.medianResponseMinutes ?? -1) || a.name.localeCompare(b.name, 'zh')),
    overdue: overdue.map((o) => ({ responseId: o.id, whistleId: o.whistle_id, code: o.code, title: o.title, stationName: o.station_name, departmentName: o.department_name, dueAt: iso(o.due_at), overdueMinutes: minutesBetween(o.due_at, now), urgent: o.urgent })),
  };
}
