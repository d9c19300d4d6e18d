import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { BUILTIN_CATEGORIES, BUILTIN_TYPES, CONTRACT_CODES, ensureFieldCatalogue } from '../src/server/modules/field/collection/catalogue.js';
import { checkFormSchema } from '../src/shared/forms.js';

/** The built-in catalogue and the item-type administration (docs/api-field.md "Item types as data"). */
let t: TestApp;
let admin: string;
let officer: string;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.login('admin');
  officer = await t.login('officer');
});
afterAll(() => t.close());

const schema = (fields: unknown[]) => ({ fields });

describe('built-in catalogue', () => {
  it('has 9 categories and 56 types with valid forms, the contract codes in their categories', async () => {
    expect(BUILTIN_CATEGORIES).toHaveLength(9);
    expect(BUILTIN_TYPES).toHaveLength(56);
    expect(new Set(BUILTIN_TYPES.map((x) => x.code)).size).toBe(56);
    for (const x of BUILTIN_TYPES) expect(checkFormSchema({ fields: x.fields }), x.code).toEqual([]);
    const expected: Record<string, string> = {
      address_verify: 'info',
      rental_visit: 'info',
      floating_verify: 'info',
      key_unit_check: 'security',
      patrol_checkin: 'patrol',
      home_visit: 'service',
      fire_hazard: 'safety',
      elderly_alone: 'service',
      dispute: 'dispute',
      suspicious_person: 'watch',
      illegal_building: 'city',
      incident_clue: 'security',
    };
    for (const code of CONTRACT_CODES) expect(BUILTIN_TYPES.find((x) => x.code === code)?.category, code).toBe(expected[code]);
    // accountable by design: no form asks for ethnicity or religion
    const asked = BUILTIN_TYPES.flatMap((x) => x.fields.flatMap((f) => [f.key, f.label, ...(f.options ?? [])]));
    expect(asked.filter((w) => /民族|宗教|ethnic|religio/i.test(w))).toEqual([]);

    const res = await t.call(officer, 'GET', '/api/v1/field/categories');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toHaveLength(9);
    expect(res.json().reduce((n: number, c: { typeCount: number }) => n + c.typeCount, 0)).toBe(56);
    const types = (await t.call(officer, 'GET', '/api/v1/field/item-types?category=info')).json();
    expect(types.map((x: { code: string }) => x.code)).toContain('address_verify');
    expect(types[0]).toMatchObject({ categoryCode: 'info', categoryName: '信息采集', builtin: true, status: 'active', version: 1 });
  });

  it('never overwrites what administrators changed, and restores nothing they disabled', async () => {
    const list = (await t.call(admin, 'GET', '/api/v1/field/item-types')).json();
    const visit = list.find((x: { code: string }) => x.code === 'home_visit');
    const edited = await t.call(admin, 'PUT', `/api/v1/field/item-types/${visit.id}`, {
      categoryCode: 'service',
      name: '入户走访（改）',
      formSchema: schema([{ key: 'met', label: '见面情况', type: 'select', options: ['见到', '未见到'], required: true }]),
      status: 'inactive',
      version: visit.version,
    });
    expect(edited.statusCode).toBe(200);
    await ensureFieldCatalogue(t.deps);
    const again = (await t.call(admin, 'GET', '/api/v1/field/item-types')).json().find((x: { code: string }) => x.code === 'home_visit');
    expect(again).toMatchObject({ name: '入户走访（改）', status: 'inactive', version: visit.version + 1 });
    expect(again.formSchema.fields).toHaveLength(1);
    expect((await t.call(admin, 'GET', '/api/v1/field/item-types')).json()).toHaveLength(56);
  });
});

describe('item types administration', () => {
  const body = (code: string) => ({
    code,
    categoryCode: 'safety',
    name: '井盖巡检',
    description: '检查井盖是否缺失',
    formSchema: schema([
      { key: 'count', label: '检查数量', type: 'number', min: 1, max: 100, required: true },
      { key: 'result', label: '结果', type: 'select', options: ['正常', '缺失'] },
    ]),
    needsLocation: true,
  });

  it('creates a type (201), refuses a duplicate code (409) and bad codes (400)', async () => {
    const res = await t.call(admin, 'POST', '/api/v1/field/item-types', body('manhole_check'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'manhole_check', categoryName: '安全隐患', needsLocation: true, needsPhoto: false, builtin: false, version: 1 });
    expect((await t.call(admin, 'POST', '/api/v1/field/item-types', body('manhole_check'))).statusCode).toBe(409);
    const bad = await t.call(admin, 'POST', '/api/v1/field/item-types', body('Manhole-1'));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toContain('code');
    const audit = await t.deps.db.selectFrom('audit_log').select('action').where('action', '=', 'field.type.create').execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('validates the form schema with field paths', async () => {
    const res = await t.call(admin, 'POST', '/api/v1/field/item-types', {
      ...body('bad_form'),
      categoryCode: 'nope',
      formSchema: schema([
        { key: '1bad', label: '坏', type: 'text' },
        { key: 'pick', label: '选择', type: 'select' },
        { key: 'pick', label: '重复', type: 'number', min: 5, max: 1 },
      ]),
    });
    expect(res.statusCode).toBe(400);
    const fields = res.json().errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['categoryCode', 'formSchema.fields.0.key', 'formSchema.fields.1.options', 'formSchema.fields.2.key', 'formSchema.fields.2.max']));
    expect(res.json().errors[0].message).toMatch(/[\u4e00-\u9fa5]/);
    const wrongType = await t.call(admin, 'POST', '/api/v1/field/item-types', { ...body('bad_type'), formSchema: schema([{ key: 'x', label: 'x', type: 'color' }]) });
    expect(wrongType.statusCode).toBe(400);
  });

  it('edits with the current version only (409 VERSION_CONFLICT otherwise) and bumps it', async () => {
    const created = (await t.call(admin, 'POST', '/api/v1/field/item-types', body('versioned_check'))).json();
    const edit = (version: number, name: string) =>
      t.call(admin, 'PUT', `/api/v1/field/item-types/${created.id}`, { categoryCode: 'safety', name, formSchema: created.formSchema, version });
    const ok = await edit(1, '井盖巡检（一）');
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(2);
    const stale = await edit(1, '井盖巡检（二）');
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'conflict', reason: 'VERSION_CONFLICT', currentVersion: 2 });
    // two concurrent edits of the same version: one wins
    const both = await Promise.all([edit(2, '甲'), edit(2, '乙')]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await t.call(admin, 'PUT', `/api/v1/field/item-types/01900000-0000-7000-8000-000000000000`, { categoryCode: 'safety', name: 'x', formSchema: schema([]), version: 1 })).statusCode).toBe(404);
  });

  it('lets only field.configure change types and categories', async () => {
    expect((await t.call(officer, 'POST', '/api/v1/field/item-types', body('officer_try'))).statusCode).toBe(403);
    expect((await t.call(officer, 'PUT', '/api/v1/field/categories/info', { name: '改名' })).statusCode).toBe(403);
  });

  it('creates and edits categories; inactive ones leave the pack', async () => {
    const c = await t.call(admin, 'PUT', '/api/v1/field/categories/epidemic', { name: '卫生防疫', sort: 95 });
    expect(c.statusCode).toBe(200);
    expect(c.json()).toMatchObject({ code: 'epidemic', name: '卫生防疫', sort: 95, status: 'active', typeCount: 0 });
    const off = await t.call(admin, 'PUT', '/api/v1/field/categories/epidemic', { name: '卫生防疫', status: 'inactive' });
    expect(off.json()).toMatchObject({ status: 'inactive', sort: 95 });
    const bad = await t.call(admin, 'PUT', '/api/v1/field/categories/X', { name: '坏' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toBe('code');
  });
});
