import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { conflict, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { requirePurpose } from '../population/rules.js';
import { addressesRepository as repo, type AddressFilter, type AddressRow, type GridRow, type PlateRow } from './repository.js';
import {
  checkCoordinates,
  checkLevelPlacement,
  communityShortName,
  divisionText,
  LEVEL_NAMES,
  LEVELS,
  nextCode,
  normaliseName,
  PLATE_KIND_NAMES,
  prefixNames,
  searchKey,
  SERIAL_WIDTH,
  streetCodeOf,
  topFullText,
  type Level,
} from './rules.js';
import { combinedScore, elementScore, finestNames, MIN_SCORE, parseAddressQuery, TRIGRAM_THRESHOLD, type ChainElement } from './matching.js';

const NOT_FOUND = '地址不存在或不在您的辖区内';

export const present = (a: AddressRow & { child_count?: number | string | null }) => ({
  id: a.id,
  parentId: a.parent_id,
  level: a.level,
  levelName: LEVEL_NAMES[a.level],
  name: a.name,
  code: a.code,
  fullText: a.full_text,
  gridId: a.grid_id,
  countyCode: a.county_code.trim(),
  lng: a.lng,
  lat: a.lat,
  status: a.status,
  ...(a.child_count !== undefined ? { childCount: Number(a.child_count ?? 0) } : {}),
  createdAt: new Date(a.created_at).toISOString(),
  updatedAt: new Date(a.updated_at).toISOString(),
});

export const plateUrl = (deps: Deps, token: string) => `${deps.config.publicBaseUrl}/q/${token}`;

export const presentPlate = (deps: Deps, p: PlateRow) => ({
  id: p.id,
  addressId: p.address_id,
  kind: p.kind,
  kindName: PLATE_KIND_NAMES[p.kind],
  token: p.token,
  url: plateUrl(deps, p.token),
  status: p.status,
  issuedAt: new Date(p.issued_at).toISOString(),
  revokedAt: p.revoked_at ? new Date(p.revoked_at).toISOString() : null,
  revokedReason: p.revoked_reason,
  replacedBy: p.replaced_by,
});

/** An address inside the caller's scope, or 404. */
export async function findInScope(deps: Deps, ctx: RequestContext, id: string): Promise<AddressRow> {
  const a = await repo.inScope(deps.db, staffOf(ctx).scopePath, id);
  if (!a) throw notFound(NOT_FOUND);
  return a;
}

const pathIds = (path: string) => path.split('/').filter(Boolean);

export async function getAddress(deps: Deps, ctx: RequestContext, id: string) {
  const a = await findInScope(deps, ctx, id);
  const ancestorIds = pathIds(a.path).filter((x) => x !== a.id);
  const [ancestors, counts, plates, history] = await Promise.all([
    repo.elements(deps.db, ancestorIds),
    repo.childCounts(deps.db, a.id),
    repo.plates(deps.db, a.id),
    repo.history(deps.db, a.id),
  ]);
  const order = new Map(ancestorIds.map((x, i) => [x, i]));
  ancestors.sort((x, y) => order.get(x.id)! - order.get(y.id)!);
  const byLevel: Partial<Record<Level, number>> = {};
  let total = 0;
  let active = 0;
  for (const c of counts) {
    const n = Number(c.n);
    byLevel[c.level] = (byLevel[c.level] ?? 0) + n;
    total += n;
    if (c.status === 'active') active += n;
  }
  const activePlate = plates.find((p) => p.status === 'active');
  return {
    ...present(a),
    ancestors: ancestors.map((x) => ({ id: x.id, level: x.level, levelName: LEVEL_NAMES[x.level], name: x.name, code: x.code, status: x.status })),
    children: { total, active, byLevel },
    activePlate: activePlate ? presentPlate(deps, activePlate) : null,
    plates: plates.map((p) => presentPlate(deps, p)),
    statusHistory: history.map((h) => ({
      status: h.status,
      reason: h.reason,
      changedBy: h.changed_by ? { id: h.changed_by, name: h.changed_by_name ?? '系统' } : null,
      changedAt: new Date(h.changed_at).toISOString(),
    })),
  };
}

export interface ListFilter {
  gridId?: string;
  parentId?: string;
  level?: Level;
  status?: 'active' | 'inactive';
  q?: string;
}

/** The repository filter of a list request: `q` is a code prefix when it is only digits (≥ 9), else text. */
function addressFilter(scopePath: string, f: ListFilter): AddressFilter {
  const q = f.q ? searchKey(f.q) : undefined;
  const isCode = !!q && /^\d{9,}$/.test(q);
  return { scopePath, gridId: f.gridId, parentId: f.parentId, level: f.level, status: f.status, q: isCode ? undefined : q || undefined, codePrefix: isCode ? q : undefined };
}

export async function listAddresses(deps: Deps, ctx: RequestContext, f: ListFilter, paging: { limit: number; offset: number }) {
  const { rows, total } = await repo.page(deps.db, addressFilter(staffOf(ctx).scopePath, f), paging.limit, paging.offset);
  return { items: rows.map(present), total };
}

// ---- export ------------------------------------------------------------------------------------

export const ADDRESS_EXPORT_MAX_ROWS = 200_000;
const EXPORT_BATCH = 1_000;

export const ADDRESS_EXPORT_HEADER = ['地址编码', '标准地址', '层级', '名称', '所属社区', '所属网格', '经度', '纬度', '状态', '更新时间'];

const STATUS_NAMES = { active: '在用', inactive: '停用' } as const;
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
/** `YYYY-MM-DD HH:mm:ss` in China Standard Time, as a spreadsheet shows it. */
const cstDateTime = (d: Date | string) => new Date(new Date(d).getTime() + CST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');

/**
 * The address list for a spreadsheet: the list's filters and scope, with a stated purpose. Audited once
 * (`address.export`: purpose, filters, row count) before any row leaves; the rows are read in batches by
 * keyset on the code, and never more than the audited count.
 */
export async function exportAddresses(deps: Deps, ctx: RequestContext, f: ListFilter, purposeText: string | undefined) {
  const purpose = requirePurpose(purposeText, '导出标准地址');
  const scopePath = staffOf(ctx).scopePath;
  const filter = addressFilter(scopePath, f);
  // a grid or parent outside the jurisdiction matches nothing; its id stays out of this jurisdiction's audit trail
  const notInScope = [
    ...(f.gridId && !(await repo.gridInScope(deps.db, scopePath, f.gridId)) ? ['gridId'] : []),
    ...(f.parentId && !(await repo.inScope(deps.db, scopePath, f.parentId)) ? ['parentId'] : []),
  ];
  const total = notInScope.length ? 0 : await repo.count(deps.db, filter);
  if (total > ADDRESS_EXPORT_MAX_ROWS) {
    throw validationError([{ field: 'q', message: `符合条件的地址有 ${total} 条，超过单次导出上限 ${ADDRESS_EXPORT_MAX_ROWS} 条，请按网格、层级或关键字缩小范围` }]);
  }
  const filters = { gridId: f.gridId, parentId: f.parentId, level: f.level, status: f.status, q: f.q };
  for (const k of notInScope) delete filters[k as keyof typeof filters];
  await recordAudit(deps.db, ctx, {
    action: 'address.export',
    subjectType: 'address',
    purpose,
    detail: { filters, ...(notInScope.length ? { notInScope } : {}), rows: total },
  });
  type Batch = Awaited<ReturnType<typeof repo.exportBatch>>;
  const toRow = (a: Batch[number]) => [
    a.code,
    a.full_text,
    LEVEL_NAMES[a.level],
    a.name,
    a.community_name ?? '',
    a.grid_name,
    a.lng,
    a.lat,
    STATUS_NAMES[a.status],
    cstDateTime(a.updated_at),
  ];
  async function* rows() {
    let after: string | undefined;
    let sent = 0;
    while (sent < total) {
      const batch = await repo.exportBatch(deps.db, filter, after, Math.min(EXPORT_BATCH, total - sent));
      if (batch.length === 0) return;
      yield batch.map(toRow);
      sent += batch.length;
      after = batch[batch.length - 1].code;
    }
  }
  return { total, rows: rows() };
}

// ---- grids -------------------------------------------------------------------------------------

/** Grids inside the caller's jurisdiction with their community (for address pickers; no org.read needed). */
export async function listGrids(deps: Deps, ctx: RequestContext, f: { q?: string; status?: 'active' | 'inactive' }, paging: { limit: number; offset: number }) {
  const { rows, total } = await repo.gridPage(deps.db, { scopePath: staffOf(ctx).scopePath, q: f.q, status: f.status }, paging.limit, paging.offset);
  return {
    items: rows.map((g) => ({
      id: g.id,
      code: g.code,
      name: g.name,
      status: g.status,
      community: g.community_id ? { id: g.community_id, name: g.community_name } : null,
    })),
    total,
  };
}

export async function listChildren(deps: Deps, ctx: RequestContext, id: string, paging: { limit: number; offset: number }) {
  const a = await findInScope(deps, ctx, id);
  const { rows, total } = await repo.page(deps.db, { scopePath: staffOf(ctx).scopePath, parentId: a.id }, paging.limit, paging.offset);
  return { items: rows.map(present), total };
}

function nameOrThrow(level: Level, raw: string) {
  const n = normaliseName(level, raw);
  if ('error' in n) throw validationError([{ field: 'name', message: n.error }]);
  return n;
}

/** Serial allocation and sibling checks are serialised per parent, or per street for top-level elements. */
const serialLockKey = (parent: Pick<AddressRow, 'id'> | null, gridCode: string) => (parent ? parent.id : `street:${streetCodeOf(gridCode)}`);

/** 409 when a sibling of the same level already has the same key (3号楼 and 3栋 are the same building). */
async function checkDuplicate(db: Kysely<DB>, parentId: string | null, gridId: string, level: Level, key: string, selfId?: string) {
  const siblings = await repo.siblingNames(db, parentId, gridId, level);
  const dup = siblings.find((s) => {
    if (s.id === selfId) return false;
    const n = normaliseName(level, s.name);
    return ('error' in n ? s.name : n.key) === key;
  });
  if (dup) throw conflict(`${parentId ? '同一上级地址' : '同一网格'}下已有「${dup.name}」`, 'name');
}

export interface CreateAddressInput {
  parentId?: string;
  gridId?: string;
  level: Level;
  name: string;
  lng?: number;
  lat?: number;
}

export async function createAddress(deps: Deps, ctx: RequestContext, input: CreateAddressInput) {
  const scope = staffOf(ctx).scopePath;
  const errors: FieldError[] = [];
  if (input.parentId && input.gridId) errors.push({ field: 'gridId', message: '只能指定上级地址（parentId）或网格（gridId）之一' });
  if (!input.parentId && !input.gridId) errors.push({ field: 'parentId', message: '须指定上级地址（parentId），街路巷和村须指定网格（gridId）' });
  if (!LEVELS.includes(input.level)) errors.push({ field: 'level', message: '地址层级无效' });
  const ce = checkCoordinates(input.lng, input.lat);
  if (ce) errors.push(ce);
  if (errors.length) throw validationError(errors);

  let parent: AddressRow | undefined;
  let grid: GridRow | undefined;
  if (input.parentId) {
    parent = await repo.inScope(deps.db, scope, input.parentId);
    if (!parent) throw validationError([{ field: 'parentId', message: '上级地址不存在或不在您的辖区内' }]);
    if (parent.status !== 'active') throw validationError([{ field: 'parentId', message: `上级地址「${parent.name}」已停用，不能在其下新建地址` }]);
  } else {
    grid = await repo.gridInScope(deps.db, scope, input.gridId!);
    if (!grid) throw validationError([{ field: 'gridId', message: '网格不存在或不在您的辖区内' }]);
    if (grid.status !== 'active') throw validationError([{ field: 'gridId', message: '该网格已停用' }]);
  }
  const pe = checkLevelPlacement(input.level, parent?.level ?? null);
  if (pe) throw validationError([pe]);
  const { name, key } = nameOrThrow(input.level, input.name);
  const gridId = parent?.grid_id ?? grid!.id;

  const id = uuidv7();
  await deps.db.transaction().execute(async (trx) => {
    // one writer per parent (or per street at the top): serials and the duplicate check cannot race
    await repo.lockSerials(trx, serialLockKey(parent ?? null, grid?.code ?? ''));
    await checkDuplicate(trx, parent?.id ?? null, gridId, input.level, key);
    let code: string | { error: string };
    let fullText: string;
    if (parent) {
      // the parent as committed now, kept from renames and deactivation until this commits
      const locked = await repo.lockForShare(trx, parent.id);
      if (locked.status !== 'active') throw validationError([{ field: 'parentId', message: `上级地址「${parent.name}」已停用，不能在其下新建地址` }]);
      code = nextCode(parent.code, SERIAL_WIDTH[parent.level], await repo.maxChildCode(trx, parent.id));
      fullText = locked.full_text + name;
    } else {
      const street = streetCodeOf(grid!.code);
      code = nextCode(street, SERIAL_WIDTH.street, await repo.maxTopCode(trx, street));
      fullText = topFullText(divisionText(grid!.code, grid!.county_code), communityShortName(grid!.community_name ?? ''), name);
    }
    if (typeof code !== 'string') throw conflict(code.error);
    await repo.insert(trx, {
      id,
      parent_id: parent?.id ?? null,
      level: input.level,
      name,
      code,
      full_text: fullText,
      search_text: searchKey(fullText),
      grid_id: gridId,
      county_code: parent?.county_code ?? (grid!.county_code ?? grid!.code.slice(0, 6)),
      path: `${parent?.path ?? '/'}${id}/`,
      lng: input.lng ?? null,
      lat: input.lat ?? null,
      status: 'active',
    });
    await repo.insertHistory(trx, { id: uuidv7(), address_id: id, status: 'active', reason: '新建', changed_by: staffOf(ctx).userId });
    await recordAudit(trx, ctx, {
      action: 'address.create',
      subjectType: 'address',
      subjectIds: [id],
      subjectUnitId: gridId,
      detail: { level: input.level, name, code, parentId: parent?.id ?? null },
    });
  });
  return getAddress(deps, ctx, id);
}

export async function updateAddress(deps: Deps, ctx: RequestContext, id: string, patch: { name?: string; lng?: number; lat?: number }) {
  const a = await findInScope(deps, ctx, id);
  if (patch.lng !== undefined || patch.lat !== undefined) {
    const ce = checkCoordinates(patch.lng === undefined ? a.lng : patch.lng, patch.lat === undefined ? a.lat : patch.lat);
    if (ce) throw validationError([ce]);
  }
  const renamed = patch.name !== undefined ? nameOrThrow(a.level, patch.name) : undefined;
  const rename = renamed && renamed.name !== a.name ? renamed : undefined;
  const gridCode = rename && !a.parent_id ? (await repo.grid(deps.db, a.grid_id))!.code : '';

  await deps.db.transaction().execute(async (trx) => {
    let descendants = 0;
    let full: { oldFull: string; newFull: string; oldSearch: string; newSearch: string } | undefined;
    if (rename) {
      await repo.lockSerials(trx, serialLockKey(a.parent_id ? { id: a.parent_id } : null, gridCode));
      await checkDuplicate(trx, a.parent_id, a.grid_id, a.level, rename.key, a.id);
      // the chain from the top down to this element, locked in one order, read as committed now
      const chain = await repo.lockForUpdate(trx, pathIds(a.path));
      const self = chain.find((x) => x.id === a.id)!;
      const parent = a.parent_id ? chain.find((x) => x.id === a.parent_id)! : undefined;
      let newFull: string;
      if (parent) newFull = parent.full_text + rename.name;
      else {
        const grid = (await repo.grid(trx, a.grid_id))!;
        newFull = topFullText(divisionText(grid.code, grid.county_code), communityShortName(grid.community_name ?? ''), rename.name);
      }
      full = { oldFull: self.full_text, newFull, oldSearch: self.search_text, newSearch: searchKey(newFull) };
    }
    await repo.update(trx, id, {
      ...(rename && full ? { name: rename.name, full_text: full.newFull, search_text: full.newSearch } : {}),
      ...(patch.lng !== undefined ? { lng: patch.lng } : {}),
      ...(patch.lat !== undefined ? { lat: patch.lat } : {}),
    });
    if (full) descendants = await repo.rewriteDescendantTexts(trx, { path: a.path, ...full });
    await recordAudit(trx, ctx, {
      action: 'address.update',
      subjectType: 'address',
      subjectIds: [id],
      subjectUnitId: a.grid_id,
      detail: { fields: Object.keys(patch), ...(rename ? { from: a.name, to: rename.name, descendantsUpdated: descendants } : {}) },
    });
  });
  return getAddress(deps, ctx, id);
}

export async function setStatus(deps: Deps, ctx: RequestContext, id: string, input: { status: 'active' | 'inactive'; reason: string }) {
  const a = await findInScope(deps, ctx, id);
  const reason = input.reason.trim();
  if (reason.length < 2) throw validationError([{ field: 'reason', message: '请填写变更原因（至少 2 个字）' }]);
  await deps.db.transaction().execute(async (trx) => {
    // the parent and this address, locked coarse to fine like a rename does: no child can be created
    // or revived below this address, and the parent cannot change, until this commits
    const locked = await repo.lockForUpdate(trx, a.parent_id ? [a.parent_id, a.id] : [a.id]);
    const self = locked.find((x) => x.id === a.id)!;
    if (self.status === input.status) throw conflict(`该地址已是「${input.status === 'active' ? '在用' : '停用'}」状态`, 'status');
    if (input.status === 'inactive') {
      const active = await repo.activeChildren(trx, a.id);
      if (active.length) {
        throw conflict(`该地址下还有在用的下级地址（${active.map((c) => c.name).join('、')}${active.length >= 3 ? '等' : ''}），请先停用下级地址`, 'status');
      }
    } else if (a.parent_id) {
      const parent = locked.find((x) => x.id === a.parent_id)!;
      if (parent.status !== 'active') throw conflict(`上级地址「${parent.name}」已停用，请先启用上级地址`, 'status');
    }
    await repo.update(trx, id, { status: input.status });
    await repo.insertHistory(trx, { id: uuidv7(), address_id: id, status: input.status, reason, changed_by: staffOf(ctx).userId });
    await recordAudit(trx, ctx, {
      action: 'address.status',
      subjectType: 'address',
      subjectIds: [id],
      subjectUnitId: a.grid_id,
      detail: { from: self.status, to: input.status, reason },
    });
    // a plate on an address that is no longer in use must not keep presenting it as valid
    const plate = input.status === 'inactive' ? await repo.activePlate(trx, a.id) : undefined;
    if (plate && (await repo.revokePlate(trx, plate.id, `地址停用：${reason}`, null))) {
      await recordAudit(trx, ctx, { action: 'plate.revoke', subjectType: 'plate', subjectIds: [plate.id], subjectUnitId: a.grid_id, detail: { addressId: id, reason: `地址停用：${reason}` } });
    }
  });
  return getAddress(deps, ctx, id);
}

/** Names that may open a free-text query in this scope (divisions and communities of its grids). */
async function scopePrefixes(deps: Deps, scopePath: string): Promise<string[]> {
  const grids = await repo.gridsInScope(deps.db, scopePath);
  const set = new Set<string>();
  for (const g of grids) for (const n of prefixNames(g.code, g.county_code, g.community_name ?? '')) set.add(n);
  return [...set].sort((x, y) => y.length - x.length);
}

const CANDIDATES = 200;

/**
 * Best standard addresses in scope for a free-text address. score = 0.7·E + 0.3·T where E is the share
 * of the query's elements found in the candidate's chain (penalised by elements the candidate has below
 * the deepest match) and T the pg_trgm word similarity of the query to the candidate's search key.
 */
export async function matchAddresses(deps: Deps, ctx: RequestContext, input: { text: string; limit?: number }) {
  const scope = staffOf(ctx).scopePath;
  const limit = input.limit ?? 5;
  const parsed = parseAddressQuery(input.text, await scopePrefixes(deps, scope));
  const q = searchKey(parsed.text);
  const query = { text: parsed.text, elements: parsed.elements.map((e) => ({ level: e.level, levelName: LEVEL_NAMES[e.level], text: e.text })) };
  if (q.length < 2) return { query, items: [] };
  const candidates = await deps.db.transaction().execute((trx) => repo.matchCandidates(trx, scope, q, TRIGRAM_THRESHOLD, finestNames(parsed.elements), CANDIDATES));
  const ancestorIds = [...new Set(candidates.flatMap((c) => pathIds(c.path)))];
  const byId = new Map((await repo.elements(deps.db, ancestorIds)).map((x) => [x.id, x]));
  const scored = candidates.map((c) => {
    const chain: ChainElement[] = pathIds(c.path).map((x) => byId.get(x)!).filter(Boolean).map((x) => ({ level: x.level, name: x.name }));
    const es = elementScore(parsed.elements, chain);
    const t = Math.round(Number(c.t) * 1000) / 1000;
    return { row: c, es, t, s: Number(c.s), score: combinedScore(es, t, parsed.elements.length > 0) };
  });
  scored.sort((x, y) => y.score - x.score || y.t - x.t || y.s - x.s || x.row.code.localeCompare(y.row.code));
  return {
    query,
    items: scored
      .filter((x) => x.score >= MIN_SCORE)
      .slice(0, limit)
      .map((x) => ({
        ...present(x.row),
        score: x.score,
        explain: { elements: parsed.elements.length, matched: x.es.matched, extra: x.es.extra, e: Math.round(x.es.e * 1000) / 1000, t: x.t },
      })),
  };
}
