import { validationError, type FieldError } from '../../../platform/errors/index.js';
import { addressesRepository } from '../../addresses/repository.js';
import { checkCoordinates, checkLevelPlacement, LEVEL_NAMES, normaliseName, type Level } from '../../addresses/rules.js';
import { createAddress, updateAddress } from '../../addresses/service.js';
import type { ColumnDef, RowValues } from '../cells.js';
import { importsRepository as repo } from '../repository.js';
import { commitRowByRow, rowErrors } from './row-by-row.js';
import type { ImportKindDef, JobEnv, ParsedRow, RowPlan } from './types.js';

/** The element columns, top to bottom, as one row spells an address out. */
const CHAIN: Level[] = ['road', 'village', 'group', 'door', 'compound', 'building', 'unit', 'floor', 'room'];

const columns: ColumnDef[] = [
  { field: 'gridCode', header: '网格编码', aliases: ['所属网格编码', '网格'], example: '371602005001001', note: '按地址层级逐级填写时必填（15 位网格编码）' },
  { field: 'road', header: '街路巷', aliases: ['街路巷名', '道路'], example: '黄河十二路', note: '城镇地址的第一级' },
  { field: 'village', header: '村', aliases: ['村名', '行政村'], example: '', note: '农村地址的第一级（与街路巷二选一）' },
  { field: 'group', header: '组', aliases: ['村民小组'], example: '', note: '' },
  { field: 'door', header: '门牌号', aliases: ['门牌'], example: '599号', note: '' },
  { field: 'compound', header: '小区/单位', aliases: ['小区', '小区名称', '单位'], example: '香园小区', note: '' },
  { field: 'building', header: '楼栋', aliases: ['楼号', '楼'], example: '3号楼', note: '' },
  { field: 'unit', header: '单元', example: '2单元', note: '' },
  { field: 'floor', header: '楼层', aliases: ['层'], example: '5层', note: '' },
  { field: 'room', header: '户室', aliases: ['室号', '房号'], example: '501室', note: '' },
  { field: 'lng', header: '经度', example: '117.9713', note: 'WGS-84 / CGCS2000，与纬度同时填写；写在最末一级地址上' },
  { field: 'lat', header: '纬度', example: '37.3835', note: '' },
  { field: 'code', header: '地址编码', aliases: ['标准地址编码'], example: '', note: '只修改已有地址的坐标时填写，此时不填各级名称' },
];

interface Element {
  level: Level;
  raw: string;
  key: string;
}

export interface AddressImport {
  code?: string;
  gridCode?: string;
  chain: Element[];
  lng?: number;
  lat?: number;
}

function parse(v: RowValues): AddressImport | undefined {
  const out: AddressImport = { chain: [] };
  out.code = v.text('code', { max: 40 });
  out.lng = v.number('lng');
  out.lat = v.number('lat');
  const ce = checkCoordinates(out.lng, out.lat);
  if (ce) v.fail(ce.field, ce.message);
  let parent: Level | null = null;
  for (const level of CHAIN) {
    const raw = v.text(level, { max: 40 });
    if (!raw) continue;
    const n = normaliseName(level, raw);
    if ('error' in n) {
      v.fail(level, n.error);
      continue;
    }
    const pe = checkLevelPlacement(level, parent);
    if (pe) v.fail(level, pe.message);
    out.chain.push({ level, raw, key: n.key });
    parent = level;
  }
  if (out.code) {
    if (out.chain.length) v.fail('code', '填写地址编码时不填各级名称（编码只用于修改已有地址的坐标）');
  } else {
    out.gridCode = v.text('gridCode', { max: 32 });
    if (!out.chain.length && !v.errors.length) v.fail('road', '请逐级填写地址（街路巷或村起），或填写已有地址的编码');
    else if (!out.gridCode) v.fail('gridCode', '请填写网格编码');
  }
  return v.errors.length ? undefined : out;
}

interface Match {
  gridId: string;
  /** Ids of the elements that exist, top down; the rest of the chain is created. */
  existing: string[];
  finest?: { id: string; lng: number | null; lat: number | null };
}

async function match(env: JobEnv, rows: ParsedRow<AddressImport>[]) {
  const db = env.deps.db;
  const byCode = new Map((await repo.addressesByCodes(db, rows.flatMap((r) => (r.value.code ? [r.value.code] : [])))).map((a) => [a.code, a]));
  const grids = new Map((await repo.orgUnitsByCodes(db, rows.flatMap((r) => (r.value.gridCode ? [r.value.gridCode] : [])))).map((g) => [g.code, g]));
  const siblings = new Map<string, Array<{ id: string; key: string }>>();
  const childrenOf = async (parentId: string | null, gridId: string, level: Level) => {
    const k = `${parentId ?? `grid:${gridId}`}|${level}`;
    let list = siblings.get(k);
    if (!list) {
      list = (await addressesRepository.siblingNames(db, parentId, gridId, level)).map((s) => {
        const n = normaliseName(level, s.name);
        return { id: s.id, key: 'error' in n ? s.name : n.key };
      });
      siblings.set(k, list);
    }
    return list;
  };
  const coordsDiffer = (a: { lng: number | null; lat: number | null }, p: AddressImport) => p.lng !== undefined && (a.lng !== p.lng || a.lat !== p.lat);
  const out: Array<{ rowNo: number; plan: RowPlan; match?: Match }> = [];
  for (const { rowNo, value: p } of rows) {
    const fail = (errors: FieldError[]) => out.push({ rowNo, plan: { rowNo, errors } });
    if (p.code) {
      const a = byCode.get(p.code);
      if (!a || !a.grid_path.startsWith(env.scopePath)) {
        fail([{ field: 'code', message: '地址编码不存在或不在您的辖区内' }]);
        continue;
      }
      const full = (await addressesRepository.inScope(db, env.scopePath, a.id))!;
      const finest = { id: full.id, lng: full.lng, lat: full.lat };
      out.push({ rowNo, plan: { rowNo, action: coordsDiffer(finest, p) ? 'update' : 'unchanged', recordId: a.id }, match: { gridId: a.grid_id, existing: [a.id], finest } });
      continue;
    }
    const grid = grids.get(p.gridCode!);
    if (!grid || grid.kind !== 'grid' || !grid.path.startsWith(env.scopePath)) {
      fail([{ field: 'gridCode', message: '网格编码不存在或不在您的辖区内' }]);
      continue;
    }
    if (grid.status !== 'active') {
      fail([{ field: 'gridCode', message: '该网格已停用' }]);
      continue;
    }
    const existing: string[] = [];
    let parentId: string | null = null;
    for (const el of p.chain) {
      const hit: { id: string; key: string } | undefined = (await childrenOf(parentId, grid.id, el.level)).find((s) => s.key === el.key);
      if (!hit) break;
      existing.push(hit.id);
      parentId = hit.id;
    }
    if (existing.length < p.chain.length) {
      out.push({ rowNo, plan: { rowNo, action: 'create' }, match: { gridId: grid.id, existing } });
      continue;
    }
    const full = (await addressesRepository.inScope(db, env.scopePath, existing.at(-1)!))!;
    const finest = { id: full.id, lng: full.lng, lat: full.lat };
    if (full.status !== 'active' && coordsDiffer(finest, p)) {
      fail([{ field: p.chain.at(-1)!.level, message: '该地址已停用，不能修改' }]);
      continue;
    }
    out.push({ rowNo, plan: { rowNo, action: coordsDiffer(finest, p) ? 'update' : 'unchanged', recordId: full.id }, match: { gridId: grid.id, existing, finest } });
  }
  return out;
}

/** Creates the missing elements top down (each through the addresses service: code, full text, audit) and sets the point. */
async function apply(env: JobEnv, row: ParsedRow<AddressImport>, m: Match): Promise<string> {
  const p = row.value;
  let parentId = m.existing.at(-1) ?? null;
  for (let i = m.existing.length; i < p.chain.length; i++) {
    const el = p.chain[i];
    const finest = i === p.chain.length - 1;
    try {
      const created = await createAddress(env.deps, env.ctx, {
        ...(parentId ? { parentId } : { gridId: m.gridId }),
        level: el.level,
        name: el.raw,
        ...(finest && p.lng !== undefined ? { lng: p.lng, lat: p.lat } : {}),
      });
      parentId = created.id;
    } catch (e) {
      throw validationError(rowErrors(e, el.level, { name: el.level, level: el.level, parentId: el.level, gridId: 'gridCode' }), `${LEVEL_NAMES[el.level]}无法建立`);
    }
  }
  if (m.finest && p.lng !== undefined) await updateAddress(env.deps, env.ctx, m.finest.id, { lng: p.lng, lat: p.lat });
  return parentId!;
}

export const addressesImport: ImportKindDef<AddressImport> = {
  kind: 'addresses',
  title: '标准地址',
  permission: 'address.manage',
  columns,
  parse,
  key: (p) => (p.code ? `code:${p.code}` : `${p.gridCode}|${p.chain.map((e) => `${e.level}:${e.key}`).join('|')}`),
  plan: async (env, rows) => (await match(env, rows)).map((m) => m.plan),
  commit: (env, rows, done) =>
    commitRowByRow<AddressImport, Match>(env, rows, done, (r) => match(env, r), (row, m) => apply(env, row, m), 'road', { lng: 'lng', lat: 'lat' }),
};
