import type { Deps } from '../../src/server/deps.js';
import { systemContext, type RequestContext, type StaffPrincipal } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { staffPrincipal } from '../../src/server/platform/auth/principal.js';
import { insertNotifications } from '../../src/server/platform/notify/notifications.js';
import { issueDirective } from '../../src/server/modules/command/directives.js';
import { createScenario } from '../../src/server/modules/command/scenarios.js';
import { raiseWhistle, respond } from '../../src/server/modules/command/whistles.js';
import type { Actor, ModuleSpecs } from './types.js';

/** Routes of docs/api-command.md (settings, directives, whistles, notifications): how each is scoped. */

const NONE = '01900000-0000-7000-8000-000000000000';
const sys = () => systemContext(Object.keys(PERMISSIONS));
const SESSION = '00000000-0000-7000-8000-0000000000aa';

/** What each demo account acts on inside its own reach, filled by `setup`. */
interface Own {
  signTarget?: string;
  reportTarget?: string;
  confirmWhistle?: string;
  reopenWhistle?: string;
  ackResponse?: string;
  actResponse?: string;
  reportResponse?: string;
  notification: string;
}
const own = new Map<string, Own>();
const shared: Record<string, string> = {};

async function ctxOf(deps: Deps, username: string): Promise<RequestContext> {
  const u = await deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
  return { principal: (await staffPrincipal(deps, u.id, SESSION))! };
}

const deptId = async (deps: Deps, name: string) => (await deps.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const unitPath = async (deps: Deps, id: string) => (await deps.db.selectFrom('org_units').select('path').where('id', '=', id).executeTakeFirstOrThrow()).path;
const inDays = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString();

export const commandSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;
    const station5 = (await deps.db.selectFrom('org_units').select('id').where('code', '=', '371602005').executeTakeFirstOrThrow()).id;
    const xingzhen = await deptId(deps, '刑事侦查大队');
    const minzheng = await deptId(deps, '区民政局');
    const sifa = await deptId(deps, '彭李街道司法所');
    shared.station5 = station5;
    const command = await ctxOf(deps, 'command');
    const chief = await ctxOf(deps, 'chief');
    const squad = await ctxOf(deps, 'squad');

    // ---- outside every demo jurisdiction: a directive and a whistle of 沾化, a notification of its administrator
    const fstationPath = await unitPath(deps, fx.foreign.stationId);
    const fbranchPath = await unitPath(deps, fx.foreign.branchId);
    const foreignStaff = (orgUnitId: string, scopePath: string, permissions: string[]): RequestContext => ({
      principal: { kind: 'staff', sessionId: SESSION, userId: fx.foreign.userId, username: 'zhanhua', displayName: '沾化管理员', orgUnitId, departmentId: null, scopePath, roles: ['chief'], permissions: new Set(permissions), mustChangePassword: false } satisfies StaffPrincipal,
    });
    const fd = await issueDirective(deps, foreignStaff(fx.foreign.branchId, fbranchPath, ['directive.issue']), {
      level: 'red',
      title: '沾化矩阵指令',
      content: '外辖区指令',
      actions: '外辖区要求',
      deadline: inDays(3),
      orgUnitIds: [fx.foreign.stationId],
    });
    const fscenario = await createScenario(deps, foreignStaff(fx.foreign.branchId, fbranchPath, ['incident.configure']), { code: 'matrix_foreign', name: '矩阵外辖场景', departmentIds: [fx.foreign.deptId], responseMinutes: 30, urgent: false });
    const fw = await raiseWhistle(deps, foreignStaff(fx.foreign.stationId, fstationPath, ['whistle.raise']), { scenarioId: fscenario.id, title: '沾化矩阵吹哨', description: '外辖区吹哨' });
    const [fnote] = await insertNotifications(deps.db, [fx.foreign.userId], { kind: 'test', title: '沾化矩阵通知' });
    Object.assign(fx.foreign, { directiveId: fd.id, directiveTargetId: fd.targets[0]!.id, whistleId: fw.id, responseId: fw.responses[0]!.id, notificationId: fnote!.id });
    fx.foreignIds.push(fd.id, fd.targets[0]!.id, fw.id, fw.responses[0]!.id, fnote!.id);
    fx.foreignWords.push('沾化矩阵指令', '沾化矩阵吹哨', '沾化矩阵通知');

    // ---- inside: a directive for the detail, one each to close and to withdraw
    const directive = (title: string, target: { orgUnitIds?: string[]; departmentIds?: string[] }) =>
      issueDirective(deps, command, { level: 'blue', title, content: '矩阵测试指令内容', actions: '矩阵测试要求', deadline: inDays(3), ...target });
    shared.directive = (await directive('矩阵指令', { orgUnitIds: [station5], departmentIds: [xingzhen] })).id;
    shared.toClose = (await directive('矩阵办结', { orgUnitIds: [station5] })).id;
    shared.toWithdraw = (await directive('矩阵撤回', { orgUnitIds: [station5] })).id;

    // scenarios: one for the matrix to edit, one naming the three responding departments
    shared.scenario = (await createScenario(deps, sys(), { code: 'matrix_edit', name: '矩阵场景', departmentIds: [xingzhen], responseMinutes: 60, urgent: false })).id;
    const all = await createScenario(deps, sys(), { code: 'matrix_all', name: '矩阵三部门', departmentIds: [xingzhen, minzheng, sifa], responseMinutes: 60, urgent: false });
    shared.raiseScenario = all.id;
    const raise = (title: string) => raiseWhistle(deps, chief, { scenarioId: all.id, title, description: '矩阵吹哨说明' });
    const wDetail = await raise('矩阵吹哨');
    shared.whistle = wDetail.id;
    const wAck = await raise('矩阵响应');
    const wAct = await raise('矩阵处置');
    const wReport = await raise('矩阵反馈');
    const byDept = (w: typeof wAck, dept: string | null) => w.responses.find((r) => r.departmentId === dept)?.id;
    for (const w of [wAct, wReport]) {
      for (const [name, d] of [['squad', xingzhen], ['dept', minzheng], ['mediator', sifa]] as const) {
        await respond(deps, await ctxOf(deps, name), byDept(w, d)!, 'acknowledge');
      }
    }
    /** A whistle of the station whose only department (刑侦) has reported: ready to confirm or reopen. */
    const reported = async (ctx: RequestContext, title: string) => {
      const w = await raiseWhistle(deps, ctx, { scenarioId: shared.scenario!, title, description: '矩阵吹哨说明' });
      await respond(deps, squad, w.responses[0]!.id, 'acknowledge');
      await respond(deps, squad, w.responses[0]!.id, 'report', '已处置');
      return w.id;
    };

    for (const a of actors) {
      const ctx = await ctxOf(deps, a.username);
      const me = ctx.principal as StaffPrincipal;
      const o: Own = { notification: (await insertNotifications(deps.db, [a.userId], { kind: 'test', title: `矩阵通知${a.username}` }))[0]!.id };
      if (me.permissions.has('directive.handle')) {
        const target = me.departmentId ? { departmentIds: [me.departmentId] } : { orgUnitIds: [a.orgUnitId] };
        o.signTarget = (await directive(`矩阵签收${a.username}`, target)).targets[0]!.id;
        o.reportTarget = (await directive(`矩阵反馈${a.username}`, target)).targets[0]!.id;
      }
      if (me.permissions.has('whistle.raise')) {
        o.confirmWhistle = await reported(ctx, `矩阵确认${a.username}`);
        o.reopenWhistle = await reported(ctx, `矩阵重吹${a.username}`);
      }
      if (me.permissions.has('whistle.respond')) {
        o.ackResponse = byDept(wAck, me.departmentId);
        o.actResponse = byDept(wAct, me.departmentId);
        o.reportResponse = byDept(wReport, me.departmentId);
      }
      own.set(a.username, o);
    }
  },

  specs: (fx) => {
    const mine = (a: Actor) => own.get(a.username)!;
    return {
      'GET /api/v1/command-settings': { own: () => ({ url: '/api/v1/command-settings' }) },
      // an invalid body: allowed callers get the field errors, nothing is stored
      'PUT /api/v1/command-settings': { own: () => ({ url: '/api/v1/command-settings', body: { patrol: { basisDays: 1, pointsPerShift: 5, pointsPerHour: 2, absencePenalty: 0 } } }), ownOk: [400] },

      // ---- directives
      'GET /api/v1/directives': { own: () => ({ url: '/api/v1/directives?pageSize=200' }), noLeak: true },
      'POST /api/v1/directives': {
        own: () => ({ url: '/api/v1/directives', body: { level: 'green', title: '矩阵下发', content: '内容', actions: '要求', deadline: inDays(2), orgUnitIds: [shared.station5] } }),
        foreign: { sample: () => ({ url: '/api/v1/directives', body: { level: 'green', title: '越权下发', content: '内容', actions: '要求', deadline: inDays(2), orgUnitIds: [fx.foreign.stationId] } }), expect: [400] },
      },
      'GET /api/v1/directives/stats': { own: () => ({ url: '/api/v1/directives/stats' }), noLeak: true },
      // staff: the issuer's scope, the targets' staff and oversight read it; anyone else gets 404
      'GET /api/v1/directives/:id': {
        own: () => ({ url: `/api/v1/directives/${shared.directive}` }),
        ownOk: [200, 404],
        foreign: { sample: () => ({ url: `/api/v1/directives/${fx.foreign.directiveId}` }), expect: [404] },
      },
      'POST /api/v1/directives/:id/close': {
        own: () => ({ url: `/api/v1/directives/${shared.toClose}/close` }),
        foreign: { sample: () => ({ url: `/api/v1/directives/${fx.foreign.directiveId}/close` }), expect: [404] },
      },
      'POST /api/v1/directives/:id/withdraw': {
        own: () => ({ url: `/api/v1/directives/${shared.toWithdraw}/withdraw` }),
        foreign: { sample: () => ({ url: `/api/v1/directives/${fx.foreign.directiveId}/withdraw` }), expect: [404] },
      },
      'GET /api/v1/directive-inbox': { own: () => ({ url: '/api/v1/directive-inbox?pageSize=200' }), noLeak: true },
      'POST /api/v1/directive-targets/:id/sign': {
        own: (a) => ({ url: `/api/v1/directive-targets/${mine(a).signTarget ?? NONE}/sign` }),
        foreign: { sample: () => ({ url: `/api/v1/directive-targets/${fx.foreign.directiveTargetId}/sign` }), expect: [404] },
      },
      'POST /api/v1/directive-targets/:id/report': {
        own: (a) => ({ url: `/api/v1/directive-targets/${mine(a).reportTarget ?? NONE}/report`, body: { feedback: '矩阵反馈' } }),
        foreign: { sample: () => ({ url: `/api/v1/directive-targets/${fx.foreign.directiveTargetId}/report`, body: { feedback: '越权反馈' } }), expect: [404] },
      },

      // ---- whistles
      'GET /api/v1/whistle-scenarios': { own: () => ({ url: '/api/v1/whistle-scenarios' }), noLeak: true },
      'POST /api/v1/whistle-scenarios': {
        own: (a) => ({ url: '/api/v1/whistle-scenarios', body: { code: `matrix_new_${fx.next()}`, name: '矩阵新场景', departmentIds: [a.deptId], responseMinutes: 30, urgent: false } }),
        foreign: { sample: () => ({ url: '/api/v1/whistle-scenarios', body: { code: `matrix_bad_${fx.next()}`, name: '越权场景', departmentIds: [fx.foreign.deptId], responseMinutes: 30, urgent: false } }), expect: [400] },
      },
      'PUT /api/v1/whistle-scenarios/:id': {
        own: (a) => ({ url: `/api/v1/whistle-scenarios/${shared.scenario}`, body: { code: 'matrix_edit', name: '矩阵场景', departmentIds: [a.deptId], responseMinutes: 45, urgent: false } }),
        foreign: { sample: () => ({ url: `/api/v1/whistle-scenarios/${shared.scenario}`, body: { code: 'matrix_edit', name: '越权修改', departmentIds: [fx.foreign.deptId], responseMinutes: 45, urgent: false } }), expect: [400] },
      },
      'GET /api/v1/whistles': { own: () => ({ url: '/api/v1/whistles?pageSize=200' }), noLeak: true },
      'POST /api/v1/whistles': {
        own: () => ({ url: '/api/v1/whistles', body: { scenarioId: shared.raiseScenario, title: '矩阵新吹哨', description: '说明' } }),
        foreign: { sample: () => ({ url: '/api/v1/whistles', body: { scenarioId: shared.raiseScenario, title: '越权吹哨', description: '说明', addressId: fx.foreign.addressId } }), expect: [400] },
      },
      'GET /api/v1/whistles/stats': { own: () => ({ url: '/api/v1/whistles/stats' }), noLeak: true },
      'GET /api/v1/whistles/:id': {
        own: () => ({ url: `/api/v1/whistles/${shared.whistle}` }),
        ownOk: [200, 404],
        foreign: { sample: () => ({ url: `/api/v1/whistles/${fx.foreign.whistleId}` }), expect: [404] },
      },
      'POST /api/v1/whistles/:id/confirm': {
        own: (a) => ({ url: `/api/v1/whistles/${mine(a).confirmWhistle ?? NONE}/confirm` }),
        foreign: { sample: () => ({ url: `/api/v1/whistles/${fx.foreign.whistleId}/confirm` }), expect: [404] },
      },
      'POST /api/v1/whistles/:id/reopen': {
        own: (a) => ({ url: `/api/v1/whistles/${mine(a).reopenWhistle ?? NONE}/reopen`, body: { reason: '矩阵重新吹哨' } }),
        foreign: { sample: () => ({ url: `/api/v1/whistles/${fx.foreign.whistleId}/reopen`, body: { reason: '越权' } }), expect: [404] },
      },
      'GET /api/v1/whistle-inbox': { own: () => ({ url: '/api/v1/whistle-inbox?pageSize=200' }), noLeak: true },
      'POST /api/v1/whistle-responses/:id/acknowledge': {
        own: (a) => ({ url: `/api/v1/whistle-responses/${mine(a).ackResponse ?? NONE}/acknowledge` }),
        foreign: { sample: () => ({ url: `/api/v1/whistle-responses/${fx.foreign.responseId}/acknowledge` }), expect: [404] },
      },
      'POST /api/v1/whistle-responses/:id/act': {
        own: (a) => ({ url: `/api/v1/whistle-responses/${mine(a).actResponse ?? NONE}/act` }),
        foreign: { sample: () => ({ url: `/api/v1/whistle-responses/${fx.foreign.responseId}/act` }), expect: [404] },
      },
      'POST /api/v1/whistle-responses/:id/report': {
        own: (a) => ({ url: `/api/v1/whistle-responses/${mine(a).reportResponse ?? NONE}/report`, body: { report: '矩阵反馈' } }),
        foreign: { sample: () => ({ url: `/api/v1/whistle-responses/${fx.foreign.responseId}/report`, body: { report: '越权' } }), expect: [404] },
      },

      // ---- notifications: one's own only
      'GET /api/v1/notifications': { own: () => ({ url: '/api/v1/notifications?pageSize=200' }), noLeak: true },
      'POST /api/v1/notifications/read-all': { own: () => ({ url: '/api/v1/notifications/read-all' }) },
      'POST /api/v1/notifications/:id/read': {
        own: (a) => ({ url: `/api/v1/notifications/${mine(a).notification}/read` }),
        foreign: { sample: () => ({ url: `/api/v1/notifications/${fx.foreign.notificationId}/read` }), expect: [404] },
      },
      // without Accept: text/event-stream allowed callers get 406 (tests/notifications.test.ts reads the stream itself)
      'GET /api/v1/notifications/stream': { own: () => ({ url: '/api/v1/notifications/stream' }), ownOk: [406] },
    };
  },
};
