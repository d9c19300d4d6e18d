import type { Deps } from '../../deps.js';
import { incidentsRepository as repo, type GridShape } from './repository.js';

/**
 * Which grid a point lies in: a small point-in-polygon over the grids' boundaries (GeoJSON Polygon or MultiPolygon,
 * holes respected), with each grid's bounding box checked first. The grids are loaded once per process and database
 * and reloaded after CACHE_MS, so a boundary an administrator redraws is picked up within minutes.
 */
type Ring = number[][];
interface Shape extends GridShape {
  polygons: Ring[][];
  box: [number, number, number, number];
}

const CACHE_MS = 5 * 60_000;
const caches = new WeakMap<Deps['db'], { at: number; shapes: Promise<Shape[]> }>();

function polygonsOf(boundary: unknown): Ring[][] {
  const g = (typeof boundary === 'string' ? JSON.parse(boundary) : boundary) as { type?: string; coordinates?: unknown } | null;
  if (!g?.coordinates) return [];
  if (g.type === 'Polygon') return [g.coordinates as Ring[]];
  if (g.type === 'MultiPolygon') return g.coordinates as Ring[][];
  return [];
}

/** Ray casting: whether [lng, lat] lies inside a ring. */
function inRing(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygons(polygons: Ring[][], lng: number, lat: number): boolean {
  return polygons.some((rings) => rings.length > 0 && inRing(rings[0], lng, lat) && !rings.slice(1).some((hole) => inRing(hole, lng, lat)));
}

async function load(deps: Deps): Promise<Shape[]> {
  const rows = await repo.gridShapes(deps.db);
  const out: Shape[] = [];
  for (const g of rows) {
    let polygons: Ring[][];
    try {
      polygons = polygonsOf(g.boundary);
    } catch {
      continue;
    }
    const pts = polygons.flatMap((p) => p[0] ?? []);
    if (!pts.length) continue;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    out.push({ ...g, polygons, box: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] });
  }
  return out;
}

function shapes(deps: Deps): Promise<Shape[]> {
  const c = caches.get(deps.db);
  if (c && Date.now() - c.at < CACHE_MS) return c.shapes;
  const fresh = { at: Date.now(), shapes: load(deps) };
  fresh.shapes.catch(() => caches.delete(deps.db));
  caches.set(deps.db, fresh);
  return fresh.shapes;
}

/** Forgets the loaded grids (after boundaries change, and in tests that draw new grids). */
export function forgetGridShapes(deps: Deps): void {
  caches.delete(deps.db);
}

/** The grid containing the point among those whose path starts with `scopePath`, or undefined. */
export async function gridAt(deps: Deps, lat: number, lng: number, scopePath = '/'): Promise<GridShape | undefined> {
  for (const g of await shapes(deps)) {
    const [w, s, e, n] = g.box;
    if (lng < w || lng > e || lat < s || lat > n) continue;
    if (!g.path.startsWith(scopePath)) continue;
    if (pointInPolygons(g.polygons, lng, lat)) return g;
  }
  return undefined;
}
