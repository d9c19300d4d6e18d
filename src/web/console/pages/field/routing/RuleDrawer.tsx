// The rule editor: item type, a condition builder over the type's form, the owner, accept hours, escalation.
import { useEffect, useMemo } from 'react';
import { Alert, Button, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select, Switch, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { applyProblemFields, type FieldPath } from '../../../components/formErrors';
import { useDepartments } from '../../../data/queries';
import { NO_VALUE_OPS, OPS_BY_TYPE, useSaveRule } from '../../../data/field-routing';
import type { ItemTypeRef, RoutingCondition, RoutingOp, Rule, RuleInput } from '../../../data/field-routing';
import type { FormField } from '../../../../../shared/forms';

interface ConditionRow {
  field?: string;
  op?: RoutingOp;
  value?: unknown;
}

interface Values {
  name: string;
  itemTypeCode?: string;
  conditions: ConditionRow[];
  targetKind: 'department' | 'officer';
  departmentId?: string;
  acceptHours: number;
  escalateToDepartmentId?: string;
  priority: number;
  active: boolean;
}

/** Grouped item-type options for a Select (by category, active types first). */
export function itemTypeOptions(types: ItemTypeRef[] | undefined, withInactive = true) {
  const groups = new Map<string, { label: string; options: Array<{ value: string; label: string }> }>();
  for (const it of types ?? []) {
    if (!withInactive && it.status !== 'active') continue;
    const g = groups.get(it.categoryCode) ?? { label: it.categoryName, options: [] };
    g.options.push({ value: it.code, label: it.name });
    groups.set(it.categoryCode, g);
  }
  return [...groups.values()];
}

/** The value input of one condition, by the field's type and the operator. */
function ValueInput({ field, op, value, onChange }: { field?: FormField; op?: RoutingOp; value?: unknown; onChange?: (v: unknown) => void }) {
  const { t } = useI18n();
  if (!field || !op || NO_VALUE_OPS.includes(op)) return <Input disabled placeholder={t('fieldRouting.rule.noValue')} />;
  const options = (field.options ?? []).map((o) => ({ value: o, label: o }));
  if (op === 'in') {
    if (field.type === 'select') return <Select mode="multiple" value={value as string[] | undefined} onChange={onChange} options={options} placeholder={t('fieldRouting.rule.pickValues')} />;
    return (
      <Select
        mode="tags"
        value={(value as unknown[] | undefined)?.map(String)}
        onChange={(v: string[]) => onChange?.(field.type === 'number' ? v.map(Number).filter((n) => Number.isFinite(n)) : v)}
        tokenSeparators={[',', '，', '、']}
        open={false}
        placeholder={t('fieldRouting.rule.typeValues')}
      />
    );
  }
  switch (field.type) {
    case 'select':
    case 'multiselect':
      return <Select value={value as string | undefined} onChange={onChange} options={options} placeholder={t('fieldRouting.rule.pickValue')} />;
    case 'number':
      return <InputNumber value={value as number | undefined} onChange={(v) => onChange?.(v ?? undefined)} style={{ width: '100%' }} placeholder={t('fieldRouting.rule.number')} />;
    case 'date':
      return <DatePicker value={typeof value === 'string' ? dayjs(value) : undefined} onChange={(d: Dayjs | null) => onChange?.(d ? d.format('YYYY-MM-DD') : undefined)} style={{ width: '100%' }} />;
    case 'boolean':
      return (
        <Select
          value={value as boolean | undefined}
          onChange={onChange}
          options={[
            { value: true, label: t('common.yes') },
            { value: false, label: t('common.no') },
          ]}
        />
      );
    default:
      return <Input value={value as string | undefined} onChange={(e) => onChange?.(e.target.value)} maxLength={200} placeholder={t('fieldRouting.rule.text')} />;
  }
}

export function RuleDrawer({ rule, types, onClose }: { rule: Rule | null; types: ItemTypeRef[] | undefined; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<Values>();
  const save = useSaveRule();
  const departments = useDepartments();
  const typeCode = Form.useWatch('itemTypeCode', form);
  const targetKind = Form.useWatch('targetKind', form);
  const conditions = Form.useWatch('conditions', form) as ConditionRow[] | undefined;
  const type = types?.find((x) => x.code === typeCode);
  const fields = useMemo(() => type?.formSchema.fields ?? [], [type]);
  const deptOptions = (departments.data ?? []).filter((d) => d.status === 'active').map((d) => ({ value: d.id, label: d.name }));

  useEffect(() => {
    form.setFieldsValue(
      rule
        ? {
            name: rule.name,
            itemTypeCode: rule.itemTypeCode,
            conditions: rule.conditions.map((c) => ({ ...c })),
            targetKind: rule.targetKind,
            departmentId: rule.departmentId ?? undefined,
            acceptHours: rule.acceptHours,
            escalateToDepartmentId: rule.escalateToDepartmentId ?? undefined,
            priority: rule.priority,
            active: rule.status === 'active',
          }
        : { name: '', conditions: [], targetKind: 'department', acceptHours: 24, priority: 100, active: true },
    );
  }, [rule, form]);

  const submit = (v: Values) => {
    const body: RuleInput = {
      name: v.name.trim(),
      itemTypeCode: v.itemTypeCode ?? '',
      conditions: (v.conditions ?? []).map((c) => {
        const out: RoutingCondition = { field: c.field ?? '', op: c.op ?? 'eq' };
        if (c.op && !NO_VALUE_OPS.includes(c.op) && c.value !== undefined && c.value !== '') out.value = c.value;
        return out;
      }),
      targetKind: v.targetKind,
      departmentId: v.targetKind === 'department' ? (v.departmentId ?? null) : null,
      acceptHours: v.acceptHours,
      escalateToDepartmentId: v.escalateToDepartmentId ?? null,
      priority: v.priority,
      ...(rule ? { status: v.active ? 'active' : 'inactive' } : {}),
    };
    save.mutate(
      { id: rule?.id, body },
      {
        onSuccess: onClose,
        onError: (err) => {
          const map: Record<string, FieldPath> = { name: 'name', itemTypeCode: 'itemTypeCode', departmentId: 'departmentId', escalateToDepartmentId: 'escalateToDepartmentId', acceptHours: 'acceptHours', priority: 'priority', conditions: 'conditions' };
          (v.conditions ?? []).forEach((_, i) => {
            for (const p of ['field', 'op', 'value']) map[`conditions.${i}.${p}`] = ['conditions', i, p];
          });
          applyProblemFields(form, err, map);
        },
      },
    );
  };

  const problemLabels: Record<string, string> = {
    name: t('fieldRouting.rule.name'),
    itemTypeCode: t('fieldRouting.rule.itemType'),
    conditions: t('fieldRouting.rule.conditions'),
    departmentId: t('fieldRouting.rule.department'),
    escalateToDepartmentId: t('fieldRouting.rule.escalateTo'),
    acceptHours: t('fieldRouting.rule.acceptHours'),
    priority: t('fieldRouting.rule.priority'),
  };
  for (let i = 0; i < 10; i++) {
    problemLabels[`conditions.${i}.field`] = t('fieldRouting.rule.conditionPart', { n: i + 1, part: t('fieldRouting.rule.field') });
    problemLabels[`conditions.${i}.op`] = t('fieldRouting.rule.conditionPart', { n: i + 1, part: t('fieldRouting.rule.op') });
    problemLabels[`conditions.${i}.value`] = t('fieldRouting.rule.conditionPart', { n: i + 1, part: t('fieldRouting.rule.value') });
  }

  const fieldOf = (i: number) => fields.find((f) => f.key === conditions?.[i]?.field);

  return (
    <FormDrawer title={rule ? t('fieldRouting.rule.edit') : t('fieldRouting.rule.create')} onSubmit={() => form.submit()} onClose={onClose} saving={save.isPending} width={760} data-testid="rule-drawer">
      {save.isError ? <ProblemAlert error={save.error} style={{ marginBottom: 16 }} fieldLabels={problemLabels} /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t('fieldRouting.rule.name')} rules={[{ required: true, whitespace: true, min: 2, message: t('fieldRouting.rule.nameRequired') }]}>
          <Input maxLength={60} placeholder={t('fieldRouting.rule.namePlaceholder')} data-testid="rule-name" />
        </Form.Item>
        <Form.Item name="itemTypeCode" label={t('fieldRouting.rule.itemType')} rules={[{ required: true, message: t('fieldRouting.rule.itemTypeRequired') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={itemTypeOptions(types)}
            placeholder={t('fieldRouting.rule.itemTypePlaceholder')}
            onChange={() => form.setFieldValue('conditions', [])}
            data-testid="rule-type"
          />
        </Form.Item>

        <Typography.Title level={5} style={{ marginTop: 4 }}>
          {t('fieldRouting.rule.conditions')}
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          {t('fieldRouting.rule.conditionsHint')}
        </Typography.Paragraph>
        <Form.List name="conditions">
          {(rows, { add, remove }, { errors }) => (
            <>
              {rows.map((row, i) => {
                const f = fieldOf(i);
                const ops = f ? OPS_BY_TYPE[f.type] : [];
                return (
                  <Row key={row.key} gutter={8} align="top" data-testid={`condition-${i}`}>
                    <Col span={8}>
                      <Form.Item name={[row.name, 'field']} rules={[{ required: true, message: t('fieldRouting.rule.fieldRequired') }]}>
                        <Select
                          options={fields.map((x) => ({ value: x.key, label: x.label }))}
                          placeholder={t('fieldRouting.rule.field')}
                          disabled={!type}
                          onChange={() => {
                            form.setFieldValue(['conditions', row.name, 'op'], undefined);
                            form.setFieldValue(['conditions', row.name, 'value'], undefined);
                          }}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[row.name, 'op']} rules={[{ required: true, message: t('fieldRouting.rule.opRequired') }]}>
                        <Select
                          options={ops.map((o) => ({ value: o, label: t(`fieldRouting.op.${o}`) }))}
                          placeholder={t('fieldRouting.rule.op')}
                          disabled={!f}
                          onChange={() => form.setFieldValue(['conditions', row.name, 'value'], undefined)}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item name={[row.name, 'value']}>
                        <ValueInput field={f} op={conditions?.[i]?.op} />
                      </Form.Item>
                    </Col>
                    <Col span={2}>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(row.name)} aria-label={t('fieldRouting.rule.removeCondition')} />
                    </Col>
                  </Row>
                );
              })}
              <Form.ErrorList errors={errors} />
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} disabled={!type || rows.length >= 10} block style={{ marginBottom: 16 }} data-testid="condition-add">
                {t('fieldRouting.rule.addCondition')}
              </Button>
              {type && fields.length === 0 ? <Alert type="info" showIcon title={t('fieldRouting.rule.noFields')} style={{ marginBottom: 16 }} /> : null}
            </>
          )}
        </Form.List>

        <Typography.Title level={5}>{t('fieldRouting.rule.target')}</Typography.Title>
        <Form.Item name="targetKind">
          <Radio.Group
            optionType="button"
            buttonStyle="solid"
            options={[
              { value: 'department', label: t('fieldRouting.rule.targetDepartment') },
              { value: 'officer', label: t('fieldRouting.officer') },
            ]}
            data-testid="rule-target"
          />
        </Form.Item>
        {targetKind === 'department' ? (
          <Form.Item name="departmentId" label={t('fieldRouting.rule.department')} rules={[{ required: true, message: t('fieldRouting.rule.departmentRequired') }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={deptOptions} loading={departments.isLoading} placeholder={t('fieldRouting.rule.departmentPlaceholder')} data-testid="rule-department" />
          </Form.Item>
        ) : (
          <Typography.Paragraph type="secondary">{t('fieldRouting.rule.officerHint')}</Typography.Paragraph>
        )}
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item name="acceptHours" label={t('fieldRouting.rule.acceptHours')} rules={[{ required: true, message: t('fieldRouting.rule.acceptHoursRange') }]} tooltip={t('fieldRouting.rule.acceptHoursHint')}>
              <InputNumber min={1} max={720} precision={0} style={{ width: '100%' }} suffix={t('fieldRouting.hoursUnit')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="escalateToDepartmentId" label={t('fieldRouting.rule.escalateTo')} tooltip={t('fieldRouting.rule.escalateHint')}>
              <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={deptOptions} placeholder={t('fieldRouting.rule.escalateNone')} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={6}>
            <Form.Item name="priority" label={t('fieldRouting.rule.priority')} tooltip={t('fieldRouting.rule.priorityHint')}>
              <InputNumber min={0} max={9999} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {rule ? (
          <Form.Item name="active" label={t('common.status')} valuePropName="checked">
            <Switch checkedChildren={t('fieldRouting.rule.active')} unCheckedChildren={t('fieldRouting.rule.inactive')} />
          </Form.Item>
        ) : null}
      </Form>
    </FormDrawer>
  );
}
