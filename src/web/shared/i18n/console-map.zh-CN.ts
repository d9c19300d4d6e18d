// Staff console, 情指行: 警务一张图. Spread into zh-CN.ts; console-map.en.ts must provide the same keys.
const consoleMapZh = {
  'nav.command.map': '警务一张图',
  'nav.command.map.desc': '辖区一张图：边界、标准地址、警情点位与热力、警务室与1-3-5分钟处置圈、巡逻路线、重点单位、摄像头点位。',
  'nav.command.mapAssets': '地图设施',
  'nav.command.mapAssets.desc': '维护摄像头点位（仅作资产标注）、巡逻路线与底图设置。',
};

export default consoleMapZh;
