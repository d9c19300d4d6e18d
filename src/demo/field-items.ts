import { deflateSync } from 'node:zlib';
import { sql } from 'kysely';
import { v5 as uuidv5 } from 'uuid';
import type { Deps } from '../server/deps.js';
import type { RequestContext } from '../server/platform/access/context.js';
import { staffPrincipal } from '../server/platform/auth/principal.js';
import { computeIdCheckChar } from '../server/platform/ids/index.js';
import { putAttachment } from '../server/modules/field/collection/attachments.js';
import { sync } from '../server/modules/field/collection/sync.js';
import { addDays, ageOn, todayCst } from '../server/modules/population/rules.js';

const DEMO_WORKER = 'gridworker';
const DEMO_GRID = '371602005001001';
/** Namespace of the demo's client ids (deterministic: a second run replays instead of duplicating). */
const DEMO_NAMESPACE = '4d0f6a8e-2b7c-4e1d-9a35-7c61e2f0b9d4';
const DWELLINGS = ['door', 'building', 'unit', 'floor', 'room'];

/** mulberry32: a small seeded generator, so the same registry gives the same items. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- a small generated photo (PNG: hazard stripes on a wall) ---------------------------------------------------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (b: Buffer) => {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Buffer) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A 160×120 picture: a grey wall, a red extinguisher box left open, yellow-black hazard stripes. */
export function demoPhoto(variant = 0): Buffer {
  const w = 160;
  const h = 120;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      let rgb = [188 - (y >> 3), 190 - (y >> 3), 194 - (y >> 3)];
      if (y > 96) rgb = ((x + y + variant * 7) >> 3) % 2 ? [30, 30, 30] : [240, 200, 20];
      else if (x > 30 && x < 78 && y > 18 && y < 88) rgb = x < 34 || x > 74 || y < 22 || y > 84 ? [120, 20, 20] : [200, 36, 36];
      else if (x > 100 && x < 140 && y > 30 && y < 70) rgb = [90 + variant * 20, 110, 130];
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = rgb[0];
      raw[o + 1] = rgb[1];
      raw[o + 2] = rgb[2];
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

// ---- the demo grid worker's month ------------------------------------------------------------------------------------

interface Dwelling {
  id: string;
  full_text: string;
  lng: number | null;
  lat: number | null;
}

/**
 * Seeds the items and changes the demo grid worker collected (through the sync service, so routing and tasks apply):
 * about 40 items over the last four weeks at addresses of the worker's grid, and three changes left pending for the
 * community officer. Deterministic (addresses picked by code, client ids derived from a fixed namespace); does
 * nothing when the worker has items already or the grid has no addresses.
 */
export async function seedDemoItems(deps: Deps, now = new Date()): Promise<void> {
  const db = deps.db;
  const user = await db.selectFrom('users').select(['id']).where('username', '=', DEMO_WORKER).executeTakeFirst();
  const grid = await db.selectFrom('org_units').select(['id']).where('code', '=', DEMO_GRID).executeTakeFirst();
  if (!user || !grid) return;
  if (await db.selectFrom('field_items').select('id').where('worker_id', '=', user.id).limit(1).executeTakeFirst()) return;
  const principal = await staffPrincipal(deps, user.id, uuidv5('session', DEMO_NAMESPACE));
  if (!principal || !principal.permissions.has('field.collect')) return;
  const ctx: RequestContext = { principal, ip: 'local', userAgent: 'fengqiao-demo' };

  const dwellings: Dwelling[] = await db
    .selectFrom('addresses')
    .select(['id', 'full_text', 'lng', 'lat'])
    .where('grid_id', '=', grid.id)
    .where('status', '=', 'active')
    .where('level', 'in', DWELLINGS as never)
    .orderBy('code')
    .execute();
  if (dwellings.length === 0) return;
  const residents = await db
    .selectFrom('residences as r')
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .innerJoin('addresses as a', 'a.id', 'r.address_id')
    .select(['r.id as residence_id', 'r.address_id', 'r.relation', 'r.from_date', 'p.id as person_id', 'p.name', 'p.birth_date', 'p.person_type'])
    .where('a.grid_id', '=', grid.id)
    .where('r.to_date', 'is', null)
    .orderBy('a.code')
    .orderBy('p.name')
    .execute();
  const rentals = await db
    .selectFrom('housing as h')
    .innerJoin('addresses as a', 'a.id', 'h.address_id')
    .select(['h.address_id'])
    .where('a.grid_id', '=', grid.id)
    .where('h.use', '=', 'rent')
    .orderBy('a.code')
    .execute();
  const units = await db
    .selectFrom('units as u')
    .innerJoin('addresses as a', 'a.id', 'u.address_id')
    .select(['u.address_id', 'u.key_industry'])
    .where('a.grid_id', '=', grid.id)
    .where('u.status', '=', 'active')
    .orderBy('a.code')
    .execute();

  const rand = rng(20261115);
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)];
  const byId = new Map(dwellings.map((d) => [d.id, d]));
  const today = todayCst(now);
  let n = 0;
  const clientId = () => uuidv5(`item:${++n}`, DEMO_NAMESPACE);
  /** A moment `days` ago in working hours (08:30–18:00 Beijing time), never in the future. */
  const at = (days: number) => {
    const minutes = 30 + Math.floor(rand() * 570);
    const t = new Date(`${addDays(today, -days)}T08:00:00+08:00`).getTime() + minutes * 60_000;
    return new Date(Math.min(t, now.getTime() - 60_000)).toISOString();
  };
  const ops: Record<string, unknown>[] = [];
  const item = (typeCode: string, d: Dwelling | undefined, days: number, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
    const where = d ?? pick(dwellings);
    ops.push({
      op: 'item',
      clientId: clientId(),
      typeCode,
      addressId: where.id,
      data,
      occurredAt: at(days),
      ...(where.lng !== null && where.lat !== null ? { lng: where.lng + (rand() - 0.5) / 5000, lat: where.lat + (rand() - 0.5) / 5000, accuracyM: 5 + Math.floor(rand() * 20) } : {}),
      ...extra,
    });
  };
  const days = () => 1 + Math.floor(rand() * 26);

  // 地址核查: a dozen doors of the grid, spread over the weeks
  for (let i = 0; i < 12; i++) {
    const d = dwellings[Math.floor((i * dwellings.length) / 12)];
    const changed = i % 5 === 4;
    item('address_verify', d, 26 - i * 2, {
      addressStatus: '与登记一致',
      plateStatus: i % 7 === 3 ? '污损' : '完好',
      residentsMatch: changed ? '有变化（已报变更）' : '与登记一致',
      housingMatch: '与登记一致',
      peopleSeen: residents.filter((r) => r.address_id === d.id).length,
    });
  }
  // 出租房屋走访
  const rentalDwellings = rentals.map((r) => byId.get(r.address_id)).filter((d): d is Dwelling => !!d);
  for (let i = 0; i < 6; i++) {
    const d = rentalDwellings.length ? rentalDwellings[i % rentalDwellings.length] : pick(dwellings);
    item('rental_visit', d, days(), {
      tenants: residents.filter((r) => r.address_id === d.id && r.relation === 'tenant').length || 1 + (i % 3),
      registration: i === 2 ? '未登记（已督促）' : '已登记',
      responsibilitySigned: i !== 2,
      groupRental: false,
      hazards: i === 4 ? ['电动车室内充电'] : ['无'],
      remark: i === 4 ? '租户在室内给电动车充电，已当面劝导并告知房东。' : '租住情况与登记一致。',
    });
  }
  // 流动人口核查
  const floating = residents.filter((r) => r.person_type === 'floating');
  for (let i = 0; i < 4; i++) {
    const r = floating.length ? floating[(i * 7) % floating.length] : undefined;
    item('floating_verify', r ? byId.get(r.address_id) : undefined, days(), {
      result: i === 3 ? '暂时外出' : '仍在此居住',
      people: 1,
      permit: i % 2 ? '已办理' : '未办理（已告知）',
      stayUntil: addDays(today, 180 + i * 30),
    });
  }
  // 入户走访
  for (let i = 0; i < 6; i++) {
    item('home_visit', dwellings[(i * 11 + 5) % dwellings.length], days(), {
      met: i === 5 ? '家中无人' : '见到本人',
      people: i === 5 ? 0 : 1 + (i % 4),
      topics: i % 2 ? ['反诈宣传', '安全提示'] : ['民情收集', '矛盾排查'],
      hasRequest: i === 1,
      ...(i === 1 ? { request: '楼道声控灯坏了两周，希望物业尽快修理。' } : {}),
      remark: i === 5 ? '家中无人，已在门上留联系卡。' : '家庭和睦，无特殊情况。',
    });
  }
  // 消防安全隐患: one on the spot, one with a photo for 消防
  const photoId = uuidv5('photo:fire', DEMO_NAMESPACE);
  await putAttachment(deps, ctx, photoId, demoPhoto(1));
  item('fire_hazard', dwellings[Math.floor(dwellings.length / 3)], 9, {
    kinds: ['消防通道堵塞', '易燃物堆放'],
    level: '重大隐患',
    rectify: '需职能部门处置',
    remark: '3 号楼一楼楼道堆放大量纸箱和旧家具，堵塞安全出口。',
  }, { photoIds: [photoId] });
  item('fire_hazard', dwellings[Math.floor(dwellings.length / 2)], 4, { kinds: ['电动车违规停放充电'], level: '一般隐患', rectify: '已当场整改', remark: '楼道内电动车已劝离。' });
  // 独居老人关爱: the oldest residents living alone
  const counts = new Map<string, number>();
  for (const r of residents) counts.set(r.address_id, (counts.get(r.address_id) ?? 0) + 1);
  const elders = residents
    .filter((r) => counts.get(r.address_id) === 1 && (ageOn(r.birth_date, today) ?? 0) >= 65)
    .sort((a, b) => (a.birth_date ?? '').localeCompare(b.birth_date ?? ''))
    .slice(0, 2);
  for (const [i, e] of elders.entries()) {
    item('elderly_alone', byId.get(e.address_id), 6 + i * 7, {
      name: e.name,
      age: Math.min(120, ageOn(e.birth_date, today) ?? 70),
      health: i ? '一般' : '较差',
      living: i ? '完全自理' : '部分自理',
      needsHelp: i === 0,
      needs: i === 0 ? ['助餐', '紧急呼叫设备'] : ['助医'],
      remark: i === 0 ? '老人腿脚不便，子女在外地，希望有人定期送餐。' : '身体尚可，按时服药。',
    });
  }
  // 矛盾纠纷
  item('dispute', pick(dwellings), 12, { kind: '邻里纠纷', parties: 2, description: '楼上住户夜间噪音扰民，楼下住户多次沟通未果，双方在楼道发生争吵。', risk: '中', status: '正在调解', needsMediation: true });
  item('dispute', pick(dwellings), 3, { kind: '物业纠纷', parties: 12, description: '部分业主对停车费上涨有意见，拒交物业费。', risk: '低', status: '已当场化解' });
  // 巡查打卡 at a few points
  for (let i = 0; i < 4; i++) item('patrol_checkin', dwellings[(i * 17 + 3) % dwellings.length], 1 + i * 6, { situation: '正常', minutes: 10 + i * 5, remark: '重点部位巡查，未见异常。' });
  // 治安线索 and a key unit check
  item('incident_clue', pick(dwellings), 2, { kind: '盗窃', description: '小区车棚近一周有三辆电动车电瓶被盗，居民反映夜间有陌生人出入。', urgency: '较急', witnessWilling: true });
  const keyUnit = units.find((u) => u.key_industry && byId.has(u.address_id!));
  if (keyUnit) item('key_unit_check', byId.get(keyUnit.address_id!), 15, { industry: '旅馆业', checked: ['实名登记', '消防设施', '台账'], result: '合格' });
  else item('home_visit', pick(dwellings), 15, { met: '见到本人', people: 2, topics: ['安全提示'] });

  // oldest first, as the phone would have queued them
  ops.sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)));

  // three changes for the officer's queue
  const tenantHome = rentalDwellings[0] ?? dwellings[0];
  ops.push({
    op: 'change',
    clientId: uuidv5('change:person_add', DEMO_NAMESPACE),
    kind: 'person_add',
    addressId: tenantHome.id,
    data: {
      name: '韩雪梅',
      idNumber: `41010219950315002${computeIdCheckChar('41010219950315002')}`,
      phone: '13783721645',
      personType: 'floating',
      relation: 'tenant',
      fromDate: addDays(today, -10),
      hukouAddress: '河南省郑州市中原区建设路88号',
      expectedStayUntil: addDays(today, 355),
    },
    note: '新入住租户，已查验身份证原件。',
    occurredAt: at(2),
  });
  const housingHome = dwellings[Math.floor(dwellings.length * 0.6)];
  const housing = await db.selectFrom('housing').select(['updated_at']).where('address_id', '=', housingHome.id).executeTakeFirst();
  ops.push({
    op: 'change',
    clientId: uuidv5('change:housing_update', DEMO_NAMESPACE),
    kind: 'housing_update',
    addressId: housingHome.id,
    ...(housing ? { baseVersion: new Date(housing.updated_at).toISOString() } : {}),
    data: { use: 'vacant', rooms: 3 },
    note: '房主已搬走，房屋空置待售。',
    occurredAt: at(1),
  });
  const leaving = residents.find((r) => r.relation !== 'householder' && r.address_id !== tenantHome.id && r.address_id !== housingHome.id);
  if (leaving) {
    ops.push({
      op: 'change',
      clientId: uuidv5('change:move_out', DEMO_NAMESPACE),
      kind: 'move_out',
      addressId: leaving.address_id,
      targetId: leaving.residence_id,
      data: { toDate: addDays(today, -3) > leaving.from_date ? addDays(today, -3) : today },
      note: '邻居反映已搬离，本人电话确认。',
      occurredAt: at(1),
    });
  }

  for (let i = 0; i < ops.length; i += 50) {
    const { results } = await sync(deps, ctx, ops.slice(i, i + 50));
    const rejected = results.filter((r) => r.status === 'rejected');
    if (rejected.length) deps.log.warn({ rejected }, 'demo field items: some ops were refused');
  }
  // the phone synced each op soon after it was collected (minutes, not at seed time): received 3–90 minutes later
  await sql`UPDATE field_items SET received_at = LEAST(occurred_at + make_interval(mins => 3 + (get_byte(decode(md5(client_id::text), 'hex'), 0) % 88)), now())
    WHERE worker_id = ${user.id}`.execute(db);
  await sql`UPDATE field_changes SET received_at = LEAST(occurred_at + make_interval(mins => 3 + (get_byte(decode(md5(client_id::text), 'hex'), 0) % 88)), now())
    WHERE worker_id = ${user.id}`.execute(db);
}
