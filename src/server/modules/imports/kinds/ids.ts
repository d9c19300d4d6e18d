import type { Deps } from '../../../deps.js';
import type { IdNumberInfo } from '../../../platform/ids/index.js';
import { checkIdNumber, idBlind, indexForm } from '../../population/service.js';
import type { RowValues } from '../cells.js';

/**
 * An identity number cell: checked by GB 11643 (a legacy 15-digit number accepted), with the blind index the
 * registry matches people by. Undefined when the cell is empty or the number is wrong (then a field error).
 */
export function readIdNumber(v: RowValues, field: string, deps: Deps): { info: IdNumberInfo; blind: string } | undefined {
  const raw = v.text(field, { max: 40 });
  if (!raw) return undefined;
  const r = checkIdNumber(field, raw, true);
  if ('error' in r) {
    v.fail(field, r.error.message);
    return undefined;
  }
  return { info: r.info, blind: idBlind(deps, indexForm(r.info)) };
}
