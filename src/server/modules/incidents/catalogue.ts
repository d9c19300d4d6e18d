import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';

/**
 * The built-in incident category tree (a common 110 classification, simplified): seven top-level categories and
 * their children. police_matter=false marks what usually is not police work and is offered for diversion to 12345
 * or a partner department (非警务警情分流). Administrators rename, reorder, disable and extend it.
 */
export const BUILTIN_CATEGORIES: Array<{ code: string; name: string; police?: boolean; children: Array<{ code: string; name: string; police?: boolean }> }> = [
  {
    code: 'xingshi',
    name: '刑事',
    children: [
      { code: 'xs_theft', name: '盗窃' },
      { code: 'xs_fraud', name: '诈骗' },
      { code: 'xs_robbery', name: '抢劫抢夺' },
      { code: 'xs_assault', name: '故意伤害' },
      { code: 'xs_other', name: '其他刑事' },
    ],
  },
  {
    code: 'zhian',
    name: '治安',
    children: [
      { code: 'za_fight', name: '打架斗殴' },
      { code: 'za_disorder', name: '扰乱公共秩序' },
      { code: 'za_gambling', name: '赌博' },
      { code: 'za_noise', name: '噪声扰民' },
      { code: 'za_other', name: '其他治安' },
    ],
  },
  {
    code: 'jiufen',
    name: '纠纷',
    children: [
      { code: 'jf_neighbour', name: '邻里纠纷' },
      { code: 'jf_family', name: '家庭纠纷' },
      { code: 'jf_economic', name: '经济纠纷', police: false },
      { code: 'jf_property', name: '物业纠纷', police: false },
      { code: 'jf_labour', name: '劳资纠纷', police: false },
    ],
  },
  {
    code: 'qiuzhu',
    name: '求助',
    children: [
      { code: 'qz_missing', name: '走失寻人' },
      { code: 'qz_emergency', name: '危难救助' },
      { code: 'qz_lock', name: '开锁求助', police: false },
      { code: 'qz_utility', name: '水电气暖故障', police: false },
    ],
  },
  {
    code: 'jiaotong',
    name: '交通',
    children: [
      { code: 'jt_accident', name: '交通事故' },
      { code: 'jt_jam', name: '交通拥堵' },
      { code: 'jt_parking', name: '违法停车', police: false },
    ],
  },
  {
    code: 'huozai',
    name: '火灾',
    children: [
      { code: 'hz_fire', name: '火灾' },
      { code: 'hz_hazard', name: '火灾隐患' },
    ],
  },
  {
    code: 'qita',
    name: '其他',
    children: [
      { code: 'qt_consult', name: '咨询', police: false },
      { code: 'qt_complaint', name: '投诉建议', police: false },
      { code: 'qt_other', name: '其他警情' },
    ],
  },
];

/** Inserts the built-in incident category tree at start, never overwriting an administrator's edits. */
export async function ensureIncidentCategories(deps: Deps): Promise<void> {
  const now = new Date();
  const rows: Array<{ id: string; parent_id: string | null; code: string; name: string; police_matter: boolean; sort: number; builtin: boolean; created_at: Date; updated_at: Date }> = [];
  const parentIds = new Map<string, string>();
  const existing = new Map((await deps.db.selectFrom('incident_categories').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
  BUILTIN_CATEGORIES.forEach((top, i) => {
    const id = existing.get(top.code) ?? uuidv7();
    parentIds.set(top.code, id);
    rows.push({ id, parent_id: null, code: top.code, name: top.name, police_matter: top.police ?? true, sort: i * 10, builtin: true, created_at: now, updated_at: now });
    top.children.forEach((c, j) =>
      rows.push({ id: existing.get(c.code) ?? uuidv7(), parent_id: id, code: c.code, name: c.name, police_matter: c.police ?? true, sort: j * 10, builtin: true, created_at: now, updated_at: now }),
    );
  });
  const missing = rows.filter((r) => !existing.has(r.code));
  if (missing.length) await deps.db.insertInto('incident_categories').values(missing).onConflict((oc) => oc.column('code').doNothing()).execute();
}
