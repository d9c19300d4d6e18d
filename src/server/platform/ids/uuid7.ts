/**
 * UUID version 7 (RFC 9562) begins with its creation time in milliseconds, so ids made from a moment on sort
 * after the smallest id of that moment. `uuidv7Floor` is that smallest id: `id >= uuidv7Floor(t)` selects the
 * rows created from `t` on through the primary key, without an index on the time column.
 */
export function uuidv7Floor(at: Date): string {
  const ms = at.getTime();
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`no UUIDv7 for ${String(at)}`);
  const hex = ms.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-7000-8000-000000000000`;
}
