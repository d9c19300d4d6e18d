import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('adds the sign-in page and everything it imports when the build manifest is there', () => {
    mkdirSync(`${dir}.vite`, { recursive: true });
    writeFileSync(
      `${dir}.vite/manifest.json`,
      JSON.stringify({
        'portal.html': { file: 'assets/portal-3.js', imports: ['_react.js'], css: ['assets/portal-3.css'], dynamicImports: ['portal/pages/Login.tsx', 'portal/pages/HelpForm.tsx'] },
        '_react.js': { file: 'assets/react-3.js' },
        '_validate.js': { file: 'assets/validate-3.js', imports: ['_react.js'] },
        'portal/pages/Login.tsx': { file: 'assets/Login-3.js', imports: ['_react.js', 'portal.html', '_validate.js'] },
        'portal/pages/HelpForm.tsx': { file: 'assets/HelpForm-3.js', css: ['assets/HelpForm-3.css'] },
      }),
    );
    const hrefs = [...portalPrefetchTags(dir).matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.sort()).toEqual(['/assets/Login-3.js', '/assets/portal-3.css', '/assets/portal-3.js', '/assets/react-3.js', '/assets/validate-3.js']);
  });
});
