import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../src/server/deps.js';
import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { addressesRepository } from '../../src/server/modules/addresses/repository.js';
import { newPlateToken } from '../../src/server/modules/addresses/plates.js';
import { createUnit as createOrgUnit } from '../../src/server/modules/org/service.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { createUser } from '../../src/server/modules/users/service.js';
import { addDays, todayCst } from '../../src/server/modules/population/rules.js';
import { insertAddress, makeIdNumber } from '../support/registry-fixtures.js';
import type { Fixtures, ModuleSpecs } from './types.js';

const NONE = '01900000-0000-7000-8000-000000000002';
/** A WebP header in bytes below 0x80, so the matrix can send it as a string body. */
const WEBP = 'RIFF\u0024\u0000\u0000\u0000WEBPVP8 field-matrix-image';
const FOREIGN_TEXT = '山东省滨州市沾化区富国街道采集矩阵路9号';
const FOREIGN_WORKER = '沾化矩阵网格员';
const sys = () => systemContext(Object.keys(PERMISSIONS));

/** What the specs act on: made in `setup`, read by `specs`. */
const shared = { addressId: '', plate: '', itemId: '', changeId: '', photoId: '', typeId: '', workerId: '' };
const foreign = { addressId: '', plate: '', gridId: '', itemId: '', changeId: '', photoId: '', workerId: '' };
const perActor = new Map<string, { item: string; apply: string; reject: string }>();
let seq = 0;

const itemOp = (addressId: string) => ({
  op: 'item',
  clientId: randomUUID(),
  typeCode: 'home_visit',
  addressId,
  data: { met: '见到本人', people: 2 },
  occurredAt: new Date().toISOString(),
});
const personAdd = (addressId: string) => ({
  op: 'change',
  clientId: randomUUID(),
  kind: 'person_add',
  addressId,
  data: { name: '矩阵新人', idNumber: makeIdNumber(95_000 + ++seq), personType: 'registered', relation: 'other', fromDate: addDays(todayCst(), -1) },
  occurredAt: new Date().toISOString(),
});

async function plateAt(deps: Deps, addressId: string) {
  const token = newPlateToken();
  await addressesRepository.insertPlate(deps.db, { id: uuidv7(), address_id: addressId, kind: 'room', token, issued_by: null });
  return token;
}

/** Sends ops as a worker and returns the ids of the results (each must be created). */
async function collect(fx: Fixtures, token: string, ops: unknown[]): Promise<string[]> {
  const res = await fx.t.call(token, 'POST', '/api/v1/field/sync', { ops });
  const results = res.json().results as Array<{ status: string; id?: string; errors?: unknown }>;
  for (const r of results) if (r.status !== 'created') throw new Error(`field matrix setup: ${JSON.stringify(r)}`);
  return results.map((r) => r.id!);
}

async function upload(fx: Fixtures, token: string) {
  const id = randomUUID();
  const res = await fx.t.call(token, 'PUT', `/api/v1/field/attachments/${id}`, WEBP, { 'content-type': 'image/webp' });
  if (res.statusCode !== 201) throw new Error(`field matrix setup: upload ${res.statusCode} ${res.body}`);
  return id;
}

/**
 * Field collection: item types, the field app's data and sync, the worker's lists, review of changes and items.
 * The grid worker collects inside 学苑社区第一网格 (inside every demo account's unit); a worker of the 沾化 branch
 * collects the foreign records.
 */
export const fieldSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;
    const gridworker = actors.find((a) => a.username === 'gridworker')!;
    shared.workerId = gridworker.userId;

    // ---- outside every demo jurisdiction: a worker of 沾化 with an item (and photo) and a change
    const ensure = async (parentId: string, kind: 'community' | 'grid', code: string, name: string) =>
      (await orgRepository.byCode(deps.db, code))?.id ?? (await createOrgUnit(deps, sys(), { parentId, kind, code, name })).id;
    const community = await ensure(fx.foreign.stationId, 'community', '371603001002', '沾化富国第二社区警务区');
    foreign.gridId = await ensure(community, 'grid', '371603001002001', '沾化富国第二社区第一网格');
    foreign.addressId = (await insertAddress(deps, { grid: foreign.gridId, countyCode: '371603', fullText: FOREIGN_TEXT })).id;
    foreign.plate = await plateAt(deps, foreign.addressId);
    const fw = await createUser(deps, sys(), { username: 'zhworker', displayName: FOREIGN_WORKER, password: 'Zhanhua123', orgUnitId: foreign.gridId, roles: ['gridworker'], mustChangePassword: false });
    foreign.workerId = fw.id;
    const ftoken = await fx.t.login('zhworker', 'Zhanhua123');
    foreign.photoId = await upload(fx, ftoken);
    [foreign.itemId, foreign.changeId] = await collect(fx, ftoken, [{ ...itemOp(foreign.addressId), photoIds: [foreign.photoId] }, personAdd(foreign.addressId)]);
    Object.assign(fx.foreign, { fieldItemId: foreign.itemId, fieldChangeId: foreign.changeId });
    fx.foreignIds.push(foreign.addressId, foreign.plate, foreign.itemId, foreign.changeId, foreign.photoId, foreign.workerId, foreign.gridId);
    fx.foreignWords.push('采集矩阵路', FOREIGN_WORKER);

    // ---- inside: an address with a plate, an item with a photo, a change; one item and two changes per reviewer
    const grid1 = (await orgRepository.byCode(deps.db, '371602005001001'))!.id;
    shared.addressId = (await insertAddress(deps, { grid: grid1 })).id;
    shared.plate = await plateAt(deps, shared.addressId);
    shared.photoId = await upload(fx, gridworker.token);
    [shared.itemId, shared.changeId] = await collect(fx, gridworker.token, [{ ...itemOp(shared.addressId), photoIds: [shared.photoId] }, personAdd(shared.addressId)]);
    for (const a of actors) {
      if (!a.permissions.has('field.review')) continue;
      const spare = (await insertAddress(deps, { grid: grid1 })).id;
      const [item, apply, reject] = await collect(fx, gridworker.token, [itemOp(spare), personAdd(spare), personAdd(spare)]);
      perActor.set(a.username, { item, apply, reject });
    }
    const admin = actors.find((a) => a.username === 'admin')!;
    const type = await fx.t.call(admin.token, 'POST', '/api/v1/field/item-types', {
      code: 'matrix_probe',
      categoryCode: 'info',
      name: '矩阵测试事项',
      formSchema: { fields: [{ key: 'ok', label: '正常', type: 'boolean' }] },
    });
    shared.typeId = type.json().id;
  },

  specs: (fx) => {
    const mine = (username: string, what: 'item' | 'apply' | 'reject') => perActor.get(username)?.[what] ?? NONE;
    const typeBody = { categoryCode: 'info', name: '矩阵测试事项（改）', formSchema: { fields: [{ key: 'ok', label: '正常', type: 'boolean' }] } };
    return {
      // ---- item types as data
      'GET /api/v1/field/categories': { own: () => ({ url: '/api/v1/field/categories' }) },
      'PUT /api/v1/field/categories/:code': { own: () => ({ url: '/api/v1/field/categories/matrix', body: { name: '矩阵类别', sort: 99 } }) },
      'GET /api/v1/field/item-types': { own: () => ({ url: '/api/v1/field/item-types?status=active' }) },
      'POST /api/v1/field/item-types': {
        own: () => ({ url: '/api/v1/field/item-types', body: { ...typeBody, code: `matrix_${fx.next()}` } }),
        ownOk: [201],
      },
      'PUT /api/v1/field/item-types/:id': { own: () => ({ url: `/api/v1/field/item-types/${shared.typeId}`, body: { ...typeBody, version: 1 } }) },

      // ---- the field app's data
      'GET /api/v1/field/pack': {
        own: () => ({ url: '/api/v1/field/pack' }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/field/pack?gridId=${foreign.gridId}` }), expect: [404] },
      },
      'GET /api/v1/field/plates/:token/record': {
        own: () => ({ url: `/api/v1/field/plates/${shared.plate}/record` }),
        foreign: { sample: () => ({ url: `/api/v1/field/plates/${foreign.plate}/record` }), expect: [404] },
      },
      'GET /api/v1/field/addresses/:id/record': {
        own: () => ({ url: `/api/v1/field/addresses/${shared.addressId}/record` }),
        foreign: { sample: () => ({ url: `/api/v1/field/addresses/${foreign.addressId}/record` }), expect: [404] },
      },

      // ---- sync
      'PUT /api/v1/field/attachments/:id': {
        own: () => ({ url: `/api/v1/field/attachments/${randomUUID()}`, body: WEBP, headers: { 'content-type': 'image/webp' } }),
        ownOk: [201],
        // another worker's photo id: refused, nothing overwritten
        foreign: { sample: () => ({ url: `/api/v1/field/attachments/${foreign.photoId}`, body: WEBP, headers: { 'content-type': 'image/webp' } }), expect: [409] },
      },
      'GET /api/v1/field/attachments/:id': {
        // its worker, or field.read staff whose jurisdiction holds the item naming it; anyone else 404
        own: () => ({ url: `/api/v1/field/attachments/${shared.photoId}` }),
        ownOk: [200, 404],
        foreign: { sample: () => ({ url: `/api/v1/field/attachments/${foreign.photoId}` }), expect: [404] },
      },
      'POST /api/v1/field/sync': {
        own: () => ({ url: '/api/v1/field/sync', body: { ops: [itemOp(shared.addressId)] } }),
        // an op at a foreign address is rejected inside a 200
        foreign: { sample: () => ({ url: '/api/v1/field/sync', body: { ops: [itemOp(foreign.addressId)] } }), expect: [200] },
      },

      // ---- the worker's own lists
      'GET /api/v1/field/me/items': { own: () => ({ url: '/api/v1/field/me/items?pageSize=200' }), noLeak: true },
      'GET /api/v1/field/me/changes': { own: () => ({ url: '/api/v1/field/me/changes?pageSize=200' }), noLeak: true },

      // ---- review of field changes
      'GET /api/v1/field/changes': { own: () => ({ url: '/api/v1/field/changes?pageSize=200' }), noLeak: true },
      'GET /api/v1/field/changes/:id': {
        own: () => ({ url: `/api/v1/field/changes/${shared.changeId}` }),
        foreign: { sample: () => ({ url: `/api/v1/field/changes/${foreign.changeId}` }), expect: [404] },
      },
      'POST /api/v1/field/changes/:id/apply': {
        own: (a) => ({ url: `/api/v1/field/changes/${mine(a.username, 'apply')}/apply`, body: { note: '矩阵审核' } }),
        foreign: { sample: () => ({ url: `/api/v1/field/changes/${foreign.changeId}/apply`, body: {} }), expect: [404] },
      },
      'POST /api/v1/field/changes/:id/reject': {
        own: (a) => ({ url: `/api/v1/field/changes/${mine(a.username, 'reject')}/reject`, body: { reason: '矩阵驳回测试' } }),
        foreign: { sample: () => ({ url: `/api/v1/field/changes/${foreign.changeId}/reject`, body: { reason: '越权驳回' } }), expect: [404] },
      },
      'GET /api/v1/field/grants': { own: () => ({ url: '/api/v1/field/grants' }), noLeak: true },
      'PUT /api/v1/field/grants/:userId': {
        own: () => ({ url: `/api/v1/field/grants/${shared.workerId}`, body: { direct: false } }),
        foreign: { sample: () => ({ url: `/api/v1/field/grants/${foreign.workerId}`, body: { direct: true } }), expect: [404] },
      },

      // ---- items (console)
      'GET /api/v1/field/items': { own: () => ({ url: '/api/v1/field/items?pageSize=200' }), noLeak: true },
      'GET /api/v1/field/items/:id': {
        own: () => ({ url: `/api/v1/field/items/${shared.itemId}` }),
        foreign: { sample: () => ({ url: `/api/v1/field/items/${foreign.itemId}` }), expect: [404] },
      },
      'POST /api/v1/field/items/:id/return': {
        own: (a) => ({ url: `/api/v1/field/items/${mine(a.username, 'item')}/return`, body: { reason: '矩阵退回测试' } }),
        foreign: { sample: () => ({ url: `/api/v1/field/items/${foreign.itemId}/return`, body: { reason: '越权退回' } }), expect: [404] },
      },
    };
  },
};
