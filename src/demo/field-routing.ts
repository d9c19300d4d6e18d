import type { Deps } from '../server/deps.js';
import type { RoutingCondition } from '../server/db/schema.js';
import { systemContext } from '../server/platform/access/context.js';
import { PERMISSIONS } from '../server/platform/access/permissions.js';
import { DomainError } from '../server/platform/errors/index.js';
import { createRule, listRules } from '../server/modules/field/routing/rules.js';

interface DemoRule {
  name: string;
  itemTypeCode: string;
  conditions: RoutingCondition[];
  /** a department of the demo district by name, or the community officer */
  target: string | 'officer';
  acceptHours: number;
  escalateTo?: string;
  priority: number;
}

/**
 * "下到网格一把抓，回到社区再分家": what the demo district routes where. Conditions use the built-in catalogue's
 * field keys; a condition the catalogue no longer fits is dropped (the rule then takes every item of the type).
 */
const RULES: DemoRule[] = [
  { name: '独居老人关爱 → 区民政局', itemTypeCode: 'elderly_alone', conditions: [], target: '区民政局', acceptHours: 24, escalateTo: '区综治中心', priority: 10 },
  {
    name: '重大消防隐患 → 区消防救援大队（12 小时，应急局督办）',
    itemTypeCode: 'fire_hazard',
    conditions: [{ field: 'level', op: 'eq', value: '重大隐患' }],
    target: '区消防救援大队',
    acceptHours: 12,
    escalateTo: '区应急管理局',
    priority: 10,
  },
  { name: '一般消防隐患 → 区消防救援大队', itemTypeCode: 'fire_hazard', conditions: [], target: '区消防救援大队', acceptHours: 48, escalateTo: '区应急管理局', priority: 20 },
  {
    name: '未当场化解的矛盾纠纷 → 彭李街道司法所（人民调解）',
    itemTypeCode: 'dispute',
    conditions: [{ field: 'status', op: 'neq', value: '已当场化解' }],
    target: '彭李街道司法所',
    acceptHours: 24,
    escalateTo: '区综治中心',
    priority: 10,
  },
  { name: '激化风险高的纠纷 → 社区民警', itemTypeCode: 'dispute', conditions: [{ field: 'risk', op: 'eq', value: '高' }], target: 'officer', acceptHours: 6, priority: 20 },
  { name: '违法建设 → 区综合行政执法局', itemTypeCode: 'illegal_building', conditions: [], target: '区综合行政执法局', acceptHours: 72, escalateTo: '12345政务服务便民热线', priority: 10 },
  { name: '可疑人员线索 → 社区民警', itemTypeCode: 'suspicious_person', conditions: [], target: 'officer', acceptHours: 12, escalateTo: '指挥中心', priority: 10 },
  { name: '治安线索 → 社区民警', itemTypeCode: 'incident_clue', conditions: [], target: 'officer', acceptHours: 24, escalateTo: '指挥中心', priority: 10 },
];

/** Seeds the routing rules of the demo district (民政, 消防, 司法所, 城管, the community officer). Idempotent by name. */
export async function seedDemoRouting(deps: Deps): Promise<void> {
  const ctx = systemContext(Object.keys(PERMISSIONS));
  const existing = new Set((await listRules(deps, ctx, {})).map((r) => r.name));
  const departments = new Map((await deps.db.selectFrom('departments').select(['id', 'name']).execute()).map((d) => [d.name, d.id]));
  const types = new Set((await deps.db.selectFrom('field_item_types').select('code').execute()).map((t) => t.code));
  for (const r of RULES) {
    if (existing.has(r.name) || !types.has(r.itemTypeCode)) continue;
    const departmentId = r.target === 'officer' ? null : departments.get(r.target);
    if (departmentId === undefined) continue;
    const input = {
      name: r.name,
      itemTypeCode: r.itemTypeCode,
      conditions: r.conditions,
      targetKind: r.target === 'officer' ? ('officer' as const) : ('department' as const),
      departmentId,
      acceptHours: r.acceptHours,
      escalateToDepartmentId: r.escalateTo ? (departments.get(r.escalateTo) ?? null) : null,
      priority: r.priority,
    };
    try {
      await createRule(deps, ctx, input);
    } catch (e) {
      if (!(e instanceof DomainError) || e.code !== 'validation' || !r.conditions.length) throw e;
      deps.log.warn({ rule: r.name, errors: e.errors }, 'demo routing rule: conditions dropped');
      await createRule(deps, ctx, { ...input, conditions: [] });
    }
  }
}
