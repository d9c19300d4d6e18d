import { randomBytes } from 'node:crypto';
import type { Deps } from '../server/deps.js';
import { systemContext } from '../server/platform/access/context.js';
import { PERMISSIONS } from '../server/platform/access/permissions.js';
import { recordAudit } from '../server/platform/audit/service.js';
import { blindIndex, encryptField } from '../server/platform/crypto/fields.js';
import { computeCreditCheckChar, computeIdCheckChar, computeOrgCodeCheckChar, parseIdNumber } from '../server/platform/ids/index.js';
import { countiesOfCity, fullName } from '../server/platform/divisions/index.js';
import { communityShortName, divisionText, normaliseName, PLATE_KIND_OF, SERIAL_WIDTH, searchKey, streetCodeOf, topFullText, type Level } from '../server/modules/addresses/rules.js';
import { nameKeys, nextEndorsement, type NameKeys } from '../server/modules/population/rules.js';
import { ID_DOMAIN } from '../server/modules/population/service.js';
import { BULK_ORDER, bulkRepository as bulk, type BulkTable, type Cell, type GridInfo } from './bulk-repository.js';
import { DEMO_COUNTY } from './district.js';
import * as N from './names.js';

/**
 * The demo registry (一标三实): standard addresses with plates, housing, people, units and employments for
 * every grid of the demo county, scaled to a number of people and fully determined by a seed.
 *
 * Determinism: every content field (names, codes, texts, ID numbers and their blind indexes, dates, phones,
 * coordinates) and every row id follows from the seed — ids are UUIDv7-shaped strings drawn from their own
 * generator. Not deterministic by design: id_cipher (AES-GCM with a random IV) and plate tokens (secrets,
 * 144 random bits each), and the created_at/updated_at timestamps.
 *
 * Generation streams grid by grid and room by room; rows are flushed in multi-row INSERTs of about a
 * thousand, one transaction per flush, so memory stays flat whatever the number of people (apart from one
 * set of numbers that keeps the ID numbers unique).
 */

export const DEMO_REGISTRY_SEED = 20261122;
export const DEMO_REGISTRY_PEOPLE = 5000;
/** The "today" of the generated data: fixed so a seed gives the same rows on any day. */
export const REGISTRY_REFERENCE_DATE = '2026-11-01';

// ---- seeded generator ----------------------------------------------------------------------------------

/** sfc32 seeded through splitmix32: small, fast, good enough for test data. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    let s = seed >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  next(): number {
    return this.u32() / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
}

/** A weighted table, sampled by one draw. */
class Weighted<T> {
  private readonly cum: number[] = [];
  private readonly total: number;
  constructor(private readonly items: ReadonlyArray<readonly [T, number]>) {
    let t = 0;
    for (const [, w] of items) this.cum.push((t += w));
    this.total = t;
  }
  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo][0];
  }
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
const ID_BASE_MS = Date.UTC(2026, 0, 1);

/** UUIDv7-shaped ids: a millisecond-like counter in the time field (unique, ordered), the rest from the generator. */
class IdSource {
  private n = 0;
  constructor(private readonly rng: Rng) {}
  next(): string {
    const ts = hex(ID_BASE_MS + this.n++, 12);
    const r1 = this.rng.u32();
    const r2 = this.rng.u32();
    const r3 = this.rng.u32();
    return `${ts.slice(0, 8)}-${ts.slice(8)}-7${hex(r1 & 0xfff, 3)}-${hex(0x8000 | ((r1 >>> 12) & 0x3fff), 4)}-${hex(r2 & 0xffff, 4)}${hex(r3, 8)}`;
  }
}

// ---- dates ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const dayOf = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY);
const dateOf = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);
const REF_DAY = dayOf(REGISTRY_REFERENCE_DATE);
const YEAR = 365.25;

// ---- options and result -------------------------------------------------------------------------------

export interface RegistryProgress {
  done: number;
  total: number;
}

export interface RegistryOptions {
  people?: number;
  seed?: number;
  onProgress?: (p: RegistryProgress) => void;
  /** Rows per INSERT (default 1,000). */
  batchSize?: number;
}

export interface RegistryResult {
  people: number;
  addresses: number;
  plates: number;
  housing: number;
  residences: number;
  units: number;
  employments: number;
  floating: number;
  ms: number;
}

// ---- the loader ---------------------------------------------------------------------------------------

interface Addr {
  id: string;
  code: string;
  fullText: string;
  path: string;
  level: Level;
  /** next child serial */
  serial: number;
}

interface Person {
  id: string;
  name: string;
  surname: string;
  sex: 'M' | 'F';
  birthDay: number;
  phone: string | null;
}

const ROLES = ['职员', '店员', '经理', '会计', '保洁员', '厨师', '快递员', '司机', '保安', '技术员'];
const BUILDING_FLOORS = [6, 6, 6, 7, 11, 18];

/** Loads the registry into a database that already holds the demo district's org tree. */
export async function seedDemoRegistry(deps: Deps, opts: RegistryOptions = {}): Promise<RegistryResult> {
  const started = Date.now();
  const total = Math.max(0, Math.floor(opts.people ?? DEMO_REGISTRY_PEOPLE));
  const seed = opts.seed ?? DEMO_REGISTRY_SEED;
  const batchSize = opts.batchSize ?? 1000;
  const rng = new Rng(seed);
  const ids = new IdSource(new Rng(seed ^ 0x5bd1e995));
  const dataKey = deps.config.keys.data;
  const indexKey = deps.config.keys.index;

  const grids = await bulk.gridsOfCounty(deps.db, DEMO_COUNTY);
  if (!grids.length) throw new Error(`辖区 ${DEMO_COUNTY} 下没有网格：请先创建演示辖区`);
  const counts: RegistryResult = { people: 0, addresses: 0, plates: 0, housing: 0, residences: 0, units: 0, employments: 0, floating: 0, ms: 0 };

  // ---- buffered writer ----
  const buffers = Object.fromEntries(BULK_ORDER.map((t) => [t, [] as Cell[][]])) as Record<BulkTable, Cell[][]>;
  let buffered = 0;
  const tokens = { pool: Buffer.alloc(0), at: 0 };
  const token = () => {
    if (tokens.at + 18 > tokens.pool.length) {
      tokens.pool = randomBytes(18 * 4096);
      tokens.at = 0;
    }
    const t = tokens.pool.subarray(tokens.at, tokens.at + 18).toString('base64url');
    tokens.at += 18;
    return t;
  };
  const push = (t: BulkTable, row: Cell[]) => {
    buffers[t].push(row);
    buffered++;
  };
  const flush = async () => {
    if (!buffered) return;
    await deps.db.transaction().execute(async (trx) => {
      for (const t of BULK_ORDER) {
        const rows = buffers[t];
        for (let i = 0; i < rows.length; i += batchSize) await bulk.insert(trx, t, rows.slice(i, i + batchSize));
        buffers[t] = [];
      }
    });
    buffered = 0;
    opts.onProgress?.({ done: counts.people, total });
  };
  const maybeFlush = async () => {
    if (buffered >= batchSize * 4) await flush();
  };

  // ---- name and number helpers ----
  const surnames = new Weighted(N.SURNAMES);
  const ethnicities = new Weighted(N.ETHNICITIES);
  const keyCache = new Map<string, NameKeys>();
  const keysOf = (name: string) => {
    let k = keyCache.get(name);
    if (!k) {
      k = nameKeys(name);
      if (keyCache.size < 200_000) keyCache.set(name, k);
    }
    return k;
  };
  const normCache = new Map<string, string>();
  const norm = (level: Level, raw: string) => {
    const key = `${level}:${raw}`;
    let v = normCache.get(key);
    if (v === undefined) {
      const n = normaliseName(level, raw);
      if ('error' in n) throw new Error(`demo address name ${raw} (${level}): ${n.error}`);
      v = n.name;
      if (normCache.size < 50_000) normCache.set(key, v);
    }
    return v;
  };
  const givenName = (sex: 'M' | 'F') => {
    const pool = sex === 'M' ? N.GIVEN_MALE : N.GIVEN_FEMALE;
    const first = rng.chance(0.25) ? rng.pick(N.GIVEN_NEUTRAL) : rng.pick(pool);
    return rng.chance(0.3) ? first : first + rng.pick(pool);
  };
  const phone = () => `1${rng.pick(['3', '5', '8', '8', '3', '7', '9', '6', '5', '3'])}${String(rng.int(1e9)).padStart(9, '0')}`;

  const binzhou = countiesOfCity('3716').map((c) => c.code).filter((c) => c !== DEMO_COUNTY);
  const shandong = ['3701', '3702', '3703', '3705', '3706', '3707', '3713', '3714', '3715'].flatMap((c) => countiesOfCity(c).map((x) => x.code));
  const otherProvinces = ['1301', '1306', '1309', '1401', '2101', '2301', '3201', '3203', '3401', '3412', '4101', '4109', '4114', '4201', '5101', '6101'].flatMap((c) =>
    countiesOfCity(c).map((x) => x.code),
  );
  const localRegion = () => (rng.chance(0.7) ? DEMO_COUNTY : binzhou.length ? rng.pick(binzhou) : DEMO_COUNTY);
  const floatingRegion = () => (rng.chance(0.75) && otherProvinces.length ? rng.pick(otherProvinces) : rng.pick(shandong.length ? shandong : [DEMO_COUNTY]));

  const usedIds = new Set<number>();
  const regionIndex = new Map<string, number>();
  const idNumber = (region: string, birthDay: number, sex: 'M' | 'F') => {
    let ri = regionIndex.get(region);
    if (ri === undefined) regionIndex.set(region, (ri = regionIndex.size));
    const birth = dateOf(birthDay).replace(/-/g, '');
    for (;;) {
      let seq = rng.int(500) * 2 + (sex === 'M' ? 1 : 0);
      if (seq === 0) seq = 2;
      const key = (ri * 100_000 + (birthDay + 30_000)) * 1000 + seq;
      if (usedIds.has(key)) continue;
      usedIds.add(key);
      const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
      return first17 + computeIdCheckChar(first17);
    }
  };

  const ctx = systemContext(Object.keys(PERMISSIONS));
  let creditSerial = 0;
  const creditCode = (authority: string) => {
    // organisation code body: MA + six characters from the serial (unique), check character per GB 11714
    const ALPH = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    let n = ++creditSerial * 7919 + (seed % 1000);
    let body = '';
    for (let i = 0; i < 6; i++) {
      body = ALPH[n % 31] + body;
      n = Math.floor(n / 31);
    }
    const org8 = `MA${body}`;
    const first17 = `${authority}${DEMO_COUNTY}${org8}${computeOrgCodeCheckChar(org8)}`;
    return first17 + computeCreditCheckChar(first17);
  };

  /** A person row and its current residence. */
  const addPerson = (
    grid: GridInfo,
    p: { name: string; surname: string; sex: 'M' | 'F'; birthDay: number; region: string; floating: boolean; hukou: string },
    residence: { addressId: string; relation: string; fromDay: number },
  ): Person => {
    const id = ids.next();
    const number = idNumber(p.region, p.birthDay, p.sex);
    const parsed = parseIdNumber(number, { today: REGISTRY_REFERENCE_DATE });
    if (!parsed.ok) throw new Error(`generated ID number failed validation: ${parsed.message}`);
    const info = parsed.value;
    const keys = keysOf(p.name);
    const ph = rng.chance(0.9) && p.birthDay < REF_DAY - 12 * YEAR ? phone() : null;
    let floatingOn: string | null = null;
    let stayUntil: string | null = null;
    let permit: string | null = null;
    let endorsement: string | null = null;
    if (p.floating) {
      const regDay = Math.min(REF_DAY, residence.fromDay + rng.int(30));
      floatingOn = dateOf(regDay);
      stayUntil = dateOf(regDay + rng.range(180, 1100));
      if (rng.chance(0.4)) {
        permit = dateOf(Math.min(REF_DAY, regDay + rng.int(180)));
        endorsement = nextEndorsement(permit, REGISTRY_REFERENCE_DATE).anniversary;
      }
      counts.floating++;
    }
    push('persons', [
      id, encryptField(dataKey, info.normalized), blindIndex(indexKey, ID_DOMAIN, info.normalized), 'resident_id', false, info.last4, info.birthDate, info.sex,
      info.regionCode, p.name, keys.pinyin, keys.initials, keys.pinyinAlt, keys.initialsAlt, ethnicities.pick(rng), ph, p.hukou,
      p.floating ? 'floating' : 'registered', floatingOn, stayUntil, permit, endorsement, grid.id, DEMO_COUNTY,
    ]);
    push('residences', [ids.next(), id, residence.addressId, residence.relation, dateOf(Math.max(residence.fromDay, p.birthDay)), null, 'demo']);
    counts.people++;
    counts.residences++;
    return { id, name: p.name, surname: p.surname, sex: p.sex, birthDay: p.birthDay, phone: ph };
  };

  const perGrid = grids.map((_, i) => Math.floor(total / grids.length) + (i < total % grids.length ? 1 : 0));
  const topSerials = new Map<string, number>();
  for (const street of new Set(grids.map((g) => streetCodeOf(g.code)))) {
    const max = await bulk.maxTopCode(deps.db, street);
    topSerials.set(street, max ? Number(max.slice(street.length)) : 0);
  }
  let specialIndex = 0;

  for (const [gi, grid] of grids.entries()) {
    const gridPeople = perGrid[gi];
    if (!gridPeople) continue;
    const ring = (grid.boundary as { coordinates?: number[][][] } | null)?.coordinates?.[0] ?? [[117.9, 37.33], [117.94, 37.39]];
    const xs = ring.map((c) => c[0]);
    const ys = ring.map((c) => c[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const point = (cx?: number, cy?: number, spread = 0.002): [number, number] => {
      const mx = (x1 - x0) * 0.02;
      const my = (y1 - y0) * 0.02;
      const px = cx === undefined ? x0 + mx + rng.next() * (x1 - x0 - 2 * mx) : Math.min(x1 - mx, Math.max(x0 + mx, cx + (rng.next() - 0.5) * spread));
      const py = cy === undefined ? y0 + my + rng.next() * (y1 - y0 - 2 * my) : Math.min(y1 - my, Math.max(y0 + my, cy + (rng.next() - 0.5) * spread));
      return [Math.round(px * 1e6) / 1e6, Math.round(py * 1e6) / 1e6];
    };
    const street = streetCodeOf(grid.code);
    const division = divisionText(grid.code, grid.county_code);
    const community = communityShortName(grid.community_name ?? '');

    const addAddress = (parent: Addr | null, level: Level, raw: string, at: [number, number], plate: boolean): Addr => {
      const id = ids.next();
      const name = norm(level, raw);
      let code: string;
      let fullText: string;
      if (parent) {
        code = parent.code + String(++parent.serial).padStart(SERIAL_WIDTH[parent.level], '0');
        fullText = parent.fullText + name;
      } else {
        const s = topSerials.get(street)! + 1;
        topSerials.set(street, s);
        code = street + String(s).padStart(SERIAL_WIDTH.street, '0');
        fullText = topFullText(division, community, name);
      }
      const path = `${parent?.path ?? '/'}${id}/`;
      push('addresses', [id, parent?.id ?? null, level, name, code, fullText, searchKey(fullText), grid.id, grid.county_code ?? DEMO_COUNTY, path, at[0], at[1], 'active']);
      push('address_status_history', [ids.next(), id, 'active', '新建', null]);
      counts.addresses++;
      if (plate) {
        push('plates', [ids.next(), id, PLATE_KIND_OF[level], token(), 'active']);
        counts.plates++;
      }
      return { id, code, fullText, path, level, serial: 0 };
    };

    // roads, with their doors numbered along them
    const taken = new Set(await bulk.topNames(deps.db, grid.id));
    let roadCursor = (gi * 7) % N.ROADS.length;
    let road: Addr | undefined;
    let doorNo = 0;
    let doorsOnRoad = 0;
    const nextRoad = () => {
      for (let tries = 0; tries < N.ROADS.length * 2; tries++) {
        const raw = tries < N.ROADS.length ? N.ROADS[(roadCursor + tries) % N.ROADS.length] : `${N.ROADS[(roadCursor + tries) % N.ROADS.length].replace(/(路|街|大道)$/, '')}支路`;
        const name = norm('road', raw);
        if (taken.has(name)) continue;
        taken.add(name);
        roadCursor = (roadCursor + tries + 1) % N.ROADS.length;
        road = addAddress(null, 'road', raw, point(), true);
        doorNo = 0;
        doorsOnRoad = 0;
        return road;
      }
      throw new Error('demo registry: no road names left in a grid');
    };
    const nextDoor = (): Addr => {
      if (!road || doorsOnRoad >= 40) nextRoad();
      doorNo += rng.range(1, 3) * 2;
      doorsOnRoad++;
      return addAddress(road!, 'door', `${doorNo}号`, point(), true);
    };

    // units along the roads (shop doors); the specials are spread over the grids
    const gridUnits: string[] = [];
    const nUnits = Math.max(1, Math.round(gridPeople / 60));
    const unitKinds = new Weighted(N.UNIT_KINDS.map((k) => [k, k.weight] as const));
    for (let u = 0; u < nUnits; u++) {
      const door = nextDoor();
      let name: string;
      let type: string;
      let industry: string | null;
      let authority: string;
      if (u === 0 && specialIndex < N.SPECIAL_UNITS.length) {
        const s = N.SPECIAL_UNITS[specialIndex++];
        ({ name, type, industry, authority } = s);
        if (s.industry === 'financial') name = `${name.replace(/分行$/, '')}${community}支行`;
      } else if (u === 1 && gi % 2 === 0) {
        name = `滨州市滨城区${community.replace(/社区$/, '')}小学`;
        type = '事业单位';
        industry = 'school';
        authority = '12';
      } else {
        const k = unitKinds.pick(rng);
        name = `滨州${rng.pick(N.TRADE_NAMES)}${k.suffix}`;
        type = k.type;
        industry = k.industry;
        authority = k.authority;
      }
      const id = ids.next();
      const rep = `${surnames.pick(rng)}${givenName(rng.chance(0.6) ? 'M' : 'F')}`;
      push('units', [id, creditCode(authority), name, type, industry, door.id, rep, rep, phone(), 'active', grid.id, DEMO_COUNTY]);
      push('housing', [ids.next(), door.id, null, rep, null, 'commercial', 'business', false, rng.range(40, 400), null, null, null, null, null]);
      counts.units++;
      counts.housing++;
      gridUnits.push(id);
    }

    // compounds → buildings → units → rooms, created as households need them
    let compound: Addr | undefined;
    let compoundAt: [number, number] = [0, 0];
    let buildingsLeft = 0;
    let building: Addr | undefined;
    let unitsLeft = 0;
    let floors = 6;
    let entrance: Addr | undefined;
    let roomIdx = 0;
    let compoundNo = 0;
    const nextRoom = (): Addr => {
      if (!entrance || roomIdx >= floors * 2) {
        if (!building || unitsLeft === 0) {
          if (!compound || buildingsLeft === 0) {
            const door = nextDoor();
            const stem = N.COMPOUND_STEMS[(gi * 5 + compoundNo++) % N.COMPOUND_STEMS.length];
            const raw = `${stem}${N.COMPOUND_SUFFIXES[(gi + compoundNo) % N.COMPOUND_SUFFIXES.length]}${compoundNo > N.COMPOUND_STEMS.length ? `${Math.ceil(compoundNo / N.COMPOUND_STEMS.length)}期` : ''}`;
            compoundAt = point();
            compound = addAddress(door, 'compound', raw, compoundAt, true);
            buildingsLeft = rng.range(6, 14);
          }
          buildingsLeft--;
          floors = rng.pick(BUILDING_FLOORS);
          building = addAddress(compound, 'building', `${compound.serial + 1}号楼`, point(compoundAt[0], compoundAt[1]), true);
          unitsLeft = rng.range(2, 3);
        }
        unitsLeft--;
        entrance = addAddress(building, 'unit', `${building.serial + 1}单元`, point(compoundAt[0], compoundAt[1]), false);
        roomIdx = 0;
      }
      const floor = Math.floor(roomIdx / 2) + 1;
      const no = `${floor}0${(roomIdx % 2) + 1}`;
      roomIdx++;
      return addAddress(entrance, 'room', `${no}室`, point(compoundAt[0], compoundAt[1]), true);
    };

    const recentOwners: Person[] = [];
    const recentRooms: string[] = [];
    let left = gridPeople;
    const birthFor = (ageLo: number, ageHi: number) => Math.floor(REF_DAY - rng.range(ageLo, ageHi) * YEAR - rng.int(365));
    const adultExtras = (p: Person, fromDay: number, currentRoom: string) => {
      const age = (REF_DAY - p.birthDay) / YEAR;
      if (age >= 18 && age < 62 && rng.chance(0.4)) {
        const from = Math.max(p.birthDay + Math.ceil(18 * YEAR), REF_DAY - rng.int(3000));
        push('employments', [ids.next(), rng.pick(gridUnits), p.id, rng.pick(ROLES), dateOf(from), null]);
        counts.employments++;
      }
      if (age >= 20 && recentRooms.length > 3 && rng.chance(0.08)) {
        const prior = recentRooms[rng.int(recentRooms.length)];
        const to = fromDay - 1;
        const from = Math.max(p.birthDay + Math.ceil(18 * YEAR), to - rng.range(200, 3000));
        if (prior !== currentRoom && from <= to) {
          push('residences', [ids.next(), p.id, prior, 'other', dateOf(from), dateOf(to), 'demo']);
          counts.residences++;
        }
      }
    };

    while (left > 0) {
      await maybeFlush();
      const room = nextRoom();
      recentRooms.push(room.id);
      if (recentRooms.length > 64) recentRooms.shift();
      const r = rng.next();
      const use: 'self' | 'rent' | 'group' | 'vacant' = r < 0.75 ? 'self' : r < 0.92 ? 'rent' : r < 0.93 ? 'group' : 'vacant';
      const area = Math.round((55 + rng.next() * 90) * 100) / 100;
      const rooms = area < 75 ? 2 : area < 115 ? 3 : 4;
      if (use === 'vacant') {
        const owner = `${surnames.pick(rng)}${givenName(rng.chance(0.5) ? 'M' : 'F')}`;
        push('housing', [ids.next(), room.id, null, owner, phone(), 'commercial', 'vacant', false, area, rooms, null, null, null, null]);
        counts.housing++;
        continue;
      }
      if (use === 'self') {
        const r2 = rng.next();
        let size = r2 < 0.2 ? 1 : r2 < 0.48 ? 2 : r2 < 0.78 ? 3 : r2 < 0.93 ? 4 : 5;
        size = Math.min(size, left);
        const floating = rng.chance(0.08);
        const region = () => (floating ? floatingRegion() : localRegion());
        const hukou = floating ? '' : room.fullText;
        const hSex: 'M' | 'F' = rng.chance(0.7) ? 'M' : 'F';
        const hAge = size >= 3 ? rng.range(28, 60) : rng.range(22, 85);
        const hSurname = surnames.pick(rng);
        const moveIn = Math.floor(REF_DAY - rng.int(Math.max(1, Math.min(hAge - 20, 25)) * 365));
        const hRegion = region();
        const h = addPerson(grid, { name: hSurname + givenName(hSex), surname: hSurname, sex: hSex, birthDay: birthFor(hAge, hAge), region: hRegion, floating, hukou: hukou || (fullName(hRegion) ?? '') }, { addressId: room.id, relation: 'householder', fromDay: moveIn });
        adultExtras(h, moveIn, room.id);
        const members: Array<{ relation: string; sex: 'M' | 'F'; birthDay: number; surname: string }> = [];
        const fatherSurname = hSex === 'M' ? hSurname : surnames.pick(rng);
        if (size >= 2 && (size > 2 || rng.chance(0.85))) members.push({ relation: 'spouse', sex: hSex === 'M' ? 'F' : 'M', birthDay: h.birthDay + rng.range(-1500, 1500), surname: hSex === 'M' ? surnames.pick(rng) : fatherSurname });
        while (members.length < size - 1) {
          const parentSlot = hAge < 50 && members.length === size - 2 && size >= 4 && rng.chance(0.5);
          if (parentSlot) {
            members.push({ relation: 'parent', sex: rng.chance(0.5) ? 'M' : 'F', birthDay: h.birthDay - rng.range(22, 32) * 365, surname: rng.chance(0.5) ? hSurname : surnames.pick(rng) });
          } else {
            const childDay = h.birthDay + rng.range(22, Math.max(22, Math.min(38, hAge))) * 365;
            members.push({ relation: 'child', sex: rng.chance(0.51) ? 'M' : 'F', birthDay: Math.min(childDay, REF_DAY - rng.int(300) - 30), surname: fatherSurname });
          }
        }
        for (const m of members) {
          const birthDay = Math.max(m.birthDay, dayOf('1920-01-01'));
          const mRegion = region();
          const p = addPerson(grid, { name: m.surname + givenName(m.sex), surname: m.surname, sex: m.sex, birthDay, region: mRegion, floating, hukou: hukou || (fullName(mRegion) ?? '') }, { addressId: room.id, relation: m.relation, fromDay: moveIn });
          adultExtras(p, Math.max(moveIn, birthDay), room.id);
        }
        left -= size;
        push('housing', [ids.next(), room.id, h.id, h.name, h.phone, rng.chance(0.9) ? 'commercial' : 'affordable', 'self', false, area, rooms, null, null, null, null]);
        counts.housing++;
        recentOwners.push(h);
        if (recentOwners.length > 64) recentOwners.shift();
        continue;
      }
      // rentals: a landlord from the neighbourhood, a lease, tenants (mostly floating residents)
      const landlord = recentOwners.length ? recentOwners[rng.int(recentOwners.length)] : undefined;
      const leaseFrom = REF_DAY - rng.int(700);
      const leaseTo = leaseFrom + (rng.chance(0.7) ? 365 : 730);
      const group = use === 'group';
      const reg = group ? (rng.chance(0.5) ? 'unregistered' : 'registered') : leaseTo < REF_DAY ? 'expired' : rng.chance(0.8) ? 'registered' : 'unregistered';
      const size = Math.min(left, group ? rng.range(5, 8) : rng.range(1, 3));
      for (let k = 0; k < size; k++) {
        const sex: 'M' | 'F' = rng.chance(group ? 0.75 : 0.55) ? 'M' : 'F';
        const surname = surnames.pick(rng);
        const floating = rng.chance(0.85);
        const region = floating ? floatingRegion() : localRegion();
        const relation = k === 0 ? 'tenant' : group ? 'roommate' : k === 1 ? 'spouse' : 'child';
        const birthDay = relation === 'child' ? birthFor(1, 15) : birthFor(19, 55);
        const p = addPerson(grid, { name: surname + givenName(sex), surname, sex, birthDay, region, floating, hukou: fullName(region) ?? '' }, { addressId: room.id, relation, fromDay: leaseFrom });
        adultExtras(p, Math.max(leaseFrom, birthDay), room.id);
      }
      left -= size;
      push('housing', [
        ids.next(), room.id, landlord?.id ?? null, landlord?.name ?? `${surnames.pick(rng)}${givenName('M')}`, landlord?.phone ?? phone(), 'commercial', 'rent', group,
        area, rooms, landlord?.id ?? null, dateOf(leaseFrom), dateOf(leaseTo), reg,
      ]);
      counts.housing++;
    }
  }
  await flush();

  counts.ms = Date.now() - started;
  const branch = await bulk.unitByCode(deps.db, DEMO_COUNTY);
  await recordAudit(deps.db, ctx, {
    action: 'demo.seed_registry',
    subjectType: 'registry',
    subjectUnitId: branch?.id,
    detail: { seed, requestedPeople: total, ...counts },
  });
  return counts;
}
