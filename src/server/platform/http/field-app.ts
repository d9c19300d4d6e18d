import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { WEB_DIR } from './web.js';

// The field app (/f/) is an installable PWA that keeps working without a network: its service worker precaches the
// app's shell and code, and the pages keep their data in IndexedDB. Both the worker and the web app manifest are
// generated here, at request time, from the build manifest, so a new build is picked up without a restart.

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
  assets?: string[];
}

/** The key of the field app's entry in Vite's build manifest. */
export const FIELD_ENTRY = 'field.html';

const mtime = (file: string) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/**
 * The files the field app needs offline: its page, the entry's script and stylesheet, every module it imports,
 * and its lazily loaded pages with theirs (walking `imports` and `dynamicImports` from the entry). Empty when the
 * app is not built.
 */
export function fieldAppFiles(webDir = WEB_DIR): string[] {
  const manifestFile = `${webDir}.vite/manifest.json`;
  if (mtime(`${webDir}field.html`) === undefined) return [];
  const files = new Set<string>(['/field.html']);
  if (mtime(manifestFile) === undefined) {
    // no manifest: what the page itself names
    for (const m of readFileSync(`${webDir}field.html`, 'utf8').matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) files.add(m[1]);
    return [...files];
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, ManifestChunk>;
  const seen = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const c = manifest[key];
    if (!c) return;
    if (!c.file.endsWith('.html')) files.add(`/${c.file}`);
    for (const css of c.css ?? []) files.add(`/${css}`);
    for (const a of c.assets ?? []) files.add(`/${a}`);
    for (const i of c.imports ?? []) walk(i);
    for (const i of c.dynamicImports ?? []) walk(i);
  };
  walk(FIELD_ENTRY);
  return [...files];
}

let cached: { key: string; source: string } | undefined;

/** The service worker's source for the current build (cached until the build changes). */
export function fieldServiceWorker(webDir = WEB_DIR): string {
  const key = `${webDir}:${mtime(`${webDir}field.html`)}:${mtime(`${webDir}.vite/manifest.json`)}`;
  if (cached?.key === key) return cached.source;
  const files = fieldAppFiles(webDir);
  const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
  const source = `// 网格采集 service worker (generated from the build: ${files.length} files)
'use strict';
const VERSION = ${JSON.stringify(version)};
const SHELL = '/field.html';
const PRECACHE = ${JSON.stringify(files)};
const CACHE = 'fq-field-' + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.map((u) => new Request(u, { cache: 'reload' })))).then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('fq-field-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET') return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  // the API is never cached: the app keeps its own data in IndexedDB
  if (url.pathname.startsWith('/api/')) return;
  if (req.mode === 'navigate') {
    if (url.pathname !== '/f' && !url.pathname.startsWith('/f/')) return;
    // network first, so a new build is seen at once; offline, the cached shell
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) {
            const copy = res.clone();
            void caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return res;
        })
        .catch(() => caches.match(SHELL, { cacheName: CACHE }).then((hit) => hit || caches.match(SHELL)).then((hit) => hit || Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname === '/favicon.svg' || url.pathname === '/f/icon.svg') {
    // hashed files never change: cache first
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ||
          fetch(req).then((res) => {
            if (res.ok) {
              const copy = res.clone();
              void caches.open(CACHE).then((cache) => cache.put(req, copy));
            }
            return res;
          }),
      ),
    );
  }
});
`;
  cached = { key, source };
  return source;
}

/** The web app manifest: installable as 网格采集, opening at /f/ in its own window. */
export function fieldWebManifest() {
  return {
    name: '网格采集',
    short_name: '网格采集',
    description: '网格员、警务助理的一标三实采集、巡查走访与任务',
    lang: 'zh-CN',
    id: '/f/',
    start_url: '/f/',
    scope: '/f/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#f2f4f8',
    theme_color: '#0b4aa2',
    icons: [
      { src: '/f/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
      { src: '/f/icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'maskable' },
    ],
  };
}

/** The app icon: a police-blue square with a shield and a grid (safe zone kept for maskable icons). */
export const FIELD_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" fill="#0b4aa2"/><path d="M256 104l120 44v88c0 76-52 136-120 164-68-28-120-88-120-164v-88z" fill="#fff"/><path d="M196 190h120M196 240h120M196 290h120M226 160v170M286 160v170" stroke="#0b4aa2" stroke-width="14" stroke-linecap="round"/></svg>`;

/** The field app's service worker (`/f/sw.js`), web app manifest (`/f/manifest.webmanifest`) and icon. */
export function fieldAppRoutes(app: FastifyInstance, webDir = WEB_DIR) {
  app.get('/f/sw.js', { schema: { hide: true } }, (_req, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('service-worker-allowed', '/f/')
      .send(fieldServiceWorker(webDir)),
  );
  app.get('/f/manifest.webmanifest', { schema: { hide: true } }, (_req, reply) =>
    reply.header('content-type', 'application/manifest+json; charset=utf-8').header('cache-control', 'no-cache').send(JSON.stringify(fieldWebManifest())),
  );
  app.get('/f/icon.svg', { schema: { hide: true } }, (_req, reply) =>
    reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(FIELD_ICON_SVG),
  );
}
