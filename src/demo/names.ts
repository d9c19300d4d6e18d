/**
 * Name tables for the demo registry: surnames weighted by frequency, given-name characters, roads,
 * compounds and unit names typical of 滨州市滨城区. Pure data.
 */

/** Surname → relative weight (per mille of the population, rounded). */
export const SURNAMES: Array<[string, number]> = [
  ['王', 72], ['李', 71], ['张', 68], ['刘', 54], ['陈', 45], ['杨', 31], ['黄', 22], ['赵', 20], ['吴', 19], ['周', 18],
  ['徐', 13], ['孙', 13], ['马', 12], ['朱', 11], ['胡', 10], ['郭', 10], ['何', 9], ['高', 9], ['林', 9], ['罗', 8],
  ['郑', 8], ['梁', 7], ['谢', 6], ['宋', 6], ['唐', 5], ['许', 5], ['韩', 5], ['冯', 5], ['邓', 5], ['曹', 5],
  ['彭', 4], ['曾', 4], ['肖', 4], ['田', 4], ['董', 4], ['袁', 4], ['潘', 3], ['于', 3], ['蒋', 3], ['蔡', 3],
  ['余', 3], ['杜', 3], ['叶', 3], ['程', 3], ['苏', 3], ['魏', 3], ['吕', 3], ['丁', 3], ['任', 3], ['沈', 3],
  ['姚', 2], ['卢', 2], ['姜', 2], ['崔', 2], ['钟', 2], ['谭', 2], ['陆', 2], ['汪', 2], ['范', 2], ['金', 2],
  ['石', 2], ['廖', 2], ['贾', 2], ['夏', 2], ['韦', 2], ['付', 2], ['方', 2], ['白', 2], ['邹', 2], ['孟', 2],
  ['熊', 2], ['秦', 2], ['邱', 2], ['江', 2], ['尹', 2], ['薛', 2], ['闫', 2], ['段', 2], ['雷', 2], ['侯', 2],
  ['龙', 1], ['史', 1], ['陶', 1], ['黎', 1], ['贺', 1], ['顾', 1], ['毛', 1], ['郝', 1], ['龚', 1], ['邵', 1],
  ['万', 1], ['钱', 1], ['严', 1], ['覃', 1], ['武', 1], ['戴', 1], ['莫', 1], ['孔', 1], ['单', 1], ['解', 1],
];

/** Given-name characters, male-leaning and female-leaning, and neutral ones used by both. */
export const GIVEN_MALE = [...'伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳建国志峰亮成东海兴文博晨轩昊然'];
export const GIVEN_FEMALE = [...'芳娜敏静丽艳娟霞秀英燕玲桂兰萍红梅琳雪倩婷颖慧莉琴晶欣怡佳悦嘉雨涵馨瑶璐丹蕾'];
export const GIVEN_NEUTRAL = [...'子一思新立振永春晓雅世德庆安金玉云光小天'];

/** 汉族 for almost everybody (stored only, never searched). */
export const ETHNICITIES: Array<[string, number]> = [['汉族', 985], ['回族', 10], ['满族', 3], ['蒙古族', 1], ['壮族', 1]];

const CN = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五', '十六', '十七', '十八', '十九', '二十'];

/** Road names of the county seat: numbered roads and named ones. */
export const ROADS: string[] = [
  ...Array.from({ length: 12 }, (_, i) => `黄河${CN[i + 1]}路`),
  ...Array.from({ length: 20 }, (_, i) => `渤海${CN[i + 1]}路`),
  ...Array.from({ length: 8 }, (_, i) => `长江${CN[i + 1]}路`),
  ...Array.from({ length: 6 }, (_, i) => `黄河${CN[i + 1]}街`),
  '新立河路', '中海路', '新立河东路', '新立河西路', '滨北路', '梧桐五路', '梧桐七路', '凤凰三路', '凤凰五路', '凤凰七路',
  '彭李大道', '长江大道', '黄河大道', '渤海大道', '永莘路', '东海路', '西海路', '南海路', '北海路', '奥体大道',
  '秦皇河路', '玉龙湖路', '丰收路', '东城路', '学苑路', '香园路', '颐园路', '民园路', '廉政路', '市中路',
];

/** Compound (小区) names. */
export const COMPOUND_STEMS = [
  '香园', '学苑', '翡翠城', '御景苑', '颐和园', '锦绣城', '龙悦湖', '金科', '阳光', '滨河', '怡景', '名仕', '东方', '和平',
  '丽景', '华府', '渤海', '黄河', '新立河', '中海', '世纪', '盛世', '锦苑', '康城', '泰和', '福润', '金阳', '天成', '紫金', '瑞和',
];
export const COMPOUND_SUFFIXES = ['小区', '家园', '花园', '苑', '新村', '公寓', '小区'];

/** Trade names used in unit names. */
export const TRADE_NAMES = [...'鑫隆盛泰华润兴和信达丰源恒通顺祥瑞金宏旺'].flatMap((a, i, all) => [a + all[(i * 7 + 3) % all.length]]);

export type KeyIndustry = 'hotel' | 'courier' | 'ebike' | 'precursor_chemical' | 'school' | 'hospital' | 'financial' | 'entertainment' | 'rental_agency' | 'other';

/** Unit templates: name suffix, unit type, key industry, credit-code authority+category, relative weight. */
export const UNIT_KINDS: Array<{ suffix: string; type: string; industry: KeyIndustry | null; authority: string; weight: number }> = [
  { suffix: '宾馆', type: '个体工商户', industry: 'hotel', authority: '92', weight: 3 },
  { suffix: '快捷酒店', type: '有限责任公司', industry: 'hotel', authority: '91', weight: 2 },
  { suffix: '快递服务部', type: '个体工商户', industry: 'courier', authority: '92', weight: 4 },
  { suffix: '电动车行', type: '个体工商户', industry: 'ebike', authority: '92', weight: 4 },
  { suffix: '房产经纪有限公司', type: '有限责任公司', industry: 'rental_agency', authority: '91', weight: 2 },
  { suffix: 'KTV', type: '有限责任公司', industry: 'entertainment', authority: '91', weight: 1 },
  { suffix: '商贸有限公司', type: '有限责任公司', industry: null, authority: '91', weight: 14 },
  { suffix: '超市', type: '个体工商户', industry: null, authority: '92', weight: 10 },
  { suffix: '餐馆', type: '个体工商户', industry: null, authority: '92', weight: 12 },
  { suffix: '建材经营部', type: '个体工商户', industry: null, authority: '92', weight: 5 },
  { suffix: '汽车维修服务有限公司', type: '有限责任公司', industry: null, authority: '91', weight: 4 },
  { suffix: '物业服务有限公司', type: '有限责任公司', industry: null, authority: '91', weight: 3 },
  { suffix: '理发店', type: '个体工商户', industry: null, authority: '92', weight: 5 },
];

/** Units every district has exactly a few of, by name. */
export const SPECIAL_UNITS: Array<{ name: string; type: string; industry: KeyIndustry; authority: string }> = [
  { name: '滨州鑫源化工有限公司', type: '有限责任公司', industry: 'precursor_chemical', authority: '91' },
  { name: '滨州市人民医院', type: '事业单位', industry: 'hospital', authority: '12' },
  { name: '中国工商银行滨州分行', type: '分支机构', industry: 'financial', authority: '91' },
  { name: '中国农业银行滨州分行', type: '分支机构', industry: 'financial', authority: '91' },
  { name: '中国建设银行滨州分行', type: '分支机构', industry: 'financial', authority: '91' },
];
