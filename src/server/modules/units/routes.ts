import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../platform/http/schemas.js';
import { sendListExport } from '../../platform/http/tabular.js';
import { KEY_INDUSTRIES, UNIT_TYPES } from './rules.js';
import * as units from './service.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
// the credit code is checked by the service, so a bad one is reported with the standard's reason
const CreditCode = Type.String({ maxLength: 40, description: '统一社会信用代码（GB 32100，18 位）' });
const Text = (max: number) => Type.String({ maxLength: max });

const Format = Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' });
const Purpose = Type.String({ maxLength: 200, description: '用途（如案件编号、任务），至少 4 个字' });

/** The filters of the unit list, shared by its export. */
const ListFilters = {
  q: Type.Optional(Type.String({ maxLength: 64 })),
  keyIndustry: Type.Optional(Enum(KEY_INDUSTRIES)),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('closed')])),
  addressId: Type.Optional(Uuid),
};

const listFilter = (q: units.UnitListFilter): units.UnitListFilter => ({ q: q.q?.trim() || undefined, keyIndustry: q.keyIndustry, status: q.status, addressId: q.addressId });

export function unitsRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post(
    '/api/v1/units',
    {
      config: { access: 'unit.write' },
      schema: {
        tags: ['units'],
        summary: '登记实有单位',
        body: Type.Object(
          {
            creditCode: Type.Optional(CreditCode),
            otherRegNo: Type.Optional(Type.String({ minLength: 4, maxLength: 64 })),
            name: Type.String({ minLength: 1, maxLength: 100 }),
            unitType: Type.Optional(Enum(UNIT_TYPES)),
            keyIndustry: Type.Optional(Enum(KEY_INDUSTRIES)),
            addressId: Type.Optional(Uuid),
            legalRepName: Type.Optional(Text(64)),
            legalRepPersonId: Type.Optional(Uuid),
            contactName: Type.Optional(Text(64)),
            contactPhone: Type.Optional(Text(32)),
            orgUnitId: Type.Optional(Uuid),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await units.createUnit(deps, req.ctx, req.body)),
  );

  r.get(
    '/api/v1/units',
    {
      config: { access: 'unit.read' },
      schema: {
        tags: ['units'],
        summary: '实有单位列表（名称、信用代码；按重点行业、地址筛选）',
        querystring: Type.Object({ ...ListFilters, ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const result = await units.listUnits(deps, req.ctx, listFilter(req.query), { limit, offset });
      return { ...result, page, pageSize };
    },
  );

  r.get(
    '/api/v1/units/export',
    {
      config: { access: 'registry.export' },
      schema: {
        tags: ['units'],
        summary: '导出单位名单（XLSX 或 CSV，流式；筛选条件同列表，联系电话脱敏，须说明用途，留痕）',
        querystring: Type.Object({ ...ListFilters, format: Type.Optional(Format), purpose: Purpose }, Strict),
      },
    },
    async (req, reply) => {
      const { total, rows } = await units.exportUnits(deps, req.ctx, listFilter(req.query), req.query.purpose);
      return sendListExport(reply, { format: req.query.format, title: '实有单位', header: units.UNIT_EXPORT_HEADER, total, rows });
    },
  );

  r.get('/api/v1/units/:id', { config: { access: 'unit.read' }, schema: { tags: ['units'], summary: '单位详情与从业人员（留痕）', params: IdParams } }, (req) =>
    units.getUnit(deps, req.ctx, req.params.id),
  );

  r.patch(
    '/api/v1/units/:id',
    {
      config: { access: 'unit.write' },
      schema: {
        tags: ['units'],
        summary: '修改单位信息',
        params: IdParams,
        body: Type.Object(
          {
            creditCode: Type.Optional(OrNull(CreditCode)),
            otherRegNo: Type.Optional(OrNull(Type.String({ minLength: 4, maxLength: 64 }))),
            name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            unitType: Type.Optional(Enum(UNIT_TYPES)),
            keyIndustry: Type.Optional(OrNull(Enum(KEY_INDUSTRIES))),
            addressId: Type.Optional(OrNull(Uuid)),
            legalRepName: Type.Optional(OrNull(Text(64))),
            legalRepPersonId: Type.Optional(OrNull(Uuid)),
            contactName: Type.Optional(OrNull(Text(64))),
            contactPhone: Type.Optional(OrNull(Text(32))),
            orgUnitId: Type.Optional(Uuid),
            status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('closed')])),
          },
          { ...Strict, minProperties: 1 },
        ),
      },
    },
    (req) => units.updateUnit(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/units/:id/employees',
    {
      config: { access: 'unit.write' },
      schema: {
        tags: ['units'],
        summary: '登记从业人员',
        params: IdParams,
        body: Type.Object({ personId: Uuid, role: Type.Optional(Text(64)), fromDate: DateStr }, Strict),
      },
    },
    async (req, reply) => reply.code(201).send(await units.addEmployee(deps, req.ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/v1/employments/:id/end',
    {
      config: { access: 'unit.write' },
      schema: { tags: ['units'], summary: '离职（结束从业记录，不删除）', params: IdParams, body: Type.Object({ toDate: DateStr }, Strict) },
    },
    (req) => units.endEmployment(deps, req.ctx, req.params.id, req.body.toDate),
  );
}
