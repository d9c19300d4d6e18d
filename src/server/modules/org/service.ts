import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError } from '../../platform/errors/index.js';
import type { OrgUnitRow } from '../../db/schema.js';
import { orgRepository } from './repository.js';
import { checkBoundary, checkUnitCode, DEPARTMENT_CATEGORIES, type OrgKind } from './rules.js';

export interface OrgTreeNode {
  id: string;
  parentId: string | null;
  kind: string;
  code: string;
  name: string;
  status: string;
  children: OrgTreeNode[];
}

const present = (u: OrgUnitRow) => ({
  id: u.id,
  parentId: u.parent_id,
  kind: u.kind,
  code: u.code,
  name: u.name,
  countyCode: u.county_code,
  contactPhone: u.contact_phone,
  address: u.address,
  boundary: (u.boundary ?? null) as object | null,
  status: u.status,
});

export async function tree(deps: Deps, ctx: RequestContext): Promise<OrgTreeNode[]> {
  const rows = await orgRepository.subtree(deps.db, staffOf(ctx).scopePath);
  const byId = new Map<string, OrgTreeNode>();
  const roots: OrgTreeNode[] = [];
  for (const u of rows) {
    byId.set(u.id, { id: u.id, parentId: u.parent_id, kind: u.kind, code: u.code, name: u.name, status: u.status, children: [] });
  }
  for (const node of byId.values()) {
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export async function getUnit(deps: Deps, ctx: RequestContext, id: string) {
  const u = await orgRepository.inScope(deps.db, staffOf(ctx).scopePath, id);
  if (!u) throw notFound('单位不存在或不在您的辖区内');
  const ancestorIds = u.path.split('/').filter((x) => x && x !== u.id);
  const ancestors = await orgRepository.ancestors(deps.db, ancestorIds);
  const order = new Map(ancestorIds.map((a, i) => [a, i]));
  ancestors.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { ...present(u), ancestors };
}

export interface CreateUnitInput {
  parentId: string;
  kind: OrgKind;
  code: string;
  name: string;
  contactPhone?: string;
  address?: string;
  boundary?: object | null;
}

/** Creates a unit; `parent` is found inside the caller's scope (the CLI and seed pass a system scope). */
export async function createUnit(deps: Deps, ctx: RequestContext, input: CreateUnitInput) {
  const parent = await orgRepository.inScope(deps.db, staffOf(ctx).scopePath, input.parentId);
  if (!parent) throw validationError([{ field: 'parentId', message: '上级单位不存在或不在您的辖区内' }]);
  const errors = [checkUnitCode(input.kind, input.code, { kind: parent.kind, code: parent.code }), checkBoundary(input.boundary)].filter(
    (e) => !!e,
  );
  if (errors.length) throw validationError(errors);
  if (await orgRepository.byCode(deps.db, input.code)) throw conflict(`代码 ${input.code} 已被使用`, 'code');
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await orgRepository.insert(trx, {
      id,
      parent_id: parent.id,
      kind: input.kind,
      code: input.code,
      name: input.name.trim(),
      path: `${parent.path}${id}/`,
      county_code: input.kind === 'branch' ? input.code : parent.county_code,
      contact_phone: input.contactPhone ?? null,
      address: input.address ?? null,
      boundary: input.boundary ? JSON.stringify(input.boundary) : null,
      status: 'active',
    });
    await recordAudit(trx, ctx, { action: 'org.unit_create', subjectType: 'org_unit', subjectIds: [id], subjectUnitId: id, detail: { code: input.code, name: input.name } });
  });
  return getUnit(deps, ctx, id);
}

export async function updateUnit(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  patch: { name?: string; contactPhone?: string | null; address?: string | null; boundary?: object | null; status?: 'active' | 'inactive' },
) {
  const scope = staffOf(ctx).scopePath;
  const u = await orgRepository.inScope(deps.db, scope, id);
  if (!u) throw notFound('单位不存在或不在您的辖区内');
  if (u.path === scope && patch.status === 'inactive') throw validationError([{ field: 'status', message: '不能停用您自己所在的单位' }]);
  const be = checkBoundary(patch.boundary);
  if (be) throw validationError([be]);
  await deps.db.transaction().execute(async (trx) => {
    await orgRepository.update(trx, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.contactPhone !== undefined ? { contact_phone: patch.contactPhone } : {}),
      ...(patch.address !== undefined ? { address: patch.address } : {}),
      ...(patch.boundary !== undefined ? { boundary: patch.boundary ? JSON.stringify(patch.boundary) : null } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
    });
    await recordAudit(trx, ctx, { action: 'org.unit_update', subjectType: 'org_unit', subjectIds: [id], subjectUnitId: id, detail: { fields: Object.keys(patch) } });
  });
  return getUnit(deps, ctx, id);
}

const presentDept = (d: Awaited<ReturnType<typeof orgRepository.departments>>[number]) => ({
  id: d.id,
  orgUnitId: d.org_unit_id,
  orgUnitName: d.org_unit_name,
  kind: d.kind,
  category: d.category,
  name: d.name,
  contactPhone: d.contact_phone,
  status: d.status,
});

export async function listDepartments(deps: Deps, ctx: RequestContext) {
  return (await orgRepository.departments(deps.db, staffOf(ctx).scopePath)).map(presentDept);
}

/**
 * The catalogue of department categories the server accepts, per kind (internal police branches, partner
 * agencies), in catalogue order: `{internal: [{code, name}], partner: [{code, name}]}`.
 */
export function departmentCategories() {
  const list = (kind: keyof typeof DEPARTMENT_CATEGORIES) => Object.entries(DEPARTMENT_CATEGORIES[kind]).map(([code, name]) => ({ code, name }));
  return { internal: list('internal'), partner: list('partner') };
}

export async function createDepartment(
  deps: Deps,
  ctx: RequestContext,
  input: { orgUnitId: string; kind: 'internal' | 'partner'; category: string; name: string; contactPhone?: string },
) {
  const unit = await orgRepository.inScope(deps.db, staffOf(ctx).scopePath, input.orgUnitId);
  if (!unit) throw validationError([{ field: 'orgUnitId', message: '所属单位不存在或不在您的辖区内' }]);
  if (!Object.hasOwn(DEPARTMENT_CATEGORIES[input.kind], input.category)) {
    throw validationError([{ field: 'category', message: `类别无效，可选：${Object.keys(DEPARTMENT_CATEGORIES[input.kind]).join('、')}` }]);
  }
  if (await orgRepository.departmentByName(deps.db, unit.id, input.name.trim())) throw conflict('该单位下已有同名部门', 'name');
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await orgRepository.insertDepartment(trx, {
      id,
      org_unit_id: unit.id,
      kind: input.kind,
      category: input.category,
      name: input.name.trim(),
      contact_phone: input.contactPhone ?? null,
      status: 'active',
    });
    await recordAudit(trx, ctx, { action: 'org.department_create', subjectType: 'department', subjectIds: [id], subjectUnitId: unit.id, detail: { name: input.name } });
  });
  return (await listDepartments(deps, ctx)).find((d) => d.id === id)!;
}

export async function updateDepartment(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  patch: { name?: string; contactPhone?: string | null; status?: 'active' | 'inactive' },
) {
  const d = await orgRepository.departmentInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!d) throw notFound('部门不存在或不在您的辖区内');
  if (patch.name && patch.name.trim() !== d.name && (await orgRepository.departmentByName(deps.db, d.org_unit_id, patch.name.trim()))) {
    throw conflict('该单位下已有同名部门', 'name');
  }
  await deps.db.transaction().execute(async (trx) => {
    await orgRepository.updateDepartment(trx, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.contactPhone !== undefined ? { contact_phone: patch.contactPhone } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
    });
    await recordAudit(trx, ctx, { action: 'org.department_update', subjectType: 'department', subjectIds: [id], subjectUnitId: d.org_unit_id, detail: { fields: Object.keys(patch) } });
  });
  return (await listDepartments(deps, ctx)).find((x) => x.id === id)!;
}

/** The top of the tree (市局): created once by the seed or `fengqiao` CLI, never through the API. */
export async function createRootUnit(deps: Deps, ctx: RequestContext, input: { code: string; name: string; contactPhone?: string; address?: string; boundary?: object | null }) {
  const e = checkUnitCode('city_bureau', input.code);
  if (e) throw validationError([e]);
  if (await orgRepository.byCode(deps.db, input.code)) throw conflict(`代码 ${input.code} 已被使用`, 'code');
  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    await orgRepository.insert(trx, {
      id,
      parent_id: null,
      kind: 'city_bureau',
      code: input.code,
      name: input.name,
      path: `/${id}/`,
      county_code: null,
      contact_phone: input.contactPhone ?? null,
      address: input.address ?? null,
      boundary: input.boundary ? JSON.stringify(input.boundary) : null,
      status: 'active',
    });
    await recordAudit(trx, ctx, { action: 'org.unit_create', subjectType: 'org_unit', subjectIds: [id], subjectUnitId: id, detail: { code: input.code, name: input.name } });
  });
  return getUnit(deps, ctx, id);
}

export async function countUnits(deps: Deps) {
  return orgRepository.count(deps.db);
}
