import type { Kysely, Selectable } from 'kysely';
import type { DB, FieldItemTable } from '../../../db/schema.js';
import { todayCst } from '../../population/rules.js';
import { periodsHolding } from './periods.js';
import { tasksRepository as repo } from './repository.js';

/**
 * Marks done the open tasks a freshly collected item completes (its `task_id`, else the open tasks of the item's
 * type at its address whose period covers `occurred_at`); runs inside the item's insert transaction. Returns the
 * ids of the tasks done.
 *
 * A named task counts when it is open, of the item's type and in a grid under the worker's own unit; otherwise the
 * item completes by its address. `done_at` is when the item was collected (`occurred_at`), so an item synced late
 * from an offline phone still counts on time. An unassigned task is credited to the worker who did it.
 */
export async function completeTasksFor(db: Kysely<DB>, item: Selectable<FieldItemTable>): Promise<string[]> {
  const occurredAt = new Date(item.occurred_at);
  const ref = { id: item.id, type_code: item.type_code, worker_id: item.worker_id, occurred_at: occurredAt };
  if (item.task_id) {
    const done = await repo.completeNamed(db, { ...ref, task_id: item.task_id });
    if (done.length) return done;
  }
  if (!item.address_id) return [];
  return repo.completeAtAddress(db, { ...ref, address_id: item.address_id }, periodsHolding(todayCst(occurredAt)));
}

export interface OpenTaskRef {
  id: string;
  title: string;
  dueDate: string;
  itemTypeCode: string;
}

/** Open tasks at an address (for the address record the field app shows). */
export async function openTasksAt(db: Kysely<DB>, addressId: string): Promise<OpenTaskRef[]> {
  const rows = await repo.openTasksAt(db, addressId);
  return rows.map((r) => ({ id: r.id, title: r.title, dueDate: r.due_date, itemTypeCode: r.item_type_code }));
}
