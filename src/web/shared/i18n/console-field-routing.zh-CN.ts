// Staff console, 网格采集: routing. Spread into zh-CN.ts; console-field-routing.en.ts must provide the same keys.
const consoleFieldRoutingZh = {
  'nav.field.inbox': '分派事项',
  'nav.field.inbox.desc': '分派到本部门（或社区民警）的事项：签收、办理、反馈办结；超时未签收自动督办。',
  'nav.field.dispatch': '分派事项详情',
  'nav.field.dispatch.desc': '一条分派事项：采集内容、照片、办理过程与反馈。',
  'nav.field.rules': '分派规则',
  'nav.field.rules.desc': '按事项类型与内容把采集事项分派给主管部门：“下到网格一把抓，回到社区再分家”。',
  'nav.field.dispatchStats': '分派办理统计',
  'nav.field.dispatchStats.desc': '各部门接收、签收、办结、超时与督办情况。',
};

export default consoleFieldRoutingZh;
