import { randomBytes } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import type { RequestContext } from '../../platform/access/context.js';
import { staffOf } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, DomainError, notFound, validationError } from '../../platform/errors/index.js';
import { addressesRepository as repo, type AddressRow } from './repository.js';
import { communityShortName, LEVEL_NAMES, PLATE_KIND_NAMES, PLATE_KIND_OF } from './rules.js';
import { findInScope, plateUrl, presentPlate } from './service.js';
import { printPage, scanPage, type PrintSize, type ScanView } from './html.js';
import { contextOf } from '../services/plate-context.js';

/** 18 random bytes: 144 bits, 24 base64url characters. */
export const newPlateToken = () => randomBytes(18).toString('base64url');

export const MAX_PRINT = 500;

/** Revokes the address's active plate (if any) and issues a new one, inside `trx`. */
async function issueIn(trx: Kysely<DB>, ctx: RequestContext, a: AddressRow, reason: string | null, via: 'api' | 'print') {
  const old = await repo.activePlate(trx, a.id);
  const id = uuidv7();
  if (old) await repo.revokePlate(trx, old.id, reason ?? '补发', null);
  await repo.insertPlate(trx, { id, address_id: a.id, kind: PLATE_KIND_OF[a.level], token: newPlateToken(), issued_by: staffOf(ctx).userId });
  if (old) await repo.setReplacedBy(trx, old.id, id);
  await recordAudit(trx, ctx, {
    action: 'plate.issue',
    subjectType: 'plate',
    subjectIds: old ? [id, old.id] : [id],
    subjectUnitId: a.grid_id,
    detail: { addressId: a.id, kind: PLATE_KIND_OF[a.level], via, ...(old ? { replaces: old.id, reason } : {}) },
  });
  return id;
}

/** Issues a plate for an address; when one is active this is a reissue: the old token is revoked (a reason is required). */
export async function issuePlate(deps: Deps, ctx: RequestContext, addressId: string, input: { reason?: string }) {
  const a = await findInScope(deps, ctx, addressId);
  if (a.status !== 'active') throw conflict('该地址已停用，不能制发门牌', 'addressId');
  const reason = input.reason?.trim() || null;
  const active = await repo.activePlate(deps.db, a.id);
  if (active && (!reason || reason.length < 2)) throw validationError([{ field: 'reason', message: '该地址已有有效门牌，补发须说明原因（如：门牌损坏、丢失）' }]);
  const id = await deps.db.transaction().execute((trx) => issueIn(trx, ctx, a, reason, 'api'));
  return presentPlate(deps, (await repo.plates(deps.db, a.id)).find((p) => p.id === id)!);
}

export async function revokePlate(deps: Deps, ctx: RequestContext, plateId: string, input: { reason: string }) {
  const p = await repo.plateInScope(deps.db, staffOf(ctx).scopePath, plateId);
  if (!p) throw notFound('门牌不存在或不在您的辖区内');
  const reason = input.reason.trim();
  if (reason.length < 2) throw validationError([{ field: 'reason', message: '请填写注销原因（至少 2 个字）' }]);
  if (p.status !== 'active') throw conflict('该门牌已注销', 'id');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.revokePlate(trx, p.id, reason, null))) throw conflict('该门牌已注销', 'id');
    await recordAudit(trx, ctx, { action: 'plate.revoke', subjectType: 'plate', subjectIds: [p.id], subjectUnitId: p.grid_id, detail: { addressId: p.address_id, reason } });
  });
  return presentPlate(deps, (await repo.plates(deps.db, p.address_id)).find((x) => x.id === p.id)!);
}

// ---------------------------------------------------------------------------------------------------
// Scanning

interface Scan {
  plate: NonNullable<Awaited<ReturnType<typeof repo.plateByToken>>>;
  officers: Array<{ name: string; phone: string | null }>;
  community: { name: string; contactPhone: string | null } | null;
  /** The caller is staff allowed to read addresses and the address lies in their scope. */
  inScope: boolean;
}

async function lookup(deps: Deps, ctx: RequestContext, token: string): Promise<Scan | undefined> {
  const plate = await repo.plateByToken(deps.db, token);
  if (!plate) return undefined;
  const officers = plate.community_id ? (await repo.communityOfficers(deps.db, plate.community_id)).map((o) => ({ name: o.display_name, phone: o.phone })) : [];
  const community = plate.community_name ? { name: communityShortName(plate.community_name), contactPhone: plate.community_phone } : null;
  const p = ctx.principal;
  const inScope = p?.kind === 'staff' && p.permissions.has('address.read') && plate.grid_path.startsWith(p.scopePath);
  if (p?.kind === 'staff') {
    // Staff scans are recorded; anonymous and resident scans reveal no personal data and are not. A plate
    // outside the scanner's jurisdiction is named only by what the plate itself shows (the address code),
    // so the scanner's audit trail carries no record ids from another jurisdiction.
    await recordAudit(deps.db, ctx, {
      action: 'plate.scan',
      subjectType: 'plate',
      subjectIds: inScope ? [plate.id] : [],
      subjectUnitId: plate.grid_id,
      detail: inScope ? { plateStatus: plate.status, inScope, addressId: plate.address_id } : { plateStatus: plate.status, inScope, code: plate.code },
    });
  }
  return { plate, officers, community, inScope };
}

function revokedDetail(s: Scan): string {
  const o = s.officers[0];
  const who = o ? `社区民警${o.name}${o.phone ? `（${o.phone}）` : ''}` : s.community?.contactPhone ? `${s.community.name}警务室（${s.community.contactPhone}）` : '社区民警';
  return `该门牌已${s.plate.replaced_by ? '被新门牌替换' : '注销'}，不再有效。请联系${who}核实地址信息。`;
}

/** `GET /api/v1/plates/{token}`: what a plate's QR code shows, for anyone. */
export async function scanPlate(deps: Deps, ctx: RequestContext, token: string) {
  const s = await lookup(deps, ctx, token);
  if (!s) throw notFound('未找到该门牌，二维码可能无效');
  if (s.plate.status !== 'active') {
    throw new DomainError('gone', 410, revokedDetail(s), undefined, {
      plateStatus: 'revoked',
      replaced: !!s.plate.replaced_by,
      community: s.community,
      officers: s.officers,
    });
  }
  return {
    status: 'active' as const,
    plate: { kind: s.plate.kind, kindName: PLATE_KIND_NAMES[s.plate.kind] },
    address: { code: s.plate.code, level: s.plate.level, levelName: LEVEL_NAMES[s.plate.level], name: s.plate.name, fullText: s.plate.full_text, status: s.plate.address_status },
    community: s.community,
    officers: s.officers,
    ...(s.inScope ? { addressId: s.plate.address_id } : {}),
  };
}

/**
 * `GET /q/{token}`: the phone page (the address, the community officers and grid workers, the police office
 * with its hours, the resident services of the plate), or a redirect into the console for staff whose scope
 * holds the address.
 */
export async function scanLanding(deps: Deps, ctx: RequestContext, token: string): Promise<{ redirect: string } | { status: number; html: string }> {
  const s = token.length <= 128 ? await lookup(deps, ctx, token) : undefined;
  if (!s) return { status: 404, html: scanPage({ state: 'unknown' }) };
  if (s.inScope) return { redirect: `/registry/addresses/${s.plate.address_id}` };
  const c = await contextOf(deps, s.plate, token);
  const view: ScanView = {
    state: c.state,
    token,
    replaced: c.replaced,
    address: c.address,
    officers: c.officers,
    gridWorkers: c.gridWorkers,
    office: c.office,
    station: c.station,
    community: s.community,
  };
  return { status: c.state === 'active' ? 200 : 410, html: scanPage(view) };
}

// ---------------------------------------------------------------------------------------------------
// Printing

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A print-ready page for the plates of the given addresses, in the given order. Addresses without an
 * active plate get one issued first (audited as `plate.issue` with `via: "print"`); an existing plate is
 * reprinted as it is, never reissued.
 */
export async function printPlates(deps: Deps, ctx: RequestContext, input: { addressIds: string; size: PrintSize }) {
  const ids = [...new Set(input.addressIds.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean))];
  if (!ids.length) throw validationError([{ field: 'addressIds', message: '请至少指定一个地址' }]);
  if (ids.length > MAX_PRINT) throw validationError([{ field: 'addressIds', message: `一次最多打印 ${MAX_PRINT} 个地址的门牌（本次 ${ids.length} 个），请分批打印` }]);
  const bad = ids.filter((x) => !UUID_RE.test(x));
  if (bad.length) throw validationError([{ field: 'addressIds', message: `地址编号格式不正确：${bad.slice(0, 3).join('、')}` }]);
  const rows = await repo.manyInScope(deps.db, staffOf(ctx).scopePath, ids);
  if (rows.length !== ids.length) throw notFound(`${ids.length - rows.length} 个地址不存在或不在您的辖区内`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered = ids.map((x) => byId.get(x)!);
  const inactive = ordered.filter((a) => a.status !== 'active');
  if (inactive.length) throw validationError([{ field: 'addressIds', message: `以下地址已停用，不能制作门牌：${inactive.slice(0, 5).map((a) => a.full_text).join('；')}${inactive.length > 5 ? ' 等' : ''}` }]);

  const existing = new Set((await repo.activePlates(deps.db, ids)).map((p) => p.address_id));
  const missing = ordered.filter((a) => !existing.has(a.id));
  if (missing.length) {
    await deps.db.transaction().execute(async (trx) => {
      for (const a of missing) if (!(await repo.activePlate(trx, a.id))) await issueIn(trx, ctx, a, null, 'print');
    });
  }
  const plates = new Map((await repo.activePlates(deps.db, ids)).map((p) => [p.address_id, p]));
  await recordAudit(deps.db, ctx, {
    action: 'plate.print',
    subjectType: 'plate',
    subjectIds: ordered.map((a) => plates.get(a.id)!.id),
    subjectUnitId: ordered[0].grid_id,
    detail: { size: input.size, count: ordered.length, issued: missing.length },
  });
  return printPage(
    ordered.map((a) => {
      const p = plates.get(a.id)!;
      return { name: a.name, fullText: a.full_text, code: a.code, kindName: PLATE_KIND_NAMES[p.kind], url: plateUrl(deps, p.token) };
    }),
    input.size,
  );
}
