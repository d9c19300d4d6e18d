import { useMemo, useState } from 'react';
import { Alert, App, Button, Empty, Form, Input, List, Radio, Select, TreeSelect, Typography } from 'antd';
import { DeleteOutlined } from '@ant-design/icons';
import { isApiError } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import type { OrgTreeNode } from '../../../../shared/types';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { AddressPicker } from '../../../components/AddressPicker';
import { problemFieldPath } from '../../../components/formErrors';
import { useOrgTree } from '../../../data/queries';
import { DEFAULT_ITEM_TYPE, DEFAULT_RECURRENCE, RECURRENCES, TARGET_KINDS, useItemTypes, useSaveTemplate } from '../../../data/field-tasks';
import type { Recurrence, TargetKind, TaskTemplate, TemplateBody } from '../../../data/field-tasks';

interface Values {
  orgUnitId?: string;
  name: string;
  targetKind: TargetKind;
  itemTypeCode?: string;
  recurrence: Recurrence;
  pointIds: string[];
  status: 'active' | 'paused';
}

/** Units a template may be set on: a station, a community or a grid (it covers every grid under it). */
const TEMPLATE_KINDS = new Set(['station', 'community', 'grid']);

interface UnitNode {
  title: string;
  value: string;
  key: string;
  disabled?: boolean;
  children?: UnitNode[];
}

function unitTree(nodes: readonly OrgTreeNode[]): UnitNode[] {
  return nodes.map((n) => ({
    title: n.name,
    value: n.id,
    key: n.id,
    disabled: !TEMPLATE_KINDS.has(n.kind) || n.status !== 'active',
    children: n.children?.length ? unitTree(n.children) : undefined,
  }));
}

/** The patrol points of a template: picked by address search, listed with their standard text. */
function PointsInput({ value = [], onChange, names, onName }: { value?: string[]; onChange?: (v: string[]) => void; names: Map<string, string>; onName: (id: string, text: string) => void }) {
  const { t } = useI18n();
  return (
    <div data-testid="template-points">
      <AddressPicker
        value={null}
        placeholder={t('fieldTasks.form.points.search')}
        onChange={(id, address) => {
          if (!id || value.includes(id)) return;
          if (address) onName(id, address.fullText);
          onChange?.([...value, id]);
        }}
      />
      <List
        size="small"
        style={{ marginTop: 8 }}
        bordered
        dataSource={value}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldTasks.form.points.empty')} /> }}
        renderItem={(id, i) => (
          <List.Item
            actions={[
              <Button key="rm" size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('fieldTasks.form.points.remove')} onClick={() => onChange?.(value.filter((x) => x !== id))} />,
            ]}
          >
            <Typography.Text>
              {i + 1}. {names.get(id) ?? id}
            </Typography.Text>
          </List.Item>
        )}
      />
    </div>
  );
}

/** Create or change a task template: unit, target kind (explained), item type, recurrence, patrol points. */
export function TemplateDrawer({ template, defaultUnitId, onClose }: { template?: TaskTemplate; defaultUnitId?: string; onClose: () => void }) {
  const { t, tx } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const save = useSaveTemplate();
  const tree = useOrgTree();
  const types = useItemTypes();
  const [names, setNames] = useState(() => new Map((template?.points ?? []).map((p) => [p.id, p.fullText ?? p.id])));
  const targetKind = Form.useWatch('targetKind', form);
  const treeData = useMemo(() => unitTree(tree.data ?? []), [tree.data]);

  const initialValues: Values = template
    ? {
        orgUnitId: template.orgUnitId,
        name: template.name,
        targetKind: template.targetKind,
        itemTypeCode: template.itemTypeCode,
        recurrence: template.recurrence,
        pointIds: template.pointIds,
        status: template.status,
      }
    : { orgUnitId: defaultUnitId, name: '', targetKind: 'rental', itemTypeCode: DEFAULT_ITEM_TYPE.rental, recurrence: 'monthly', pointIds: [], status: 'active' };

  const typeOptions = (types.data ?? [])
    .filter((x) => x.status === 'active' || x.code === template?.itemTypeCode)
    .map((x) => ({ value: x.code, label: `${x.name}（${x.code}）`, categoryName: x.categoryName ?? x.categoryCode }));

  const fieldLabels: Record<string, string> = {
    orgUnitId: t('fieldTasks.form.unit'),
    name: t('fieldTasks.form.name'),
    targetKind: t('fieldTasks.form.targetKind'),
    itemTypeCode: t('fieldTasks.form.itemType'),
    recurrence: t('fieldTasks.form.recurrence'),
    pointIds: t('fieldTasks.form.points'),
    status: t('common.status'),
  };

  const placeErrors = (err: unknown) => {
    if (!isApiError(err)) return;
    const byName = new Map<string, string[]>();
    for (const e of err.errors) {
      const path = problemFieldPath(e.field);
      const name = /^pointIds\.(\d+)$/.test(path) ? 'pointIds' : path;
      if (!(name in fieldLabels)) continue;
      const idx = /^pointIds\.(\d+)$/.exec(path);
      const text = idx ? t('fieldTasks.form.points.nth', { n: Number(idx[1]) + 1, message: e.message }) : e.message;
      byName.set(name, [...(byName.get(name) ?? []), text]);
    }
    form.setFields([...byName.entries()].map(([name, errors]) => ({ name: name as keyof Values, errors })));
  };

  const submit = (v: Values) => {
    setError(null);
    const body: TemplateBody = {
      orgUnitId: v.orgUnitId ?? '',
      name: v.name.trim(),
      itemTypeCode: v.itemTypeCode ?? '',
      targetKind: v.targetKind,
      recurrence: v.recurrence,
      ...(v.targetKind === 'patrol_point' ? { pointIds: v.pointIds ?? [] } : {}),
      ...(template ? { status: v.status } : {}),
    };
    save.mutate(
      { id: template?.id, body },
      {
        onSuccess: (saved) => {
          message.success(template ? t('common.saved') : t('fieldTasks.form.created', { name: saved.name }));
          onClose();
        },
        onError: (err) => {
          setError(err);
          placeErrors(err);
        },
      },
    );
  };

  return (
    <FormDrawer
      title={template ? t('fieldTasks.form.editTitle') : t('fieldTasks.form.createTitle')}
      onSubmit={() => form.submit()}
      onClose={onClose}
      saving={save.isPending}
      width={680}
      data-testid="template-drawer"
    >
      {error ? <ProblemAlert error={error} fieldLabels={fieldLabels} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={submit}
        onValuesChange={(changed: Partial<Values>) => {
          // the usual item type of the new kind, unless one was chosen on purpose
          if (changed.targetKind) {
            const current = form.getFieldValue('itemTypeCode') as string | undefined;
            if (!current || (Object.values(DEFAULT_ITEM_TYPE) as string[]).includes(current)) form.setFieldValue('itemTypeCode', DEFAULT_ITEM_TYPE[changed.targetKind]);
            // a new template starts with the usual rhythm of its kind (patrols weekly, key units quarterly)
            if (!template) form.setFieldValue('recurrence', DEFAULT_RECURRENCE[changed.targetKind]);
          }
        }}
      >
        <Form.Item name="orgUnitId" label={fieldLabels.orgUnitId} extra={t('fieldTasks.form.unit.help')} rules={[{ required: true, message: t('fieldTasks.form.unit.required') }]}>
          <TreeSelect
            treeData={treeData}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandAll
            loading={tree.isLoading}
            placeholder={t('fieldTasks.form.unit.placeholder')}
            popupMatchSelectWidth={false}
            styles={{ popup: { root: { maxHeight: 400, minWidth: 260, overflow: 'auto' } } }}
            data-testid="template-unit"
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={fieldLabels.name}
          rules={[
            { required: true, whitespace: true, message: t('fieldTasks.form.name.required') },
            { min: 2, message: t('validation.minLength', { min: 2 }) },
            { max: 60, message: t('validation.maxLength', { max: 60 }) },
          ]}
        >
          <Input placeholder={t('fieldTasks.form.name.placeholder')} maxLength={60} showCount data-testid="template-name" />
        </Form.Item>
        <Form.Item name="targetKind" label={fieldLabels.targetKind} rules={[{ required: true }]}>
          <Radio.Group style={{ display: 'flex', flexDirection: 'column', gap: 8 }} data-testid="template-kind">
            {TARGET_KINDS.map((k) => (
              <Radio key={k} value={k}>
                <Typography.Text strong>{t(`fieldTasks.target.${k}` as 'fieldTasks.target.rental')}</Typography.Text>
                <br />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t(`fieldTasks.target.${k}.desc` as 'fieldTasks.target.rental.desc')}
                </Typography.Text>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="itemTypeCode"
          label={fieldLabels.itemTypeCode}
          extra={t('fieldTasks.form.itemType.help')}
          rules={[{ required: true, message: t('fieldTasks.form.itemType.required') }]}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={typeOptions}
            loading={types.isLoading}
            placeholder={t('fieldTasks.form.itemType.placeholder')}
            notFoundContent={types.isError ? t('common.loadFailed') : undefined}
            optionRender={(o) => (
              <span>
                {o.data.label}
                <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 6 }}>
                  {o.data.categoryName}
                </Typography.Text>
              </span>
            )}
            data-testid="template-type"
          />
        </Form.Item>
        <Form.Item name="recurrence" label={fieldLabels.recurrence} extra={t('fieldTasks.form.recurrence.help')} rules={[{ required: true }]}>
          <Radio.Group optionType="button" buttonStyle="solid" options={RECURRENCES.map((r) => ({ value: r, label: tx(`fieldTasks.recurrence.${r}`, r) }))} />
        </Form.Item>
        {targetKind === 'patrol_point' ? (
          <Form.Item
            name="pointIds"
            label={fieldLabels.pointIds}
            extra={t('fieldTasks.form.points.help')}
            rules={[{ validator: (_, v: string[] | undefined) => (v?.length ? Promise.resolve() : Promise.reject(new Error(t('fieldTasks.form.points.required')))) }]}
          >
            <PointsInput names={names} onName={(id, text) => setNames((m) => new Map(m).set(id, text))} />
          </Form.Item>
        ) : null}
        {template ? (
          <Form.Item name="status" label={fieldLabels.status}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'active', label: t('fieldTasks.status.active') },
                { value: 'paused', label: t('fieldTasks.status.paused') },
              ]}
            />
          </Form.Item>
        ) : null}
      </Form>
      <Alert type="info" showIcon title={t('fieldTasks.form.note')} />
    </FormDrawer>
  );
}
