import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portalPrefetchTags } from '../src/server/platform/http/web.js';

const dir = `${mkdtempSync(join(tmpdir(), 'fq-web-'))}/`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const portalHtml = (entry: string) =>
  `<!doctype html><html><head><script type="module" crossorigin src="/assets/${entry}"></script>` +
  '<link rel="modulepreload" crossorigin href="/assets/react-abc.js"><link rel="stylesheet" crossorigin href="/assets/portal-def.css">' +
  '<link rel="icon" href="/favicon.svg"></head><body></body></html>';

describe('the plate page prefetches the resident portal', () => {
  it('is empty when the portal is not built', () => {
    expect(portalPrefetchTags(`${dir}missing/`)).toBe('');
  });

  it('names the entry, its preloaded modules and its stylesheet, and follows a rebuild', () => {
    writeFileSync(`${dir}portal.html`, portalHtml('portal-1.js'));
    const tags = portalPrefetchTags(dir);
    expect(tags).toBe(
      '<link rel="prefetch" href="/assets/portal-1.js" as="script" crossorigin>' +
        '<link rel="prefetch" href="/assets/react-abc.js" as="script" crossorigin>' +
        '<link rel="prefetch" href="/assets/portal-def.css" as="style">',
    );
    expect(tags).not.toContain('favicon');
    writeFileSync(`${dir}portal.html`, portalHtml('portal-2.js'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(`${dir}portal.html`, later, later);
    expect(portalPrefetchTags(dir)).toContain('/assets/portal-2.js');
  });
});
