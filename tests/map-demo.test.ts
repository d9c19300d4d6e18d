import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { seedDemoIncidents } from '../src/demo/incidents.js';
import { DEMO_CAMERAS_AT_HOT_CELLS, DEMO_CAMERAS_ON_EDGES, seedDemoMapAssets } from '../src/demo/map-assets.js';
import { metresBetween } from '../src/shared/geo.js';

/** The demo assets of the one map: cameras at the busiest places and on grid edges, two routes per station. */
let t: TestApp;
let seeded: { cameras: number; routes: number };

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoIncidents(t.deps, { count: 3000 });
  seeded = await seedDemoMapAssets(t.deps);
}, 120_000);
afterAll(() => t.close());

const boxOf = (boundary: unknown) => {
  const ring = (boundary as { coordinates: number[][][] }).coordinates[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  return { w: Math.min(...xs), s: Math.min(...ys), e: Math.max(...xs), n: Math.max(...ys) };
};

describe('demo map assets', () => {
  it('places about 40 cameras, spread out, most at the busiest cells', async () => {
    expect(seeded.cameras).toBe(DEMO_CAMERAS_AT_HOT_CELLS + DEMO_CAMERAS_ON_EDGES);
    const cams = await t.deps.db.selectFrom('cameras').selectAll().execute();
    expect(cams).toHaveLength(seeded.cameras);
    expect(new Set(cams.map((c) => c.code)).size).toBe(cams.length);
    expect(new Set(cams.map((c) => c.kind))).toEqual(new Set(['public', 'social']));
    for (const [i, a] of cams.entries()) for (const b of cams.slice(i + 1)) expect(metresBetween(a, b)).toBeGreaterThanOrEqual(149);
    // the busiest cell of all has a camera within its ~200 m
    const top = await t.deps.db.selectFrom('incidents').select(['h3']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('h3').orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow();
    const inTop = await t.deps.db.selectFrom('incidents').select(['lat', 'lng']).where('h3', '=', top.h3).limit(1).executeTakeFirstOrThrow();
    expect(Math.min(...cams.map((c) => metresBetween(c, { lat: inTop.lat!, lng: inTop.lng! })))).toBeLessThan(400);
  });

  it('draws one professional and one volunteer route per station, inside the station', async () => {
    expect(seeded.routes).toBe(6);
    const stations = await t.deps.db.selectFrom('org_units').select(['id', 'path', 'boundary']).where('kind', '=', 'station').where('county_code', '=', '371602').execute();
    const routes = await t.deps.db.selectFrom('patrol_routes as r').innerJoin('org_units as o', 'o.id', 'r.org_unit_id').select(['r.mode', 'r.geometry', 'o.path']).execute();
    for (const s of stations) {
      const mine = routes.filter((r) => r.path.startsWith(s.path));
      expect(mine.map((r) => r.mode).sort()).toEqual(['patrol', 'volunteer']);
      const b = boxOf(s.boundary);
      for (const r of mine) {
        const g = r.geometry as { type: string; coordinates: number[][] };
        expect(g.type).toBe('LineString');
        expect(g.coordinates.length).toBeGreaterThanOrEqual(3);
        for (const [lng, lat] of g.coordinates) {
          expect(lng).toBeGreaterThanOrEqual(b.w);
          expect(lng).toBeLessThanOrEqual(b.e);
          expect(lat).toBeGreaterThanOrEqual(b.s);
          expect(lat).toBeLessThanOrEqual(b.n);
        }
      }
    }
  });

  it('the map shows them to the command centre, and a second run adds nothing', async () => {
    const token = await t.login('command');
    expect((await t.call(token, 'GET', '/api/v1/map/cameras')).json().items).toHaveLength(seeded.cameras);
    expect((await t.call(token, 'GET', '/api/v1/map/routes')).json().items).toHaveLength(6);
    const layer = (await t.call(token, 'GET', '/api/v1/map/incidents')).json();
    expect(layer.ids.length).toBeGreaterThan(100);
    expect(await seedDemoMapAssets(t.deps)).toEqual({ cameras: 0, routes: 0 });
  });
});
