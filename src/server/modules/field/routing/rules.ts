// Routing rules (分派规则): list, create, edit, delete, and the dry run. Only configuration, no personal data.
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../../deps.js';
import type { RoutingCondition } from '../../../db/schema.js';
import { validateFormData, type FormSchema } from '../../../../shared/forms.js';
import { staffOf, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../../platform/errors/index.js';
import { orgRepository } from '../../org/repository.js';
import { checkConditions, describeConditions, pickOwners } from './conditions.js';
import { routingRepository as repo, type RuleRow } from './repository.js';
import { OFFICER_OWNER_NAME } from './route-item.js';

const NOT_FOUND_RULE = '分派规则不存在或不在您的辖区内';

export interface RuleInput {
  name: string;
  itemTypeCode: string;
  conditions: RoutingCondition[];
  targetKind: 'department' | 'officer';
  departmentId?: string | null;
  acceptHours: number;
  escalateToDepartmentId?: string | null;
  priority?: number;
  status?: 'active' | 'inactive';
}

const iso = (d: Date | string) => new Date(d).toISOString();

export function presentRule(r: RuleRow) {
  const schema = (r.form_schema as FormSchema | null) ?? null;
  return {
    id: r.id,
    name: r.name,
    itemTypeCode: r.item_type_code,
    itemTypeName: r.item_type_name ?? r.item_type_code,
    conditions: r.conditions ?? [],
    conditionsText: describeConditions(schema, r.conditions ?? []),
    targetKind: r.target_kind,
    departmentId: r.department_id,
    departmentName: r.department_name ?? null,
    targetName: r.target_kind === 'officer' ? OFFICER_OWNER_NAME : (r.department_name ?? ''),
    departmentActive: r.target_kind === 'officer' || r.department_status === 'active',
    acceptHours: r.accept_hours,
    escalateToDepartmentId: r.escalate_to_department_id,
    escalateToDepartmentName: r.escalate_name ?? null,
    priority: r.priority,
    status: r.status,
    dispatchCount: Number(r.dispatch_count ?? 0),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

export async function listRules(deps: Deps, ctx: RequestContext, f: { itemType?: string; status?: 'active' | 'inactive' }) {
  const me = staffOf(ctx);
  return (await repo.listRules(deps.db, { scopePath: me.scopePath, itemType: f.itemType, status: f.status })).map(presentRule);
}

/** Every rule of the rule form: the item type, its conditions, the departments; errors name the fields. */
async function checkRule(deps: Deps, ctx: RequestContext, input: RuleInput) {
  const me = staffOf(ctx);
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if ([...name].length < 2) errors.push({ field: 'name', message: '规则名称至少 2 个字' });
  let conditions: RoutingCondition[] = [];
  const type = await repo.itemType(deps.db, input.itemTypeCode);
  if (!type) errors.push({ field: 'itemTypeCode', message: '事项类型不存在' });
  else {
    const c = checkConditions(type.form_schema, input.conditions);
    errors.push(...c.errors);
    conditions = c.clean;
  }
  const departmentId = input.targetKind === 'department' ? (input.departmentId ?? null) : null;
  let unitId: string | undefined;
  if (input.targetKind === 'department') {
    if (!departmentId) errors.push({ field: 'departmentId', message: '请选择承办部门' });
    else {
      const d = await orgRepository.departmentInScope(deps.db, me.scopePath, departmentId);
      unitId = d?.org_unit_id;
      if (!d) errors.push({ field: 'departmentId', message: '部门不存在或不在您的辖区内' });
      // a rule of a department disabled since may still be edited into an inactive rule
      else if (d.status !== 'active' && input.status !== 'inactive') errors.push({ field: 'departmentId', message: `“${d.name}”已停用` });
    }
  } else if (input.departmentId) {
    errors.push({ field: 'departmentId', message: '分派给社区民警的规则不选承办部门' });
  }
  const escalateTo = input.escalateToDepartmentId ?? null;
  if (escalateTo) {
    if (escalateTo === departmentId) errors.push({ field: 'escalateToDepartmentId', message: '督办部门不能是承办部门本身' });
    else {
      const e = await orgRepository.departmentInScope(deps.db, me.scopePath, escalateTo);
      if (!e) errors.push({ field: 'escalateToDepartmentId', message: '部门不存在或不在您的辖区内' });
      else if (e.status !== 'active') errors.push({ field: 'escalateToDepartmentId', message: `“${e.name}”已停用` });
    }
  }
  if (!Number.isInteger(input.acceptHours) || input.acceptHours < 1 || input.acceptHours > 720) {
    errors.push({ field: 'acceptHours', message: '签收时限须为 1–720 小时' });
  }
  if (errors.length) throw validationError(errors);
  // the audit row of a department's rule belongs to the department's unit (for the system actor)
  return { name, conditions, departmentId, escalateTo, unitId };
}

export async function createRule(deps: Deps, ctx: RequestContext, input: RuleInput) {
  const me = staffOf(ctx);
  const c = await checkRule(deps, ctx, input);
  const id = uuidv7();
  const now = new Date();
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertRule(trx, {
      id,
      name: c.name,
      item_type_code: input.itemTypeCode,
      conditions: JSON.stringify(c.conditions),
      target_kind: input.targetKind,
      department_id: c.departmentId,
      accept_hours: input.acceptHours,
      escalate_to_department_id: c.escalateTo,
      priority: input.priority ?? 100,
      status: input.status ?? 'active',
      created_at: now,
      updated_at: now,
    });
    await recordAudit(trx, ctx, {
      action: 'routing_rule.create',
      subjectType: 'routing_rule',
      subjectIds: [id],
      subjectUnitId: c.unitId,
      detail: { name: c.name, itemTypeCode: input.itemTypeCode, targetKind: input.targetKind, departmentId: c.departmentId, conditions: c.conditions },
    });
  });
  return presentRule((await repo.ruleInScope(deps.db, me.scopePath, id))!);
}

export async function updateRule(deps: Deps, ctx: RequestContext, id: string, input: RuleInput) {
  const me = staffOf(ctx);
  const old = await repo.ruleInScope(deps.db, me.scopePath, id);
  if (!old) throw notFound(NOT_FOUND_RULE);
  const c = await checkRule(deps, ctx, input);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateRule(trx, id, {
      name: c.name,
      item_type_code: input.itemTypeCode,
      conditions: JSON.stringify(c.conditions),
      target_kind: input.targetKind,
      department_id: c.departmentId,
      accept_hours: input.acceptHours,
      escalate_to_department_id: c.escalateTo,
      priority: input.priority ?? old.priority,
      status: input.status ?? old.status,
      updated_at: new Date(),
    });
    await recordAudit(trx, ctx, {
      action: 'routing_rule.update',
      subjectType: 'routing_rule',
      subjectIds: [id],
      subjectUnitId: c.unitId,
      detail: { name: c.name, itemTypeCode: input.itemTypeCode, targetKind: input.targetKind, departmentId: c.departmentId, conditions: c.conditions, status: input.status ?? old.status },
    });
  });
  return presentRule((await repo.ruleInScope(deps.db, me.scopePath, id))!);
}

export async function deleteRule(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const old = await repo.ruleInScope(deps.db, me.scopePath, id);
  if (!old) throw notFound(NOT_FOUND_RULE);
  if (await repo.ruleHasDispatches(deps.db, id)) throw conflict('已有事项按此规则分派，不能删除；请改为停用', 'status');
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.deleteRule(trx, id);
      await recordAudit(trx, ctx, { action: 'routing_rule.delete', subjectType: 'routing_rule', subjectIds: [id], subjectUnitId: old.department_unit_id ?? undefined, detail: { name: old.name, itemTypeCode: old.item_type_code } });
    });
  } catch (e) {
    // a dispatch routed by the rule between the check and the delete (foreign key)
    if ((e as { code?: string }).code === '23503') throw conflict('已有事项按此规则分派，不能删除；请改为停用', 'status');
    throw e;
  }
}

/**
 * 试运行: which active rules an item of the type with this data would be routed by (in the caller's scope), one per
 * owner in priority order. The data is checked against the type's form (errors `data.<key>`), required fields aside.
 */
export async function testRules(deps: Deps, ctx: RequestContext, input: { itemTypeCode: string; data: Record<string, unknown> }) {
  const me = staffOf(ctx);
  const type = await repo.itemType(deps.db, input.itemTypeCode);
  if (!type) throw validationError([{ field: 'itemTypeCode', message: '事项类型不存在' }]);
  const lenient: FormSchema = { fields: type.form_schema.fields.map((f) => ({ ...f, required: false })) };
  const { errors, clean } = validateFormData(lenient, input.data ?? {}, { checkIdNumber: () => null });
  if (errors.length) throw validationError(errors);
  // the rules serving the caller's jurisdiction: departments inside it or above it
  const rules = (await repo.activeRulesOf(deps.db, type.code)).filter((r) => !r.department_path || r.department_path.startsWith(me.scopePath) || me.scopePath.startsWith(r.department_path));
  return {
    matches: pickOwners(rules, clean).map((r) => ({
      ruleId: r.id,
      name: r.name,
      priority: r.priority,
      acceptHours: r.accept_hours,
      target: { kind: r.target_kind, departmentId: r.department_id, name: r.target_kind === 'officer' ? OFFICER_OWNER_NAME : (r.department_name ?? '') },
    })),
  };
}
