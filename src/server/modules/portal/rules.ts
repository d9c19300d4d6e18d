import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { sql, type Kysely } from 'kysely';
import type { DB, SubmissionKind, SubmissionStatus } from '../../db/schema.js';
import type { FieldError } from '../../platform/errors/index.js';
import { fieldErrorsFromAjv } from '../../platform/http/validation.js';
import { todayCst } from '../population/rules.js';
import { Enum, Strict } from '../../platform/http/schemas.js';

// ---- kinds, statuses, names ---------------------------------------------------------------------------------

export const SUBMISSION_KINDS = ['rental', 'residence', 'help', 'mediation', 'ebike'] as const satisfies readonly SubmissionKind[];
export const SUBMISSION_STATUSES = ['submitted', 'reviewing', 'returned', 'approved', 'done', 'withdrawn'] as const satisfies readonly SubmissionStatus[];
export type { SubmissionKind, SubmissionStatus };

export const KIND_NAMES: Record<SubmissionKind, string> = {
  rental: '出租屋报备',
  residence: '流动人口报备',
  help: '报警求助/咨询',
  mediation: '矛盾纠纷调解申请',
  ebike: '电动自行车登记',
};

/** Tracking-number prefixes (docs/api-portal.md); appointments use `YY`. */
export const TRACKING_PREFIX: Record<SubmissionKind | 'appointment', string> = {
  rental: 'CZ',
  residence: 'LD',
  help: 'QZ',
  mediation: 'TJ',
  ebike: 'DC',
  appointment: 'YY',
};

/** Kinds an officer approves into the registry; help and mediation are completed with a reply instead. */
export const APPROVABLE_KINDS: readonly SubmissionKind[] = ['residence', 'rental', 'ebike'];
export const REPLY_KINDS: readonly SubmissionKind[] = ['help', 'mediation'];
/** Kinds that need a dwelling-level address (a room, a floor, a house), not a road or a compound gate. */
export const DWELLING_KINDS: readonly SubmissionKind[] = ['residence', 'rental'];

/** Waiting for an officer: the queue's default and the figures' "pending". */
export const PENDING_STATUSES: readonly SubmissionStatus[] = ['submitted', 'reviewing'];
/** A resident may still edit or withdraw. */
export const EDITABLE_STATUSES: readonly SubmissionStatus[] = ['submitted', 'returned'];

export function statusName(status: string, kind: SubmissionKind): string {
  switch (status) {
    case 'submitted':
      return '已提交';
    case 'reviewing':
      return REPLY_KINDS.includes(kind) ? '已受理' : '审核中';
    case 'returned':
      return '已退回';
    case 'approved':
      return '已通过';
    case 'done':
      return '已办结';
    case 'withdrawn':
      return '已撤回';
    default:
      return status;
  }
}

export const RESIDENCE_REASONS = ['work', 'business', 'study', 'family', 'medical', 'other'] as const;
export const RESIDENCE_REASON_NAMES: Record<(typeof RESIDENCE_REASONS)[number], string> = {
  work: '务工',
  business: '经商',
  study: '求学',
  family: '投亲靠友',
  medical: '就医',
  other: '其他',
};
export const RESIDENCE_RELATIONS = ['tenant', 'relative', 'roommate', 'employee', 'other'] as const;
export const HELP_CATEGORIES = ['help', 'consult', 'clue', 'lost', 'dispute', 'other'] as const;
export const HELP_CATEGORY_NAMES: Record<(typeof HELP_CATEGORIES)[number], string> = {
  help: '求助',
  consult: '咨询',
  clue: '线索举报',
  lost: '失物招领',
  dispute: '纠纷',
  other: '其他',
};
export const MEDIATION_CATEGORIES = ['neighbour', 'family', 'property', 'labour', 'consumer', 'traffic', 'other'] as const;
export const MEDIATION_CATEGORY_NAMES: Record<(typeof MEDIATION_CATEGORIES)[number], string> = {
  neighbour: '邻里纠纷',
  family: '婚姻家庭纠纷',
  property: '物业纠纷',
  labour: '劳资纠纷',
  consumer: '消费纠纷',
  traffic: '交通事故纠纷',
  other: '其他纠纷',
};

// ---- tracking numbers ---------------------------------------------------------------------------------------

/**
 * The next tracking number: `<prefix><yyyymmdd><6 digits>`, the day in Asia/Shanghai and the digits from
 * `portal_tracking_seq` (shared by submissions and appointments). Works inside or outside a transaction.
 */
export async function nextTrackingNo(db: Kysely<DB>, prefix: string, now: Date = new Date()): Promise<string> {
  const r = await sql<{ n: string }>`SELECT nextval('portal_tracking_seq')::text AS n`.execute(db);
  const n = BigInt(r.rows[0].n) % 1_000_000n;
  return `${prefix}${todayCst(now).replace(/-/g, '')}${n.toString().padStart(6, '0')}`;
}

/** A number from the same sequence, for registration numbers such as an e-bike's (`DC` + county + 8 digits). */
export async function nextSequence(db: Kysely<DB>): Promise<bigint> {
  const r = await sql<{ n: string }>`SELECT nextval('portal_tracking_seq')::text AS n`.execute(db);
  return BigInt(r.rows[0].n);
}

// ---- what residents submit, by kind ----------------------------------------------------------------------------

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Name = Type.String({ minLength: 1, maxLength: 64 });
const IdNo = Type.String({ minLength: 1, maxLength: 40 });
const Phone = Type.String({ minLength: 1, maxLength: 32 });
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });

export const ResidenceData = Type.Object(
  {
    name: Name,
    idNumber: IdNo,
    phone: Phone,
    hukouAddress: Text(200),
    reason: Enum(RESIDENCE_REASONS),
    reasonNote: Type.Optional(Text(200)),
    arrivalDate: DateStr,
    expectedStayUntil: DateStr,
    relation: Enum(RESIDENCE_RELATIONS),
    landlordName: Type.Optional(Name),
    landlordPhone: Type.Optional(Phone),
  },
  Strict,
);

export const RentalData = Type.Object(
  {
    owner: Type.Object({ name: Name, idNumber: IdNo, phone: Phone }, Strict),
    leaseFrom: DateStr,
    leaseTo: DateStr,
    rooms: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    areaM2: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
    groupRental: Type.Optional(Type.Boolean()),
    tenants: Type.Array(Type.Object({ name: Name, idNumber: IdNo, phone: Type.Optional(Phone), hukouAddress: Type.Optional(Text(200)) }, Strict), {
      minItems: 1,
      maxItems: 20,
    }),
  },
  Strict,
);

export const HelpData = Type.Object(
  {
    category: Enum(HELP_CATEGORIES),
    description: Text(1000, 10),
    attachmentIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 6, uniqueItems: true })),
    location: Type.Optional(
      Type.Object(
        {
          lng: Type.Number({ minimum: -180, maximum: 180 }),
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
        },
        Strict,
      ),
    ),
    contactName: Type.Optional(Name),
  },
  Strict,
);

export const MediationData = Type.Object(
  {
    category: Enum(MEDIATION_CATEGORIES),
    description: Text(2000, 10),
    parties: Type.Array(
      Type.Object({ role: Enum(['applicant', 'respondent'] as const), name: Name, phone: Type.Optional(Phone), idNumber: Type.Optional(IdNo) }, Strict),
      { minItems: 1, maxItems: 20 },
    ),
    desiredOutcome: Type.Optional(Text(500)),
  },
  Strict,
);

export const EbikeData = Type.Object(
  {
    ownerName: Name,
    idNumber: IdNo,
    phone: Phone,
    brand: Text(32),
    model: Type.Optional(Text(32)),
    color: Text(16),
    frameNo: Type.String({ pattern: '^[A-Za-z0-9]{6,30}$', description: '车架号：6–30 位字母或数字' }),
    motorNo: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{1,30}$' })),
    purchaseDate: Type.Optional(DateStr),
    certificateNo: Type.Optional(Text(40)),
  },
  Strict,
);

export type ResidenceData = Static<typeof ResidenceData>;
export type RentalData = Static<typeof RentalData>;
export type HelpData = Static<typeof HelpData>;
export type MediationData = Static<typeof MediationData>;
export type EbikeData = Static<typeof EbikeData>;

export const DATA_SCHEMAS: Record<SubmissionKind, TSchema> = {
  residence: ResidenceData,
  rental: RentalData,
  help: HelpData,
  mediation: MediationData,
  ebike: EbikeData,
};

// CommonJS default export seen through NodeNext (as in platform/http/validation.ts)
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: false, coerceTypes: false, strict: false });
addFormats(ajv);
const validators = Object.fromEntries(SUBMISSION_KINDS.map((k) => [k, ajv.compile(DATA_SCHEMAS[k])])) as Record<SubmissionKind, ValidateFunction>;

/** Every string trimmed (the contract: "all strings trimmed"), recursively. */
export function trimStrings(v: unknown): unknown {
  if (typeof v === 'string') return v.trim();
  if (Array.isArray(v)) return v.map(trimStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, trimStrings(x)]));
  return v;
}

/** The structural check of `data` for a kind: every error, with fields as `data.tenants.1.idNumber`. */
export function checkDataShape(kind: SubmissionKind, data: unknown): FieldError[] {
  const validate = validators[kind];
  if (validate(data)) return [];
  return fieldErrorsFromAjv(validate.errors ?? [], false).map((e) => ({ field: e.field === '(body)' ? 'data' : `data.${e.field}`, message: e.message }));
}

// ---- identity numbers in a submission ------------------------------------------------------------------------

/**
 * The identity numbers a submission names, by person key (`self`, `owner`, `tenants.0`, `parties.1`…), with
 * the field each one sits in.
 */
export function idFields(kind: SubmissionKind, data: Record<string, unknown>): Array<{ key: string; field: string; value: unknown; name: unknown }> {
  const out: Array<{ key: string; field: string; value: unknown; name: unknown }> = [];
  const list = (k: string) => (Array.isArray(data[k]) ? (data[k] as Array<Record<string, unknown> | null>) : []);
  switch (kind) {
    case 'residence':
      out.push({ key: 'self', field: 'data.idNumber', value: data.idNumber, name: data.name });
      break;
    case 'ebike':
      out.push({ key: 'self', field: 'data.idNumber', value: data.idNumber, name: data.ownerName });
      break;
    case 'rental': {
      const owner = data.owner as Record<string, unknown> | undefined;
      if (owner && typeof owner === 'object') out.push({ key: 'owner', field: 'data.owner.idNumber', value: owner.idNumber, name: owner.name });
      list('tenants').forEach((t, i) => t && typeof t === 'object' && out.push({ key: `tenants.${i}`, field: `data.tenants.${i}.idNumber`, value: t.idNumber, name: t.name }));
      break;
    }
    case 'mediation':
      list('parties').forEach(
        (p, i) => p && typeof p === 'object' && p.idNumber !== undefined && out.push({ key: `parties.${i}`, field: `data.parties.${i}.idNumber`, value: p.idNumber, name: p.name }),
      );
      break;
    case 'help':
      break;
  }
  return out;
}

/** Writes a value at a person key's identity-number field of (a copy of) the data. */
export function setIdField(data: Record<string, unknown>, key: string, value: string) {
  if (key === 'self') data.idNumber = value;
  else if (key === 'owner') (data.owner as Record<string, unknown>).idNumber = value;
  else {
    const [list, index] = key.split('.');
    ((data[list] as Array<Record<string, unknown>>)[Number(index)]).idNumber = value;
  }
}

/** What a resident sees of an identity number: `3716**********1234`. */
export function maskSubmittedId(normalized: string): string {
  return normalized.length <= 8 ? '*'.repeat(normalized.length) : `${normalized.slice(0, 4)}${'*'.repeat(normalized.length - 8)}${normalized.slice(-4)}`;
}

/** One line for lists: what the submission is about, never an identity number. */
export function summarize(kind: SubmissionKind, data: Record<string, unknown>): string {
  const clip = (s: unknown, n: number) => {
    const t = String(s ?? '').replace(/\s+/g, ' ');
    return [...t].length > n ? `${[...t].slice(0, n).join('')}…` : t;
  };
  switch (kind) {
    case 'residence': {
      const d = data as ResidenceData;
      return `${d.name}，${RESIDENCE_REASON_NAMES[d.reason]}，${d.arrivalDate} 起居住至 ${d.expectedStayUntil}`;
    }
    case 'rental': {
      const d = data as RentalData;
      return `房东 ${d.owner.name}，租户 ${d.tenants.length} 人，租期 ${d.leaseFrom} 至 ${d.leaseTo}${d.groupRental ? '（群租）' : ''}`;
    }
    case 'help': {
      const d = data as HelpData;
      return `${HELP_CATEGORY_NAMES[d.category]}：${clip(d.description, 40)}`;
    }
    case 'mediation': {
      const d = data as MediationData;
      return `${MEDIATION_CATEGORY_NAMES[d.category]}：${clip(d.description, 40)}`;
    }
    case 'ebike': {
      const d = data as EbikeData;
      return `${d.ownerName}，${d.brand}${d.model ? ` ${d.model}` : ''} ${d.color}，车架号 ${d.frameNo.toUpperCase()}`;
    }
  }
}

// ---- text messages -------------------------------------------------------------------------------------------

const clipText = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);

/** The SMS a resident gets when their submission changes status. */
export function smsText(
  kind: SubmissionKind,
  trackingNo: string,
  event: 'submitted' | 'resubmitted' | 'reviewing' | 'returned' | 'approved' | 'done' | 'withdrawn',
  extra?: string | null,
): string {
  const what = `【枫桥】您的${KIND_NAMES[kind]}（${trackingNo}）`;
  const handle = REPLY_KINDS.includes(kind) ? '处理' : '审核';
  switch (event) {
    case 'submitted':
      return `${what}已提交，社区民警将尽快${handle}。可在扫码页面“我的办理进度”查看。`;
    case 'resubmitted':
      return `${what}已重新提交，社区民警将尽快${handle}。可在扫码页面“我的办理进度”查看。`;
    case 'reviewing':
      return `${what}已受理，社区民警正在${handle}。`;
    case 'returned':
      return `${what}已退回，原因：${clipText(extra ?? '', 120)}。请在扫码页面“我的办理进度”修改后重新提交。`;
    case 'approved':
      return `${what}已通过审核，登记已完成${extra ? `，登记编号 ${extra}` : ''}。`;
    case 'done':
      return `${what}已办结。答复：${clipText(extra ?? '', 200)}`;
    case 'withdrawn':
      return `${what}已撤回。`;
  }
}

export const NOT_FOUND_SUBMISSION = '办理记录不存在';
export const NOT_FOUND_REVIEW = '申报记录不存在或不在您的辖区内';
