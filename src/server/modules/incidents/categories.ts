import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { uniqueViolation } from '../population/service.js';
import { incidentsRepository as repo, type CategoryRow } from './repository.js';

/**
 * The incident category tree (docs/api-command.md "Incidents"): two levels, configurable by administrators. Built-in
 * categories may be renamed, re-sorted, marked 警务/非警务 and disabled, never deleted (there is no delete at all:
 * incidents keep pointing at their category).
 */
export const CATEGORY_CODE = /^[a-z][a-z0-9_]{1,31}$/;

export interface CategoryNode {
  id: string;
  code: string;
  name: string;
  policeMatter: boolean;
  status: 'active' | 'inactive';
  sort: number;
  builtin: boolean;
  parentId: string | null;
  children: CategoryNode[];
}

const node = (c: CategoryRow): CategoryNode => ({
  id: c.id,
  code: c.code,
  name: c.name,
  policeMatter: c.police_matter,
  status: c.status,
  sort: c.sort,
  builtin: c.builtin,
  parentId: c.parent_id,
  children: [],
});

export async function categoryTree(deps: Deps): Promise<CategoryNode[]> {
  const rows = await repo.categories(deps.db);
  const byId = new Map(rows.map((r) => [r.id, node(r)]));
  const roots: CategoryNode[] = [];
  for (const r of rows) {
    const n = byId.get(r.id)!;
    const parent = r.parent_id ? byId.get(r.parent_id) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

function checkName(name: string, errors: FieldError[]): string {
  const n = name.trim();
  if (!n) errors.push({ field: 'name', message: '分类名称不能为空' });
  return n;
}

export async function createCategory(deps: Deps, ctx: RequestContext, input: { parentId?: string; code: string; name: string; policeMatter: boolean; sort?: number }) {
  const errors: FieldError[] = [];
  const code = input.code.trim();
  if (!CATEGORY_CODE.test(code)) errors.push({ field: 'code', message: '分类编码应为 2–32 位小写字母、数字或下划线，以字母开头（如 za_fight）' });
  const name = checkName(input.name, errors);
  if (input.parentId) {
    const parent = await repo.categoryById(deps.db, input.parentId);
    if (!parent) errors.push({ field: 'parentId', message: '上级分类不存在' });
    else if (parent.parent_id) errors.push({ field: 'parentId', message: '分类最多两级：上级须为一级分类' });
  }
  if (errors.length) throw validationError(errors);
  if (await repo.categoryByCode(deps.db, code)) throw conflict('该分类编码已存在', 'code');
  const id = uuidv7();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertCategory(trx, {
        id,
        parent_id: input.parentId ?? null,
        code,
        name,
        police_matter: input.policeMatter,
        sort: input.sort ?? 0,
        builtin: false,
        status: 'active',
      });
      await recordAudit(trx, ctx, { action: 'incident.category.create', subjectType: 'incident_category', subjectIds: [id], detail: { code, name, parentId: input.parentId ?? null, policeMatter: input.policeMatter } });
    });
  } catch (e) {
    if (uniqueViolation(e) !== undefined) throw conflict('该分类编码已存在', 'code');
    throw e;
  }
  return node((await repo.categoryById(deps.db, id))!);
}

export async function updateCategory(deps: Deps, ctx: RequestContext, id: string, input: { name: string; policeMatter: boolean; sort: number; status: 'active' | 'inactive' }) {
  const c = await repo.categoryById(deps.db, id);
  if (!c) throw notFound('警情分类不存在');
  const errors: FieldError[] = [];
  const name = checkName(input.name, errors);
  if (errors.length) throw validationError(errors);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateCategory(trx, id, { name, police_matter: input.policeMatter, sort: input.sort, status: input.status });
    await recordAudit(trx, ctx, {
      action: 'incident.category.update',
      subjectType: 'incident_category',
      subjectIds: [id],
      detail: { code: c.code, before: { name: c.name, policeMatter: c.police_matter, sort: c.sort, status: c.status }, after: { name, policeMatter: input.policeMatter, sort: input.sort, status: input.status } },
    });
  });
  return node((await repo.categoryById(deps.db, id))!);
}
