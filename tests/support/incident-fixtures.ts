import type { Insertable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../src/server/deps.js';
import type { IncidentSource, IncidentStatus, IncidentTable } from '../../src/server/db/schema.js';
import { beijingDay, cellOf, hourOfWeek } from '../../src/shared/geo.js';

/**
 * Incidents written straight into the table with the service's binning, for tests that need constructed data
 * (hot spots, trends, clearance, the map) without going through the intake. Grids and categories by code.
 */
export interface IncidentSpec {
  at: Date | string;
  /** A grid code (e.g. 371602005001001): the place's grid, community and station follow from it. */
  grid: string;
  lat: number;
  lng: number;
  category?: string;
  status?: IncidentStatus;
  source?: IncidentSource;
  closedAt?: Date | string | null;
  reportedAt?: Date | string;
  summary?: string;
}

let seq = 0;

export async function insertIncidents(deps: Deps, specs: IncidentSpec[]): Promise<string[]> {
  const grids = new Map<string, { id: string; path: string; county_code: string | null; community: string; station: string }>();
  const cats = new Map((await deps.db.selectFrom('incident_categories').select(['id', 'code']).execute()).map((c) => [c.code, c.id]));
  const rows: Array<Insertable<IncidentTable>> = [];
  for (const s of specs) {
    let g = grids.get(s.grid);
    if (!g) {
      const r = await deps.db
        .selectFrom('org_units as g')
        .innerJoin('org_units as c', 'c.id', 'g.parent_id')
        .select(['g.id', 'g.path', 'g.county_code', 'c.id as community', 'c.parent_id as station'])
        .where('g.code', '=', s.grid)
        .executeTakeFirstOrThrow();
      g = { ...r, station: r.station! };
      grids.set(s.grid, g);
    }
    const at = new Date(s.at);
    const categoryId = cats.get(s.category ?? 'za_fight');
    if (!categoryId) throw new Error(`no incident category ${s.category}`);
    const status = s.status ?? 'closed';
    const reported = s.reportedAt ? new Date(s.reportedAt) : at;
    const n = ++seq;
    rows.push({
      id: uuidv7(),
      code: `JQT${String(n).padStart(8, '0')}${Math.random().toString(36).slice(2, 6)}`,
      source: s.source ?? '110',
      category_id: categoryId,
      occurred_at: at,
      reported_at: reported,
      day: beijingDay(at),
      how: hourOfWeek(at),
      lat: s.lat,
      lng: s.lng,
      h3: cellOf(s.lat, s.lng),
      org_unit_id: g.station,
      station_id: g.station,
      community_id: g.community,
      grid_id: g.id,
      org_path: g.path,
      county_code: g.county_code,
      summary: s.summary ?? '测试警情',
      status,
      closed_at: s.closedAt !== undefined ? (s.closedAt ? new Date(s.closedAt) : null) : status === 'closed' || status === 'diverted' ? new Date(reported.getTime() + 3_600_000) : null,
      created_at: reported,
      updated_at: reported,
    });
  }
  for (let i = 0; i < rows.length; i += 1000) await deps.db.insertInto('incidents').values(rows.slice(i, i + 1000)).execute();
  return rows.map((r) => r.id);
}

/** A point inside a demo grid's boundary box, at fractions (fx, fy) of its width and height. */
export async function pointInGrid(deps: Deps, gridCode: string, fx = 0.5, fy = 0.5): Promise<{ lat: number; lng: number }> {
  const g = await deps.db.selectFrom('org_units').select('boundary').where('code', '=', gridCode).executeTakeFirstOrThrow();
  const ring = (g.boundary as { coordinates: number[][][] }).coordinates[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return { lng: Math.min(...xs) + (Math.max(...xs) - Math.min(...xs)) * fx, lat: Math.min(...ys) + (Math.max(...ys) - Math.min(...ys)) * fy };
}
