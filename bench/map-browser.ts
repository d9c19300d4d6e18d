// The one map (警务一张图) in a real browser with many incident points: how long the clustering index takes to build,
// how long each redraw after a zoom or pan takes, and the longest task that blocked the page meanwhile.
//
//   npm run build && npm run bench:map:smoke   5,000 points (CI)
//   npm run build && npm run bench:map         100,000 points
// Options: --points N. Needs the built console (dist/web) and Debian's Chromium (CHROMIUM_PATH to override).
// Results are printed and written to .tmp/bench/map-browser-<points>.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { chromium } from 'playwright-core';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { ensureDemo, openDeps } from '../src/server/bootstrap.js';
import { buildApp, WEB_DIR } from '../src/server/app.js';
import { beijingDay } from '../src/shared/geo.js';
import { generateIncidentRows, insertIncidentRows, loadCategoryLeaves, loadGridPlaces } from '../src/demo/incidents.js';
import { benchConfig, openTarget } from './target.js';

const { values: args } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, points: { type: 'string' } }, strict: true });
const POINTS = Number(args.points ?? (args.smoke ? 5_000 : 100_000));
const PASSWORD = 'Fengqiao@2026';

interface Measure {
  points: number;
  indexMs?: number;
  renderMs?: number;
  drawn?: number;
}

async function main() {
  if (!existsSync(`${WEB_DIR}index.html`)) throw new Error(`没有找到构建好的控制台（${WEB_DIR}）：请先运行 npm run build`);
  const target = await openTarget('fq_map');
  const deps = await openDeps(benchConfig(PASSWORD), pino({ level: 'warn' }) as unknown as FastifyBaseLogger, target.database);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  try {
    await ensureDemo(deps, { people: 0 });
    const now = new Date();
    const rows = generateIncidentRows(await loadGridPlaces(deps.db, '371602'), await loadCategoryLeaves(deps.db), { count: POINTS, to: now, days: 365, seed: 4242 });
    await insertIncidentRows(deps.db, rows);
    const app = await buildApp(deps, { rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const context = await browser.newContext({ baseURL: base, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
      // every task over 50 ms that blocks the page, from the first paint on
      await context.addInitScript(() => {
        const w = window as unknown as { __long: number[] };
        w.__long = [];
        new PerformanceObserver((l) => l.getEntries().forEach((e) => w.__long.push(e.duration))).observe({ type: 'longtask', buffered: true });
      });
      const page = await context.newPage();
      const login = await page.request.post('/api/v1/auth/login', { data: { username: 'command', password: PASSWORD } });
      if (login.status() !== 200) throw new Error(`login: ${login.status()}`);
      const from = beijingDay(new Date(now.getTime() - 364 * 86_400_000));
      const t0 = performance.now();
      await page.goto(`/command/map?from=${from}&to=${beijingDay(now)}`);
      await page.waitForFunction((n) => {
        const m = (window as unknown as { __fqMap?: Measure }).__fqMap;
        return !!m && m.points >= n && m.indexMs !== undefined && m.renderMs !== undefined;
      }, POINTS, { timeout: 120_000 });
      const firstView = performance.now() - t0;
      const read = () => page.evaluate(() => ({ ...(window as unknown as { __fqMap: Measure }).__fqMap, long: (window as unknown as { __long: number[] }).__long.splice(0) }));
      const initial = await read();
      const steps: Array<{ step: string; renderMs?: number; drawn?: number; longestTaskMs: number }> = [];
      const settle = () => page.waitForTimeout(800);
      for (let i = 1; i <= 4; i++) {
        await page.locator('.leaflet-control-zoom-in').first().click();
        await settle();
        const m = await read();
        steps.push({ step: `zoom in ${i}`, renderMs: m.renderMs, drawn: m.drawn, longestTaskMs: Math.max(0, ...m.long) });
      }
      const box = (await page.getByTestId('one-map').boundingBox())!;
      for (let i = 1; i <= 3; i++) {
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + box.width / 2 - 220, box.y + box.height / 2 - 120, { steps: 12 });
        await page.mouse.up();
        await settle();
        const m = await read();
        steps.push({ step: `pan ${i}`, renderMs: m.renderMs, drawn: m.drawn, longestTaskMs: Math.max(0, ...m.long) });
      }
      const result = { points: initial.points, firstViewMs: Math.round(firstView), indexMs: Math.round(initial.indexMs ?? 0), firstRenderMs: Math.round(initial.renderMs ?? 0), longestTaskBeforeFirstViewMs: Math.round(Math.max(0, ...initial.long)), steps };
      console.log(`points ${result.points.toLocaleString()}: first view ${result.firstViewMs} ms (index ${result.indexMs} ms in the worker, first draw ${result.firstRenderMs} ms, longest task ${result.longestTaskBeforeFirstViewMs} ms)`);
      for (const s of steps) console.log(`  ${s.step.padEnd(10)} redraw ${Math.round(s.renderMs ?? 0)} ms, ${s.drawn} markers, longest task ${Math.round(s.longestTaskMs)} ms`);
      mkdirSync('.tmp/bench', { recursive: true });
      writeFileSync(`.tmp/bench/map-browser-${POINTS}.json`, JSON.stringify(result, null, 2));
      await context.close();
    } finally {
      await app.close();
    }
  } finally {
    await browser.close();
    await target.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
