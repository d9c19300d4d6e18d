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
  'address.read': { name: '查看标准地址与门牌', nameEn: 'View standard addresses and plates', group: '一标三实' },
  'address.manage': { name: '维护标准地址', nameEn: 'Maintain standard addresses', group: '一标三实' },
  'plate.manage': { name: '制发、补发、注销门牌', nameEn: 'Issue, reissue and revoke plates', group: '一标三实' },
  'person.read': { name: '查看实有人口（证件号脱敏）', nameEn: 'View population (masked IDs)', group: '一标三实' },
  'person.write': { name: '采集与维护实有人口、居住信息', nameEn: 'Collect and maintain population and residence', group: '一标三实' },
  'person.id_full': { name: '查看完整证件号码（留痕）', nameEn: 'View full ID numbers (audited)', group: '一标三实' },
  'person.locate': { name: '人员定位（须说明用途）', nameEn: 'Locate a person (purpose required)', group: '一标三实' },
  'housing.write': { name: '维护实有房屋与出租信息', nameEn: 'Maintain housing and rentals', group: '一标三实' },
  'unit.read': { name: '查看实有单位', nameEn: 'View organisations', group: '一标三实' },
  'unit.write': { name: '维护实有单位与从业人员', nameEn: 'Maintain organisations and employees', group: '一标三实' },
  'registry.import': { name: '批量导入一标三实数据', nameEn: 'Bulk import registry data', group: '一标三实' },
  'registry.export': { name: '导出一标三实数据（须说明用途）', nameEn: 'Export registry data (purpose required)', group: '一标三实' },
  'portal.read': { name: '查看群众申报、求助与统计', nameEn: 'View residents\' submissions and figures', group: '扫码服务' },
  'portal.review': { name: '审核群众申报、受理求助与调解申请', nameEn: 'Review residents\' submissions', group: '扫码服务' },
  'appointment.handle': { name: '查看与办结群众预约', nameEn: 'Handle appointments', group: '扫码服务' },
  'service.manage': { name: '维护警务室、办事事项与安全提示', nameEn: 'Maintain offices, services and safety tips', group: '扫码服务' },
  'field.collect': { name: '现场采集、领取任务（网格员/警务助理）', nameEn: 'Collect in the field and take tasks', group: '网格采集' },
  'field.read': { name: '查看网格采集事项、任务进度与考核', nameEn: 'View field items, task progress and assessment', group: '网格采集' },
  'field.review': { name: '审核网格采集的信息变更、退回不合格事项、授权直接变更', nameEn: 'Review field changes and return poor items', group: '网格采集' },
  'field.configure': { name: '维护事项类型、分派规则与考核权重', nameEn: 'Configure item types, routing rules and assessment weights', group: '网格采集' },
  'task.manage': { name: '制定任务模板、生成量化任务', nameEn: 'Define task templates and generate tasks', group: '网格采集' },
  'dispatch.handle': { name: '签收、办理并反馈分派的事项', nameEn: 'Accept, handle and close routed items', group: '网格采集' },
  'incident.read': { name: '查看警情、热点分析、巡防建议与清零统计', nameEn: 'View incidents, hot spots, patrol plans and clearance', group: '情指行' },
  'incident.write': { name: '接报登记、处置、分流与办结警情', nameEn: 'Record, handle, divert and close incidents', group: '情指行' },
  'incident.import': { name: '导入110接处警数据（文件或接口）', nameEn: 'Import 110 dispatch records', group: '情指行' },
  'incident.configure': { name: '维护警情分类、吹哨场景与情指行设置', nameEn: 'Configure incident categories, whistle scenarios and settings', group: '情指行' },
  'patrol.manage': { name: '生成巡防建议、管理义务巡逻队与积分', nameEn: 'Generate patrol plans, manage volunteer teams and points', group: '情指行' },
  'patrol.record': { name: '登记巡逻与巡逻打卡', nameEn: 'Record patrols and check-ins', group: '情指行' },
  'map.read': { name: '查看警务一张图', nameEn: 'View the map', group: '情指行' },
  'map.manage': { name: '维护摄像头点位与巡逻路线', nameEn: 'Maintain camera positions and patrol routes', group: '情指行' },
  'directive.issue': { name: '下发四色预警指令', nameEn: 'Issue four-colour directives', group: '情指行' },
  'directive.handle': { name: '签收并反馈预警指令', nameEn: 'Sign for and report back on directives', group: '情指行' },
  'whistle.raise': { name: '派出所吹哨、确认或重新发起', nameEn: 'Raise, confirm and reopen whistles', group: '情指行' },
  'whistle.respond': { name: '警种报到：响应、处置并反馈吹哨', nameEn: 'Respond to whistles', group: '情指行' },
  'command.oversee': { name: '查看指令与吹哨的签收、反馈时效与超时', nameEn: 'Oversee directive and whistle response times', group: '情指行' },
} as const;

export type Permission = keyof typeof PERMISSIONS;
/**
 * What a route requires: a permission, any one of several permissions, any signed-in staff, a signed-in resident,
 * anyone signed in, or nothing.
 */
export type Access = Permission | readonly Permission[] | 'authenticated' | 'staff' | 'resident' | 'public';

/** Whether staff holding `held` pass a permission (or any-of) requirement. */
export function holdsAccess(held: ReadonlySet<string>, access: Permission | readonly Permission[]): boolean {
  return typeof access === 'string' ? held.has(access) : access.some((p) => held.has(p));
}

/** The requirement as the 403 message names it: 「a」 or 「a」或「b」. */
export const accessLabel = (access: Permission | readonly Permission[]) => (typeof access === 'string' ? [access] : access).map((p) => `「${p}」`).join('或');

export function isPermission(code: string): code is Permission {
  return Object.hasOwn(PERMISSIONS, code);
}
