import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../platform/http/schemas.js';
import { categoryTree, createCategory, updateCategory } from './categories.js';
import { clearance } from './clearance.js';
import { answerDiversion, diversionInbox, diversionTargets, divertIncident } from './diversions.js';
import { intake } from './intake.js';
import * as incidents from './service.js';
import { incidentFromSource } from './sources.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD（北京时间）' });
const DateTime = Type.String({ format: 'date-time' });
const Text = (max: number, min = 0) => Type.String({ maxLength: max, ...(min ? { minLength: min } : {}) });
const Lat = Type.Number({ minimum: -90, maximum: 90 });
const Lng = Type.Number({ minimum: -180, maximum: 180 });
const Version = Type.Integer({ minimum: 1, description: '读取时的版本号（过期则 409）' });

const STATUSES = ['received', 'handling', 'diverted', 'closed'] as const;
const SOURCES = ['110', 'walk_in', 'grid', 'resident', 'other'] as const;
const TAG = ['incidents'];

/** 警情 (docs/api-command.md "Incidents"). */
export function incidentRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // ---- categories ------------------------------------------------------------------------------------------

  r.get('/api/v1/incident-categories', { config: { access: 'staff' }, schema: { tags: TAG, summary: '警情分类树（两级）' } }, () => categoryTree(deps));

  r.post(
    '/api/v1/incident-categories',
    {
      config: { access: 'incident.configure' },
      schema: {
        tags: TAG,
        summary: '新增警情分类（上级须为一级分类）',
        body: Type.Object({ parentId: Type.Optional(Uuid), code: Text(32, 1), name: Text(32, 1), policeMatter: Type.Boolean(), sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })) }, Strict),
      },
    },
    async (req, reply) => reply.code(201).send(await createCategory(deps, req.ctx, req.body)),
  );

  r.put(
    '/api/v1/incident-categories/:id',
    {
      config: { access: 'incident.configure' },
      schema: {
        tags: TAG,
        summary: '修改警情分类（内置分类可改名、停用，不能删除）',
        params: IdParams,
        body: Type.Object({ name: Text(32, 1), policeMatter: Type.Boolean(), sort: Type.Integer({ minimum: 0, maximum: 100_000 }), status: Enum(['active', 'inactive'] as const) }, Strict),
      },
    },
    (req) => updateCategory(deps, req.ctx, req.params.id, req.body),
  );

  // ---- incidents -------------------------------------------------------------------------------------------

  r.get(
    '/api/v1/incidents',
    {
      config: { access: 'incident.read' },
      schema: {
        tags: TAG,
        summary: '警情列表（本辖区，新的在前；未结警情带已用时 ageHours；不含报警人信息）',
        querystring: Type.Object(
          {
            q: Type.Optional(Text(64)),
            status: Type.Optional(Enum(STATUSES)),
            categoryId: Type.Optional(Uuid),
            source: Type.Optional(Enum(SOURCES)),
            unitId: Type.Optional(Uuid),
            from: Type.Optional(DateStr),
            to: Type.Optional(DateStr),
            openOver: Type.Optional(Enum(['24h', '72h', '7d'] as const, '超时未结：接报超过该时长仍未办结')),
            ...PageQuery,
          },
          Strict,
        ),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await incidents.listIncidents(deps, req.ctx, req.query, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/incidents',
    {
      config: { access: 'incident.write' },
      schema: {
        tags: TAG,
        summary: '登记警情（来所报警等）；地点取标准地址或经纬度',
        body: Type.Object(
          {
            source: Enum(['walk_in', '110', 'other'] as const),
            categoryId: Uuid,
            occurredAt: DateTime,
            addressId: Type.Optional(Uuid),
            lat: Type.Optional(Lat),
            lng: Type.Optional(Lng),
            place: Type.Optional(Text(200)),
            summary: Text(2000, 1),
            callerName: Type.Optional(Text(64)),
            callerPhone: Type.Optional(Text(32)),
            orgUnitId: Type.Optional(Uuid),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await incidents.createIncident(deps, req.ctx, req.body)),
  );

  r.post(
    '/api/v1/incidents/intake',
    {
      config: { access: 'incident.import' },
      schema: {
        tags: TAG,
        summary: '110 接处警数据接口（每批至多 500 条，按接警单号幂等）',
        body: Type.Object(
          {
            records: Type.Array(
              Type.Object(
                {
                  externalNo: Text(64, 1),
                  occurredAt: DateTime,
                  reportedAt: Type.Optional(DateTime),
                  categoryCode: Text(64, 1),
                  unitCode: Text(32, 1),
                  place: Type.Optional(Text(200)),
                  addressCode: Type.Optional(Text(40)),
                  lat: Type.Optional(Lat),
                  lng: Type.Optional(Lng),
                  summary: Text(2000, 1),
                  callerName: Type.Optional(Text(64)),
                  callerPhone: Type.Optional(Text(32)),
                },
                Strict,
              ),
              { minItems: 1, maxItems: 500 },
            ),
          },
          Strict,
        ),
      },
    },
    (req) => intake(deps, req.ctx, req.body.records),
  );

  r.post(
    '/api/v1/incidents/from-source',
    {
      config: { access: 'incident.write' },
      schema: {
        tags: TAG,
        summary: '由网格上报事项或群众求助生成警情（每个来源只生成一次；已生成则返回原警情）',
        body: Type.Object({ kind: Enum(['field_item', 'portal_submission'] as const), id: Uuid, categoryId: Type.Optional(Uuid) }, Strict),
      },
    },
    async (req, reply) => {
      const r = await incidentFromSource(deps, req.ctx, req.body);
      return reply.code(r.created ? 201 : 200).send(r.incident);
    },
  );

  r.get(
    '/api/v1/incidents/clearance',
    {
      config: { access: 'incident.read' },
      schema: {
        tags: TAG,
        summary: '警情清零：按单位、按日的期初未结、新增、办结、分流、期末未结与清零率；未结警情账龄与最久未结',
        querystring: Type.Object({ unitId: Type.Optional(Uuid), from: Type.Optional(DateStr), to: Type.Optional(DateStr) }, Strict),
      },
    },
    (req) => clearance(deps, req.ctx, req.query),
  );

  r.get('/api/v1/incidents/:id', { config: { access: 'incident.read' }, schema: { tags: TAG, summary: '警情详情（报警人信息脱敏；查看留痕）', params: IdParams } }, (req) =>
    incidents.getIncident(deps, req.ctx, req.params.id),
  );

  r.patch(
    '/api/v1/incidents/:id',
    {
      config: { access: 'incident.write' },
      schema: {
        tags: TAG,
        summary: '修改警情（分类、简要情况、地点；orgUnitId 为移交辖区内其他单位）',
        params: IdParams,
        body: Type.Object(
          {
            version: Version,
            categoryId: Type.Optional(Uuid),
            summary: Type.Optional(Text(2000, 1)),
            place: Type.Optional(Type.Union([Text(200), Type.Null()])),
            addressId: Type.Optional(Uuid),
            lat: Type.Optional(Lat),
            lng: Type.Optional(Lng),
            orgUnitId: Type.Optional(Uuid),
          },
          Strict,
        ),
      },
    },
    (req) => incidents.updateIncident(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/incidents/:id/handle',
    {
      config: { access: 'incident.write' },
      schema: { tags: TAG, summary: '开始处置（接报 → 处置中）', params: IdParams, body: Type.Object({ version: Version, handlerId: Type.Optional(Uuid), note: Type.Optional(Text(1000)) }, Strict) },
    },
    (req) => incidents.handleIncident(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/incidents/:id/notes',
    { config: { access: 'incident.write' }, schema: { tags: TAG, summary: '添加处置备注', params: IdParams, body: Type.Object({ note: Text(2000, 1) }, Strict) } },
    (req) => incidents.addNote(deps, req.ctx, req.params.id, req.body.note),
  );

  r.post(
    '/api/v1/incidents/:id/close',
    { config: { access: 'incident.write' }, schema: { tags: TAG, summary: '办结警情（须填写处置结果）', params: IdParams, body: Type.Object({ version: Version, result: Text(2000, 1) }, Strict) } },
    (req) => incidents.closeIncident(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/incidents/:id/reopen',
    { config: { access: 'incident.write' }, schema: { tags: TAG, summary: '重新打开已办结或已分流的警情', params: IdParams, body: Type.Object({ version: Version, reason: Text(1000, 1) }, Strict) } },
    (req) => incidents.reopenIncident(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/incidents/:id/links',
    {
      config: { access: 'incident.write' },
      schema: {
        tags: TAG,
        summary: '关联人员、地址、单位或案件编号（须在本辖区内）',
        params: IdParams,
        body: Type.Object(
          { kind: Enum(['person', 'address', 'unit', 'case'] as const), targetId: Type.Optional(Uuid), ref: Type.Optional(Text(64)), role: Type.Optional(Text(32)), note: Type.Optional(Text(200)) },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await incidents.addLink(deps, req.ctx, req.params.id, req.body)),
  );

  r.delete(
    '/api/v1/incidents/:id/links/:linkId',
    { config: { access: 'incident.write' }, schema: { tags: TAG, summary: '解除关联', params: Type.Object({ id: Uuid, linkId: Uuid }, Strict) } },
    (req) => incidents.removeLink(deps, req.ctx, req.params.id, req.params.linkId),
  );

  r.post(
    '/api/v1/incidents/:id/divert',
    {
      config: { access: 'incident.write' },
      schema: {
        tags: TAG,
        summary: '非警务警情分流到 12345 或协作部门（通知部门并短信告知）',
        params: IdParams,
        body: Type.Object({ version: Version, departmentId: Uuid, reason: Text(1000, 1) }, Strict),
      },
    },
    (req) => divertIncident(deps, req.ctx, req.params.id, req.body),
  );

  // ---- diversions ------------------------------------------------------------------------------------------

  r.get('/api/v1/incident-diversion-targets', { config: { access: 'incident.write' }, schema: { tags: TAG, summary: '可分流的部门（12345 与协作部门）' } }, (req) => diversionTargets(deps, req.ctx));

  r.get(
    '/api/v1/incident-diversions',
    {
      config: { access: 'dispatch.handle' },
      schema: { tags: TAG, summary: '本部门收到的分流事项', querystring: Type.Object({ status: Type.Optional(Enum(['sent', 'accepted', 'done', 'returned'] as const)), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await diversionInbox(deps, req.ctx, req.query.status, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/incident-diversions/:id/answer',
    {
      config: { access: 'dispatch.handle' },
      schema: {
        tags: TAG,
        summary: '签收、办结（反馈结果）或退回分流事项（退回后警情回到处置中）',
        params: IdParams,
        body: Type.Object({ status: Enum(['accepted', 'done', 'returned'] as const), feedback: Type.Optional(Text(2000)) }, Strict),
      },
    },
    (req) => answerDiversion(deps, req.ctx, req.params.id, req.body),
  );
}
