// What a scanned or typed plate code means: the token of a plate URL (…/q/{token}, or the app's own /f/p/{token}
// and the portal's /m/p/{token}), or a bare token / address code typed by hand. Pure (tested in tests/field-app.test.ts).

const TOKEN = '[A-Za-z0-9_-]{4,128}';
const IN_URL = new RegExp(`/(?:q|f/p|m/p)/(${TOKEN})(?:[/?#]|$)`);
const BARE = new RegExp(`^${TOKEN}$`);

export type PlateInput = { kind: 'token'; token: string } | { kind: 'code'; code: string } | null;

/** A plate URL → its token; a bare word → a code to look up (an address code or a token); anything else → null. */
export function parsePlateInput(raw: string): PlateInput {
  const s = raw.trim();
  if (!s) return null;
  const m = IN_URL.exec(s);
  if (m) return { kind: 'token', token: m[1] };
  if (/^https?:\/\//i.test(s)) return null;
  if (BARE.test(s)) return { kind: 'code', code: s };
  return null;
}
