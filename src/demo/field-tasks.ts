import type { Deps } from '../server/deps.js';
import type { TaskTargetKind } from '../server/db/schema.js';
import { systemContext } from '../server/platform/access/context.js';
import { PERMISSIONS } from '../server/platform/access/permissions.js';
import { createTemplate, generateAll } from '../server/modules/field/tasks/service.js';
import type { Recurrence } from '../server/modules/field/tasks/periods.js';

/** The demo station (彭李派出所) whose grids get the task templates, and the grid whose patrol points are picked. */
const DEMO_STATION = '371602005';
const PATROL_GRID = '371602005001001';
const PATROL_POINTS = 4;

interface DemoTemplate {
  /** where: each community of the station, the station itself, or the patrol grid */
  at: 'community' | 'station' | 'grid';
  name: string;
  itemTypeCode: string;
  targetKind: TaskTargetKind;
  recurrence: Recurrence;
}

const TEMPLATES: DemoTemplate[] = [
  { at: 'community', name: '出租房屋月度走访', itemTypeCode: 'rental_visit', targetKind: 'rental', recurrence: 'monthly' },
  { at: 'community', name: '流动人口到期核查', itemTypeCode: 'floating_verify', targetKind: 'floating_overdue', recurrence: 'monthly' },
  { at: 'station', name: '重点单位季度检查', itemTypeCode: 'key_unit_check', targetKind: 'key_unit', recurrence: 'quarterly' },
  { at: 'grid', name: '重点部位每周巡查', itemTypeCode: 'patrol_checkin', targetKind: 'patrol_point', recurrence: 'weekly' },
];

/**
 * Seeds the task templates for the demo grids and the tasks of the current period: rentals and floating persons
 * monthly per community, key units quarterly for the station, a weekly patrol of a few door plates in the demo grid
 * worker's grid. Deterministic (units and points picked by code); a template whose item type is missing from the
 * catalogue is left out. Does nothing when templates exist already.
 */
export async function seedDemoTasks(deps: Deps, now = new Date()): Promise<void> {
  const db = deps.db;
  if (await db.selectFrom('task_templates').select('id').limit(1).executeTakeFirst()) return;
  const station = await db.selectFrom('org_units').select(['id', 'path']).where('code', '=', DEMO_STATION).executeTakeFirst();
  const grid = await db.selectFrom('org_units').select('id').where('code', '=', PATROL_GRID).executeTakeFirst();
  if (!station || !grid) return;
  const communities = await db.selectFrom('org_units').select('id').where('parent_id', '=', station.id).where('kind', '=', 'community').where('status', '=', 'active').orderBy('code').execute();
  const points = await db.selectFrom('addresses').select('id').where('grid_id', '=', grid.id).where('level', '=', 'door').where('status', '=', 'active').orderBy('code').limit(PATROL_POINTS).execute();
  const types = new Set((await db.selectFrom('field_item_types').select('code').where('status', '=', 'active').execute()).map((x) => x.code));
  const ctx = systemContext(Object.keys(PERMISSIONS));

  for (const t of TEMPLATES) {
    if (!types.has(t.itemTypeCode)) {
      deps.log.warn({ itemTypeCode: t.itemTypeCode }, 'demo task template skipped: item type missing');
      continue;
    }
    if (t.targetKind === 'patrol_point' && !points.length) continue;
    const units = t.at === 'community' ? communities.map((c) => c.id) : t.at === 'station' ? [station.id] : [grid.id];
    for (const orgUnitId of units) {
      await createTemplate(
        deps,
        ctx,
        { orgUnitId, name: t.name, itemTypeCode: t.itemTypeCode, targetKind: t.targetKind, recurrence: t.recurrence, pointIds: t.targetKind === 'patrol_point' ? points.map((p) => p.id) : undefined },
        now,
      );
    }
  }
  await generateAll(deps, now);
}
