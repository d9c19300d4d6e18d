import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../platform/errors/index.js';
import { IdParams, PageQuery, Uuid, pageArgs, Strict } from '../../platform/http/schemas.js';
import * as users from './service.js';

const Phone = Type.String({ maxLength: 20 });
const PoliceNo = Type.String({ maxLength: 12, description: '警号' });
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const Roles = Type.Array(Type.String({ maxLength: 32 }), { maxItems: 20 });

export function usersRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/users',
    {
      config: { access: 'user.read' },
      schema: {
        tags: ['users'],
        summary: '用户列表',
        querystring: Type.Object(
          {
            q: Type.Optional(Type.String({ maxLength: 64 })),
            orgUnitId: Type.Optional(Uuid),
            role: Type.Optional(Type.String({ maxLength: 32 })),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
            ...PageQuery,
          },
          Strict,
        ),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const { q, orgUnitId, role, status } = req.query;
      const result = await users.listUsers(deps, req.ctx, { q: q?.trim() || undefined, orgUnitId, role, status }, { limit, offset });
      return { ...result, page, pageSize };
    },
  );

  r.get('/api/v1/users/:id', { config: { access: 'user.read' }, schema: { tags: ['users'], summary: '用户详情（审计）', params: IdParams } }, (req) =>
    users.getUser(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/users',
    {
      config: { access: 'user.manage' },
      schema: {
        tags: ['users'],
        summary: '新建用户',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 32 }),
            displayName: Type.String({ minLength: 1, maxLength: 32 }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
            orgUnitId: Uuid,
            departmentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
            phone: Type.Optional(Type.Union([Phone, Type.Null()])),
            policeNo: Type.Optional(Type.Union([PoliceNo, Type.Null()])),
            roles: Roles,
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await users.createUser(deps, req.ctx, req.body)),
  );

  r.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'user.manage' },
      schema: {
        tags: ['users'],
        summary: '修改用户',
        params: IdParams,
        body: Type.Object(
          {
            displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
            phone: Type.Optional(Type.Union([Phone, Type.Null()])),
            policeNo: Type.Optional(Type.Union([PoliceNo, Type.Null()])),
            orgUnitId: Type.Optional(Uuid),
            departmentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
            roles: Type.Optional(Roles),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
          },
          Strict,
        ),
      },
    },
    (req) => users.updateUser(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/users/:id/reset-password',
    {
      config: { access: 'user.manage' },
      schema: {
        tags: ['users'],
        summary: '重置密码',
        params: IdParams,
        body: Type.Object({ newPassword: Type.String({ minLength: 1, maxLength: 256 }) }, Strict),
      },
    },
    async (req, reply) => {
      await users.resetPassword(deps, req.ctx, req.params.id, req.body.newPassword);
      return reply.code(204).send();
    },
  );

  r.post(
    '/api/v1/users/:id/unlock',
    { config: { access: 'user.manage' }, schema: { tags: ['users'], summary: '解除锁定', params: IdParams } },
    async (req, reply) => {
      await users.unlockUser(deps, req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );

  // the photo upload takes the image itself as its body: its own context holds the image parsers
  void app.register(async (scope) => {
    scope.addContentTypeParser(PHOTO_TYPES, { parseAs: 'buffer', bodyLimit: users.PHOTO_MAX_BYTES }, (_req, body, done) => done(null, body));
    // refusals of the body parser, said in terms of photos; everything else goes to the common handler
    scope.setErrorHandler((err: FastifyError) => {
      if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) throw new DomainError('payload_too_large', 413, '照片不能超过 2 MB', [{ field: 'photo', message: '照片不能超过 2 MB' }]);
      if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
        throw new DomainError('unsupported_media_type', 415, '请上传 JPEG、PNG 或 WebP 格式的照片', [{ field: 'photo', message: '请上传 JPEG、PNG 或 WebP 格式的照片' }]);
      }
      throw err;
    });
    scope.withTypeProvider<TypeBoxTypeProvider>().put(
      '/api/v1/users/:id/photo',
      {
        bodyLimit: users.PHOTO_MAX_BYTES,
        config: { access: 'staff' },
        schema: { tags: ['users'], summary: '上传本人照片（或 user.manage 为辖区内用户上传）；请求体为 JPEG、PNG 或 WebP 图片本身，≤ 2 MB', params: IdParams },
      },
      (req) => users.putPhoto(deps, req.ctx, req.params.id, req.body, req.headers['content-type']),
    );
  });

  r.get(
    '/api/v1/portal/staff/:userId/photo',
    {
      config: { access: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
      schema: { tags: ['portal'], summary: '社区民警、网格员的公开照片（门牌页面显示）', params: Type.Object({ userId: Uuid }, Strict) },
    },
    async (req, reply) => {
      const p = await users.publicPhoto(deps, req.params.userId);
      reply.header('cache-control', 'public, max-age=600');
      reply.header('last-modified', p.updatedAt.toUTCString());
      if (p.contentType === 'image/svg+xml') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      return reply.type(p.contentType).send(p.data);
    },
  );

  r.get('/api/v1/roles', { config: { access: 'role.read' }, schema: { tags: ['users'], summary: '角色列表' } }, () => users.listRoles(deps));
  r.get('/api/v1/permissions', { config: { access: 'role.read' }, schema: { tags: ['users'], summary: '权限清单' } }, () =>
    users.listPermissions(),
  );
}
