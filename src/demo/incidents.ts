import { sql, type Insertable, type Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../server/deps.js';
import type { DB, IncidentSource, IncidentStatus, IncidentTable } from '../server/db/schema.js';
import { beijingDay, cellOf, hourOfWeek } from '../shared/geo.js';
import { Rng } from './registry.js';
import { ROADS, SURNAMES, GIVEN_MALE, GIVEN_FEMALE } from './names.js';

/**
 * Demo and benchmark incidents (警情) for a county's grids, with structure the analysis must find: a few planted hot
 * spots (a third of all incidents within ~150 m of six centres), an evening peak and busier weekends, growth of about
 * 10 % a year, and per-category habits (theft by day, fights and noise at night). Rows are built with the same
 * binning as the service (H3 cell, hour of the week, Beijing day, the grid's org path), then written in batches.
 */
type Db = Kysely<DB>;

export interface GridPlace {
  id: string;
  path: string;
  countyCode: string | null;
  stationId: string;
  communityId: string;
  /** [west, south, east, north] of the grid's boundary. */
  box: [number, number, number, number];
  addresses: Array<{ id: string; lat: number; lng: number; label: string }>;
}

export interface CategoryLeaf {
  id: string;
  code: string;
  name: string;
  police: boolean;
}

export interface GenerateOptions {
  count: number;
  /** The generated period: [to − days, to). */
  to: Date;
  days: number;
  seed: number;
  /** Open incidents are only among the last few days; older ones are closed or diverted. */
  openWithinDays?: number;
  /** Inserted into codes and 110 numbers, so several generated batches never collide (benchmarks). */
  tag?: string;
}

/** Grids of a county with their station, community, box and (up to `addressesPerGrid`) located addresses. */
export async function loadGridPlaces(db: Db, countyCode: string, addressesPerGrid = 200): Promise<GridPlace[]> {
  const grids = await sql<{ id: string; path: string; county_code: string | null; boundary: { coordinates?: number[][][] } | null; community_id: string; station_id: string }>`
    SELECT g.id, g.path, g.county_code, g.boundary, c.id AS community_id, s.id AS station_id
    FROM org_units g JOIN org_units c ON c.id = g.parent_id JOIN org_units s ON s.id = c.parent_id
    WHERE g.kind = 'grid' AND g.status = 'active' AND g.county_code = ${countyCode}
    ORDER BY g.code`.execute(db);
  const out: GridPlace[] = [];
  for (const g of grids.rows) {
    const ring = g.boundary?.coordinates?.[0];
    if (!ring?.length) continue;
    const xs = ring.map((p) => p[0]);
    const ys = ring.map((p) => p[1]);
    const addrs = await sql<{ id: string; lat: number; lng: number; label: string }>`
      SELECT id, lat, lng, full_text AS label FROM addresses
      WHERE grid_id = ${g.id} AND lat IS NOT NULL AND lng IS NOT NULL AND status = 'active'
      ORDER BY code LIMIT ${addressesPerGrid}`.execute(db);
    out.push({
      id: g.id,
      path: g.path,
      countyCode: g.county_code,
      stationId: g.station_id,
      communityId: g.community_id,
      box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      addresses: addrs.rows,
    });
  }
  return out;
}

export async function loadCategoryLeaves(db: Db): Promise<CategoryLeaf[]> {
  const r = await db
    .selectFrom('incident_categories as c')
    .select(['c.id', 'c.code', 'c.name', 'c.police_matter'])
    .where('c.parent_id', 'is not', null)
    .where('c.status', '=', 'active')
    .orderBy('c.code')
    .execute();
  return r.map((c) => ({ id: c.id, code: c.code, name: c.name, police: c.police_matter }));
}

// relative frequency of each built-in leaf, and its hour-of-day habit (0 = flat, 1 = day, 2 = night)
const CATEGORY_WEIGHT: Record<string, [number, 0 | 1 | 2]> = {
  xs_theft: [10, 1], xs_fraud: [6, 1], xs_robbery: [1, 2], xs_assault: [2, 2], xs_other: [1, 0],
  za_fight: [6, 2], za_disorder: [3, 2], za_gambling: [1, 2], za_noise: [6, 2], za_other: [3, 0],
  jf_neighbour: [8, 1], jf_family: [6, 2], jf_economic: [3, 1], jf_property: [3, 1], jf_labour: [2, 1],
  qz_missing: [2, 0], qz_emergency: [3, 0], qz_lock: [4, 0], qz_utility: [3, 1],
  jt_accident: [7, 1], jt_jam: [3, 1], jt_parking: [5, 1],
  hz_fire: [1, 0], hz_hazard: [2, 0],
  qt_consult: [4, 1], qt_complaint: [3, 1], qt_other: [2, 0],
};

const SOURCES: Array<[IncidentSource, number]> = [['110', 70], ['walk_in', 15], ['grid', 10], ['resident', 5]];

function weighted<T>(rng: Rng, items: Array<[T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rng.next() * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items[items.length - 1][0];
}

/** Relative weight of an hour of the week for a habit: an evening peak, a day bump, busier weekends. */
export function hourWeight(how: number, habit: 0 | 1 | 2): number {
  const h = how % 24;
  const weekend = how >= 120 ? 1.3 : 1;
  const fromTen = Math.min(Math.abs(h - 22), 24 - Math.abs(h - 22)); // circular distance from 22:00
  const night = Math.exp(-(fromTen ** 2) / 10);
  const day = Math.exp(-((h - 15) ** 2) / 12);
  const base = 0.25 + (habit === 2 ? 2.2 * night + 0.4 * day : habit === 1 ? 0.6 * night + 1.6 * day : night + day);
  return base * weekend;
}

const gauss = (rng: Rng) => {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
};

/** The generated rows, in time order. Pure given the places, the categories and the options. */
export function generateIncidentRows(places: GridPlace[], categories: CategoryLeaf[], o: GenerateOptions): Array<Insertable<IncidentTable>> {
  if (!places.length || !categories.length) return [];
  const rng = new Rng(o.seed);
  const cats: Array<[CategoryLeaf, number]> = categories.map((c) => [c, CATEGORY_WEIGHT[c.code]?.[0] ?? 1]);
  const habits = new Map(categories.map((c) => [c.id, CATEGORY_WEIGHT[c.code]?.[1] ?? 0]));
  // six hot spots in fixed grids (spread over the stations), each a point inside its grid
  const hot = Array.from({ length: Math.min(6, places.length) }, (_, i) => {
    const g = places[Math.floor(((i * 2 + 1) * places.length) / 12) % places.length];
    const [w, s, e, n] = g.box;
    return { grid: g, lng: w + (e - w) * (0.3 + 0.4 * ((i * 37) % 10) / 10), lat: s + (n - s) * (0.3 + 0.4 * ((i * 53) % 10) / 10), weight: 6 - i };
  });
  const hotPick: Array<[(typeof hot)[number], number]> = hot.map((h) => [h, h.weight]);
  // time: days weighted by growth (+10 %/year) and summer (+20 %), hours by the category's habit
  const dayMs = 86_400_000;
  // whole Beijing days ending with today (today only up to `to`)
  const todayMidnight = Date.parse(`${beijingDay(o.to)}T00:00:00+08:00`);
  const start = todayMidnight - (o.days - 1) * dayMs;
  const dayWeights: Array<[number, number]> = Array.from({ length: o.days }, (_, d) => {
    const t = start + d * dayMs;
    const month = new Date(t).getUTCMonth();
    return [d, (1 + (0.1 * (d - o.days)) / 365) * (month >= 5 && month <= 7 ? 1.2 : 1)];
  });
  const dayCdf = cdf(dayWeights.map(([, w]) => w));
  const hourTables = new Map<0 | 1 | 2, number[]>([0, 1, 2].map((h) => [h as 0 | 1 | 2, cdf(Array.from({ length: 168 }, (_, x) => hourWeight(x, h as 0 | 1 | 2)))]));
  const openWithin = (o.openWithinDays ?? 3) * dayMs;
  const rows: Array<Insertable<IncidentTable>> = [];
  const seqByDay = new Map<string, number>();
  for (let i = 0; i < o.count; i++) {
    const cat = weighted(rng, cats);
    const habit = habits.get(cat.id) ?? 0;
    // a day, then an hour of the week with the habit's weight restricted to that day's weekday
    const d = pickCdf(dayCdf, rng.next());
    const dayStart = start + d * dayMs;
    const weekday = (new Date(dayStart + 8 * 3_600_000).getUTCDay() + 6) % 7; // dayStart is a Beijing midnight
    const table = hourTables.get(habit)!;
    const lo = weekday * 24 === 0 ? 0 : table[weekday * 24 - 1];
    const hi = table[weekday * 24 + 23];
    const how = pickCdf(table, lo + rng.next() * (hi - lo));
    const at = new Date(dayStart + (how % 24) * 3_600_000 + rng.int(3_600_000));
    // today's hours still to come: somewhere in the part of today already past
    if (at.getTime() >= o.to.getTime()) at.setTime(dayStart + rng.int(Math.max(1, o.to.getTime() - dayStart)));
    // place: a hot spot for a third, else a grid at random; a standard address for half of those off the hot spots
    let grid: GridPlace;
    let lat: number;
    let lng: number;
    let addressId: string | null = null;
    let place: string;
    if (rng.chance(0.34)) {
      const h = weighted(rng, hotPick);
      grid = h.grid;
      lat = h.lat + (gauss(rng) * 150) / 111_000;
      lng = h.lng + (gauss(rng) * 150) / (111_000 * Math.cos((h.lat * Math.PI) / 180));
      place = `${rng.pick(ROADS)}${rng.range(1, 400)}号附近`;
    } else {
      grid = places[rng.int(places.length)];
      const a = grid.addresses.length && rng.chance(0.5) ? grid.addresses[rng.int(grid.addresses.length)] : undefined;
      if (a) {
        ({ lat, lng } = a);
        addressId = a.id;
        place = a.label;
      } else {
        const [w, s, e, n] = grid.box;
        lng = w + rng.next() * (e - w);
        lat = s + rng.next() * (n - s);
        place = `${rng.pick(ROADS)}${rng.range(1, 400)}号`;
      }
    }
    const source = weighted(rng, SOURCES);
    const day = beijingDay(at);
    const seq = (seqByDay.get(day) ?? 0) + 1;
    seqByDay.set(day, seq);
    const compact = day.replaceAll('-', '');
    const reportedAt = new Date(at.getTime() + rng.int(20 * 60_000));
    const age = o.to.getTime() - at.getTime();
    let status: IncidentStatus;
    // a few older ones are still open (the ageing 警情清零 tracks), none older than a month
    if (age > openWithin) status = !cat.police && rng.chance(0.7) ? 'diverted' : age > 30 * dayMs || rng.chance(0.97) ? 'closed' : 'handling';
    else status = rng.chance(0.4) ? 'received' : rng.chance(0.5) ? 'handling' : 'closed';
    const closedAt = status === 'closed' || status === 'diverted' ? new Date(Math.min(o.to.getTime() - 1, reportedAt.getTime() + (0.5 + rng.next() * 30) * 3_600_000)) : null;
    const surname = weighted(rng, SURNAMES);
    rows.push({
      id: uuidv7(),
      code: `JQ${compact}${o.tag ?? ''}${String(seq).padStart(5, '0')}`,
      source,
      external_no: source === '110' ? `110${compact}${o.tag ?? ''}${String(seq).padStart(6, '0')}` : null,
      source_ref: null,
      category_id: cat.id,
      occurred_at: at,
      reported_at: reportedAt,
      day,
      how: hourOfWeek(at),
      address_id: addressId,
      place,
      lng: Math.round(lng * 1e6) / 1e6,
      lat: Math.round(lat * 1e6) / 1e6,
      h3: cellOf(lat, lng),
      org_unit_id: grid.stationId,
      station_id: grid.stationId,
      community_id: grid.communityId,
      grid_id: grid.id,
      org_path: grid.path,
      county_code: grid.countyCode,
      summary: `${place}${cat.name}：报警人称现场需民警处置。`,
      caller_name: `${surname}${rng.pick(rng.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE)}${rng.chance(0.6) ? rng.pick(GIVEN_MALE) : ''}`,
      caller_phone: `13${rng.range(0, 9)}${String(rng.int(100_000_000)).padStart(8, '0')}`,
      status,
      result: status === 'closed' ? '已现场处置完毕' : null,
      closed_at: status === 'closed' || status === 'diverted' ? closedAt : null,
      created_at: reportedAt,
      updated_at: closedAt ?? reportedAt,
    });
  }
  return rows.sort((a, b) => (a.occurred_at as Date).getTime() - (b.occurred_at as Date).getTime());
}

function cdf(weights: number[]): number[] {
  let s = 0;
  const out = weights.map((w) => (s += w));
  return out.map((x) => x / s);
}

function pickCdf(table: number[], u: number): number {
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (table[mid] < u) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Writes rows in batches (codes and 110 numbers already taken are skipped), calling `progress` after each. */
export async function insertIncidentRows(db: Db, rows: Array<Insertable<IncidentTable>>, progress?: (done: number) => void, batch = 1000): Promise<number> {
  let written = 0;
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const r = await db.insertInto('incidents').values(part).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    written += Number(r.numInsertedOrUpdatedRows ?? 0);
    progress?.(Math.min(i + batch, rows.length));
  }
  return written;
}

export const DEMO_INCIDENTS = 22_000;
export const DEMO_INCIDENT_DAYS = 765;

/**
 * The demo district's incidents: two years and a month up to now, so every comparison has data, a year against the
 * year before (环比 and 同比 of 近一年) included.
 */
export async function seedDemoIncidents(deps: Deps, opts: { count?: number; countyCode?: string; now?: Date; seed?: number } = {}): Promise<number> {
  const places = await loadGridPlaces(deps.db, opts.countyCode ?? '371602');
  const categories = await loadCategoryLeaves(deps.db);
  const rows = generateIncidentRows(places, categories, {
    count: opts.count ?? DEMO_INCIDENTS,
    to: opts.now ?? new Date(),
    days: DEMO_INCIDENT_DAYS,
    seed: opts.seed ?? 20261122,
  });
  return insertIncidentRows(deps.db, rows);
}
