import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../../deps.js';
import { checkFormSchema, type FormSchema } from '../../../../shared/forms.js';
import { staffOf, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { conflict, DomainError, notFound, validationError, type FieldError } from '../../../platform/errors/index.js';
import { uniqueViolation } from '../../population/service.js';
import { collectionRepository as repo, type ItemTypeRow } from './repository.js';

export const CATEGORY_CODE_RE = /^[a-z][a-z0-9_]{1,29}$/;
export const TYPE_CODE_RE = /^[a-z][a-z0-9_]{1,39}$/;

export function presentItemType(t: ItemTypeRow) {
  return {
    id: t.id,
    code: t.code,
    categoryCode: t.category_code,
    categoryName: t.category_name,
    name: t.name,
    description: t.description,
    formSchema: t.form_schema,
    needsAddress: t.needs_address,
    needsPhoto: t.needs_photo,
    needsLocation: t.needs_location,
    sort: t.sort,
    builtin: t.builtin,
    status: t.status,
    version: t.version,
    updatedAt: new Date(t.updated_at).toISOString(),
  };
}
export type ItemType = ReturnType<typeof presentItemType>;

export async function listCategories(deps: Deps, opts: { activeOnly?: boolean } = {}) {
  const rows = await repo.categories(deps.db);
  return rows.filter((c) => !opts.activeOnly || c.status === 'active').map((c) => ({ code: c.code, name: c.name, sort: c.sort, status: c.status, typeCount: Number(c.type_count) }));
}

export interface CategoryInput {
  name: string;
  sort?: number;
  status?: 'active' | 'inactive';
}

/** Creates or edits a category (a code that does not exist yet creates it). */
export async function putCategory(deps: Deps, ctx: RequestContext, code: string, input: CategoryInput) {
  const errors: FieldError[] = [];
  if (!CATEGORY_CODE_RE.test(code)) errors.push({ field: 'code', message: '类别代码须以小写字母开头，由小写字母、数字或下划线组成，2–30 个字符' });
  const name = input.name.trim();
  if (!name) errors.push({ field: 'name', message: '类别名称不能为空' });
  if (errors.length) throw validationError(errors);
  const existing = await repo.category(deps.db, code);
  await deps.db.transaction().execute(async (trx) => {
    await repo.upsertCategory(trx, { code, name, sort: input.sort, status: input.status });
    await recordAudit(trx, ctx, { action: existing ? 'field.category.update' : 'field.category.create', subjectType: 'field_category', detail: { code, name, status: input.status } });
  });
  return (await listCategories(deps)).find((c) => c.code === code)!;
}

export async function listItemTypes(deps: Deps, f: { category?: string; status?: 'active' | 'inactive' }) {
  return (await repo.itemTypes(deps.db, f)).map(presentItemType);
}

export interface ItemTypeInput {
  categoryCode: string;
  name: string;
  description?: string | null;
  formSchema: FormSchema;
  needsAddress?: boolean;
  needsPhoto?: boolean;
  needsLocation?: boolean;
  sort?: number;
}

async function checkTypeInput(deps: Deps, input: ItemTypeInput): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (!input.name.trim()) errors.push({ field: 'name', message: '事项名称不能为空' });
  if (!(await repo.category(deps.db, input.categoryCode))) errors.push({ field: 'categoryCode', message: '类别不存在' });
  errors.push(...checkFormSchema(input.formSchema));
  return errors;
}

/** Drops empty optional properties of a schema's fields, so stored forms stay tidy. */
function tidy(schema: FormSchema): FormSchema {
  return {
    fields: schema.fields.map((f) => {
      const out: Record<string, unknown> = { key: f.key, label: f.label.trim(), type: f.type };
      if (f.required) out.required = true;
      if ((f.type === 'select' || f.type === 'multiselect') && f.options) out.options = f.options.map((o) => o.trim());
      if (f.type === 'number') {
        if (f.min !== undefined && f.min !== null) out.min = f.min;
        if (f.max !== undefined && f.max !== null) out.max = f.max;
      }
      if ((f.type === 'text' || f.type === 'textarea') && f.maxLength) out.maxLength = f.maxLength;
      if (f.help?.trim()) out.help = f.help.trim();
      return out as unknown as FormSchema['fields'][number];
    }),
  };
}

export async function createItemType(deps: Deps, ctx: RequestContext, input: ItemTypeInput & { code: string }) {
  const errors = await checkTypeInput(deps, input);
  if (!TYPE_CODE_RE.test(input.code)) errors.unshift({ field: 'code', message: '事项代码须以小写字母开头，由小写字母、数字或下划线组成，2–40 个字符' });
  if (errors.length) throw validationError(errors);
  if (await repo.itemTypeByCode(deps.db, input.code)) throw conflict('该事项代码已存在', 'code');
  const id = uuidv7();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await repo.insertItemType(trx, {
        id,
        code: input.code,
        category_code: input.categoryCode,
        name: input.name.trim(),
        description: input.description?.trim() || null,
        form_schema: JSON.stringify(tidy(input.formSchema)),
        needs_address: input.needsAddress ?? false,
        needs_photo: input.needsPhoto ?? false,
        needs_location: input.needsLocation ?? false,
        sort: input.sort ?? 1000,
        builtin: false,
      });
      await recordAudit(trx, ctx, { action: 'field.type.create', subjectType: 'field_item_type', subjectIds: [id], detail: { code: input.code, name: input.name } });
    });
  } catch (e) {
    if (uniqueViolation(e) !== undefined) throw conflict('该事项代码已存在', 'code');
    throw e;
  }
  return presentItemType((await repo.itemTypeById(deps.db, id))!);
}

export async function updateItemType(deps: Deps, ctx: RequestContext, id: string, input: ItemTypeInput & { status?: 'active' | 'inactive'; version: number }) {
  const me = staffOf(ctx);
  const t = await repo.itemTypeById(deps.db, id);
  if (!t) throw notFound('事项类型不存在');
  const errors = await checkTypeInput(deps, input);
  if (errors.length) throw validationError(errors);
  const stale = () =>
    new DomainError('conflict', 409, '该事项类型已被他人修改，请刷新后再改', [{ field: 'version', message: '版本已变化' }], { reason: 'VERSION_CONFLICT', currentVersion: t.version });
  if (input.version !== t.version) throw stale();
  const schema = tidy(input.formSchema);
  const schemaChanged = JSON.stringify(schema) !== JSON.stringify(t.form_schema);
  await deps.db.transaction().execute(async (trx) => {
    // items keep the version they were collected with: the form as it was stays readable
    if (schemaChanged) await repo.saveSchemaVersion(trx, t.code, t.version, t.form_schema, me.userId);
    const ok = await repo.updateItemType(trx, id, input.version, {
      category_code: input.categoryCode,
      name: input.name.trim(),
      description: input.description === undefined ? t.description : input.description?.trim() || null,
      form_schema: JSON.stringify(schema),
      needs_address: input.needsAddress ?? t.needs_address,
      needs_photo: input.needsPhoto ?? t.needs_photo,
      needs_location: input.needsLocation ?? t.needs_location,
      sort: input.sort ?? t.sort,
      status: input.status ?? t.status,
    });
    if (!ok) throw stale();
    await recordAudit(trx, ctx, {
      action: 'field.type.update',
      subjectType: 'field_item_type',
      subjectIds: [id],
      detail: { code: t.code, version: input.version + 1, schemaChanged, status: input.status ?? t.status },
    });
  });
  return presentItemType((await repo.itemTypeById(deps.db, id))!);
}

/** The form an item was collected with: its type's current form, or the one kept for an older version. */
export async function schemaOfVersion(deps: Deps, t: { code: string; version: number; form_schema: FormSchema }, version: number): Promise<FormSchema> {
  if (version === t.version) return t.form_schema;
  return (await repo.schemaAt(deps.db, t.code, version)) ?? t.form_schema;
}
