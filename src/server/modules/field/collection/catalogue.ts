import type { Deps } from '../../../deps.js';
import type { FormField, FormSchema } from '../../../../shared/forms.js';
import { collectionRepository as repo } from './repository.js';

/**
 * The built-in catalogue of grid basic work (网格基础工作): 9 categories and 56 item types, each with its form.
 * Items of 重点监控 concern places and people under a lawful basis (社区矫正、刑满释放、社区戒毒康复、严重精神障碍患者
 * 服务管理、重点场所); nothing here records or infers ethnicity or religion.
 */
export const BUILTIN_CATEGORIES: Array<{ code: string; name: string; sort: number }> = [
  { code: 'info', name: '信息采集', sort: 10 },
  { code: 'patrol', name: '网格巡查', sort: 20 },
  { code: 'service', name: '社区服务', sort: 30 },
  { code: 'watch', name: '重点监控', sort: 40 },
  { code: 'dispute', name: '矛盾调解', sort: 50 },
  { code: 'safety', name: '安全隐患', sort: 60 },
  { code: 'security', name: '治安防范', sort: 70 },
  { code: 'city', name: '城市管理', sort: 80 },
  { code: 'publicity', name: '政策宣传', sort: 90 },
];

export interface BuiltinType {
  code: string;
  category: string;
  name: string;
  description: string;
  fields: FormField[];
  address?: boolean;
  photo?: boolean;
  location?: boolean;
}

// ---- field builders (keep the catalogue readable) ----------------------------------------------------------------
const req = true;
const text = (key: string, label: string, o: Partial<FormField> = {}): FormField => ({ key, label, type: 'text', ...o });
const area = (key: string, label: string, o: Partial<FormField> = {}): FormField => ({ key, label, type: 'textarea', maxLength: 1000, ...o });
const num = (key: string, label: string, min: number, max: number, o: Partial<FormField> = {}): FormField => ({ key, label, type: 'number', min, max, ...o });
const sel = (key: string, label: string, options: string[], o: Partial<FormField> = {}): FormField => ({ key, label, type: 'select', options, ...o });
const multi = (key: string, label: string, options: string[], o: Partial<FormField> = {}): FormField => ({ key, label, type: 'multiselect', options, ...o });
const yes = (key: string, label: string, o: Partial<FormField> = {}): FormField => ({ key, label, type: 'boolean', ...o });
const date = (key: string, label: string, o: Partial<FormField> = {}): FormField => ({ key, label, type: 'date', ...o });
const phone = (key: string, label: string, o: Partial<FormField> = {}): FormField => ({ key, label, type: 'phone', ...o });
const remark = (label = '情况说明') => area('remark', label);

const URGENCY = ['一般', '较急', '紧急'];
const RECTIFY = ['已当场整改', '已告知限期整改', '需职能部门处置'];

export const BUILTIN_TYPES: BuiltinType[] = [
  // ---- 信息采集 -----------------------------------------------------------------------------------------------
  {
    code: 'address_verify', category: 'info', name: '地址核查（一标三实核查）', address: true,
    description: '到门核对标准地址、门牌二维码与实有人口、实有房屋、实有单位是否与登记一致；人员、房屋、单位有变化的另报信息变更。',
    fields: [
      sel('addressStatus', '地址情况', ['与登记一致', '门牌信息有误', '地址已拆除', '无法进入'], { required: req }),
      sel('plateStatus', '门牌二维码', ['完好', '污损', '缺失', '未安装'], { required: req }),
      sel('residentsMatch', '实有人口', ['与登记一致', '有变化（已报变更）', '未核实'], { required: req }),
      sel('housingMatch', '实有房屋', ['与登记一致', '有变化（已报变更）', '未核实']),
      num('peopleSeen', '现场见到人数', 0, 50),
      remark(),
    ],
  },
  {
    code: 'rental_visit', category: 'info', name: '出租房屋走访', address: true,
    description: '走访出租房屋：租住人数、租赁登记、消防与治安安全责任书，发现群租与安全隐患。',
    fields: [
      num('tenants', '实际租住人数', 0, 50, { required: req }),
      sel('registration', '租赁登记', ['已登记', '未登记（已督促）', '已过期'], { required: req }),
      yes('responsibilitySigned', '已签订治安消防安全责任书'),
      yes('groupRental', '疑似群租'),
      multi('hazards', '发现的问题', ['电动车室内充电', '私拉乱接电线', '无灭火器', '通道堵塞', '人员未登记', '无']),
      phone('landlordPhone', '房东联系电话'),
      remark('走访情况'),
    ],
  },
  {
    code: 'floating_verify', category: 'info', name: '流动人口核查', address: true,
    description: '核实流动人口是否仍在此居住、居住证办理与拟居住期限；人员信息变化另报信息变更。',
    fields: [
      sel('result', '核查结果', ['仍在此居住', '已搬离', '暂时外出', '查无此人'], { required: req }),
      num('people', '核查人数', 1, 50, { required: req }),
      sel('permit', '居住证', ['已办理', '未办理（已告知）', '不需要办理']),
      date('stayUntil', '拟居住至'),
      remark(),
    ],
  },
  {
    code: 'vacant_house', category: 'info', name: '空置房屋核查', address: true,
    description: '核查登记为空置的房屋是否仍空置、是否有人临时居住或存放物品。',
    fields: [
      sel('status', '房屋现状', ['仍空置', '已入住', '已出租', '装修中'], { required: req }),
      yes('ownerContacted', '已联系房主'),
      phone('ownerPhone', '房主联系电话'),
      remark(),
    ],
  },
  {
    code: 'plate_damage', category: 'info', name: '门牌损坏缺失', address: true, photo: true,
    description: '门牌、楼牌、二维码牌损坏或缺失，报请补换。',
    fields: [
      sel('plateKind', '牌类', ['路牌', '门牌', '楼牌', '户室牌'], { required: req }),
      sel('problem', '问题', ['缺失', '损坏', '二维码无法识别', '信息错误'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'overseas_stay', category: 'info', name: '境外人员住宿核查', address: true,
    description: '核查境外人员在住宅内住宿是否按《出境入境管理法》在 24 小时内办理住宿登记。',
    fields: [
      num('people', '境外人员人数', 1, 20, { required: req }),
      sel('registered', '住宿登记', ['已登记', '未登记（已督促 24 小时内办理）'], { required: req }),
      date('arrivedOn', '入住日期'),
      remark(),
    ],
  },
  {
    code: 'employee_verify', category: 'info', name: '单位从业人员核查', address: true,
    description: '核对单位从业人员名册与实际在岗人员是否一致。',
    fields: [
      num('registered', '名册人数', 0, 5000, { required: req }),
      num('onSite', '在岗人数', 0, 5000, { required: req }),
      yes('rosterUpdated', '已督促更新名册'),
      remark(),
    ],
  },

  // ---- 网格巡查 -----------------------------------------------------------------------------------------------
  {
    code: 'patrol_checkin', category: 'patrol', name: '巡查打卡', location: true,
    description: '到达巡查点位打卡，记录现场情况。',
    fields: [
      sel('situation', '现场情况', ['正常', '发现问题（已另报）', '发现问题（已当场处理）'], { required: req }),
      num('minutes', '停留时长（分钟）', 0, 480),
      remark('巡查记录'),
    ],
  },
  {
    code: 'night_patrol', category: 'patrol', name: '夜间巡逻', location: true,
    description: '夜间巡逻：重点部位、背街小巷、无物业小区。',
    fields: [
      num('participants', '参加人数', 1, 50, { required: req }),
      sel('situation', '巡逻情况', ['正常', '发现问题（已另报）'], { required: req }),
      multi('checked', '巡查部位', ['背街小巷', '无物业小区', '地下车库', '沿街商铺', '学校周边', '公园广场']),
      remark(),
    ],
  },
  {
    code: 'school_patrol', category: 'patrol', name: '校园周边护学', location: true,
    description: '上下学时段校园周边护学岗、交通秩序与摊点。',
    fields: [
      sel('period', '时段', ['早上学', '中午放学', '中午上学', '下午放学'], { required: req }),
      sel('situation', '现场情况', ['秩序良好', '交通拥堵', '流动摊点', '可疑情况（已另报）'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'market_patrol', category: 'patrol', name: '集贸市场巡查', location: true,
    description: '集贸市场秩序、消防通道与食品安全巡查。',
    fields: [
      sel('situation', '市场秩序', ['良好', '一般', '较乱'], { required: req }),
      multi('problems', '发现的问题', ['占道经营', '消防通道堵塞', '私搭乱建', '食品卫生问题', '无']),
      remark(),
    ],
  },
  {
    code: 'construction_patrol', category: 'patrol', name: '工地巡查', location: true, photo: true,
    description: '在建工地的围挡、扬尘、夜间施工与务工人员登记。',
    fields: [
      text('siteName', '工地名称', { required: req, maxLength: 100 }),
      multi('problems', '发现的问题', ['围挡缺失', '扬尘', '夜间违规施工', '务工人员未登记', '安全防护不到位', '无'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'water_patrol', category: 'patrol', name: '防溺水巡查', location: true,
    description: '河道、坑塘、水库的警示标志、救生设施与野泳劝离。',
    fields: [
      yes('signsOk', '警示标志完好', { required: req }),
      yes('rescueOk', '救生设施完好'),
      num('dissuaded', '劝离野泳人数', 0, 200),
      remark(),
    ],
  },

  // ---- 社区服务 -----------------------------------------------------------------------------------------------
  {
    code: 'home_visit', category: 'service', name: '入户走访', address: true,
    description: '入户走访，了解家庭情况、诉求与意见建议。',
    fields: [
      sel('met', '见面情况', ['见到本人', '家人代为接待', '家中无人'], { required: req }),
      num('people', '在家人数', 0, 30),
      multi('topics', '走访内容', ['民情收集', '安全提示', '反诈宣传', '政策宣传', '矛盾排查', '困难帮扶']),
      yes('hasRequest', '有诉求'),
      area('request', '群众诉求', { maxLength: 500 }),
      remark('走访情况'),
    ],
  },
  {
    code: 'elderly_alone', category: 'service', name: '独居老人关爱', address: true,
    description: '探视独居、空巢老人：身体与生活状况、紧急联系人、安全隐患。',
    fields: [
      text('name', '老人姓名', { required: req, maxLength: 20 }),
      num('age', '年龄', 60, 120, { required: req }),
      sel('health', '身体状况', ['良好', '一般', '较差', '卧床'], { required: req }),
      sel('living', '生活自理', ['完全自理', '部分自理', '不能自理'], { required: req }),
      yes('needsHelp', '需要民政帮扶'),
      multi('needs', '需求', ['助餐', '助医', '助洁', '陪护', '适老化改造', '紧急呼叫设备']),
      text('contactName', '紧急联系人', { maxLength: 20 }),
      phone('contactPhone', '紧急联系人电话'),
      remark('探视情况'),
    ],
  },
  {
    code: 'disabled_care', category: 'service', name: '残疾人帮扶', address: true,
    description: '走访残疾人家庭，了解康复、就业与补贴落实情况。',
    fields: [
      sel('disability', '残疾类别', ['视力', '听力', '言语', '肢体', '智力', '精神', '多重']),
      multi('needs', '需求', ['康复服务', '辅助器具', '就业帮扶', '生活补贴', '无障碍改造']),
      yes('subsidyOk', '补贴已落实'),
      remark(),
    ],
  },
  {
    code: 'left_behind_child', category: 'service', name: '留守儿童关爱', address: true,
    description: '关爱留守儿童：监护、上学与安全情况。',
    fields: [
      num('children', '儿童人数', 1, 10, { required: req }),
      sel('guardian', '实际监护人', ['祖父母', '外祖父母', '其他亲属', '无人监护'], { required: req }),
      sel('school', '上学情况', ['正常上学', '辍学', '未到学龄']),
      yes('needsHelp', '需要帮扶'),
      remark(),
    ],
  },
  {
    code: 'hardship_family', category: 'service', name: '困难家庭帮扶', address: true,
    description: '走访低保、特困与临时困难家庭，反映救助需求。',
    fields: [
      sel('kind', '困难类型', ['低保', '特困', '因病致困', '因灾致困', '其他'], { required: req }),
      multi('needs', '需求', ['临时救助', '医疗救助', '就业帮扶', '助学', '住房']),
      remark('家庭情况'),
    ],
  },
  {
    code: 'resident_request', category: 'service', name: '群众诉求', address: false,
    description: '记录群众当面提出的诉求与意见建议，交相关部门办理。',
    fields: [
      sel('topic', '诉求类别', ['治安', '交通', '环境卫生', '物业', '市政设施', '社会保障', '其他'], { required: req }),
      area('content', '诉求内容', { required: req, maxLength: 1000 }),
      text('contactName', '诉求人', { maxLength: 20 }),
      phone('contactPhone', '联系电话'),
    ],
  },
  {
    code: 'proxy_service', category: 'service', name: '帮办代办', address: false,
    description: '为行动不便的群众帮办代办证件与民生事项。',
    fields: [
      sel('item', '代办事项', ['居住证', '身份证', '户口迁移', '社保医保', '老年优待证', '其他'], { required: req }),
      sel('progress', '办理进度', ['已受理', '办理中', '已办结'], { required: req }),
      remark(),
    ],
  },

  // ---- 重点监控（依法管理的场所与人员） -----------------------------------------------------------------------------
  {
    code: 'suspicious_person', category: 'watch', name: '可疑人员线索', address: false,
    description: '发现行为可疑的人员（形迹、物品、行为异常），报社区民警核查；只记录行为与特征，不以民族、宗教等身份作为线索。',
    fields: [
      sel('behavior', '可疑行为', ['反复踩点窥视', '深夜撬锁试门', '携带可疑物品', '冒充工作人员', '推销诈骗', '其他'], { required: req }),
      area('description', '人员特征与经过', { required: req, maxLength: 1000, help: '只写衣着、体态、行为、车辆等，不写民族、宗教' }),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
      yes('stillThere', '人员仍在现场'),
    ],
  },
  {
    code: 'community_correction', category: 'watch', name: '社区矫正对象走访', address: true,
    description: '配合司法所走访社区矫正对象（依《社区矫正法》），了解思想、工作与家庭情况。',
    fields: [
      sel('met', '见面情况', ['见到本人', '本人不在（已联系）', '联系不上'], { required: req }),
      sel('status', '现实表现', ['良好', '一般', '较差'], { required: req }),
      yes('reportedToJustice', '已告知司法所'),
      remark('走访情况'),
    ],
  },
  {
    code: 'released_prisoner', category: 'watch', name: '刑满释放人员帮教', address: true,
    description: '刑满释放人员安置帮教：就业、生活与思想情况（依安置帮教规定，帮教期内）。',
    fields: [
      sel('employment', '就业情况', ['已就业', '待业', '自主经营'], { required: req }),
      sel('status', '现实表现', ['良好', '一般', '较差'], { required: req }),
      multi('needs', '帮扶需求', ['就业', '技能培训', '生活救助', '心理疏导', '无']),
      remark(),
    ],
  },
  {
    code: 'drug_rehab', category: 'watch', name: '社区戒毒康复随访', address: true,
    description: '配合落实社区戒毒、社区康复协议（依《禁毒法》），了解康复、就业与家庭支持情况。',
    fields: [
      sel('met', '见面情况', ['见到本人', '本人不在（已联系）', '联系不上'], { required: req }),
      sel('agreement', '协议履行', ['正常履行', '有违反情形（已报告）'], { required: req }),
      multi('needs', '帮扶需求', ['就业', '心理疏导', '生活救助', '无']),
      remark(),
    ],
  },
  {
    code: 'mental_care', category: 'watch', name: '严重精神障碍患者关爱随访', address: true,
    description: '配合精防医生与监护人随访（依《精神卫生法》）：服药、监护与肇事肇祸风险。',
    fields: [
      sel('medication', '服药情况', ['规律服药', '间断服药', '未服药'], { required: req }),
      sel('guardian', '监护落实', ['监护到位', '监护不力', '无监护人'], { required: req }),
      sel('risk', '风险等级（精防医生评估）', ['0 级', '1 级', '2 级', '3 级及以上']),
      yes('needsDoctor', '需要精防医生上门'),
      remark(),
    ],
  },
  {
    code: 'key_place_check', category: 'watch', name: '重点场所检查', address: true,
    description: '网吧、歌舞娱乐场所、典当寄卖等重点场所的实名登记与治安状况检查。',
    fields: [
      sel('placeKind', '场所类型', ['网吧', '歌舞娱乐场所', '洗浴足疗', '典当寄卖', '废品收购', '其他'], { required: req }),
      yes('realName', '落实实名登记', { required: req }),
      yes('minors', '发现未成年人违规进入'),
      sel('result', '检查结果', ['正常', '责令整改', '移交处理'], { required: req }),
      remark(),
    ],
  },

  // ---- 矛盾调解 -----------------------------------------------------------------------------------------------
  {
    code: 'dispute', category: 'dispute', name: '矛盾纠纷', address: false,
    description: '排查发现的矛盾纠纷：当事人、起因与调处情况；调处不了的交司法所（人民调解）。',
    fields: [
      sel('kind', '纠纷类型', ['邻里纠纷', '婚姻家庭', '物业纠纷', '劳资纠纷', '土地宅基地', '损害赔偿', '其他'], { required: req }),
      num('parties', '当事人数', 2, 100, { required: req }),
      area('description', '纠纷经过', { required: req, maxLength: 1000 }),
      sel('risk', '激化风险', ['低', '中', '高'], { required: req }),
      sel('status', '调处情况', ['已当场化解', '正在调解', '需要移交'], { required: req }),
      yes('needsMediation', '申请人民调解'),
    ],
  },
  {
    code: 'neighbor_dispute', category: 'dispute', name: '邻里纠纷', address: true,
    description: '噪音、漏水、占用公共空间等邻里之间的纠纷。',
    fields: [
      sel('cause', '起因', ['噪音', '漏水', '占用公共空间', '宠物', '采光通风', '其他'], { required: req }),
      sel('status', '调处情况', ['已化解', '调解中', '需要移交'], { required: req }),
      remark('纠纷经过'),
    ],
  },
  {
    code: 'family_dispute', category: 'dispute', name: '婚姻家庭纠纷', address: true,
    description: '婚姻、赡养、抚养、继承等家庭纠纷；涉家庭暴力的同时报社区民警。',
    fields: [
      sel('cause', '起因', ['婚姻', '赡养', '抚养', '继承', '家庭暴力', '其他'], { required: req }),
      yes('violence', '涉及家庭暴力', { help: '涉及家庭暴力的，同时报告社区民警' }),
      sel('status', '调处情况', ['已化解', '调解中', '需要移交'], { required: req }),
      remark('纠纷经过'),
    ],
  },
  {
    code: 'property_dispute', category: 'dispute', name: '物业纠纷', address: true,
    description: '业主与物业服务企业之间的收费、服务、维修纠纷。',
    fields: [
      sel('cause', '起因', ['物业收费', '服务质量', '公共维修', '停车', '其他'], { required: req }),
      num('households', '涉及户数', 1, 5000),
      sel('status', '调处情况', ['已化解', '调解中', '需要移交'], { required: req }),
      remark('纠纷经过'),
    ],
  },
  {
    code: 'wage_dispute', category: 'dispute', name: '劳资纠纷', address: false,
    description: '拖欠工资等劳资纠纷，涉及人数多的及时上报。',
    fields: [
      text('employer', '用工单位', { required: req, maxLength: 100 }),
      num('workers', '涉及人数', 1, 5000, { required: req }),
      num('amount', '涉及金额（元）', 0, 100_000_000),
      sel('risk', '群体性风险', ['低', '中', '高'], { required: req }),
      remark('纠纷经过'),
    ],
  },
  {
    code: 'land_dispute', category: 'dispute', name: '土地宅基地纠纷', address: false, location: true,
    description: '土地承包、宅基地边界等纠纷。',
    fields: [
      sel('cause', '起因', ['宅基地边界', '土地承包', '征地补偿', '其他'], { required: req }),
      num('parties', '当事人数', 2, 100),
      sel('status', '调处情况', ['已化解', '调解中', '需要移交'], { required: req }),
      remark('纠纷经过'),
    ],
  },

  // ---- 安全隐患 -----------------------------------------------------------------------------------------------
  {
    code: 'fire_hazard', category: 'safety', name: '消防安全隐患', address: true,
    description: '堵塞消防通道、私拉电线、消防设施缺损等隐患，交消防救援部门处置。',
    fields: [
      multi('kinds', '隐患类型', ['消防通道堵塞', '私拉乱接电线', '消防设施缺损', '易燃物堆放', '电动车违规停放充电', '其他'], { required: req }),
      sel('level', '隐患等级', ['一般隐患', '重大隐患'], { required: req }),
      sel('rectify', '整改情况', RECTIFY, { required: req }),
      remark('隐患描述'),
    ],
  },
  {
    code: 'ebike_charging', category: 'safety', name: '电动车违规充电', address: true, photo: true,
    description: '电动自行车进楼入户、飞线充电。',
    fields: [
      sel('kind', '情形', ['进楼入户充电', '飞线充电', '楼道停放'], { required: req }),
      num('count', '车辆数', 1, 100),
      sel('rectify', '整改情况', RECTIFY, { required: req }),
      remark(),
    ],
  },
  {
    code: 'gas_hazard', category: 'safety', name: '燃气安全隐患', address: true,
    description: '燃气泄漏、软管老化、未装报警器，交燃气主管部门。',
    fields: [
      multi('kinds', '隐患类型', ['疑似泄漏', '软管老化', '未装报警器', '违规使用液化气', '其他'], { required: req }),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
      sel('rectify', '整改情况', RECTIFY, { required: req }),
      remark(),
    ],
  },
  {
    code: 'building_hazard', category: 'safety', name: '房屋建筑安全隐患', address: true, photo: true,
    description: '危房、墙体开裂、外墙脱落、违规改变承重结构。',
    fields: [
      multi('kinds', '隐患类型', ['墙体开裂', '外墙脱落', '改变承重结构', '危房仍有人居住', '其他'], { required: req }),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
      remark('隐患描述'),
    ],
  },
  {
    code: 'road_hazard', category: 'safety', name: '道路设施隐患', address: false, location: true, photo: true,
    description: '井盖缺失、路面塌陷、护栏损坏、路灯不亮。',
    fields: [
      sel('kind', '隐患类型', ['井盖缺失破损', '路面塌陷', '护栏损坏', '路灯不亮', '交通标志缺损'], { required: req }),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
      remark(),
    ],
  },
  {
    code: 'food_safety', category: 'safety', name: '食品安全隐患', address: true,
    description: '无证经营、过期食品、卫生条件差，交市场监管部门。',
    fields: [
      text('shop', '经营场所', { required: req, maxLength: 100 }),
      multi('kinds', '隐患类型', ['无证经营', '过期食品', '卫生条件差', '三无产品', '其他'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'flood_hazard', category: 'safety', name: '防汛隐患', address: false, location: true,
    description: '积水点、排水不畅、低洼地段与危险边坡。',
    fields: [
      sel('kind', '隐患类型', ['道路积水', '排水不畅', '低洼地段', '边坡风险', '其他'], { required: req }),
      num('depthCm', '积水深度（厘米）', 0, 300),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
      remark(),
    ],
  },
  {
    code: 'chemical_hazard', category: 'safety', name: '危险化学品隐患', address: true,
    description: '居民区、沿街门店违规存放、销售危险化学品或易制毒化学品。',
    fields: [
      text('place', '场所', { required: req, maxLength: 100 }),
      multi('kinds', '情形', ['违规存放', '无证销售', '储存条件不符', '台账不全'], { required: req }),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
      remark(),
    ],
  },

  // ---- 治安防范 -----------------------------------------------------------------------------------------------
  {
    code: 'key_unit_check', category: 'security', name: '重点单位检查', address: true,
    description: '旅馆、寄递、电动车销售维修、易制毒化学品等重点行业单位的治安检查。',
    fields: [
      sel('industry', '行业', ['旅馆业', '寄递业', '电动车销售维修', '易制毒化学品', '学校', '医院', '金融网点', '娱乐场所', '其他'], { required: req }),
      multi('checked', '检查内容', ['实名登记', '技防设施', '值班巡查', '消防设施', '从业人员登记', '台账'], { required: req }),
      sel('result', '检查结果', ['合格', '责令整改', '移交处理'], { required: req }),
      area('problems', '发现的问题', { maxLength: 500 }),
    ],
  },
  {
    code: 'incident_clue', category: 'security', name: '治安线索', address: false,
    description: '盗窃、赌博、黄赌毒、非法集资等违法犯罪线索，报社区民警。',
    fields: [
      sel('kind', '线索类别', ['盗窃', '赌博', '涉黄', '非法集资', '诈骗', '寻衅滋事', '其他'], { required: req }),
      area('description', '线索内容', { required: req, maxLength: 1000 }),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
      yes('witnessWilling', '知情人愿意配合'),
    ],
  },
  {
    code: 'fraud_dissuade', category: 'security', name: '电信网络诈骗劝阻', address: false,
    description: '按预警信息上门或电话劝阻潜在受害人。',
    fields: [
      sel('method', '劝阻方式', ['上门劝阻', '电话劝阻'], { required: req }),
      sel('result', '劝阻结果', ['劝阻成功', '已被骗（已报警）', '未联系上'], { required: req }),
      num('lossYuan', '损失金额（元）', 0, 100_000_000),
      remark(),
    ],
  },
  {
    code: 'tech_defense', category: 'security', name: '技防物防缺失', address: true,
    description: '单元门禁、监控探头、防盗设施损坏或缺失。',
    fields: [
      multi('kinds', '缺失项', ['单元门禁损坏', '监控探头故障', '围墙破损', '照明不足', '其他'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'camera_check', category: 'security', name: '视频监控设施巡检', address: false, location: true,
    description: '公共区域视频监控点位的运行状况巡检（点位作为设施登记，不用于识别人员）。',
    fields: [
      text('cameraNo', '点位编号', { required: req, maxLength: 40 }),
      sel('status', '运行状况', ['正常', '画面模糊', '离线', '被遮挡', '损坏'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'missing_person', category: 'security', name: '走失人员协寻', address: false, location: true,
    description: '老人、儿童、智力障碍者走失的协寻与找到情况。',
    fields: [
      sel('who', '走失人员', ['老人', '儿童', '智力障碍者', '其他'], { required: req }),
      area('features', '体貌特征与走失经过', { required: req, maxLength: 1000 }),
      sel('status', '协寻情况', ['正在寻找', '已找到'], { required: req }),
      phone('familyPhone', '家属联系电话'),
    ],
  },
  {
    code: 'drug_clue', category: 'security', name: '涉毒线索', address: false,
    description: '种毒、吸贩毒、易制毒化学品流失等线索，报社区民警。',
    fields: [
      sel('kind', '线索类别', ['疑似吸毒', '疑似贩毒', '非法种植毒品原植物', '易制毒化学品流失'], { required: req }),
      area('description', '线索内容', { required: req, maxLength: 1000 }),
      sel('urgency', '紧急程度', URGENCY, { required: req }),
    ],
  },

  // ---- 城市管理 -----------------------------------------------------------------------------------------------
  {
    code: 'illegal_building', category: 'city', name: '违法建设', address: false,
    description: '违法搭建、私自加层、占用公共空间搭建，交城管部门。',
    fields: [
      sel('kind', '类型', ['私搭乱建', '违规加层', '占用绿地', '楼顶搭建', '其他'], { required: req }),
      sel('stage', '建设状态', ['正在施工', '已建成'], { required: req }),
      num('areaM2', '估计面积（平方米）', 0, 100_000),
      remark(),
    ],
  },
  {
    code: 'road_occupation', category: 'city', name: '占道经营', address: false, location: true, photo: true,
    description: '流动摊贩、店外经营占用道路。',
    fields: [
      sel('kind', '类型', ['流动摊贩', '店外经营', '马路市场'], { required: req }),
      sel('rectify', '处置情况', ['已劝离', '需城管处置'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'sanitation', category: 'city', name: '环境卫生', address: false, location: true, photo: true,
    description: '垃圾堆放、污水外溢、卫生死角。',
    fields: [
      sel('kind', '问题', ['垃圾堆放', '污水外溢', '卫生死角', '垃圾桶满溢', '其他'], { required: req }),
      remark(),
    ],
  },
  {
    code: 'illegal_parking', category: 'city', name: '车辆乱停乱放', address: false, location: true,
    description: '占用消防通道、盲道、人行道的车辆，以及僵尸车。',
    fields: [
      sel('kind', '情形', ['占用消防通道', '占用盲道人行道', '僵尸车', '其他'], { required: req }),
      text('plateNo', '车牌号码', { maxLength: 10 }),
      remark(),
    ],
  },
  {
    code: 'illegal_ad', category: 'city', name: '违规广告', address: false, location: true,
    description: '小广告、违规户外广告、办证贴条。',
    fields: [
      sel('kind', '类型', ['小广告', '违规户外广告', '办证贴条', '其他'], { required: req }),
      yes('cleaned', '已清理'),
      remark(),
    ],
  },


  // ---- 政策宣传 -----------------------------------------------------------------------------------------------
  {
    code: 'fraud_publicity', category: 'publicity', name: '反诈宣传', address: false,
    description: '入户、进店、进校反电信网络诈骗宣传，推广国家反诈中心应用。',
    fields: [
      sel('where', '宣传场所', ['入户', '商铺', '学校', '广场', '单位'], { required: req }),
      num('people', '覆盖人数', 1, 100_000, { required: req }),
      num('appInstalled', '指导安装国家反诈中心应用人数', 0, 100_000),
      remark(),
    ],
  },
  {
    code: 'law_publicity', category: 'publicity', name: '法治宣传', address: false,
    description: '普法宣传：民法典、禁毒、反家暴、扫黑除恶等。',
    fields: [
      sel('topic', '主题', ['民法典', '禁毒', '反家庭暴力', '扫黑除恶', '未成年人保护', '其他'], { required: req }),
      num('people', '覆盖人数', 1, 100_000, { required: req }),
      remark(),
    ],
  },
  {
    code: 'safety_publicity', category: 'publicity', name: '安全宣传', address: false,
    description: '消防、燃气、防溺水、交通安全宣传。',
    fields: [
      sel('topic', '主题', ['消防安全', '燃气安全', '防溺水', '交通安全', '防汛', '其他'], { required: req }),
      num('people', '覆盖人数', 1, 100_000, { required: req }),
      remark(),
    ],
  },

  {
    code: 'meeting_notice', category: 'publicity', name: '居民议事与通知', address: false,
    description: '组织居民议事会、张贴通知、网格群通知。',
    fields: [
      sel('kind', '形式', ['居民议事会', '张贴通知', '网格群通知', '楼院会'], { required: req }),
      text('subject', '事项', { required: req, maxLength: 100 }),
      num('people', '参与或覆盖人数', 0, 100_000),
      remark(),
    ],
  },
];

/** Codes the other parts of the field module rely on (docs/api-field.md). */
export const CONTRACT_CODES = [
  'address_verify',
  'rental_visit',
  'floating_verify',
  'key_unit_check',
  'patrol_checkin',
  'home_visit',
  'fire_hazard',
  'elderly_alone',
  'dispute',
  'suspicious_person',
  'illegal_building',
  'incident_clue',
] as const;

export const builtinSchema = (t: BuiltinType): FormSchema => ({ fields: t.fields });

/**
 * The built-in categories and item types (9 categories, 56 items): inserted when missing by code at every start,
 * never overwriting what administrators changed.
 */
export async function ensureFieldCatalogue(deps: Deps): Promise<void> {
  await repo.insertMissingCatalogue(
    deps.db,
    BUILTIN_CATEGORIES,
    BUILTIN_TYPES.map((t, i) => ({
      code: t.code,
      category_code: t.category,
      name: t.name,
      description: t.description,
      form_schema: JSON.stringify(builtinSchema(t)),
      needs_address: !!t.address,
      needs_photo: !!t.photo,
      needs_location: !!t.location,
      sort: (i + 1) * 10,
    })),
  );
}
