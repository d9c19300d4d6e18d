import type { Kysely, Selectable } from 'kysely';
import type { DB, FieldItemTable } from '../../../db/schema.js';

/**
 * Marks done the open tasks a freshly collected item completes (its `task_id`, else the open tasks of the item's
 * type at its address whose period covers `occurred_at`); runs inside the item's insert transaction. Returns the
 * ids of the tasks done.
 */
export async function completeTasksFor(db: Kysely<DB>, item: Selectable<FieldItemTable>): Promise<string[]> {
  void db;
  void item;
  return [];
}

export interface OpenTaskRef {
  id: string;
  title: string;
  dueDate: string;
  itemTypeCode: string;
}

/** Open tasks at an address (for the address record the field app shows). */
export async function openTasksAt(db: Kysely<DB>, addressId: string): Promise<OpenTaskRef[]> {
  void db;
  void addressId;
  return [];
}
