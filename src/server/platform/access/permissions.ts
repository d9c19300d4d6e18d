/**
 * The permission catalogue. Every API route declares one of these (or `public` / `authenticated`);
 * roles are sets of them. Later capabilities add their own entries here.
 */
export const PERMISSIONS = {
  'org.read': { name: '查看组织机构', nameEn: 'View organisation', group: '组织机构' },
  'org.manage': { name: '管理组织机构与部门', nameEn: 'Manage organisation and departments', group: '组织机构' },
  'user.read': { name: '查看用户', nameEn: 'View users', group: '用户与角色' },
  'user.manage': { name: '管理用户', nameEn: 'Manage users', group: '用户与角色' },
  'role.read': { name: '查看角色权限', nameEn: 'View roles', group: '用户与角色' },
  'audit.read': { name: '查阅审计日志', nameEn: 'Read the audit log', group: '审计' },
  'audit.export': { name: '导出审计日志', nameEn: 'Export the audit log', group: '审计' },
  'xiecha': { name: '跨辖区协查', nameEn: 'Cross-jurisdiction assistance', group: '数据范围' },
} as const;

export type Permission = keyof typeof PERMISSIONS;
/** What a route requires: a permission, any signed-in staff or resident, or nothing. */
export type Access = Permission | 'authenticated' | 'staff' | 'public';

export function isPermission(code: string): code is Permission {
  return Object.hasOwn(PERMISSIONS, code);
}
