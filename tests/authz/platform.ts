import type { ModuleSpecs } from './types.js';
import { addForeignBranch } from '../support/foreign.js';

const KIND_CHILD: Record<string, string> = { city_bureau: 'branch', branch: 'station', station: 'community', community: 'grid' };

/** Health, sign-in, sessions, organisation, users and roles, audit. */
export const platformSpecs: ModuleSpecs = {
  async setup(fx) {
    const f = await addForeignBranch(fx.t.deps);
    Object.assign(fx.foreign, { branchId: f.branchId, stationId: f.stationId, deptId: f.deptId, userId: f.userId });
    fx.foreignIds.push(...f.unitIds, f.userId, f.deptId);
    fx.foreignWords.push('沾化', 'zhanhua');
    const ftok = await fx.t.login('zhanhua', 'Foreign123');
    fx.foreign.sessionId = ((await fx.t.call(ftok, 'GET', '/api/v1/auth/sessions')).json() as Array<{ id: string }>)[0].id;
    await fx.t.call(ftok, 'GET', `/api/v1/users/${f.userId}`); // audit rows that belong to the foreign branch
  },
  specs: (fx) => ({
    'GET /api/v1/health': { own: () => ({ url: '/api/v1/health' }) },
    'GET /api/v1/openapi.json': { own: () => ({ url: '/api/v1/openapi.json' }) },
    'POST /api/v1/auth/login': { own: () => ({ url: '/api/v1/auth/login', body: { username: 'nobody', password: 'x' } }), ownOk: [401] },
    'POST /api/v1/auth/logout': { own: () => ({ url: '/api/v1/auth/logout' }), fresh: true },
    'GET /api/v1/auth/me': { own: () => ({ url: '/api/v1/auth/me' }) },
    'POST /api/v1/auth/password': { own: () => ({ url: '/api/v1/auth/password', body: { currentPassword: 'wrong', newPassword: 'Whatever123' } }), ownOk: [400] },
    'GET /api/v1/auth/sessions': { own: () => ({ url: '/api/v1/auth/sessions' }), noLeak: true },
    'DELETE /api/v1/auth/sessions/:id': {
      own: () => ({ url: '/api/v1/auth/sessions/01900000-0000-7000-8000-000000000000' }),
      ownOk: [404],
      foreign: { sample: () => ({ url: `/api/v1/auth/sessions/${fx.foreign.sessionId}` }), expect: [404] },
    },
    'POST /api/v1/auth/totp/setup': { own: () => ({ url: '/api/v1/auth/totp/setup' }) },
    'POST /api/v1/auth/totp/enable': { own: () => ({ url: '/api/v1/auth/totp/enable', body: { code: '000000' } }), ownOk: [400] },
    'POST /api/v1/auth/totp/disable': { own: () => ({ url: '/api/v1/auth/totp/disable', body: { password: 'wrong' } }), ownOk: [400] },
    'POST /api/v1/auth/otp/request': { own: () => ({ url: '/api/v1/auth/otp/request', body: { phone: `1370000${String(fx.next()).padStart(4, '0')}` } }) },
    'POST /api/v1/auth/otp/verify': { own: () => ({ url: '/api/v1/auth/otp/verify', body: { phone: '13700009999', code: '123456' } }), ownOk: [400] },
    'GET /api/v1/dev/outbox': { own: () => ({ url: '/api/v1/dev/outbox' }) },
    'GET /api/v1/org/tree': { own: () => ({ url: '/api/v1/org/tree' }), noLeak: true },
    'GET /api/v1/org/units/:id': {
      own: (a) => ({ url: `/api/v1/org/units/${a.orgUnitId}` }),
      foreign: { sample: () => ({ url: `/api/v1/org/units/${fx.foreign.stationId}` }), expect: [404] },
    },
    'POST /api/v1/org/units': {
      own: (a) => {
        const code = `${a.orgUnitCode}${String(900 + fx.next()).slice(-3)}`;
        return { url: '/api/v1/org/units', body: { parentId: a.orgUnitId, kind: KIND_CHILD[a.orgKind] ?? 'grid', code, name: `矩阵单位${code}` } };
      },
      foreign: {
        sample: () => ({ url: '/api/v1/org/units', body: { parentId: fx.foreign.stationId, kind: 'community', code: `371603001${100 + fx.next()}`, name: '越权单位' } }),
        expect: [400],
      },
    },
    'PATCH /api/v1/org/units/:id': {
      own: (a) => ({ url: `/api/v1/org/units/${a.orgUnitId}`, body: { contactPhone: '0543-1234567' } }),
      foreign: { sample: () => ({ url: `/api/v1/org/units/${fx.foreign.stationId}`, body: { contactPhone: '0543-7654321' } }), expect: [404] },
    },
    'GET /api/v1/org/departments': { own: () => ({ url: '/api/v1/org/departments' }), noLeak: true },
    'GET /api/v1/org/department-categories': { own: () => ({ url: '/api/v1/org/department-categories' }) },
    'POST /api/v1/org/departments': {
      own: (a) => ({ url: '/api/v1/org/departments', body: { orgUnitId: a.orgUnitId, kind: 'partner', category: 'other', name: `矩阵部门${fx.next()}` } }),
      foreign: {
        sample: () => ({ url: '/api/v1/org/departments', body: { orgUnitId: fx.foreign.branchId, kind: 'partner', category: 'other', name: `越权部门${fx.next()}` } }),
        expect: [400],
      },
    },
    'PATCH /api/v1/org/departments/:id': {
      own: (a) => ({ url: `/api/v1/org/departments/${a.deptId}`, body: { contactPhone: '0543-1111111' } }),
      foreign: { sample: () => ({ url: `/api/v1/org/departments/${fx.foreign.deptId}`, body: { contactPhone: '0543-2222222' } }), expect: [404] },
    },
    'GET /api/v1/users': { own: () => ({ url: '/api/v1/users?pageSize=200' }), noLeak: true },
    'GET /api/v1/users/:id': {
      own: (a) => ({ url: `/api/v1/users/${a.userId}` }),
      foreign: { sample: () => ({ url: `/api/v1/users/${fx.foreign.userId}` }), expect: [404] },
    },
    'POST /api/v1/users': {
      own: (a) => ({ url: '/api/v1/users', body: { username: `matrix${fx.next()}`, displayName: '矩阵用户', password: 'Initial123', orgUnitId: a.orgUnitId, roles: [] } }),
      foreign: {
        sample: () => ({ url: '/api/v1/users', body: { username: `intruder${fx.next()}`, displayName: '越权', password: 'Initial123', orgUnitId: fx.foreign.branchId, roles: [] } }),
        expect: [400],
      },
    },
    'PATCH /api/v1/users/:id': {
      own: (a) => ({ url: `/api/v1/users/${a.victimId}`, body: { displayName: '被改名' } }),
      foreign: { sample: () => ({ url: `/api/v1/users/${fx.foreign.userId}`, body: { displayName: '越权改名' } }), expect: [404] },
    },
    'POST /api/v1/users/:id/reset-password': {
      own: (a) => ({ url: `/api/v1/users/${a.victimId}/reset-password`, body: { newPassword: 'Reset12345' } }),
      foreign: { sample: () => ({ url: `/api/v1/users/${fx.foreign.userId}/reset-password`, body: { newPassword: 'Reset12345' } }), expect: [404] },
    },
    'POST /api/v1/users/:id/unlock': {
      own: (a) => ({ url: `/api/v1/users/${a.victimId}/unlock` }),
      foreign: { sample: () => ({ url: `/api/v1/users/${fx.foreign.userId}/unlock` }), expect: [404] },
    },
    'GET /api/v1/roles': { own: () => ({ url: '/api/v1/roles' }) },
    'GET /api/v1/permissions': { own: () => ({ url: '/api/v1/permissions' }) },
    'GET /api/v1/audit': { own: () => ({ url: '/api/v1/audit?pageSize=200' }), noLeak: true },
    'GET /api/v1/audit/verify': { own: () => ({ url: '/api/v1/audit/verify' }) },
    'GET /api/v1/audit/export': { own: () => ({ url: '/api/v1/audit/export?purpose=matrix-check' }), noLeak: true },
  }),
};
