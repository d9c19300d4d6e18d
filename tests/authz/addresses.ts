import type { Actor, Fixtures, ModuleSpecs } from './types.js';
import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { createUnit } from '../../src/server/modules/org/service.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { createAddress } from '../../src/server/modules/addresses/service.js';
import { issuePlate, revokePlate } from '../../src/server/modules/addresses/plates.js';

/** What each actor works on: a small tree in a grid inside the actor's own jurisdiction. */
interface Own {
  unitId: string;
  /** Read, patched and (re)issued a plate by the specs. */
  roomId: string;
  /** Deactivated once by the status spec. */
  statusRoomId: string;
  /** An active plate the revoke spec revokes. */
  revokePlateId: string;
  /** The building's plate: never touched, so its public scan stays 200. */
  buildingToken: string;
  buildingId: string;
}

const own = new Map<string, Own>();
const mine = (a: Actor) => {
  const o = own.get(a.username);
  if (!o) throw new Error(`no address fixture for ${a.username}`);
  return o;
};

/** The actor's own grid, or the first grid (by code) below the actor's unit. */
async function gridOf(fx: Fixtures, a: Actor): Promise<string> {
  const unit = await orgRepository.byId(fx.t.deps.db, a.orgUnitId);
  const grids = (await orgRepository.subtree(fx.t.deps.db, unit!.path)).filter((u) => u.kind === 'grid').sort((x, y) => x.code.localeCompare(y.code));
  if (!grids.length) throw new Error(`${a.username}'s unit holds no grid`);
  return grids[0].id;
}

/** Standard addresses (一标) and QR plates. */
export const addressSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;
    const sys = systemContext(Object.keys(PERMISSIONS));
    const add = (body: Parameters<typeof createAddress>[2]) => createAddress(deps, sys, body);

    // (a) a tree in the foreign branch: 富国派出所 → a community → a grid → 富源四路88号枣园小区1号楼101室
    const community = await createUnit(deps, sys, { parentId: fx.foreign.stationId, kind: 'community', code: '371603001001', name: '富国社区警务区' });
    const grid = await createUnit(deps, sys, { parentId: community.id, kind: 'grid', code: '371603001001001', name: '富国社区第一网格' });
    const road = await add({ gridId: grid.id, level: 'road', name: '富源四路' });
    const door = await add({ parentId: road.id, level: 'door', name: '88' });
    const compound = await add({ parentId: door.id, level: 'compound', name: '枣园小区' });
    const building = await add({ parentId: compound.id, level: 'building', name: '1' });
    const room = await add({ parentId: building.id, level: 'room', name: '101' });
    const plate = await issuePlate(deps, sys, room.id, {});
    const old = await issuePlate(deps, sys, door.id, {});
    await revokePlate(deps, sys, old.id, { reason: '矩阵测试注销' });
    Object.assign(fx.foreign, { addressId: room.id, addressParentId: building.id, addressGridId: grid.id, plateId: plate.id, revokedToken: old.token });
    fx.foreignIds.push(community.id, grid.id, road.id, door.id, compound.id, building.id, room.id, plate.id, plate.token, old.id, old.token);
    // 富源四路 is left out on purpose: the match spec sends it, and the answer echoes what was asked
    fx.foreignWords.push('枣园小区');

    // (b) for each actor a tree inside the actor's jurisdiction
    for (const a of actors) {
      const gridId = await gridOf(fx, a);
      const r = await add({ gridId, level: 'road', name: `矩阵${a.username}路` });
      const d = await add({ parentId: r.id, level: 'door', name: '1' });
      const b = await add({ parentId: d.id, level: 'building', name: '1' });
      const u = await add({ parentId: b.id, level: 'unit', name: '1' });
      const main = await add({ parentId: u.id, level: 'room', name: '101' });
      const status = await add({ parentId: u.id, level: 'room', name: '102' });
      const target = await add({ parentId: u.id, level: 'room', name: '103' });
      own.set(a.username, {
        unitId: u.id,
        roomId: main.id,
        statusRoomId: status.id,
        revokePlateId: (await issuePlate(deps, sys, target.id, {})).id,
        buildingToken: (await issuePlate(deps, sys, b.id, {})).token,
        buildingId: b.id,
      });
    }
  },

  specs: (fx) => ({
    'GET /api/v1/addresses': { own: () => ({ url: '/api/v1/addresses?pageSize=200' }), noLeak: true },
    'GET /api/v1/addresses/export': {
      own: () => ({ url: `/api/v1/addresses/export?format=csv&purpose=${encodeURIComponent('矩阵核查导出')}` }),
      noLeak: true,
      // a foreign grid as the filter: an empty sheet, not its addresses
      foreign: { sample: () => ({ url: `/api/v1/addresses/export?format=csv&gridId=${fx.foreign.addressGridId}&purpose=${encodeURIComponent('越权导出核查')}` }), expect: [200] },
    },
    'GET /api/v1/grids': {
      own: () => ({ url: '/api/v1/grids?pageSize=200' }),
      noLeak: true,
      foreign: { sample: () => ({ url: `/api/v1/grids?q=${encodeURIComponent('富国')}` }), expect: [200] },
    },
    'POST /api/v1/addresses': {
      own: (a) => ({ url: '/api/v1/addresses', body: { parentId: mine(a).unitId, level: 'room', name: String(200 + fx.next()) } }),
      ownOk: [201],
      foreign: { sample: () => ({ url: '/api/v1/addresses', body: { parentId: fx.foreign.addressParentId, level: 'unit', name: String(fx.next()) } }), expect: [400] },
    },
    'POST /api/v1/addresses/match': {
      own: (a) => ({ url: '/api/v1/addresses/match', body: { text: `矩阵${a.username}路1号1号楼1单元101室` } }),
      noLeak: true,
      foreign: { sample: () => ({ url: '/api/v1/addresses/match', body: { text: '富源四路88号1号楼101室', limit: 20 } }), expect: [200] },
    },
    'GET /api/v1/addresses/:id': {
      own: (a) => ({ url: `/api/v1/addresses/${mine(a).roomId}` }),
      foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressId}` }), expect: [404] },
    },
    'GET /api/v1/addresses/:id/children': {
      own: (a) => ({ url: `/api/v1/addresses/${mine(a).unitId}/children` }),
      noLeak: true,
      foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressParentId}/children` }), expect: [404] },
    },
    'PATCH /api/v1/addresses/:id': {
      own: (a) => ({ url: `/api/v1/addresses/${mine(a).roomId}`, body: { lng: 117.98, lat: 37.39 } }),
      foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressId}`, body: { name: '999' } }), expect: [404] },
    },
    'POST /api/v1/addresses/:id/status': {
      own: (a) => ({ url: `/api/v1/addresses/${mine(a).statusRoomId}/status`, body: { status: 'inactive', reason: '矩阵测试' } }),
      foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressId}/status`, body: { status: 'inactive', reason: '越权停用' } }), expect: [404] },
    },
    'POST /api/v1/addresses/:id/plates': {
      own: (a) => ({ url: `/api/v1/addresses/${mine(a).roomId}/plates`, body: { reason: '矩阵补发' } }),
      ownOk: [201],
      foreign: { sample: () => ({ url: `/api/v1/addresses/${fx.foreign.addressId}/plates`, body: { reason: '越权补发' } }), expect: [404] },
    },
    'POST /api/v1/plates/:id/revoke': {
      own: (a) => ({ url: `/api/v1/plates/${mine(a).revokePlateId}/revoke`, body: { reason: '矩阵注销' } }),
      foreign: { sample: () => ({ url: `/api/v1/plates/${fx.foreign.plateId}/revoke`, body: { reason: '越权注销' } }), expect: [404] },
    },
    'GET /api/v1/plates/print': {
      own: (a) => ({ url: `/api/v1/plates/print?addressIds=${mine(a).roomId},${mine(a).buildingId}&size=small` }),
      noLeak: true,
      foreign: { sample: (a) => ({ url: `/api/v1/plates/print?addressIds=${mine(a).roomId},${fx.foreign.addressId}&size=label` }), expect: [404] },
    },
    'GET /api/v1/plates/:token': {
      own: (a) => ({ url: `/api/v1/plates/${mine(a).buildingToken}` }),
      // a foreign plate that has been revoked: 410 for everyone, naming neither the address nor its ids
      foreign: { sample: () => ({ url: `/api/v1/plates/${fx.foreign.revokedToken}` }), expect: [410] },
    },
  }),
};
