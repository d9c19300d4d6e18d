// Staff console, 情指行: 指令与吹哨. Spread into zh-CN.ts; console-command.en.ts must provide the same keys.
const consoleCommandZh = {
  'nav.command.directives': '四色预警指令',
  'nav.command.directives.desc': '指挥中心下发红橙蓝绿四色预警指令，跟踪签收率、反馈率与超时单位。',
  'nav.command.directive': '指令详情',
  'nav.command.directive.desc': '一条预警指令：内容、要求、各单位签收与反馈。',
  'nav.command.directiveInbox': '指令签收',
  'nav.command.directiveInbox.desc': '下发到本单位的预警指令：签收并反馈落实情况。',
  'nav.command.whistles': '派出所吹哨',
  'nav.command.whistles.desc': '按场景吹哨，警种限时报到；确认办结或重新吹哨。',
  'nav.command.whistle': '吹哨详情',
  'nav.command.whistle.desc': '一次吹哨：场景、报到单位、响应与反馈、确认。',
  'nav.command.whistleInbox': '警种报到',
  'nav.command.whistleInbox.desc': '派出所向本部门吹哨的事项：响应、处置并反馈。',
  'nav.command.oversight': '时效督办',
  'nav.command.oversight.desc': '指令签收反馈率、吹哨响应时长与超时未响应单位。',
  'nav.command.settings': '情指行设置',
  'nav.command.settings.desc': '吹哨场景（报到单位与响应时限）、指令签收时限、短信通知级别、巡逻积分。',
};

export default consoleCommandZh;
