import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { Deps } from '../../deps.js';
import type { DB, SubmissionStatus } from '../../db/schema.js';
import { can, staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { decryptField } from '../../platform/crypto/fields.js';
import { conflict, DomainError, forbidden, notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { maskPhone } from '../../platform/http/schemas.js';
import { putHousing } from '../population/housing.js';
import { maskedIdOf } from '../population/present.js';
import { populationRepository as pop } from '../population/repository.js';
import { moveIn } from '../population/residences.js';
import { HOUSING_USE_NAMES, RELATION_NAMES, requirePurpose, todayCst, type Relation } from '../population/rules.js';
import { createPerson, type CreatePersonInput } from '../population/service.js';
import { portalRepository as repo, type SubmissionRow } from './repository.js';
import {
  APPROVABLE_KINDS,
  DWELLING_KINDS,
  nextSequence,
  NOT_FOUND_REVIEW,
  PENDING_STATUSES,
  REPLY_KINDS,
  smsText,
  statusName,
  type RentalData,
  type ResidenceData,
  type SubmissionKind,
} from './rules.js';
import { notifyResident, payloadOf, presentSubmission, presentSummary, staffTitle } from './service.js';

/** Namespace of the deterministic client ids an approval gives `createPerson` (one per submission and person key). */
const APPROVAL_NAMESPACE = '6f1d8a52-3c4e-4b7a-9f0e-2d5c8b1a7e34';
export const approvalClientId = (submissionId: string, key: string) => uuidv5(`${submissionId}:${key}`, APPROVAL_NAMESPACE);

const ageHours = (s: SubmissionRow) => Math.max(0, Math.floor((Date.now() - new Date(s.submitted_at).getTime()) / 3_600_000));

export function presentReviewSummary(s: SubmissionRow) {
  return { ...presentSummary(s), gridName: s.grid_name, ageHours: ageHours(s), assignedTo: s.assigned_name, residentPhone: maskPhone(s.resident_phone) };
}

async function inScopeOr404(deps: Deps, ctx: RequestContext, id: string) {
  const s = await repo.inScope(deps.db, staffOf(ctx).scopePath, id);
  if (!s) throw notFound(NOT_FOUND_REVIEW);
  return s;
}

/** Person keys an approval writes to the registry. */
function personKeys(s: SubmissionRow): string[] {
  if (s.kind === 'residence') return ['self'];
  if (s.kind === 'rental') return ['owner', ...(payloadOf(s).data as RentalData).tenants.map((_, i) => `tenants.${i}`)];
  return [];
}

// ---- the queue ------------------------------------------------------------------------------------------------

export type QueueStatus = 'pending' | 'all' | SubmissionStatus;

export async function listQueue(
  deps: Deps,
  ctx: RequestContext,
  f: { status?: QueueStatus; kind?: SubmissionKind; q?: string },
  paging: { limit: number; offset: number; page: number },
) {
  const me = staffOf(ctx);
  const status = f.status ?? 'pending';
  const statuses = status === 'all' ? undefined : status === 'pending' ? PENDING_STATUSES : [status];
  const { rows, total } = await repo.queue(deps.db, { scopePath: me.scopePath, statuses, kind: f.kind, q: f.q }, paging.limit, paging.offset);
  // the summaries name people: the page is recorded like a search
  await recordAudit(deps.db, ctx, {
    action: 'portal.review_list',
    subjectType: 'portal_submission',
    subjectIds: rows.map((r) => r.id),
    detail: { status, kind: f.kind, q: f.q?.slice(0, 30), total, page: paging.page },
  });
  return { items: rows.map(presentReviewSummary), total };
}

// ---- the detail and its comparison with the registry --------------------------------------------------------------

type Match = { key: string; inScope: false } | { key: string; personId: string; name: string; maskedId: string | null; currentAddress: string | null; sameAddress: boolean; inScope: true };

async function registryView(deps: Deps, ctx: RequestContext, s: SubmissionRow) {
  const me = staffOf(ctx);
  const today = todayCst();
  const dwelling = DWELLING_KINDS.includes(s.kind);
  const payload = payloadOf(s);
  const residents = dwelling ? await pop.residentsAt(deps.db, s.address_id, today) : [];
  const h = dwelling ? await pop.housingByAddress(deps.db, s.address_id) : undefined;

  const matches: Match[] = [];
  const conflicts: Array<{ key: string; message: string }> = [];
  const lives = (key: string) => key === 'self' || key.startsWith('tenants.');
  for (const [key, id] of Object.entries(payload.ids)) {
    const hit = await pop.personByIdBlind(deps.db, id.blind);
    if (!hit) continue;
    if (!hit.path.startsWith(me.scopePath)) {
      matches.push({ key, inScope: false });
      if (s.kind === 'residence' || s.kind === 'rental') conflicts.push({ key, message: '该身份号码已在其他辖区登记，须联系所属单位协查核实后再审核' });
      continue;
    }
    const p = (await pop.personAnywhere(deps.db, hit.id))!;
    const cur = (await pop.residencesOfPerson(deps.db, hit.id)).find((r) => r.to_date === null);
    const sameAddress = cur?.address_id === s.address_id;
    matches.push({ key, personId: p.id, name: p.name, maskedId: maskedIdOf(p), currentAddress: cur?.full_text ?? null, sameAddress, inScope: true });
    if (dwelling && lives(key) && cur && !sameAddress) conflicts.push({ key, message: `该人员现登记居住在${cur.full_text}，审核通过后原居住登记将结束` });
  }
  if (s.kind === 'rental') {
    const d = payload.data as RentalData;
    const householder = residents.find((r) => r.relation === 'householder');
    if (householder) conflicts.push({ key: 'address', message: `该地址现登记有户主${householder.name}居住，请核实房屋是否整体出租` });
    if (h?.use === 'rent' && h.lease_from && h.lease_to && h.lease_from < d.leaseTo && h.lease_to > d.leaseFrom)
      conflicts.push({ key: 'housing', message: `该地址已登记出租（租期 ${h.lease_from} 至 ${h.lease_to}），与本次申报的租期重叠` });
  }
  return {
    registry: {
      addressId: s.address_id,
      addressLevel: s.address_level,
      currentResidents: residents.map((r) => ({
        personId: r.person_id,
        name: r.name,
        maskedId: maskedIdOf(r),
        relation: r.relation,
        relationName: RELATION_NAMES[r.relation as Relation] ?? r.relation,
        fromDate: r.from_date,
        personType: r.person_type,
      })),
      housing: h ? { use: h.use, useName: HOUSING_USE_NAMES[h.use], leaseFrom: h.lease_from, leaseTo: h.lease_to, rentalRegistration: h.rental_registration } : null,
      matches,
      conflicts,
    },
    personIds: [...residents.map((r) => r.person_id), ...matches.flatMap((m) => (m.inScope ? [m.personId] : []))],
  };
}

/** The detail an officer reviews (identity numbers masked); recorded as `portal.review_read`. */
export async function getReview(deps: Deps, ctx: RequestContext, id: string) {
  const s = await inScopeOr404(deps, ctx, id);
  const { registry, personIds } = await registryView(deps, ctx, s);
  await recordAudit(deps.db, ctx, {
    action: 'portal.review_read',
    subjectType: 'portal_submission',
    subjectIds: [s.id, ...new Set(personIds)],
    subjectUnitId: s.grid_id,
    detail: { kind: s.kind, trackingNo: s.tracking_no },
  });
  return {
    ...presentReviewSummary(s),
    ...(await presentSubmission(deps, s)),
    gridName: s.grid_name,
    ageHours: ageHours(s),
    assignedTo: s.assigned_name,
    residentPhone: s.resident_phone,
    result: s.result,
    registry,
  };
}

/** The full identity numbers of a submission by person key: `person.id_full`, a stated purpose, audited. */
export async function reviewIds(deps: Deps, ctx: RequestContext, id: string, purposeText: string | undefined) {
  if (!can(ctx, 'person.id_full')) throw forbidden('您没有查看完整证件号码的权限（person.id_full）');
  const purpose = requirePurpose(purposeText, '查看申报中的完整证件号码');
  const s = await inScopeOr404(deps, ctx, id);
  const ids = Object.fromEntries(Object.entries(payloadOf(s).ids).map(([key, v]) => [key, decryptField(deps.config.keys.data, v.cipher)]));
  await recordAudit(deps.db, ctx, {
    action: 'portal.view_ids',
    subjectType: 'portal_submission',
    subjectIds: [s.id],
    subjectUnitId: s.grid_id,
    purpose,
    detail: { kind: s.kind, trackingNo: s.tracking_no, keys: Object.keys(ids) },
  });
  return ids;
}

// ---- actions --------------------------------------------------------------------------------------------------

function staffEvent(trx: Kysely<DB>, ctx: RequestContext, submissionId: string, status: string, note: string | null) {
  const me = staffOf(ctx);
  return repo.insertEvent(trx, { id: uuidv7(), submission_id: submissionId, at: new Date(), status, actor_kind: 'staff', actor_id: me.userId, actor_name: staffTitle(me), note });
}

const RACE = '该申报刚被他人处理，请刷新后再试';

function requirePending(s: SubmissionRow, what: string) {
  if (!PENDING_STATUSES.includes(s.status)) throw conflict(`该申报${statusName(s.status, s.kind)}，不能${what}`, 'status');
}

/** 受理: `submitted` → `reviewing`, assigned to the caller. */
export async function claim(deps: Deps, ctx: RequestContext, id: string) {
  const me = staffOf(ctx);
  const s = await inScopeOr404(deps, ctx, id);
  if (s.status === 'reviewing') throw conflict(`该申报已由${s.assigned_name ?? '他人'}受理`, 'status');
  if (s.status !== 'submitted') throw conflict(`该申报${statusName(s.status, s.kind)}，不能受理`, 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateIfStatus(trx, s.id, ['submitted'], { status: 'reviewing', assigned_to: me.userId }))) throw conflict(RACE, 'status');
    await staffEvent(trx, ctx, s.id, 'reviewing', null);
    await recordAudit(trx, ctx, { action: 'portal.claim', subjectType: 'portal_submission', subjectIds: [s.id], subjectUnitId: s.grid_id, detail: { kind: s.kind, trackingNo: s.tracking_no } });
  });
  await notifyResident(deps, s.resident_phone, smsText(s.kind, s.tracking_no, 'reviewing'));
  return getReview(deps, ctx, s.id);
}

/** 退回: back to the resident with the reason, who may edit and resubmit. */
export async function returnSubmission(deps: Deps, ctx: RequestContext, id: string, reasonText: string) {
  const reason = reasonText.trim();
  if ([...reason].length < 4) throw validationError([{ field: 'reason', message: '退回原因至少 4 个字' }]);
  const s = await inScopeOr404(deps, ctx, id);
  requirePending(s, '退回');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateIfStatus(trx, s.id, PENDING_STATUSES, { status: 'returned', return_reason: reason }))) throw conflict(RACE, 'status');
    await staffEvent(trx, ctx, s.id, 'returned', reason);
    await recordAudit(trx, ctx, { action: 'portal.return', subjectType: 'portal_submission', subjectIds: [s.id], subjectUnitId: s.grid_id, detail: { kind: s.kind, trackingNo: s.tracking_no, reason } });
  });
  await notifyResident(deps, s.resident_phone, smsText(s.kind, s.tracking_no, 'returned', reason));
  return getReview(deps, ctx, s.id);
}

/** 办结 of a help request or a mediation application, with the reply the resident sees. */
export async function complete(deps: Deps, ctx: RequestContext, id: string, replyText: string) {
  const me = staffOf(ctx);
  const reply = replyText.trim();
  if ([...reply].length < 2) throw validationError([{ field: 'reply', message: '答复至少 2 个字' }]);
  const s = await inScopeOr404(deps, ctx, id);
  if (!REPLY_KINDS.includes(s.kind)) throw conflict('只有求助咨询与调解申请以答复办结，登记类申报请审核通过或退回', 'kind');
  requirePending(s, '办结');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateIfStatus(trx, s.id, PENDING_STATUSES, { status: 'done', reply, reviewed_by: me.userId, reviewed_at: new Date() }))) throw conflict(RACE, 'status');
    await staffEvent(trx, ctx, s.id, 'done', reply);
    await recordAudit(trx, ctx, { action: 'portal.complete', subjectType: 'portal_submission', subjectIds: [s.id], subjectUnitId: s.grid_id, detail: { kind: s.kind, trackingNo: s.tracking_no } });
  });
  await notifyResident(deps, s.resident_phone, smsText(s.kind, s.tracking_no, 'done', reply));
  return getReview(deps, ctx, s.id);
}

// ---- approval: writing the registry ------------------------------------------------------------------------------

export interface ApproveInput {
  merge?: Record<string, string>;
  note?: string;
}

interface ApprovalResult {
  /** Each person key (self; owner, tenants.0 …) with the registry person it stands for and whether it was created. */
  persons: Array<{ key: string; personId: string; created: boolean }>;
  personIds: string[];
  residenceIds: string[];
  housingId: string | null;
  registrationNo?: string;
}

/** Re-labels a population service's field errors with the person key they came from (`tenants.1.phone`). */
async function asKey<T>(key: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof DomainError && e.errors?.length) {
      const errors = e.errors.map((x) => ({ field: `${key}.${x.field}`, message: x.message }));
      throw new DomainError(e.code, e.status, e.detail, errors, e.extra);
    }
    throw e;
  }
}

/**
 * The registry person a key stands for: the one the officer named (`merge`), else the person already holding
 * the identity number, else a new one. A holder outside the reviewer's jurisdiction stops the approval.
 */
async function resolvePerson(deps: Deps, ctx: RequestContext, s: SubmissionRow, key: string, merge: Record<string, string>, create: () => CreatePersonInput) {
  if (merge[key]) return { id: merge[key], created: false };
  const stored = payloadOf(s).ids[key];
  const hit = await pop.personByIdBlind(deps.db, stored.blind);
  if (hit) {
    if (!hit.path.startsWith(staffOf(ctx).scopePath)) throw conflict('该身份号码已在其他辖区登记，须联系所属单位协查核实后再审核', key);
    return { id: hit.id, created: false };
  }
  const input = { ...create(), clientId: approvalClientId(s.id, key) };
  const { person } = await asKey(key, () => createPerson(deps, ctx, input, { source: 'resident' }));
  return { id: person.id, created: true };
}

/** Makes the person live at the submission's address (closing a residence elsewhere), unless they already do. */
async function settle(deps: Deps, ctx: RequestContext, s: SubmissionRow, key: string, personId: string, relation: Relation, fromDate: string): Promise<string> {
  const cur = (await pop.residencesOfPerson(deps.db, personId)).find((r) => r.to_date === null);
  if (cur?.address_id === s.address_id) return cur.id;
  const r = await asKey(key, () => moveIn(deps, ctx, personId, { addressId: s.address_id, relation, fromDate, closePrevious: true, source: 'resident' }));
  return r.id;
}

async function writeRegistry(deps: Deps, ctx: RequestContext, s: SubmissionRow, merge: Record<string, string>): Promise<ApprovalResult> {
  const payload = payloadOf(s);
  const fullId = (key: string) => decryptField(deps.config.keys.data, payload.ids[key].cipher);
  const result: ApprovalResult = { persons: [], personIds: [], residenceIds: [], housingId: null };
  const took = (key: string, p: { id: string; created: boolean }) => {
    result.persons.push({ key, personId: p.id, created: p.created });
    result.personIds.push(p.id);
  };
  if (s.kind === 'residence') {
    const d = payload.data as ResidenceData;
    const p = await resolvePerson(deps, ctx, s, 'self', merge, () => ({
      idNumber: fullId('self'),
      name: d.name,
      phone: d.phone,
      hukouAddress: d.hukouAddress,
      personType: 'floating',
      floatingRegisteredOn: d.arrivalDate,
      expectedStayUntil: d.expectedStayUntil,
      residence: { addressId: s.address_id, relation: d.relation, fromDate: d.arrivalDate },
    }));
    took('self', p);
    result.residenceIds.push(await settle(deps, ctx, s, 'self', p.id, d.relation, d.arrivalDate));
  } else if (s.kind === 'rental') {
    const d = payload.data as RentalData;
    const today = todayCst();
    // a lease may be signed before the tenants arrive: they are recorded from today at the latest
    const fromDate = d.leaseFrom <= today ? d.leaseFrom : today;
    const owner = await resolvePerson(deps, ctx, s, 'owner', merge, () => ({ idNumber: fullId('owner'), name: d.owner.name, phone: d.owner.phone, orgUnitId: s.grid_id }));
    took('owner', owner);
    for (const [i, t] of d.tenants.entries()) {
      const key = `tenants.${i}`;
      const p = await resolvePerson(deps, ctx, s, key, merge, () => ({
        idNumber: fullId(key),
        name: t.name,
        phone: t.phone,
        hukouAddress: t.hukouAddress,
        personType: 'floating',
        floatingRegisteredOn: fromDate,
        expectedStayUntil: d.leaseTo,
        residence: { addressId: s.address_id, relation: 'tenant', fromDate },
      }));
      took(key, p);
      result.residenceIds.push(await settle(deps, ctx, s, key, p.id, 'tenant', fromDate));
    }
    const existing = await pop.housingByAddress(deps.db, s.address_id);
    const { housing } = await asKey('housing', () =>
      putHousing(deps, ctx, s.address_id, {
        use: 'rent',
        ownerPersonId: owner.id,
        ownerName: d.owner.name,
        ownerPhone: d.owner.phone,
        landlordPersonId: owner.id,
        leaseFrom: d.leaseFrom,
        leaseTo: d.leaseTo,
        rentalRegistration: 'registered',
        rooms: d.rooms ?? existing?.rooms ?? null,
        areaM2: d.areaM2 ?? (existing?.area_m2 ? Number(existing.area_m2) : null),
        groupRental: d.groupRental ?? false,
        propertyType: existing?.property_type,
        starRating: existing?.star_rating ?? null,
      }),
    );
    result.housingId = housing.id;
  } else if (s.kind === 'ebike') {
    result.registrationNo = `DC${s.county_code}${(await nextSequence(deps.db)).toString().padStart(8, '0')}`;
  }
  return result;
}

/** How long an approval may sit in `approved` before another may take it over (its process has stopped). */
export const STALE_APPROVAL_MS = 120_000;

/**
 * 审核通过: writes the registry through the population services (each with its own audit rows), then marks the
 * submission done with the result. The submission is taken first by a conditional status change, so of two
 * concurrent approvals one writes and the other gets 409; a failure half-way gives it back, and a retry finds
 * the persons already written (by identity number, or by the deterministic client id of each person key).
 */
export async function approve(deps: Deps, ctx: RequestContext, id: string, input: ApproveInput) {
  const me = staffOf(ctx);
  const s = await inScopeOr404(deps, ctx, id);
  if (!APPROVABLE_KINDS.includes(s.kind)) throw conflict('求助咨询与调解申请不经审核登记，请以答复办结', 'kind');
  // an approval whose process stopped half-way is left `approved`; after a while it may be approved again
  const resumed = s.status === 'approved';
  if (!resumed) requirePending(s, '审核通过');

  const merge = input.merge ?? {};
  const keys = personKeys(s);
  const errors: FieldError[] = [];
  for (const [key, personId] of Object.entries(merge)) {
    if (!keys.includes(key)) errors.push({ field: `merge.${key}`, message: '该申报中没有这个人员' });
    else if (!(await pop.personInScope(deps.db, me.scopePath, personId))) errors.push({ field: `merge.${key}`, message: '人员不存在或不在您的辖区内' });
  }
  if (new Set(Object.values(merge)).size !== Object.values(merge).length) errors.push({ field: 'merge', message: '不能把两名申报人员合并到同一人' });
  if (errors.length) throw validationError(errors);

  const taken = resumed
    ? await repo.takeStaleApproval(deps.db, s.id, STALE_APPROVAL_MS)
    : await repo.updateIfStatus(deps.db, s.id, PENDING_STATUSES, { status: 'approved', reviewed_by: me.userId, reviewed_at: new Date() });
  if (!taken) throw conflict(resumed ? '该申报正在审核通过中，请稍后刷新' : RACE, 'status');
  let result: ApprovalResult;
  try {
    result = await writeRegistry(deps, ctx, s, merge);
  } catch (e) {
    // give it back; a resumed one goes back to the queue as under review
    await repo.updateIfStatus(deps.db, s.id, ['approved'], resumed ? { status: 'reviewing' } : { status: s.status, reviewed_by: s.reviewed_by, reviewed_at: s.reviewed_at });
    throw e;
  }
  const note = input.note?.trim() || null;
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.updateIfStatus(trx, s.id, ['approved'], { status: 'done', result: JSON.stringify(result) }))) throw conflict(RACE, 'status');
    await staffEvent(trx, ctx, s.id, 'approved', note);
    await staffEvent(trx, ctx, s.id, 'done', null);
    await recordAudit(trx, ctx, {
      action: 'portal.approve',
      subjectType: 'portal_submission',
      subjectIds: [s.id, ...new Set(result.personIds)],
      subjectUnitId: s.grid_id,
      detail: { kind: s.kind, trackingNo: s.tracking_no, merged: Object.keys(merge), residenceIds: result.residenceIds, housingId: result.housingId, registrationNo: result.registrationNo },
    });
  });
  await notifyResident(deps, s.resident_phone, smsText(s.kind, s.tracking_no, 'approved', result.registrationNo));
  return { ...(await getReview(deps, ctx, s.id)), result };
}
