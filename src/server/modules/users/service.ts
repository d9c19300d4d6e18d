import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { BUILTIN_ROLES } from '../../platform/access/roles.js';
import { PERMISSIONS } from '../../platform/access/permissions.js';
import { recordAudit } from '../../platform/audit/service.js';
import { authRepository } from '../../platform/auth/repository.js';
import { checkPasswordPolicy, hashPassword } from '../../platform/auth/secrets.js';
import { conflict, DomainError, forbidden, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { maskPhone } from '../../platform/http/schemas.js';
import { orgRepository } from '../org/repository.js';
import { usersRepository, type UserFilter } from './repository.js';
import { sniffImage } from '../../platform/files/images.js';

type Row = NonNullable<Awaited<ReturnType<typeof usersRepository.one>>>;

function present(u: Row, roleNames: Map<string, string>, fullPhone: boolean) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    phone: fullPhone ? u.phone : maskPhone(u.phone),
    orgUnit: { id: u.org_unit_id, name: u.org_unit_name },
    department: u.department_id ? { id: u.department_id, name: u.department_name ?? '' } : null,
    roles: u.roles.map((code) => ({ code, name: roleNames.get(code) ?? code })),
    status: u.status,
    locked: !!u.locked_until && u.locked_until > new Date(),
    totpEnabled: u.totp_enabled,
    mustChangePassword: u.must_change_password,
    lastLoginAt: u.last_login_at ? u.last_login_at.toISOString() : null,
    policeNo: u.police_no,
    hasPhoto: u.has_photo,
    /** Where residents see the photo: only officers' and grid workers' photos are published on plate pages. */
    photoUrl: u.has_photo && u.roles.some((r) => PUBLIC_PHOTO_ROLES.includes(r)) ? staffPhotoUrl(u.id) : null,
  };
}

/** Roles whose photo a plate page shows (the community officer and the grid worker). */
export const PUBLIC_PHOTO_ROLES = ['officer', 'gridworker'];
export const staffPhotoUrl = (userId: string) => `/api/v1/portal/staff/${userId}/photo`;

/** 警号: 4–12 digits or capital letters (usually six digits). */
const POLICE_NO_RE = /^[0-9A-Z]{4,12}$/;

function checkPoliceNo(v: string | null | undefined): { value?: string | null; error?: FieldError } {
  if (v === undefined) return {};
  const value = v?.trim().toUpperCase() || null;
  if (value && !POLICE_NO_RE.test(value)) return { error: { field: 'policeNo', message: '警号为 4–12 位数字或大写字母' } };
  return { value };
}

async function roleNames(deps: Deps) {
  return new Map((await usersRepository.roles(deps.db)).map((r) => [r.code, r.name]));
}

export const USERNAME_RE = /^[a-z][a-z0-9_.-]{2,31}$/;
const PHONE_RE = /^1[3-9]\d{9}$|^0\d{2,3}-?\d{7,8}$/;

export async function listUsers(
  deps: Deps,
  ctx: RequestContext,
  f: Omit<UserFilter, 'scopePath'>,
  paging: { limit: number; offset: number },
) {
  const { rows, total } = await usersRepository.page(deps.db, { ...f, scopePath: staffOf(ctx).scopePath }, paging.limit, paging.offset);
  const names = await roleNames(deps);
  return { items: rows.map((u) => present(u, names, false)), total };
}

/** One user with the phone number in full: a read of personal data, so it is audited. */
export async function getUser(deps: Deps, ctx: RequestContext, id: string) {
  const u = await usersRepository.one(deps.db, staffOf(ctx).scopePath, id);
  if (!u) throw notFound('用户不存在或不在您的辖区内');
  await recordAudit(deps.db, ctx, { action: 'user.view', subjectType: 'user', subjectIds: [id], subjectUnitId: u.org_unit_id });
  return present(u, await roleNames(deps), true);
}

async function checkPlacement(deps: Deps, scopePath: string, orgUnitId?: string, departmentId?: string | null): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (orgUnitId && !(await orgRepository.inScope(deps.db, scopePath, orgUnitId))) {
    errors.push({ field: 'orgUnitId', message: '所属单位不存在或不在您的辖区内' });
  }
  if (departmentId) {
    const d = await usersRepository.departmentOrg(deps.db, departmentId);
    if (!d || !(await orgRepository.inScope(deps.db, scopePath, d.org_unit_id))) {
      errors.push({ field: 'departmentId', message: '部门不存在或不在您的辖区内' });
    }
  }
  return errors;
}

async function checkRoles(deps: Deps, roles: string[] | undefined): Promise<FieldError[]> {
  if (!roles) return [];
  const known = await roleNames(deps);
  const unknown = roles.filter((r) => !known.has(r));
  if (unknown.length) return [{ field: 'roles', message: `角色不存在：${unknown.join('、')}` }];
  if (new Set(roles).size !== roles.length) return [{ field: 'roles', message: '角色重复' }];
  return [];
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  password: string;
  orgUnitId: string;
  departmentId?: string | null;
  phone?: string | null;
  policeNo?: string | null;
  roles: string[];
  mustChangePassword?: boolean;
}

export async function createUser(deps: Deps, ctx: RequestContext, input: CreateUserInput) {
  const scope = staffOf(ctx).scopePath;
  const username = input.username.trim().toLowerCase();
  const errors: FieldError[] = [];
  if (!USERNAME_RE.test(username)) errors.push({ field: 'username', message: '用户名为 3–32 位小写字母、数字、下划线、点或连字符，以字母开头' });
  if (input.phone && !PHONE_RE.test(input.phone)) errors.push({ field: 'phone', message: '电话号码格式不正确' });
  const policeNo = checkPoliceNo(input.policeNo);
  if (policeNo.error) errors.push(policeNo.error);
  errors.push(...(await checkPlacement(deps, scope, input.orgUnitId, input.departmentId)), ...(await checkRoles(deps, input.roles)));
  try {
    checkPasswordPolicy(input.password, 'password', username);
  } catch (e) {
    errors.push(...((e as { errors?: FieldError[] }).errors ?? []));
  }
  if (errors.length) throw validationError(errors);
  if (await usersRepository.usernameTaken(deps.db, username)) throw conflict(`用户名 ${username} 已被使用`, 'username');
  const id = uuidv7();
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction().execute(async (trx) => {
    await usersRepository.insert(trx, {
      id,
      username,
      display_name: input.displayName.trim(),
      password_hash: passwordHash,
      org_unit_id: input.orgUnitId,
      department_id: input.departmentId ?? null,
      phone: input.phone ?? null,
      police_no: policeNo.value ?? null,
      must_change_password: input.mustChangePassword ?? true,
    });
    await usersRepository.setRoles(trx, id, input.roles);
    await recordAudit(trx, ctx, { action: 'user.create', subjectType: 'user', subjectIds: [id], subjectUnitId: input.orgUnitId, detail: { username, roles: input.roles } });
  });
  return present((await usersRepository.one(deps.db, scope, id))!, await roleNames(deps), true);
}

export async function updateUser(
  deps: Deps,
  ctx: RequestContext,
  id: string,
  patch: { displayName?: string; phone?: string | null; policeNo?: string | null; orgUnitId?: string; departmentId?: string | null; roles?: string[]; status?: 'active' | 'disabled' },
) {
  const me = staffOf(ctx);
  const u = await usersRepository.one(deps.db, me.scopePath, id);
  if (!u) throw notFound('用户不存在或不在您的辖区内');
  const errors: FieldError[] = [];
  if (patch.phone && !PHONE_RE.test(patch.phone)) errors.push({ field: 'phone', message: '电话号码格式不正确' });
  const policeNo = checkPoliceNo(patch.policeNo);
  if (policeNo.error) errors.push(policeNo.error);
  if (id === me.userId && patch.status === 'disabled') errors.push({ field: 'status', message: '不能停用自己的账号' });
  if (id === me.userId && patch.roles && !patch.roles.includes('admin') && u.roles.includes('admin')) {
    errors.push({ field: 'roles', message: '不能取消自己的系统管理员角色' });
  }
  errors.push(...(await checkPlacement(deps, me.scopePath, patch.orgUnitId, patch.departmentId)), ...(await checkRoles(deps, patch.roles)));
  if (errors.length) throw validationError(errors);
  await deps.db.transaction().execute(async (trx) => {
    await usersRepository.update(trx, id, {
      ...(patch.displayName !== undefined ? { display_name: patch.displayName.trim() } : {}),
      ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
      ...(policeNo.value !== undefined ? { police_no: policeNo.value } : {}),
      ...(patch.orgUnitId !== undefined ? { org_unit_id: patch.orgUnitId } : {}),
      ...(patch.departmentId !== undefined ? { department_id: patch.departmentId } : {}),
      ...(patch.status !== undefined ? { status: patch.status } : {}),
    });
    if (patch.roles) await usersRepository.setRoles(trx, id, patch.roles);
    if (patch.status === 'disabled') await authRepository.revokeUserSessions(trx, id);
    await recordAudit(trx, ctx, { action: 'user.update', subjectType: 'user', subjectIds: [id], subjectUnitId: u.org_unit_id, detail: { fields: Object.keys(patch), roles: patch.roles } });
  });
  return present((await usersRepository.one(deps.db, me.scopePath, id))!, await roleNames(deps), true);
}

export async function resetPassword(deps: Deps, ctx: RequestContext, id: string, newPassword: string) {
  const u = await usersRepository.one(deps.db, staffOf(ctx).scopePath, id);
  if (!u) throw notFound('用户不存在或不在您的辖区内');
  checkPasswordPolicy(newPassword, 'newPassword', u.username);
  const hash = await hashPassword(newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await authRepository.setPassword(trx, id, hash, true);
    await usersRepository.update(trx, id, { failed_attempts: 0, locked_until: null });
    const revoked = await authRepository.revokeUserSessions(trx, id);
    await recordAudit(trx, ctx, { action: 'user.reset_password', subjectType: 'user', subjectIds: [id], subjectUnitId: u.org_unit_id, detail: { revokedSessions: revoked } });
  });
}

export async function unlockUser(deps: Deps, ctx: RequestContext, id: string) {
  const u = await usersRepository.one(deps.db, staffOf(ctx).scopePath, id);
  if (!u) throw notFound('用户不存在或不在您的辖区内');
  await deps.db.transaction().execute(async (trx) => {
    await usersRepository.update(trx, id, { failed_attempts: 0, locked_until: null });
    await recordAudit(trx, ctx, { action: 'user.unlock', subjectType: 'user', subjectIds: [id], subjectUnitId: u.org_unit_id });
  });
}

// ---- photos ----------------------------------------------------------------------------------------------------

export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;
export type { ImageType as PhotoType } from '../../platform/files/images.js';

const unsupported = (detail: string) => new DomainError('unsupported_media_type', 415, detail, [{ field: 'photo', message: detail }]);

/**
 * Stores the photo residents see on plate pages: the user themself, or a manager (`user.manage`) of a user in
 * scope. The bytes must be a JPEG, PNG or WebP image of the declared type.
 */
export async function putPhoto(deps: Deps, ctx: RequestContext, id: string, body: unknown, declared: string | undefined) {
  const me = staffOf(ctx);
  if (id !== me.userId && !me.permissions.has('user.manage')) throw forbidden('只能上传本人的照片');
  const u = await usersRepository.one(deps.db, id === me.userId ? '/' : me.scopePath, id);
  if (!u) throw notFound('用户不存在或不在您的辖区内');
  if (!Buffer.isBuffer(body) || body.length === 0) throw unsupported('请以图片本身作为请求体上传（Content-Type: image/jpeg、image/png 或 image/webp）');
  if (body.length > PHOTO_MAX_BYTES) throw new DomainError('payload_too_large', 413, '照片不能超过 2 MB');
  const type = sniffImage(body);
  const want = declared?.split(';')[0].trim().toLowerCase();
  if (!type || type !== want) throw unsupported('文件内容不是有效的 JPEG、PNG 或 WebP 图片，或与声明的类型不符');
  await deps.db.transaction().execute(async (trx) => {
    await usersRepository.putPhoto(trx, id, type, body);
    await recordAudit(trx, ctx, { action: 'user.photo', subjectType: 'user', subjectIds: [id], subjectUnitId: u.org_unit_id, detail: { contentType: type, bytes: body.length } });
  });
  return { userId: id, contentType: type, bytes: body.length, photoUrl: u.roles.some((r) => PUBLIC_PHOTO_ROLES.includes(r)) ? staffPhotoUrl(id) : null };
}

/** The published photo of an officer or grid worker (what a plate page shows), or 404. */
export async function publicPhoto(deps: Deps, userId: string) {
  const p = await usersRepository.publicPhoto(deps.db, userId, PUBLIC_PHOTO_ROLES);
  if (!p) throw notFound('没有可显示的照片');
  return { contentType: p.content_type, data: Buffer.from(p.data), updatedAt: new Date(p.updated_at) };
}

export async function listRoles(deps: Deps) {
  return (await usersRepository.roles(deps.db)).map((r) => ({
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    description: r.description,
    permissions: r.permissions,
    builtin: r.builtin,
  }));
}

export function listPermissions() {
  return Object.entries(PERMISSIONS).map(([code, p]) => ({ code, name: p.name, nameEn: p.nameEn, group: p.group }));
}

/** Brings the built-in roles in the database in line with the code (run at every start). */
export async function syncBuiltinRoles(deps: Pick<Deps, 'db'>) {
  for (const r of BUILTIN_ROLES) {
    await usersRepository.upsertRole(deps.db, {
      code: r.code,
      name: r.name,
      name_en: r.nameEn,
      description: r.description,
      permissions: r.permissions,
      builtin: true,
    });
  }
}
