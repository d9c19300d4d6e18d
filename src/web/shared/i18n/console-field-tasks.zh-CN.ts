// Staff console, 网格采集: tasks. Spread into zh-CN.ts; console-field-tasks.en.ts must provide the same keys.
const consoleFieldTasksZh = {
  'nav.field.templates': '任务模板',
  'nav.field.templates.desc': '按网格制定周期性量化任务（出租屋月访、流动人口到期核查、重点单位季检、巡查点周巡），自动生成到人。',
  'nav.field.progress': '任务进度',
  'nav.field.progress.desc': '按社区、网格、网格员查看任务完成率与逾期事项。',
  'nav.field.assessment': '网格员考核',
  'nav.field.assessment.desc': '按月由系统数据自动计算：按时完成率、采集量、核查数、上报及时率、退回数与综合得分。',
};

export default consoleFieldTasksZh;
