import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../src/server/deps.js';
import type { FormSchema } from '../../src/shared/forms.js';
import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { createUnit as createOrgUnit } from '../../src/server/modules/org/service.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { routeItem } from '../../src/server/modules/field/routing/route-item.js';
import { createRule } from '../../src/server/modules/field/routing/rules.js';
import type { ModuleSpecs } from './types.js';

// ---- fixtures shared with tests/field-routing*.test.ts and tests/field-dispatch*.test.ts ------------------------------

/**
 * Item types of the routing tests, under their own codes (rt_…) so they never depend on the built-in catalogue: a
 * fire hazard with a severity, an elderly person living alone, a dispute, a clue for the officer.
 */
export const RT_TYPES: Record<string, { category: string; name: string; schema: FormSchema }> = {
  rt_fire: {
    category: 'safety',
    name: '测试消防隐患',
    schema: {
      fields: [
        { key: 'hazardKind', label: '隐患类型', type: 'select', options: ['电动车违规充电', '堵塞消防通道', '私拉乱接电线', '其他'], required: true },
        { key: 'severity', label: '严重程度', type: 'select', options: ['一般', '较大', '重大'] },
        { key: 'peopleAtRisk', label: '涉及人数', type: 'number', min: 0 },
        { key: 'foundOn', label: '发现日期', type: 'date' },
        { key: 'urgent', label: '需立即处置', type: 'boolean' },
        { key: 'tags', label: '场所特征', type: 'multiselect', options: ['高层', '地下室', '人员密集'] },
        { key: 'description', label: '情况描述', type: 'textarea' },
        { key: 'contactName', label: '联系人', type: 'text' },
        { key: 'ownerId', label: '责任人身份号码', type: 'idnumber' },
      ],
    },
  },
  rt_elderly: {
    category: 'service',
    name: '测试独居老人',
    schema: { fields: [{ key: 'age', label: '年龄', type: 'number' }, { key: 'needs', label: '需求', type: 'multiselect', options: ['生活照料', '医疗', '心理慰藉'] }] },
  },
  rt_dispute: { category: 'dispute', name: '测试矛盾纠纷', schema: { fields: [{ key: 'kind', label: '纠纷类型', type: 'select', options: ['邻里', '婚姻家庭', '物业'] }] } },
  rt_clue: { category: 'security', name: '测试治安线索', schema: { fields: [{ key: 'description', label: '线索描述', type: 'textarea' }] } },
};

const CATEGORY_NAMES: Record<string, string> = { safety: '安全隐患', service: '社区服务', dispute: '矛盾调解', security: '治安防范' };

/** Inserts the rt_… item types (and their categories) when missing. */
export async function ensureRoutingTestTypes(deps: Deps) {
  for (const [code, name] of Object.entries(CATEGORY_NAMES)) {
    await deps.db.insertInto('field_categories').values({ code, name, created_at: new Date(), updated_at: new Date() }).onConflict((oc) => oc.doNothing()).execute();
  }
  for (const [code, t] of Object.entries(RT_TYPES)) {
    await deps.db
      .insertInto('field_item_types')
      .values({ id: uuidv7(), code, category_code: t.category, name: t.name, form_schema: JSON.stringify(t.schema), created_at: new Date(), updated_at: new Date() })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export interface TestItem {
  workerId: string;
  typeCode: string;
  orgUnitId: string;
  countyCode?: string;
  addressId?: string | null;
  data?: Record<string, unknown>;
  photoIds?: string[];
  /** route it inside the insert transaction, as the collection part does (default true) */
  route?: boolean;
}

/** Inserts a collected item straight into field_items and routes it in the same transaction; returns its id and how many dispatches it got. */
export async function insertTestItem(deps: Deps, o: TestItem): Promise<{ id: string; routed: number }> {
  const id = uuidv7();
  const type = await deps.db.selectFrom('field_item_types').select(['category_code', 'version']).where('code', '=', o.typeCode).executeTakeFirstOrThrow();
  const routed = await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('field_items')
      .values({
        id,
        client_id: uuidv7(),
        worker_id: o.workerId,
        type_code: o.typeCode,
        type_version: type.version,
        category_code: type.category_code,
        org_unit_id: o.orgUnitId,
        county_code: o.countyCode ?? '371602',
        address_id: o.addressId ?? null,
        task_id: null,
        correction_of: null,
        data: JSON.stringify(o.data ?? {}),
        note: '测试上报',
        photo_ids: o.photoIds ?? [],
        lng: null,
        lat: null,
        accuracy_m: null,
        occurred_at: new Date(),
        return_reason: null,
        returned_by: null,
        returned_at: null,
      })
      .execute();
    const row = await trx.selectFrom('field_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return o.route === false ? 0 : routeItem(trx, row);
  });
  return { id, routed };
}

export async function userIdOf(deps: Deps, username: string): Promise<string> {
  return (await deps.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
}

export async function departmentIdOf(deps: Deps, name: string): Promise<string> {
  return (await deps.db.selectFrom('departments').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

export async function dispatchOf(deps: Deps, itemId: string, departmentId: string | null) {
  let q = deps.db.selectFrom('dispatches').selectAll().where('item_id', '=', itemId);
  q = departmentId ? q.where('department_id', '=', departmentId) : q.where('department_id', 'is', null);
  return q.executeTakeFirstOrThrow();
}

// ---- the matrix ---------------------------------------------------------------------------------------------------

const sys = () => systemContext(Object.keys(PERMISSIONS));

/** Per actor: dispatches it owns (one to walk accept → note → close, one to reject) and rules it may edit. */
const own = new Map<string, { dispatchId: string; rejectId: string }>();
const fxr: Record<string, string> = {};
const FOREIGN_RULE = '沾化矩阵分派规则';

/**
 * Routing rules and dispatches. Officer-targeted dispatches sit in 学苑社区 (inside the officer's and the chief's
 * scope); the dept account's go to 区民政局; the mediator is put into 彭李街道司法所 (the mediation queue) so that it
 * has an inbox. The foreign records: a rule for 沾化区民政局 and dispatches of an item collected in 沾化.
 */
export const routingSpecs: ModuleSpecs = {
  async setup(fx, actors) {
    const deps = fx.t.deps;
    await ensureRoutingTestTypes(deps);
    const minzheng = await departmentIdOf(deps, '区民政局');
    const sifa = await departmentIdOf(deps, '彭李街道司法所');
    await deps.db.updateTable('users').set({ department_id: sifa }).where('username', '=', 'mediator').execute();
    const grid = (await orgRepository.byCode(deps.db, '371602005001001'))!.id;
    const worker = await userIdOf(deps, 'gridworker');

    // rules: the officer's clue rule, one per department the accounts handle
    const officerRule = await createRule(deps, sys(), { name: '矩阵线索转民警', itemTypeCode: 'rt_clue', conditions: [], targetKind: 'officer', acceptHours: 24 });
    await createRule(deps, sys(), { name: '矩阵老人转民政', itemTypeCode: 'rt_elderly', conditions: [], targetKind: 'department', departmentId: minzheng, acceptHours: 24 });
    await createRule(deps, sys(), { name: '矩阵纠纷转司法所', itemTypeCode: 'rt_dispute', conditions: [], targetKind: 'department', departmentId: sifa, acceptHours: 24 });
    const spare = await createRule(deps, sys(), { name: '矩阵待删规则', itemTypeCode: 'rt_fire', conditions: [{ field: 'severity', op: 'eq', value: '重大' }], targetKind: 'officer', acceptHours: 12, status: 'inactive' });
    fxr.ruleId = officerRule.id;
    fxr.spareRuleId = spare.id;

    const typeFor = (a: { username: string }) => (a.username === 'dept' ? 'rt_elderly' : a.username === 'mediator' ? 'rt_dispute' : 'rt_clue');
    for (const a of actors) {
      const first = await insertTestItem(deps, { workerId: worker, typeCode: typeFor(a), orgUnitId: grid, data: {} });
      const second = await insertTestItem(deps, { workerId: worker, typeCode: typeFor(a), orgUnitId: grid, data: {} });
      const [d1, d2] = await Promise.all([
        deps.db.selectFrom('dispatches').select('id').where('item_id', '=', first.id).executeTakeFirstOrThrow(),
        deps.db.selectFrom('dispatches').select('id').where('item_id', '=', second.id).executeTakeFirstOrThrow(),
      ]);
      own.set(a.username, { dispatchId: d1.id, rejectId: d2.id });
    }

    // ---- outside every demo jurisdiction: 沾化's community, its department's rule, an item routed there
    const ensure = async (parentId: string, kind: 'community' | 'grid', code: string, name: string) =>
      (await orgRepository.byCode(deps.db, code))?.id ?? (await createOrgUnit(deps, sys(), { parentId, kind, code, name })).id;
    const fCommunity = await ensure(fx.foreign.stationId, 'community', '371603001003', '沾化富国第三社区警务区');
    const fGrid = await ensure(fCommunity, 'grid', '371603001003001', '沾化富国第三社区第一网格');
    const fRule = await createRule(deps, sys(), { name: FOREIGN_RULE, itemTypeCode: 'rt_elderly', conditions: [], targetKind: 'department', departmentId: fx.foreign.deptId, acceptHours: 24 });
    const fItem = await insertTestItem(deps, { workerId: worker, typeCode: 'rt_clue', orgUnitId: fGrid, countyCode: '371603', data: { description: '沾化矩阵线索' } });
    const fElderly = await insertTestItem(deps, { workerId: worker, typeCode: 'rt_elderly', orgUnitId: fGrid, countyCode: '371603', data: {} });
    const fDispatch = await deps.db.selectFrom('dispatches').select('id').where('item_id', '=', fItem.id).executeTakeFirstOrThrow();
    const fDeptDispatch = await deps.db.selectFrom('dispatches').select('id').where('item_id', '=', fElderly.id).where('department_id', '=', fx.foreign.deptId).executeTakeFirstOrThrow();
    Object.assign(fx.foreign, { ruleId: fRule.id, dispatchId: fDispatch.id, deptDispatchId: fDeptDispatch.id });
    fx.foreignIds.push(fRule.id, fDispatch.id, fDeptDispatch.id, fItem.id, fElderly.id, fCommunity, fGrid);
    fx.foreignWords.push(FOREIGN_RULE, '沾化矩阵线索');
  },

  specs(fx) {
    const mine = (a: { username: string }) => own.get(a.username)!;
    const ruleBody = (a: { deptId: string }, extra: Record<string, unknown> = {}) => ({
      name: `矩阵规则${fx.next()}`,
      itemTypeCode: 'rt_fire',
      conditions: [{ field: 'severity', op: 'in', value: ['较大', '重大'] }],
      targetKind: 'department',
      departmentId: a.deptId,
      acceptHours: 12,
      ...extra,
    });
    // a foreign dispatch for each kind of caller: the department's for department staff, the officers' for the rest
    const foreignDispatch = (a: { username: string }) => (a.username === 'dept' || a.username === 'mediator' ? fx.foreign.deptDispatchId : fx.foreign.dispatchId);
    return {
      'GET /api/v1/routing-rules': { own: () => ({ url: '/api/v1/routing-rules' }), noLeak: true },
      'POST /api/v1/routing-rules': {
        own: (a) => ({ url: '/api/v1/routing-rules', body: ruleBody(a) }),
        foreign: { sample: (a) => ({ url: '/api/v1/routing-rules', body: ruleBody(a, { departmentId: fx.foreign.deptId }) }), expect: [400] },
      },
      'POST /api/v1/routing-rules/test': { own: () => ({ url: '/api/v1/routing-rules/test', body: { itemTypeCode: 'rt_elderly', data: { age: 82 } } }), noLeak: true },
      'PUT /api/v1/routing-rules/:id': {
        own: () => ({ url: `/api/v1/routing-rules/${fxr.ruleId}`, body: { name: '矩阵线索转民警', itemTypeCode: 'rt_clue', conditions: [], targetKind: 'officer', acceptHours: 24 } }),
        foreign: {
          sample: () => ({ url: `/api/v1/routing-rules/${fx.foreign.ruleId}`, body: { name: '越权改规则', itemTypeCode: 'rt_elderly', conditions: [], targetKind: 'officer', acceptHours: 24 } }),
          expect: [404],
        },
      },
      'DELETE /api/v1/routing-rules/:id': {
        own: () => ({ url: `/api/v1/routing-rules/${fxr.spareRuleId}` }),
        foreign: { sample: () => ({ url: `/api/v1/routing-rules/${fx.foreign.ruleId}` }), expect: [404] },
      },
      'GET /api/v1/dispatches': { own: () => ({ url: '/api/v1/dispatches?pageSize=200' }), noLeak: true },
      'GET /api/v1/dispatches/stats': {
        own: () => ({ url: '/api/v1/dispatches/stats' }),
        noLeak: true,
        foreign: { sample: () => ({ url: `/api/v1/dispatches/stats?unitId=${fx.foreign.stationId}` }), expect: [404] },
      },
      'GET /api/v1/dispatches/:id': {
        own: (a) => ({ url: `/api/v1/dispatches/${mine(a).dispatchId}` }),
        foreign: { sample: (a) => ({ url: `/api/v1/dispatches/${foreignDispatch(a)}` }), expect: [404] },
      },
      'POST /api/v1/dispatches/:id/accept': {
        own: (a) => ({ url: `/api/v1/dispatches/${mine(a).dispatchId}/accept` }),
        foreign: { sample: (a) => ({ url: `/api/v1/dispatches/${foreignDispatch(a)}/accept` }), expect: [404] },
      },
      'POST /api/v1/dispatches/:id/note': {
        own: (a) => ({ url: `/api/v1/dispatches/${mine(a).dispatchId}/note`, body: { note: '矩阵办理记录' } }),
        foreign: { sample: (a) => ({ url: `/api/v1/dispatches/${foreignDispatch(a)}/note`, body: { note: '越权记录' } }), expect: [404] },
      },
      'POST /api/v1/dispatches/:id/close': {
        own: (a) => ({ url: `/api/v1/dispatches/${mine(a).dispatchId}/close`, body: { result: 'resolved', feedback: '矩阵已办结' } }),
        foreign: { sample: (a) => ({ url: `/api/v1/dispatches/${foreignDispatch(a)}/close`, body: { result: 'resolved', feedback: '越权办结' } }), expect: [404] },
      },
      'POST /api/v1/dispatches/:id/reject': {
        own: (a) => ({ url: `/api/v1/dispatches/${mine(a).rejectId}/reject`, body: { reason: '非本部门职责' } }),
        // the officers' own dispatches cannot be rejected (409); the departments' can
        ownOk: [200, 409],
        foreign: { sample: (a) => ({ url: `/api/v1/dispatches/${foreignDispatch(a)}/reject`, body: { reason: '越权退回' } }), expect: [404] },
      },
    };
  },
};
