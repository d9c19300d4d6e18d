/** Kinds of unit (实有单位), and the key industries (重点行业) the police supervise. */
export const UNIT_TYPES = ['enterprise', 'individual', 'cooperative', 'government', 'institution', 'social_org', 'other'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export const UNIT_TYPE_NAMES: Record<UnitType, string> = {
  enterprise: '企业',
  individual: '个体工商户',
  cooperative: '农民专业合作社',
  government: '机关',
  institution: '事业单位',
  social_org: '社会组织',
  other: '其他',
};

export const KEY_INDUSTRIES = ['hotel', 'courier', 'ebike', 'precursor_chemical', 'school', 'hospital', 'financial', 'entertainment', 'rental_agency', 'other'] as const;
export type KeyIndustry = (typeof KEY_INDUSTRIES)[number];
export const KEY_INDUSTRY_NAMES: Record<KeyIndustry, string> = {
  hotel: '旅馆业',
  courier: '寄递业',
  ebike: '电动车销售维修',
  precursor_chemical: '易制毒化学品',
  school: '学校',
  hospital: '医院',
  financial: '金融网点',
  entertainment: '娱乐场所',
  rental_agency: '房屋中介',
  other: '其他重点行业',
};

/** The unit type a credit code's registering authority and category imply (GB 32100 positions 1–2). */
export function unitTypeFromCreditCode(code: string): UnitType {
  const [authority, category] = code;
  if (authority === '9') return category === '1' ? 'enterprise' : category === '2' ? 'individual' : 'cooperative';
  if (authority === '1') return category === '1' ? 'government' : category === '2' ? 'institution' : 'other';
  if (authority === '5') return 'social_org';
  return 'other';
}
