import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { seedDemoRegistry } from '../src/demo/registry.js';
import { demoPhoto, seedDemoItems } from '../src/demo/field-items.js';
import { sniffImage } from '../src/server/platform/files/images.js';

/** The demo grid worker's collected items and pending changes (src/demo/field-items.ts). */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoRegistry(t.deps, { people: 2000, seed: 7 });
}, 120_000);
afterAll(() => t.close());

describe('demo field items', () => {
  it('collects about 40 items in the demo grid and leaves 3 changes pending, once', async () => {
    await seedDemoItems(t.deps);
    const worker = await t.deps.db.selectFrom('users').select('id').where('username', '=', 'gridworker').executeTakeFirstOrThrow();
    const items = await t.deps.db.selectFrom('field_items').select(['type_code', 'occurred_at', 'photo_ids', 'address_id']).where('worker_id', '=', worker.id).execute();
    expect(items.length).toBeGreaterThanOrEqual(38);
    expect(items.length).toBeLessThanOrEqual(42);
    const types = new Set(items.map((i) => i.type_code));
    for (const code of ['address_verify', 'rental_visit', 'home_visit', 'fire_hazard', 'dispute', 'patrol_checkin', 'incident_clue']) expect(types, code).toContain(code);
    expect(items.some((i) => i.photo_ids.length === 1)).toBe(true);
    const oldest = Math.min(...items.map((i) => new Date(i.occurred_at).getTime()));
    expect(Date.now() - oldest).toBeGreaterThan(14 * 86_400_000);
    const changes = await t.deps.db.selectFrom('field_changes').select(['kind', 'status']).where('worker_id', '=', worker.id).orderBy('kind').execute();
    expect(changes).toEqual([
      { kind: 'housing_update', status: 'pending' },
      { kind: 'move_out', status: 'pending' },
      { kind: 'person_add', status: 'pending' },
    ]);
    const checked = await t.deps.db.selectFrom('field_address_checks').select('address_id').execute();
    expect(checked.length).toBeGreaterThanOrEqual(10);

    // the officer sees them
    const officer = await t.login('officer');
    const queue = (await t.call(officer, 'GET', '/api/v1/field/changes?status=pending')).json();
    expect(queue.total).toBe(3);
    const list = (await t.call(officer, 'GET', '/api/v1/field/items?pageSize=100')).json();
    expect(list.total).toBe(items.length);

    // a second run changes nothing
    await seedDemoItems(t.deps);
    expect(await t.deps.db.selectFrom('field_items').select('id').where('worker_id', '=', worker.id).execute()).toHaveLength(items.length);
  }, 60_000);

  it('generates a real image for the photo', () => {
    const png = demoPhoto(1);
    expect(sniffImage(png)).toBe('image/png');
    expect(png.length).toBeLessThan(20_000);
    expect(demoPhoto(1).equals(png)).toBe(true);
  });
});
