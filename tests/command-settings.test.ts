import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';

let t: TestApp;
let admin: string;
let command: string;

beforeAll(async () => {
  t = await createTestApp();
  [admin, command] = await Promise.all([t.login('admin'), t.login('command')]);
});
afterAll(() => t.close());

describe('command settings', () => {
  it('starts from the defaults: no tiles, 1-3-5 minute rings, red signed within 15 minutes', async () => {
    const s = (await t.call(command, 'GET', '/api/v1/command-settings')).json();
    expect(s.map).toEqual({ tileUrl: null, tileAttribution: null, ringSpeedKmh: 30, ringMinutes: [1, 3, 5] });
    expect(s.directives.signMinutes.red).toBe(15);
    expect(s.directives.smsLevels).toEqual(['red', 'orange']);
  });

  it('replaces only the sections sent, and audits the change', async () => {
    const res = await t.call(admin, 'PUT', '/api/v1/command-settings', {
      map: { tileUrl: 'https://tiles.example.gov.cn/{z}/{x}/{y}.png', tileAttribution: '本地瓦片', ringSpeedKmh: 40, ringMinutes: [1, 3, 5] },
    });
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.map.tileUrl).toBe('https://tiles.example.gov.cn/{z}/{x}/{y}.png');
    expect(s.map.ringSpeedKmh).toBe(40);
    expect(s.directives.signMinutes.red).toBe(15);
    const audit = (await t.call(await t.login('supervisor'), 'GET', '/api/v1/audit?action=command.settings&pageSize=1')).json();
    expect(audit.items).toHaveLength(1);
  });

  it('rejects bad values field by field and keeps what was stored', async () => {
    const res = await t.call(admin, 'PUT', '/api/v1/command-settings', {
      map: { tileUrl: 'ftp://x', tileAttribution: null, ringSpeedKmh: 500, ringMinutes: [5, 3] },
      directives: { signMinutes: { red: 0, orange: 30, blue: 120, green: 1440 }, smsLevels: ['red'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['map.tileUrl', 'map.ringSpeedKmh', 'map.ringMinutes', 'directives.signMinutes.red']));
    const s = (await t.call(admin, 'GET', '/api/v1/command-settings')).json();
    expect(s.map.ringSpeedKmh).toBe(40);
    expect(s.directives.signMinutes.red).toBe(15);
  });

  it('is changed only by administrators', async () => {
    const res = await t.call(command, 'PUT', '/api/v1/command-settings', { patrol: { basisDays: 14, pointsPerShift: 5, pointsPerHour: 2, absencePenalty: 0 } });
    expect(res.statusCode).toBe(403);
  });
});
