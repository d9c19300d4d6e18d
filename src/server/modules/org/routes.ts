import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { IdParams, Uuid, Strict } from '../../platform/http/schemas.js';
import { ORG_KINDS } from './rules.js';
import * as org from './service.js';

const Phone = Type.String({ maxLength: 32, pattern: '^[0-9+\\- ]{5,32}$' });
const Boundary = Type.Union([Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(Type.Array(Type.Array(Type.Number()))) }), Type.Null()]);
const Status = Type.Union([Type.Literal('active'), Type.Literal('inactive')]);

export function orgRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/v1/org/tree', { config: { access: 'org.read' }, schema: { tags: ['org'], summary: '本辖区组织机构树' } }, (req) =>
    org.tree(deps, req.ctx),
  );

  r.get('/api/v1/org/units/:id', { config: { access: 'org.read' }, schema: { tags: ['org'], summary: '单位详情', params: IdParams } }, (req) =>
    org.getUnit(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/org/units',
    {
      config: { access: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: '新建下级单位',
        body: Type.Object(
          {
            parentId: Uuid,
            kind: Type.Union(ORG_KINDS.map((k) => Type.Literal(k))),
            code: Type.String({ minLength: 4, maxLength: 24 }),
            name: Type.String({ minLength: 2, maxLength: 64 }),
            contactPhone: Type.Optional(Phone),
            address: Type.Optional(Type.String({ maxLength: 200 })),
            boundary: Type.Optional(Boundary),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await org.createUnit(deps, req.ctx, req.body)),
  );

  r.patch(
    '/api/v1/org/units/:id',
    {
      config: { access: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: '修改单位',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 2, maxLength: 64 })),
            contactPhone: Type.Optional(Type.Union([Phone, Type.Null()])),
            address: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
            boundary: Type.Optional(Boundary),
            status: Type.Optional(Status),
          },
          Strict,
        ),
      },
    },
    (req) => org.updateUnit(deps, req.ctx, req.params.id, req.body),
  );

  r.get('/api/v1/org/departments', { config: { access: 'org.read' }, schema: { tags: ['org'], summary: '部门列表' } }, (req) =>
    org.listDepartments(deps, req.ctx),
  );

  r.get(
    '/api/v1/org/department-categories',
    { config: { access: 'org.read' }, schema: { tags: ['org'], summary: '部门类别清单（内部警种、协作部门）' } },
    () => org.departmentCategories(),
  );

  r.post(
    '/api/v1/org/departments',
    {
      config: { access: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: '新建部门',
        body: Type.Object(
          {
            orgUnitId: Uuid,
            kind: Type.Union([Type.Literal('internal'), Type.Literal('partner')]),
            category: Type.String({ minLength: 1, maxLength: 32 }),
            name: Type.String({ minLength: 2, maxLength: 64 }),
            contactPhone: Type.Optional(Phone),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await org.createDepartment(deps, req.ctx, req.body)),
  );

  r.patch(
    '/api/v1/org/departments/:id',
    {
      config: { access: 'org.manage' },
      schema: {
        tags: ['org'],
        summary: '修改部门',
        params: IdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.String({ minLength: 2, maxLength: 64 })),
            contactPhone: Type.Optional(Type.Union([Phone, Type.Null()])),
            status: Type.Optional(Status),
          },
          Strict,
        ),
      },
    },
    (req) => org.updateDepartment(deps, req.ctx, req.params.id, req.body),
  );
}
