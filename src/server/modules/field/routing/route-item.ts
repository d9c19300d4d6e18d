import { v7 as uuidv7 } from 'uuid';
import type { Kysely, Selectable } from 'kysely';
import type { DB, FieldItemTable } from '../../../db/schema.js';
import { pickOwners } from './conditions.js';
import { routingRepository as repo } from './repository.js';

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

export const OFFICER_OWNER_NAME = '社区民警';
const HOUR = 3_600_000;

/**
 * The org unit an officer-targeted dispatch of an item belongs to: the community above the item's unit (the unit
 * itself when it is a community or lies above communities).
 */
export async function officerUnitOf(db: Kysely<DB>, orgUnitId: string): Promise<string> {
  const unit = await repo.unitPath(db, orgUnitId);
  if (!unit) return orgUnitId;
  return (await repo.communityOn(db, unit.path))?.id ?? unit.id;
}

/**
 * Sends a freshly collected item to its owners by the active routing rules (docs/api-field.md "Routing"); runs
 * inside the item's insert transaction (`db` is that transaction). Returns how many dispatches were created and
 * sets the item's status to 'routed' when there is at least one.
 */
export async function routeItem(db: Kysely<DB>, item: Selectable<FieldItemTable>): Promise<number> {
  const rules = await repo.activeRulesOf(db, item.type_code);
  if (!rules.length) return 0;
  const unit = await repo.unitPath(db, item.org_unit_id);
  const data = (typeof item.data === 'string' ? JSON.parse(item.data) : item.data) as Record<string, unknown>;
  const owners = pickOwners(rules, data ?? {}, unit?.path ?? '');
  if (!owners.length) return 0;
  const now = new Date();
  let officerUnit: string | undefined;
  let created = 0;
  for (const r of owners) {
    const id = uuidv7();
    const orgUnitId = r.target_kind === 'officer' ? (officerUnit ??= await officerUnitOf(db, item.org_unit_id)) : item.org_unit_id;
    const inserted = await repo.insertDispatch(db, {
      id,
      item_id: item.id,
      rule_id: r.id,
      target_kind: r.target_kind,
      department_id: r.target_kind === 'department' ? r.department_id : null,
      org_unit_id: orgUnitId,
      county_code: item.county_code,
      status: 'pending',
      accept_due_at: new Date(now.getTime() + r.accept_hours * HOUR),
      created_at: now,
      updated_at: now,
    });
    if (!inserted) continue; // routed before (a retried call): one dispatch per owner
    await repo.insertEvent(db, { id: uuidv7(), dispatch_id: id, action: 'routed', actor_id: null, note: `按规则“${r.name}”分派`, at: now });
    created++;
  }
  if (created) await repo.setItemStatus(db, item.id, 'routed', ['submitted']);
  return created;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

/** The dispatches of some items (for the worker's list and the item detail), by item id. */
export async function dispatchesOfItems(db: Kysely<DB>, itemIds: string[]): Promise<Map<string, DispatchSummary[]>> {
  const out = new Map<string, DispatchSummary[]>();
  if (!itemIds.length) return out;
  for (const x of await repo.dispatchesOfItems(db, [...new Set(itemIds)])) {
    const list = out.get(x.item_id) ?? [];
    list.push({
      id: x.id,
      targetKind: x.target_kind,
      departmentId: x.department_id,
      ownerName: x.department_name ?? OFFICER_OWNER_NAME,
      status: x.status,
      escalationLevel: x.escalation_level,
      acceptDueAt: iso(x.accept_due_at)!,
      acceptedAt: iso(x.accepted_at),
      closedAt: iso(x.closed_at),
      result: x.result,
      feedback: x.feedback,
      rejectReason: x.reject_reason,
    });
    out.set(x.item_id, list);
  }
  return out;
}

/**
 * Whether a department handles a dispatch of the item (not rejected by it), or oversees one escalated to it: its
 * staff may then see the item's photos (GET /api/v1/field/attachments/:id).
 */
export async function departmentHandlesItem(db: Kysely<DB>, departmentId: string, itemId: string): Promise<boolean> {
  return repo.departmentHandlesItem(db, departmentId, itemId);
}
