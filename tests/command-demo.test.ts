import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { seedDemoCommand } from '../src/demo/command.js';

/** The demo's directives and whistles: every state shows up, and the history is consistent. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoCommand(t.deps, { now: new Date('2026-05-20T06:00:00Z') });
});
afterAll(() => t.close());

describe('demo directives and whistles', () => {
  it('has directives of every colour with sign-offs, feedback, escalations and overdue targets', async () => {
    const db = t.deps.db;
    const ds = await db.selectFrom('directives').select(['level', 'status']).execute();
    expect(ds).toHaveLength(8);
    expect(new Set(ds.map((d) => d.level))).toEqual(new Set(['red', 'orange', 'blue', 'green']));
    expect(ds.filter((d) => d.status === 'closed')).toHaveLength(2);
    const ts = await db.selectFrom('directive_targets').selectAll().execute();
    expect(ts.filter((x) => x.status === 'reported').length).toBeGreaterThan(8);
    expect(ts.filter((x) => x.status === 'issued').length).toBeGreaterThan(2);
    expect(ts.some((x) => x.escalation_level === 2)).toBe(true);
    expect(ts.some((x) => x.overdue_notified_at)).toBe(true);
    // nothing was texted
    expect(await db.selectFrom('sms_outbox').select('id').execute()).toHaveLength(0);
    const stats = (await t.call(await t.login('command'), 'GET', '/api/v1/directives/stats?from=2026-04-01&to=2026-05-20')).json();
    expect(stats.headline.targets).toBe(ts.length);
    expect(stats.headline.feedbackRate).toBeGreaterThan(40);
  });

  it('has whistles confirmed, awaiting confirmation and open, with an overdue response', async () => {
    const ws = await t.deps.db.selectFrom('whistles').select(['status', 'code']).orderBy('raised_at').execute();
    expect(ws.map((w) => w.status)).toEqual(['confirmed', 'reported', 'open', 'open']);
    const overdue = await t.deps.db.selectFrom('whistle_responses').select('id').where('overdue_notified_at', 'is not', null).execute();
    expect(overdue).toHaveLength(1);
  });
});
