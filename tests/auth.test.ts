import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticator } from 'otplib';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from './support/app.js';
import { TEST_PASSWORD } from './support/env.js';

let t: TestApp;
let adminToken: string;

beforeAll(async () => {
  t = await createTestApp();
  adminToken = await t.login('admin');
});
afterAll(() => t.close());

/** Creates a throwaway account in 彭李派出所 so lock-outs and password changes don't disturb other tests. */
async function makeUser(username: string, roles = ['officer']) {
  const tree = await t.call(adminToken, 'GET', '/api/v1/org/tree');
  const station = tree.json()[0].children[0];
  const res = await t.call(adminToken, 'POST', '/api/v1/users', {
    username,
    displayName: '测试用户',
    password: 'Initial123',
    orgUnitId: station.id,
    roles,
  });
  expect(res.statusCode).toBe(201);
  // first sign-in must change the temporary password
  const tok = await t.login(username, 'Initial123');
  const ch = await t.call(tok, 'POST', '/api/v1/auth/password', { currentPassword: 'Initial123', newPassword: 'Changed456' });
  expect(ch.statusCode).toBe(204);
  return res.json().id as string;
}

describe('staff sign-in', () => {
  it('issues a bearer token and an httpOnly SameSite=Strict cookie that both authenticate', async () => {
    const res = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'officer', password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.user).toMatchObject({ username: 'officer', kind: 'staff', roles: [{ code: 'officer' }] });
    const cookie = res.cookies.find((c) => c.name === 'fq_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.value).toBe(body.token);
    const viaBearer = await t.call(body.token, 'GET', '/api/v1/auth/me');
    expect(viaBearer.json().username).toBe('officer');
    const viaCookie = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { fq_session: cookie.value } });
    expect(viaCookie.json().username).toBe('officer');
  });

  it('accepts the username case-insensitively and rejects a wrong password with a field error', async () => {
    const ok = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'Officer', password: TEST_PASSWORD });
    expect(ok.statusCode).toBe(200);
    const bad = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'nobody', password: 'x' });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ code: 'invalid_credentials', title: '用户名或密码错误', errors: [{ field: 'password' }] });
  });

  it('locks the account after five failures, even for the right password, until an administrator unlocks it', async () => {
    const id = await makeUser('lockme');
    for (let i = 1; i <= 4; i++) {
      const r = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'lockme', password: 'wrong-one1' });
      expect(r.statusCode).toBe(401);
      expect(r.json().detail).toContain(`再错 ${5 - i} 次`);
    }
    const fifth = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'lockme', password: 'wrong-one1' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('account_locked');
    const right = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'lockme', password: 'Changed456' });
    expect(right.statusCode).toBe(423);
    const list = await t.call(adminToken, 'GET', '/api/v1/users?q=lockme');
    expect(list.json().items[0].locked).toBe(true);
    expect((await t.call(adminToken, 'POST', `/api/v1/users/${id}/unlock`)).statusCode).toBe(204);
    const after = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'lockme', password: 'Changed456' });
    expect(after.statusCode).toBe(200);
  });

  it('rate-limits sign-in attempts per address', async () => {
    const limited = await createTestApp({ rateLimit: true });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 32; i++) {
        const r = await limited.call(undefined, 'POST', '/api/v1/auth/login', { username: `ghost${i}`, password: 'x' });
        codes.push(r.statusCode);
      }
      expect(codes.slice(0, 30).every((c) => c === 401)).toBe(true);
      expect(codes.at(-1)).toBe(429);
    } finally {
      await limited.close();
    }
  });

  it('refuses a disabled account and revokes its sessions', async () => {
    const id = await makeUser('leaver');
    const tok = await t.login('leaver', 'Changed456');
    const dis = await t.call(adminToken, 'PATCH', `/api/v1/users/${id}`, { status: 'disabled' });
    expect(dis.statusCode).toBe(200);
    expect((await t.call(tok, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    const again = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'leaver', password: 'Changed456' });
    expect(again.statusCode).toBe(403);
    expect(again.json().code).toBe('account_disabled');
  });
});

describe('sessions', () => {
  it('logout revokes the token', async () => {
    const tok = await t.login('chief');
    expect((await t.call(tok, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    const me = await t.call(tok, 'GET', '/api/v1/auth/me');
    expect(me.statusCode).toBe(401);
    expect(me.json().detail).toBe('登录已失效，请重新登录');
  });

  it('revokes one named session and only the owner may do it', async () => {
    const a = await t.login('leader');
    const b = await t.login('leader');
    const sessions = (await t.call(a, 'GET', '/api/v1/auth/sessions')).json() as Array<{ id: string; current: boolean }>;
    const other = sessions.find((s) => !s.current)!;
    const stranger = await t.login('chief');
    expect((await t.call(stranger, 'DELETE', `/api/v1/auth/sessions/${other.id}`)).statusCode).toBe(404);
    expect((await t.call(a, 'DELETE', `/api/v1/auth/sessions/${other.id}`)).statusCode).toBe(204);
    expect((await t.call(b, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await t.call(a, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('does not allow session fixation: a planted cookie is never adopted and sign-in always issues a new token', async () => {
    const planted = 'attacker-chosen-value-aaaaaaaaaaaaaaaaaaaaaaaaaa';
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      cookies: { fq_session: planted },
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'officer', password: TEST_PASSWORD }),
    });
    expect(res.statusCode).toBe(200);
    const issued = res.cookies.find((c) => c.name === 'fq_session')!.value;
    expect(issued).not.toBe(planted);
    const withPlanted = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { fq_session: planted } });
    expect(withPlanted.statusCode).toBe(401);
    // signing in again from a browser that already holds a session replaces (revokes) that session
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      cookies: { fq_session: issued },
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'officer', password: TEST_PASSWORD }),
    });
    const reissued = second.cookies.find((c) => c.name === 'fq_session')!.value;
    expect(reissued).not.toBe(issued);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', cookies: { fq_session: issued } })).statusCode).toBe(401);
  });

  it('changing the password revokes the other sessions and enforces the policy', async () => {
    await makeUser('pwuser');
    const a = await t.login('pwuser', 'Changed456');
    const b = await t.login('pwuser', 'Changed456');
    const weak = await t.call(a, 'POST', '/api/v1/auth/password', { currentPassword: 'Changed456', newPassword: 'short' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].field).toBe('newPassword');
    const wrong = await t.call(a, 'POST', '/api/v1/auth/password', { currentPassword: 'nope', newPassword: 'Another789' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].field).toBe('currentPassword');
    expect((await t.call(a, 'POST', '/api/v1/auth/password', { currentPassword: 'Changed456', newPassword: 'Another789' })).statusCode).toBe(204);
    expect((await t.call(a, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    expect((await t.call(b, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    await t.login('pwuser', 'Another789');
  });

  it('a reset password must be changed before anything else', async () => {
    const id = await makeUser('resetme');
    expect((await t.call(adminToken, 'POST', `/api/v1/users/${id}/reset-password`, { newPassword: 'Temp12345' })).statusCode).toBe(204);
    const tok = await t.login('resetme', 'Temp12345');
    expect((await t.call(tok, 'GET', '/api/v1/auth/me')).json().mustChangePassword).toBe(true);
    const blocked = await t.call(tok, 'GET', '/api/v1/org/tree');
    expect(blocked.statusCode).toBe(403);
    expect((await t.call(tok, 'POST', '/api/v1/auth/password', { currentPassword: 'Temp12345', newPassword: 'Fresh12345' })).statusCode).toBe(204);
    expect((await t.call(tok, 'GET', '/api/v1/org/tree')).statusCode).toBe(200);
  });
});

describe('TOTP second factor', () => {
  it('enrols, then requires the code at sign-in and rejects a wrong one', async () => {
    await makeUser('twofactor');
    const tok = await t.login('twofactor', 'Changed456');
    const setup = (await t.call(tok, 'POST', '/api/v1/auth/totp/setup')).json();
    expect(setup.otpauthUrl).toContain('otpauth://totp/');
    const badEnable = await t.call(tok, 'POST', '/api/v1/auth/totp/enable', { code: '000000' === authenticator.generate(setup.secret) ? '111111' : '000000' });
    expect(badEnable.statusCode).toBe(400);
    expect((await t.call(tok, 'POST', '/api/v1/auth/totp/enable', { code: authenticator.generate(setup.secret) })).statusCode).toBe(204);

    const noCode = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'twofactor', password: 'Changed456' });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().code).toBe('totp_required');
    const good = authenticator.generate(setup.secret);
    const wrong = good === '123456' ? '654321' : '123456';
    const bad = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'twofactor', password: 'Changed456', totp: wrong });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('invalid_totp');
    const ok = await t.call(undefined, 'POST', '/api/v1/auth/login', { username: 'twofactor', password: 'Changed456', totp: good });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.totpEnabled).toBe(true);
  });
});

describe('resident one-time codes', () => {
  const outboxCode = async (phone: string) => {
    const box = (await t.call(undefined, 'GET', '/api/v1/dev/outbox')).json() as Array<{ phone: string; body: string }>;
    const msg = box.find((m) => m.phone === phone)!;
    return /(\d{6})/.exec(msg.body)![1];
  };

  it('signs a resident in with the code from the outbox; the code works once', async () => {
    const phone = '13800001111';
    const req = await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone });
    expect(req.statusCode).toBe(202);
    expect(req.json()).toEqual({ expiresInSeconds: 300, resendAfterSeconds: 60 });
    const code = await outboxCode(phone);
    const ok = await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ kind: 'resident', displayName: '138****1111', permissions: [] });
    const reuse = await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().code).toBe('otp_expired');
    // a resident is not staff
    const staffOnly = await t.call(ok.json().token, 'GET', '/api/v1/org/tree');
    expect(staffOnly.statusCode).toBe(403);
  });

  it('refuses a second code within 60 seconds and rejects bad phone numbers', async () => {
    const phone = '13800002222';
    expect((await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone })).statusCode).toBe(202);
    const again = await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone });
    expect(again.statusCode).toBe(429);
    expect(again.headers['retry-after']).toBeDefined();
    const bad = await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone: '12345' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('phone');
  });

  it('voids the code after five wrong tries', async () => {
    const phone = '13800003333';
    await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone });
    const code = await outboxCode(phone);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 1; i <= 4; i++) {
      const r = await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code: wrong });
      expect(r.json()).toMatchObject({ code: 'otp_invalid', detail: `验证码错误，还可尝试 ${5 - i} 次` });
    }
    const fifth = await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code: wrong });
    expect(fifth.json().code).toBe('otp_expired');
    const right = await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code });
    expect(right.statusCode).toBe(400);
    expect(right.json().code).toBe('otp_expired');
  });

  it('rejects an expired code', async () => {
    const phone = '13800004444';
    await t.call(undefined, 'POST', '/api/v1/auth/otp/request', { phone });
    const code = await outboxCode(phone);
    await sql`UPDATE otp_codes SET expires_at = now() - interval '1 second' WHERE phone = ${phone}`.execute(t.deps.db);
    const r = await t.call(undefined, 'POST', '/api/v1/auth/otp/verify', { phone, code });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'otp_expired', detail: '验证码已过期，请重新获取' });
  });
});
