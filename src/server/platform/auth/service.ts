import { randomInt } from 'node:crypto';
import { authenticator } from 'otplib';
import type { Deps } from '../../deps.js';
import type { RequestContext, StaffPrincipal } from '../access/context.js';
import { recordAudit } from '../audit/service.js';
import { DomainError, fieldError, notFound, rateLimited } from '../errors/index.js';
import { authRepository } from './repository.js';
import { burnPasswordCheck, checkPasswordPolicy, hashPassword, keyedHash, newToken, sameHash, verifyPassword } from './secrets.js';

export const LOGIN_MAX_ATTEMPTS = 5;
export const LOGIN_LOCK_MINUTES = 15;
export const OTP_TTL_SECONDS = 300;
export const OTP_RESEND_SECONDS = 60;
export const OTP_MAX_ATTEMPTS = 5;
export const OTP_DAILY_LIMIT = 10;

authenticator.options = { window: 1 };

export interface Me {
  id: string;
  kind: 'staff' | 'resident';
  username: string | null;
  displayName: string;
  phone?: string;
  orgUnit: { id: string; name: string; kind: string; code: string } | null;
  department: { id: string; name: string; kind: string; category: string } | null;
  roles: Array<{ code: string; name: string; nameEn: string }>;
  permissions: string[];
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

export interface IssuedSession {
  token: string;
  sessionId: string;
  expiresAt: Date;
}

export function tokenHash(deps: Deps, token: string): string {
  return keyedHash(deps.config.keys.token, `session:${token}`);
}

async function issueSession(
  deps: Deps,
  ctx: RequestContext,
  who: { kind: 'staff'; userId: string } | { kind: 'resident'; residentId: string },
): Promise<IssuedSession> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + deps.config.sessionTtlHours * 3600_000);
  const sessionId = await authRepository.createSession(deps.db, {
    tokenHash: tokenHash(deps, token),
    kind: who.kind,
    userId: who.kind === 'staff' ? who.userId : undefined,
    residentId: who.kind === 'resident' ? who.residentId : undefined,
    expiresAt,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
  });
  return { token, sessionId, expiresAt };
}

function lockedError(until: Date) {
  const hhmm = until.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
  return new DomainError(
    'account_locked',
    423,
    `连续 ${LOGIN_MAX_ATTEMPTS} 次密码错误，账号已锁定至 ${hhmm}，请稍后再试或联系管理员解锁`,
    undefined,
    { lockedUntil: until.toISOString() },
  );
}

export async function login(
  deps: Deps,
  ctx: RequestContext,
  input: { username: string; password: string; totp?: string },
): Promise<IssuedSession & { userId: string }> {
  const username = input.username.trim().toLowerCase();
  const user = await authRepository.findUserByUsername(deps.db, username);
  const fail = async (reason: string, err: DomainError, userId?: string, orgUnitId?: string) => {
    await recordAudit(deps.db, ctx, {
      actorRole: userId ? await authRepository.roleCodesOf(deps.db, userId) : undefined,
      action: 'auth.login',
      outcome: 'failure',
      subjectType: 'user',
      subjectIds: userId ? [userId] : [],
      actorName: username.slice(0, 64),
      actorId: userId,
      orgUnitId,
      detail: { reason },
    });
    return err;
  };
  const badCredentials = (detail?: string) =>
    new DomainError('invalid_credentials', 401, detail ?? '用户名或密码错误', [{ field: 'password', message: '用户名或密码错误' }]);

  if (!user) {
    await burnPasswordCheck(input.password);
    throw await fail('unknown_user', badCredentials());
  }
  if (user.status !== 'active') {
    throw await fail('disabled', new DomainError('account_disabled', 403, '账号已停用，请联系管理员'), user.id, user.org_unit_id);
  }
  if (user.locked_until && user.locked_until > new Date()) {
    throw await fail('locked', lockedError(user.locked_until), user.id, user.org_unit_id);
  }
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  let totpOk = true;
  if (passwordOk && user.totp_enabled) {
    if (!input.totp) {
      throw new DomainError('totp_required', 401, '该账号已启用双因素认证，请输入动态口令', [
        { field: 'totp', message: '请输入 6 位动态口令' },
      ]);
    }
    totpOk = !!user.totp_secret && authenticator.check(input.totp, user.totp_secret);
  }
  if (!passwordOk || !totpOk) {
    const after = await authRepository.recordFailure(deps.db, user.id, LOGIN_MAX_ATTEMPTS, LOGIN_LOCK_MINUTES);
    if (after.locked_until && after.locked_until > new Date()) {
      throw await fail('locked_now', lockedError(after.locked_until), user.id, user.org_unit_id);
    }
    const left = LOGIN_MAX_ATTEMPTS - after.failed_attempts;
    const err = passwordOk
      ? new DomainError('invalid_totp', 401, `动态口令错误，再错 ${left} 次账号将被锁定`, [{ field: 'totp', message: '动态口令错误' }])
      : badCredentials(`用户名或密码错误，再错 ${left} 次账号将被锁定 ${LOGIN_LOCK_MINUTES} 分钟`);
    throw await fail(passwordOk ? 'bad_totp' : 'bad_password', err, user.id, user.org_unit_id);
  }
  await authRepository.recordSuccess(deps.db, user.id);
  const session = await issueSession(deps, ctx, { kind: 'staff', userId: user.id });
  await recordAudit(deps.db, ctx, {
    action: 'auth.login',
    subjectType: 'user',
    subjectIds: [user.id],
    actorId: user.id,
    actorName: `${user.display_name}(${user.username})`,
    actorRole: await authRepository.roleCodesOf(deps.db, user.id),
    orgUnitId: user.org_unit_id,
    detail: { sessionId: session.sessionId, totp: user.totp_enabled },
  });
  return { ...session, userId: user.id };
}

export async function logout(deps: Deps, ctx: RequestContext): Promise<void> {
  const p = ctx.principal;
  if (!p) return;
  await authRepository.revokeSession(deps.db, p.sessionId, {});
  await recordAudit(deps.db, ctx, { action: 'auth.logout', subjectType: 'session', subjectIds: [p.sessionId] });
}

export async function me(deps: Deps, ctx: RequestContext): Promise<Me> {
  const p = ctx.principal;
  if (!p) throw new DomainError('unauthenticated', 401, '请先登录');
  if (p.kind === 'resident') {
    return {
      id: p.residentId,
      kind: 'resident',
      username: null,
      displayName: p.phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2'),
      phone: p.phone,
      orgUnit: null,
      department: null,
      roles: [],
      permissions: [],
      totpEnabled: false,
      mustChangePassword: false,
    };
  }
  const user = await authRepository.findUserById(deps.db, p.userId);
  if (!user) throw new DomainError('unauthenticated', 401, '账号不存在');
  const [org, dept, roles] = await Promise.all([
    authRepository.orgUnitSummary(deps.db, user.org_unit_id),
    user.department_id ? authRepository.departmentSummary(deps.db, user.department_id) : undefined,
    authRepository.rolesByCodes(deps.db, p.roles),
  ]);
  return {
    id: user.id,
    kind: 'staff',
    username: user.username,
    displayName: user.display_name,
    orgUnit: org ?? null,
    department: dept ?? null,
    roles: roles.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en })),
    permissions: [...p.permissions].sort(),
    totpEnabled: user.totp_enabled,
    mustChangePassword: user.must_change_password,
  };
}

export async function changePassword(
  deps: Deps,
  ctx: RequestContext,
  p: StaffPrincipal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await authRepository.findUserById(deps.db, p.userId);
  if (!user) throw notFound();
  if (!(await verifyPassword(user.password_hash, input.currentPassword))) {
    await recordAudit(deps.db, ctx, { action: 'auth.password_change', outcome: 'failure', subjectType: 'user', subjectIds: [user.id] });
    throw fieldError('currentPassword', '当前密码不正确');
  }
  checkPasswordPolicy(input.newPassword, 'newPassword', user.username);
  if (input.newPassword === input.currentPassword) throw fieldError('newPassword', '新密码不能与当前密码相同');
  const hash = await hashPassword(input.newPassword);
  await deps.db.transaction().execute(async (trx) => {
    await authRepository.setPassword(trx, user.id, hash, false);
    const revoked = await authRepository.revokeUserSessions(trx, user.id, p.sessionId);
    await recordAudit(trx, ctx, {
      action: 'auth.password_change',
      subjectType: 'user',
      subjectIds: [user.id],
      detail: { revokedSessions: revoked },
    });
  });
}

export async function listSessions(deps: Deps, ctx: RequestContext) {
  const p = ctx.principal!;
  const rows = await authRepository.listSessions(
    deps.db,
    p.kind === 'staff' ? { userId: p.userId } : { residentId: p.residentId },
  );
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id === p.sessionId,
  }));
}

export async function revokeSession(deps: Deps, ctx: RequestContext, sessionId: string): Promise<void> {
  const p = ctx.principal!;
  const n = await deps.db.transaction().execute(async (trx) => {
    const count = await authRepository.revokeSession(
      trx,
      sessionId,
      p.kind === 'staff' ? { userId: p.userId } : { residentId: p.residentId },
    );
    if (count) await recordAudit(trx, ctx, { action: 'auth.session_revoke', subjectType: 'session', subjectIds: [sessionId] });
    return count;
  });
  if (!n) throw notFound('会话不存在或已失效');
}

// ---- TOTP second factor for staff ----

export async function totpSetup(deps: Deps, ctx: RequestContext, p: StaffPrincipal) {
  const secret = authenticator.generateSecret(20);
  await deps.db.transaction().execute(async (trx) => {
    await authRepository.setTotp(trx, p.userId, { totp_pending_secret: secret });
    await recordAudit(trx, ctx, { action: 'auth.totp_setup', subjectType: 'user', subjectIds: [p.userId] });
  });
  return { secret, otpauthUrl: authenticator.keyuri(p.username, '枫桥 Fengqiao', secret) };
}

export async function totpEnable(deps: Deps, ctx: RequestContext, p: StaffPrincipal, code: string) {
  const user = await authRepository.findUserById(deps.db, p.userId);
  if (!user?.totp_pending_secret) throw fieldError('code', '请先生成密钥（开始绑定）');
  if (!authenticator.check(code, user.totp_pending_secret)) throw fieldError('code', '动态口令不正确，请核对手机上的 6 位数字');
  await deps.db.transaction().execute(async (trx) => {
    await authRepository.setTotp(trx, p.userId, { totp_secret: user.totp_pending_secret, totp_pending_secret: null, totp_enabled: true });
    await recordAudit(trx, ctx, { action: 'auth.totp_enable', subjectType: 'user', subjectIds: [p.userId] });
  });
}

export async function totpDisable(deps: Deps, ctx: RequestContext, p: StaffPrincipal, password: string) {
  const user = await authRepository.findUserById(deps.db, p.userId);
  if (!user || !(await verifyPassword(user.password_hash, password))) throw fieldError('password', '密码不正确');
  await deps.db.transaction().execute(async (trx) => {
    await authRepository.setTotp(trx, p.userId, { totp_secret: null, totp_pending_secret: null, totp_enabled: false });
    await recordAudit(trx, ctx, { action: 'auth.totp_disable', subjectType: 'user', subjectIds: [p.userId] });
  });
}

// ---- residents: phone + one-time code ----

export const PHONE_RE = /^1[3-9]\d{9}$/;

const otpHash = (deps: Deps, phone: string, code: string) => keyedHash(deps.config.keys.token, `otp:${phone}:${code}`);

export async function requestOtp(deps: Deps, ctx: RequestContext, phone: string) {
  if (!PHONE_RE.test(phone)) throw fieldError('phone', '请输入 11 位中国大陆手机号');
  const last = await authRepository.latestOtp(deps.db, phone);
  if (last) {
    const wait = OTP_RESEND_SECONDS - Math.floor((Date.now() - last.created_at.getTime()) / 1000);
    if (wait > 0) throw rateLimited(`验证码已发送，请 ${wait} 秒后再试`, wait);
  }
  if ((await authRepository.countOtpSince(deps.db, phone, new Date(Date.now() - 86_400_000))) >= OTP_DAILY_LIMIT) {
    throw rateLimited('该手机号今日获取验证码次数已达上限，请明天再试');
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await authRepository.addOtp(deps.db, phone, otpHash(deps, phone, code), new Date(Date.now() + OTP_TTL_SECONDS * 1000));
  await deps.sms.send(phone, `【枫桥】您的验证码是 ${code}，${OTP_TTL_SECONDS / 60} 分钟内有效。请勿告诉他人。`);
  await recordAudit(deps.db, ctx, { action: 'auth.otp_request', subjectType: 'phone', subjectIds: [phone], actorName: phone });
  return { expiresInSeconds: OTP_TTL_SECONDS, resendAfterSeconds: OTP_RESEND_SECONDS };
}

export async function verifyOtp(deps: Deps, ctx: RequestContext, phone: string, code: string) {
  if (!PHONE_RE.test(phone)) throw fieldError('phone', '请输入 11 位中国大陆手机号');
  const otp = await authRepository.latestOtp(deps.db, phone);
  const expired = (detail: string) => new DomainError('otp_expired', 400, detail, [{ field: 'code', message: detail }]);
  if (!otp || otp.consumed_at) throw expired('验证码无效或已使用，请重新获取');
  if (otp.expires_at <= new Date()) throw expired('验证码已过期，请重新获取');
  if (otp.attempts >= OTP_MAX_ATTEMPTS) throw expired('错误次数过多，验证码已作废，请重新获取');
  if (!sameHash(otp.code_hash, otpHash(deps, phone, code))) {
    const attempts = await authRepository.bumpOtpAttempts(deps.db, otp.id);
    await recordAudit(deps.db, ctx, { action: 'auth.otp_verify', outcome: 'failure', subjectType: 'phone', subjectIds: [phone], actorName: phone });
    const left = OTP_MAX_ATTEMPTS - attempts;
    if (left <= 0) throw expired('错误次数过多，验证码已作废，请重新获取');
    throw new DomainError('otp_invalid', 400, `验证码错误，还可尝试 ${left} 次`, [{ field: 'code', message: '验证码错误' }]);
  }
  if (!(await authRepository.consumeOtp(deps.db, otp.id))) throw expired('验证码已使用，请重新获取');
  const residentId = await authRepository.upsertResident(deps.db, phone);
  const session = await issueSession(deps, ctx, { kind: 'resident', residentId });
  await recordAudit(deps.db, ctx, {
    action: 'auth.resident_login',
    subjectType: 'resident',
    subjectIds: [residentId],
    actorId: residentId,
    actorName: phone,
  });
  return { ...session, residentId };
}
