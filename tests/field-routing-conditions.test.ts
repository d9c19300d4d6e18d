import { describe, expect, it } from 'vitest';
import { checkConditions, conditionHolds, conditionsHold, describeConditions, OPS_BY_TYPE, pickOwners, type RuleForMatch } from '../src/server/modules/field/routing/conditions.js';
import type { RoutingCondition } from '../src/server/db/schema.js';
import type { FormSchema } from '../src/shared/forms.js';

const schema: FormSchema = {
  fields: [
    { key: 'title', label: '标题', type: 'text' },
    { key: 'memo', label: '说明', type: 'textarea' },
    { key: 'count', label: '人数', type: 'number' },
    { key: 'day', label: '日期', type: 'date' },
    { key: 'level', label: '等级', type: 'select', options: ['一般', '较大', '重大'] },
    { key: 'tags', label: '特征', type: 'multiselect', options: ['高层', '地下室'] },
    { key: 'urgent', label: '紧急', type: 'boolean' },
    { key: 'phone', label: '电话', type: 'phone' },
    { key: 'idno', label: '身份号码', type: 'idnumber' },
  ],
};

const holds = (op: RoutingCondition['op'], field: string, value: unknown, data: Record<string, unknown>) => conditionHolds({ field, op, value }, data);

describe('routing conditions: evaluation', () => {
  it('eq / neq on text, numbers, selects and booleans', () => {
    expect(holds('eq', 'title', '火情', { title: ' 火情 ' })).toBe(true);
    expect(holds('eq', 'title', '火情', { title: '水情' })).toBe(false);
    expect(holds('eq', 'count', 3, { count: 3 })).toBe(true);
    expect(holds('eq', 'count', 3, { count: '3' })).toBe(true);
    expect(holds('eq', 'count', 3, { count: 4 })).toBe(false);
    expect(holds('eq', 'urgent', true, { urgent: true })).toBe(true);
    expect(holds('eq', 'urgent', true, { urgent: false })).toBe(false);
    expect(holds('eq', 'level', '重大', {})).toBe(false);
    expect(holds('neq', 'level', '重大', { level: '一般' })).toBe(true);
    expect(holds('neq', 'level', '重大', { level: '重大' })).toBe(false);
    expect(holds('neq', 'level', '重大', {})).toBe(true); // a missing value differs from every value
  });

  it('in: one of a list', () => {
    expect(holds('in', 'level', ['较大', '重大'], { level: '重大' })).toBe(true);
    expect(holds('in', 'level', ['较大', '重大'], { level: '一般' })).toBe(false);
    expect(holds('in', 'count', [1, 2], { count: 2 })).toBe(true);
    expect(holds('in', 'level', ['较大'], {})).toBe(false);
  });

  it('gte / lte on numbers and dates, never on missing or non-numeric values', () => {
    expect(holds('gte', 'count', 10, { count: 10 })).toBe(true);
    expect(holds('gte', 'count', 10, { count: 9.5 })).toBe(false);
    expect(holds('lte', 'count', 10, { count: -1 })).toBe(true);
    expect(holds('gte', 'count', 10, { count: 'abc' })).toBe(false);
    expect(holds('gte', 'count', 10, {})).toBe(false);
    expect(holds('lte', 'count', 10, {})).toBe(false);
    expect(holds('gte', 'day', '2026-01-01', { day: '2026-03-05' })).toBe(true);
    expect(holds('lte', 'day', '2026-01-01', { day: '2026-03-05' })).toBe(false);
    expect(holds('lte', 'day', '2026-03-05', { day: '2026-03-05' })).toBe(true);
  });

  it('contains: text substring, multiselect membership', () => {
    expect(holds('contains', 'memo', '电动车', { memo: '楼道里停放电动车充电' })).toBe(true);
    expect(holds('contains', 'memo', '煤气', { memo: '楼道里停放电动车充电' })).toBe(false);
    expect(holds('contains', 'tags', '高层', { tags: ['地下室', '高层'] })).toBe(true);
    expect(holds('contains', 'tags', '高层', { tags: ['地下室'] })).toBe(false);
    expect(holds('contains', 'tags', '高层', {})).toBe(false);
  });

  it('truthy / falsy: filled in or not (false and [] count as not)', () => {
    expect(holds('truthy', 'urgent', undefined, { urgent: true })).toBe(true);
    expect(holds('truthy', 'urgent', undefined, { urgent: false })).toBe(false);
    expect(holds('falsy', 'urgent', undefined, {})).toBe(true);
    expect(holds('truthy', 'tags', undefined, { tags: [] })).toBe(false);
    expect(holds('truthy', 'count', undefined, { count: 0 })).toBe(true);
    expect(holds('falsy', 'title', undefined, { title: '' })).toBe(true);
  });

  it('every condition must hold; none means always', () => {
    const cs: RoutingCondition[] = [
      { field: 'level', op: 'eq', value: '重大' },
      { field: 'count', op: 'gte', value: 5 },
    ];
    expect(conditionsHold(cs, { level: '重大', count: 6 })).toBe(true);
    expect(conditionsHold(cs, { level: '重大', count: 2 })).toBe(false);
    expect(conditionsHold([], {})).toBe(true);
  });

  it('reads conditions in Chinese', () => {
    expect(describeConditions(schema, [{ field: 'level', op: 'in', value: ['较大', '重大'] }, { field: 'urgent', op: 'truthy' }])).toBe('等级属于其中之一较大、重大，且紧急是 / 已填写');
    expect(describeConditions(schema, [])).toBe('全部');
  });
});

describe('routing conditions: checking against the form', () => {
  it('accepts conditions that fit and cleans them', () => {
    const { errors, clean } = checkConditions(schema, [
      { field: 'level', op: 'in', value: ['重大', '重大', '较大'] },
      { field: 'count', op: 'gte', value: 3 },
      { field: 'day', op: 'lte', value: '2026-12-31' },
      { field: 'memo', op: 'contains', value: ' 电动车 ' },
      { field: 'tags', op: 'contains', value: '高层' },
      { field: 'urgent', op: 'truthy', value: 'ignored' },
      { field: 'urgent', op: 'eq', value: false },
    ]);
    expect(errors).toEqual([]);
    expect(clean).toEqual([
      { field: 'level', op: 'in', value: ['重大', '较大'] },
      { field: 'count', op: 'gte', value: 3 },
      { field: 'day', op: 'lte', value: '2026-12-31' },
      { field: 'memo', op: 'contains', value: '电动车' },
      { field: 'tags', op: 'contains', value: '高层' },
      { field: 'urgent', op: 'truthy' },
      { field: 'urgent', op: 'eq', value: false },
    ]);
  });

  it('names the offending condition part', () => {
    // (more than the 10 a rule may hold, so the list itself is flagged too)
    const { errors } = checkConditions(schema, [
      { field: 'nope', op: 'eq', value: 1 },
      { field: 'level', op: 'gte', value: '重大' },
      { field: 'title', op: 'gte', value: 'a' },
      { field: 'tags', op: 'eq', value: '高层' },
      { field: 'level', op: 'in', value: '重大' },
      { field: 'level', op: 'eq', value: '特大' },
      { field: 'count', op: 'lte', value: '3' },
      { field: 'day', op: 'gte', value: '2026-02-30' },
      { field: 'idno', op: 'eq', value: '370000' },
      { field: 'count', op: 'eq' },
      { field: 'urgent', op: 'eq', value: 'yes' },
      { field: 'level', op: 'in', value: [] },
    ]);
    expect(errors.map((e) => e.field)).toEqual([
      'conditions',
      'conditions.0.field',
      'conditions.1.op',
      'conditions.2.op',
      'conditions.3.op',
      'conditions.4.value',
      'conditions.5.value',
      'conditions.6.value',
      'conditions.7.value',
      'conditions.8.op',
      'conditions.9.value',
      'conditions.10.value',
      'conditions.11.value',
    ]);
    expect(errors[2].message).toContain('等级');
    expect(errors[2].message).toContain('不能用');
  });

  it('numbers and dates compare, texts and selects do not', () => {
    expect(OPS_BY_TYPE.number).toContain('gte');
    expect(OPS_BY_TYPE.date).toContain('lte');
    expect(OPS_BY_TYPE.select).not.toContain('gte');
    expect(OPS_BY_TYPE.multiselect).toEqual(['contains', 'truthy', 'falsy']);
  });

  it('at most 10 conditions', () => {
    const many = Array.from({ length: 11 }, () => ({ field: 'urgent', op: 'truthy' as const }));
    expect(checkConditions(schema, many).errors[0].field).toBe('conditions');
  });
});

describe('choosing owners', () => {
  const rule = (id: string, o: Partial<RuleForMatch>): RuleForMatch => ({
    id,
    target_kind: 'department',
    department_id: 'd1',
    department_status: 'active',
    department_path: '/city/branch/',
    conditions: [],
    ...o,
  });

  it('one per owner in the given (priority) order, conditions applied', () => {
    const rules = [
      rule('a', { conditions: [{ field: 'level', op: 'eq', value: '重大' }] }),
      rule('b', {}),
      rule('c', { department_id: 'd2' }),
      rule('d', { target_kind: 'officer', department_id: null, department_status: null, department_path: null }),
      rule('e', { target_kind: 'officer', department_id: null, department_status: null, department_path: null }),
    ];
    expect(pickOwners(rules, { level: '重大' }).map((r) => r.id)).toEqual(['a', 'c', 'd']);
    expect(pickOwners(rules, { level: '一般' }).map((r) => r.id)).toEqual(['b', 'c', 'd']);
  });

  it('skips inactive departments and departments outside the item’s jurisdiction', () => {
    const rules = [rule('a', { department_status: 'inactive' }), rule('b', { department_id: 'd2', department_path: '/city/other/' }), rule('c', { department_id: 'd3' })];
    expect(pickOwners(rules, {}, '/city/branch/station/grid/').map((r) => r.id)).toEqual(['c']);
    expect(pickOwners(rules, {}).map((r) => r.id)).toEqual(['b', 'c']); // a dry run has no place
  });
});
