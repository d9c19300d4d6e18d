import { v7 as uuidv7 } from 'uuid';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { insertIncidents } from '../support/incident-fixtures.js';
import type { Actor, ModuleSpecs } from './types.js';

/**
 * Routes of docs/api-command.md (incidents): incidents are scoped by org path, so the 沾化 incident, its diversion
 * and the 沾化 field item answer 404, and lists never show them. Each actor allowed to write gets its own incidents
 * (one per state change) in 学苑社区第一网格, which lies inside every demo account's unit.
 */
const GRID = '371602005001001';
const NONE = '01900000-0000-7000-8000-00000000beef';
const FOREIGN_WORD = '沾化矩阵警情';

interface Own {
  patch: string;
  handle: string;
  close: string;
  reopen: string;
  divert: string;
  link: string;
  linkId: string;
  fieldItem: string;
  diversion: string;
}
const own = new Map<string, Own>();
const shared = { incident: NONE, categoryId: NONE, editCategoryId: NONE, minzheng: NONE };
const of = (a: Actor): Own => own.get(a.username) ?? { patch: NONE, handle: NONE, close: NONE, reopen: NONE, divert: NONE, link: NONE, linkId: NONE, fieldItem: NONE, diversion: NONE };

export const incidentsSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const db = fx.t.deps.db;
    const cats = new Map((await db.selectFrom('incident_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
    shared.categoryId = cats.get('za_fight')!;
    shared.editCategoryId = cats.get('qt_other')!;
    shared.minzheng = (await db.selectFrom('departments').select('id').where('name', '=', '区民政局').executeTakeFirstOrThrow()).id;
    const gridId = (await orgRepository.byCode(db, GRID))!.id;
    const at = new Date(Date.now() - 3_600_000);
    const pt = { lat: 37.36, lng: 117.95 };
    [shared.incident] = await insertIncidents(fx.t.deps, [{ at, grid: GRID, ...pt, status: 'received' }]);

    // ---- outside: an incident of 沾化, diverted to 沾化's own department
    const foreignStation = fx.foreign.stationId;
    const fPath = (await db.selectFrom('org_units').select('path').where('id', '=', foreignStation).executeTakeFirstOrThrow()).path;
    const fIncident = uuidv7();
    await db
      .insertInto('incidents')
      .values({ id: fIncident, code: `JQZH${Date.now()}`, source: '110', category_id: shared.categoryId, occurred_at: at, reported_at: at, day: '2026-01-01', how: 0, org_unit_id: foreignStation, station_id: foreignStation, org_path: fPath, summary: FOREIGN_WORD, status: 'diverted', created_at: at, updated_at: at })
      .execute();
    const fDiversion = uuidv7();
    await db.insertInto('incident_diversions').values({ id: fDiversion, incident_id: fIncident, department_id: fx.foreign.deptId, reason: FOREIGN_WORD, status: 'sent', diverted_at: at }).execute();
    Object.assign(fx.foreign, { incidentId: fIncident, diversionId: fDiversion });
    fx.foreignIds.push(fIncident, fDiversion);
    fx.foreignWords.push(FOREIGN_WORD);

    // ---- inside: per actor, the incidents its writes change, a link, a grid report and a diversion to its department
    const gridworker = actors.find((a) => a.username === 'gridworker')!;
    const type = await db.selectFrom('field_item_types').select(['code', 'version']).where('code', '=', 'dispute').executeTakeFirstOrThrow();
    for (const a of actors) {
      const dept = (await db.selectFrom('users').select('department_id').where('id', '=', a.userId).executeTakeFirstOrThrow()).department_id;
      const canWrite = a.permissions.has('incident.write');
      const canAnswer = a.permissions.has('dispatch.handle') && dept;
      if (!canWrite && !canAnswer) continue;
      const [patch, handle, close, reopen, divert, link, forDiversion] = await insertIncidents(fx.t.deps, [
        { at, grid: GRID, ...pt, status: 'received' },
        { at, grid: GRID, ...pt, status: 'received' },
        { at, grid: GRID, ...pt, status: 'handling' },
        { at, grid: GRID, ...pt, status: 'closed' },
        { at, grid: GRID, ...pt, status: 'received', category: 'jf_property' },
        { at, grid: GRID, ...pt, status: 'received' },
        { at, grid: GRID, ...pt, status: 'diverted', category: 'jf_property' },
      ]);
      const linkId = uuidv7();
      await db.insertInto('incident_links').values({ id: linkId, incident_id: link, kind: 'case', ref: `MATRIX-${fx.next()}` }).execute();
      const fieldItem = uuidv7();
      await db
        .insertInto('field_items')
        .values({ id: fieldItem, client_id: uuidv7(), worker_id: gridworker.userId, type_code: type.code, type_version: type.version, category_code: 'dispute', org_unit_id: gridId, county_code: '371602', data: '{}', occurred_at: at })
        .execute();
      let diversion = NONE;
      if (dept) {
        diversion = uuidv7();
        await db.insertInto('incident_diversions').values({ id: diversion, incident_id: forDiversion, department_id: dept, reason: '矩阵分流', status: 'sent', diverted_at: at }).execute();
      }
      own.set(a.username, { patch, handle, close, reopen, divert, link, linkId, fieldItem, diversion });
    }
  },

  specs(fx) {
    const foreignIncident = (suffix = '', body?: unknown) => ({ sample: () => ({ url: `/api/v1/incidents/${fx.foreign.incidentId}${suffix}`, body }), expect: [404] });
    return {
      'GET /api/v1/incident-categories': { own: () => ({ url: '/api/v1/incident-categories' }) },
      'POST /api/v1/incident-categories': {
        own: () => ({ url: '/api/v1/incident-categories', body: { code: `mx_${fx.next()}`, name: '矩阵分类', policeMatter: true } }),
        ownOk: [201],
      },
      'PUT /api/v1/incident-categories/:id': {
        own: () => ({ url: `/api/v1/incident-categories/${shared.editCategoryId}`, body: { name: '其他警情', policeMatter: true, sort: 20, status: 'active' } }),
      },
      'GET /api/v1/incidents': { own: () => ({ url: '/api/v1/incidents?pageSize=200' }), noLeak: true },
      'POST /api/v1/incidents': {
        own: () => ({ url: '/api/v1/incidents', body: { source: 'walk_in', categoryId: shared.categoryId, occurredAt: new Date(Date.now() - 60_000).toISOString(), summary: '矩阵登记' } }),
        ownOk: [201],
        foreign: {
          sample: () => ({ url: '/api/v1/incidents', body: { source: 'walk_in', categoryId: shared.categoryId, occurredAt: new Date().toISOString(), summary: '越权登记', orgUnitId: fx.foreign.stationId } }),
          expect: [400],
        },
      },
      'GET /api/v1/incidents/:id': { own: () => ({ url: `/api/v1/incidents/${shared.incident}` }), foreign: foreignIncident() },
      'PATCH /api/v1/incidents/:id': {
        own: (a) => ({ url: `/api/v1/incidents/${of(a).patch}`, body: { version: 1, summary: '矩阵修改' } }),
        foreign: foreignIncident('', { version: 1, summary: '越权修改' }),
      },
      'POST /api/v1/incidents/:id/handle': { own: (a) => ({ url: `/api/v1/incidents/${of(a).handle}/handle`, body: { version: 1 } }), foreign: foreignIncident('/handle', { version: 1 }) },
      'POST /api/v1/incidents/:id/notes': { own: () => ({ url: `/api/v1/incidents/${shared.incident}/notes`, body: { note: '矩阵备注' } }), foreign: foreignIncident('/notes', { note: '越权' }) },
      'POST /api/v1/incidents/:id/close': {
        own: (a) => ({ url: `/api/v1/incidents/${of(a).close}/close`, body: { version: 1, result: '矩阵办结' } }),
        foreign: foreignIncident('/close', { version: 1, result: '越权' }),
      },
      'POST /api/v1/incidents/:id/reopen': {
        own: (a) => ({ url: `/api/v1/incidents/${of(a).reopen}/reopen`, body: { version: 1, reason: '矩阵重开' } }),
        foreign: foreignIncident('/reopen', { version: 1, reason: '越权' }),
      },
      'POST /api/v1/incidents/:id/links': {
        own: () => ({ url: `/api/v1/incidents/${shared.incident}/links`, body: { kind: 'case', ref: `MATRIX-CASE-${fx.next()}` } }),
        ownOk: [201],
        foreign: foreignIncident('/links', { kind: 'case', ref: 'X-1' }),
      },
      'DELETE /api/v1/incidents/:id/links/:linkId': {
        own: (a) => ({ url: `/api/v1/incidents/${of(a).link}/links/${of(a).linkId}` }),
        foreign: { sample: (a) => ({ url: `/api/v1/incidents/${fx.foreign.incidentId}/links/${of(a).linkId}` }), expect: [404] },
      },
      'POST /api/v1/incidents/:id/divert': {
        own: (a) => ({ url: `/api/v1/incidents/${of(a).divert}/divert`, body: { version: 1, departmentId: shared.minzheng, reason: '矩阵分流' } }),
        foreign: foreignIncident('/divert', { version: 1, departmentId: shared.minzheng, reason: '越权' }),
      },
      'GET /api/v1/incident-diversion-targets': { own: () => ({ url: '/api/v1/incident-diversion-targets' }), noLeak: true },
      'GET /api/v1/incident-diversions': { own: () => ({ url: '/api/v1/incident-diversions?pageSize=200' }), noLeak: true },
      // staff without a department (a chief, an officer) have no diversions to answer
      'POST /api/v1/incident-diversions/:id/answer': {
        own: (a) => ({ url: `/api/v1/incident-diversions/${of(a).diversion}/answer`, body: { status: 'accepted' } }),
        ownOk: [200, 404],
        foreign: { sample: () => ({ url: `/api/v1/incident-diversions/${fx.foreign.diversionId}/answer`, body: { status: 'accepted' } }), expect: [404] },
      },
      'POST /api/v1/incidents/intake': {
        own: (a) => ({
          url: '/api/v1/incidents/intake',
          body: { records: [{ externalNo: `MX110-${a.username}-${fx.next()}`, occurredAt: new Date(Date.now() - 60_000).toISOString(), categoryCode: 'za_fight', unitCode: a.orgUnitCode, summary: '矩阵110' }] },
        }),
        // a unit outside the jurisdiction is a per-record error, never stored
        foreign: {
          sample: (a) => ({
            url: '/api/v1/incidents/intake',
            body: { records: [{ externalNo: `MX110-F-${a.username}-${fx.next()}`, occurredAt: new Date().toISOString(), categoryCode: 'za_fight', unitCode: '371603001', summary: '越权110' }] },
          }),
          expect: [200],
        },
      },
      'POST /api/v1/incidents/from-source': {
        own: (a) => ({ url: '/api/v1/incidents/from-source', body: { kind: 'field_item', id: of(a).fieldItem } }),
        ownOk: [200, 201],
        foreign: { sample: () => ({ url: '/api/v1/incidents/from-source', body: { kind: 'field_item', id: fx.foreign.fieldItemId } }), expect: [404] },
      },
      'GET /api/v1/incidents/clearance': {
        own: () => ({ url: '/api/v1/incidents/clearance' }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/incidents/clearance?unitId=${fx.foreign.stationId}` }), expect: [404] },
      },
    };
  },
};
