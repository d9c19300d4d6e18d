import type { Kysely } from 'kysely';
import type { DB, TaskTargetKind } from '../../../db/schema.js';
import type { Deps } from '../../../deps.js';
import { todayCst } from '../../population/rules.js';
import { currentPeriod, dueDateOf, type Recurrence } from './periods.js';
import { tasksRepository as repo, type GenerateResult } from './repository.js';

/**
 * Generation of a template's tasks for a period (docs/api-field.md "Tasks"): one set-based statement per template
 * (repository.generate), then one text message per worker who got tasks in the run.
 */

export interface TemplateRef {
  id: string;
  target_kind: TaskTargetKind;
  recurrence: Recurrence;
}

/** Generates one template's period with the given executor (a transaction, or the database). */
export async function generatePeriod(db: Kysely<DB>, t: TemplateRef, period: string, now: Date): Promise<GenerateResult> {
  return repo.generate(db, {
    templateId: t.id,
    kind: t.target_kind,
    period,
    due: dueDateOf(period),
    today: todayCst(now),
    // targets are judged on today's registry, so only the current period loses the tasks whose target left
    cancel: period === currentPeriod(t.recurrence, now),
  });
}

/** Adds one run's assignments to a tally of new tasks per worker. */
export function tally(into: Map<string, number>, r: GenerateResult) {
  for (const { w, n } of r.perWorker) into.set(w, (into.get(w) ?? 0) + n);
}

/**
 * One text message per worker for a run (never one per task or per template). A failed message is logged and
 * does not undo the tasks. Returns how many workers were told.
 */
export async function notifyWorkers(deps: Deps, perWorker: Map<string, number>): Promise<number> {
  const users = await repo.phonesOf(deps.db, [...perWorker.keys()]);
  let sent = 0;
  for (const u of users) {
    const n = perWorker.get(u.id) ?? 0;
    if (!u.phone || n <= 0) continue;
    try {
      await deps.sms.send(u.phone, `【枫桥】${u.display_name}，您有 ${n} 项新的网格任务，请打开网格采集查看并按期完成。`);
      sent++;
    } catch (err) {
      deps.log.warn({ err, userId: u.id }, 'task notice not sent');
    }
  }
  return sent;
}
