// Staff console, 情指行: 警情. Spread into zh-CN.ts; console-incidents.en.ts must provide the same keys.
const consoleIncidentsZh = {
  'nav.group.command': '情指行',
  'nav.command.incidents': '警情管理',
  'nav.command.incidents.desc': '110接处警、来所报警、网格与群众上报的警情：登记、处置、关联人员地址案件、分流与办结。',
  'nav.command.incident': '警情详情',
  'nav.command.incident.desc': '一条警情：时间地点、分类、处置过程、关联、分流去向。',
  'nav.command.clearance': '警情清零',
  'nav.command.clearance.desc': '每起警情跟踪至办结：未结警情按时长预警，按单位统计每日清零情况。',
  'nav.command.diversions': '分流事项',
  'nav.command.diversions.desc': '分流到本部门（12345、职能部门）的非警务警情：签收、办理与反馈。',
  'nav.command.categories': '警情分类',
  'nav.command.categories.desc': '可配置的警情分类树（刑事、治安、纠纷、求助、交通、火灾……）及是否属警务事项。',
};

export default consoleIncidentsZh;
