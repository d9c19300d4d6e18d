import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../platform/http/schemas.js';
import { DIRECTIVE_LEVELS } from './settings.js';
import { DIRECTIVE_STATUSES, RESPONSE_STATUSES, TARGET_STATUSES, WHISTLE_STATUSES } from './rules.js';
import * as directives from './directives.js';
import * as scenarios from './scenarios.js';
import * as whistles from './whistles.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD（北京时间）' });
const Text = (max: number) => Type.String({ maxLength: max });
const Period = { from: Type.Optional(DateStr), to: Type.Optional(DateStr) };
const TAGS = { directives: ['command'], whistles: ['command'] };

const ScenarioBody = Type.Object(
  {
    code: Type.String({ minLength: 2, maxLength: 40, description: '小写字母、数字、下划线' }),
    name: Type.String({ minLength: 1, maxLength: 50 }),
    description: Type.Optional(Type.Union([Text(500), Type.Null()])),
    departmentIds: Type.Array(Uuid, { maxItems: 30 }),
    responseMinutes: Type.Integer({ description: '响应时限（分钟，5–10080）' }),
    urgent: Type.Boolean(),
    sort: Type.Optional(Type.Integer({ minimum: -10_000, maximum: 10_000 })),
    status: Type.Optional(Enum(['active', 'inactive'] as const)),
  },
  Strict,
);

/** Directives and whistles (docs/api-command.md "Directives", "Whistles"). */
export function commandRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // ---- directives (四色预警指令) -----------------------------------------------------------------------------

  r.get(
    '/api/v1/directives',
    {
      config: { access: 'directive.issue' },
      schema: {
        tags: TAGS.directives,
        summary: '本辖区下发的预警指令（含签收率、反馈率）',
        querystring: Type.Object({ status: Type.Optional(Enum(DIRECTIVE_STATUSES)), level: Type.Optional(Enum(DIRECTIVE_LEVELS)), ...Period, ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await directives.listDirectives(deps, req.ctx, req.query, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/directives',
    {
      config: { access: 'directive.issue' },
      schema: {
        tags: TAGS.directives,
        summary: '下发四色预警指令',
        body: Type.Object(
          {
            level: Enum(DIRECTIVE_LEVELS),
            title: Type.String({ minLength: 1, maxLength: 100 }),
            content: Type.String({ minLength: 1, maxLength: 5000 }),
            actions: Type.String({ minLength: 1, maxLength: 3000 }),
            deadline: Type.String({ format: 'date-time', description: '反馈期限（ISO 8601）' }),
            orgUnitIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
            departmentIds: Type.Optional(Type.Array(Uuid, { maxItems: 50 })),
            incidentId: Type.Optional(Uuid),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await directives.issueDirective(deps, req.ctx, req.body)),
  );

  r.get(
    '/api/v1/directives/stats',
    { config: { access: 'command.oversee' }, schema: { tags: TAGS.directives, summary: '指令签收率、反馈率（按级别、按单位）与超时单位', querystring: Type.Object(Period, Strict) } },
    (req) => directives.directiveStats(deps, req.ctx, req.query),
  );

  r.get('/api/v1/directives/:id', { config: { access: 'staff' }, schema: { tags: TAGS.directives, summary: '指令详情：各接收单位的签收与反馈', params: IdParams } }, (req) =>
    directives.getDirective(deps, req.ctx, req.params.id),
  );

  r.post('/api/v1/directives/:id/close', { config: { access: 'directive.issue' }, schema: { tags: TAGS.directives, summary: '办结指令', params: IdParams } }, (req) =>
    directives.endDirective(deps, req.ctx, req.params.id, 'closed'),
  );

  r.post('/api/v1/directives/:id/withdraw', { config: { access: 'directive.issue' }, schema: { tags: TAGS.directives, summary: '撤回指令', params: IdParams } }, (req) =>
    directives.endDirective(deps, req.ctx, req.params.id, 'withdrawn'),
  );

  r.get(
    '/api/v1/directive-inbox',
    {
      config: { access: 'directive.handle' },
      schema: { tags: TAGS.directives, summary: '下发到本单位或本部门的指令', querystring: Type.Object({ status: Type.Optional(Enum([...TARGET_STATUSES, 'open'] as const)), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await directives.directiveInbox(deps, req.ctx, req.query, { limit, offset })), page, pageSize };
    },
  );

  r.post('/api/v1/directive-targets/:id/sign', { config: { access: 'directive.handle' }, schema: { tags: TAGS.directives, summary: '签收指令', params: IdParams } }, (req) =>
    directives.signTarget(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/directive-targets/:id/report',
    {
      config: { access: 'directive.handle' },
      schema: { tags: TAGS.directives, summary: '反馈指令落实情况（未签收的一并签收）', params: IdParams, body: Type.Object({ feedback: Type.String({ maxLength: 3000 }) }, Strict) },
    },
    (req) => directives.reportTarget(deps, req.ctx, req.params.id, req.body.feedback),
  );

  // ---- whistles (派出所吹哨、警种报到) ------------------------------------------------------------------------

  r.get('/api/v1/whistle-scenarios', { config: { access: 'staff' }, schema: { tags: TAGS.whistles, summary: '吹哨场景（报到部门与响应时限）' } }, (req) =>
    scenarios.listScenarios(deps, req.ctx),
  );

  r.post('/api/v1/whistle-scenarios', { config: { access: 'incident.configure' }, schema: { tags: TAGS.whistles, summary: '新增吹哨场景', body: ScenarioBody } }, async (req, reply) =>
    reply.code(201).send(await scenarios.createScenario(deps, req.ctx, req.body)),
  );

  r.put('/api/v1/whistle-scenarios/:id', { config: { access: 'incident.configure' }, schema: { tags: TAGS.whistles, summary: '修改吹哨场景', params: IdParams, body: ScenarioBody } }, (req) =>
    scenarios.updateScenario(deps, req.ctx, req.params.id, req.body),
  );

  r.get(
    '/api/v1/whistles',
    {
      config: { access: 'whistle.raise' },
      schema: { tags: TAGS.whistles, summary: '本所的吹哨事项', querystring: Type.Object({ status: Type.Optional(Enum(WHISTLE_STATUSES)), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await whistles.listWhistles(deps, req.ctx, req.query, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/whistles',
    {
      config: { access: 'whistle.raise' },
      schema: {
        tags: TAGS.whistles,
        summary: '派出所吹哨',
        body: Type.Object(
          {
            scenarioId: Uuid,
            title: Type.String({ minLength: 1, maxLength: 100 }),
            description: Type.String({ minLength: 1, maxLength: 5000 }),
            incidentId: Type.Optional(Uuid),
            addressId: Type.Optional(Uuid),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await whistles.raiseWhistle(deps, req.ctx, req.body)),
  );

  r.get(
    '/api/v1/whistles/stats',
    { config: { access: 'command.oversee' }, schema: { tags: TAGS.whistles, summary: '各警种响应、处置用时中位数与超时未响应', querystring: Type.Object(Period, Strict) } },
    (req) => whistles.whistleStats(deps, req.ctx, req.query),
  );

  r.get('/api/v1/whistles/:id', { config: { access: 'staff' }, schema: { tags: TAGS.whistles, summary: '吹哨详情：各部门响应、处置与反馈', params: IdParams } }, (req) =>
    whistles.getWhistle(deps, req.ctx, req.params.id),
  );

  r.post('/api/v1/whistles/:id/confirm', { config: { access: 'whistle.raise' }, schema: { tags: TAGS.whistles, summary: '确认办结', params: IdParams } }, (req) =>
    whistles.confirmWhistle(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/whistles/:id/reopen',
    {
      config: { access: 'whistle.raise' },
      schema: { tags: TAGS.whistles, summary: '重新吹哨（新一轮报到）', params: IdParams, body: Type.Object({ reason: Type.String({ maxLength: 1000 }) }, Strict) },
    },
    (req) => whistles.reopenWhistle(deps, req.ctx, req.params.id, req.body.reason),
  );

  r.get(
    '/api/v1/whistle-inbox',
    {
      config: { access: 'whistle.respond' },
      schema: { tags: TAGS.whistles, summary: '向本部门吹哨的事项', querystring: Type.Object({ status: Type.Optional(Enum(RESPONSE_STATUSES)), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await whistles.whistleInbox(deps, req.ctx, req.query, { limit, offset })), page, pageSize };
    },
  );

  r.post('/api/v1/whistle-responses/:id/acknowledge', { config: { access: 'whistle.respond' }, schema: { tags: TAGS.whistles, summary: '响应（报到）', params: IdParams } }, (req) =>
    whistles.respond(deps, req.ctx, req.params.id, 'acknowledge'),
  );

  r.post('/api/v1/whistle-responses/:id/act', { config: { access: 'whistle.respond' }, schema: { tags: TAGS.whistles, summary: '开始处置', params: IdParams } }, (req) =>
    whistles.respond(deps, req.ctx, req.params.id, 'act'),
  );

  r.post(
    '/api/v1/whistle-responses/:id/report',
    {
      config: { access: 'whistle.respond' },
      schema: { tags: TAGS.whistles, summary: '反馈处置结果', params: IdParams, body: Type.Object({ report: Type.String({ maxLength: 3000 }) }, Strict) },
    },
    (req) => whistles.respond(deps, req.ctx, req.params.id, 'report', req.body.report),
  );
}
