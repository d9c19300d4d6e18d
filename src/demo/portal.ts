import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../server/deps.js';
import type { OpeningPeriod, ServiceCategory } from '../server/db/schema.js';
import { getStreet } from '../server/platform/divisions/index.js';
import { orgRepository } from '../server/modules/org/repository.js';
import { usersRepository } from '../server/modules/users/repository.js';
import { servicesRepository } from '../server/modules/services/repository.js';
import { checkHours } from '../server/modules/services/rules.js';

/**
 * The public face of the demo district (扫码服务): each station's hall, each community's police office with
 * weekday, evening and weekend hours, a few street posts, the services residents can book, published safety
 * tips, police numbers of the demo accounts and placeholder portraits of the officer and the grid worker.
 * Fixed tables only, so two runs build the same content.
 */

export interface DemoStation {
  street: string;
  communities: string[];
}

/** Roads of each station's street (addresses of its offices). */
const ROADS: Record<string, string[]> = {
  '371602005': ['黄河十二路', '渤海十八路', '长江五路'],
  '371602001': ['黄河五路', '渤海七路', '新立河西路'],
  '371602004': ['黄河三路', '渤海二十一路', '东海一路'],
};

const POLICE_NUMBERS: Record<string, string> = { chief: '371806', officer: '371842', assistant: '371957', caseofficer: '371863' };

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;
const days = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const periods = (ds: number[], open: string, close: string): OpeningPeriod[] => ds.map((day) => ({ day, open, close }));

const WEEKDAY_HOURS = [...periods(days(1, 5), '08:30', '12:00'), ...periods(days(1, 5), '14:00', '17:30')];
const STATION_HOURS = [...WEEKDAY_HOURS, ...periods([6], '09:00', '12:00')];
/** Evening hours differ by community: twice a week, every weekday, or once. */
const EVENINGS = [[2, 4], days(1, 5), [3]];
const COMMUNITY_HOURS = (ci: number) => [...WEEKDAY_HOURS, ...periods(EVENINGS[ci % 3], '19:00', '21:00'), ...periods([6, 7], '09:00', '12:00')];

interface ServiceSeed {
  category: ServiceCategory;
  name: string;
  description: string;
  requiredDocs: string[];
  fullyOnline?: boolean;
  slotMinutes?: number;
  capacity?: number;
  daysAhead?: number;
}

const STATION_SERVICES: ServiceSeed[] = [
  {
    category: 'huzheng',
    name: '居民身份证申领、换领、补领',
    description: '首次申领、有效期满换领、损坏换领及丢失补领。现场采集照片和指纹，制证约 15 个工作日，可选择邮寄到家。',
    requiredDocs: ['居民户口簿', '原居民身份证（换领时交回）', '监护人居民身份证（未满 16 周岁）'],
    slotMinutes: 20,
    capacity: 3,
  },
  {
    category: 'huzheng',
    name: '户口迁移',
    description: '购房落户、投靠亲属、人才引进等户口迁入，以及省内“跨省通办”迁移业务。具体材料因迁移类型不同而有差异，可先电话咨询。',
    requiredDocs: ['居民户口簿', '居民身份证', '房屋所有权证或不动产权证书（购房落户）', '结婚证或出生医学证明（投靠落户）'],
    capacity: 2,
    daysAhead: 14,
  },
  {
    category: 'huzheng',
    name: '居住证办理',
    description: '在本区居住满半年，且有合法稳定就业、合法稳定住所或连续就读条件之一的，可申领居住证。',
    requiredDocs: ['居民身份证', '居住地住所证明（房屋租赁合同或房产证明）', '就业、就读证明之一', '近期免冠彩色照片一张'],
    capacity: 2,
  },
  {
    category: 'zhian',
    name: '无犯罪记录证明开具',
    description: '个人因就业、出国、入学等需要开具的无犯罪记录证明。可在网上申请、窗口领取，也可预约现场办理。',
    requiredDocs: ['居民身份证', '居民户口簿（户籍地开具）', '用途证明材料', '委托书及受托人身份证（委托他人办理时）'],
    fullyOnline: true,
    slotMinutes: 15,
    capacity: 4,
  },
  {
    category: 'churujing',
    name: '出入境证件咨询',
    description: '护照、往来港澳台通行证及签注的办理条件、材料与流程咨询。证件申请请到区出入境接待大厅办理。',
    requiredDocs: ['居民身份证', '既往护照或通行证（如有）'],
    capacity: 2,
  },
  {
    category: 'zhengming',
    name: '户籍类证明开具',
    description: '亲属关系、注销户口、曾用名等户籍类证明。能通过数据共享核验的，不再要求群众开具。',
    requiredDocs: ['居民户口簿', '居民身份证', '相关证明材料'],
    fullyOnline: true,
    slotMinutes: 15,
    capacity: 3,
  },
];

const COMMUNITY_SERVICES: ServiceSeed[] = [
  {
    category: 'huzheng',
    name: '居住证签注',
    description: '居住证每年签注一次，签注后继续有效。居住证到期前 30 日内办理。',
    requiredDocs: ['居住证', '居民身份证', '居住地住所证明'],
    slotMinutes: 15,
    capacity: 2,
  },
  {
    category: 'zhengming',
    name: '辖区居住情况证明',
    description: '子女入学、办理社保等需要的实际居住情况证明，社区民警核实后出具。',
    requiredDocs: ['居民身份证', '房屋租赁合同或房产证明', '居住证（非本地户籍）'],
    capacity: 2,
  },
  {
    category: 'zhian',
    name: '出租房屋登记咨询',
    description: '出租房屋登记、承租人信息申报与消防安全要求咨询；也可扫描门牌二维码在线报备。',
    requiredDocs: ['房屋所有权证明', '出租人居民身份证', '房屋租赁合同'],
    fullyOnline: true,
    capacity: 3,
  },
];

interface ArticleSeed {
  /** Org-unit code of the publisher (the branch or a station). */
  unit: string;
  author: string;
  title: string;
  summary: string;
  publishedAt: string;
  body: string;
}

const ARTICLES: ArticleSeed[] = [
  {
    unit: '371602',
    author: 'admin',
    title: '防范电信网络诈骗：牢记“六个一律”',
    summary: '不听、不信、不转账。凡是自称“公检法”要求转账到“安全账户”的，一律是诈骗。',
    publishedAt: '2026-11-18T01:30:00Z',
    body: `近期，我区发生多起冒充客服、冒充公检法、刷单返利类电信网络诈骗案件，受害人多为中青年上班族和退休老人。骗子往往掌握受害人的部分个人信息，话术专业，极具迷惑性。

请牢记“六个一律”：接电话，只要一谈到银行卡，一律挂掉；只要一谈到中奖了，一律挂掉；只要一谈到“电话转接公检法”，一律挂掉；所有短信，但凡让点击链接的，一律删掉；微信、QQ 上不认识的人发来的链接，一律不点；一提到“安全账户”，一律是诈骗。

公安机关不会通过电话、微信办案，更不存在所谓的“安全账户”。刷单返利、网络贷款“先交保证金”、游戏装备低价交易、虚假投资理财平台，都是常见的诈骗套路。

请下载安装“国家反诈中心”App，开启来电预警功能。如接到 96110 来电，请务必接听，这是反诈预警劝阻专线。一旦发现被骗，请立即拨打 110 报警，并保存好转账记录、聊天记录等证据。`,
  },
  {
    unit: '371602005',
    author: 'chief',
    title: '出租屋消防安全，房东租客都有责',
    summary: '出租屋严禁“三合一”住人，楼道内不得堆放杂物、停放电动车，每户至少配备一具灭火器。',
    publishedAt: '2026-11-10T02:00:00Z',
    body: `冬季是火灾多发季节。出租屋人员流动大、用电负荷高，一旦发生火灾，极易造成人员伤亡。彭李派出所提醒各位房东和租户：

一、房东是出租房屋消防安全的第一责任人。出租前应检查电气线路，老化线路要及时更换；不得将仓库、厨房、地下室改作住人房间；不得在窗户上安装影响逃生的防盗网，确需安装的应留有可从内部开启的逃生口。

二、严禁生产、经营、仓储与居住“三合一”。群租房应当符合人均居住面积要求，不得随意分隔，每层至少配备两具灭火器，并安装独立式感烟火灾探测报警器。

三、租户要做到人走断电，不私拉乱接电线，不使用大功率电器取暖，不在室内存放汽油、酒精等易燃易爆物品。楼道、楼梯间是生命通道，不得堆放杂物，更不得停放电动自行车或为其充电。

四、房屋出租后，请房东在 3 日内到社区警务室或扫描门牌二维码办理出租屋报备，并如实登记承租人信息。社区民警将定期上门开展消防安全检查。`,
  },
  {
    unit: '371602',
    author: 'admin',
    title: '电动自行车充电安全提示',
    summary: '电动自行车请到集中充电点充电，不进楼入户，不“飞线”充电，充电时间不超过 8 小时。',
    publishedAt: '2026-10-28T01:00:00Z',
    body: `电动自行车火灾发展速度极快，从起火到猛烈燃烧往往不到 1 分钟，燃烧产生的有毒烟气是造成人员伤亡的主要原因。在楼道、室内停放和充电，是最大的隐患。

请做到“五不要”：不要将电动自行车推进楼道、电梯和家中；不要从窗户“飞线”充电或私拉电线充电；不要夜间长时间充电，充满后及时断电，一般不超过 8 小时；不要购买使用拼装、改装车辆和非原厂电池；不要在高温、暴晒环境下充电。

小区和单位请设置集中停放、充电场所，安装具备定时断电、过载保护功能的充电设施，并配备灭火器材。物业服务企业发现楼道停放、入户充电的，应及时劝阻。

购买电动自行车请选择正规门店，认准 3C 认证标志，并及时办理登记上牌。登记时可扫描门牌二维码，通过“电动自行车登记”在线提交信息，车辆被盗后更易找回。`,
  },
  {
    unit: '371602001',
    author: 'admin',
    title: '冬季防盗提示：关好门窗，看好财物',
    summary: '外出和夜间关好门窗，贵重物品不放车内，发现可疑人员及时拨打 110。',
    publishedAt: '2026-10-15T03:00:00Z',
    body: `入冬以后，天黑得早，入室盗窃、盗窃车内财物、盗窃电动自行车等案件有所上升。市中派出所提醒广大居民群众提高防范意识：

居家防盗：外出或夜间休息时，请锁好门窗，低楼层住户可加装防盗窗、智能门锁；不要在门口地毯下、电表箱内藏放钥匙；家中不要存放大量现金，贵重物品妥善保管。长时间外出时，可请邻居帮忙留意。

车辆防盗：停车时关好车窗、锁好车门，不要在车内放置手机、钱包、笔记本电脑等财物；电动自行车尽量停放在有监控的集中停放点，加装防盗锁。

单元楼道：进出单元门随手关门，不给陌生人开门。发现有人撬门、尾随进楼等可疑情况，请立即拨打 110 报警，并尽量记下可疑人员的体貌特征和车辆信息。`,
  },
  {
    unit: '371602',
    author: 'admin',
    title: '警惕养老诈骗，守护老年人“钱袋子”',
    summary: '以“养老投资”“保健品治病”“以房养老”为名的高额回报，都是陷阱。子女要常回家看看。',
    publishedAt: '2026-09-20T02:00:00Z',
    body: `打着“养老服务”“健康养生”旗号的诈骗，专盯老年人的积蓄。常见的套路有：以“养老公寓”“养老项目”为名非法集资，许诺高额回报；举办免费讲座、发放小礼品，高价推销“包治百病”的保健品；冒充社保、医保工作人员，以“待遇调整”“医保卡异常”为由骗取钱财；以“以房养老”为名，诱骗老人抵押房产。

请老年朋友记住：天上不会掉馅饼，凡是承诺“保本高息”的投资，都要格外警惕；保健品不能代替药品，看病请到正规医院；社保、医保业务请到官方窗口或通过官方渠道办理，不要向陌生人透露银行卡密码和验证码。

也请子女们多陪伴、多沟通，常回家看看，帮父母安装“国家反诈中心”App，提醒父母大额转账前先和家人商量。发现老人参加可疑的“讲座”“旅游”活动，或者有异常的大额支出，请及时向社区民警反映或拨打 110。`,
  },
  {
    unit: '371602004',
    author: 'admin',
    title: '未成年人保护：家长须知',
    summary: '关注孩子的网络生活和交友情况，发现侵害未成年人的线索请立即报警，不私了。',
    publishedAt: '2026-09-01T01:00:00Z',
    body: `新学期开始，市东派出所联合辖区学校、社区，提醒各位家长共同守护孩子的平安成长。

网络安全：未成年人不要在网上随意晒出学校、住址、照片等个人信息；不要添加陌生人为好友，更不要与网友私下见面。家长应开启手机、平板的青少年模式，留意孩子是否有异常的充值、转账行为，警惕“免费领皮肤”“游戏账号解封”类诈骗。

出行安全：12 周岁以下儿童不得骑自行车上路，16 周岁以下不得驾驶电动自行车；教育孩子不下河、不到水库和工地等危险场所玩耍；上下学途中不跟陌生人走，不接受陌生人给的食物和饮料。

发现侵害未成年人的情况，任何组织和个人都有权劝阻、制止或向公安机关报告。请不要私了，请第一时间拨打 110 报警，或联系社区民警。公安机关将依法保护未成年人的隐私。`,
  },
];

/** A neutral head-and-shoulders portrait in police blue (no face, no initials): the placeholder photo. */
export function portraitSvg(variant: 'officer' | 'gridworker'): string {
  const [bg, fg] = variant === 'officer' ? ['#dfe8f5', '#0b4aa2'] : ['#e3eef2', '#1f6f9a'];
  const cap = variant === 'officer' ? `<path d="M42 38c3-12 33-12 36 0l4 6H38z" fill="#08357a"/><rect x="38" y="43" width="44" height="5" rx="2" fill="#08357a"/>` : '';
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 150" width="120" height="150">` +
    `<rect width="120" height="150" fill="${bg}"/>` +
    `<circle cx="60" cy="58" r="22" fill="${fg}"/>${cap}` +
    `<path d="M14 150c2-32 20-50 46-50s44 18 46 50z" fill="${fg}"/>` +
    `<path d="M52 100l8 14 8-14z" fill="${bg}" opacity=".7"/>` +
    `</svg>`
  );
}

export interface PortalSeedResult {
  offices: number;
  services: number;
  articles: number;
}

/** Seeds the portal content of the demo district (called at the end of `seedDemoDistrict`). */
export async function seedDemoPortal(deps: Deps, stations: DemoStation[], origin: { lng: number; lat: number }): Promise<PortalSeedResult> {
  const db = deps.db;
  const unitByCode = async (code: string) => (await orgRepository.byId(db, (await orgRepository.byCode(db, code))!.id))!;
  const userId = async (username: string) => (await usersRepository.usernameTaken(db, username))?.id;
  let offices = 0;
  let services = 0;

  const addOffice = async (o: { unitId: string; kind: 'station' | 'office' | 'post'; name: string; address: string; lng: number; lat: number; phone: string; hours: OpeningPeriod[]; note: string | null }) => {
    const problems = checkHours(o.hours);
    if (problems.length) throw new Error(`demo hours of ${o.name}: ${problems.map((p) => p.message).join('; ')}`);
    const id = uuidv7();
    await servicesRepository.insertOffice(db, id, {
      org_unit_id: o.unitId,
      kind: o.kind,
      name: o.name,
      address: o.address,
      lng: r6(o.lng),
      lat: r6(o.lat),
      phone: o.phone,
      hours: o.hours,
      hours_note: o.note,
      status: 'active',
    });
    offices++;
    return id;
  };
  const addServices = async (officeId: string, list: ServiceSeed[]) => {
    for (const s of list) {
      await servicesRepository.insertService(db, uuidv7(), {
        office_id: officeId,
        category: s.category,
        name: s.name,
        description: s.description,
        required_docs: s.requiredDocs,
        fully_online: s.fullyOnline ?? false,
        slot_minutes: s.slotMinutes ?? 30,
        capacity: s.capacity ?? 2,
        days_ahead: s.daysAhead ?? 7,
        status: 'active',
      });
      services++;
    }
  };

  for (const [si, s] of stations.entries()) {
    const street = getStreet(s.street)!.name;
    const roads = ROADS[s.street] ?? ['中心路', '建设路', '人民路'];
    const station = await unitByCode(s.street);
    const sx = origin.lng + si * 0.08;
    const stationOffice = await addOffice({
      unitId: station.id,
      kind: 'station',
      name: station.name,
      address: `${station.address ?? `山东省滨州市滨城区${street}`}${roads[0]}${168 + si * 20}号`,
      lng: sx + 0.035,
      lat: origin.lat + 0.032,
      phone: station.contact_phone ?? `0543-31612${si}0`,
      hours: STATION_HOURS,
      note: '24 小时接处警；户政窗口周六上午办理身份证业务，法定节假日另行公告。',
    });
    // the hall offers every service but the passport consultation, which only the first station's hall takes
    await addServices(stationOffice, STATION_SERVICES.filter((x) => x.category !== 'churujing' || si === 0));

    for (const [ci, name] of s.communities.entries()) {
      const community = await unitByCode(`${s.street}${String(ci + 1).padStart(3, '0')}`);
      const cy = origin.lat + ci * 0.06;
      const officeId = await addOffice({
        unitId: community.id,
        kind: 'office',
        name: `${name}警务室`,
        address: `山东省滨州市滨城区${street}${roads[ci % roads.length]}${(ci + 1) * 36 + si * 8}号${name}居民委员会一楼`,
        lng: sx + 0.03 + ci * 0.006,
        lat: cy + 0.025,
        phone: community.contact_phone ?? `0543-3163${si}${ci}1`,
        hours: COMMUNITY_HOURS(ci),
        note: '社区民警外出走访时，请拨打警务室电话或社区民警电话预约。',
      });
      await addServices(officeId, COMMUNITY_SERVICES.slice(0, ci === 0 ? 3 : 2));
    }

    await addOffice({
      unitId: station.id,
      kind: 'post',
      name: `${roads[1]}警务站`,
      address: `山东省滨州市滨城区${street}${roads[1]}与${roads[2]}交叉口东北角`,
      lng: sx + 0.06,
      lat: origin.lat + 0.15,
      phone: `0543-31619${si}8`,
      hours: periods(days(1, 7), '08:00', '22:00'),
      note: '巡逻时段可能无人值守；遇紧急情况请直接拨打 110。',
    });
  }

  let articles = 0;
  for (const a of ARTICLES) {
    const unit = await unitByCode(a.unit);
    const author = (await userId(a.author)) ?? (await userId('admin'));
    if (!author) continue;
    await servicesRepository.insertArticle(db, {
      id: uuidv7(),
      org_unit_id: unit.id,
      title: a.title,
      summary: a.summary,
      body: a.body,
      created_by: author,
      status: 'published',
      published_at: new Date(a.publishedAt),
    });
    articles++;
  }

  for (const [username, no] of Object.entries(POLICE_NUMBERS)) {
    const id = await userId(username);
    if (id) await usersRepository.update(db, id, { police_no: no });
  }
  for (const username of ['officer', 'gridworker'] as const) {
    const id = await userId(username);
    if (id) await usersRepository.putPhoto(db, id, 'image/svg+xml', Buffer.from(portraitSvg(username)));
  }
  return { offices, services, articles };
}
