import type { Permission } from './permissions.js';

export interface RoleDefinition {
  code: string;
  name: string;
  nameEn: string;
  description: string;
  permissions: Permission[];
}

/** Built-in roles, synchronised into the `roles` table at start. */
export const BUILTIN_ROLES: RoleDefinition[] = [
  {
    code: 'admin',
    name: '系统管理员',
    nameEn: 'Administrator',
    description: '管理辖区与网格、部门、用户与角色、配置项',
    permissions: ['org.read', 'org.manage', 'user.read', 'user.manage', 'role.read', 'audit.read', 'address.read', 'address.manage', 'plate.manage', 'registry.import', 'service.manage', 'field.configure', 'incident.configure', 'map.read', 'map.manage'],
  },
  {
    code: 'leader',
    name: '分局领导',
    nameEn: 'Branch leader',
    description: '查看全分局数据、统计与考核',
    permissions: ['org.read', 'user.read', 'role.read', 'address.read', 'person.read', 'person.locate', 'unit.read', 'registry.export', 'portal.read', 'field.read', 'incident.read', 'map.read', 'command.oversee'],
  },
  {
    code: 'chief',
    name: '派出所所长',
    nameEn: 'Station chief',
    description: '管理本所警务工作、指令与考核',
    permissions: ['org.read', 'user.read', 'address.read', 'address.manage', 'plate.manage', 'person.read', 'person.write', 'person.id_full', 'person.locate', 'housing.write', 'unit.read', 'unit.write', 'registry.import', 'registry.export', 'portal.read', 'portal.review', 'appointment.handle', 'service.manage', 'field.read', 'field.review', 'task.manage', 'dispatch.handle', 'incident.read', 'incident.write', 'incident.import', 'patrol.manage', 'patrol.record', 'map.read', 'map.manage', 'directive.handle', 'whistle.raise'],
  },
  { code: 'officer', name: '社区民警', nameEn: 'Community officer', description: '审核群众与网格员提交的信息、调解、走访', permissions: ['org.read', 'address.read', 'address.manage', 'plate.manage', 'person.read', 'person.write', 'person.id_full', 'person.locate', 'housing.write', 'unit.read', 'unit.write', 'registry.import', 'registry.export', 'portal.read', 'portal.review', 'appointment.handle', 'service.manage', 'field.read', 'field.review', 'task.manage', 'dispatch.handle', 'incident.read', 'incident.write', 'patrol.manage', 'patrol.record', 'map.read', 'directive.handle', 'whistle.raise'] },
  { code: 'assistant', name: '辅警/警务助理', nameEn: 'Police assistant', description: '协助社区民警采集与核查信息', permissions: ['address.read', 'person.read', 'person.write', 'housing.write', 'unit.read', 'unit.write', 'portal.read', 'appointment.handle', 'field.collect', 'patrol.record'] },
  { code: 'gridworker', name: '网格员', nameEn: 'Grid worker', description: '领取任务、扫码采集、上报隐患与纠纷', permissions: ['address.read', 'person.read', 'person.write', 'housing.write', 'unit.read', 'unit.write', 'field.collect', 'patrol.record'] },
  { code: 'caseofficer', name: '办案民警', nameEn: 'Case officer', description: '受案、立案、调查与处理', permissions: ['org.read', 'address.read', 'person.read', 'person.id_full', 'person.locate', 'unit.read', 'xiecha', 'incident.read', 'map.read'] },
  { code: 'legal', name: '法制员', nameEn: 'Legal reviewer', description: '审核案件、裁量与执法监督', permissions: ['org.read', 'person.read'] },
  { code: 'command', name: '指挥中心值班员', nameEn: 'Command duty officer', description: '警情、指令、一张图', permissions: ['org.read', 'address.read', 'person.read', 'person.locate', 'unit.read', 'field.read', 'incident.write', 'incident.read', 'incident.import', 'map.read', 'map.manage', 'directive.issue', 'command.oversee'] },
  { code: 'squad', name: '警种民警', nameEn: 'Specialist unit officer', description: '响应派出所吹哨、签收并反馈指令', permissions: ['org.read', 'address.read', 'incident.read', 'map.read', 'directive.handle', 'whistle.respond'] },
  { code: 'dept', name: '部门人员', nameEn: 'Department staff', description: '处理分派到本部门的事项并反馈', permissions: ['dispatch.handle', 'directive.handle', 'whistle.respond'] },
  { code: 'mediator', name: '调解员', nameEn: 'Mediator', description: '参与矛盾纠纷调解', permissions: ['dispatch.handle', 'whistle.respond'] },
  { code: 'operator', name: '场所操作员', nameEn: 'Venue operator', description: '旅馆、寄递、电动车门店的实名登记', permissions: [] },
  {
    code: 'supervisor',
    name: '督察',
    nameEn: 'Supervisor (audit)',
    description: '查阅、核验与导出审计日志，发现异常访问',
    permissions: ['org.read', 'user.read', 'role.read', 'audit.read', 'audit.export', 'person.read', 'command.oversee'],
  },
];
