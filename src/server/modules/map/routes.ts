import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { IdParams, PageQuery, Strict, Uuid, pageArgs } from '../../platform/http/schemas.js';
import * as map from './service.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD（北京时间）' });
const Lat = Type.Number({ minimum: -90, maximum: 90, description: '纬度（WGS-84）' });
const Lng = Type.Number({ minimum: -180, maximum: 180, description: '经度（WGS-84）' });
const Status = Type.Union([Type.Literal('active'), Type.Literal('inactive')]);
const CameraKind = Type.Union([Type.Literal('public'), Type.Literal('social')], { description: 'public 公共视频 · social 社会面视频' });
const RouteMode = Type.Union([Type.Literal('patrol'), Type.Literal('volunteer')], { description: 'patrol 专业巡逻 · volunteer 群防巡逻' });
const Note = Type.Union([Type.String({ maxLength: 500 }), Type.Null()]);
const LineString = Type.Object(
  {
    type: Type.Literal('LineString'),
    // the service checks 2–500 points inside China with a message naming the point; the schema only bounds the size
    coordinates: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }), { maxItems: 500 }),
  },
  Strict,
);

const CameraFields = {
  orgUnitId: Uuid,
  code: Type.String({ minLength: 1, maxLength: 40, description: '设备编号（如国标 20 位编码），全局唯一' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: Type.Optional(CameraKind),
  lat: Lat,
  lng: Lng,
  note: Type.Optional(Note),
  status: Type.Optional(Status),
};

const RouteFields = {
  orgUnitId: Uuid,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  mode: RouteMode,
  geometry: LineString,
  note: Type.Optional(Note),
  status: Type.Optional(Status),
};


/** The one map (docs/api-command.md "The one map"): layers, cameras (mapped assets only) and patrol routes. */
export function mapRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['map'];

  // ---- layers
  r.get(
    '/api/v1/map/boundaries',
    {
      config: { access: 'map.read' },
      schema: { tags, summary: '辖区边界（GeoJSON，本辖区或指定单位及下级）', querystring: Type.Object({ unitId: Type.Optional(Uuid) }, Strict) },
    },
    (req) => map.boundaries(deps, req.ctx, req.query.unitId),
  );

  r.get(
    '/api/v1/map/addresses',
    {
      config: { access: 'map.read' },
      schema: {
        tags,
        summary: '可视范围内的标准地址点位（跨度不超过 0.5°，至多 20000 个）',
        querystring: Type.Object(
          {
            bbox: Type.String({ minLength: 7, maxLength: 120, description: '西,南,东,北（经纬度）' }),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20_000, default: 5000 })),
          },
          Strict,
        ),
      },
    },
    (req) => map.addressesInBox(deps, req.ctx, req.query.bbox, req.query.limit),
  );

  r.get(
    '/api/v1/map/incidents',
    {
      config: { access: 'map.read' },
      schema: {
        tags,
        summary: '警情点位（列数组：ids、lat、lng、cat、status、t；至多 200000 个，最近的在前）',
        querystring: Type.Object(
          {
            from: Type.Optional(DateStr),
            to: Type.Optional(DateStr),
            categoryId: Type.Optional(Uuid),
            status: Type.Optional(Type.String({ maxLength: 60, description: 'received、handling、diverted、closed，逗号分隔' })),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.type('application/json; charset=utf-8').send(await map.incidentLayer(deps, req.ctx, req.query)),
  );

  r.get('/api/v1/map/offices', { config: { access: 'map.read' }, schema: { tags, summary: '警务室、执勤点及 1-3-5 分钟处置圈' } }, (req) => map.officesLayer(deps, req.ctx));
  r.get('/api/v1/map/key-units', { config: { access: 'map.read' }, schema: { tags, summary: '重点单位（按地址坐标）' } }, (req) => map.keyUnitsLayer(deps, req.ctx));
  r.get('/api/v1/map/cameras', { config: { access: 'map.read' }, schema: { tags, summary: '摄像头点位（仅作资产标注）' } }, (req) => map.camerasLayer(deps, req.ctx));
  r.get('/api/v1/map/routes', { config: { access: 'map.read' }, schema: { tags, summary: '巡逻路线' } }, (req) => map.routesLayer(deps, req.ctx));

  // ---- cameras
  r.get(
    '/api/v1/cameras',
    {
      config: { access: 'map.read' },
      schema: {
        tags,
        summary: '摄像头点位列表（仅作资产标注：无视频流、无识别）',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 64 })), orgUnitId: Type.Optional(Uuid), kind: Type.Optional(CameraKind), status: Type.Optional(Status), ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await map.listCameras(deps, req.ctx, req.query, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/cameras',
    { config: { access: 'map.manage' }, schema: { tags, summary: '登记摄像头点位', body: Type.Object(CameraFields, Strict) } },
    async (req, reply) => reply.code(201).send(await map.createCamera(deps, req.ctx, req.body)),
  );

  r.put(
    '/api/v1/cameras/:id',
    {
      config: { access: 'map.manage' },
      schema: { tags, summary: '修改摄像头点位（只替换提交的字段）', params: IdParams, body: Type.Partial(Type.Object(CameraFields), { ...Strict, minProperties: 1 }) },
    },
    (req) => map.updateCamera(deps, req.ctx, req.params.id, req.body),
  );

  // ---- patrol routes
  r.get(
    '/api/v1/patrol-routes',
    {
      config: { access: 'map.read' },
      schema: {
        tags,
        summary: '巡逻路线列表',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 64 })), orgUnitId: Type.Optional(Uuid), mode: Type.Optional(RouteMode), status: Type.Optional(Status), ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await map.listRoutes(deps, req.ctx, req.query, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/patrol-routes',
    { config: { access: 'map.manage' }, schema: { tags, summary: '新增巡逻路线（GeoJSON LineString，2–500 个点）', body: Type.Object(RouteFields, Strict) } },
    async (req, reply) => reply.code(201).send(await map.createRoute(deps, req.ctx, req.body as Parameters<typeof map.createRoute>[2])),
  );

  r.put(
    '/api/v1/patrol-routes/:id',
    {
      config: { access: 'map.manage' },
      schema: { tags, summary: '修改巡逻路线（只替换提交的字段）', params: IdParams, body: Type.Partial(Type.Object(RouteFields), { ...Strict, minProperties: 1 }) },
    },
    (req) => map.updateRoute(deps, req.ctx, req.params.id, req.body as map.RouteInput),
  );
}
