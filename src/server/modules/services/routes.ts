import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../platform/http/schemas.js';
import * as appointments from './appointments.js';
import * as articles from './articles.js';
import * as catalogue from './catalogue.js';
import * as offices from './offices.js';
import * as plates from './plate-context.js';
import { serviceSlots } from './slots.js';
import { APPOINTMENT_STATUSES, ARTICLE_STATUSES, OFFICE_KINDS, SERVICE_CATEGORIES } from './rules.js';

const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Status = Enum(['active', 'inactive'] as const);
const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) }, Strict);
const Hours = Type.Array(
  Type.Object(
    {
      day: Type.Integer({ description: '1 = 周一 … 7 = 周日' }),
      open: Type.String({ maxLength: 5, description: 'HH:MM' }),
      close: Type.String({ maxLength: 5, description: 'HH:MM（24:00 表示午夜）' }),
    },
    Strict,
  ),
  { maxItems: 70, description: '办公时段（含晚间、周末）' },
);
const OfficeFields = {
  kind: Enum(OFFICE_KINDS),
  name: Type.String({ minLength: 1, maxLength: 60 }),
  address: Type.Optional(OrNull(Type.String({ maxLength: 200 }))),
  lng: Type.Optional(OrNull(Type.Number())),
  lat: Type.Optional(OrNull(Type.Number())),
  phone: Type.Optional(OrNull(Type.String({ maxLength: 32 }))),
  hours: Hours,
  hoursNote: Type.Optional(OrNull(Type.String({ maxLength: 200 }))),
};
const ServiceFields = {
  category: Enum(SERVICE_CATEGORIES),
  name: Type.String({ minLength: 1, maxLength: 60 }),
  description: Type.Optional(OrNull(Type.String({ maxLength: 1000 }))),
  requiredDocs: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
  fullyOnline: Type.Optional(Type.Boolean()),
  slotMinutes: Type.Optional(Type.Integer()),
  capacity: Type.Optional(Type.Integer()),
  daysAhead: Type.Optional(Type.Integer()),
};
const ArticleFields = {
  orgUnitId: Type.Optional(Uuid),
  title: Type.String({ minLength: 1, maxLength: 60 }),
  summary: Type.Optional(OrNull(Type.String({ maxLength: 200 }))),
  body: Type.String({ minLength: 1, maxLength: 20_000 }),
};

/** Public pages are read by every phone that scans a plate: generous limits, many phones share one address. */
const PUBLIC_LIMIT = { max: 300, timeWindow: '1 minute' };
const BOOK_LIMIT = { max: 30, timeWindow: '1 minute' };

/** The public face of a plate: offices and hours, appointments, safety tips, staff cards (docs/api-portal.md). */
export function servicesRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // ---- public ------------------------------------------------------------------------------------------

  r.get(
    '/api/v1/portal/plates/:token',
    { config: { access: 'public', rateLimit: PUBLIC_LIMIT }, schema: { tags: ['portal'], summary: '门牌扫码信息：标准地址、社区民警、网格员、警务室与派出所', params: TokenParams } },
    (req) => plates.plateContext(deps, req.params.token),
  );

  r.get(
    '/api/v1/portal/plates/:token/offices',
    {
      config: { access: 'public', rateLimit: PUBLIC_LIMIT },
      schema: {
        tags: ['portal'],
        summary: '周边警务：本分局的派出所、警务室、警务站，由近及远',
        params: TokenParams,
        querystring: Type.Object({ lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })), lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })) }, Strict),
      },
    },
    (req) => plates.nearbyOffices(deps, req.params.token, req.query),
  );

  r.get(
    '/api/v1/portal/plates/:token/articles',
    { config: { access: 'public', rateLimit: PUBLIC_LIMIT }, schema: { tags: ['portal'], summary: '安全防范提示（本网格及上级单位发布）', params: TokenParams, querystring: Type.Object({ ...PageQuery }, Strict) } },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await plates.plateArticles(deps, req.params.token, { limit, offset })), page, pageSize };
    },
  );

  r.get('/api/v1/portal/articles/:id', { config: { access: 'public', rateLimit: PUBLIC_LIMIT }, schema: { tags: ['portal'], summary: '安全防范提示全文', params: IdParams } }, (req) =>
    articles.publicArticle(deps, req.params.id),
  );

  r.get(
    '/api/v1/portal/plates/:token/services',
    { config: { access: 'public', rateLimit: PUBLIC_LIMIT }, schema: { tags: ['portal'], summary: '可预约的办事事项（社区警务室与派出所）', params: TokenParams } },
    (req) => plates.plateServices(deps, req.params.token),
  );

  r.get(
    '/api/v1/portal/services/:id/slots',
    {
      config: { access: 'public', rateLimit: PUBLIC_LIMIT },
      schema: {
        tags: ['portal'],
        summary: '可预约时段（按日）',
        params: IdParams,
        querystring: Type.Object({ from: Type.Optional(DateStr), days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })) }, Strict),
      },
    },
    (req) => serviceSlots(deps, req.params.id, req.query),
  );

  // ---- resident ----------------------------------------------------------------------------------------

  r.post(
    '/api/v1/portal/appointments',
    {
      config: { access: 'resident', rateLimit: BOOK_LIMIT },
      schema: {
        tags: ['portal'],
        summary: '预约办事（clientId 重试幂等；时段约满 409）',
        body: Type.Object(
          {
            serviceId: Uuid,
            slotStart: Type.String({ format: 'date-time' }),
            name: Type.String({ minLength: 1, maxLength: 32 }),
            phone: Type.Optional(OrNull(Type.String({ maxLength: 20 }))),
            note: Type.Optional(OrNull(Type.String({ maxLength: 200 }))),
            clientId: Uuid,
          },
          Strict,
        ),
      },
    },
    async (req, reply) => {
      const { appointment, replayed } = await appointments.book(deps, req.ctx, req.body);
      return replayed ? reply.code(200).send({ ...appointment, replayed: true }) : reply.code(201).send(appointment);
    },
  );

  r.get(
    '/api/v1/portal/appointments',
    { config: { access: 'resident' }, schema: { tags: ['portal'], summary: '我的预约', querystring: Type.Object({ ...PageQuery }, Strict) } },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await appointments.listOwn(deps, req.ctx, { limit, offset })), page, pageSize };
    },
  );

  r.post('/api/v1/portal/appointments/:id/cancel', { config: { access: 'resident' }, schema: { tags: ['portal'], summary: '取消预约（时段开始前）', params: IdParams } }, (req) =>
    appointments.cancel(deps, req.ctx, req.params.id),
  );

  // ---- staff: offices ----------------------------------------------------------------------------------

  r.get(
    '/api/v1/police-offices',
    { config: { access: 'staff' }, schema: { tags: ['services'], summary: '警务室、派出所、警务站（本辖区）', querystring: Type.Object({ orgUnitId: Type.Optional(Uuid) }, Strict) } },
    (req) => offices.listOffices(deps, req.ctx, req.query),
  );

  r.post(
    '/api/v1/police-offices',
    { config: { access: 'service.manage' }, schema: { tags: ['services'], summary: '新增办公地点', body: Type.Object({ orgUnitId: Uuid, ...OfficeFields }, Strict) } },
    async (req, reply) => reply.code(201).send(await offices.createOffice(deps, req.ctx, req.body)),
  );

  r.patch(
    '/api/v1/police-offices/:id',
    {
      config: { access: 'service.manage' },
      schema: {
        tags: ['services'],
        summary: '修改办公地点（含办公时间、停用）',
        params: IdParams,
        body: Type.Partial(Type.Object({ orgUnitId: Uuid, ...OfficeFields, status: Status }), Strict),
      },
    },
    (req) => offices.updateOffice(deps, req.ctx, req.params.id, req.body),
  );

  // ---- staff: services ---------------------------------------------------------------------------------

  r.get(
    '/api/v1/appointment-services',
    { config: { access: 'staff' }, schema: { tags: ['services'], summary: '办事事项（本辖区）', querystring: Type.Object({ officeId: Type.Optional(Uuid) }, Strict) } },
    (req) => catalogue.listServices(deps, req.ctx, req.query),
  );

  r.post(
    '/api/v1/appointment-services',
    { config: { access: 'service.manage' }, schema: { tags: ['services'], summary: '新增办事事项', body: Type.Object({ officeId: Uuid, ...ServiceFields }, Strict) } },
    async (req, reply) => reply.code(201).send(await catalogue.createService(deps, req.ctx, req.body)),
  );

  r.patch(
    '/api/v1/appointment-services/:id',
    {
      config: { access: 'service.manage' },
      schema: { tags: ['services'], summary: '修改办事事项（含停办）', params: IdParams, body: Type.Partial(Type.Object({ ...ServiceFields, status: Status }), Strict) },
    },
    (req) => catalogue.updateService(deps, req.ctx, req.params.id, req.body),
  );

  // ---- staff: appointments -----------------------------------------------------------------------------

  r.get(
    '/api/v1/appointments',
    {
      config: { access: 'appointment.handle' },
      schema: {
        tags: ['services'],
        summary: '当日预约（按时段；电话完整，留痕）',
        querystring: Type.Object({ officeId: Type.Optional(Uuid), date: Type.Optional(DateStr), status: Type.Optional(Enum(APPOINTMENT_STATUSES)) }, Strict),
      },
    },
    (req) => appointments.listDay(deps, req.ctx, req.query),
  );

  r.post('/api/v1/appointments/:id/done', { config: { access: 'appointment.handle' }, schema: { tags: ['services'], summary: '预约办结', params: IdParams } }, (req) =>
    appointments.markDone(deps, req.ctx, req.params.id),
  );

  r.post('/api/v1/appointments/:id/no-show', { config: { access: 'appointment.handle' }, schema: { tags: ['services'], summary: '标记未到场（时段开始后）', params: IdParams } }, (req) =>
    appointments.markNoShow(deps, req.ctx, req.params.id),
  );

  // ---- staff: safety articles --------------------------------------------------------------------------

  r.get(
    '/api/v1/safety-articles',
    { config: { access: 'staff' }, schema: { tags: ['services'], summary: '安全防范提示（本辖区）', querystring: Type.Object({ status: Type.Optional(Enum(ARTICLE_STATUSES)), ...PageQuery }, Strict) } },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await articles.listArticles(deps, req.ctx, { status: req.query.status }, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/safety-articles',
    { config: { access: 'service.manage' }, schema: { tags: ['services'], summary: '新建安全防范提示（草稿）', body: Type.Object(ArticleFields, Strict) } },
    async (req, reply) => reply.code(201).send(await articles.createArticle(deps, req.ctx, req.body)),
  );

  r.patch(
    '/api/v1/safety-articles/:id',
    { config: { access: 'service.manage' }, schema: { tags: ['services'], summary: '修改安全防范提示', params: IdParams, body: Type.Partial(Type.Object(ArticleFields), Strict) } },
    (req) => articles.updateArticle(deps, req.ctx, req.params.id, req.body),
  );

  r.post('/api/v1/safety-articles/:id/publish', { config: { access: 'service.manage' }, schema: { tags: ['services'], summary: '发布', params: IdParams } }, (req) =>
    articles.setArticleStatus(deps, req.ctx, req.params.id, 'published'),
  );

  r.post('/api/v1/safety-articles/:id/withdraw', { config: { access: 'service.manage' }, schema: { tags: ['services'], summary: '撤回', params: IdParams } }, (req) =>
    articles.setArticleStatus(deps, req.ctx, req.params.id, 'withdrawn'),
  );
}
