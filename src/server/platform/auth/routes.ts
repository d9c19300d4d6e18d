import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { staffOf } from '../access/context.js';
import { IdParams, Strict } from '../http/schemas.js';
import { listOutbox } from '../notify/sms.js';
import { SESSION_COOKIE } from './plugin.js';
import { loadPrincipal } from './principal.js';
import * as auth from './service.js';

const MeSchema = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('staff'), Type.Literal('resident')]),
  username: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.String(),
  phone: Type.Optional(Type.String()),
  orgUnit: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), code: Type.String() }), Type.Null()]),
  department: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String(), category: Type.String() }),
    Type.Null(),
  ]),
  roles: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), nameEn: Type.String() })),
  permissions: Type.Array(Type.String()),
  totpEnabled: Type.Boolean(),
  mustChangePassword: Type.Boolean(),
});

const LoginResult = Type.Object({ token: Type.String(), expiresAt: Type.String(), user: MeSchema });

export function authRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const secure = deps.config.publicBaseUrl.startsWith('https://');
  const setCookie = (reply: FastifyReply, token: string, expiresAt: Date) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: expiresAt });

  r.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: '工作人员登录',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            totp: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
          },
          Strict,
        ),
        response: { 200: LoginResult },
      },
    },
    async (req, reply) => {
      const previous = req.ctx.principal; // a session already on this browser is replaced, never reused
      const s = await auth.login(deps, req.ctx, req.body);
      if (previous) await auth.logout(deps, req.ctx);
      setCookie(reply, s.token, s.expiresAt);
      const principal = await loadPrincipal(deps, s.token);
      return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: await auth.me(deps, { ...req.ctx, principal }) };
    },
  );

  r.post('/api/v1/auth/logout', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: '退出登录' } }, async (req, reply) => {
    await auth.logout(deps, req.ctx);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  r.get('/api/v1/auth/me', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: '当前用户', response: { 200: MeSchema } } }, (req) =>
    auth.me(deps, req.ctx),
  );

  r.post(
    '/api/v1/auth/password',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['auth'],
        summary: '修改密码',
        body: Type.Object(
          { currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) },
          Strict,
        ),
      },
    },
    async (req, reply) => {
      await auth.changePassword(deps, req.ctx, staffOf(req.ctx), req.body);
      return reply.code(204).send();
    },
  );

  r.get('/api/v1/auth/sessions', { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: '我的登录会话' } }, (req) =>
    auth.listSessions(deps, req.ctx),
  );

  r.delete(
    '/api/v1/auth/sessions/:id',
    { config: { access: 'authenticated' }, schema: { tags: ['auth'], summary: '注销一个会话', params: IdParams } },
    async (req, reply) => {
      await auth.revokeSession(deps, req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );

  r.post('/api/v1/auth/totp/setup', { config: { access: 'staff' }, schema: { tags: ['auth'], summary: '开始绑定动态口令' } }, (req) =>
    auth.totpSetup(deps, req.ctx, staffOf(req.ctx)),
  );

  r.post(
    '/api/v1/auth/totp/enable',
    {
      config: { access: 'staff' },
      schema: { tags: ['auth'], summary: '启用动态口令', body: Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }, Strict) },
    },
    async (req, reply) => {
      await auth.totpEnable(deps, req.ctx, staffOf(req.ctx), req.body.code);
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/v1/auth/totp/disable',
    {
      config: { access: 'staff' },
      schema: { tags: ['auth'], summary: '停用动态口令', body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, Strict) },
    },
    async (req, reply) => {
      await auth.totpDisable(deps, req.ctx, staffOf(req.ctx), req.body.password);
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/v1/auth/otp/request',
    {
      config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: { tags: ['auth'], summary: '群众获取短信验证码', body: Type.Object({ phone: Type.String({ maxLength: 20 }) }, Strict) },
    },
    async (req, reply) => reply.code(202).send(await auth.requestOtp(deps, req.ctx, req.body.phone.trim())),
  );

  r.post(
    '/api/v1/auth/otp/verify',
    {
      config: { access: 'public', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: '群众验证码登录',
        body: Type.Object({ phone: Type.String({ maxLength: 20 }), code: Type.String({ pattern: '^\\d{6}$' }) }, Strict),
        response: { 200: LoginResult },
      },
    },
    async (req, reply) => {
      const s = await auth.verifyOtp(deps, req.ctx, req.body.phone.trim(), req.body.code);
      setCookie(reply, s.token, s.expiresAt);
      const principal = await loadPrincipal(deps, s.token);
      return { token: s.token, expiresAt: s.expiresAt.toISOString(), user: await auth.me(deps, { ...req.ctx, principal }) };
    },
  );

  if (deps.config.env !== 'production') {
    r.get('/api/v1/dev/outbox', { config: { access: 'public' }, schema: { tags: ['dev'], summary: '开发环境短信发件箱（生产环境不存在）' } }, async () =>
      (await listOutbox(deps.db)).map((m) => ({ id: m.id, phone: m.phone, body: m.body, createdAt: m.created_at.toISOString() })),
    );
  }
}
