import type { Cell } from '../reader.js';
import type { ColumnDef, RowValues } from '../cells.js';
import { batchLookups, checkRecord, storedResult, storeRecord, type Record110 } from '../../incidents/intake.js';
import { staffOf } from '../../../platform/access/context.js';
import type { ImportKindDef, JobEnv, ParsedRow, RowPlan } from './types.js';

/**
 * 110 接处警 records by file (docs/api-command.md "Incidents"): one row per 接警单号, checked and stored by the
 * incidents module's intake (the same rules as the API). A row whose 接警单号 is already stored is `unchanged`, so a
 * file imported twice, or a commit resumed after an interruption, stores each record once.
 */
const columns: ColumnDef[] = [
  { field: 'externalNo', header: '接警单号', required: true, aliases: ['警情编号', '接处警编号', '单号'], example: '110202611200001', note: '110 接处警系统的单号；同一单号只登记一次' },
  { field: 'reportedAt', header: '报警时间', aliases: ['接警时间'], example: '2026-11-20 14:05', note: '北京时间，如 2026-11-20 14:05；不填时同发生时间' },
  { field: 'occurredAt', header: '发生时间', required: true, aliases: ['案发时间'], example: '2026-11-20 14:00', note: '北京时间，如 2026-11-20 14:00' },
  { field: 'category', header: '警情类别', required: true, aliases: ['警情类别编码', '警情类别名称', '类别', '警情分类'], example: 'za_fight', note: '分类编码（如 za_fight）或名称（如 打架斗殴）' },
  { field: 'unitCode', header: '管辖单位代码', required: true, aliases: ['管辖单位', '单位代码', '派出所代码'], example: '371602005', note: '派出所等单位的代码，须在本辖区内' },
  { field: 'place', header: '发案地点', aliases: ['地点', '案发地点'], example: '黄河十二路 599 号附近', note: '' },
  { field: 'addressCode', header: '标准地址编码', aliases: ['地址编码'], example: '', note: '有标准地址时填写，地点以其网格为准' },
  { field: 'lng', header: '经度', example: '117.9712', note: '没有标准地址时按经纬度确定网格' },
  { field: 'lat', header: '纬度', example: '37.3821', note: '' },
  { field: 'summary', header: '简要警情', required: true, aliases: ['警情内容', '简要案情', '内容'], example: '报警人称两人在饭店门口发生口角并推搡', note: '' },
  { field: 'callerName', header: '报警人', aliases: ['报警人姓名'], example: '张先生', note: '个人信息：系统内仅脱敏显示' },
  { field: 'callerPhone', header: '报警电话', aliases: ['联系电话', '报警人电话'], example: '13800000000', note: '个人信息：系统内仅脱敏显示' },
];

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * A time as a spreadsheet holds it, read as Beijing time: 2026-11-20 14:05[:30], 2026/11/20 14:05, 2026年11月20日14时05分,
 * an ISO time with its offset, a date cell (its wall-clock digits), or an Excel serial with a fraction.
 */
export function parseBeijingTime(c: Cell): Date | undefined {
  const wall = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => {
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
    const t = new Date(`${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}+08:00`);
    return Number.isNaN(t.getTime()) || new Date(t.getTime() + 8 * 3_600_000).getUTCDate() !== d ? undefined : t;
  };
  if (c instanceof Date) return wall(c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate(), c.getUTCHours(), c.getUTCMinutes(), c.getUTCSeconds());
  if (typeof c === 'number') {
    if (!(c > 1 && c < 120_000)) return undefined;
    const ms = Math.round((c - 25569) * 86_400_000); // days since 1899-12-30 → wall-clock milliseconds
    const w = new Date(ms);
    return wall(w.getUTCFullYear(), w.getUTCMonth() + 1, w.getUTCDate(), w.getUTCHours(), w.getUTCMinutes(), w.getUTCSeconds());
  }
  if (typeof c !== 'string') return undefined;
  const s = c.trim();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = new Date(s);
    return Number.isNaN(t.getTime()) ? undefined : t;
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[\sT]*(\d{1,2})[:时](\d{1,2})(?:[:分](\d{1,2})秒?)?分?)?$/.exec(s);
  if (!m) return undefined;
  return wall(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0);
}

function time(v: RowValues, field: string, required?: string): Date | undefined {
  const c = v.raw(field);
  if (c === undefined) {
    if (required) v.fail(field, required);
    return undefined;
  }
  const t = parseBeijingTime(c);
  if (!t) v.fail(field, '时间格式应为 2026-11-20 14:05（北京时间）');
  return t;
}

function parse(v: RowValues): Record110 | undefined {
  const externalNo = v.text('externalNo', { required: '接警单号不能为空', max: 64 });
  const occurredAt = time(v, 'occurredAt', '发生时间不能为空');
  const reportedAt = time(v, 'reportedAt');
  const category = v.text('category', { required: '警情类别不能为空', max: 64 });
  const unitCode = v.text('unitCode', { required: '管辖单位代码不能为空', max: 32 });
  const place = v.text('place', { max: 200 });
  const addressCode = v.text('addressCode', { max: 40 });
  const lng = v.number('lng', { min: -180, max: 180 });
  const lat = v.number('lat', { min: -90, max: 90 });
  const summary = v.text('summary', { required: '简要警情不能为空', max: 2000 });
  const callerName = v.text('callerName', { max: 64 });
  const callerPhone = v.phone('callerPhone');
  if ((lat === undefined) !== (lng === undefined) && !v.errors.some((e) => e.field === 'lat' || e.field === 'lng')) v.fail(lat === undefined ? 'lat' : 'lng', '经度和纬度须同时填写');
  if (v.errors.length) return undefined;
  return { externalNo: externalNo!, occurredAt: occurredAt!, reportedAt, category: category!, unitCode: unitCode!, place, addressCode, lat, lng, summary: summary!, callerName, callerPhone };
}

/** The import's field names for the checks' fields (the API's categoryCode is the file's 警情类别). */
const FIELD = (f: string) => (f === 'categoryCode' ? 'category' : f);

async function plan(env: JobEnv, rows: ParsedRow<Record110>[]): Promise<RowPlan[]> {
  const scope = staffOf(env.ctx).scopePath;
  const l = await batchLookups(env.deps, rows.map((r) => r.value));
  const out: RowPlan[] = [];
  for (const { rowNo, value } of rows) {
    const stored = l.stored.get(value.externalNo);
    if (stored) {
      const res = storedResult(scope, value, stored);
      out.push(res.status === 'error' ? { rowNo, errors: res.errors } : { rowNo, action: 'unchanged', recordId: res.id });
      continue;
    }
    const c = await checkRecord(env.deps, env.ctx, value, l);
    out.push('errors' in c ? { rowNo, errors: c.errors.map((e) => ({ field: FIELD(e.field), message: e.message })) } : { rowNo, action: 'create' });
  }
  return out;
}

export const incidentsImport: ImportKindDef<Record110> = {
  kind: 'incidents',
  title: '110警情',
  permission: 'incident.import',
  centre: 'incident.import',
  columns,
  maskedFields: ['callerPhone', 'callerName'],
  parse: (v) => parse(v),
  key: (r) => r.externalNo,
  plan,
  async commit(env, rows, done) {
    const scope = staffOf(env.ctx).scopePath;
    const plans: RowPlan[] = [];
    for (const row of rows) {
      // matched again at commit: a row stored by an earlier (interrupted) run of this job is unchanged now
      const l = await batchLookups(env.deps, [row.value]);
      const stored = l.stored.get(row.value.externalNo);
      if (stored) {
        const res = storedResult(scope, row.value, stored);
        plans.push(res.status === 'error' ? { rowNo: row.rowNo, errors: res.errors } : { rowNo: row.rowNo, action: 'unchanged', recordId: res.id });
        continue;
      }
      const c = await checkRecord(env.deps, env.ctx, row.value, l);
      if ('errors' in c) {
        plans.push({ rowNo: row.rowNo, errors: c.errors.map((e) => ({ field: FIELD(e.field), message: e.message })) });
        continue;
      }
      const res = await storeRecord(env.deps, env.ctx, row.value, { ...c.incident, eventData: { importJobId: env.jobId, row: row.rowNo } });
      plans.push(res.status === 'error' ? { rowNo: row.rowNo, errors: res.errors } : { rowNo: row.rowNo, action: res.status === 'created' ? 'create' : 'unchanged', recordId: res.id });
    }
    await done(env.deps.db, plans);
  },
};
