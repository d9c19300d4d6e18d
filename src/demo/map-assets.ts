import type { Deps } from '../server/deps.js';
import { systemContext } from '../server/platform/access/context.js';
import { PERMISSIONS } from '../server/platform/access/permissions.js';
import { createCamera, createRoute } from '../server/modules/map/service.js';
import { mapRepository } from '../server/modules/map/repository.js';
import { metresBetween } from '../shared/geo.js';
import { ROADS } from './names.js';
import { DEMO_INCIDENT_DAYS } from './incidents.js';

/**
 * Demo assets of the one map, placed from the demo incidents (loaded before): about 40 cameras — most at the
 * busiest H3 cells of the county (at least 150 m apart), the rest on the edges between grids, where the roads
 * run — and two patrol routes per station inside its boundary: a professional night round through the station's
 * busiest places and a volunteer daytime walk around its first community. Cameras are mapped assets only: a
 * place, a name and a code. Runs once: nothing is added when cameras or routes exist.
 */
export const DEMO_CAMERAS_AT_HOT_CELLS = 30;
export const DEMO_CAMERAS_ON_EDGES = 10;

type Box = [number, number, number, number];

const boxOf = (boundary: unknown): Box | null => {
  const ring = (boundary as { coordinates?: number[][][] } | null)?.coordinates?.[0];
  if (!ring?.length) return null;
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
};
const inBox = (b: Box, lng: number, lat: number) => lng >= b[0] && lng <= b[2] && lat >= b[1] && lat <= b[3];
const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

export async function seedDemoMapAssets(deps: Deps, opts: { countyCode?: string } = {}): Promise<{ cameras: number; routes: number }> {
  const county = opts.countyCode ?? '371602';
  const existing = await mapRepository.countAssets(deps.db);
  if (existing.cameras > 0 || existing.routes > 0) return { cameras: 0, routes: 0 };
  const ctx = systemContext(Object.keys(PERMISSIONS));
  const units = await mapRepository.unitsOfCounty(deps.db, county);
  const byId = new Map(units.map((u) => [u.id, u]));
  const grids = units.filter((u) => u.kind === 'grid');
  const stations = units.filter((u) => u.kind === 'station');
  const communityOf = (gridId: string) => byId.get(gridId)?.parent_id ?? gridId;
  const stationOf = (unitId: string): string | undefined => {
    let u = byId.get(unitId);
    while (u && u.kind !== 'station') u = u.parent_id ? byId.get(u.parent_id) : undefined;
    return u?.id;
  };

  // ---- cameras
  const placed: Array<{ lat: number; lng: number }> = [];
  const farEnough = (p: { lat: number; lng: number }) => placed.every((q) => metresBetween(p, q) >= 150);
  let seq = 0;
  const code = () => `${county}0000132${String(++seq).padStart(7, '0')}`;
  const cells = await mapRepository.busiestCells(deps.db, county, 200);
  const hotByStation = new Map<string, Array<{ lat: number; lng: number }>>();
  for (const c of cells) {
    if (placed.length >= DEMO_CAMERAS_AT_HOT_CELLS) break;
    const p = { lat: r6(c.lat), lng: r6(c.lng) };
    if (!farEnough(p)) continue;
    placed.push(p);
    const n = placed.length;
    const road = ROADS[(n * 7) % ROADS.length];
    await createCamera(deps, ctx, {
      orgUnitId: communityOf(c.grid_id),
      code: code(),
      name: `${road}${10 + ((n * 37) % 380)}号附近（高发点位）`,
      kind: n % 3 === 0 ? 'social' : 'public',
      lat: p.lat,
      lng: p.lng,
      note: `近 ${DEMO_INCIDENT_DAYS} 天本点位警情 ${c.n} 起`,
    });
    const station = stationOf(c.grid_id);
    if (station) hotByStation.set(station, [...(hotByStation.get(station) ?? []), p]);
  }
  // on the edges between neighbouring grids (the roads between them), at varying heights
  let edges = 0;
  for (const [i, g] of grids.entries()) {
    if (edges >= DEMO_CAMERAS_ON_EDGES) break;
    const b = boxOf(g.boundary);
    if (!b) continue;
    const p = { lng: r6(b[2]), lat: r6(b[1] + (b[3] - b[1]) * (0.2 + 0.6 * (((i * 29) % 10) / 10))) };
    if (!farEnough(p)) continue;
    placed.push(p);
    edges++;
    await createCamera(deps, ctx, {
      orgUnitId: communityOf(g.id),
      code: code(),
      name: `${ROADS[(i * 11 + 3) % ROADS.length]}路口（${g.name}东侧）`,
      kind: i % 2 === 0 ? 'public' : 'social',
      lat: p.lat,
      lng: p.lng,
      note: '网格交界道路',
    });
  }

  // ---- routes: two per station
  let routes = 0;
  for (const s of stations) {
    const b = boxOf(s.boundary);
    if (!b) continue;
    const [w, south, e, n] = b;
    const pad = 0.004;
    const inner: Box = [w + pad, south + pad, e - pad, n - pad];
    // professional: a night round through the station's busiest places, ordered around their centre, closed
    let hot = (hotByStation.get(s.id) ?? []).filter((p) => inBox(inner, p.lng, p.lat)).slice(0, 6);
    if (hot.length < 3) {
      const cx = (w + e) / 2;
      const cy = (south + n) / 2;
      hot = [0, 1, 2, 3].map((k) => ({ lng: cx + Math.cos((k * Math.PI) / 2) * (e - w) * 0.3, lat: cy + Math.sin((k * Math.PI) / 2) * (n - south) * 0.3 }));
    }
    const cx = hot.reduce((a, p) => a + p.lng, 0) / hot.length;
    const cy = hot.reduce((a, p) => a + p.lat, 0) / hot.length;
    const loop = [...hot].sort((p, q) => Math.atan2(p.lat - cy, p.lng - cx) - Math.atan2(q.lat - cy, q.lng - cx));
    const patrol = [...loop, loop[0]].map((p) => [r6(p.lng), r6(p.lat)]);
    await createRoute(deps, ctx, { orgUnitId: s.id, name: `${s.name.replace(/派出所$/, '')}夜间高发点位巡逻线`, mode: 'patrol', geometry: { type: 'LineString', coordinates: patrol }, note: '重点时段 19:00–次日 02:00，途经本所高发点位' });
    routes++;
    // volunteer: a daytime walk around the first community, a little inside its boundary
    const community = units.find((u) => u.kind === 'community' && u.parent_id === s.id);
    const cb = community ? boxOf(community.boundary) : null;
    if (cb) {
      const [x0, y0, x1, y1] = cb;
      const dx = (x1 - x0) * 0.2;
      const dy = (y1 - y0) * 0.2;
      const walk = [
        [x0 + dx, y0 + dy],
        [x0 + (x1 - x0) / 2, y0 + dy * 0.8],
        [x1 - dx, y0 + dy],
        [x1 - dx, y1 - dy],
        [x0 + (x1 - x0) / 2, y1 - dy * 1.2],
        [x0 + dx, y1 - dy],
        [x0 + dx, y0 + dy],
      ].map(([x, y]) => [r6(x), r6(y)]);
      await createRoute(deps, ctx, { orgUnitId: community!.id, name: `${community!.name.replace(/警务区$/, '')}义务巡逻路线`, mode: 'volunteer', geometry: { type: 'LineString', coordinates: walk }, note: '红袖标白天巡逻 07:00–21:00' });
      routes++;
    }
  }
  return { cameras: placed.length, routes };
}
