// Staff console, 网格采集: items. Spread into zh-CN.ts; console-field-items.en.ts must provide the same keys.
const consoleFieldItemsZh = {
  'nav.group.field': '网格采集',
  'nav.field.items': '采集事项',
  'nav.field.items.desc': '网格员与警务助理采集上报的事项：走访、巡查、核查、隐患、纠纷，及其分派与办理情况。',
  'nav.field.item': '采集事项详情',
  'nav.field.item.desc': '一条采集事项：表单内容、照片、位置、分派与反馈。',
  'nav.field.changes': '信息变更审核',
  'nav.field.changes.desc': '网格采集的人员、房屋、单位变更：审核后写入一标三实，冲突须人工确认；授权网格员直接变更。',
  'nav.field.change': '变更详情',
  'nav.field.change.desc': '一条信息变更：采集内容与登记现状对照、冲突、审核。',
  'nav.field.types': '事项类型',
  'nav.field.types.desc': '基础工作的类别与事项，及每类事项的采集表单（无需改代码）。',
};

export default consoleFieldItemsZh;
