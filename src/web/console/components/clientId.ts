/**
 * A random UUID (v4) naming one submission, so that a repeated submit is recognised by the server.
 * `crypto.randomUUID` exists only in secure contexts (HTTPS, localhost); on a plain-HTTP intranet address the
 * same value is built from `crypto.getRandomValues`, which is always there.
 */
export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') {
    try {
      return crypto.randomUUID();
    } catch {
      // not a secure context: fall through
    }
  }
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
