import type { Deps } from '../../deps.js';
import { notFound, validationError } from '../../platform/errors/index.js';
import { addressesRepository } from '../addresses/repository.js';
import { PLATE_KIND_NAMES } from '../addresses/rules.js';
import { presentSummary } from './articles.js';
import { presentService } from './catalogue.js';
import { presentOffice, type Office } from './offices.js';
import { servicesRepository as repo } from './repository.js';
import { haversineM } from './rules.js';

/**
 * What a plate shows to anyone who scans it (docs/api-portal.md, "Public"): the standard address, the
 * community officers and grid workers, the community police office and the station, nearby offices, the
 * services to book and the safety tips of the plate's units.
 */

type PlateRow = NonNullable<Awaited<ReturnType<typeof addressesRepository.plateByToken>>>;

export const UNKNOWN_PLATE = '未找到该门牌';

export const photoUrl = (userId: string) => `/api/v1/portal/staff/${userId}/photo`;

export interface StaffCard {
  id: string;
  name: string;
  policeNo: string | null;
  phone: string | null;
  photoUrl: string | null;
}

export interface PlateContext {
  token: string;
  state: 'active' | 'revoked';
  replaced: boolean;
  address: { name: string; fullText: string; code: string; kindName: string };
  officers: StaffCard[];
  gridWorkers: StaffCard[];
  office: Office | null;
  station: Office | null;
  emergency: '110';
}

async function plateOf(deps: Deps, token: string): Promise<PlateRow> {
  const p = token.length <= 128 ? await addressesRepository.plateByToken(deps.db, token) : undefined;
  if (!p) throw notFound(UNKNOWN_PLATE);
  return p;
}

const card = (u: { id: string; display_name: string; police_no: string | null; phone: string | null; has_photo: boolean }): StaffCard => ({
  id: u.id,
  name: u.display_name,
  policeNo: u.police_no,
  phone: u.phone,
  photoUrl: u.has_photo ? photoUrl(u.id) : null,
});

/** The community police office of the plate's community and the station above it (active ones). */
async function officesOf(deps: Deps, p: PlateRow) {
  if (!p.community_id) return { office: undefined, station: undefined };
  const community = await repo.unit(deps.db, p.community_id);
  const [office, station] = await Promise.all([
    repo.activeOfficeOn(deps.db, p.community_id, 'office'),
    community?.parent_id ? repo.activeOfficeOn(deps.db, community.parent_id, 'station') : Promise.resolve(undefined),
  ]);
  return { office, station };
}

/** The context of a plate row (the landing page builds on it too). */
export async function contextOf(deps: Deps, p: PlateRow, token: string, now = new Date()): Promise<PlateContext> {
  const [officers, gridWorkers, { office, station }] = await Promise.all([
    p.community_id ? repo.officers(deps.db, p.community_id) : Promise.resolve([]),
    repo.gridWorkers(deps.db, p.grid_id),
    officesOf(deps, p),
  ]);
  return {
    token,
    state: p.status === 'active' ? 'active' : 'revoked',
    replaced: !!p.replaced_by,
    address: { name: p.name, fullText: p.full_text, code: p.code, kindName: PLATE_KIND_NAMES[p.kind] },
    officers: officers.map(card),
    gridWorkers: gridWorkers.map(card),
    office: office ? presentOffice(office, now) : null,
    station: station ? presentOffice(station, now) : null,
    emergency: '110',
  };
}

export async function plateContext(deps: Deps, token: string): Promise<PlateContext> {
  return contextOf(deps, await plateOf(deps, token), token);
}

/** The county-level unit (分局) above the plate's grid; failing that, the top of its path. */
async function branchPath(deps: Deps, gridPath: string): Promise<string> {
  const units = await repo.unitsOnPath(deps.db, gridPath);
  const branch = units.find((u) => u.kind === 'branch');
  if (branch) return branch.path;
  const below = units.filter((u) => u.kind !== 'city_bureau').sort((a, b) => a.path.length - b.path.length)[0];
  return below?.path ?? gridPath;
}

export const MAX_NEARBY = 20;

/** Active offices of the plate's branch, nearest first (from the given point, else the address); unknown distances last. */
export async function nearbyOffices(deps: Deps, token: string, q: { lng?: number; lat?: number }) {
  if ((q.lng === undefined) !== (q.lat === undefined)) {
    throw validationError([{ field: q.lng === undefined ? 'lng' : 'lat', message: '经度和纬度须同时提供' }]);
  }
  const p = await plateOf(deps, token);
  let from: { lng: number; lat: number } | undefined;
  if (q.lng !== undefined && q.lat !== undefined) from = { lng: q.lng, lat: q.lat };
  else {
    const a = await repo.address(deps.db, p.address_id);
    if (a?.lng != null && a.lat != null) from = { lng: a.lng, lat: a.lat };
  }
  const offices = await repo.activeOfficesUnder(deps.db, await branchPath(deps, p.grid_path));
  const now = new Date();
  return offices
    .map((o) => ({ ...presentOffice(o, now), distanceM: from && o.lng != null && o.lat != null ? haversineM(from, { lng: o.lng, lat: o.lat }) : null }))
    .sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity))
    .slice(0, MAX_NEARBY);
}

/** Published safety tips of the plate's grid and every unit above it, newest first. */
export async function plateArticles(deps: Deps, token: string, paging: { limit: number; offset: number }) {
  const p = await plateOf(deps, token);
  const { rows, total } = await repo.publishedFor(deps.db, p.grid_path, paging.limit, paging.offset);
  return { items: rows.map(presentSummary), total };
}

/** Active services of the plate's community office, then of its station. */
export async function plateServices(deps: Deps, token: string) {
  const p = await plateOf(deps, token);
  const { office, station } = await officesOf(deps, p);
  const ids = [office?.id, station?.id].filter((x): x is string => !!x);
  return (await repo.activeServicesOf(deps.db, ids)).map(presentService);
}
