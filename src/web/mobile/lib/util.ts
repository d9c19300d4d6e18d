// Small helpers shared by the field app's pages.
export { newClientId } from '../../portal/lib/util';
export { downscale } from '../../portal/lib/image';
export { toast, confirmDialog, alertDialog } from '../../portal/lib/notify';

const pad = (n: number) => String(n).padStart(2, '0');

/** Wall-clock parts in Asia/Shanghai, whatever the phone's zone. */
const cst = (iso: string | number) => new Date(new Date(iso).getTime() + 8 * 3600_000);

export function fmtDateTime(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '';
  const d = cst(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export const fmtDate = (iso: string | null | undefined) => (iso ? (iso.length === 10 ? iso : fmtDateTime(iso).slice(0, 10)) : '');

/** Short: today → 14:05, else 11-03 14:05. */
export function fmtShort(iso: string | null | undefined): string {
  const full = fmtDateTime(iso);
  if (!full) return '';
  return full.slice(0, 10) === todayCst() ? full.slice(11) : full.slice(5);
}

export function todayCst(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

export const pct = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `${Math.round(v * (v <= 1 ? 100 : 1))}%` : '—');

/**
 * The short name of an address, without the province, city, district, street and community it shares with every
 * other address of the grid: "黄河九路18号香园小区1号楼1单元101室" → "香园小区1号楼1单元101室", "黄河九路2号".
 */
export function shortAddress(fullText: string): string {
  const cut = Math.max(fullText.lastIndexOf('社区'), fullText.lastIndexOf('村委会'), fullText.lastIndexOf('居委会'));
  let rest = cut >= 0 ? fullText.slice(cut + (fullText.startsWith('村委会', cut) || fullText.startsWith('居委会', cut) ? 3 : 2)) : fullText;
  if (!rest) rest = fullText;
  if (rest.length <= 18) return rest;
  // a long one: from the compound on (小区, 花园, 公寓, 大厦 …), else the last 18 characters
  const m = /[^\d号路街巷道]{2,8}(?:小区|花园|公寓|大厦|家园|苑|院)/.exec(rest);
  if (m && rest.length - m.index <= 22) return rest.slice(m.index);
  return `…${rest.slice(-18)}`;
}
