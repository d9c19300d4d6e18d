import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../deps.js';
import { IdParams, PageQuery, Uuid, pageArgs, Strict } from '../../../platform/http/schemas.js';
import type { RoutingCondition } from '../../../db/schema.js';
import * as rules from './rules.js';
import * as dispatches from './service.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const TypeCode = Type.String({ minLength: 1, maxLength: 40, description: '事项类型代码' });
const Op = Type.Union(['eq', 'neq', 'in', 'gte', 'lte', 'contains', 'truthy', 'falsy'].map((o) => Type.Literal(o)));
const Scalar = Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]);
const Condition = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 40, description: '事项表单字段标识' }),
    op: Op,
    value: Type.Optional(Type.Union([Scalar, Type.Array(Scalar, { maxItems: 30 })])),
  },
  Strict,
);

const RuleBody = {
  name: Type.String({ minLength: 1, maxLength: 60 }),
  itemTypeCode: TypeCode,
  conditions: Type.Array(Condition, { maxItems: 10 }),
  targetKind: Type.Union([Type.Literal('department'), Type.Literal('officer')]),
  departmentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  acceptHours: Type.Integer({ minimum: 1, maximum: 720, description: '签收时限（小时）' }),
  escalateToDepartmentId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999, description: '越小越先' })),
};

const Status = Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('closed'), Type.Literal('rejected')]);

/** Routes of field/routing (docs/api-field.md "Routing"). */
export function routingRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const asRule = (b: { conditions: Array<{ field: string; op: string; value?: unknown }> }) => b.conditions as RoutingCondition[];

  // ---- rules
  r.get(
    '/api/v1/routing-rules',
    {
      config: { access: 'staff' },
      schema: {
        tags: ['field-routing'],
        summary: '分派规则列表（含部门名称）',
        querystring: Type.Object({ itemType: Type.Optional(TypeCode), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])) }, Strict),
      },
    },
    (req) => rules.listRules(deps, req.ctx, req.query),
  );

  r.post(
    '/api/v1/routing-rules',
    { config: { access: 'field.configure' }, schema: { tags: ['field-routing'], summary: '新建分派规则', body: Type.Object(RuleBody, Strict) } },
    async (req, reply) => reply.code(201).send(await rules.createRule(deps, req.ctx, { ...req.body, conditions: asRule(req.body) })),
  );

  r.post(
    '/api/v1/routing-rules/test',
    {
      config: { access: 'field.configure' },
      schema: {
        tags: ['field-routing'],
        summary: '试运行：按事项类型与填写内容看会分派给谁',
        body: Type.Object({ itemTypeCode: TypeCode, data: Type.Record(Type.String({ maxLength: 40 }), Type.Unknown(), { maxProperties: 40 }) }, Strict),
      },
    },
    (req) => rules.testRules(deps, req.ctx, { itemTypeCode: req.body.itemTypeCode, data: req.body.data as Record<string, unknown> }),
  );

  r.put(
    '/api/v1/routing-rules/:id',
    {
      config: { access: 'field.configure' },
      schema: {
        tags: ['field-routing'],
        summary: '修改分派规则（可停用）',
        params: IdParams,
        body: Type.Object({ ...RuleBody, status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])) }, Strict),
      },
    },
    (req) => rules.updateRule(deps, req.ctx, req.params.id, { ...req.body, conditions: asRule(req.body) }),
  );

  r.delete(
    '/api/v1/routing-rules/:id',
    { config: { access: 'field.configure' }, schema: { tags: ['field-routing'], summary: '删除分派规则（已有分派的规则只能停用）', params: IdParams } },
    async (req, reply) => {
      await rules.deleteRule(deps, req.ctx, req.params.id);
      return reply.code(204).send();
    },
  );

  // ---- dispatches
  r.get(
    '/api/v1/dispatches',
    {
      config: { access: 'dispatch.handle' },
      schema: {
        tags: ['field-routing'],
        summary: '分派事项：本部门（或社区民警）待办、督办、辖区全部',
        querystring: Type.Object(
          {
            box: Type.Optional(Type.Union([Type.Literal('inbox'), Type.Literal('oversight'), Type.Literal('all')])),
            status: Type.Optional(Status),
            overdue: Type.Optional(Type.Boolean()),
            ...PageQuery,
          },
          Strict,
        ),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const result = await dispatches.listDispatches(deps, req.ctx, req.query, { limit, offset });
      return { ...result, page, pageSize };
    },
  );

  r.get(
    '/api/v1/dispatches/stats',
    {
      config: { access: 'field.read' },
      schema: {
        tags: ['field-routing'],
        summary: '各部门分派办理统计（接收、签收、办结、超时、督办、签收与办结用时中位数）',
        querystring: Type.Object({ unitId: Type.Optional(Uuid), from: Type.Optional(DateStr), to: Type.Optional(DateStr) }, Strict),
      },
    },
    (req) => dispatches.dispatchStats(deps, req.ctx, req.query),
  );

  r.get('/api/v1/dispatches/:id', { config: { access: 'dispatch.handle' }, schema: { tags: ['field-routing'], summary: '分派事项详情（留痕）', params: IdParams } }, (req) =>
    dispatches.getDispatch(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/dispatches/:id/accept',
    { config: { access: 'dispatch.handle' }, schema: { tags: ['field-routing'], summary: '签收', params: IdParams } },
    (req) => dispatches.acceptDispatch(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/dispatches/:id/note',
    {
      config: { access: 'dispatch.handle' },
      schema: { tags: ['field-routing'], summary: '添加办理记录', params: IdParams, body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, Strict) },
    },
    (req) => dispatches.noteDispatch(deps, req.ctx, req.params.id, req.body.note),
  );

  r.post(
    '/api/v1/dispatches/:id/close',
    {
      config: { access: 'dispatch.handle' },
      schema: {
        tags: ['field-routing'],
        summary: '办结反馈（短信告知上报的网格员）',
        params: IdParams,
        body: Type.Object(
          {
            result: Type.Union([Type.Literal('resolved'), Type.Literal('referred'), Type.Literal('unfounded'), Type.Literal('other')]),
            feedback: Type.String({ minLength: 1, maxLength: 1000 }),
          },
          Strict,
        ),
      },
    },
    (req) => dispatches.closeDispatch(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/dispatches/:id/reject',
    {
      config: { access: 'dispatch.handle' },
      schema: { tags: ['field-routing'], summary: '退回（非本部门事项，转社区民警）', params: IdParams, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, Strict) },
    },
    (req) => dispatches.rejectDispatch(deps, req.ctx, req.params.id, req.body.reason),
  );
}
