import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built web apps; `WEB_DIR` overrides it (a second development build beside the default one). */
export const WEB_DIR = process.env.WEB_DIR ? `${process.env.WEB_DIR.replace(/\/+$/, '')}/` : fileURLToPath(new URL('../../../../dist/web/', import.meta.url));

let cached: { mtimeMs: number; tags: string } | undefined;

/**
 * `<link rel="prefetch">` tags for what the resident portal's first screen loads (its entry script, the
 * modules that entry preloads, its stylesheet), read from the built `portal.html`. A plate page carries them,
 * so that while a resident reads it the phone fetches the portal at idle priority and an action opens at
 * once; the plate page itself still runs no script. Empty when the portal is not built.
 */
export function portalPrefetchTags(webDir = WEB_DIR): string {
  const file = `${webDir}portal.html`;
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return '';
  }
  if (cached?.mtimeMs === mtimeMs) return cached.tags;
  const html = readFileSync(file, 'utf8');
  const urls = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
  const tags = [...new Set(urls)].map((u) => `<link rel="prefetch" href="${u}"${u.endsWith('.css') ? ' as="style"' : ' as="script" crossorigin'}>`).join('');
  cached = { mtimeMs, tags };
  return tags;
}
