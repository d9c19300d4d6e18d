// The field app's installable shell: the service worker generated from the build manifest (what it precaches, how
// it answers offline), the web app manifest, their cache headers, the plate page's staff link, and the parsing of
// scanned plate codes.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldAppFiles, fieldAppRoutes, fieldServiceWorker } from '../src/server/platform/http/field-app.js';
import { parsePlateInput } from '../src/web/mobile/lib/plate.js';
import { createTestApp, type TestApp } from './support/app.js';
import { insertAddress } from './support/registry-fixtures.js';
import { systemContext } from '../src/server/platform/access/context.js';
import { PERMISSIONS } from '../src/server/platform/access/permissions.js';
import { issuePlate } from '../src/server/modules/addresses/plates.js';

/** A tiny build: the console, the portal and the field app, sharing the react chunk; the field app with lazy pages. */
function fakeBuild(): string {
  const dir = `${mkdtempSync(join(tmpdir(), 'fq-field-web-'))}/`;
  mkdirSync(`${dir}.vite`);
  mkdirSync(`${dir}assets`);
  writeFileSync(`${dir}index.html`, '<!doctype html><script type="module" src="/assets/index-1.js"></script>');
  writeFileSync(`${dir}field.html`, '<!doctype html><script type="module" src="/assets/field-1.js"></script><link rel="stylesheet" href="/assets/field-1.css">');
  const manifest = {
    'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_react-1.js', '_antd-1.js'], css: ['assets/index-1.css'] },
    'portal.html': { file: 'assets/portal-1.js', isEntry: true, imports: ['_react-1.js'], dynamicImports: ['portal/pages/Login.tsx'] },
    'portal/pages/Login.tsx': { file: 'assets/PortalLogin-1.js', isDynamicEntry: true },
    'field.html': {
      file: 'assets/field-1.js',
      src: 'field.html',
      isEntry: true,
      imports: ['_react-1.js', '_nav-bar-1.js'],
      dynamicImports: ['mobile/pages/Scan.tsx', 'mobile/pages/Tasks.tsx'],
      css: ['assets/field-1.css'],
    },
    '_react-1.js': { file: 'assets/react-1.js' },
    '_antd-1.js': { file: 'assets/antd-1.js' },
    '_nav-bar-1.js': { file: 'assets/nav-bar-1.js', css: ['assets/nav-bar-1.css'] },
    'mobile/pages/Scan.tsx': { file: 'assets/Scan-1.js', isDynamicEntry: true, imports: ['_nav-bar-1.js'], dynamicImports: ['node_modules/jsqr/dist/jsQR.js'] },
    'node_modules/jsqr/dist/jsQR.js': { file: 'assets/jsQR-1.js', isDynamicEntry: true },
    'mobile/pages/Tasks.tsx': { file: 'assets/Tasks-1.js', isDynamicEntry: true, css: ['assets/Tasks-1.css'], assets: ['assets/empty-1.svg'] },
  };
  writeFileSync(`${dir}.vite/manifest.json`, JSON.stringify(manifest));
  return dir;
}

const dirs: string[] = [];
let bare: FastifyInstance;
let web: string;

beforeAll(async () => {
  web = fakeBuild();
  dirs.push(web);
  bare = Fastify();
  fieldAppRoutes(bare, web);
  await bare.ready();
});

afterAll(async () => {
  await bare.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const precacheOf = (source: string) => JSON.parse(/const PRECACHE = (\[.*?\]);/.exec(source)![1]) as string[];

describe('the service worker /f/sw.js', () => {
  it("precaches the field app's page, entry, stylesheets and every lazily loaded chunk, and nothing of the console", () => {
    const files = fieldAppFiles(web);
    expect(files.sort()).toEqual(
      [
        '/field.html',
        '/assets/field-1.js',
        '/assets/field-1.css',
        '/assets/react-1.js',
        '/assets/nav-bar-1.js',
        '/assets/nav-bar-1.css',
        '/assets/Scan-1.js',
        '/assets/jsQR-1.js',
        '/assets/Tasks-1.js',
        '/assets/Tasks-1.css',
        '/assets/empty-1.svg',
      ].sort(),
    );
    expect(precacheOf(fieldServiceWorker(web)).sort()).toEqual(files.sort());
  });

  it('is served as JavaScript with no-cache, scoped to /f/', async () => {
    const res = await bare.inject({ method: 'GET', url: '/f/sw.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['service-worker-allowed']).toBe('/f/');
    expect(precacheOf(res.body)).toContain('/assets/jsQR-1.js');
  });

  it('changes its version when the build changes, so phones install the new one', () => {
    const dir = fakeBuild();
    dirs.push(dir);
    const before = fieldServiceWorker(dir);
    const manifest = JSON.parse(readFileSync(`${dir}.vite/manifest.json`, 'utf8'));
    manifest['field.html'].file = 'assets/field-2.js';
    writeFileSync(`${dir}.vite/manifest.json`, JSON.stringify(manifest));
    // a different modification time, whatever the file system's resolution
    utimesSync(`${dir}.vite/manifest.json`, new Date(), new Date(Date.now() + 5_000));
    const after = fieldServiceWorker(dir);
    const version = (s: string) => /const VERSION = "([0-9a-f]+)"/.exec(s)![1];
    expect(version(after)).not.toBe(version(before));
    expect(precacheOf(after)).toContain('/assets/field-2.js');
  });

  it('without a build it still answers, with nothing to precache; without a manifest it reads the page', () => {
    const empty = `${mkdtempSync(join(tmpdir(), 'fq-field-none-'))}/`;
    dirs.push(empty);
    expect(fieldAppFiles(empty)).toEqual([]);
    expect(precacheOf(fieldServiceWorker(empty))).toEqual([]);
    writeFileSync(`${empty}field.html`, '<script type="module" src="/assets/f-9.js"></script><link href="/assets/f-9.css" rel="stylesheet">');
    expect(fieldAppFiles(empty).sort()).toEqual(['/assets/f-9.css', '/assets/f-9.js', '/field.html']);
  });

  describe('running in a simulated browser', () => {
    // a worker global with Cache Storage and fetch of our own
    function load(network: (req: Request) => Promise<Response>) {
      const handlers: Record<string, (e: unknown) => void> = {};
      const stores = new Map<string, Map<string, Response>>();
      const keyOf = (r: Request | string) => (typeof r === 'string' ? new URL(r, 'https://fq.test').href : r.url);
      const cacheOf = (name: string) => {
        if (!stores.has(name)) stores.set(name, new Map());
        const m = stores.get(name)!;
        return {
          addAll: async (reqs: Request[]) => {
            for (const r of reqs) m.set(keyOf(r), await network(r));
          },
          put: async (r: Request | string, res: Response) => void m.set(keyOf(r), res),
          match: async (r: Request | string) => m.get(keyOf(r))?.clone(),
        };
      };
      const caches = {
        open: async (name: string) => cacheOf(name),
        keys: async () => [...stores.keys()],
        delete: async (name: string) => stores.delete(name),
        match: async (r: Request | string, opts?: { cacheName?: string }) => {
          for (const [name, m] of stores) if (!opts?.cacheName || opts.cacheName === name) if (m.has(keyOf(r))) return m.get(keyOf(r))!.clone();
          return undefined;
        },
      };
      const self = {
        location: { origin: 'https://fq.test' },
        addEventListener: (type: string, h: (e: unknown) => void) => (handlers[type] = h),
        skipWaiting: async () => undefined,
        clients: { claim: async () => undefined },
      };
      const fetchFn = (r: Request) => network(r);
      const source = fieldServiceWorker(web);
      vm.runInNewContext(source, { self, caches, fetch: fetchFn, Request: class extends Request { constructor(u: string, init?: RequestInit) { super(new URL(u, 'https://fq.test'), init); } }, Response, URL, Promise });
      const dispatch = async (type: string, request?: Request) => {
        let waited: Promise<unknown> | undefined;
        let responded: Promise<Response> | undefined;
        handlers[type]({ request, waitUntil: (p: Promise<unknown>) => (waited = p), respondWith: (p: Promise<Response>) => (responded = p) });
        await waited;
        return responded;
      };
      return { dispatch, stores };
    }
    // a navigation (a Request cannot be constructed with mode 'navigate' outside a browser)
    const nav = (path: string) => ({ method: 'GET', url: `https://fq.test${path}`, mode: 'navigate' }) as unknown as Request;

    it('installs the precache, answers navigations from the network and, offline, with the cached shell; never touches the API', async () => {
      let offline = false;
      const seen: string[] = [];
      const sw = load(async (r) => {
        seen.push(new URL(r.url).pathname);
        if (offline) throw new TypeError('Failed to fetch');
        return new Response(new URL(r.url).pathname.endsWith('.html') || r.mode === 'navigate' ? '<html>field</html>' : 'js', { status: 200 });
      });
      await sw.dispatch('install');
      const cache = [...sw.stores.values()][0];
      expect([...cache.keys()].map((k) => new URL(k).pathname).sort()).toEqual(fieldAppFiles(web).sort());
      await sw.dispatch('activate');

      const online = await sw.dispatch('fetch', nav('/f/p/abc'));
      expect(await online!.text()).toBe('<html>field</html>');
      offline = true;
      const fallback = await sw.dispatch('fetch', nav('/f/a/xyz'));
      expect(fallback!.status).toBe(200);
      expect(await fallback!.text()).toBe('<html>field</html>');

      // hashed assets come from the cache without the network
      seen.length = 0;
      const asset = await sw.dispatch('fetch', new Request('https://fq.test/assets/Scan-1.js'));
      expect(await asset!.text()).toBe('js');
      expect(seen).toEqual([]);

      // the API, other origins, writes and pages outside /f/ are left to the browser
      expect(await sw.dispatch('fetch', new Request('https://fq.test/api/v1/field/pack'))).toBeUndefined();
      expect(await sw.dispatch('fetch', new Request('https://fq.test/api/v1/field/sync', { method: 'POST', body: '{}' }))).toBeUndefined();
      expect(await sw.dispatch('fetch', new Request('https://other.test/assets/x.js'))).toBeUndefined();
      expect(await sw.dispatch('fetch', nav('/m/p/abc'))).toBeUndefined();
      expect([...cache.keys()].some((k) => k.includes('/api/'))).toBe(false);
    });
  });
});

describe('the web app manifest /f/manifest.webmanifest', () => {
  it('makes 网格采集 installable under /f/, with no-cache', async () => {
    const res = await bare.inject({ method: 'GET', url: '/f/manifest.webmanifest' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/manifest\+json/);
    expect(res.headers['cache-control']).toBe('no-cache');
    const m = res.json();
    expect(m).toMatchObject({ name: '网格采集', start_url: '/f/', scope: '/f/', display: 'standalone', lang: 'zh-CN' });
    expect(m.icons.length).toBeGreaterThan(0);
    for (const icon of m.icons) {
      const r = await bare.inject({ method: 'GET', url: icon.src });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe(icon.type);
      expect(r.body).toMatch(/^<svg /);
    }
  });
});

describe('in the real server', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    const a = await insertAddress(t.deps, { grid: '371602005001001' });
    token = (await issuePlate(t.deps, systemContext(Object.keys(PERMISSIONS)), a.id, {})).token;
  });
  afterAll(() => t?.close());

  it('serves the worker and the manifest (not the console page), uncached', async () => {
    for (const url of ['/f/sw.js', '/f/manifest.webmanifest']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).not.toMatch(/<!doctype html>/i);
    }
  });

  it("the plate page carries a small staff link to the record in the field app; unknown plates don't", async () => {
    const page = await t.app.inject({ method: 'GET', url: `/q/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`<a class="staff" href="/f/p/${token}" rel="nofollow">工作人员采集入口</a>`);
    const unknown = await t.app.inject({ method: 'GET', url: '/q/AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(unknown.body).not.toContain('/f/p/');
  });
});

describe('reading a scanned or typed plate code', () => {
  it.each([
    ['https://fq.example.cn/q/Ab_9-xYz0123456789abcd', { kind: 'token', token: 'Ab_9-xYz0123456789abcd' }],
    ['http://10.0.0.5:3000/q/tok12345?from=wx', { kind: 'token', token: 'tok12345' }],
    ['  https://fq.example.cn/f/p/tok12345  ', { kind: 'token', token: 'tok12345' }],
    ['/m/p/tok12345/rental', { kind: 'token', token: 'tok12345' }],
    ['371602005001001R0042', { kind: 'code', code: '371602005001001R0042' }],
    ['https://example.cn/other/tok12345', null],
    ['门牌', null],
    ['', null],
    ['abc', null],
  ])('%s', (input, expected) => {
    expect(parsePlateInput(input)).toEqual(expected);
  });
});
