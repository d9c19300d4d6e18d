import { forbidden } from '../errors/index.js';
import type { Permission } from './permissions.js';

export interface StaffPrincipal {
  kind: 'staff';
  sessionId: string;
  userId: string;
  username: string;
  displayName: string;
  orgUnitId: string;
  /** The department the account works in (a partner department's staff see its inbox), if any. */
  departmentId: string | null;
  /** Materialised path of the user's org unit: the data scope is every unit whose path starts with it. */
  scopePath: string;
  roles: string[];
  permissions: ReadonlySet<string>;
  mustChangePassword: boolean;
}

export interface ResidentPrincipal {
  kind: 'resident';
  sessionId: string;
  residentId: string;
  phone: string;
}

export type Principal = StaffPrincipal | ResidentPrincipal;

/** Who is asking and from where: passed from routes into services for scoping and audit. */
export interface RequestContext {
  principal?: Principal;
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export function staffOf(ctx: RequestContext): StaffPrincipal {
  const p = ctx.principal;
  if (!p || p.kind !== 'staff') throw new Error('staff principal required');
  return p;
}

/** The signed-in resident; anyone else is refused (403). */
export function residentOf(ctx: RequestContext): ResidentPrincipal {
  const p = ctx.principal;
  if (!p || p.kind !== 'resident') throw forbidden('此功能仅限群众（手机号登录）使用');
  return p;
}

export function can(ctx: RequestContext, permission: Permission): boolean {
  const p = ctx.principal;
  return p?.kind === 'staff' && p.permissions.has(permission);
}

/** The built-in actor of the CLI, the seed and scheduled jobs: whole-tree scope, every permission. */
export const SYSTEM_USER_ID = '00000000-0000-0000-0000-000000000000';

export function systemContext(permissions: Iterable<string>): RequestContext {
  return {
    ip: 'local',
    userAgent: 'fengqiao-cli',
    principal: {
      kind: 'staff',
      sessionId: SYSTEM_USER_ID,
      userId: SYSTEM_USER_ID,
      username: 'system',
      displayName: '系统',
      orgUnitId: SYSTEM_USER_ID,
      departmentId: null,
      scopePath: '/',
      roles: ['system'],
      permissions: new Set(permissions),
      mustChangePassword: false,
    },
  };
}
