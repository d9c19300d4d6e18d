import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../deps.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../../platform/http/schemas.js';
import { assessWorkers, getWeights, myAssessment, putWeights } from './assessment.js';
import { RECURRENCES } from './periods.js';
import { createTemplate, generateNow, listTasks, myTasks, progress, TARGET_KINDS, updateTemplate, listTemplates } from './service.js';

const Period = Type.String({ pattern: '^\\d{4}-(W\\d{2}|\\d{2}|Q[1-4])$', description: '周期：2026-W47（周）、2026-11（月）、2026-Q4（季）' });
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: '月份 YYYY-MM' });
const Count = (max: number) => Type.Integer({ minimum: 0, maximum: max });

const TemplateFields = {
  orgUnitId: Uuid,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  itemTypeCode: Type.String({ minLength: 1, maxLength: 30 }),
  targetKind: Enum(TARGET_KINDS),
  recurrence: Enum(RECURRENCES),
  pointIds: Type.Optional(Type.Array(Uuid, { maxItems: 200 })),
};

const WeightsBody = Type.Object(
  {
    onTime: Count(100),
    collected: Count(100),
    verified: Count(100),
    timely: Count(100),
    collectedCap: Count(100_000),
    verifiedCap: Count(100_000),
    returnPenalty: Count(100),
    returnPenaltyCap: Count(100),
  },
  Strict,
);

/** Routes of field/tasks (docs/api-field.md "Tasks" and "Assessment"). */
export function tasksRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // ---- templates

  r.get(
    '/api/v1/task-templates',
    {
      config: { access: 'field.read' },
      schema: { tags: ['field'], summary: '任务模板（辖区内及覆盖本辖区的上级模板，含本期任务数）', querystring: Type.Object({ unitId: Type.Optional(Uuid) }, Strict) },
    },
    (req) => listTemplates(deps, req.ctx, req.query.unitId),
  );

  r.post(
    '/api/v1/task-templates',
    { config: { access: 'task.manage' }, schema: { tags: ['field'], summary: '新建任务模板', body: Type.Object(TemplateFields, Strict) } },
    async (req, reply) => reply.code(201).send(await createTemplate(deps, req.ctx, req.body)),
  );

  r.put(
    '/api/v1/task-templates/:id',
    {
      config: { access: 'task.manage' },
      schema: {
        tags: ['field'],
        summary: '修改任务模板（暂停、恢复）',
        params: IdParams,
        body: Type.Object({ ...TemplateFields, status: Type.Optional(Enum(['active', 'paused'] as const)) }, Strict),
      },
    },
    (req) => updateTemplate(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/task-templates/:id/generate',
    {
      config: { access: 'task.manage' },
      schema: { tags: ['field'], summary: '立即生成本期（或下一期）任务（幂等，留痕）', params: IdParams, body: Type.Object({ period: Type.Optional(Period) }, Strict) },
    },
    (req) => generateNow(deps, req.ctx, req.params.id, req.body.period),
  );

  // ---- tasks and progress

  r.get(
    '/api/v1/tasks',
    {
      config: { access: 'field.read' },
      schema: {
        tags: ['field'],
        summary: '任务列表（辖区内；overdue = 逾期未完成）',
        querystring: Type.Object(
          { period: Type.Optional(Period), unitId: Type.Optional(Uuid), workerId: Type.Optional(Uuid), status: Type.Optional(Enum(['open', 'done', 'overdue'] as const)), ...PageQuery },
          Strict,
        ),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const { items, total } = await listTasks(deps, req.ctx, req.query, { limit, offset });
      return { items, total, page, pageSize };
    },
  );

  r.get(
    '/api/v1/tasks/progress',
    {
      config: { access: 'field.read' },
      schema: {
        tags: ['field'],
        summary: '任务进度（按社区、网格或网格员）',
        querystring: Type.Object({ period: Type.Optional(Period), unitId: Type.Optional(Uuid), level: Type.Optional(Enum(['community', 'grid', 'worker'] as const)) }, Strict),
      },
    },
    (req) => progress(deps, req.ctx, req.query),
  );

  r.get(
    '/api/v1/field/me/tasks',
    {
      config: { access: 'field.collect' },
      schema: {
        tags: ['field'],
        summary: '我的任务（含本网格未分配的任务；未完成的按截止日期在前）',
        querystring: Type.Object({ status: Type.Optional(Enum(['open', 'done'] as const)), period: Type.Optional(Period), ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const { items, total } = await myTasks(deps, req.ctx, req.query, { limit, offset });
      return { items, total, page, pageSize };
    },
  );

  // ---- assessment

  r.get(
    '/api/v1/field/me/assessment',
    { config: { access: 'field.collect' }, schema: { tags: ['field'], summary: '我的月度考核指标', querystring: Type.Object({ month: Type.Optional(Month) }, Strict) } },
    (req) => myAssessment(deps, req.ctx, req.query.month),
  );

  r.get(
    '/api/v1/assessment/field',
    {
      config: { access: 'field.read' },
      schema: { tags: ['field'], summary: '网格员月度考核（辖区内，按得分排名）', querystring: Type.Object({ month: Type.Optional(Month), unitId: Type.Optional(Uuid) }, Strict) },
    },
    (req) => assessWorkers(deps, req.ctx, req.query),
  );

  r.get('/api/v1/assessment/field/weights', { config: { access: 'staff' }, schema: { tags: ['field'], summary: '考核权重' } }, () => getWeights(deps));

  r.put(
    '/api/v1/assessment/field/weights',
    { config: { access: 'field.configure' }, schema: { tags: ['field'], summary: '修改考核权重（四项之和为 100，留痕）', body: WeightsBody } },
    (req) => putWeights(deps, req.ctx, req.body),
  );
}
