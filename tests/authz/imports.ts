import { Readable } from 'node:stream';
import type { Actor, Fixtures, ModuleSpecs } from './types.js';
import type { RequestContext } from '../../src/server/platform/access/context.js';
import { staffPrincipal } from '../../src/server/platform/auth/principal.js';
import { startValidation, uploadImport } from '../../src/server/modules/imports/service.js';
import { importsRepository } from '../../src/server/modules/imports/repository.js';

/** An address file with one row: enough for a job of every state the specs need. */
const CSV = '网格编码,街路巷,门牌号\r\n371602005001001,矩阵导入路,1号\r\n';
/** For importers of 110 incidents only (the command centre): one 110 record. */
const INCIDENT_CSV = '接警单号,发生时间,警情类别,管辖单位代码,简要警情\r\nMXIMP-1,2026-01-02 10:00,za_fight,371602005,矩阵导入警情\r\n';
/** The kind an actor imports in the specs: addresses, or 110 incidents for those who may import only those. */
const kindOf = (a: { permissions: Set<string> }) => (a.permissions.has('registry.import') && a.permissions.has('address.manage') ? 'addresses' : a.permissions.has('incident.import') ? 'incidents' : 'addresses');
const CSV_HEADERS = { 'content-type': 'text/csv' };

interface Jobs {
  /** Uploaded: read, validated by the spec. */
  uploaded: string;
  /** Validated in the setup: committed by the spec. */
  validated: string;
  /** Uploaded: cancelled by the spec. */
  cancel: string;
}

const jobs = new Map<string, Jobs>();
const NONE = '00000000-0000-7000-8000-00000000f00d';
const of = (a: Actor): Jobs => jobs.get(a.username) ?? { uploaded: NONE, validated: NONE, cancel: NONE };

async function contextOf(fx: Fixtures, userId: string): Promise<RequestContext> {
  return { principal: await staffPrincipal(fx.t.deps, userId, 'matrix'), ip: '127.0.0.1' };
}

async function upload(fx: Fixtures, ctx: RequestContext, kind: 'addresses' | 'incidents' = 'addresses') {
  return (await uploadImport(fx.t.deps, ctx, { kind, fileName: 'matrix.csv', body: Readable.from([Buffer.from(kind === 'addresses' ? CSV : INCIDENT_CSV)]) })).id;
}

async function validated(fx: Fixtures, ctx: RequestContext, kind: 'addresses' | 'incidents' = 'addresses') {
  const id = await upload(fx, ctx, kind);
  await startValidation(fx.t.deps, ctx, id, undefined, () => fx.t.app.importRunner.kick());
  for (let i = 0; i < 200; i++) {
    const j = await importsRepository.jobById(fx.t.deps.db, id);
    if (j?.status === 'validated') return id;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('matrix import job did not validate');
}

/** Bulk import: templates, upload, dry run, commit, cancel, the report. */
export const importSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const foreign = await contextOf(fx, fx.foreign.userId);
    fx.foreign.importJobId = await upload(fx, foreign);
    fx.foreignIds.push(fx.foreign.importJobId);
    for (const a of actors) {
      const canAddresses = a.permissions.has('registry.import') && a.permissions.has('address.manage');
      if (!canAddresses && !a.permissions.has('incident.import')) continue;
      const ctx = await contextOf(fx, a.userId);
      const kind = kindOf(a);
      jobs.set(a.username, { uploaded: await upload(fx, ctx, kind), validated: await validated(fx, ctx, kind), cancel: await upload(fx, ctx, kind) });
    }
  },
  specs(fx) {
    const foreignJob = (suffix = '', body?: unknown) => ({ sample: () => ({ url: `/api/v1/imports/${fx.foreign.importJobId}${suffix}`, body }), expect: [404] });
    return {
      'GET /api/v1/imports/templates/:kind': { own: () => ({ url: '/api/v1/imports/templates/persons?format=csv' }) },
      'POST /api/v1/imports': {
        own: (a) => ({ url: `/api/v1/imports?kind=${kindOf(a)}&fileName=matrix.csv`, body: kindOf(a) === 'addresses' ? CSV : INCIDENT_CSV, headers: CSV_HEADERS }),
        ownOk: [201],
      },
      'GET /api/v1/imports': { own: () => ({ url: '/api/v1/imports?pageSize=200' }), noLeak: true },
      'GET /api/v1/imports/:id': { own: (a) => ({ url: `/api/v1/imports/${of(a).uploaded}` }), foreign: foreignJob() },
      'POST /api/v1/imports/:id/validate': {
        own: (a) => ({ url: `/api/v1/imports/${of(a).uploaded}/validate`, body: {} }),
        ownOk: [202],
        foreign: foreignJob('/validate', {}),
      },
      'POST /api/v1/imports/:id/commit': {
        own: (a) => ({ url: `/api/v1/imports/${of(a).validated}/commit`, body: {} }),
        ownOk: [202],
        foreign: foreignJob('/commit', {}),
      },
      'POST /api/v1/imports/:id/cancel': {
        own: (a) => ({ url: `/api/v1/imports/${of(a).cancel}/cancel`, body: {} }),
        foreign: foreignJob('/cancel', {}),
      },
      'GET /api/v1/imports/:id/issues': { own: (a) => ({ url: `/api/v1/imports/${of(a).uploaded}/issues` }), foreign: foreignJob('/issues') },
      'GET /api/v1/imports/:id/issues/export': { own: (a) => ({ url: `/api/v1/imports/${of(a).uploaded}/issues/export?format=csv` }), foreign: foreignJob('/issues/export?format=csv') },
    };
  },
};
