import type { Deps } from '../../deps.js';
import type { Principal, StaffPrincipal } from '../access/context.js';
import { authRepository } from './repository.js';
import { tokenHash } from './service.js';

const TOUCH_EVERY_MS = 60_000;

/** The principal behind a session token, or undefined when it is unknown, expired, revoked or disabled. */
export async function loadPrincipal(deps: Deps, token: string): Promise<Principal | undefined> {
  const row = await authRepository.principalByTokenHash(deps.db, tokenHash(deps, token));
  if (!row) return undefined;
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) await authRepository.touchSession(deps.db, row.session_id);
  if (row.principal_kind === 'resident') {
    return { kind: 'resident', sessionId: row.session_id, residentId: row.resident_id!, phone: row.resident_phone! };
  }
  if (row.user_status !== 'active') return undefined;
  return {
    kind: 'staff',
    sessionId: row.session_id,
    userId: row.user_id!,
    username: row.username!,
    displayName: row.display_name!,
    orgUnitId: row.org_unit_id!,
    departmentId: row.department_id ?? null,
    scopePath: row.org_path!,
    roles: row.roles ?? [],
    permissions: new Set(row.permissions ?? []),
    mustChangePassword: !!row.must_change_password,
  };
}


/**
 * The principal of a staff account for work done later on its behalf (a background import): the account's
 * current roles and scope, so a disabled account or a withdrawn permission stops the work.
 */
export async function staffPrincipal(deps: Deps, userId: string, sessionId: string): Promise<StaffPrincipal | undefined> {
  const u = await authRepository.staffByUserId(deps.db, userId);
  if (!u) return undefined;
  return {
    kind: 'staff',
    sessionId,
    userId: u.user_id,
    username: u.username,
    displayName: u.display_name,
    orgUnitId: u.org_unit_id,
    departmentId: u.department_id ?? null,
    scopePath: u.org_path,
    roles: u.roles ?? [],
    permissions: new Set(u.permissions ?? []),
    mustChangePassword: false,
  };
}
