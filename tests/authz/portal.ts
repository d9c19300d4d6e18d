import { randomUUID } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../src/server/deps.js';
import { systemContext, type RequestContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { authRepository } from '../../src/server/platform/auth/repository.js';
import { addressesRepository } from '../../src/server/modules/addresses/repository.js';
import { newPlateToken } from '../../src/server/modules/addresses/plates.js';
import { createUnit as createOrgUnit } from '../../src/server/modules/org/service.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { addDays, todayCst } from '../../src/server/modules/population/rules.js';
import { uploadAttachment } from '../../src/server/modules/portal/attachments.js';
import { submit } from '../../src/server/modules/portal/service.js';
import { insertAddress, makeIdNumber } from '../support/registry-fixtures.js';
import type { ModuleSpecs } from './types.js';

/** The resident the matrix signs in as (tests/authz-matrix.test.ts). */
const MATRIX_RESIDENT = '13600000001';
const FOREIGN_TEXT = '沾化越权求助测试内容';
const NONE = '01900000-0000-7000-8000-000000000001';
/** A WebP header in bytes below 0x80, so the matrix can send it as a string body. */
const WEBP = 'RIFF\u0024\u0000\u0000\u0000WEBPVP8 matrix-test-image';

const sys = () => systemContext(Object.keys(PERMISSIONS));

/** What each reviewing account acts on: a submission per action, in 学苑社区第一网格. */
interface Own {
  claim: string;
  approve: string;
  return: string;
  complete: string;
}
const ownByActor = new Map<string, Own>();
const shared: { plate: string; submissionId: string; attachmentId: string; editableId: string; withdrawId: string } = {
  plate: '',
  submissionId: '',
  attachmentId: '',
  editableId: '',
  withdrawId: '',
};
let idSeq = 0;

async function plateIn(deps: Deps, grid: string, fullText?: string) {
  const a = await insertAddress(deps, { grid, ...(fullText ? { fullText, countyCode: '371603' } : {}) });
  const token = newPlateToken();
  await addressesRepository.insertPlate(deps.db, { id: uuidv7(), address_id: a.id, kind: 'room', token, issued_by: null });
  return token;
}

const residence = () => ({
  name: '矩阵流动',
  idNumber: makeIdNumber(60_000 + ++idSeq),
  phone: '13800009999',
  hukouAddress: '河南省周口市川汇区人民路1号',
  reason: 'work',
  arrivalDate: addDays(todayCst(), -5),
  expectedStayUntil: addDays(todayCst(), 100),
  relation: 'tenant',
});
const help = (description = '矩阵测试求助：楼道灯坏了，请处理。', attachmentIds?: string[]) => ({ category: 'help', description, ...(attachmentIds ? { attachmentIds } : {}) });

/**
 * The resident portal (submissions, photos) and the officers' review queue. The matrix resident owns every
 * submission; the foreign one sits in a grid of the 沾化 branch.
 */
export const portalSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;
    const residentId = await authRepository.upsertResident(deps.db, MATRIX_RESIDENT);
    const me: RequestContext = { ip: '127.0.0.1', principal: { kind: 'resident', residentId, phone: MATRIX_RESIDENT, sessionId: randomUUID() } };
    const make = async (kind: 'residence' | 'help', plateToken: string, data: unknown) =>
      (await submit(deps, me, { kind, plateToken, clientId: randomUUID(), data })).submission;

    // ---- outside every demo jurisdiction: a help request with a photo in 沾化
    const ensure = async (parentId: string, kind: 'community' | 'grid', code: string, name: string) =>
      (await orgRepository.byCode(deps.db, code))?.id ?? (await createOrgUnit(deps, sys(), { parentId, kind, code, name })).id;
    const community = await ensure(fx.foreign.stationId, 'community', '371603001002', '沾化富国第二社区警务区');
    const grid = await ensure(community, 'grid', '371603001002001', '沾化富国第二社区第一网格');
    const foreignPlate = await plateIn(deps, grid, '山东省滨州市沾化区富国街道富源社区金海一路20号1单元101室');
    const foreignPhoto = await uploadAttachment(deps, me, Buffer.from(WEBP, 'latin1'));
    const foreign = await make('help', foreignPlate, help(FOREIGN_TEXT, [foreignPhoto.id]));
    Object.assign(fx.foreign, { submissionId: foreign.id, attachmentId: foreignPhoto.id });
    fx.foreignIds.push(foreign.id, foreignPhoto.id, foreign.trackingNo);
    fx.foreignWords.push(FOREIGN_TEXT);

    // ---- inside every demo account's unit (学苑社区第一网格)
    const grid1 = (await orgRepository.byCode(deps.db, '371602005001001'))!.id;
    shared.plate = await plateIn(deps, grid1);
    const photo = await uploadAttachment(deps, me, Buffer.from(WEBP, 'latin1'));
    shared.attachmentId = photo.id;
    shared.submissionId = (await make('help', shared.plate, help(undefined, [photo.id]))).id;
    shared.editableId = (await make('help', shared.plate, help())).id;
    shared.withdrawId = (await make('help', shared.plate, help())).id;
    for (const a of actors) {
      if (!a.permissions.has('portal.review')) continue;
      ownByActor.set(a.username, {
        claim: (await make('help', shared.plate, help())).id,
        approve: (await make('residence', await plateIn(deps, grid1), residence())).id,
        return: (await make('residence', shared.plate, residence())).id,
        complete: (await make('help', shared.plate, help())).id,
      });
    }
  },

  specs: (fx) => {
    const own = (username: string, what: keyof Own) => ownByActor.get(username)?.[what] ?? NONE;
    const purpose = `purpose=${encodeURIComponent('矩阵权限核查')}`;
    const foreignReview = (action: string, body?: unknown) => ({
      sample: () => ({ url: `/api/v1/portal-reviews/${fx.foreign.submissionId}/${action}`, body }),
      expect: [404],
    });
    return {
      // ---- resident (staff get 403, the matrix resident acts on its own records)
      'POST /api/v1/portal/attachments': {
        own: () => ({ url: '/api/v1/portal/attachments', body: WEBP, headers: { 'content-type': 'image/webp' } }),
        ownOk: [201],
      },
      'GET /api/v1/portal/attachments/:id': {
        // the uploader, or staff with portal.read whose jurisdiction holds the submission naming it
        own: () => ({ url: `/api/v1/portal/attachments/${shared.attachmentId}` }),
        ownOk: [200, 403],
        foreign: { sample: () => ({ url: `/api/v1/portal/attachments/${fx.foreign.attachmentId}` }), expect: [403, 404] },
      },
      'POST /api/v1/portal/submissions': {
        own: () => ({ url: '/api/v1/portal/submissions', body: { kind: 'help', plateToken: shared.plate, clientId: randomUUID(), data: help() } }),
        ownOk: [201],
      },
      'GET /api/v1/portal/submissions': { own: () => ({ url: '/api/v1/portal/submissions?pageSize=200' }) },
      'GET /api/v1/portal/submissions/:id': { own: () => ({ url: `/api/v1/portal/submissions/${shared.submissionId}` }) },
      'PUT /api/v1/portal/submissions/:id': {
        own: () => ({ url: `/api/v1/portal/submissions/${shared.editableId}`, body: { data: help('矩阵测试求助：修改后的内容，请处理。') } }),
      },
      'POST /api/v1/portal/submissions/:id/withdraw': { own: () => ({ url: `/api/v1/portal/submissions/${shared.withdrawId}/withdraw` }) },

      // ---- staff: the review queue
      'GET /api/v1/portal-reviews': { own: () => ({ url: '/api/v1/portal-reviews?status=all&pageSize=200' }), noLeak: true },
      'GET /api/v1/portal-reviews/stats': {
        own: () => ({ url: '/api/v1/portal-reviews/stats' }),
        foreign: { sample: () => ({ url: `/api/v1/portal-reviews/stats?orgUnitId=${fx.foreign.stationId}` }), expect: [404] },
      },
      'GET /api/v1/portal-reviews/:id': {
        own: () => ({ url: `/api/v1/portal-reviews/${shared.submissionId}` }),
        foreign: { sample: () => ({ url: `/api/v1/portal-reviews/${fx.foreign.submissionId}` }), expect: [404] },
      },
      'GET /api/v1/portal-reviews/:id/ids': {
        // person.id_full on top of portal.read
        own: () => ({ url: `/api/v1/portal-reviews/${shared.submissionId}/ids?${purpose}` }),
        ownOk: [200, 403],
        foreign: { sample: () => ({ url: `/api/v1/portal-reviews/${fx.foreign.submissionId}/ids?${purpose}` }), expect: [403, 404] },
      },
      'POST /api/v1/portal-reviews/:id/claim': {
        own: (a) => ({ url: `/api/v1/portal-reviews/${own(a.username, 'claim')}/claim` }),
        foreign: foreignReview('claim'),
      },
      'POST /api/v1/portal-reviews/:id/approve': {
        own: (a) => ({ url: `/api/v1/portal-reviews/${own(a.username, 'approve')}/approve`, body: {} }),
        foreign: foreignReview('approve', {}),
      },
      'POST /api/v1/portal-reviews/:id/return': {
        own: (a) => ({ url: `/api/v1/portal-reviews/${own(a.username, 'return')}/return`, body: { reason: '矩阵测试退回原因' } }),
        foreign: foreignReview('return', { reason: '矩阵测试退回原因' }),
      },
      'POST /api/v1/portal-reviews/:id/complete': {
        own: (a) => ({ url: `/api/v1/portal-reviews/${own(a.username, 'complete')}/complete`, body: { reply: '矩阵测试答复' } }),
        foreign: foreignReview('complete', { reply: '矩阵测试答复' }),
      },
    };
  },
};
