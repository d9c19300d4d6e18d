// Small helpers shared by the portal's pages.

/** A client id for one fill of a form; a retry reuses it so the server answers with the first submission. */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const b = new Uint8Array(16);
  if (c && typeof c.getRandomValues === 'function') c.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Wall-clock parts in Asia/Shanghai, whatever the phone's zone. */
function cst(iso: string): Date {
  return new Date(new Date(iso).getTime() + 8 * 3600_000);
}

export function fmtDateTime(iso: string): string {
  const d = cst(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function fmtDate(iso: string): string {
  return fmtDateTime(iso).slice(0, 10);
}

export function fmtTime(iso: string): string {
  return fmtDateTime(iso).slice(11);
}

export function fmtDistance(m: number | null): string | null {
  if (m == null) return null;
  return m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(m < 10_000 ? 1 : 0)} 公里`;
}

// ---- nested values by dotted path: 'tenants.1.idNumber' ----------------------------------------------

export function getIn(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const k of path.split('.')) {
    if (cur === null || cur === undefined) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

export function setIn<T>(obj: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const src = (obj ?? {}) as Record<string, unknown>;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(src) ? [...src] : { ...src };
  (copy as Record<string, unknown>)[head] = rest.length ? setIn((src as Record<string, unknown>)[head], rest.join('.'), value) : value;
  return copy as T;
}

/** localStorage that never throws (private mode, full quota). */
export const store = {
  get<T>(key: string): T | null {
    try {
      const s = localStorage.getItem(key);
      return s ? (JSON.parse(s) as T) : null;
    } catch {
      return null;
    }
  },
  set(key: string, value: unknown): void {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // nothing to do: the draft is a convenience
    }
  },
  remove(key: string): void {
    try {
      localStorage.removeItem(key);
    } catch {
      // ignore
    }
  },
};

/** A relative in-app path to return to after signing in; anything else is refused. */
export function safeNext(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  return next;
}
