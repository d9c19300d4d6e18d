import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { IdParams, PageQuery, pageArgs, Strict, Uuid } from '../../platform/http/schemas.js';
import * as plans from './plans.js';
import * as patrols from './patrols.js';
import * as teams from './teams.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD（北京时间）' });
const DateTime = Type.String({ format: 'date-time' });
const Mode = Type.Union([Type.Literal('video'), Type.Literal('patrol'), Type.Literal('volunteer')]);
const Text = (max: number, min = 0) => Type.String({ maxLength: max, ...(min ? { minLength: min } : {}) });
const OrNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const TeamBody = Type.Object(
  {
    orgUnitId: Uuid,
    name: Text(60, 1),
    kind: Type.Union(teams.TEAM_KINDS.map((k) => Type.Literal(k))),
    leaderName: Type.Optional(OrNull(Text(40))),
    leaderPhone: Type.Optional(OrNull(Text(20))),
    note: Type.Optional(OrNull(Text(500))),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('inactive')])),
  },
  Strict,
);

const MemberBody = Type.Object(
  {
    name: Text(40, 1),
    phone: Text(20, 1),
    joinedOn: Type.Optional(DateStr),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('left')])),
  },
  Strict,
);

/** A member's change: the phone (only ever shown masked) may be left out to keep it. */
const MemberUpdateBody = Type.Object(
  {
    name: Text(40, 1),
    phone: Type.Optional(Text(20, 1)),
    joinedOn: Type.Optional(DateStr),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('left')])),
  },
  Strict,
);

/** Patrols (docs/api-command.md "Patrols"). */
export function patrolRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['patrols'];

  // ---- plans ------------------------------------------------------------------------------------------------------

  r.post(
    '/api/v1/patrol-plans',
    {
      config: { access: 'patrol.manage' },
      schema: {
        tags,
        summary: '生成（或重新生成）派出所一周的"1+3"巡防建议',
        body: Type.Object({ unitId: Type.Optional(Uuid), weekStart: Type.Optional(DateStr) }, Strict),
      },
    },
    async (req, reply) => reply.code(201).send(await plans.generatePlan(deps, req.ctx, req.body)),
  );

  r.get(
    '/api/v1/patrol-plans',
    {
      config: { access: 'incident.read' },
      schema: { tags, summary: '巡防建议列表（含覆盖率）', querystring: Type.Object({ unitId: Type.Optional(Uuid), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await plans.listPlans(deps, req.ctx, { unitId: req.query.unitId }, { limit, offset })), page, pageSize };
    },
  );

  r.get('/api/v1/patrol-plans/:id', { config: { access: 'incident.read' }, schema: { tags, summary: '巡防建议详情（按方式分组，含各点位覆盖率）', params: IdParams } }, (req) =>
    plans.getPlan(deps, req.ctx, req.params.id),
  );

  // ---- patrols ----------------------------------------------------------------------------------------------------

  r.get(
    '/api/v1/patrols',
    {
      config: { access: 'incident.read' },
      schema: {
        tags,
        summary: '巡逻记录列表',
        querystring: Type.Object({ unitId: Type.Optional(Uuid), mode: Type.Optional(Mode), from: Type.Optional(DateStr), to: Type.Optional(DateStr), planItemId: Type.Optional(Uuid), ...PageQuery }, Strict),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const { unitId, mode, from, to, planItemId } = req.query;
      return { ...(await patrols.listPatrols(deps, req.ctx, { unitId, mode, from, to, planItemId }, { limit, offset })), page, pageSize };
    },
  );

  r.post(
    '/api/v1/patrols',
    {
      config: { access: 'patrol.record' },
      schema: {
        tags,
        summary: '开始巡逻（或补登一次巡逻）',
        body: Type.Object(
          {
            unitId: Type.Optional(Uuid),
            mode: Mode,
            planItemId: Type.Optional(Uuid),
            routeId: Type.Optional(Uuid),
            teamId: Type.Optional(Uuid),
            shiftId: Type.Optional(Uuid),
            startedAt: Type.Optional(DateTime),
            note: Type.Optional(Text(500)),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await patrols.startPatrol(deps, req.ctx, req.body)),
  );

  r.get(
    '/api/v1/patrols/mine',
    {
      config: { access: 'patrol.record' },
      schema: {
        tags,
        summary: '我的巡逻：进行中的巡逻、本周巡防建议点位（带位置时由近及远）与最近的巡逻',
        querystring: Type.Object({ lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })), lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })) }, Strict),
      },
    },
    (req) => patrols.mine(deps, req.ctx, req.query.lat !== undefined && req.query.lng !== undefined ? { lat: req.query.lat, lng: req.query.lng } : undefined),
  );

  r.get('/api/v1/patrols/:id', { config: { access: 'incident.read' }, schema: { tags, summary: '巡逻详情与打卡记录', params: IdParams } }, (req) =>
    patrols.getPatrol(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/patrols/:id/checkins',
    {
      config: { access: 'patrol.record' },
      schema: {
        tags,
        summary: '巡逻打卡（按 clientId 幂等；仅登记人本人、巡逻未结束时）',
        params: IdParams,
        body: Type.Object(
          {
            clientId: Uuid,
            at: DateTime,
            lat: Type.Number({ minimum: -90, maximum: 90 }),
            lng: Type.Number({ minimum: -180, maximum: 180 }),
            note: Type.Optional(Text(200)),
          },
          Strict,
        ),
      },
    },
    async (req, reply) => {
      const r0 = await patrols.checkin(deps, req.ctx, req.params.id, req.body);
      return reply.code(r0.duplicate ? 200 : 201).send({ ...r0.checkin, duplicate: r0.duplicate });
    },
  );

  r.post(
    '/api/v1/patrols/:id/end',
    {
      config: { access: 'patrol.record' },
      schema: { tags, summary: '结束巡逻', params: IdParams, body: Type.Object({ endedAt: Type.Optional(DateTime), note: Type.Optional(Text(500)) }, Strict) },
    },
    (req) => patrols.endPatrol(deps, req.ctx, req.params.id, req.body),
  );

  // ---- teams ------------------------------------------------------------------------------------------------------

  r.get(
    '/api/v1/patrol-teams',
    {
      config: { access: 'incident.read' },
      schema: { tags, summary: '义务巡逻队列表（队员数、积分、本月班次）', querystring: Type.Object({ unitId: Type.Optional(Uuid) }, Strict) },
    },
    (req) => teams.listTeams(deps, req.ctx, req.query),
  );

  r.post('/api/v1/patrol-teams', { config: { access: 'patrol.manage' }, schema: { tags, summary: '新建义务巡逻队', body: TeamBody } }, async (req, reply) =>
    reply.code(201).send(await teams.createTeam(deps, req.ctx, req.body)),
  );

  r.get(
    '/api/v1/patrol-teams/ranking',
    {
      config: { access: 'incident.read' },
      schema: {
        tags,
        summary: '队员月度积分排名',
        querystring: Type.Object({ unitId: Type.Optional(Uuid), month: Type.Optional(Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, Strict),
      },
    },
    (req) => teams.ranking(deps, req.ctx, req.query),
  );

  r.get('/api/v1/patrol-teams/:id', { config: { access: 'incident.read' }, schema: { tags, summary: '巡逻队详情：队员（手机号脱敏）与班次（留痕）', params: IdParams } }, (req) =>
    teams.getTeam(deps, req.ctx, req.params.id),
  );

  r.put('/api/v1/patrol-teams/:id', { config: { access: 'patrol.manage' }, schema: { tags, summary: '修改义务巡逻队', params: IdParams, body: TeamBody } }, (req) =>
    teams.updateTeam(deps, req.ctx, req.params.id, req.body),
  );

  r.post('/api/v1/patrol-teams/:id/members', { config: { access: 'patrol.manage' }, schema: { tags, summary: '添加队员', params: IdParams, body: MemberBody } }, async (req, reply) =>
    reply.code(201).send(await teams.addMember(deps, req.ctx, req.params.id, req.body)),
  );

  r.put('/api/v1/patrol-team-members/:id', { config: { access: 'patrol.manage' }, schema: { tags, summary: '修改队员（含离队；不填手机号则保持不变）', params: IdParams, body: MemberUpdateBody } }, (req) =>
    teams.updateMember(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/patrol-teams/:id/shifts',
    {
      config: { access: 'patrol.manage' },
      schema: {
        tags,
        summary: '安排巡逻班次',
        params: IdParams,
        body: Type.Object(
          { startsAt: DateTime, endsAt: DateTime, area: Text(200, 1), planItemId: Type.Optional(Uuid), memberIds: Type.Array(Uuid, { minItems: 1, maxItems: 200 }) },
          Strict,
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await teams.createShift(deps, req.ctx, req.params.id, req.body)),
  );

  r.post(
    '/api/v1/patrol-shifts/:id/attendance',
    {
      config: { access: 'patrol.manage' },
      schema: {
        tags,
        summary: '登记班次出勤并计分（重复登记替换本班次此前的积分）',
        params: IdParams,
        body: Type.Object({ members: Type.Array(Type.Object({ memberId: Uuid, attended: Type.Boolean() }, Strict), { minItems: 1, maxItems: 200 }) }, Strict),
      },
    },
    (req) => teams.recordAttendance(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/patrol-team-members/:id/points',
    {
      config: { access: 'patrol.manage' },
      schema: {
        tags,
        summary: '手工调整队员积分',
        params: IdParams,
        body: Type.Object({ points: Type.Integer({ minimum: -1000, maximum: 1000 }), reason: Text(200, 1) }, Strict),
      },
    },
    async (req, reply) => reply.code(201).send(await teams.adjustPoints(deps, req.ctx, req.params.id, req.body)),
  );

  r.get(
    '/api/v1/patrol-team-members/:id/points',
    { config: { access: 'incident.read' }, schema: { tags, summary: '队员积分明细', params: IdParams, querystring: Type.Object(PageQuery, Strict) } },
    (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return teams.pointsLedger(deps, req.ctx, req.params.id, { limit, offset }).then((r0) => ({ ...r0, page, pageSize }));
    },
  );
}
