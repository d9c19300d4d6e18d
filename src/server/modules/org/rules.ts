import { getCity, getCounty, isCountyCode } from '../../platform/divisions/index.js';
import type { FieldError } from '../../platform/errors/index.js';

export const ORG_KINDS = ['city_bureau', 'branch', 'station', 'community', 'grid'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const ORG_KIND_NAMES: Record<OrgKind, string> = {
  city_bureau: '市局',
  branch: '分局/县局',
  station: '派出所',
  community: '社区/村警务区',
  grid: '网格',
};

export const DEPARTMENT_CATEGORIES = {
  internal: { zhian: '治安', huzheng: '户政', fazhi: '法制', xingzhen: '刑侦', zhihui: '指挥中心', other: '其他警种' },
  partner: {
    zongzhi: '综治',
    minzheng: '民政',
    weijian: '卫健',
    xiaofang: '消防',
    yingji: '应急',
    chengguan: '城管',
    shichang: '市场监管',
    fayuan: '法院',
    sifa: '司法所',
    fulian: '妇联',
    hotline12345: '12345',
    other: '其他部门',
  },
} as const;

/**
 * Code shapes: 市局 = city code + "00" (371600); 分局/县局 = a real GB/T 2260 county code (371602);
 * 派出所 = a 9-digit street code of that county (371602005); 社区/村警务区 = station code + 3 digits;
 * 网格 = community code + 3 digits.
 */
export function checkUnitCode(kind: OrgKind, code: string, parent?: { kind: OrgKind; code: string }): FieldError | undefined {
  const bad = (message: string): FieldError => ({ field: 'code', message });
  const rank = (k: OrgKind) => ORG_KINDS.indexOf(k);
  if (parent && rank(kind) !== rank(parent.kind) + 1)
    return { field: 'kind', message: `「${ORG_KIND_NAMES[parent.kind]}」下只能建立「${ORG_KIND_NAMES[ORG_KINDS[rank(parent.kind) + 1]] ?? '—'}」` };
  if (!parent && kind !== 'city_bureau') return { field: 'parentId', message: '除市局外必须指定上级单位' };
  switch (kind) {
    case 'city_bureau':
      if (!/^\d{4}00$/.test(code) || !getCity(code.slice(0, 4))) return bad('市局代码应为 6 位：地市代码 + 00（如 371600）');
      return undefined;
    case 'branch':
      if (!/^\d{6}$/.test(code) || !isCountyCode(code)) return bad('分局/县局代码应为真实的 6 位县级行政区划代码（GB/T 2260）');
      if (parent && getCounty(code)?.cityCode !== parent.code.slice(0, 4)) return bad('该区县不属于上级市局所在的地市');
      return undefined;
    case 'station':
      if (!/^\d{9}$/.test(code) || !code.startsWith(parent!.code)) return bad(`派出所代码应为 9 位，以上级代码 ${parent!.code} 开头`);
      return undefined;
    case 'community':
    case 'grid':
      if (!/^\d+$/.test(code) || code.length !== parent!.code.length + 3 || !code.startsWith(parent!.code))
        return bad(`代码应为上级代码 ${parent!.code} 加 3 位数字`);
      return undefined;
  }
}

/** A GeoJSON Polygon inside China's bounding box with closed rings of at least four points. */
export function checkBoundary(boundary: unknown): FieldError | undefined {
  if (boundary === null || boundary === undefined) return undefined;
  const bad = (message: string): FieldError => ({ field: 'boundary', message });
  const b = boundary as { type?: unknown; coordinates?: unknown };
  if (b.type !== 'Polygon' || !Array.isArray(b.coordinates) || b.coordinates.length === 0) return bad('边界应为 GeoJSON Polygon');
  for (const ring of b.coordinates as unknown[]) {
    if (!Array.isArray(ring) || ring.length < 4) return bad('多边形每个环至少 4 个点（首尾相同）');
    for (const pt of ring as unknown[]) {
      if (!Array.isArray(pt) || pt.length < 2 || typeof pt[0] !== 'number' || typeof pt[1] !== 'number') return bad('坐标应为 [经度, 纬度]');
      if (pt[0] < 73 || pt[0] > 136 || pt[1] < 3 || pt[1] > 54) return bad('坐标超出中国范围（经度 73–136，纬度 3–54）');
    }
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) return bad('多边形的环必须闭合（首尾坐标相同）');
  }
  return undefined;
}
