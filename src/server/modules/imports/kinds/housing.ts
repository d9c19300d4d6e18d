import type { FieldError } from '../../../platform/errors/index.js';
import { putHousing } from '../../population/housing.js';
import { DWELLING_LEVELS, HOUSING_USE_NAMES, PROPERTY_TYPE_NAMES, type HousingUse, type PropertyType, type RentalRegistration } from '../../population/rules.js';
import { readIdNumber } from './ids.js';
import type { ColumnDef, RowValues } from '../cells.js';
import { importLookups, importsRepository as repo } from '../repository.js';
import { commitRowByRow } from './row-by-row.js';
import type { ImportKindDef, JobEnv, ParsedRow, RowPlan } from './types.js';

const REGISTRATION_NAMES: Record<RentalRegistration, string> = { registered: '已登记', unregistered: '未登记', expired: '已过期' };

const columns: ColumnDef[] = [
  { field: 'addressCode', header: '地址编码', required: true, aliases: ['标准地址编码', '房屋地址编码'], example: '', note: '必填：房屋所在的标准地址编码（门牌、楼栋、单元、楼层或户室一级）' },
  { field: 'use', header: '房屋用途', required: true, aliases: ['用途', '使用情况'], values: HOUSING_USE_NAMES, example: '出租', note: '自住、出租、空置或经营' },
  { field: 'propertyType', header: '产权性质', values: PROPERTY_TYPE_NAMES, example: '商品房', note: '不填时为商品房' },
  { field: 'ownerName', header: '房主姓名', aliases: ['产权人', '房主'], example: '张金明', note: '' },
  { field: 'ownerPhone', header: '房主电话', example: '13805431234', note: '' },
  { field: 'ownerIdNumber', header: '房主公民身份号码', aliases: ['房主身份证号'], example: '', note: '已登记为实有人口的房主，填写后与人员档案关联' },
  { field: 'areaM2', header: '建筑面积', aliases: ['面积', '建筑面积（平方米）'], example: '89.5', note: '平方米' },
  { field: 'rooms', header: '间数', aliases: ['房间数'], example: '3', note: '' },
  { field: 'groupRental', header: '是否群租', aliases: ['群租'], example: '否', note: '是或否，仅出租房屋' },
  { field: 'landlordIdNumber', header: '房东公民身份号码', aliases: ['出租人身份证号', '房东身份证号'], example: '371602199003071236', note: '出租房屋必填：房东须已登记为实有人口' },
  { field: 'leaseFrom', header: '租赁起始日期', aliases: ['租期开始'], example: '2025-03-01', note: '出租房屋必填' },
  { field: 'leaseTo', header: '租赁截止日期', aliases: ['租期结束'], example: '2026-02-28', note: '出租房屋必填，须晚于起始日期' },
  { field: 'rentalRegistration', header: '出租登记状态', values: REGISTRATION_NAMES, example: '已登记', note: '不填时为未登记' },
  { field: 'starRating', header: '星级', example: '', note: '出租房屋星级评定 1–5' },
];

export interface HousingImport {
  addressCode: string;
  use: HousingUse;
  propertyType?: PropertyType;
  ownerName?: string;
  ownerPhone?: string;
  ownerBlind?: string;
  areaM2?: number;
  rooms?: number;
  groupRental?: boolean;
  landlordBlind?: string;
  leaseFrom?: string;
  leaseTo?: string;
  rentalRegistration?: RentalRegistration;
  starRating?: number;
}

function parse(v: RowValues, env: JobEnv): HousingImport | undefined {
  const out: Partial<HousingImport> = {};
  out.addressCode = v.text('addressCode', { required: '请填写地址编码', max: 40 });
  out.use = v.choice('use', HOUSING_USE_NAMES, { required: '请填写房屋用途', names: { 自用: 'self', 自居: 'self', 闲置: 'vacant', 商用: 'business' } });
  out.propertyType = v.choice('propertyType', PROPERTY_TYPE_NAMES);
  out.ownerName = v.text('ownerName', { max: 64 });
  out.ownerPhone = v.phone('ownerPhone');
  out.ownerBlind = readIdNumber(v, 'ownerIdNumber', env.deps)?.blind;
  out.landlordBlind = readIdNumber(v, 'landlordIdNumber', env.deps)?.blind;
  out.areaM2 = v.number('areaM2', { min: 0.01, max: 100_000 });
  out.rooms = v.number('rooms', { min: 0, max: 1000, integer: true });
  out.groupRental = v.bool('groupRental');
  out.leaseFrom = v.date('leaseFrom');
  out.leaseTo = v.date('leaseTo');
  out.rentalRegistration = v.choice('rentalRegistration', REGISTRATION_NAMES);
  out.starRating = v.number('starRating', { min: 1, max: 5, integer: true });
  return v.errors.length ? undefined : (out as HousingImport);
}

/** The service's field names in import terms (the row gives identity numbers, the service person ids). */
const FIELD_MAP = { landlordPersonId: 'landlordIdNumber', ownerPersonId: 'ownerIdNumber', addressId: 'addressCode' };

type Input = Parameters<typeof putHousing>[3];
interface Match {
  addressId: string;
  input: Input;
}

async function match(env: JobEnv, rows: ParsedRow<HousingImport>[]) {
  const db = env.deps.db;
  const addresses = new Map((await repo.addressesByCodes(db, rows.map((r) => r.value.addressCode))).map((a) => [a.code, a]));
  const people = new Map(
    (await importLookups.personIdsByBlinds(db, rows.flatMap((r) => [r.value.ownerBlind, r.value.landlordBlind].filter((x): x is string => !!x)))).map((p) => [p.id_blind!, p]),
  );
  const housing = new Map((await importLookups.housingByAddresses(db, [...addresses.values()].map((a) => a.id))).map((h) => [h.address_id, h]));
  return rows.map(({ rowNo, value: h }) => {
    const errors: FieldError[] = [];
    const address = addresses.get(h.addressCode);
    if (!address || !address.grid_path.startsWith(env.scopePath)) errors.push({ field: 'addressCode', message: '标准地址编码不存在或不在您的辖区内' });
    else if (!(DWELLING_LEVELS as readonly string[]).includes(address.level)) errors.push({ field: 'addressCode', message: '实有房屋登记到门牌、楼栋、单元、楼层或户室一级的地址' });
    const person = (field: string, blind: string | undefined) => {
      if (!blind) return null;
      const p = people.get(blind);
      if (!p || !p.path.startsWith(env.scopePath)) {
        errors.push({ field, message: '该人员未在本辖区登记为实有人口，请先导入或登记人员' });
        return null;
      }
      return p.id;
    };
    const ownerPersonId = person('ownerIdNumber', h.ownerBlind);
    const landlordPersonId = person('landlordIdNumber', h.landlordBlind);
    if (errors.length) return { rowNo, plan: { rowNo, errors } as RowPlan };
    const rent = h.use === 'rent';
    // a row is the whole housing record of the address, as the form replaces it
    const input: Input = {
      use: h.use,
      propertyType: h.propertyType,
      ownerPersonId,
      ownerName: h.ownerName ?? null,
      ownerPhone: h.ownerPhone ?? null,
      areaM2: h.areaM2 ?? null,
      rooms: h.rooms ?? null,
      groupRental: h.groupRental,
      landlordPersonId,
      leaseFrom: h.leaseFrom ?? null,
      leaseTo: h.leaseTo ?? null,
      rentalRegistration: h.rentalRegistration ?? null,
      starRating: h.starRating ?? null,
    };
    const cur = housing.get(address!.id);
    const same =
      !!cur &&
      cur.use === h.use &&
      cur.property_type === (h.propertyType ?? 'commercial') &&
      cur.owner_person_id === ownerPersonId &&
      cur.owner_name === (h.ownerName ?? null) &&
      cur.owner_phone === (h.ownerPhone ?? null) &&
      (cur.area_m2 === null ? null : Number(cur.area_m2)) === (h.areaM2 ?? null) &&
      cur.rooms === (h.rooms ?? null) &&
      cur.group_rental === (rent ? !!h.groupRental : false) &&
      cur.landlord_person_id === (rent ? landlordPersonId : null) &&
      cur.lease_from === (rent ? (h.leaseFrom ?? null) : null) &&
      cur.lease_to === (rent ? (h.leaseTo ?? null) : null) &&
      cur.rental_registration === (rent ? (h.rentalRegistration ?? 'unregistered') : null) &&
      cur.star_rating === (h.starRating ?? null);
    const action = !cur ? 'create' : same ? 'unchanged' : 'update';
    return { rowNo, plan: { rowNo, action, recordId: address!.id } as RowPlan, match: { addressId: address!.id, input } };
  });
}

/** Checks a planned row against the service's rules without writing (the dry run must report what the commit would refuse). */
function ruleErrors(h: HousingImport): FieldError[] {
  const errors: FieldError[] = [];
  if (h.use === 'rent') {
    if (!h.landlordBlind) errors.push({ field: 'landlordIdNumber', message: '出租房屋须登记房东（出租人）' });
    if (!h.leaseFrom) errors.push({ field: 'leaseFrom', message: '出租房屋须填写租赁起始日期' });
    if (!h.leaseTo) errors.push({ field: 'leaseTo', message: '出租房屋须填写租赁结束日期' });
    if (h.leaseFrom && h.leaseTo && h.leaseTo <= h.leaseFrom) errors.push({ field: 'leaseTo', message: '租赁结束日期须晚于开始日期' });
  } else {
    if (h.landlordBlind || h.leaseFrom || h.leaseTo || h.rentalRegistration) errors.push({ field: 'use', message: '仅出租房屋填写房东、租期与出租登记' });
    if (h.groupRental) errors.push({ field: 'groupRental', message: '群租仅适用于出租房屋' });
  }
  return errors;
}

export const housingImport: ImportKindDef<HousingImport> = {
  kind: 'housing',
  title: '实有房屋',
  permission: 'housing.write',
  columns,
  maskedFields: ['ownerIdNumber', 'landlordIdNumber', 'ownerPhone'],
  parse: (v, env) => {
    const h = parse(v, env);
    if (!h) return undefined;
    for (const e of ruleErrors(h)) v.fail(e.field, e.message);
    return v.errors.length ? undefined : h;
  },
  key: (h) => `addr:${h.addressCode}`,
  plan: async (env, rows) => (await match(env, rows)).map((m) => m.plan),
  commit: (env, rows, done) =>
    commitRowByRow<HousingImport, Match>(
      env,
      rows,
      done,
      (r) => match(env, r),
      async (_row, m) => (await putHousing(env.deps, env.ctx, m.addressId, m.input)).housing.id,
      'addressCode',
      FIELD_MAP,
    ),
};
