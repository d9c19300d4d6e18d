import { DomainError, type FieldError } from '../../../platform/errors/index.js';
import type { BatchDone, JobEnv, ParsedRow, RowAction, RowPlan } from './types.js';

/**
 * The errors of a service call as a row's errors: its field errors, mapped onto import fields, or its detail
 * under `fallbackField`.
 */
export function rowErrors(e: unknown, fallbackField: string, fieldMap: Record<string, string> = {}): FieldError[] {
  if (!(e instanceof DomainError) || e.status >= 500) throw e;
  if (e.errors?.length) return e.errors.map((x) => ({ field: fieldMap[x.field] ?? x.field, message: x.message }));
  return [{ field: fallbackField, message: e.detail ?? '无法导入' }];
}

/**
 * Commits rows one at a time through the module's own service (its rules, its audit rows, its transaction),
 * after matching each again against the registry as it is now. Matching is by the record's key, so a batch
 * replayed after a restart finds its rows already there and leaves them unchanged.
 */
export async function commitRowByRow<P, M>(
  env: JobEnv,
  rows: ParsedRow<P>[],
  done: BatchDone,
  match: (rows: ParsedRow<P>[]) => Promise<Array<{ rowNo: number; plan: RowPlan; match?: M }>>,
  apply: (row: ParsedRow<P>, match: M, action: RowAction) => Promise<string | undefined>,
  fallbackField: string,
  fieldMap: Record<string, string> = {},
) {
  const plans: RowPlan[] = [];
  for (const row of rows) {
    const [m] = await match([row]);
    if ('errors' in m.plan || m.plan.action === 'unchanged') {
      plans.push(m.plan);
      continue;
    }
    try {
      const recordId = await apply(row, m.match as M, m.plan.action);
      plans.push({ rowNo: row.rowNo, action: m.plan.action, recordId });
    } catch (e) {
      plans.push({ rowNo: row.rowNo, errors: rowErrors(e, fallbackField, fieldMap) });
    }
  }
  await done(env.deps.db, plans);
}
