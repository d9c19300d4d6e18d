import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Three apps are built from src/web: the staff console (index.html), the residents' portal for phones (portal.html,
// served under /m/) and the grid workers' field app (field.html, under /f/). The phone apps must never load the
// console's libraries (antd is over a megabyte),
// so third-party code is grouped by which app reaches it (walking the module graph down from each app's entry),
// not only by package:
// - reached from the console only → the console's groups below ('antd', 'query', 'vendor');
// - reached from the phone apps only (antd-mobile and its own dependencies: @react-spring, @use-gesture, ahooks,
//   rc-util, classnames, …) → never a console chunk; Rollup splits it by the apps' lazily loaded pages;
// - reached from the console and a phone app → 'react' for React and the router, 'shared' for small helpers (@babel/runtime, tslib),
//   and 'shared-<package>' for any other package, so that the portal loads only the ones it really uses.
const consoleChunks: Array<[string, RegExp]> = [
  ['antd', /[\\/]node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@babel[\\/]runtime|classnames|clsx|dayjs|throttle-debounce|compute-scroll-into-view|scroll-into-view-if-needed|stylis|@emotion)[\\/]/],
  ['query', /[\\/]node_modules[\\/]@tanstack[\\/]/],
  // the map and the charts load with the pages that use them, not with every console page
  ['map', /[\\/]node_modules[\\/](leaflet|leaflet\.heat|supercluster|kdbush)[\\/]/],
  ['charts', /[\\/]node_modules[\\/](echarts|zrender)[\\/]/],
];
const REACT = /[\\/]node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/;

const webRoot = fileURLToPath(new URL('./src/web/', import.meta.url));
const APP_ROOTS: Array<[string, number]> = [
  [`${webRoot}console/main.tsx`, 1],
  [`${webRoot}portal/main.tsx`, 2],
  [`${webRoot}mobile/main.tsx`, 4],
];
const CONSOLE = 1;

interface GraphInfo {
  importedIds: readonly string[];
  dynamicallyImportedIds: readonly string[];
}

/** Which app(s) reach each module (bit 1: console, bit 2: portal, bit 4: field app), walking down from each app's entry. */
function appsReaching(getModuleInfo: (id: string) => GraphInfo | null): Map<string, number> {
  const reach = new Map<string, number>();
  for (const [root, bit] of APP_ROOTS) {
    const stack = [root];
    while (stack.length) {
      const id = stack.pop()!;
      const seen = reach.get(id) ?? 0;
      if (seen & bit) continue;
      reach.set(id, seen | bit);
      const info = getModuleInfo(id);
      if (info) stack.push(...info.importedIds, ...info.dynamicallyImportedIds);
    }
  }
  return reach;
}

let reach: Map<string, number> | null = null;

export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: 'public',
  plugins: [
    react(),
    {
      name: 'fengqiao-apps',
      // a new output, a new module graph
      renderStart() {
        reach = null;
      },
      // the dev server serves the portal under /m/ and the field app under /f/ like the real server does
      configureServer(server) {
        server.middlewares.use((req, _res, next) => {
          if (req.url && /^\/m(\/|\?|$)/.test(req.url) && !/\.[a-z0-9]+(\?|$)/i.test(req.url)) req.url = '/portal.html';
          else if (req.url && /^\/f(\/|\?|$)/.test(req.url) && !/\.[a-z0-9]+(\?|$)/i.test(req.url)) req.url = '/field.html';
          next();
        });
      },
    },
  ],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // .vite/manifest.json: the server reads it to prefetch the resident portal's first screens from a plate page
    manifest: true,
    // antd (with its icons and rc-components) is one cohesive library that cannot be split without
    // circular chunks; it is large by nature but cached long-term.
    chunkSizeWarningLimit: 1600,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./src/web/index.html', import.meta.url)),
        portal: fileURLToPath(new URL('./src/web/portal.html', import.meta.url)),
        field: fileURLToPath(new URL('./src/web/field.html', import.meta.url)),
      },
      output: {
        manualChunks(id, { getModuleInfo }) {
          if (!id.includes('node_modules')) return undefined;
          if (REACT.test(id)) return 'react';
          reach ??= appsReaching(getModuleInfo);
          const apps = reach.get(id) ?? 0;
          // phone apps only: left to Rollup, which puts each antd-mobile part with the pages that use it, so the
          // sign-in page does not load the image uploader's gestures or the dialogs' animations
          if (!(apps & CONSOLE)) return undefined;
          // reached by the console and a phone app: small helpers together, any other package in a chunk of its
          // own, so that a phone app loads only what it uses of them (never the console's 'antd' chunk)
          if (apps !== CONSOLE) {
            if (/[\\/]node_modules[\\/](@babel[\\/]runtime|tslib)[\\/]/.test(id)) return 'shared';
            const pkg = /.*[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(id)?.[1] ?? 'vendor';
            return `shared-${pkg.replace(/[^a-z0-9]+/gi, '-')}`;
          }
          for (const [name, pattern] of consoleChunks) {
            if (pattern.test(id)) return name;
          }
          return 'vendor';
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/q/': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/q/': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
