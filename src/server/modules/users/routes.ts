import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { IdParams, PageQuery, Uuid, pageArgs, Strict } from '../../platform/http/schemas.js';
import * as users from './service.js';

const Phone = Type.String({ maxLength: 20 });
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

  r.get('/api/v1/roles', { config: { access: 'role.read' }, schema: { tags: ['users'], summary: '角色列表' } }, () => users.listRoles(deps));
  r.get('/api/v1/permissions', { config: { access: 'role.read' }, schema: { tags: ['users'], summary: '权限清单' } }, () =>
    users.listPermissions(),
  );
}
