import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { seedDemoIncidents } from '../src/demo/incidents.js';
import { seedDemoPatrol } from '../src/demo/patrol.js';
import { addDays, todayCst } from '../src/server/modules/population/rules.js';
import { mondayOf } from '../src/server/modules/patrol/rules.js';

/** The demo seed of 巡防 on the demo incidents: teams with points, plans of every station, coverage above nil. */
let t: TestApp;
let chief: string;
beforeAll(async () => {
  t = await createTestApp();
  chief = await t.login('chief');
  await seedDemoIncidents(t.deps);
}, 120_000);
afterAll(() => t.close());

describe('demo patrols', () => {
  it('loads teams, plans and patrols once, with last week’s coverage between nil and complete', async () => {
    const first = await seedDemoPatrol(t.deps);
    expect(first.teams).toBe(5);
    expect(first.plans).toBe(6);
    expect(first.patrols).toBeGreaterThan(10);
    expect(await seedDemoPatrol(t.deps)).toEqual({ teams: 0, plans: 0, patrols: 0 });

    const plans = (await t.call(chief, 'GET', '/api/v1/patrol-plans')).json();
    expect(plans.total).toBe(2);
    const last = plans.items.find((p: { weekStart: string }) => p.weekStart === addDays(mondayOf(todayCst()), -7));
    expect(last.itemCount).toBeGreaterThan(0);
    expect(last.coverage.rate).toBeGreaterThan(0.2);
    expect(last.coverage.rate).toBeLessThan(1);
    const detail = (await t.call(chief, 'GET', `/api/v1/patrol-plans/${last.id}`)).json();
    expect(detail.items.patrol.length).toBeGreaterThan(0);
    expect(detail.items.patrol[0].reason).toMatch(/^近28天该处发生警情\d+起/);

    const teams = (await t.call(chief, 'GET', '/api/v1/patrol-teams')).json();
    expect(teams.items.map((x: { name: string }) => x.name)).toEqual(expect.arrayContaining(['学苑社区义务巡逻队', '学苑社区红袖标', '香园社区义务巡逻队']));
    expect(teams.items.every((x: { points: number; memberCount: number }) => x.memberCount > 0 && x.points > 0)).toBe(true);
    const rank = (await t.call(chief, 'GET', '/api/v1/patrol-teams/ranking')).json();
    expect(rank.items[0].monthPoints).toBeGreaterThan(0);
    const patrols = (await t.call(chief, 'GET', '/api/v1/patrols')).json();
    expect(patrols.total).toBeGreaterThan(5);
    expect(patrols.items[0].checkinCount).toBe(2);
  });
});
