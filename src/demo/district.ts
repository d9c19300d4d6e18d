import type { Deps } from '../server/deps.js';
import { systemContext } from '../server/platform/access/context.js';
import { PERMISSIONS } from '../server/platform/access/permissions.js';
import { getCounty, getStreet } from '../server/platform/divisions/index.js';
import { createDepartment, createRootUnit, createUnit, listDepartments } from '../server/modules/org/service.js';
import { createUser } from '../server/modules/users/service.js';
import { seedDemoPortal } from './portal.js';

/**
 * The demo district: 滨州市公安局 → 滨城分局 (371602) → three stations named after real streets of the
 * county → their community police districts → grids, the departments, and one account per role.
 * Everything is derived from fixed tables, so two runs build the same district.
 */
export const DEMO_COUNTY = '371602';

const STATIONS: Array<{ street: string; communities: string[] }> = [
  { street: '371602005', communities: ['学苑社区', '香园社区', '黄河社区'] },
  { street: '371602001', communities: ['渤海社区', '新立河社区', '中海社区'] },
  { street: '371602004', communities: ['东城社区', '北海社区', '丰收社区'] },
];

const DEPARTMENTS: Array<{ kind: 'internal' | 'partner'; category: string; name: string; phone: string }> = [
  { kind: 'internal', category: 'zhian', name: '治安管理大队', phone: '0543-3161101' },
  { kind: 'internal', category: 'huzheng', name: '户政管理科', phone: '0543-3161102' },
  { kind: 'internal', category: 'fazhi', name: '法制大队', phone: '0543-3161103' },
  { kind: 'internal', category: 'xingzhen', name: '刑事侦查大队', phone: '0543-3161104' },
  { kind: 'internal', category: 'zhihui', name: '指挥中心', phone: '0543-3161110' },
  { kind: 'internal', category: 'other', name: '督察大队', phone: '0543-3161105' },
  { kind: 'partner', category: 'zongzhi', name: '区综治中心', phone: '0543-3162201' },
  { kind: 'partner', category: 'minzheng', name: '区民政局', phone: '0543-3162202' },
  { kind: 'partner', category: 'weijian', name: '区卫生健康局', phone: '0543-3162203' },
  { kind: 'partner', category: 'xiaofang', name: '区消防救援大队', phone: '0543-3162204' },
  { kind: 'partner', category: 'yingji', name: '区应急管理局', phone: '0543-3162205' },
  { kind: 'partner', category: 'chengguan', name: '区综合行政执法局', phone: '0543-3162206' },
  { kind: 'partner', category: 'shichang', name: '区市场监督管理局', phone: '0543-3162207' },
  { kind: 'partner', category: 'fayuan', name: '区人民法院', phone: '0543-3162208' },
  { kind: 'partner', category: 'sifa', name: '彭李街道司法所', phone: '0543-3162209' },
  { kind: 'partner', category: 'fulian', name: '区妇联', phone: '0543-3162210' },
  { kind: 'partner', category: 'hotline12345', name: '12345政务服务便民热线', phone: '12345' },
];

/** username → display name, role, where the account sits (by org-unit code) and department. */
export const DEMO_ACCOUNTS: Array<{ username: string; name: string; role: string; unit: string; dept?: string; phone: string }> = [
  { username: 'admin', name: '高志强', role: 'admin', unit: '371602', phone: '13905430001' },
  { username: 'leader', name: '刘振华', role: 'leader', unit: '371602', phone: '13905430002' },
  { username: 'chief', name: '孙立民', role: 'chief', unit: '371602005', phone: '13905430003' },
  { username: 'officer', name: '张明', role: 'officer', unit: '371602005001', phone: '13905430004' },
  { username: 'assistant', name: '李娜', role: 'assistant', unit: '371602005001', phone: '13905430005' },
  { username: 'gridworker', name: '王秀英', role: 'gridworker', unit: '371602005001001', phone: '13905430006' },
  { username: 'caseofficer', name: '赵磊', role: 'caseofficer', unit: '371602005', phone: '13905430007' },
  { username: 'legal', name: '陈静', role: 'legal', unit: '371602', dept: '法制大队', phone: '13905430008' },
  { username: 'command', name: '周海涛', role: 'command', unit: '371602', dept: '指挥中心', phone: '13905430009' },
  { username: 'dept', name: '吴丽', role: 'dept', unit: '371602', dept: '区民政局', phone: '13905430010' },
  { username: 'mediator', name: '郑国庆', role: 'mediator', unit: '371602005', dept: '彭李街道司法所', phone: '13905430011' },
  { username: 'hotel', name: '冯晓燕', role: 'operator', unit: '371602005', phone: '13905430012' },
  { username: 'supervisor', name: '韩卫东', role: 'supervisor', unit: '371602', dept: '督察大队', phone: '13905430013' },
  { username: 'squad', name: '钱国栋', role: 'squad', unit: '371602', dept: '刑事侦查大队', phone: '13905430014' },
];

const ORIGIN = { lng: 117.9, lat: 37.33 }; // south-west corner of the demo county's box

function rect(x0: number, y0: number, w: number, h: number) {
  const r = (v: number) => Math.round(v * 1e6) / 1e6;
  const [a, b, c, d] = [r(x0), r(y0), r(x0 + w), r(y0 + h)];
  return { type: 'Polygon', coordinates: [[[a, b], [c, b], [c, d], [a, d], [a, b]]] };
}

export interface SeedResult {
  units: number;
  departments: number;
  accounts: Array<{ username: string; name: string; role: string }>;
}

export async function seedDemoDistrict(deps: Deps, password: string): Promise<SeedResult> {
  const ctx = systemContext(Object.keys(PERMISSIONS));
  const county = getCounty(DEMO_COUNTY)!;
  const codeToId = new Map<string, string>();
  let units = 0;
  const city = await createRootUnit(deps, ctx, {
    code: `${county.cityCode}00`,
    name: '滨州市公安局',
    contactPhone: '0543-3160110',
    address: '山东省滨州市滨城区黄河五路',
    boundary: rect(ORIGIN.lng - 0.1, ORIGIN.lat - 0.1, 0.5, 0.4),
  });
  codeToId.set(city.code, city.id);
  units++;
  const branch = await createUnit(deps, ctx, {
    parentId: city.id,
    kind: 'branch',
    code: DEMO_COUNTY,
    name: `滨州市公安局${county.name.replace(/区$/, '')}分局`,
    contactPhone: '0543-3161100',
    address: '山东省滨州市滨城区渤海七路',
    boundary: rect(ORIGIN.lng, ORIGIN.lat, 0.24, 0.18),
  });
  codeToId.set(branch.code, branch.id);
  units++;
  for (const [si, s] of STATIONS.entries()) {
    const streetName = getStreet(s.street)!.name.replace(/街道$/, '');
    const sx = ORIGIN.lng + si * 0.08;
    const station = await createUnit(deps, ctx, {
      parentId: branch.id,
      kind: 'station',
      code: s.street,
      name: `${streetName}派出所`,
      contactPhone: `0543-31612${si}0`,
      address: `山东省滨州市滨城区${getStreet(s.street)!.name}`,
      boundary: rect(sx, ORIGIN.lat, 0.08, 0.18),
    });
    codeToId.set(station.code, station.id);
    units++;
    for (const [ci, name] of s.communities.entries()) {
      const code = `${s.street}${String(ci + 1).padStart(3, '0')}`;
      const cy = ORIGIN.lat + ci * 0.06;
      const community = await createUnit(deps, ctx, {
        parentId: station.id,
        kind: 'community',
        code,
        name: `${name}警务区`,
        contactPhone: `0543-3163${si}${ci}1`,
        boundary: rect(sx, cy, 0.08, 0.06),
      });
      codeToId.set(code, community.id);
      units++;
      for (let gi = 0; gi < 2; gi++) {
        const gcode = `${code}${String(gi + 1).padStart(3, '0')}`;
        const grid = await createUnit(deps, ctx, {
          parentId: community.id,
          kind: 'grid',
          code: gcode,
          name: `${name}第${['一', '二'][gi]}网格`,
          boundary: rect(sx + gi * 0.04, cy, 0.04, 0.06),
        });
        codeToId.set(gcode, grid.id);
        units++;
      }
    }
  }
  for (const d of DEPARTMENTS) {
    await createDepartment(deps, ctx, { orgUnitId: branch.id, kind: d.kind, category: d.category, name: d.name, contactPhone: d.phone });
  }
  const depts = new Map((await listDepartments(deps, ctx)).map((d) => [d.name, d.id]));
  for (const a of DEMO_ACCOUNTS) {
    await createUser(deps, ctx, {
      username: a.username,
      displayName: a.name,
      password,
      orgUnitId: codeToId.get(a.unit)!,
      departmentId: a.dept ? depts.get(a.dept)! : null,
      phone: a.phone,
      roles: [a.role],
      mustChangePassword: false,
    });
  }
  // offices, services, safety tips, police numbers and portraits: what a plate page shows
  await seedDemoPortal(deps, STATIONS, ORIGIN);
  return { units, departments: DEPARTMENTS.length, accounts: DEMO_ACCOUNTS.map((a) => ({ username: a.username, name: a.name, role: a.role })) };
}
