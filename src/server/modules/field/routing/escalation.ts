import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../../deps.js';
import { systemContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { routingRepository as repo } from './repository.js';
import { OFFICER_OWNER_NAME } from './route-item.js';
import { notify } from './service.js';
import { PollingRunner } from '../../../platform/runner.js';

/**
 * Escalates dispatches not accepted in time (every minute), with SMS to the departments: pending past accept_due_at
 * → level 1, past another accept period → level 2 (the last). One UPDATE … RETURNING claims each escalation, so
 * concurrent ticks (or processes) never escalate a dispatch twice.
 */
export class EscalationRunner extends PollingRunner {
  constructor(deps: Deps, opts: { pollMs: number }) {
    super(deps, opts, 'dispatch escalation failed');
  }

  /** One round; returns how many dispatches were escalated. */
  protected async round(now: Date): Promise<number> {
    const deps = this.deps;
    const ctx = systemContext([]);
    const claimed = await deps.db.transaction().execute(async (trx) => {
      const rows = await repo.claimEscalations(trx, now);
      for (const x of rows) {
        const note = x.escalation_level >= 2 ? '超过签收时限两倍仍未签收，二级督办' : '超过签收时限未签收，一级督办';
        await repo.insertEvent(trx, { id: uuidv7(), dispatch_id: x.id, action: 'escalated', actor_id: null, note, at: now });
        await recordAudit(trx, ctx, {
          action: 'dispatch.escalate',
          subjectType: 'dispatch',
          subjectIds: [x.id, x.item_id],
          subjectUnitId: x.org_unit_id,
          detail: { level: x.escalation_level },
        });
      }
      return rows;
    });
    if (!claimed.length) return 0;
    // the texts go after the commit (the development outbox writes through the same single connection)
    for (const c of await repo.escalationContacts(deps.db, claimed.map((x) => x.id))) {
      const owner = c.department_name ?? `${c.org_unit_name}${OFFICER_OWNER_NAME}`;
      const what = c.department_name ? `“${c.type_name ?? '采集事项'}”（${c.org_unit_name}）` : `“${c.type_name ?? '采集事项'}”`;
      const level = c.escalation_level >= 2 ? '二级督办' : '督办';
      const ownerPhone = c.department_phone ?? (c.department_name ? null : c.unit_phone);
      if (ownerPhone) await notify(deps, ownerPhone, `【枫桥】${level}：分派给${owner}的${what}已超过签收时限，请尽快签收办理。`);
      if (c.escalate_phone && c.escalate_phone !== ownerPhone) {
        await notify(deps, c.escalate_phone, `【枫桥】${level}：分派给${owner}的${what}超时未签收，请${c.escalate_name ?? '贵部门'}督促办理。`);
      }
    }
    return claimed.length;
  }
}
