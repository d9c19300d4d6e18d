import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { SYSTEM_USER_ID, staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError } from '../../platform/errors/index.js';
import { notifyStaff } from '../../platform/notify/notifications.js';
import { DIVERSION_STATUS_NAMES } from './present.js';
import { incidentsRepository as repo } from './repository.js';
import { addEvent, change, getIncidentPlain, incidentInScope } from './service.js';

/**
 * 非警务警情分流: a matter that is not police work goes to 12345 or a partner department of the branch. The incident
 * counts as cleared for the police (status `diverted`); the department's staff (dispatch.handle) are notified and its
 * contact phone gets a text; the department accepts, finishes with feedback, or returns it — a return puts the
 * incident back to `handling`.
 */
const pathIds = (path: string) => path.split('/').filter(Boolean);

/** Partner departments (12345 first) of the units above and at the caller's unit. */
export async function diversionTargets(deps: Deps, ctx: RequestContext) {
  const me = staffOf(ctx);
  const rows = await repo.diversionTargets(deps.db, pathIds(me.scopePath));
  return rows.map((d) => ({ id: d.id, name: d.name, category: d.category, hotline: d.category === 'hotline12345', orgUnit: { id: d.org_unit_id, name: d.org_unit_name } }));
}

export async function divertIncident(deps: Deps, ctx: RequestContext, id: string, input: { version: number; departmentId: string; reason: string }) {
  const me = staffOf(ctx);
  const i = await incidentInScope(deps, ctx, id);
  const reason = input.reason.trim();
  if (!reason) throw validationError([{ field: 'reason', message: '请填写分流原因' }]);
  const dept = await repo.departmentById(deps.db, input.departmentId);
  // a partner department (or 12345) of a unit on the incident's own path: the branch's, never another county's
  if (!dept || dept.kind !== 'partner' || !pathIds(i.org_path).includes(dept.org_unit_id)) {
    throw validationError([{ field: 'departmentId', message: '只能分流到本辖区的协作部门或12345热线' }]);
  }
  if (dept.status !== 'active') throw validationError([{ field: 'departmentId', message: '该部门已停用' }]);
  const diversionId = uuidv7();
  const now = new Date();
  const actor = me.userId === SYSTEM_USER_ID ? null : me.userId;
  await change(
    deps,
    ctx,
    id,
    input.version,
    {
      from: ['received', 'handling'],
      illegal: (s) => (s === 'closed' ? '警情已办结，不能分流' : '警情已分流'),
      set: { status: 'diverted', closed_at: now, closed_by: actor },
      action: 'diverted',
      note: reason,
      data: { departmentId: dept.id, departmentName: dept.name, diversionId },
      audit: 'incident.divert',
    },
    (trx) => repo.insertDiversion(trx, { id: diversionId, incident_id: id, department_id: dept.id, reason, status: 'sent', diverted_by: actor, diverted_at: now }),
  );
  await notifyStaff(deps, { permission: 'dispatch.handle', departmentId: dept.id }, {
    kind: 'incident.diverted',
    title: `收到分流事项：${i.category_name}`,
    body: `${i.unit_name}分流警情 ${i.code}：${reason}`.slice(0, 200),
    link: '/command/diversions',
    subjectId: diversionId,
  });
  if (dept.contact_phone) {
    await deps.sms.send(dept.contact_phone, `【枫桥】${i.unit_name}向贵单位分流一件${i.category_name}事项（${i.code}），请登录系统签收办理并反馈。`);
  }
  return getIncidentPlain(deps, ctx, id);
}

function presentDiversion(d: Awaited<ReturnType<typeof repo.diversionOfDepartment>> & object) {
  return {
    id: d.id,
    incident: {
      id: d.incident_id,
      code: d.incident_code,
      categoryName: d.category_name,
      occurredAt: new Date(d.occurred_at).toISOString(),
      place: d.place ?? d.address_text,
      summary: d.summary,
      status: d.incident_status,
      unit: { name: d.unit_name, phone: d.unit_phone },
    },
    reason: d.reason,
    status: d.status,
    statusName: DIVERSION_STATUS_NAMES[d.status],
    feedback: d.feedback,
    divertedAt: new Date(d.diverted_at).toISOString(),
    divertedBy: d.diverted_by_name,
    answeredAt: d.answered_at ? new Date(d.answered_at).toISOString() : null,
  };
}

/** The caller's department's diverted matters (staff without a department have none). */
export async function diversionInbox(deps: Deps, ctx: RequestContext, status: string | undefined, paging: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  if (!me.departmentId) return { items: [], total: 0 };
  const { rows, total } = await repo.inbox(deps.db, me.departmentId, status, paging.limit, paging.offset);
  return { items: rows.map(presentDiversion), total };
}

const ANSWER_FROM = { accepted: ['sent'], done: ['sent', 'accepted'], returned: ['sent', 'accepted'] } as const;
const ANSWER_NAMES = { accepted: '签收', done: '办结', returned: '退回' } as const;

export async function answerDiversion(deps: Deps, ctx: RequestContext, id: string, input: { status: 'accepted' | 'done' | 'returned'; feedback?: string }) {
  const me = staffOf(ctx);
  const d = me.departmentId ? await repo.diversionOfDepartment(deps.db, me.departmentId, id) : undefined;
  if (!d) throw notFound('分流事项不存在或不属于您的部门');
  const feedback = input.feedback?.trim() || null;
  if (input.status !== 'accepted' && !feedback) {
    throw validationError([{ field: 'feedback', message: input.status === 'done' ? '请填写办理结果' : '请填写退回原因' }]);
  }
  const from: readonly string[] = ANSWER_FROM[input.status];
  if (!from.includes(d.status)) throw conflict(`该事项${DIVERSION_STATUS_NAMES[d.status]}，不能${ANSWER_NAMES[input.status]}`, 'status');
  let returnedToHandling = false;
  let unitId = '';
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.answerDiversion(trx, id, [...from], {
      status: input.status,
      ...(feedback ? { feedback } : {}),
      answered_by: me.userId,
      answered_at: new Date(),
    });
    if (!ok) throw conflict('该事项刚刚被他人处理，请刷新后重试', 'status');
    const inc = (await repo.incidentForUpdate(trx, d.incident_id))!;
    unitId = inc.org_unit_id;
    if (input.status === 'returned' && inc.status === 'diverted') {
      await repo.updateVersioned(trx, inc.id, inc.version, { status: 'handling', closed_at: null, closed_by: null });
      returnedToHandling = true;
    }
    await addEvent(trx, ctx, inc.id, `diversion_${input.status}`, feedback, { diversionId: id, departmentId: d.department_id, ...(returnedToHandling ? { status: 'handling' } : {}) });
    await recordAudit(trx, ctx, {
      action: 'incident.diversion.answer',
      subjectType: 'incident',
      subjectIds: [inc.id, id],
      subjectUnitId: inc.org_unit_id,
      detail: { code: inc.code, status: input.status },
    });
  });
  if (input.status !== 'accepted') {
    await notifyStaff(deps, { permission: 'incident.write', orgUnitId: unitId }, {
      kind: input.status === 'returned' ? 'incident.diversion_returned' : 'incident.diversion_done',
      level: input.status === 'returned' ? 'urgent' : 'normal',
      title: input.status === 'returned' ? `分流警情 ${d.incident_code} 被退回，需继续处置` : `分流警情 ${d.incident_code} 已办结`,
      body: feedback ?? '',
      link: `/command/incidents/${d.incident_id}`,
      subjectId: d.incident_id,
    });
  }
  return presentDiversion((await repo.diversionOfDepartment(deps.db, me.departmentId!, id))!);
}
