import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { createCamera, createRoute } from '../../src/server/modules/map/service.js';
import { insertIncidents } from '../support/incident-fixtures.js';
import type { ModuleSpecs } from './types.js';

const sys = () => systemContext(Object.keys(PERMISSIONS));
/** Filled by `setup`: each actor's own camera and route (in the actor's unit), edited by the matrix. */
const ownByActor = new Map<string, { cameraId: string; routeId: string }>();
const line = (x0: number, y0: number) => ({ type: 'LineString' as const, coordinates: [[x0, y0], [x0 + 0.002, y0 + 0.001], [x0 + 0.004, y0]] });

/**
 * Routes of docs/api-command.md (the one map): every layer is scoped by the caller's org path, so the foreign
 * camera, route, incident and address (in 沾化) must never appear; cameras and routes of another jurisdiction
 * answer 404 to edits and 400 (field orgUnitId) to creation for them.
 */
export const mapSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;
    const stationId = fx.foreign.stationId;
    const cam = await createCamera(deps, sys(), { orgUnitId: stationId, code: 'ZH-MATRIX-CAM-1', name: '沾化越界摄像头', kind: 'public', lat: 37.7, lng: 118.13 });
    const route = await createRoute(deps, sys(), { orgUnitId: stationId, name: '沾化越界巡线', mode: 'patrol', geometry: line(118.13, 37.7) });
    fx.foreign.cameraId = cam.id;
    fx.foreign.routeId = route.id;
    fx.foreignIds.push(cam.id, route.id, 'ZH-MATRIX-CAM-1');
    fx.foreignWords.push('沾化越界摄像头', '沾化越界巡线');
    // a recent incident in the foreign grid (created by the population setup) for the incident layer's noLeak
    if (await orgRepository.byCode(deps.db, '371603001002001')) {
      const [incident] = await insertIncidents(deps, [{ at: new Date(Date.now() - 86_400_000), grid: '371603001002001', lat: 37.7, lng: 118.13, category: 'za_fight', status: 'received' }]);
      fx.foreignIds.push(incident);
    }
    for (const a of actors) {
      const n = fx.next();
      const c = await createCamera(deps, sys(), { orgUnitId: a.orgUnitId, code: `MATRIX-CAM-${n}`, name: `矩阵摄像头${n}`, kind: 'social', lat: 37.36, lng: 117.95 });
      const r = await createRoute(deps, sys(), { orgUnitId: a.orgUnitId, name: `矩阵巡线${n}`, mode: 'volunteer', geometry: line(117.95, 37.36) });
      ownByActor.set(a.username, { cameraId: c.id, routeId: r.id });
    }
  },

  specs: (fx) => {
    const own = (username: string) => ownByActor.get(username)!;
    const camera = (orgUnitId: string) => ({ orgUnitId, code: `MATRIX-NEW-${fx.next()}`, name: '矩阵新摄像头', kind: 'public', lat: 37.37, lng: 117.96 });
    const route = (orgUnitId: string) => ({ orgUnitId, name: '矩阵新巡线', mode: 'patrol', geometry: line(117.96, 37.37) });
    return {
      'GET /api/v1/map/boundaries': {
        own: (a) => ({ url: `/api/v1/map/boundaries?unitId=${a.orgUnitId}` }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/map/boundaries?unitId=${fx.foreign.stationId}` }), expect: [404] },
      },
      // the box covers the demo county and the coordinates the fixtures give foreign addresses
      'GET /api/v1/map/addresses': { own: () => ({ url: '/api/v1/map/addresses?bbox=117.9,37.33,118.3,37.8&limit=20000' }), noLeak: true },
      'GET /api/v1/map/incidents': { own: () => ({ url: '/api/v1/map/incidents' }), noLeak: true },
      'GET /api/v1/map/offices': { own: () => ({ url: '/api/v1/map/offices' }), noLeak: true },
      'GET /api/v1/map/key-units': { own: () => ({ url: '/api/v1/map/key-units' }), noLeak: true },
      'GET /api/v1/map/cameras': { own: () => ({ url: '/api/v1/map/cameras' }), noLeak: true },
      'GET /api/v1/map/routes': { own: () => ({ url: '/api/v1/map/routes' }), noLeak: true },
      'GET /api/v1/cameras': {
        own: () => ({ url: '/api/v1/cameras?pageSize=200' }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/cameras?orgUnitId=${fx.foreign.stationId}` }), expect: [200] },
      },
      'POST /api/v1/cameras': {
        own: (a) => ({ url: '/api/v1/cameras', body: camera(a.orgUnitId) }),
        foreign: { sample: () => ({ url: '/api/v1/cameras', body: camera(fx.foreign.stationId) }), expect: [400] },
      },
      'PUT /api/v1/cameras/:id': {
        own: (a) => ({ url: `/api/v1/cameras/${own(a.username).cameraId}`, body: { name: '矩阵改名摄像头' } }),
        foreign: { sample: () => ({ url: `/api/v1/cameras/${fx.foreign.cameraId}`, body: { name: '越权改名' } }), expect: [404] },
      },
      'GET /api/v1/patrol-routes': {
        own: () => ({ url: '/api/v1/patrol-routes?pageSize=200' }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/patrol-routes?orgUnitId=${fx.foreign.stationId}` }), expect: [200] },
      },
      'POST /api/v1/patrol-routes': {
        own: (a) => ({ url: '/api/v1/patrol-routes', body: route(a.orgUnitId) }),
        foreign: { sample: () => ({ url: '/api/v1/patrol-routes', body: route(fx.foreign.stationId) }), expect: [400] },
      },
      'PUT /api/v1/patrol-routes/:id': {
        own: (a) => ({ url: `/api/v1/patrol-routes/${own(a.username).routeId}`, body: { name: '矩阵改名巡线' } }),
        foreign: { sample: () => ({ url: `/api/v1/patrol-routes/${fx.foreign.routeId}`, body: { name: '越权改名' } }), expect: [404] },
      },
    };
  },
};
