import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext, type StaffPrincipal } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { commandSettingsRepository } from './settings-repository.js';
import { whistlesRepository as repo, type ScenarioRow } from './repository.js';

/**
 * Whistle scenarios (派出所吹哨的场景): who must report (departments) and how soon. The built-in ones name their
 * receivers by department category; they are resolved per branch once its departments exist.
 */
export const BUILTIN_SCENARIOS: Array<{ code: string; name: string; description: string; categories: string[]; responseMinutes: number; urgent: boolean; sort: number }> = [
  { code: 'major_dispute', name: '重大矛盾纠纷', description: '可能激化的矛盾纠纷，需治安、司法所与综治中心共同化解', categories: ['zhian', 'sifa', 'zongzhi'], responseMinutes: 60, urgent: false, sort: 10 },
  { code: 'mass_incident', name: '群体性事件苗头', description: '聚集、上访等群体性事件的苗头，需治安与指挥中心即时响应', categories: ['zhian', 'zhihui'], responseMinutes: 30, urgent: true, sort: 20 },
  { code: 'complex_case', name: '复杂案件', description: '案情复杂、需刑侦与法制提前介入的案件', categories: ['xingzhen', 'fazhi'], responseMinutes: 120, urgent: false, sort: 30 },
  { code: 'key_person', name: '重点人员异常', description: '重点人员动向异常，需治安与刑侦协同核查', categories: ['zhian', 'xingzhen'], responseMinutes: 60, urgent: true, sort: 40 },
  { code: 'campus_safety', name: '校园周边安全', description: '校园及周边治安隐患，需治安部门到场', categories: ['zhian'], responseMinutes: 60, urgent: false, sort: 50 },
];

/** command_settings key listing the branches whose departments the built-in scenarios already name. */
const RESOLVED_KEY = 'whistleScenarioBranches';

/**
 * Inserts the built-in scenarios and adds, for each branch not yet resolved that has departments, its departments
 * of the named categories. A branch without departments is tried again at the next start (or the demo seed).
 * Scenarios already stored keep every edit: only a newly resolved branch's departments are appended.
 */
export async function ensureWhistleScenarios(deps: Deps): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const stored = (await trx.selectFrom('command_settings').select('value').where('key', '=', RESOLVED_KEY).executeTakeFirst())?.value;
    const resolved = new Set(Array.isArray(stored) ? (stored as string[]) : []);
    const pending = (await repo.branches(trx)).filter((b) => !resolved.has(b.id));
    let changed = false;
    for (const branch of pending) {
      const depts = await repo.departmentsOfBranch(trx, branch.path);
      if (!depts.length) continue;
      for (const s of BUILTIN_SCENARIOS) {
        const ids = depts.filter((d) => s.categories.includes(d.category)).map((d) => d.id);
        const existing = await repo.scenarioByCode(trx, s.code);
        if (!existing) {
          if (!ids.length) continue;
          await repo.insertScenario(trx, {
            id: uuidv7(),
            code: s.code,
            name: s.name,
            description: s.description,
            department_ids: ids,
            response_minutes: s.responseMinutes,
            urgent: s.urgent,
            sort: s.sort,
            builtin: true,
            created_at: new Date(),
            updated_at: new Date(),
          });
        } else if (existing.builtin) {
          const add = ids.filter((id) => !existing.department_ids.includes(id));
          if (add.length) await repo.updateScenario(trx, existing.id, { department_ids: [...existing.department_ids, ...add] });
        }
      }
      resolved.add(branch.id);
      changed = true;
    }
    if (changed) await commandSettingsRepository.put(trx, RESOLVED_KEY, [...resolved], null);
  });
}

/** A department is the caller's concern when its unit lies in the caller's scope or above the caller's unit. */
const related = (me: StaffPrincipal, path: string) => path.startsWith(me.scopePath) || me.scopePath.startsWith(path);

async function present(deps: Deps, me: StaffPrincipal, rows: ScenarioRow[]) {
  const depts = new Map((await repo.departments(deps.db, [...new Set(rows.flatMap((r) => r.department_ids))])).map((d) => [d.id, d]));
  return rows.map((r) => {
    const mine = r.department_ids.map((id) => depts.get(id)).filter((d): d is NonNullable<typeof d> => !!d && related(me, d.path));
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      description: r.description,
      departmentIds: mine.map((d) => d.id),
      departments: mine.map((d) => ({ id: d.id, name: d.name, category: d.category, status: d.status })),
      responseMinutes: r.response_minutes,
      urgent: r.urgent,
      sort: r.sort,
      builtin: r.builtin,
      status: r.status,
    };
  });
}

export async function listScenarios(deps: Deps, ctx: RequestContext) {
  return present(deps, staffOf(ctx), await repo.scenarios(deps.db));
}

export interface ScenarioInput {
  code: string;
  name: string;
  description?: string | null;
  departmentIds: string[];
  responseMinutes: number;
  urgent: boolean;
  sort?: number;
  status?: 'active' | 'inactive';
}

async function check(deps: Deps, me: StaffPrincipal, input: ScenarioInput) {
  const errors: FieldError[] = [];
  if (!/^[a-z][a-z0-9_]{1,39}$/.test(input.code)) errors.push({ field: 'code', message: '编码须为 2–40 位小写字母、数字或下划线，以字母开头' });
  if (!input.name.trim()) errors.push({ field: 'name', message: '请填写场景名称' });
  if (!Number.isInteger(input.responseMinutes) || input.responseMinutes < 5 || input.responseMinutes > 10_080) errors.push({ field: 'responseMinutes', message: '响应时限须为 5–10080 分钟' });
  const ids = [...new Set(input.departmentIds)];
  if (!ids.length) errors.push({ field: 'departmentIds', message: '请至少选择一个报到部门' });
  const found = await repo.departments(deps.db, ids);
  if (found.length !== ids.length || found.some((d) => !related(me, d.path))) errors.push({ field: 'departmentIds', message: '部门不存在或不在您的辖区内' });
  else if (found.some((d) => d.status !== 'active')) errors.push({ field: 'departmentIds', message: '所选部门已停用' });
  if (errors.length) throw validationError(errors);
  return ids;
}

export async function createScenario(deps: Deps, ctx: RequestContext, input: ScenarioInput) {
  const me = staffOf(ctx);
  const ids = await check(deps, me, input);
  if (await repo.scenarioByCode(deps.db, input.code)) throw conflict('场景编码已存在', 'code');
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    const row = await repo.insertScenario(trx, {
      id,
      code: input.code,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      department_ids: ids,
      response_minutes: input.responseMinutes,
      urgent: input.urgent,
      sort: input.sort ?? 0,
      status: input.status ?? 'active',
      created_at: new Date(),
      updated_at: new Date(),
    });
    if (!row) throw conflict('场景编码已存在', 'code');
    await recordAudit(trx, ctx, { action: 'whistle.scenario.create', subjectType: 'whistle_scenario', subjectIds: [id], detail: { ...input, departmentIds: ids } });
  });
  return (await present(deps, me, [(await repo.scenario(deps.db, id))!]))[0]!;
}

/**
 * Replaces a scenario's fields. The departments the caller sees are replaced by those sent; departments of other
 * branches (which the caller does not see) stay.
 */
export async function updateScenario(deps: Deps, ctx: RequestContext, id: string, input: ScenarioInput) {
  const me = staffOf(ctx);
  const before = await repo.scenario(deps.db, id);
  if (!before) throw notFound('场景不存在');
  const ids = await check(deps, me, input);
  if (input.code !== before.code && (await repo.scenarioByCode(deps.db, input.code))) throw conflict('场景编码已存在', 'code');
  const others = (await repo.departments(deps.db, before.department_ids)).filter((d) => !related(me, d.path)).map((d) => d.id);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateScenario(trx, id, {
      code: input.code,
      name: input.name.trim(),
      description: input.description?.trim() || null,
      department_ids: [...others, ...ids],
      response_minutes: input.responseMinutes,
      urgent: input.urgent,
      sort: input.sort ?? before.sort,
      status: input.status ?? before.status,
    });
    await recordAudit(trx, ctx, {
      action: 'whistle.scenario.update',
      subjectType: 'whistle_scenario',
      subjectIds: [id],
      detail: { before: { ...before, department_ids: before.department_ids }, after: { ...input, departmentIds: ids } },
    });
  });
  return (await present(deps, me, [(await repo.scenario(deps.db, id))!]))[0]!;
}
