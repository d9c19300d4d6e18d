import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { DirectiveLevel } from '../../db/schema.js';
import { staffOf, type RequestContext, type StaffPrincipal } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, fieldError, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { getCommandSettings } from './settings.js';
import { directivesRepository as repo, type TargetRow } from './repository.js';
import { NotificationOutbox, type Audience } from '../../platform/notify/notifications.js';
import { LEVEL_NAMES, formatCst, period, rates } from './rules.js';
import { nextDailyCode } from '../../db/daily-codes.js';

/** Four-colour warning directives (docs/api-command.md "Directives"). */

export interface IssueInput {
  level: DirectiveLevel;
  title: string;
  content: string;
  actions: string;
  deadline: string;
  orgUnitIds?: string[];
  departmentIds?: string[];
  incidentId?: string;
}

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const link = (id: string) => `/command/directives/${id}`;
const URGENT_LEVELS: DirectiveLevel[] = ['red', 'orange'];

/** Staff who may sign for a target: its unit or any unit below it, or its department. */
function audienceOfTarget(t: { org_unit_id: string | null; department_id: string | null }): Audience {
  return t.org_unit_id ? { permission: 'directive.handle', orgUnitId: t.org_unit_id } : { permission: 'directive.handle', departmentId: t.department_id! };
}

/** The caller sits at the target unit or below it, or in the target department (and may sign for it). */
export function handles(me: StaffPrincipal, t: { org_unit_id: string | null; unit_path: string | null; department_id: string | null }): boolean {
  if (!me.permissions.has('directive.handle')) return false;
  if (t.org_unit_id && t.unit_path) return me.scopePath.startsWith(t.unit_path);
  return !!t.department_id && t.department_id === me.departmentId;
}

function presentTarget(t: TargetRow, deadline: Date, now: Date, me?: StaffPrincipal) {
  const signOverdue = t.status === 'issued' ? now > t.sign_due_at : !!t.signed_at && t.signed_at > t.sign_due_at;
  const feedbackOverdue = t.status === 'reported' ? !!t.reported_at && t.reported_at > deadline : now > deadline;
  return {
    id: t.id,
    kind: t.org_unit_id ? ('unit' as const) : ('department' as const),
    orgUnitId: t.org_unit_id,
    departmentId: t.department_id,
    name: t.unit_name ?? t.department_name ?? '',
    unitKind: t.unit_kind,
    status: t.status,
    signDueAt: iso(t.sign_due_at),
    signedAt: iso(t.signed_at),
    signedBy: t.signed_by_name,
    reportedAt: iso(t.reported_at),
    reportedBy: t.reported_by_name,
    feedback: t.feedback,
    escalationLevel: t.escalation_level,
    signOverdue,
    feedbackOverdue,
    canHandle: me ? handles(me, t) : false,
  };
}

function counted(c: { targets: number; signed: number; reported: number; onTime: number }) {
  return { ...c, ...rates(c) };
}

export async function issueDirective(deps: Deps, ctx: RequestContext, input: IssueInput, now = new Date()) {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const title = input.title.trim();
  const content = input.content.trim();
  const actions = input.actions.trim();
  if (!title) errors.push({ field: 'title', message: '请填写指令标题' });
  if (!content) errors.push({ field: 'content', message: '请填写指令内容' });
  if (!actions) errors.push({ field: 'actions', message: '请填写工作要求' });
  const deadline = new Date(input.deadline);
  if (Number.isNaN(deadline.getTime())) errors.push({ field: 'deadline', message: '反馈期限格式不正确' });
  else if (deadline <= now) errors.push({ field: 'deadline', message: '反馈期限须晚于当前时间' });
  else if (deadline.getTime() - now.getTime() > 366 * 86_400_000) errors.push({ field: 'deadline', message: '反馈期限不得超过一年' });

  const unitIds = [...new Set(input.orgUnitIds ?? [])];
  const deptIds = [...new Set(input.departmentIds ?? [])];
  if (!unitIds.length && !deptIds.length) errors.push({ field: 'orgUnitIds', message: '请至少选择一个接收单位或警种部门' });
  const units = await repo.unitsInScope(deps.db, me.scopePath, unitIds);
  if (units.length !== unitIds.length) errors.push({ field: 'orgUnitIds', message: '接收单位不存在或不在您的辖区内' });
  else if (units.some((u) => u.kind !== 'station' && u.kind !== 'community')) errors.push({ field: 'orgUnitIds', message: '指令只能下发到派出所或社区警务区' });
  else if (units.some((u) => u.status !== 'active')) errors.push({ field: 'orgUnitIds', message: '接收单位已停用' });
  // departments (警种) of the issuer's branch (or of the issuer's own scope when it sits above any branch)
  const branch = await repo.ancestorOfKind(deps.db, me.scopePath, 'branch');
  const depts = await repo.departmentsUnder(deps.db, branch?.path ?? me.scopePath, deptIds);
  if (depts.length !== deptIds.length) errors.push({ field: 'departmentIds', message: '部门不存在、已停用或不属于本分局' });
  let incident: { id: string; code: string } | undefined;
  if (input.incidentId) {
    incident = await repo.incidentInScope(deps.db, me.scopePath, input.incidentId);
    if (!incident) errors.push({ field: 'incidentId', message: '警情不存在或不在您的辖区内' });
  }
  if (errors.length) throw validationError(errors);

  const settings = await getCommandSettings(deps);
  const signDue = new Date(now.getTime() + settings.directives.signMinutes[input.level] * 60_000);
  const id = uuidv7();
  const outbox = new NotificationOutbox();
  const targets = [
    ...unitIds.map((u) => ({ id: uuidv7(), directive_id: id, org_unit_id: u, department_id: null, sign_due_at: signDue })),
    ...deptIds.map((d) => ({ id: uuidv7(), directive_id: id, org_unit_id: null, department_id: d, sign_due_at: signDue })),
  ];
  const levelName = LEVEL_NAMES[input.level];
  const code = await deps.db.transaction().execute(async (trx) => {
    const code = await nextDailyCode(trx, 'directives', 'ZL', now, 4);
    await repo.insertDirective(
      trx,
      {
        id,
        code,
        level: input.level,
        title,
        content,
        actions,
        deadline,
        incident_id: incident?.id ?? null,
        issuer_id: me.userId,
        issuer_unit_id: me.orgUnitId,
        issuer_path: me.scopePath,
        issued_at: now,
      },
      targets,
    );
    await repo.insertEvents(trx, [
      { id: uuidv7(), subject_kind: 'directive', subject_id: id, at: now, actor_id: me.userId, action: 'issued', note: `下发${levelName}预警指令，接收单位 ${targets.length} 个` },
    ]);
    await recordAudit(trx, ctx, {
      action: 'directive.issue',
      subjectType: 'directive',
      subjectIds: [id],
      detail: { code, level: input.level, title, deadline: deadline.toISOString(), orgUnitIds: unitIds, departmentIds: deptIds },
    });
    const sms = settings.directives.smsLevels.includes(input.level)
      ? `【枫桥】${levelName}预警指令：${title}。请于${formatCst(signDue)}前签收，${formatCst(deadline)}前反馈落实情况。`
      : undefined;
    await outbox.notify(
      trx,
      targets.map(audienceOfTarget),
      { kind: 'directive.issued', level: URGENT_LEVELS.includes(input.level) ? 'urgent' : 'normal', title: `${levelName}预警指令：${title}`, body: `请于${formatCst(signDue)}前签收，${formatCst(deadline)}前反馈`, link: link(id), subjectId: id },
      { sms },
    );
    return code;
  });
  await outbox.flush(deps);
  void code;
  return getDirective(deps, ctx, id, now);
}

export interface DirectiveFilter {
  status?: string;
  level?: string;
  from?: string;
  to?: string;
}

export async function listDirectives(deps: Deps, ctx: RequestContext, f: DirectiveFilter, page: { limit: number; offset: number }, now = new Date()) {
  const me = staffOf(ctx);
  const from = f.from ? new Date(`${f.from}T00:00:00+08:00`) : undefined;
  const to = f.to ? period(f.to, f.to).end : undefined;
  const { total, rows } = await repo.list(deps.db, { scopePath: me.scopePath, status: f.status, level: f.level, from, to, now, ...page });
  return {
    total,
    items: rows.map((r) => ({
      id: r.id,
      code: r.code,
      level: r.level,
      title: r.title,
      status: r.status,
      issuedAt: iso(r.issued_at),
      deadline: iso(r.deadline),
      issuer: { id: r.issuer_id, name: r.issuer_name, unitName: r.issuer_unit_name },
      incident: r.incident_id ? { id: r.incident_id, code: r.incident_code } : null,
      overdueTargets: Number(r.overdue),
      ...counted({ targets: Number(r.targets), signed: Number(r.signed), reported: Number(r.reported), onTime: Number(r.on_time) }),
    })),
  };
}

/** The directive if the caller may see it: the issuer's scope, a target's staff, or oversight; else 404. */
async function visible(deps: Deps, me: StaffPrincipal, id: string) {
  const d = await repo.byId(deps.db, id);
  if (!d) throw notFound('指令不存在或不在您的辖区内');
  const targets = await repo.targetsOf(deps.db, id);
  const inScope = d.issuer_path.startsWith(me.scopePath);
  const ok =
    (inScope && (me.permissions.has('directive.issue') || me.permissions.has('command.oversee'))) ||
    targets.some((t) => handles(me, t)) ||
    // a station's staff also follow what went to its communities (department staff sit at the branch: not them)
    (!me.departmentId && me.permissions.has('directive.handle') && targets.some((t) => !!t.unit_path && t.unit_path.startsWith(me.scopePath)));
  if (!ok) throw notFound('指令不存在或不在您的辖区内');
  return { d, targets, manage: inScope && me.permissions.has('directive.issue') };
}

export async function getDirective(deps: Deps, ctx: RequestContext, id: string, now = new Date()) {
  const me = staffOf(ctx);
  const { d, targets, manage } = await visible(deps, me, id);
  const events = await repo.events(deps.db, id);
  const names = new Map(targets.map((t) => [t.id, t.unit_name ?? t.department_name]));
  const c = {
    targets: targets.length,
    signed: targets.filter((t) => t.status !== 'issued').length,
    reported: targets.filter((t) => t.status === 'reported').length,
    onTime: targets.filter((t) => t.status === 'reported' && t.reported_at! <= d.deadline).length,
  };
  return {
    id: d.id,
    code: d.code,
    level: d.level,
    title: d.title,
    content: d.content,
    actions: d.actions,
    deadline: iso(d.deadline),
    status: d.status,
    issuedAt: iso(d.issued_at),
    issuer: { id: d.issuer_id, name: d.issuer_name, unitName: d.issuer_unit_name },
    closedAt: iso(d.closed_at),
    closedBy: d.closed_by_name,
    incident: d.incident_id ? { id: d.incident_id, code: d.incident_code } : null,
    canManage: manage && d.status === 'active',
    ...counted(c),
    targets: targets.map((t) => presentTarget(t, d.deadline, now, me)),
    events: events.map((e) => ({ id: e.id, at: iso(e.at), action: e.action, note: e.note, actor: e.actor_name, targetId: e.target_id, targetName: e.target_id ? (names.get(e.target_id) ?? null) : null })),
  };
}

/** Closes (办结) or withdraws (撤回) an active directive of the caller's scope. */
export async function endDirective(deps: Deps, ctx: RequestContext, id: string, how: 'closed' | 'withdrawn', now = new Date()) {
  const me = staffOf(ctx);
  const d = await repo.byId(deps.db, id);
  if (!d || !d.issuer_path.startsWith(me.scopePath)) throw notFound('指令不存在或不在您的辖区内');
  const outbox = new NotificationOutbox();
  await deps.db.transaction().execute(async (trx) => {
    const done = await repo.setStatus(trx, id, how, me.userId, now);
    if (!done) throw conflict(d.status === 'withdrawn' ? '指令已撤回' : '指令已办结', 'status');
    await repo.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'directive', subject_id: id, at: now, actor_id: me.userId, action: how === 'closed' ? 'closed' : 'withdrawn', note: null }]);
    await recordAudit(trx, ctx, { action: how === 'closed' ? 'directive.close' : 'directive.withdraw', subjectType: 'directive', subjectIds: [id], detail: { code: d.code } });
    if (how === 'withdrawn') {
      const open = (await repo.targetsOf(trx, id)).filter((t) => t.status !== 'reported');
      await outbox.notify(trx, open.map(audienceOfTarget), { kind: 'directive.withdrawn', title: `指令已撤回：${d.title}`, body: `${d.code} 已由${d.issuer_name}撤回，无需再签收反馈`, link: link(id), subjectId: id });
    }
  });
  await outbox.flush(deps);
  return getDirective(deps, ctx, id, now);
}

/** A target the caller may sign for, locked; else 404 (not theirs), 409 when the directive is no longer active. */
async function myTarget(trx: Deps['db'], me: StaffPrincipal, id: string) {
  const t = await repo.target(trx, id, true);
  if (!t || !handles(me, t)) throw notFound('指令不存在或不是下发给本单位的');
  if (t.directive_status !== 'active') throw conflict(t.directive_status === 'withdrawn' ? '指令已撤回，无需签收' : '指令已办结', 'status');
  return t;
}

export async function signTarget(deps: Deps, ctx: RequestContext, id: string, now = new Date()) {
  const me = staffOf(ctx);
  const outbox = new NotificationOutbox();
  const directiveId = await deps.db.transaction().execute(async (trx) => {
    const t = await myTarget(trx, me, id);
    if (!(await repo.sign(trx, id, me.userId, now))) throw conflict('该指令本单位已签收', 'status');
    const name = t.unit_name ?? t.department_name;
    await repo.insertEvents(trx, [{ id: uuidv7(), subject_kind: 'directive', subject_id: t.directive_id, target_id: id, at: now, actor_id: me.userId, action: 'signed', note: null }]);
    await recordAudit(trx, ctx, { action: 'directive.sign', subjectType: 'directive', subjectIds: [t.directive_id, id], detail: { code: t.code } });
    await outbox.notify(trx, { userIds: [t.issuer_id] }, { kind: 'directive.signed', title: `${name}已签收：${t.title}`, body: `${me.displayName}于${formatCst(now)}签收`, link: link(t.directive_id), subjectId: t.directive_id });
    return t.directive_id;
  });
  await outbox.flush(deps);
  return getDirective(deps, ctx, directiveId, now);
}

/** Reports back on a target (反馈); signs for it first when not yet signed. */
export async function reportTarget(deps: Deps, ctx: RequestContext, id: string, feedbackText: string, now = new Date()) {
  const me = staffOf(ctx);
  const feedback = feedbackText.trim();
  if (!feedback) throw fieldError('feedback', '请填写反馈内容');
  const outbox = new NotificationOutbox();
  const directiveId = await deps.db.transaction().execute(async (trx) => {
    const t = await myTarget(trx, me, id);
    if (t.status === 'reported') throw conflict('该指令本单位已反馈', 'status');
    const events = [];
    if (t.status === 'issued') {
      await repo.sign(trx, id, me.userId, now);
      events.push({ id: uuidv7(), subject_kind: 'directive' as const, subject_id: t.directive_id, target_id: id, at: now, actor_id: me.userId, action: 'signed', note: '反馈时一并签收' });
    }
    if (!(await repo.report(trx, id, me.userId, now, feedback))) throw conflict('该指令本单位已反馈', 'status');
    events.push({ id: uuidv7(), subject_kind: 'directive' as const, subject_id: t.directive_id, target_id: id, at: now, actor_id: me.userId, action: 'reported', note: feedback.slice(0, 500) });
    await repo.insertEvents(trx, events);
    await recordAudit(trx, ctx, { action: 'directive.report', subjectType: 'directive', subjectIds: [t.directive_id, id], detail: { code: t.code, signedNow: t.status === 'issued', late: now > t.deadline } });
    const name = t.unit_name ?? t.department_name;
    await outbox.notify(trx, { userIds: [t.issuer_id] }, { kind: 'directive.reported', title: `${name}已反馈：${t.title}`, body: feedback.slice(0, 200), link: link(t.directive_id), subjectId: t.directive_id });
    return t.directive_id;
  });
  await outbox.flush(deps);
  return getDirective(deps, ctx, directiveId, now);
}

export async function directiveInbox(deps: Deps, ctx: RequestContext, f: { status?: string }, page: { limit: number; offset: number }, now = new Date()) {
  const me = staffOf(ctx);
  const { total, rows } = await repo.inbox(deps.db, { scopePath: me.scopePath, departmentId: me.departmentId, status: f.status, ...page });
  return {
    total,
    items: rows.map((r) => ({
      ...presentTarget(r, r.deadline, now, me),
      directive: { id: r.directive_id, code: r.code, level: r.level, title: r.title, deadline: iso(r.deadline), issuedAt: iso(r.issued_at), status: r.directive_status, issuer: r.issuer_name },
    })),
  };
}

/** Headline rates of a period, by level, by receiving unit, and the targets overdue now (command.oversee). */
export async function directiveStats(deps: Deps, ctx: RequestContext, q: { from?: string; to?: string }, now = new Date()) {
  const me = staffOf(ctx);
  const p = period(q.from, q.to, now);
  if (p.start >= p.end) throw fieldError('from', '开始日期不能晚于结束日期');
  const rows = await repo.statsTargets(deps.db, { scopePath: me.scopePath, start: p.start, end: p.end });
  const overdueNow = (t: (typeof rows)[number]) => t.directive_status === 'active' && t.status !== 'reported' && ((t.status === 'issued' && now > t.sign_due_at) || now > t.deadline);
  const count = (xs: typeof rows) =>
    counted({
      targets: xs.length,
      signed: xs.filter((t) => t.status !== 'issued').length,
      reported: xs.filter((t) => t.status === 'reported').length,
      onTime: xs.filter((t) => t.status === 'reported' && t.reported_at! <= t.deadline).length,
    });
  const byLevel = (['red', 'orange', 'blue', 'green'] as const).map((level) => {
    const xs = rows.filter((t) => t.level === level);
    return { level, directives: new Set(xs.map((t) => t.directive_id)).size, ...count(xs) };
  });
  const units = new Map<string, typeof rows>();
  for (const t of rows) {
    const key = t.org_unit_id ?? t.department_id!;
    units.set(key, [...(units.get(key) ?? []), t]);
  }
  const byUnit = [...units.entries()]
    .map(([key, xs]) => ({
      kind: xs[0]!.org_unit_id ? ('unit' as const) : ('department' as const),
      id: key,
      name: xs[0]!.name,
      ...count(xs),
      overdue: xs.filter(overdueNow).length,
      lateSign: xs.filter((t) => (t.signed_at ? t.signed_at > t.sign_due_at : now > t.sign_due_at)).length,
    }))
    .sort((a, b) => (a.feedbackRate ?? 0) - (b.feedbackRate ?? 0) || b.targets - a.targets || a.name.localeCompare(b.name, 'zh'));
  const overdue = await repo.overdueTargets(deps.db, me.scopePath, now);
  const overdueUnits = new Set(overdue.map((o) => o.name)).size;
  return {
    from: p.fromDay,
    to: p.toDay,
    headline: { directives: new Set(rows.map((t) => t.directive_id)).size, ...count(rows), overdueUnits },
    byLevel,
    byUnit,
    overdue: overdue.map((o) => ({
      targetId: o.id,
      directiveId: o.directive_id,
      code: o.code,
      level: o.level,
      title: o.title,
      name: o.name,
      status: o.status,
      kind: o.status === 'issued' && now > o.sign_due_at ? ('sign' as const) : ('feedback' as const),
      signDueAt: iso(o.sign_due_at),
      deadline: iso(o.deadline),
      escalationLevel: o.escalation_level,
      overdueMinutes: Math.floor((now.getTime() - (o.status === 'issued' && now > o.sign_due_at ? o.sign_due_at : o.deadline).getTime()) / 60_000),
    })),
  };
}
