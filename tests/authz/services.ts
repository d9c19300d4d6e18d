import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../src/server/deps.js';
import { systemContext, type RequestContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { authRepository } from '../../src/server/platform/auth/repository.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { issuePlate } from '../../src/server/modules/addresses/plates.js';
import { servicesRepository } from '../../src/server/modules/services/repository.js';
import { book } from '../../src/server/modules/services/appointments.js';
import { addDays, atCst, todayCst } from '../../src/server/modules/services/rules.js';
import { insertAddress } from '../support/registry-fixtures.js';
import type { Actor, ModuleSpecs } from './types.js';

/** The matrix resident (tests/authz-matrix.test.ts signs in with this phone). */
const RESIDENT_PHONE = '13600000001';
/** A WebP header in ASCII only, so the matrix's string body reaches the server byte for byte. */
const WEBP = 'RIFF\u001a\u0000\u0000\u0000WEBPVP8 matrix-photo';
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7].map((day) => ({ day, open: '08:00', close: '20:00' }));

interface Own {
  /** Booked appointments in the past (the slot began): one to finish, one to mark as no-show. */
  doneId: string;
  noShowId: string;
  /** Articles in the actor's own unit: one to edit, a draft to publish, a published one to withdraw. */
  editId: string;
  draftId: string;
  publishedId: string;
}

const ownByActor = new Map<string, Own>();
const fixed: Record<string, string> = {};
const mine = (a: Actor) => ownByActor.get(a.username)!;

async function office(deps: Deps, orgUnitId: string, kind: 'station' | 'office' | 'post', name: string) {
  const id = uuidv7();
  await servicesRepository.insertOffice(deps.db, id, { org_unit_id: orgUnitId, kind, name, address: null, lng: 117.96, lat: 37.37, phone: '0543-1234567', hours: EVERY_DAY, hours_note: null, status: 'active' });
  return id;
}

async function service(deps: Deps, officeId: string, name: string) {
  const id = uuidv7();
  await servicesRepository.insertService(deps.db, id, {
    office_id: officeId,
    category: 'other',
    name,
    description: null,
    required_docs: ['居民身份证'],
    fully_online: false,
    slot_minutes: 30,
    capacity: 100,
    days_ahead: 7,
    status: 'active',
  });
  return id;
}

let seq = 0;
/** A booked appointment inserted as it is (the booking rules are tested elsewhere). */
async function appointment(deps: Deps, residentId: string, officeId: string, serviceId: string, start: Date) {
  const id = uuidv7();
  await servicesRepository.insertAppointment(deps.db, {
    id,
    tracking_no: `YYMATRIX${String(++seq).padStart(6, '0')}`,
    service_id: serviceId,
    office_id: officeId,
    resident_id: residentId,
    client_id: null,
    slot_start: start,
    slot_end: new Date(start.getTime() + 30 * 60_000),
    name: '矩阵居民',
    phone: RESIDENT_PHONE,
    note: null,
    status: 'booked',
    reminder_sent_at: null,
  });
  return id;
}

async function article(deps: Deps, orgUnitId: string, userId: string, title: string, published: boolean) {
  const id = uuidv7();
  await servicesRepository.insertArticle(deps.db, {
    id,
    org_unit_id: orgUnitId,
    title,
    summary: null,
    body: '矩阵测试用的安全防范提示正文。',
    created_by: userId,
    status: published ? 'published' : 'draft',
    published_at: published ? new Date() : null,
  });
  return id;
}

/** Offices, services, appointments, safety tips and staff photos (the public face of a plate). */
export const servicesSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;
    const sys = systemContext(Object.keys(PERMISSIONS));
    const residentId = await authRepository.upsertResident(deps.db, RESIDENT_PHONE);
    const resident: RequestContext = { principal: { kind: 'resident', residentId, phone: RESIDENT_PHONE, sessionId: 'matrix' } };
    const today = todayCst();

    // ---- public: a plate in 学苑社区第一网格 (inside every demo jurisdiction)
    const addr = await insertAddress(deps, { grid: '371602005001001' });
    fixed.token = (await issuePlate(deps, sys, addr.id, {})).token;
    const community = (await orgRepository.byCode(deps.db, '371602005001'))!.id;
    fixed.officeId = await office(deps, community, 'post', '矩阵警务站');
    fixed.serviceId = await service(deps, fixed.officeId, '矩阵办事事项');
    fixed.slotStart = atCst(addDays(today, 1), 9 * 60).toISOString();
    fixed.officerId = actors.find((a) => a.username === 'officer')!.userId;
    const published = await deps.db.selectFrom('safety_articles').select('id').where('status', '=', 'published').orderBy('published_at', 'desc').executeTakeFirstOrThrow();
    fixed.articleId = published.id;
    // the resident's own booking the cancel spec cancels (another day than the one the booking spec takes)
    fixed.cancelId = (await book(deps, resident, { serviceId: fixed.serviceId, slotStart: atCst(addDays(today, 2), 9 * 60).toISOString(), name: '矩阵居民', clientId: uuidv7() })).appointment.id;

    // ---- outside every demo jurisdiction: 沾化
    const foreignOffice = await office(deps, fx.foreign.stationId, 'station', '富国派出所服务大厅');
    const foreignService = await service(deps, foreignOffice, '富国户政业务');
    const foreignAppointment = await appointment(deps, residentId, foreignOffice, foreignService, atCst(addDays(today, -1), 9 * 60));
    const foreignArticle = await article(deps, fx.foreign.stationId, fx.foreign.userId, '富国防骗提示', true);
    Object.assign(fx.foreign, { officeId: foreignOffice, serviceId: foreignService, appointmentId: foreignAppointment, articleId: foreignArticle });
    fx.foreignIds.push(foreignOffice, foreignService, foreignAppointment, foreignArticle);
    fx.foreignWords.push('富国派出所服务大厅', '富国户政业务', '富国防骗提示');

    // ---- inside each actor's jurisdiction
    const past = atCst(addDays(today, -1), 10 * 60);
    for (const a of actors) {
      ownByActor.set(a.username, {
        doneId: await appointment(deps, residentId, fixed.officeId, fixed.serviceId, past),
        noShowId: await appointment(deps, residentId, fixed.officeId, fixed.serviceId, past),
        editId: await article(deps, a.orgUnitId, a.userId, `矩阵提示编辑${a.username}`, false),
        draftId: await article(deps, a.orgUnitId, a.userId, `矩阵提示草稿${a.username}`, false),
        publishedId: await article(deps, a.orgUnitId, a.userId, `矩阵提示发布${a.username}`, true),
      });
    }
  },

  specs: (fx) => ({
    // ---- public
    'GET /api/v1/portal/plates/:token': { own: () => ({ url: `/api/v1/portal/plates/${fixed.token}` }), noLeak: true },
    'GET /api/v1/portal/plates/:token/offices': { own: () => ({ url: `/api/v1/portal/plates/${fixed.token}/offices?lng=117.95&lat=37.36` }), noLeak: true },
    'GET /api/v1/portal/plates/:token/articles': { own: () => ({ url: `/api/v1/portal/plates/${fixed.token}/articles?pageSize=50` }), noLeak: true },
    'GET /api/v1/portal/articles/:id': { own: () => ({ url: `/api/v1/portal/articles/${fixed.articleId}` }) },
    'GET /api/v1/portal/plates/:token/services': { own: () => ({ url: `/api/v1/portal/plates/${fixed.token}/services` }), noLeak: true },
    'GET /api/v1/portal/services/:id/slots': { own: () => ({ url: `/api/v1/portal/services/${fixed.serviceId}/slots?days=3` }) },
    'GET /api/v1/portal/staff/:userId/photo': { own: () => ({ url: `/api/v1/portal/staff/${fixed.officerId}/photo` }) },

    // ---- resident (staff get 403; the matrix resident books, lists and cancels its own)
    'POST /api/v1/portal/appointments': {
      own: () => ({ url: '/api/v1/portal/appointments', body: { serviceId: fixed.serviceId, slotStart: fixed.slotStart, name: '矩阵居民', clientId: uuidv7() } }),
      ownOk: [201],
    },
    'GET /api/v1/portal/appointments': { own: () => ({ url: '/api/v1/portal/appointments' }) },
    'POST /api/v1/portal/appointments/:id/cancel': { own: () => ({ url: `/api/v1/portal/appointments/${fixed.cancelId}/cancel` }) },

    // ---- staff: offices
    'GET /api/v1/police-offices': {
      own: () => ({ url: '/api/v1/police-offices' }),
      noLeak: true,
      foreign: { sample: () => ({ url: `/api/v1/police-offices?orgUnitId=${fx.foreign.stationId}` }), expect: [404] },
    },
    'POST /api/v1/police-offices': {
      own: (a) => ({ url: '/api/v1/police-offices', body: { orgUnitId: a.orgUnitId, kind: 'post', name: `矩阵岗亭${fx.next()}`, hours: [{ day: 1, open: '08:00', close: '12:00' }] } }),
      foreign: {
        sample: () => ({ url: '/api/v1/police-offices', body: { orgUnitId: fx.foreign.stationId, kind: 'station', name: '越权派出所', hours: [] } }),
        expect: [400],
      },
    },
    'PATCH /api/v1/police-offices/:id': {
      own: () => ({ url: `/api/v1/police-offices/${fixed.officeId}`, body: { hoursNote: '矩阵测试说明' } }),
      foreign: { sample: () => ({ url: `/api/v1/police-offices/${fx.foreign.officeId}`, body: { hoursNote: '越权' } }), expect: [404] },
    },

    // ---- staff: services
    'GET /api/v1/appointment-services': {
      own: () => ({ url: '/api/v1/appointment-services' }),
      noLeak: true,
      foreign: { sample: () => ({ url: `/api/v1/appointment-services?officeId=${fx.foreign.officeId}` }), expect: [404] },
    },
    'POST /api/v1/appointment-services': {
      own: () => ({ url: '/api/v1/appointment-services', body: { officeId: fixed.officeId, category: 'other', name: `矩阵事项${fx.next()}` } }),
      foreign: { sample: () => ({ url: '/api/v1/appointment-services', body: { officeId: fx.foreign.officeId, category: 'other', name: '越权事项' } }), expect: [400] },
    },
    'PATCH /api/v1/appointment-services/:id': {
      own: () => ({ url: `/api/v1/appointment-services/${fixed.serviceId}`, body: { description: '矩阵测试说明' } }),
      foreign: { sample: () => ({ url: `/api/v1/appointment-services/${fx.foreign.serviceId}`, body: { description: '越权' } }), expect: [404] },
    },

    // ---- staff: appointments
    'GET /api/v1/appointments': {
      own: () => ({ url: `/api/v1/appointments?date=${addDays(todayCst(), -1)}` }),
      noLeak: true,
      foreign: { sample: () => ({ url: `/api/v1/appointments?officeId=${fx.foreign.officeId}` }), expect: [404] },
    },
    'POST /api/v1/appointments/:id/done': {
      own: (a) => ({ url: `/api/v1/appointments/${mine(a).doneId}/done` }),
      foreign: { sample: () => ({ url: `/api/v1/appointments/${fx.foreign.appointmentId}/done` }), expect: [404] },
    },
    'POST /api/v1/appointments/:id/no-show': {
      own: (a) => ({ url: `/api/v1/appointments/${mine(a).noShowId}/no-show` }),
      foreign: { sample: () => ({ url: `/api/v1/appointments/${fx.foreign.appointmentId}/no-show` }), expect: [404] },
    },

    // ---- staff: safety tips
    'GET /api/v1/safety-articles': { own: () => ({ url: '/api/v1/safety-articles?pageSize=200' }), noLeak: true },
    'POST /api/v1/safety-articles': {
      own: () => ({ url: '/api/v1/safety-articles', body: { title: '矩阵新提示', body: '矩阵测试用的安全防范提示正文。' } }),
      foreign: { sample: () => ({ url: '/api/v1/safety-articles', body: { orgUnitId: fx.foreign.branchId, title: '越权提示', body: '越权发布的安全防范提示正文。' } }), expect: [400] },
    },
    'PATCH /api/v1/safety-articles/:id': {
      own: (a) => ({ url: `/api/v1/safety-articles/${mine(a).editId}`, body: { summary: '矩阵摘要' } }),
      foreign: { sample: () => ({ url: `/api/v1/safety-articles/${fx.foreign.articleId}`, body: { summary: '越权' } }), expect: [404] },
    },
    'POST /api/v1/safety-articles/:id/publish': {
      own: (a) => ({ url: `/api/v1/safety-articles/${mine(a).draftId}/publish` }),
      foreign: { sample: () => ({ url: `/api/v1/safety-articles/${fx.foreign.articleId}/publish` }), expect: [404] },
    },
    'POST /api/v1/safety-articles/:id/withdraw': {
      own: (a) => ({ url: `/api/v1/safety-articles/${mine(a).publishedId}/withdraw` }),
      foreign: { sample: () => ({ url: `/api/v1/safety-articles/${fx.foreign.articleId}/withdraw` }), expect: [404] },
    },

    // ---- staff photos: everyone may upload their own; another user's needs user.manage and the user in scope
    'PUT /api/v1/users/:id/photo': {
      own: (a) => ({ url: `/api/v1/users/${a.userId}/photo`, body: WEBP, headers: { 'content-type': 'image/webp' } }),
      foreign: { sample: () => ({ url: `/api/v1/users/${fx.foreign.userId}/photo`, body: WEBP, headers: { 'content-type': 'image/webp' } }), expect: [403, 404] },
    },
  }),
};
