import type { Kysely, Selectable } from 'kysely';
import type { DB, FieldItemTable } from '../../../db/schema.js';

export interface DispatchSummary {
  id: string;
  targetKind: 'department' | 'officer';
  departmentId: string | null;
  /** the department's name, or 社区民警 for the officer's inbox */
  ownerName: string;
  status: 'pending' | 'accepted' | 'closed' | 'rejected';
  escalationLevel: number;
  acceptDueAt: string;
  acceptedAt: string | null;
  closedAt: string | null;
  result: string | null;
  feedback: string | null;
  rejectReason: string | null;
}

/**
 * Sends a freshly collected item to its owners by the active routing rules (docs/api-field.md "Routing"); runs
 * inside the item's insert transaction (`db` is that transaction). Returns how many dispatches were created and
 * sets the item's status to 'routed' when there is at least one.
 */
export async function routeItem(db: Kysely<DB>, item: Selectable<FieldItemTable>): Promise<number> {
  void db;
  void item;
  return 0;
}

/** The dispatches of some items (for the worker's list and the item detail), by item id. */
export async function dispatchesOfItems(db: Kysely<DB>, itemIds: string[]): Promise<Map<string, DispatchSummary[]>> {
  void db;
  void itemIds;
  return new Map();
}
