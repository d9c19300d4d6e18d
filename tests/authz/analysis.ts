import { v7 as uuidv7 } from 'uuid';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { todayCst } from '../../src/server/modules/population/rules.js';
import type { ModuleSpecs } from './types.js';

/** What the patrol routes act on inside the demo jurisdiction (学苑社区, inside every demo account's unit). */
const own = { unitId: '', planId: '', teamId: '', memberId: '', shiftId: '' };
/** Per actor: an open patrol to check in on and one to end (only the creator may). */
const patrolsOf = new Map<string, { checkin: string; end: string }>();
const FOREIGN_TEAM = '沾化富国红袖标队';
const FOREIGN_MEMBER = '欧阳巡防';

const PERIOD = 'from=2026-01-01&to=2026-01-31';

/** Routes of docs/api-command.md (analysis and patrols): how each is scoped. */
export const analysisSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const db = fx.t.deps.db;
    const xueyuan = (await orgRepository.byCode(db, '371602005001'))!.id;
    own.unitId = xueyuan;
    const past = (h: number) => new Date(Date.now() - h * 3_600_000);

    // ---- outside every demo jurisdiction: a plan, a team with a member and a shift, a patrol in 沾化
    const fStation = fx.foreign.stationId;
    const fPlan = uuidv7();
    await db.insertInto('patrol_plans').values({ id: fPlan, org_unit_id: fStation, week_start: '2026-01-05', basis_from: '2025-12-08', basis_to: '2026-01-04' }).execute();
    const fTeam = uuidv7();
    await db.insertInto('patrol_teams').values({ id: fTeam, org_unit_id: fStation, name: FOREIGN_TEAM, kind: 'hongxiubiao', leader_name: null, leader_phone: null, note: null }).execute();
    const fMember = uuidv7();
    await db.insertInto('patrol_team_members').values({ id: fMember, team_id: fTeam, name: FOREIGN_MEMBER, phone: '13905438888', person_id: null, joined_on: '2025-01-01' }).execute();
    const fShift = uuidv7();
    await db.insertInto('patrol_shifts').values({ id: fShift, team_id: fTeam, plan_item_id: null, starts_at: past(5), ends_at: past(3), area: '富国街', created_by: null }).execute();
    await db.insertInto('patrol_shift_members').values({ shift_id: fShift, member_id: fMember, attended: null, recorded_by: null, recorded_at: null }).execute();
    const fPatrol = uuidv7();
    await db.insertInto('patrols').values({ id: fPatrol, org_unit_id: fStation, mode: 'patrol', started_at: past(1), created_by: fx.foreign.userId }).execute();
    Object.assign(fx.foreign, { patrolPlanId: fPlan, patrolTeamId: fTeam, patrolMemberId: fMember, patrolShiftId: fShift, patrolId: fPatrol });
    fx.foreignIds.push(fPlan, fTeam, fMember, fShift, fPatrol);
    fx.foreignWords.push(FOREIGN_TEAM, FOREIGN_MEMBER, '13905438888');

    // ---- inside: a plan, a team with a member and a past shift in 学苑社区
    own.planId = uuidv7();
    await db.insertInto('patrol_plans').values({ id: own.planId, org_unit_id: xueyuan, week_start: '2026-01-05', basis_from: '2025-12-08', basis_to: '2026-01-04' }).execute();
    own.teamId = uuidv7();
    await db.insertInto('patrol_teams').values({ id: own.teamId, org_unit_id: xueyuan, name: '矩阵义务巡逻队', kind: 'yiwu', leader_name: null, leader_phone: null, note: null }).execute();
    own.memberId = uuidv7();
    await db.insertInto('patrol_team_members').values({ id: own.memberId, team_id: own.teamId, name: '矩阵队员', phone: '13700009999', person_id: null, joined_on: '2025-01-01' }).execute();
    own.shiftId = uuidv7();
    await db.insertInto('patrol_shifts').values({ id: own.shiftId, team_id: own.teamId, plan_item_id: null, starts_at: past(5), ends_at: past(3), area: '学苑小区', created_by: null }).execute();
    await db.insertInto('patrol_shift_members').values({ shift_id: own.shiftId, member_id: own.memberId, attended: null, recorded_by: null, recorded_at: null }).execute();
    for (const a of actors) {
      const p = { checkin: uuidv7(), end: uuidv7() };
      for (const id of [p.checkin, p.end]) await db.insertInto('patrols').values({ id, org_unit_id: a.orgUnitId, mode: 'patrol', started_at: past(2), created_by: a.userId }).execute();
      patrolsOf.set(a.username, p);
    }
  },

  specs: (fx) => {
    const analysis = (path: string) => ({
      own: () => ({ url: `/api/v1/analysis/${path}?${PERIOD}` }),
      foreign: { sample: () => ({ url: `/api/v1/analysis/${path}?${PERIOD}&unitId=${fx.foreign.stationId}` }), expect: [404] },
      noLeak: true,
    });
    const patrolOf = (a: { username: string }) => patrolsOf.get(a.username)!;
    const checkinBody = () => ({ clientId: uuidv7(), at: new Date().toISOString(), lat: 37.38, lng: 118.01 });
    const teamBody = (orgUnitId: string) => ({ orgUnitId, name: '矩阵义务巡逻队', kind: 'yiwu' });
    const month = todayCst().slice(0, 7);
    return {
      'GET /api/v1/analysis/hotspots': analysis('hotspots'),
      'GET /api/v1/analysis/hours': analysis('hours'),
      'GET /api/v1/analysis/trend': analysis('trend'),
      'GET /api/v1/analysis/categories': analysis('categories'),

      // plans: chief and officer plan for their own station or community (the default unit)
      'POST /api/v1/patrol-plans': {
        own: () => ({ url: '/api/v1/patrol-plans', body: {} }),
        foreign: { sample: () => ({ url: '/api/v1/patrol-plans', body: { unitId: fx.foreign.stationId } }), expect: [400] },
      },
      'GET /api/v1/patrol-plans': { own: () => ({ url: '/api/v1/patrol-plans?pageSize=200' }), noLeak: true },
      'GET /api/v1/patrol-plans/:id': {
        own: () => ({ url: `/api/v1/patrol-plans/${own.planId}` }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-plans/${fx.foreign.patrolPlanId}` }), expect: [404] },
      },

      // patrols
      'GET /api/v1/patrols': { own: () => ({ url: '/api/v1/patrols?pageSize=200' }), noLeak: true },
      'POST /api/v1/patrols': {
        own: () => ({ url: '/api/v1/patrols', body: { mode: 'patrol' } }),
        foreign: { sample: () => ({ url: '/api/v1/patrols', body: { mode: 'patrol', unitId: fx.foreign.stationId } }), expect: [400] },
      },
      'GET /api/v1/patrols/mine': { own: () => ({ url: '/api/v1/patrols/mine' }), noLeak: true },
      'GET /api/v1/patrols/:id': {
        own: (a) => ({ url: `/api/v1/patrols/${patrolOf(a).checkin}` }),
        foreign: { sample: () => ({ url: `/api/v1/patrols/${fx.foreign.patrolId}` }), expect: [404] },
      },
      'POST /api/v1/patrols/:id/checkins': {
        own: (a) => ({ url: `/api/v1/patrols/${patrolOf(a).checkin}/checkins`, body: checkinBody() }),
        foreign: { sample: () => ({ url: `/api/v1/patrols/${fx.foreign.patrolId}/checkins`, body: checkinBody() }), expect: [404] },
      },
      'POST /api/v1/patrols/:id/end': {
        own: (a) => ({ url: `/api/v1/patrols/${patrolOf(a).end}/end`, body: {} }),
        foreign: { sample: () => ({ url: `/api/v1/patrols/${fx.foreign.patrolId}/end`, body: {} }), expect: [404] },
      },

      // volunteer teams
      'GET /api/v1/patrol-teams': { own: () => ({ url: '/api/v1/patrol-teams' }), noLeak: true },
      'POST /api/v1/patrol-teams': {
        own: (a) => ({ url: '/api/v1/patrol-teams', body: { orgUnitId: a.orgUnitId, name: `矩阵新建巡逻队${fx.next()}`, kind: 'hongxiubiao' } }),
        foreign: { sample: () => ({ url: '/api/v1/patrol-teams', body: { orgUnitId: fx.foreign.stationId, name: `越权巡逻队${fx.next()}`, kind: 'yiwu' } }), expect: [400] },
      },
      'GET /api/v1/patrol-teams/ranking': { own: () => ({ url: `/api/v1/patrol-teams/ranking?month=${month}` }), noLeak: true },
      'GET /api/v1/patrol-teams/:id': {
        own: () => ({ url: `/api/v1/patrol-teams/${own.teamId}` }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-teams/${fx.foreign.patrolTeamId}` }), expect: [404] },
      },
      'PUT /api/v1/patrol-teams/:id': {
        own: () => ({ url: `/api/v1/patrol-teams/${own.teamId}`, body: teamBody(own.unitId) }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-teams/${fx.foreign.patrolTeamId}`, body: teamBody(own.unitId) }), expect: [404] },
      },
      'POST /api/v1/patrol-teams/:id/members': {
        own: () => ({ url: `/api/v1/patrol-teams/${own.teamId}/members`, body: { name: '矩阵新队员', phone: `1370000${String(fx.next()).padStart(4, '0')}` } }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-teams/${fx.foreign.patrolTeamId}/members`, body: { name: '越权队员', phone: '13700001234' } }), expect: [404] },
      },
      'PUT /api/v1/patrol-team-members/:id': {
        own: () => ({ url: `/api/v1/patrol-team-members/${own.memberId}`, body: { name: '矩阵队员', phone: '13700009999' } }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-team-members/${fx.foreign.patrolMemberId}`, body: { name: '越权改名', phone: '13905438888' } }), expect: [404] },
      },
      'POST /api/v1/patrol-teams/:id/shifts': {
        own: () => ({ url: `/api/v1/patrol-teams/${own.teamId}/shifts`, body: { startsAt: new Date(Date.now() - 7_200_000).toISOString(), endsAt: new Date(Date.now() - 3_600_000).toISOString(), area: '学苑小区', memberIds: [own.memberId] } }),
        foreign: {
          sample: () => ({ url: `/api/v1/patrol-teams/${fx.foreign.patrolTeamId}/shifts`, body: { startsAt: new Date(Date.now() - 7_200_000).toISOString(), endsAt: new Date(Date.now() - 3_600_000).toISOString(), area: '越权', memberIds: [fx.foreign.patrolMemberId] } }),
          expect: [404],
        },
      },
      'POST /api/v1/patrol-shifts/:id/attendance': {
        own: () => ({ url: `/api/v1/patrol-shifts/${own.shiftId}/attendance`, body: { members: [{ memberId: own.memberId, attended: true }] } }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-shifts/${fx.foreign.patrolShiftId}/attendance`, body: { members: [{ memberId: fx.foreign.patrolMemberId, attended: true }] } }), expect: [404] },
      },
      'POST /api/v1/patrol-team-members/:id/points': {
        own: () => ({ url: `/api/v1/patrol-team-members/${own.memberId}/points`, body: { points: 1, reason: '矩阵核查' } }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-team-members/${fx.foreign.patrolMemberId}/points`, body: { points: 100, reason: '越权' } }), expect: [404] },
      },
      'GET /api/v1/patrol-team-members/:id/points': {
        own: () => ({ url: `/api/v1/patrol-team-members/${own.memberId}/points` }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-team-members/${fx.foreign.patrolMemberId}/points` }), expect: [404] },
      },
    };
  },
};

