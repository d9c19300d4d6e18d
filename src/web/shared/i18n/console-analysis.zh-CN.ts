// Staff console, 情指行: 热点分析与巡防. Spread into zh-CN.ts; console-analysis.en.ts must provide the same keys.
const consoleAnalysisZh = {
  'nav.command.hotspots': '热点分析',
  'nav.command.hotspots.desc': '按地点（H3网格、社区、网格）和时段（一周168小时）分析警情热点，同比环比及显著性。',
  'nav.command.patrolPlans': '巡防建议',
  'nav.command.patrolPlans.desc': '由热点生成“1+3”巡防建议：视频巡控、专业巡逻、群防巡逻的地点与时段，记录巡逻打卡并统计覆盖率。',
  'nav.command.patrols': '巡逻记录',
  'nav.command.patrols.desc': '专业巡逻、视频巡控与群防巡逻的记录与打卡轨迹。',
  'nav.command.teams': '义务巡逻队',
  'nav.command.teams.desc': '义务巡逻队、红袖标队伍的队员、排班与参与积分。',
};

export default consoleAnalysisZh;
