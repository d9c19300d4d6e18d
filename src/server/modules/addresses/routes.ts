import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { portalPrefetchTags } from '../../platform/http/web.js';
import { IdParams, PageQuery, Uuid, pageArgs, Strict } from '../../platform/http/schemas.js';
import { sendListExport } from '../../platform/http/tabular.js';
import { LEVELS } from './rules.js';
import { PRINT_SIZES } from './html.js';
import * as addresses from './service.js';
import * as plates from './plates.js';

const Level = Type.Union(LEVELS.map((l) => Type.Literal(l)));
const Status = Type.Union([Type.Literal('active'), Type.Literal('inactive')]);
const Coord = Type.Number();
const Reason = Type.String({ minLength: 1, maxLength: 200 });
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) }, Strict);
const HTML = 'text/html; charset=utf-8';
const Format = Type.Union([Type.Literal('xlsx'), Type.Literal('csv')], { default: 'xlsx' });
const Purpose = Type.String({ maxLength: 200, description: '用途（如案件编号、任务），至少 4 个字' });

/** The filters of the address list, shared by its export. */
const ListFilters = {
  gridId: Type.Optional(Uuid),
  parentId: Type.Optional(Uuid),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  level: Type.Optional(Level),
  status: Type.Optional(Status),
};

const listFilter = (q: addresses.ListFilter): addresses.ListFilter => ({
  gridId: q.gridId,
  parentId: q.parentId,
  q: q.q?.trim() || undefined,
  level: q.level,
  status: q.status,
});

/** Public scans: generous, since many phones share one carrier address; tokens are not guessable anyway. */
const SCAN_LIMIT = { max: 300, timeWindow: '1 minute' };

/** 一标: standard addresses, free-text matching, QR plates (issue, revoke, scan, print). */
export function addressRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/addresses',
    {
      config: { access: 'address.read' },
      schema: {
        tags: ['addresses'],
        summary: '标准地址列表（q 匹配全称，纯数字按编码前缀）',
        querystring: Type.Object({ ...ListFilters, ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await addresses.listAddresses(deps, req.ctx, listFilter(req.query), { limit, offset })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/addresses/export',
    {
      config: { access: 'registry.export' },
      schema: {
        tags: ['addresses'],
        summary: '导出标准地址列表（XLSX 或 CSV，流式；筛选条件同列表，须说明用途，留痕）',
        querystring: Type.Object({ ...ListFilters, format: Type.Optional(Format), purpose: Purpose }, Strict),
      },
    },
    async (req, reply) => {
      const { total, rows } = await addresses.exportAddresses(deps, req.ctx, listFilter(req.query), req.query.purpose);
      return sendListExport(reply, { format: req.query.format, title: '标准地址', header: addresses.ADDRESS_EXPORT_HEADER, total, rows });
    },
  );

  r.get(
    '/api/v1/grids',
    {
      config: { access: 'address.read' },
      schema: {
        tags: ['addresses'],
        summary: '本辖区网格列表（地址选择用；q 匹配名称或代码前缀）',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 64 })), status: Type.Optional(Status), ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await addresses.listGrids(deps, req.ctx, { q: req.query.q?.trim() || undefined, status: req.query.status }, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/addresses',
    {
      config: { access: 'address.manage' },
      schema: {
        tags: ['addresses'],
        summary: '新建地址要素（街路巷/村挂在网格下，其余挂在上级地址下）',
        body: Type.Object(
          {
            parentId: Type.Optional(Uuid),
            gridId: Type.Optional(Uuid),
            level: Level,
            name: Type.String({ minLength: 1, maxLength: 60 }),
            lng: Type.Optional(Coord),
            lat: Type.Optional(Coord),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await addresses.createAddress(deps, req.ctx, req.body)),
  );

  r.post(
    '/api/v1/addresses/match',
    {
      config: { access: 'address.read' },
      schema: {
        tags: ['addresses'],
        summary: '自由文本地址匹配标准地址（带 0–1 分值）',
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 200 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }, Strict),
      },
    },
    (req) => addresses.matchAddresses(deps, req.ctx, req.body),
  );

  r.get(
    '/api/v1/addresses/:id',
    { config: { access: 'address.read' }, schema: { tags: ['addresses'], summary: '地址详情（上级链、下级数、有效门牌、状态历史）', params: IdParams } },
    (req) => addresses.getAddress(deps, req.ctx, req.params.id),
  );

  r.get(
    '/api/v1/addresses/:id/children',
    {
      config: { access: 'address.read' },
      schema: { tags: ['addresses'], summary: '直接下级地址', params: IdParams, querystring: Type.Object({ ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await addresses.listChildren(deps, req.ctx, req.params.id, { limit, offset })), page, pageSize };
    },
  );

  r.patch(
    '/api/v1/addresses/:id',
    {
      config: { access: 'address.manage' },
      schema: {
        tags: ['addresses'],
        summary: '修改地址名称或坐标（编码不变，下级全称随之更新）',
        params: IdParams,
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })), lng: Type.Optional(Coord), lat: Type.Optional(Coord) }, Strict),
      },
    },
    (req) => addresses.updateAddress(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/addresses/:id/status',
    {
      config: { access: 'address.manage' },
      schema: { tags: ['addresses'], summary: '启用/停用地址（须说明原因）', params: IdParams, body: Type.Object({ status: Status, reason: Reason }, Strict) },
    },
    (req) => addresses.setStatus(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/addresses/:id/plates',
    {
      config: { access: 'plate.manage' },
      schema: {
        tags: ['plates'],
        summary: '制发门牌（已有有效门牌时为补发：旧二维码作废，须说明原因）',
        params: IdParams,
        body: Type.Object({ reason: Type.Optional(Reason) }, Strict),
      },
    },
    async (req, reply) => reply.code(201).send(await plates.issuePlate(deps, req.ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/v1/plates/:id/revoke',
    {
      config: { access: 'plate.manage' },
      schema: { tags: ['plates'], summary: '注销门牌', params: IdParams, body: Type.Object({ reason: Reason }, Strict) },
    },
    (req) => plates.revokePlate(deps, req.ctx, req.params.id, req.body),
  );

  r.get(
    '/api/v1/plates/print',
    {
      config: { access: 'plate.manage' },
      schema: {
        tags: ['plates'],
        summary: '门牌打印页（HTML，按实际尺寸；无有效门牌的地址自动制发）',
        querystring: Type.Object(
          { addressIds: Type.String({ minLength: 1, maxLength: 40_000 }), size: Type.Optional(Type.Union(PRINT_SIZES.map((s) => Type.Literal(s)), { default: 'medium' })) },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.type(HTML).send(await plates.printPlates(deps, req.ctx, { addressIds: req.query.addressIds, size: req.query.size ?? 'medium' })),
  );

  r.get(
    '/api/v1/plates/:token',
    { config: { access: 'public', rateLimit: SCAN_LIMIT }, schema: { tags: ['plates'], summary: '扫码查询门牌（公开；辖区内工作人员另得 addressId）', params: TokenParams } },
    (req) => plates.scanPlate(deps, req.ctx, req.params.token),
  );

  // the page a plate's QR code opens (not under /api: a phone browser lands here)
  r.get<{ Params: { token: string } }>('/q/:token', { config: { access: 'public', rateLimit: SCAN_LIMIT }, schema: { hide: true } }, async (req, reply) => {
    const res = await plates.scanLanding(deps, req.ctx, req.params.token);
    reply.header('cache-control', 'no-store');
    if ('redirect' in res) return reply.redirect(res.redirect, 302);
    // an active plate's page prefetches the resident portal its actions open
    return reply.code(res.status).type(HTML).send(res.status === 200 ? res.html.replace('</head>', `${portalPrefetchTags()}</head>`) : res.html);
  });
}
