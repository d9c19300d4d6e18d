// What a resident's phone loads after scanning a plate, under throttled networks in Chromium: the plate's
// landing page (/q/{token}) and the resident portal's first screen behind an action (/m/p/{token}/residence,
// which shows the sign-in for a new visitor). Both cold (empty cache) and warm (a second visit).
//
//   npm run bench:portal            every network profile, 5 cold + 3 warm loads per page
//   npm run bench:portal:smoke      one profile, one load each (CI)
//
// Needs the built web apps (npm run build:web). The server runs in process on 127.0.0.1 with a small demo
// district on a throwaway PGlite (or BENCH_DATABASE_URL). Chromium is Debian's (/usr/bin/chromium, or
// CHROMIUM_PATH). Throttling is Chromium's own (DevTools protocol): latency, throughput, and a CPU slowdown of
// 4× for a cheap phone. Results are printed and written to .tmp/bench/portal-page.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import type { FastifyBaseLogger } from 'fastify';
import { ensureDemo, openDeps } from '../src/server/bootstrap.js';
import { buildApp, WEB_DIR } from '../src/server/app.js';
import { benchConfig, openTarget } from './target.js';

const { values: args } = parseArgs({ options: { smoke: { type: 'boolean', default: false }, runs: { type: 'string' } } });
const SMOKE = args.smoke;
const COLD_RUNS = Number(args.runs ?? (SMOKE ? 1 : 5));
const WARM_RUNS = SMOKE ? 1 : 3;
/** The JavaScript a plate's landing page may load, compressed (the budget). */
export const LANDING_JS_BUDGET = 80 * 1024;

interface Profile {
  name: string;
  latencyMs: number;
  downKbps: number;
  upKbps: number;
  cpu: number;
}
// Chromium DevTools' presets (round-trip latency, throughput), with a 4× slower CPU for a cheap phone
const PROFILES: Profile[] = [
  { name: 'Slow 3G', latencyMs: 2000, downKbps: 400, upKbps: 400, cpu: 4 },
  { name: 'Fast 3G', latencyMs: 562.5, downKbps: 1440, upKbps: 675, cpu: 4 },
  { name: 'Slow 4G', latencyMs: 150, downKbps: 1600, upKbps: 750, cpu: 4 },
];

interface Load {
  fcpMs: number | null;
  lcpMs: number | null;
  domContentLoadedMs: number;
  loadMs: number;
  /** Encoded (as transferred) bytes by resource type, from the DevTools protocol. */
  bytes: Record<string, number>;
  requests: number;
}

/**
 * `warm`: a second visit (the cache filled by a first). `from`: the page is reached by tapping its link on this
 * page (loaded and idle first, so what it prefetches is in the cache) — bytes and times are the tap's.
 */
async function measure(browser: Browser, url: string, profile: Profile, warm: boolean, from?: string): Promise<Load> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  const page: Page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (warm) await page.goto(url, { waitUntil: 'load' }); // fills the cache; throttling starts after
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.latencyMs,
    downloadThroughput: (profile.downKbps * 1024) / 8,
    uploadThroughput: (profile.upKbps * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  const bytes: Record<string, number> = {};
  const types = new Map<string, string>();
  let requests = 0;
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, e.type));
  cdp.on('Network.loadingFinished', (e) => {
    const type = types.get(e.requestId) ?? 'Other';
    bytes[type] = (bytes[type] ?? 0) + e.encodedDataLength;
    requests++;
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number | null };
    w.__lcp = null;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__lcp = e.startTime;
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  });
  if (from) {
    await page.goto(from, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForLoadState('networkidle', { timeout: 120_000 });
    for (const k of Object.keys(bytes)) delete bytes[k];
    requests = 0;
    await Promise.all([page.waitForURL((u) => u.pathname !== new URL(from).pathname, { timeout: 120_000 }), page.locator(`a[href="${new URL(url).pathname}"]`).click()]);
  } else {
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  }
  await page.waitForLoadState('networkidle', { timeout: 120_000 });
  const t = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    return {
      fcpMs: fcp ? fcp.startTime : null,
      lcpMs: (window as unknown as { __lcp: number | null }).__lcp,
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      loadMs: nav.loadEventEnd,
    };
  });
  await context.close();
  return { ...t, bytes, requests };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

async function main() {
  if (!existsSync(`${WEB_DIR}portal.html`)) throw new Error(`no built resident portal in ${WEB_DIR}: run npm run build:web first`);
  const target = await openTarget('fq_portal_bench');
  const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
  const deps = await openDeps(benchConfig('Bench@2026'), log, target.database);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    await ensureDemo(deps, { people: 300 });
    const plate = await deps.db
      .selectFrom('plates as p')
      .innerJoin('addresses as a', 'a.id', 'p.address_id')
      .select('p.token')
      .where('p.status', '=', 'active')
      .where('a.level', '=', 'room')
      .orderBy('p.issued_at')
      .limit(1)
      .executeTakeFirstOrThrow();
    const app = await buildApp(deps, { rateLimit: false });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const landing = `${base}/q/${plate.token}`;
    const pages: Array<{ page: string; url: string; from?: string; caches: boolean[] }> = [
      { page: 'landing /q/{token}', url: landing, caches: [false, true] },
      { page: 'portal /m/p/{token}/residence', url: `${base}/m/p/${plate.token}/residence`, caches: [false, true] },
      { page: 'tap 流动人口报备 on the landing', url: `${base}/m/p/${plate.token}/residence`, from: landing, caches: [false] },
    ];
    const rows: Array<Record<string, unknown>> = [];
    for (const profile of SMOKE ? PROFILES.slice(0, 1) : PROFILES) {
      for (const p of pages) {
        for (const warm of p.caches) {
          const loads: Load[] = [];
          for (let i = 0; i < (warm ? WARM_RUNS : COLD_RUNS); i++) loads.push(await measure(browser, p.url, profile, warm, p.from));
          const last = loads[loads.length - 1];
          rows.push({
            profile: profile.name,
            page: p.page,
            cache: p.from ? 'after landing' : warm ? 'warm' : 'cold',
            runs: loads.length,
            fcpMs: Math.round(median(loads.map((l) => l.fcpMs ?? NaN))),
            lcpMs: Math.round(median(loads.map((l) => l.lcpMs ?? NaN))),
            loadMs: Math.round(median(loads.map((l) => l.loadMs))),
            jsKB: kb(last.bytes.Script ?? 0),
            htmlKB: kb(last.bytes.Document ?? 0),
            cssKB: kb(last.bytes.Stylesheet ?? 0),
            imgKB: kb(last.bytes.Image ?? 0),
            apiKB: kb((last.bytes.Fetch ?? 0) + (last.bytes.XHR ?? 0)),
            // idle-time prefetches (the plate page's of the resident portal) and anything else
            otherKB: kb(last.bytes.Other ?? 0),
            totalKB: kb(Object.values(last.bytes).reduce((a, b) => a + b, 0)),
            requests: last.requests,
          });
        }
      }
    }
    await app.close();
    console.table(rows);
    const landingJs = Math.max(...rows.filter((r) => String(r.page).startsWith('landing') && r.cache === 'cold').map((r) => Number(r.jsKB)));
    console.log(`landing page JavaScript: ${landingJs} KB compressed (budget ${LANDING_JS_BUDGET / 1024} KB)`);
    mkdirSync('.tmp/bench', { recursive: true });
    writeFileSync(
      '.tmp/bench/portal-page.json',
      JSON.stringify({ at: new Date().toISOString(), machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, database: target.kind, rows }, null, 2),
    );
    if (landingJs * 1024 > LANDING_JS_BUDGET) {
      console.error('the landing page is over its JavaScript budget');
      process.exitCode = 1;
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
