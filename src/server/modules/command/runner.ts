import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { systemContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { directivesRepository as directives, whistlesRepository as whistles } from './repository.js';
import { NotificationOutbox, type Audience } from '../../platform/notify/notifications.js';
import { LEVEL_NAMES, formatCst } from './rules.js';
import { getCommandSettings } from './settings.js';
import { PollingRunner } from '../../platform/runner.js';

/**
 * Every minute: directive targets not signed in time are escalated, feedback past the deadline and whistle
 * responses past their due time are flagged, with notifications and SMS (docs/api-command.md "Overdue").
 * Each kind is claimed by one UPDATE … RETURNING, so concurrent ticks (or processes) never act twice; the
 * notifications are written in the claim's transaction and pushed, with the texts, after it committed.
 */
export class CommandRunner extends PollingRunner {
  constructor(deps: Deps, opts: { pollMs: number }) {
    super(deps, opts, 'command runner failed');
  }

  /** One round; returns how many targets and responses were escalated or flagged. */
  protected async round(now: Date): Promise<number> {
    const deps = this.deps;
    const ctx = systemContext([]);
    const settings = await getCommandSettings(deps);
    const outbox = new NotificationOutbox();
    const count = await deps.db.transaction().execute(async (trx) => {
      let n = 0;

      // 1. not signed in time: level 1, then level 2 after another sign-off period
      const escalated = await directives.claimSignEscalations(trx, now);
      for (const c of await directives.targetContexts(trx, escalated.map((x) => x.id))) {
        const name = c.unit_name ?? c.department_name ?? '';
        const level = c.escalation_level >= 2 ? '二级督办' : '一级督办';
        await directives.insertEvents(trx, [
          { id: uuidv7(), subject_kind: 'directive', subject_id: c.directive_id, target_id: c.id, at: now, actor_id: null, action: 'escalated', note: `${name}超过签收时限未签收，${level}` },
        ]);
        await recordAudit(trx, ctx, { action: 'directive.escalate', subjectType: 'directive', subjectIds: [c.directive_id, c.id], subjectUnitId: c.issuer_unit_id, detail: { level: c.escalation_level } });
        const sms = settings.directives.smsLevels.includes(c.level)
          ? `【枫桥】${level}：${LEVEL_NAMES[c.level]}预警指令“${c.title}”${name}超过签收时限（${formatCst(c.sign_due_at)}）仍未签收，请立即签收。`
          : undefined;
        await outbox.notify(
          trx,
          [{ userIds: [c.issuer_id] }, targetAudience(c)],
          { kind: 'directive.escalated', level: 'urgent', title: `${level}：${name}未签收“${c.title}”`, body: `签收时限 ${formatCst(c.sign_due_at)}，已超时`, link: `/command/directives/${c.directive_id}`, subjectId: c.directive_id },
          { sms },
        );
        n++;
      }

      // 2. not reported by the deadline: flagged once
      const late = await directives.claimOverdueFeedback(trx, now);
      for (const c of await directives.targetContexts(trx, late.map((x) => x.id))) {
        const name = c.unit_name ?? c.department_name ?? '';
        await directives.insertEvents(trx, [
          { id: uuidv7(), subject_kind: 'directive', subject_id: c.directive_id, target_id: c.id, at: now, actor_id: null, action: 'overdue', note: `${name}超过反馈期限未反馈` },
        ]);
        await recordAudit(trx, ctx, { action: 'directive.overdue', subjectType: 'directive', subjectIds: [c.directive_id, c.id], subjectUnitId: c.issuer_unit_id, detail: { deadline: c.deadline.toISOString() } });
        const sms = settings.directives.smsLevels.includes(c.level)
          ? `【枫桥】超期提醒：${LEVEL_NAMES[c.level]}预警指令“${c.title}”已过反馈期限（${formatCst(c.deadline)}），${name}尚未反馈，请尽快反馈落实情况。`
          : undefined;
        await outbox.notify(
          trx,
          [{ userIds: [c.issuer_id] }, targetAudience(c)],
          { kind: 'directive.overdue', level: 'urgent', title: `超期未反馈：${name}“${c.title}”`, body: `反馈期限 ${formatCst(c.deadline)}`, link: `/command/directives/${c.directive_id}`, subjectId: c.directive_id },
          { sms },
        );
        n++;
      }

      // 3. whistle responses not acknowledged by their due time: flagged once, to the department and the station
      const overdue = await whistles.claimOverdueResponses(trx, now);
      for (const c of await whistles.responseContexts(trx, overdue.map((x) => x.id))) {
        await directives.insertEvents(trx, [
          { id: uuidv7(), subject_kind: 'whistle', subject_id: c.whistle_id, target_id: c.id, at: now, actor_id: null, action: 'overdue', note: `${c.department_name}超过响应时限未响应` },
        ]);
        await recordAudit(trx, ctx, { action: 'whistle.overdue', subjectType: 'whistle', subjectIds: [c.whistle_id, c.id], subjectUnitId: c.station_id, detail: { department: c.department_id } });
        const n1 = { kind: 'whistle.overdue', level: 'urgent' as const, title: `超时未响应：${c.department_name}“${c.title}”`, body: `${c.station_name}吹哨（${c.scenario_name}），响应时限 ${formatCst(c.due_at)}` };
        await outbox.notify(trx, { permission: 'whistle.respond', departmentId: c.department_id }, { ...n1, link: '/command/whistle-inbox', subjectId: c.whistle_id }, {
          sms: c.urgent ? `【枫桥】超时提醒：${c.station_name}吹哨“${c.title}”（${c.scenario_name}）已超过响应时限（${formatCst(c.due_at)}），${c.department_name}请立即响应报到。` : undefined,
        });
        await outbox.notify(trx, [{ userIds: [c.raised_by] }, { permission: 'whistle.raise', orgUnitId: c.station_id }], { ...n1, link: `/command/whistles/${c.whistle_id}`, subjectId: c.whistle_id });
        n++;
      }
      return n;
    });
    // the texts go after the commit (the development outbox writes through the same single connection)
    await outbox.flush(deps);
    return count;
  }
}

function targetAudience(c: { org_unit_id: string | null; department_id: string | null }): Audience {
  return c.org_unit_id ? { permission: 'directive.handle', orgUnitId: c.org_unit_id } : { permission: 'directive.handle', departmentId: c.department_id! };
}
