import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built web apps; `WEB_DIR` overrides it (a second development build beside the default one). */
export const WEB_DIR = process.env.WEB_DIR ? `${process.env.WEB_DIR.replace(/\/+$/, '')}/` : fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

/** The pages of the resident portal a plate page prefetches besides its shell: the sign-in a new visitor meets first. */
export const PREFETCHED_PORTAL_PAGES = ['portal/pages/Login.tsx'];

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
}

let cached: { key: string; tags: string } | undefined;

const mtime = (file: string) => {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The files the portal's shell and its prefetched pages load, from the build manifest (Vite's). */
function fromManifest(manifest: Record<string, ManifestChunk>): string[] {
  const files = new Set<string>();
  const walk = (key: string) => {
    const c = manifest[key];
    if (!c || files.has(`/${c.file}`)) return;
    files.add(`/${c.file}`);
    for (const css of c.css ?? []) files.add(`/${css}`);
    for (const i of c.imports ?? []) walk(i);
  };
  walk('portal.html');
  for (const page of PREFETCHED_PORTAL_PAGES) walk(page);
  return [...files];
}

/**
 * `<link rel="prefetch">` tags for what the resident portal's first screen loads: its shell (entry script, the
 * modules that entry preloads, its stylesheet) and the sign-in page, from the build manifest, or from the
 * built `portal.html` alone without one. A plate page carries them, so that while a resident reads it the phone
 * fetches the portal at idle priority and an action opens at once; the plate page itself still runs no
 * script. Empty when the portal is not built.
 */
export function portalPrefetchTags(webDir = WEB_DIR): string {
  const html = `${webDir}portal.html`;
  const manifest = `${webDir}.vite/manifest.json`;
  const key = `${mtime(html)}:${mtime(manifest)}`;
  if (cached?.key === key) return cached.tags;
  let urls: string[] = [];
  if (mtime(html) !== undefined) {
    urls =
      mtime(manifest) !== undefined
        ? fromManifest(JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, ManifestChunk>)
        : [...readFileSync(html, 'utf8').matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  }
  const tags = [...new Set(urls)].map((u) => `<link rel="prefetch" href="${u}"${u.endsWith('.css') ? ' as="style"' : ' as="script" crossorigin'}>`).join('');
  cached = { key, tags };
  return tags;
}
