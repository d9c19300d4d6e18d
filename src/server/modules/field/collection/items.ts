import type { Deps } from '../../../deps.js';
import type { FieldItemStatus } from '../../../db/schema.js';
import type { FormField, FormSchema } from '../../../../shared/forms.js';
import { staffOf, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { conflict, notFound, validationError } from '../../../platform/errors/index.js';
import { addDays } from '../../population/rules.js';
import { dispatchesOfItems } from '../routing/route-item.js';
import { collectionRepository as repo, type ItemView } from './repository.js';
import { schemaOfVersion } from './types.js';

export const ITEM_STATUSES = ['submitted', 'routed', 'closed', 'returned'] as const;
export const ITEM_STATUS_NAMES: Record<FieldItemStatus, string> = { submitted: '已上报', routed: '已分派', closed: '已办结', returned: '已退回' };

const NOT_FOUND_ITEM = '采集事项不存在或不在您的辖区内';
const iso = (d: Date | string) => new Date(d).toISOString();

/** A value of a form as it reads (选项 as is, 是/否, lists joined). */
export function displayFormValue(f: Pick<FormField, 'type'> | undefined, v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.map(String).join('、');
  if (f?.type === 'phone' && typeof v === 'string') return v.replace(/^(\d{3})\d+(\d{4})$/, '$1****$2');
  if (f?.type === 'idnumber' && typeof v === 'string') return v.length > 10 ? `${v.slice(0, 6)}${'*'.repeat(v.length - 10)}${v.slice(-4)}` : v;
  return String(v);
}

/** The data as labelled rows in the order of the form the item was collected with; keys the form no longer has last. */
export function labelledData(schema: FormSchema, data: Record<string, unknown>) {
  const rows = schema.fields.filter((f) => f.key in data).map((f) => ({ key: f.key, label: f.label, type: f.type, value: data[f.key], display: displayFormValue(f, data[f.key]) }));
  for (const k of Object.keys(data)) if (!schema.fields.some((f) => f.key === k)) rows.push({ key: k, label: k, type: 'text', value: data[k], display: displayFormValue(undefined, data[k]) });
  return rows;
}

/** One line from the first answers of the form (for lists). */
function brief(schema: FormSchema | undefined, data: Record<string, unknown>): string {
  const fields = schema?.fields ?? [];
  const parts = fields
    .filter((f) => f.key in data && f.type !== 'textarea' && f.type !== 'idnumber' && f.type !== 'phone')
    .slice(0, 3)
    .map((f) => `${f.label}：${displayFormValue(f, data[f.key])}`);
  return parts.join('；').slice(0, 120);
}

export function presentItemSummary(i: ItemView, schema?: FormSchema) {
  return {
    id: i.id,
    typeCode: i.type_code,
    typeName: i.type_name,
    categoryCode: i.category_code,
    categoryName: i.category_name,
    status: i.status,
    statusName: ITEM_STATUS_NAMES[i.status],
    worker: { id: i.worker_id, name: i.worker_name },
    orgUnit: { id: i.org_unit_id, name: i.org_unit_name },
    address: i.address_id ? { id: i.address_id, fullText: i.address_text } : null,
    summary: brief(schema, i.data),
    photoCount: i.photo_ids.length,
    hasLocation: i.lng !== null && i.lat !== null,
    occurredAt: iso(i.occurred_at),
    receivedAt: iso(i.received_at),
    returnReason: i.return_reason,
    correctionOf: i.correction_of,
  };
}

/** The current forms of the types on a page (summaries read well enough with today's labels). */
async function currentSchemas(deps: Deps, rows: ItemView[]) {
  const codes = [...new Set(rows.map((r) => r.type_code))];
  const types = await Promise.all(codes.map((c) => repo.itemTypeByCode(deps.db, c)));
  return new Map(types.filter((t) => !!t).map((t) => [t!.code, t!.form_schema]));
}

/** `YYYY-MM-DD` (Asia/Shanghai) → the instant the day starts. */
const dayStart = (d: string) => `${d}T00:00:00+08:00`;

export interface ItemListFilter {
  category?: string;
  type?: string;
  status?: FieldItemStatus;
  workerId?: string;
  unitId?: string;
  from?: string;
  to?: string;
  q?: string;
}

export async function listItems(deps: Deps, ctx: RequestContext, f: ItemListFilter, paging: { limit: number; offset: number; page: number }) {
  const me = staffOf(ctx);
  if (f.from && f.to && f.to < f.from) throw validationError([{ field: 'to', message: '结束日期不能早于开始日期' }]);
  let unitPath: string | undefined;
  if (f.unitId) {
    const u = await repo.orgUnitInScope(deps.db, me.scopePath, f.unitId);
    if (!u) return { items: [], total: 0 };
    unitPath = u.path;
  }
  const { rows, total } = await repo.listItems(
    deps.db,
    {
      scopePath: me.scopePath,
      unitPath,
      category: f.category,
      type: f.type,
      status: f.status,
      workerId: f.workerId,
      from: f.from ? dayStart(f.from) : undefined,
      to: f.to ? dayStart(addDays(f.to, 1)) : undefined,
      q: f.q?.trim() || undefined,
    },
    paging.limit,
    paging.offset,
  );
  const schemas = await currentSchemas(deps, rows);
  // the summaries may name people (a visited elder, a party to a dispute): the page is recorded like a search
  await recordAudit(deps.db, ctx, {
    action: 'field.item.list',
    subjectType: 'field_item',
    subjectIds: rows.map((r) => r.id),
    detail: { ...f, q: f.q?.slice(0, 30), total, page: paging.page },
  });
  return { items: rows.map((r) => presentItemSummary(r, schemas.get(r.type_code))), total };
}

async function itemOr404(deps: Deps, ctx: RequestContext, id: string) {
  const i = await repo.itemInScope(deps.db, staffOf(ctx).scopePath, id);
  if (!i) throw notFound(NOT_FOUND_ITEM);
  return i;
}

/** An item with its form as collected, photos, dispatches with their timelines and the tasks it completed; audited. */
export async function getItem(deps: Deps, ctx: RequestContext, id: string) {
  const i = await itemOr404(deps, ctx, id);
  const type = (await repo.itemTypeByCode(deps.db, i.type_code))!;
  const schema = await schemaOfVersion(deps, type, i.type_version);
  const dispatches = (await dispatchesOfItems(deps.db, [i.id])).get(i.id) ?? [];
  const events = await repo.dispatchEvents(
    deps.db,
    dispatches.map((d) => d.id),
  );
  const tasks = await repo.tasksDoneBy(deps.db, [i.id]);
  await recordAudit(deps.db, ctx, { action: 'field.item.read', subjectType: 'field_item', subjectIds: [i.id], subjectUnitId: i.org_unit_id, detail: { typeCode: i.type_code } });
  return {
    ...presentItemSummary(i, schema),
    typeVersion: i.type_version,
    currentTypeVersion: type.version,
    fields: labelledData(schema, i.data),
    note: i.note,
    photos: i.photo_ids.map((p) => ({ id: p, url: `/api/v1/field/attachments/${p}` })),
    location: i.lng !== null && i.lat !== null ? { lng: i.lng, lat: i.lat, accuracyM: i.accuracy_m } : null,
    taskId: i.task_id,
    dispatches: dispatches.map((d) => ({
      ...d,
      events: events.filter((e) => e.dispatch_id === d.id).map((e) => ({ id: e.id, action: e.action, note: e.note, at: iso(e.at), actorName: e.actor_name })),
    })),
    tasksDone: tasks.map((t) => ({ id: t.id, title: t.title, templateName: t.template_name, period: t.period, dueDate: t.due_date, doneAt: t.done_at ? iso(t.done_at) : null })),
    returnedAt: i.returned_at ? iso(i.returned_at) : null,
    returnedByName: i.returned_by_name,
  };
}

/** 退回 a poor item with the reason; the worker sees it and may send a correction. Counts against quality. */
export async function returnItem(deps: Deps, ctx: RequestContext, id: string, reasonText: string) {
  const me = staffOf(ctx);
  const reason = reasonText.trim();
  if ([...reason].length < 2) throw validationError([{ field: 'reason', message: '退回原因至少 2 个字' }]);
  const i = await itemOr404(deps, ctx, id);
  if (i.status === 'returned') throw conflict('该事项已退回', 'status');
  await deps.db.transaction().execute(async (trx) => {
    if (!(await repo.returnItem(trx, i.id, me.userId, reason))) throw conflict('该事项已退回', 'status');
    await recordAudit(trx, ctx, { action: 'field.item.return', subjectType: 'field_item', subjectIds: [i.id], subjectUnitId: i.org_unit_id, detail: { typeCode: i.type_code, reason } });
  });
  return getItem(deps, ctx, id);
}

/** The worker's own items, newest first, with where they were routed, the feedback and any return reason. */
export async function myItems(deps: Deps, ctx: RequestContext, status: FieldItemStatus | undefined, paging: { limit: number; offset: number }) {
  const me = staffOf(ctx);
  const { rows, total } = await repo.itemsOfWorker(deps.db, me.scopePath, me.userId, status, paging.limit, paging.offset);
  const schemas = await currentSchemas(deps, rows);
  const dispatches = await dispatchesOfItems(
    deps.db,
    rows.map((r) => r.id),
  );
  const tasks = await repo.tasksDoneBy(
    deps.db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => ({
      ...presentItemSummary(r, schemas.get(r.type_code)),
      clientId: r.client_id,
      data: r.data,
      note: r.note,
      photoIds: r.photo_ids,
      dispatches: dispatches.get(r.id) ?? [],
      tasksDone: tasks.filter((t) => t.done_item_id === r.id).map((t) => t.id),
      returnedAt: r.returned_at ? iso(r.returned_at) : null,
    })),
    total,
  };
}
