import type { Deps } from '../../deps.js';
import type { DirectiveLevel } from '../../db/schema.js';
import { SYSTEM_USER_ID, staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { validationError, type FieldError } from '../../platform/errors/index.js';
import { commandSettingsRepository as repo } from './settings-repository.js';

/**
 * Settings of 情指行 (docs/api-command.md "Settings"), configuration over code: the map's optional tile URL and the
 * speed behind the 1-3-5 minute response rings, how long each directive level has to be signed for and which
 * levels also go out by SMS, and the patrol recommendation's basis and the volunteers' points.
 */
export const DIRECTIVE_LEVELS = ['red', 'orange', 'blue', 'green'] as const satisfies readonly DirectiveLevel[];

export interface CommandSettings {
  map: { tileUrl: string | null; tileAttribution: string | null; ringSpeedKmh: number; ringMinutes: number[] };
  directives: { signMinutes: Record<DirectiveLevel, number>; smsLevels: DirectiveLevel[] };
  patrol: { basisDays: number; pointsPerShift: number; pointsPerHour: number; absencePenalty: number };
}

export const DEFAULT_SETTINGS: CommandSettings = {
  // no internet tiles by default: the console draws our own geometry; a deployment may set its own tile server
  map: { tileUrl: null, tileAttribution: null, ringSpeedKmh: 30, ringMinutes: [1, 3, 5] },
  directives: { signMinutes: { red: 15, orange: 30, blue: 120, green: 1440 }, smsLevels: ['red', 'orange'] },
  patrol: { basisDays: 28, pointsPerShift: 5, pointsPerHour: 2, absencePenalty: 0 },
};

const SECTIONS = Object.keys(DEFAULT_SETTINGS) as Array<keyof CommandSettings>;

/** The stored settings over the defaults, section by section (a damaged value falls back to its default). */
export async function getCommandSettings(deps: Deps): Promise<CommandSettings> {
  const stored = new Map((await repo.all(deps.db)).map((r) => [r.key, r.value]));
  const out = structuredClone(DEFAULT_SETTINGS);
  for (const s of SECTIONS) {
    const v = stored.get(s);
    if (v && typeof v === 'object' && checkSection(s, v as never).length === 0) (out as unknown as Record<string, unknown>)[s] = { ...out[s], ...(v as object) };
  }
  return out;
}

const intIn = (v: unknown, lo: number, hi: number) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;

function checkSection<K extends keyof CommandSettings>(section: K, v: CommandSettings[K]): FieldError[] {
  const errors: FieldError[] = [];
  const bad = (field: string, message: string) => errors.push({ field: `${section}.${field}`, message });
  if (section === 'map') {
    const m = v as CommandSettings['map'];
    if (m.tileUrl !== null && !/^(https?:\/\/|\/)[^\s]*\{z\}[^\s]*\{x\}[^\s]*\{y\}/.test(m.tileUrl ?? '')) {
      bad('tileUrl', '瓦片地址须以 http(s):// 或 / 开头，并包含 {z}、{x}、{y} 占位符；不使用底图请留空');
    }
    if (m.tileAttribution !== null && (typeof m.tileAttribution !== 'string' || m.tileAttribution.length > 200)) bad('tileAttribution', '版权说明不超过 200 字');
    if (!intIn(m.ringSpeedKmh, 5, 120)) bad('ringSpeedKmh', '出警速度须为 5–120 公里/小时的整数');
    if (!Array.isArray(m.ringMinutes) || m.ringMinutes.length < 1 || m.ringMinutes.length > 5 || !m.ringMinutes.every((x) => intIn(x, 1, 60))) {
      bad('ringMinutes', '处置圈须为 1–5 个 1–60 分钟的整数');
    } else if (m.ringMinutes.some((x, i) => i > 0 && x <= m.ringMinutes[i - 1]!)) bad('ringMinutes', '处置圈分钟数须从小到大排列');
  } else if (section === 'directives') {
    const d = v as CommandSettings['directives'];
    for (const l of DIRECTIVE_LEVELS) if (!intIn(d.signMinutes?.[l], 1, 10_080)) bad(`signMinutes.${l}`, '签收时限须为 1–10080 分钟的整数');
    if (!Array.isArray(d.smsLevels) || !d.smsLevels.every((l) => (DIRECTIVE_LEVELS as readonly string[]).includes(l))) bad('smsLevels', '短信级别只能是红、橙、蓝、绿');
  } else {
    const p = v as CommandSettings['patrol'];
    if (!intIn(p.basisDays, 7, 365)) bad('basisDays', '分析依据须为 7–365 天');
    if (!intIn(p.pointsPerShift, 0, 100)) bad('pointsPerShift', '每班积分须为 0–100 的整数');
    if (!intIn(p.pointsPerHour, 0, 100)) bad('pointsPerHour', '每小时积分须为 0–100 的整数');
    if (!intIn(p.absencePenalty, 0, 100)) bad('absencePenalty', '缺勤扣分须为 0–100 的整数');
  }
  return errors;
}

/** Replaces the given sections (the others stay), after checking every field. */
export async function putCommandSettings(deps: Deps, ctx: RequestContext, patch: Partial<CommandSettings>): Promise<CommandSettings> {
  const errors = SECTIONS.flatMap((s) => (patch[s] ? checkSection(s, patch[s]) : []));
  if (errors.length) throw validationError(errors);
  const me = staffOf(ctx);
  const before = await getCommandSettings(deps);
  await deps.db.transaction().execute(async (trx) => {
    for (const s of SECTIONS) if (patch[s]) await repo.put(trx, s, patch[s], me.userId === SYSTEM_USER_ID ? null : me.userId);
    await recordAudit(trx, ctx, { action: 'command.settings', subjectType: 'command_setting', detail: { before, after: patch } });
  });
  return getCommandSettings(deps);
}
