import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB } from '../../db/schema.js';
import { conflict, firstResultWins, notFound, rateLimited, validationError, type FieldError } from '../../platform/errors/index.js';
import { residentOf, type RequestContext, type ResidentPrincipal, type StaffPrincipal } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { encryptField } from '../../platform/crypto/fields.js';
import { BUILTIN_ROLES } from '../../platform/access/roles.js';
import { addressesRepository } from '../addresses/repository.js';
import { DWELLING_LEVELS, normalizePhone, todayCst } from '../population/rules.js';
import { checkIdNumber, idBlind, indexForm, uniqueViolation } from '../population/service.js';
import { portalRepository as repo, type SubmissionRow } from './repository.js';
import {
  checkDataShape,
  DWELLING_KINDS,
  EDITABLE_STATUSES,
  idFields,
  KIND_NAMES,
  maskSubmittedId,
  nextTrackingNo,
  NOT_FOUND_SUBMISSION,
  setIdField,
  smsText,
  statusName,
  summarize,
  TRACKING_PREFIX,
  trimStrings,
  type SubmissionKind,
} from './rules.js';

/** An identity number inside a stored submission: encrypted, with its blind index and the masked form. */
export interface StoredId {
  cipher: string;
  blind: string;
  masked: string;
}

/** `portal_submissions.payload`: the data as a resident sees it (identity numbers masked) and the numbers themselves. */
export interface StoredPayload {
  data: Record<string, unknown>;
  ids: Record<string, StoredId>;
}

export const payloadOf = (s: { payload: unknown }) => s.payload as StoredPayload;

/** How a staff member is named on a resident's timeline: `社区民警 张明`. */
export function staffTitle(p: StaffPrincipal): string {
  const preferred = ['officer', 'chief', 'assistant', 'gridworker'];
  const code = preferred.find((c) => p.roles.includes(c)) ?? p.roles[0];
  const role = BUILTIN_ROLES.find((r) => r.code === code);
  return `${role?.name ?? '工作人员'} ${p.displayName}`;
}

/** Sends a text message to the resident; a failing gateway is logged, never fails the change it reports. */
export async function notifyResident(deps: Deps, phone: string, text: string) {
  try {
    await deps.sms.send(phone, text);
  } catch (err) {
    deps.log.warn({ err }, 'portal sms failed');
  }
}

// ---- presenting ----------------------------------------------------------------------------------------------

export function presentSummary(s: SubmissionRow) {
  return {
    id: s.id,
    trackingNo: s.tracking_no,
    kind: s.kind,
    kindName: KIND_NAMES[s.kind],
    status: s.status,
    statusName: statusName(s.status, s.kind),
    summary: s.summary,
    address: s.address_text,
    submittedAt: new Date(s.submitted_at).toISOString(),
    updatedAt: new Date(s.updated_at).toISOString(),
  };
}

/** A submission with its data (identity numbers masked), timeline and attachments. */
export async function presentSubmission(deps: Deps, s: SubmissionRow) {
  const [events, attachments] = await Promise.all([repo.events(deps.db, s.id), repo.attachmentsOf(deps.db, s.id)]);
  const result = s.result as { registrationNo?: string } | null;
  return {
    ...presentSummary(s),
    data: payloadOf(s).data,
    returnReason: s.return_reason,
    reply: s.reply,
    /** What the resident gets from an approval (an e-bike's registration number). */
    result: result?.registrationNo ? { registrationNo: result.registrationNo } : null,
    timeline: events.map((e) => ({
      at: new Date(e.at).toISOString(),
      status: e.status,
      statusName: statusName(e.status, s.kind),
      note: e.note,
      by: e.actor_name,
    })),
    attachments: attachments.map((a) => ({ id: a.id, contentType: a.content_type, url: `/api/v1/portal/attachments/${a.id}` })),
  };
}

// ---- checking what a resident submits ----------------------------------------------------------------------------

interface Prepared {
  payload: StoredPayload;
  blinds: string[];
  summary: string;
  attachmentIds: string[];
}

const isDate = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);

/**
 * Checks `data` for a kind and collects every error: the shape (unknown fields, types, lengths), identity
 * numbers (GB 11643), phones, dates and, for help requests, the attachments named. On success the data is
 * normalised, its identity numbers are masked and kept encrypted beside it.
 */
async function prepare(
  deps: Deps,
  residentId: string,
  kind: SubmissionKind,
  raw: unknown,
  submissionId: string | undefined,
): Promise<{ errors: FieldError[] } | { prepared: Prepared }> {
  const data = trimStrings(raw) as Record<string, unknown>;
  const errors = checkDataShape(kind, data);
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { errors };
  // the checks below look only at fields whose shape is right
  const shapeErrors = [...errors];
  const bad = (field: string) => shapeErrors.some((e) => e.field === field || e.field.startsWith(`${field}.`));
  const today = todayCst();
  const push = (field: string, message: string) => {
    if (!errors.some((e) => e.field === field)) errors.push({ field, message });
  };

  // identity numbers: each checked, none twice in one submission
  const ids = new Map<string, { normalized: string; indexForm: string; birthDate: string }>();
  const seen = new Map<string, string>();
  for (const f of idFields(kind, data)) {
    if (typeof f.value !== 'string' || bad(f.field)) continue;
    const r = checkIdNumber(f.field, f.value, false);
    if ('error' in r) {
      push(r.error.field, r.error.message);
      continue;
    }
    const norm = indexForm(r.info);
    if (seen.has(norm)) {
      push(f.field, '同一身份号码在本次申报中重复填写');
      continue;
    }
    seen.set(norm, f.key);
    ids.set(f.key, { normalized: r.info.normalized, indexForm: norm, birthDate: r.info.birthDate });
  }

  // phones: normalised to digits
  const phone = (obj: Record<string, unknown> | undefined, key: string, field: string) => {
    if (!obj || typeof obj[key] !== 'string' || bad(field)) return;
    const r = normalizePhone(field, obj[key] as string);
    if ('error' in r) push(field, r.error.message);
    else if (r.value) obj[key] = r.value;
  };

  let attachmentIds: string[] = [];
  switch (kind) {
    case 'residence': {
      phone(data, 'phone', 'data.phone');
      phone(data, 'landlordPhone', 'data.landlordPhone');
      const { arrivalDate: a, expectedStayUntil: e } = data;
      if (isDate(a) && !bad('data.arrivalDate')) {
        if (a > today) push('data.arrivalDate', '到达日期不能晚于今天');
        const birth = ids.get('self')?.birthDate;
        if (birth && a < birth) push('data.arrivalDate', '到达日期不能早于出生日期');
      }
      if (isDate(a) && isDate(e) && !bad('data.arrivalDate') && !bad('data.expectedStayUntil') && e <= a) push('data.expectedStayUntil', '拟居住截止日期须晚于到达日期');
      break;
    }
    case 'rental': {
      phone(data.owner as Record<string, unknown> | undefined, 'phone', 'data.owner.phone');
      if (Array.isArray(data.tenants)) (data.tenants as Array<Record<string, unknown>>).forEach((t, i) => t && typeof t === 'object' && phone(t, 'phone', `data.tenants.${i}.phone`));
      const { leaseFrom: f, leaseTo: t } = data;
      if (isDate(f) && isDate(t) && !bad('data.leaseFrom') && !bad('data.leaseTo') && t <= f) push('data.leaseTo', '租赁结束日期须晚于开始日期');
      break;
    }
    case 'mediation': {
      if (Array.isArray(data.parties)) {
        const parties = data.parties as Array<Record<string, unknown>>;
        parties.forEach((p, i) => p && typeof p === 'object' && phone(p, 'phone', `data.parties.${i}.phone`));
        if (!bad('data.parties') && !parties.some((p) => p?.role === 'respondent')) push('data.parties', '请至少填写一名被申请人（对方当事人）');
      }
      break;
    }
    case 'ebike': {
      phone(data, 'phone', 'data.phone');
      if (isDate(data.purchaseDate) && !bad('data.purchaseDate') && data.purchaseDate > today) push('data.purchaseDate', '购买日期不能晚于今天');
      if (typeof data.frameNo === 'string') data.frameNo = data.frameNo.toUpperCase();
      if (typeof data.motorNo === 'string') data.motorNo = data.motorNo.toUpperCase();
      break;
    }
    case 'help': {
      if (Array.isArray(data.attachmentIds) && !bad('data.attachmentIds')) {
        attachmentIds = data.attachmentIds as string[];
        const found = new Map((await repo.attachmentsByIds(deps.db, attachmentIds)).map((a) => [a.id, a]));
        attachmentIds.forEach((id, i) => {
          const a = found.get(id);
          if (!a || a.resident_id !== residentId) push(`data.attachmentIds.${i}`, '图片不存在，请重新上传');
          else if (a.submission_id && a.submission_id !== submissionId) push(`data.attachmentIds.${i}`, '该图片已用于其他申报，请重新上传');
        });
      }
      break;
    }
  }
  if (errors.length) return { errors };

  const stored: Record<string, StoredId> = {};
  const masked = structuredClone(data);
  for (const [key, id] of ids) {
    stored[key] = { cipher: encryptField(deps.config.keys.data, id.normalized), blind: idBlind(deps, id.indexForm), masked: maskSubmittedId(id.normalized) };
    setIdField(masked, key, stored[key].masked);
  }
  return {
    prepared: {
      payload: { data: masked, ids: stored },
      blinds: Object.values(stored).map((s) => s.blind),
      summary: summarize(kind, data),
      attachmentIds,
    },
  };
}

/** The plate a submission is made from: it must exist and be in use; a residence or rental needs a dwelling. */
async function plateFor(deps: Deps, token: string, kind: SubmissionKind): Promise<{ plate: NonNullable<Awaited<ReturnType<typeof addressesRepository.plateByToken>>> } | { error: FieldError }> {
  const plate = token.length <= 128 ? await addressesRepository.plateByToken(deps.db, token) : undefined;
  if (!plate) return { error: { field: 'plateToken', message: '门牌二维码无效' } };
  if (plate.status !== 'active') return { error: { field: 'plateToken', message: '该门牌已注销，请扫描现场新门牌' } };
  if (DWELLING_KINDS.includes(kind)) {
    if (!(DWELLING_LEVELS as readonly string[]).includes(plate.level))
      return { error: { field: 'plateToken', message: `${KIND_NAMES[kind]}请扫描所住房屋的门牌（门牌号、楼栋、单元或户室），不能使用道路或小区门牌` } };
    if (plate.address_status !== 'active') return { error: { field: 'plateToken', message: '该地址已停用，请联系社区民警核实' } };
  }
  return { plate };
}

/** One timeline entry of a resident's own action. */
function residentEvent(trx: Kysely<DB>, submissionId: string, status: string, me: ResidentPrincipal, note: string | null) {
  return repo.insertEvent(trx, { id: uuidv7(), submission_id: submissionId, at: new Date(), status, actor_kind: 'resident', actor_id: me.residentId, actor_name: null, note });
}

// ---- resident actions ---------------------------------------------------------------------------------------

export interface SubmitInput {
  kind: SubmissionKind;
  plateToken: string;
  clientId: string;
  data: unknown;
}

async function replay(deps: Deps, prior: SubmissionRow, kind: SubmissionKind) {
  if (prior.kind !== kind) throw conflict('该 clientId 已用于另一项申报，请刷新页面后重新填写', 'clientId');
  return { submission: { ...(await presentSubmission(deps, prior)), replayed: true }, replayed: true };
}

/** New submissions one resident may file in 24 hours (retries of one are not counted again). */
export const SUBMISSIONS_PER_DAY = 20;

/**
 * A resident's submission from a plate. A retry with the same `clientId` returns the first one
 * (`replayed: true`), also when two copies race: whatever makes the later copy fail (the unique index, its
 * attachments already linked, the day's limit), the stored first one is the answer.
 */
export async function submit(deps: Deps, ctx: RequestContext, input: SubmitInput) {
  const me = residentOf(ctx);
  const stored = async () => {
    const prior = await repo.byClient(deps.db, me.residentId, input.clientId);
    return prior ? replay(deps, prior, input.kind) : undefined;
  };
  return firstResultWins(stored, () => submitNew(deps, ctx, input));
}

async function submitNew(deps: Deps, ctx: RequestContext, input: SubmitInput) {
  const me = residentOf(ctx);
  // a phone number is cheap to sign in with; one resident cannot flood the officers' queue
  if ((await repo.submissionsSince(deps.db, me.residentId, new Date(Date.now() - 86_400_000))) >= SUBMISSIONS_PER_DAY)
    throw rateLimited(`24 小时内最多提交 ${SUBMISSIONS_PER_DAY} 件申报或求助，请稍后再试；紧急情况请直接拨打 110`);

  const errors: FieldError[] = [];
  const p = await plateFor(deps, input.plateToken.trim(), input.kind);
  if ('error' in p) errors.push(p.error);
  const r = await prepare(deps, me.residentId, input.kind, input.data, undefined);
  if ('errors' in r) errors.push(...r.errors);
  if (errors.length || !('plate' in p) || !('prepared' in r)) throw validationError(errors);
  const { plate } = p;
  const { prepared } = r;

  const id = uuidv7();
  const trackingNo = await nextTrackingNo(deps.db, TRACKING_PREFIX[input.kind]);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertSubmission(trx, {
        id,
        tracking_no: trackingNo,
        kind: input.kind,
        resident_id: me.residentId,
        client_id: input.clientId,
        plate_id: plate.id,
        address_id: plate.address_id,
        grid_id: plate.grid_id,
        status: 'submitted',
        payload: JSON.stringify(prepared.payload),
        summary: prepared.summary,
        id_blinds: prepared.blinds,
      });
      if (prepared.attachmentIds.length) {
        const n = await repo.linkAttachments(trx, prepared.attachmentIds, me.residentId, id);
        if (n !== prepared.attachmentIds.length) throw validationError([{ field: 'data.attachmentIds', message: '有图片刚被用于其他申报，请重新上传' }]);
      }
      await residentEvent(trx, id, 'submitted', me, null);
      await recordAudit(trx, ctx, {
        action: 'portal.submit',
        subjectType: 'portal_submission',
        subjectIds: [id],
        orgUnitId: plate.grid_id,
        detail: { kind: input.kind, trackingNo, addressId: plate.address_id, clientId: input.clientId },
      });
    });
  } catch (e) {
    const c = uniqueViolation(e);
    if (c === undefined) throw e;
    throw conflict('提交冲突，请稍后重试');
  }
  const row = (await repo.byId(deps.db, id))!;
  await notifyResident(deps, row.resident_phone, smsText(input.kind, trackingNo, 'submitted'));
  return { submission: { ...(await presentSubmission(deps, row)), replayed: false }, replayed: false };
}

export async function listOwn(deps: Deps, ctx: RequestContext, kind: SubmissionKind | undefined, paging: { limit: number; offset: number }) {
  const me = residentOf(ctx);
  const { rows, total } = await repo.listOwn(deps.db, me.residentId, kind, paging.limit, paging.offset);
  return { items: rows.map(presentSummary), total };
}

async function ownOr404(deps: Deps, me: ResidentPrincipal, id: string) {
  const s = await repo.own(deps.db, me.residentId, id);
  if (!s) throw notFound(NOT_FOUND_SUBMISSION);
  return s;
}

export async function getOwn(deps: Deps, ctx: RequestContext, id: string) {
  const s = await ownOr404(deps, residentOf(ctx), id);
  return presentSubmission(deps, s);
}

const NOT_EDITABLE = (s: SubmissionRow) => `该申报${statusName(s.status, s.kind)}，不能再修改或撤回`;

/** The resident edits while `submitted` or `returned`; a returned one goes back to the queue (`submitted`). */
export async function editOwn(deps: Deps, ctx: RequestContext, id: string, input: { data: unknown }) {
  const me = residentOf(ctx);
  const s = await ownOr404(deps, me, id);
  if (!EDITABLE_STATUSES.includes(s.status)) throw conflict(NOT_EDITABLE(s), 'status');
  const r = await prepare(deps, me.residentId, s.kind, input.data, s.id);
  if ('errors' in r) throw validationError(r.errors);
  const { prepared } = r;
  const resubmitted = s.status === 'returned';
  await deps.db.transaction().execute(async (trx) => {
    const ok = await repo.updateIfStatus(trx, s.id, [s.status], {
      status: 'submitted',
      payload: JSON.stringify(prepared.payload),
      summary: prepared.summary,
      id_blinds: prepared.blinds,
      return_reason: null,
    });
    if (!ok) throw conflict('该申报的状态刚刚发生变化，请刷新后再试', 'status');
    if (s.kind === 'help') {
      await repo.unlinkAttachments(trx, s.id);
      const n = await repo.linkAttachments(trx, prepared.attachmentIds, me.residentId, s.id);
      if (n !== prepared.attachmentIds.length) throw validationError([{ field: 'data.attachmentIds', message: '有图片刚被用于其他申报，请重新上传' }]);
    }
    if (resubmitted) await residentEvent(trx, s.id, 'submitted', me, '已修改并重新提交');
    await recordAudit(trx, ctx, {
      action: 'portal.edit',
      subjectType: 'portal_submission',
      subjectIds: [s.id],
      orgUnitId: s.grid_id,
      detail: { kind: s.kind, trackingNo: s.tracking_no, from: s.status, resubmitted },
    });
  });
  if (resubmitted) await notifyResident(deps, s.resident_phone, smsText(s.kind, s.tracking_no, 'resubmitted'));
  return presentSubmission(deps, (await repo.byId(deps.db, s.id))!);
}

export async function withdrawOwn(deps: Deps, ctx: RequestContext, id: string) {
  const me = residentOf(ctx);
  const s = await ownOr404(deps, me, id);
  if (!EDITABLE_STATUSES.includes(s.status)) throw conflict(NOT_EDITABLE(s), 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateIfStatus(trx, s.id, EDITABLE_STATUSES, { status: 'withdrawn' }))) throw conflict('该申报的状态刚刚发生变化，请刷新后再试', 'status');
    await residentEvent(trx, s.id, 'withdrawn', me, null);
    await recordAudit(trx, ctx, {
      action: 'portal.withdraw',
      subjectType: 'portal_submission',
      subjectIds: [s.id],
      orgUnitId: s.grid_id,
      detail: { kind: s.kind, trackingNo: s.tracking_no, from: s.status },
    });
  });
  await notifyResident(deps, s.resident_phone, smsText(s.kind, s.tracking_no, 'withdrawn'));
  return presentSubmission(deps, (await repo.byId(deps.db, s.id))!);
}
