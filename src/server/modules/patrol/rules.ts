import { gridDisk } from 'h3-js';
import type { PatrolMode } from '../../db/schema.js';
import { HOURS_PER_WEEK, WEEKDAYS_ZH } from '../../../shared/geo.js';
import { addDays } from '../population/rules.js';

/**
 * The "1+3" recommendation (docs/api-command.md "Patrols") as pure functions: cells scored by their incidents in
 * the basis period (recent weeks weigh more), peak hours in 2-hour blocks, the mode of each place, the plain
 * Chinese reasons, coverage of a plan by check-ins, and the volunteers' points.
 */
export const MODES: readonly PatrolMode[] = ['video', 'patrol', 'volunteer'];
export const MODE_NAMES: Record<PatrolMode, string> = { video: '视频巡控', patrol: '专业巡逻', volunteer: '群防巡逻' };

export interface PlanParams {
  /** cells recommended at most */
  topCells: number;
  /** the first this many cells get a professional patrol */
  patrolCells: number;
  /** a cell needs at least this many incidents in the basis period */
  minIncidents: number;
  /** 2-hour blocks per item */
  blocks: number;
}
export const DEFAULT_PLAN_PARAMS: PlanParams = { topCells: 10, patrolCells: 4, minIncidents: 3, blocks: 3 };

const H3_RES9_HEX = (cell: string) => BigInt(cell).toString(16);
const toDec = (h: string) => BigInt(`0x${h}`).toString();

/** A stored cell and its ring-1 neighbours (7 cells), as stored decimal strings. */
export function neighbourhood(cell: string): string[] {
  return gridDisk(H3_RES9_HEX(cell), 1).map(toDec);
}

// ---- the week ---------------------------------------------------------------------------------------------------

/** The Monday (Beijing date) of the week a date lies in. */
export function mondayOf(day: string): string {
  const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -dow);
}

/** First instant of a Beijing date. */
export const beijingStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

// ---- blocks of hours --------------------------------------------------------------------------------------------

/**
 * A 2-hour block: two consecutive hours of the week starting at an odd hour (1–3, 3–5 … 21–23, 23–次日1), so that
 * the daytime 07–21 is exactly seven blocks and a night block never splits 21–23.
 */
export interface Block {
  /** the first hour of the week of the block */
  start: number;
  count: number;
  weighted: number;
}

export const blockHours = (start: number) => [start, (start + 1) % HOURS_PER_WEEK];
const hourOfDay = (how: number) => how % 24;
export const isDaytimeBlock = (start: number) => hourOfDay(start) >= 7 && hourOfDay(start) + 2 <= 21;
export const isNightBlock = (start: number) => !isDaytimeBlock(start);

/** All 84 blocks of the week with their counts. */
function allBlocks(counts: number[], weighted: number[]): Block[] {
  const out: Block[] = [];
  for (let d = 0; d < 7; d++) {
    for (let h = 1; h < 24; h += 2) {
      const start = d * 24 + h;
      const [a, b] = blockHours(start);
      out.push({ start, count: counts[a] + counts[b], weighted: weighted[a] + weighted[b] });
    }
  }
  return out;
}

/**
 * The peak blocks of a place: the most incidents first (then the weighted count, so recent weeks break ties;
 * then night, then the earlier hour). `daytime` keeps only 07–21, `preferNight` lets night win a tie of counts.
 */
export function peakBlocks(counts: number[], weighted: number[], n: number, opts: { daytime?: boolean; preferNight?: boolean } = {}): Block[] {
  return allBlocks(counts, weighted)
    .filter((b) => b.count > 0 && (!opts.daytime || isDaytimeBlock(b.start)))
    .sort(
      (a, b) =>
        b.count - a.count ||
        (opts.preferNight ? Number(isNightBlock(b.start)) - Number(isNightBlock(a.start)) : 0) ||
        b.weighted - a.weighted ||
        a.start - b.start,
    )
    .slice(0, n);
}

const clock = (h: number) => `${h % 24}`;

/** "周五、周六21—23时；周日9—11时": blocks of the same time of day share their days. */
export function blocksText(starts: number[]): string {
  const byTime = new Map<number, number[]>();
  for (const s of starts) byTime.set(hourOfDay(s), [...(byTime.get(hourOfDay(s)) ?? []), Math.floor(s / 24)]);
  return [...byTime.entries()]
    .map(([h, days]) => `${[...new Set(days)].sort((a, b) => a - b).map((d) => WEEKDAYS_ZH[d]).join('、')}${clock(h)}—${h + 2 >= 24 ? `次日${clock(h + 2)}` : clock(h + 2)}时`)
    .join('；');
}

/** The recommended hours of an item back as blocks (every even-indexed pair of consecutive hours). */
export function startsOf(hours: number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < hours.length; i += 2) out.push(hours[i]);
  return out;
}

// ---- scoring ----------------------------------------------------------------------------------------------------

export interface BasisRow {
  h3: string;
  how: number;
  day: string;
  grid_id: string | null;
  n: number;
}

export interface CellStat {
  h3: string;
  count: number;
  score: number;
  counts: number[];
  weighted: number[];
  /** the grid with most of the cell's incidents */
  gridId: string | null;
}

/**
 * Cells by weighted count: an incident on the last day of the basis weighs 2, one on its first day about 1, so the
 * latest weeks lead when two places are otherwise alike.
 */
export function scoreCells(rows: BasisRow[], basisFrom: string, basisDays: number): CellStat[] {
  const cells = new Map<string, CellStat & { grids: Map<string, number> }>();
  for (const r of rows) {
    let c = cells.get(r.h3);
    if (!c) cells.set(r.h3, (c = { h3: r.h3, count: 0, score: 0, counts: new Array(HOURS_PER_WEEK).fill(0), weighted: new Array(HOURS_PER_WEEK).fill(0), gridId: null, grids: new Map() }));
    const age = Math.max(0, Math.min(basisDays - 1, Math.round((Date.parse(`${r.day}T00:00:00Z`) - Date.parse(`${basisFrom}T00:00:00Z`)) / 86_400_000)));
    const w = 1 + (age + 1) / basisDays;
    c.count += r.n;
    c.score += r.n * w;
    c.counts[r.how] += r.n;
    c.weighted[r.how] += r.n * w;
    if (r.grid_id) c.grids.set(r.grid_id, (c.grids.get(r.grid_id) ?? 0) + r.n);
  }
  return [...cells.values()]
    .map(({ grids, ...c }) => ({ ...c, score: Math.round(c.score * 100) / 100, gridId: [...grids.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null }))
    .sort((a, b) => b.score - a.score || b.count - a.count || a.h3.localeCompare(b.h3));
}

export interface PlannedItem {
  mode: PatrolMode;
  rank: number;
  h3: string;
  gridId: string | null;
  label: string;
  hours: number[];
  incidents: number;
  score: number;
  reason: string;
  cameraIds: string[];
  teamId: string | null;
}

export interface PlanContext {
  basisDays: number;
  params: PlanParams;
  /** the label of a cell (e.g. "学苑社区第一网格附近") */
  labelOf(cell: CellStat): string;
  /** active cameras in the cell or its ring-1 neighbours */
  camerasOf(cell: CellStat): string[];
  /** an active team of the cell's grid or community, if any */
  teamOf(cell: CellStat): { id: string; name: string } | null;
}

/**
 * The items of a plan: video watch for every top place with cameras around it, a professional patrol for the first
 * `patrolCells` places (night blocks first), and volunteer patrols in the daytime blocks of the other top places,
 * carried by a team of the place's community when it has one.
 */
export function planItems(cells: CellStat[], ctx: PlanContext): PlannedItem[] {
  const p = ctx.params;
  const top = cells.filter((c) => c.count >= p.minIncidents).slice(0, p.topCells);
  const items: PlannedItem[] = [];
  const rank: Record<PatrolMode, number> = { video: 0, patrol: 0, volunteer: 0 };
  const days = `近${ctx.basisDays}天该处发生警情${'{n}'}起`;
  for (const [i, c] of top.entries()) {
    const label = ctx.labelOf(c);
    const base = { h3: c.h3, gridId: c.gridId, label, incidents: c.count, score: c.score };
    const lead = days.replace('{n}', String(c.count));
    const cameras = ctx.camerasOf(c);
    if (cameras.length) {
      const blocks = peakBlocks(c.counts, c.weighted, p.blocks);
      const starts = blocks.map((b) => b.start).sort((a, b) => a - b);
      items.push({
        ...base,
        mode: 'video',
        rank: ++rank.video,
        hours: starts.flatMap(blockHours),
        reason: `${lead}，周边有${cameras.length}个视频点位，建议在${blocksText(starts)}开展视频巡查`,
        cameraIds: cameras,
        teamId: null,
      });
    }
    if (i < p.patrolCells) {
      const blocks = peakBlocks(c.counts, c.weighted, p.blocks, { preferNight: true });
      const starts = [...blocks.filter((b) => isNightBlock(b.start)), ...blocks.filter((b) => !isNightBlock(b.start))].map((b) => b.start);
      items.push({
        ...base,
        mode: 'patrol',
        rank: ++rank.patrol,
        hours: starts.flatMap(blockHours),
        reason: `${lead}，${blocksText(starts)}最集中，建议安排专业巡逻`,
        cameraIds: [],
        teamId: null,
      });
    } else {
      const blocks = peakBlocks(c.counts, c.weighted, Math.min(2, p.blocks), { daytime: true });
      if (!blocks.length) continue;
      const starts = blocks.map((b) => b.start).sort((a, b) => a - b);
      const team = ctx.teamOf(c);
      items.push({
        ...base,
        mode: 'volunteer',
        rank: ++rank.volunteer,
        hours: starts.flatMap(blockHours),
        reason: `${lead}，白天多发于${blocksText(starts)}，${team ? `建议由${team.name}开展群防巡逻` : '适合组织义务巡逻队开展群防巡逻'}`,
        cameraIds: [],
        teamId: team?.id ?? null,
      });
    }
  }
  return items;
}

// ---- coverage ---------------------------------------------------------------------------------------------------

export interface Coverage {
  slots: number;
  /** slots whose hour has begun */
  due: number;
  covered: number;
  /** covered ÷ slots */
  rate: number;
  /** covered ÷ due (null before the first slot) */
  rateDue: number | null;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 1000 : 0);
export const coverageOf = (slots: number, due: number, covered: number): Coverage => ({ slots, due, covered, rate: ratio(covered, slots), rateDue: due > 0 ? ratio(covered, due) : null });

/**
 * Coverage of items by check-ins of the plan's week: an (item, hour) slot is covered when a check-in lies in the
 * item's cell or a ring-1 neighbour during that hour. `checkins` are the week's (cell, hour of week) pairs.
 */
export function itemCoverage(item: { h3: string; hours: number[] }, seen: Set<string>, weekStart: Date, now: Date): { coverage: Coverage; coveredHours: number[] } {
  const near = neighbourhood(item.h3);
  const coveredHours = item.hours.filter((h) => near.some((c) => seen.has(`${c}:${h}`)));
  const due = item.hours.filter((h) => weekStart.getTime() + h * 3_600_000 <= now.getTime()).length;
  return { coverage: coverageOf(item.hours.length, due, coveredHours.length), coveredHours };
}

// ---- points -----------------------------------------------------------------------------------------------------

export interface PointsSettings {
  pointsPerShift: number;
  pointsPerHour: number;
  absencePenalty: number;
}

/** Points for one member on one shift: `pointsPerShift + pointsPerHour × hours` when present, else −penalty. */
export function shiftPoints(attended: boolean, startsAt: Date, endsAt: Date, s: PointsSettings): number {
  if (!attended) return -s.absencePenalty;
  const hours = (endsAt.getTime() - startsAt.getTime()) / 3_600_000;
  return s.pointsPerShift + Math.round(s.pointsPerHour * hours);
}

// ---- the station's area -----------------------------------------------------------------------------------------

/** How far outside a unit's boundary box a check-in may lie before it is flagged. */
export const OUTSIDE_MARGIN_DEG = 0.01; // ≈ 1 km

/** Whether a point lies far outside a boundary (its bounding box widened by the margin); unknown → false. */
export function farOutside(boundary: unknown, lat: number, lng: number): boolean {
  const b = boundary as { coordinates?: unknown } | null;
  if (!b || !Array.isArray(b.coordinates)) return false;
  const pts: number[][] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x) && typeof x[0] === 'number') pts.push(x as number[]);
    else if (Array.isArray(x)) x.forEach(walk);
  };
  walk(b.coordinates);
  if (!pts.length) return false;
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const m = OUTSIDE_MARGIN_DEG;
  return lng < Math.min(...xs) - m || lng > Math.max(...xs) + m || lat < Math.min(...ys) - m || lat > Math.max(...ys) + m;
}
