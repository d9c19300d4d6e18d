import { cellToBoundary, cellToLatLng, cellToParent, latLngToCell } from 'h3-js';

/**
 * Places and times as the incident analysis bins them (docs/api-command.md "Analysis"): H3 cells of resolution 9
 * (about 0.1 km², edge ≈ 200 m) stored as the decimal text of their 64-bit index, and hours of the week in Beijing
 * time. Shared by the server (binning on write, aggregating on read) and the console (drawing cells on the map).
 */
export const H3_RES = 9;
export const HOURS_PER_WEEK = 168;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The resolution-9 cell of a point, as the decimal string stored in the `h3` bigint columns. */
export function cellOf(lat: number, lng: number, res = H3_RES): string {
  return BigInt(`0x${latLngToCell(lat, lng, res)}`).toString();
}

const hex = (cell: string) => BigInt(cell).toString(16);
const dec = (h: string) => BigInt(`0x${h}`).toString();

/** The parent of a stored cell at a coarser resolution (7 ≈ 5 km², 8 ≈ 0.7 km²). */
export function parentCell(cell: string, res: number): string {
  return dec(cellToParent(hex(cell), res));
}

/** The centre of a stored cell, [lat, lng]. */
export function cellCentre(cell: string): [number, number] {
  return cellToLatLng(hex(cell));
}

/** The outline of a stored cell as a ring of [lat, lng]. */
export function cellOutline(cell: string): Array<[number, number]> {
  return cellToBoundary(hex(cell)) as Array<[number, number]>;
}

/** Hour of the week in Beijing time: 0 = Monday 00:00–00:59 … 167 = Sunday 23:00–23:59. */
export function hourOfWeek(at: Date): number {
  const b = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return ((b.getUTCDay() + 6) % 7) * 24 + b.getUTCHours();
}

/** The Beijing calendar date of an instant, YYYY-MM-DD. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

export const WEEKDAYS_ZH = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** "周三 21时" for an hour of the week. */
export function hourOfWeekLabel(how: number): string {
  return `${WEEKDAYS_ZH[Math.floor(how / 24)]} ${how % 24}时`;
}

/**
 * Whether a change between two counts is more than noise. Counts of incidents are treated as Poisson: given the total
 * n = a + b, the current count a is Binomial(n, ½) under "no change", so z = (a − b) / √(a + b). |z| ≥ 1.96 is a
 * change at the 95 % level; with fewer than 5 incidents in all nothing is claimed.
 */
export function changeSignificance(current: number, previous: number): { z: number | null; verdict: 'up' | 'down' | 'noise' | 'too_few' } {
  const n = current + previous;
  if (n < 5) return { z: null, verdict: 'too_few' };
  const z = (current - previous) / Math.sqrt(n);
  return { z: Math.round(z * 100) / 100, verdict: z >= 1.96 ? 'up' : z <= -1.96 ? 'down' : 'noise' };
}

/** Distance in metres between two points (haversine). */
export function metresBetween(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const R = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(s));
}
