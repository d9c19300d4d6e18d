import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import type { ServiceCategory } from '../../db/schema.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { recordAudit } from '../../platform/audit/service.js';
import { notFound, validationError, type FieldError } from '../../platform/errors/index.js';
import { servicesRepository as repo, type ServiceRow, type ServiceValues } from './repository.js';
import { optText, SERVICE_CATEGORY_NAMES } from './rules.js';

const NOT_FOUND_SERVICE = '办事事项不存在或不在您的辖区内';

/** `Service` of docs/api-portal.md. */
export function presentService(s: ServiceRow) {
  return {
    id: s.id,
    officeId: s.office_id,
    officeName: s.office_name,
    category: s.category,
    categoryName: SERVICE_CATEGORY_NAMES[s.category],
    name: s.name,
    description: s.description,
    requiredDocs: s.required_docs ?? [],
    fullyOnline: s.fully_online,
    slotMinutes: s.slot_minutes,
    capacity: s.capacity,
    daysAhead: s.days_ahead,
    status: s.status,
  };
}

export interface ServiceInput {
  officeId?: string;
  category?: ServiceCategory;
  name?: string;
  description?: string | null;
  requiredDocs?: string[];
  fullyOnline?: boolean;
  slotMinutes?: number;
  capacity?: number;
  daysAhead?: number;
  status?: 'active' | 'inactive';
}

function check(input: ServiceInput): Partial<ServiceValues> {
  const errors: FieldError[] = [];
  const set: Partial<ServiceValues> = {};
  if (input.category !== undefined) set.category = input.category;
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name.length < 2) errors.push({ field: 'name', message: '事项名称至少 2 个字' });
    set.name = name;
  }
  if (input.description !== undefined) set.description = optText(input.description) ?? null;
  if (input.requiredDocs !== undefined) {
    const docs = input.requiredDocs.map((d) => d.trim());
    docs.forEach((d, i) => {
      if (!d) errors.push({ field: `requiredDocs.${i}`, message: '材料名称不能为空' });
    });
    if (new Set(docs).size !== docs.length) errors.push({ field: 'requiredDocs', message: '所需材料有重复' });
    set.required_docs = docs;
  }
  if (input.fullyOnline !== undefined) set.fully_online = input.fullyOnline;
  if (input.slotMinutes !== undefined) {
    if (input.slotMinutes < 10 || input.slotMinutes > 240) errors.push({ field: 'slotMinutes', message: '每个时段 10–240 分钟' });
    set.slot_minutes = input.slotMinutes;
  }
  if (input.capacity !== undefined) {
    if (input.capacity < 1 || input.capacity > 100) errors.push({ field: 'capacity', message: '每个时段可约 1–100 人' });
    set.capacity = input.capacity;
  }
  if (input.daysAhead !== undefined) {
    if (input.daysAhead < 1 || input.daysAhead > 60) errors.push({ field: 'daysAhead', message: '可提前 1–60 天预约' });
    set.days_ahead = input.daysAhead;
  }
  if (input.status !== undefined) set.status = input.status;
  if (errors.length) throw validationError(errors);
  return set;
}

/** Services of the offices in scope; `officeId` narrows to one office (outside the scope: 404). */
export async function listServices(deps: Deps, ctx: RequestContext, f: { officeId?: string }) {
  const me = staffOf(ctx);
  if (f.officeId && !(await repo.officeInScope(deps.db, me.scopePath, f.officeId))) throw notFound('警务室不存在或不在您的辖区内');
  return (await repo.servicesInScope(deps.db, me.scopePath, f.officeId)).map(presentService);
}

export async function createService(deps: Deps, ctx: RequestContext, input: ServiceInput & { officeId: string; category: ServiceCategory; name: string }) {
  const me = staffOf(ctx);
  const office = await repo.officeInScope(deps.db, me.scopePath, input.officeId);
  let set: Partial<ServiceValues> = {};
  const errors: FieldError[] = office ? [] : [{ field: 'officeId', message: '警务室不存在或不在您的辖区内' }];
  try {
    set = check(input);
  } catch (e) {
    errors.push(...((e as { errors?: FieldError[] }).errors ?? []));
  }
  if (errors.length) throw validationError(errors);
  const id = uuidv7();
  const values: ServiceValues = {
    office_id: office!.id,
    category: input.category,
    name: set.name!,
    description: set.description ?? null,
    required_docs: set.required_docs ?? [],
    fully_online: set.fully_online ?? false,
    slot_minutes: set.slot_minutes ?? 30,
    capacity: set.capacity ?? 2,
    days_ahead: set.days_ahead ?? 7,
    status: set.status ?? 'active',
  };
  await deps.db.transaction().execute(async (trx) => {
    await repo.insertService(trx, id, values);
    await recordAudit(trx, ctx, { action: 'service.create', subjectType: 'appointment_service', subjectIds: [id], subjectUnitId: office!.org_unit_id, detail: { officeId: office!.id, name: values.name } });
  });
  return presentService((await repo.service(deps.db, id))!);
}

export async function updateService(deps: Deps, ctx: RequestContext, id: string, input: ServiceInput) {
  const me = staffOf(ctx);
  const current = await repo.serviceInScope(deps.db, me.scopePath, id);
  if (!current) throw notFound(NOT_FOUND_SERVICE);
  const set = check(input);
  await deps.db.transaction().execute(async (trx) => {
    await repo.updateService(trx, id, set);
    await recordAudit(trx, ctx, { action: 'service.update', subjectType: 'appointment_service', subjectIds: [id], subjectUnitId: current.org_unit_id, detail: { fields: Object.keys(input) } });
  });
  return presentService((await repo.service(deps.db, id))!);
}
