import { useMemo } from 'react';
import { App, Button, DatePicker, Form, Input, Radio, Select, Space, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import type { OrgTreeNode } from '../../../shared/types';
import { FormDrawer } from '../../components/FormDrawer';
import { applyProblemFields } from '../../components/formErrors';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { useDepartments, useOrgTree } from '../../data/queries';
import { LEVELS, LEVEL_COLORS, useCommandSettings, useIssueDirective, type Level } from '../../data/command';
import { useDuration } from './parts';

interface Values {
  level: Level;
  title: string;
  content: string;
  actions: string;
  deadline: Dayjs;
  orgUnitIds: Array<{ value: string } | string>;
  departmentIds: string[];
}

interface TreeNode {
  value: string;
  title: string;
  disableCheckbox?: boolean;
  selectable?: boolean;
  children?: TreeNode[];
}

/** Stations and communities are the targets; the units above them only group them, grids are left out. */
function targetTree(nodes: readonly OrgTreeNode[]): TreeNode[] {
  return nodes
    .filter((n) => n.kind !== 'grid')
    .map((n) => {
      const pick = (n.kind === 'station' || n.kind === 'community') && n.status === 'active';
      return { value: n.id, title: n.name, disableCheckbox: !pick, selectable: pick, children: n.kind === 'community' ? undefined : targetTree(n.children ?? []) };
    });
}

/** 下发指令: level, title, content, actions, deadline (with presets) and the receiving units and departments. */
export function IssueDirectiveDrawer({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const notifyError = useNotifyError();
  const dur = useDuration();
  const [form] = Form.useForm<Values>();
  const tree = useOrgTree();
  const depts = useDepartments();
  const settings = useCommandSettings();
  const issue = useIssueDirective();
  const level = Form.useWatch('level', form) ?? 'orange';
  const treeData = useMemo(() => targetTree(tree.data ?? []), [tree.data]);
  const deptOptions = useMemo(() => {
    const active = (depts.data ?? []).filter((d) => d.status === 'active');
    return [
      { label: t('cmd.issue.internal'), options: active.filter((d) => d.kind === 'internal').map((d) => ({ value: d.id, label: d.name })) },
      { label: t('cmd.issue.partner'), options: active.filter((d) => d.kind !== 'internal').map((d) => ({ value: d.id, label: d.name })) },
    ].filter((g) => g.options.length);
  }, [depts.data, t]);
  const now = dayjs();
  const presets = [
    { label: t('cmd.issue.in2h'), value: now.add(2, 'hour').startOf('minute') },
    { label: t('cmd.issue.today18'), value: now.hour(18).minute(0).second(0) },
    { label: t('cmd.issue.tomorrow12'), value: now.add(1, 'day').hour(12).minute(0).second(0) },
    { label: t('cmd.issue.in3d'), value: now.add(3, 'day').hour(18).minute(0).second(0) },
    { label: t('cmd.issue.in7d'), value: now.add(7, 'day').hour(18).minute(0).second(0) },
  ].filter((p) => p.value.isAfter(now));
  const signMinutes = settings.data?.directives.signMinutes[level as Level];
  const sms = settings.data?.directives.smsLevels.includes(level as Level);

  const submit = (v: Values) =>
    issue.mutate(
      {
        level: v.level,
        title: v.title.trim(),
        content: v.content.trim(),
        actions: v.actions.trim(),
        deadline: v.deadline.toISOString(),
        orgUnitIds: (v.orgUnitIds ?? []).map((x) => (typeof x === 'string' ? x : x.value)),
        departmentIds: v.departmentIds ?? [],
      },
      {
        onSuccess: (d) => {
          message.success(t('cmd.issue.done', { code: d.code }));
          onClose();
          void navigate(`/command/directives/${d.id}`);
        },
        onError: (err) => {
          const rest = applyProblemFields(form, err, { level: 'level', title: 'title', content: 'content', actions: 'actions', deadline: 'deadline', orgUnitIds: 'orgUnitIds', departmentIds: 'departmentIds' });
          if (rest.length || !(err as { errors?: unknown[] }).errors?.length) notifyError(err);
        },
      },
    );

  return (
    <FormDrawer title={t('cmd.issue.title')} onClose={onClose} onSubmit={() => form.submit()} saving={issue.isPending} submitText={t('cmd.issue.submit')} data-testid="issue-drawer">
      <Form<Values> form={form} layout="vertical" initialValues={{ level: 'orange', orgUnitIds: [], departmentIds: [] }} onFinish={submit} requiredMark>
        <Form.Item name="level" label={t('cmd.issue.level')} rules={[{ required: true }]} extra={signMinutes ? t(sms ? 'cmd.issue.levelHintSms' : 'cmd.issue.levelHint', { d: dur(signMinutes) }) : undefined}>
          <Radio.Group optionType="button" buttonStyle="solid" data-testid="issue-level">
            {LEVELS.map((l) => (
              <Radio.Button key={l} value={l} style={level === l ? { background: LEVEL_COLORS[l], borderColor: LEVEL_COLORS[l], color: '#fff' } : { color: LEVEL_COLORS[l] }}>
                <span style={{ display: 'inline-block', width: 10, height: 10, borderRadius: 5, background: level === l ? '#fff' : LEVEL_COLORS[l], marginInlineEnd: 6 }} />
                {t(`cmd.level.${l}` as MessageKey)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="title" label={t('cmd.issue.titleField')} rules={[{ required: true, whitespace: true, message: t('cmd.required') }]}>
          <Input maxLength={100} showCount placeholder={t('cmd.issue.titlePh')} data-testid="issue-title" />
        </Form.Item>
        <Form.Item name="content" label={t('cmd.issue.content')} rules={[{ required: true, whitespace: true, message: t('cmd.required') }]}>
          <Input.TextArea rows={4} maxLength={5000} showCount placeholder={t('cmd.issue.contentPh')} data-testid="issue-content" />
        </Form.Item>
        <Form.Item name="actions" label={t('cmd.issue.actions')} rules={[{ required: true, whitespace: true, message: t('cmd.required') }]}>
          <Input.TextArea rows={3} maxLength={3000} showCount placeholder={t('cmd.issue.actionsPh')} data-testid="issue-actions" />
        </Form.Item>
        <Form.Item label={t('cmd.issue.deadline')} required>
          <Space wrap>
            <Form.Item name="deadline" noStyle rules={[{ required: true, message: t('cmd.issue.deadlineRequired') }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isBefore(dayjs(), 'day')} style={{ width: 200 }} data-testid="issue-deadline" />
            </Form.Item>
            {presets.map((p) => (
              <Button key={p.label} size="small" onClick={() => form.setFieldsValue({ deadline: p.value })}>
                {p.label}
              </Button>
            ))}
          </Space>
        </Form.Item>
        <Form.Item name="orgUnitIds" label={t('cmd.issue.units')} extra={t('cmd.issue.unitsHint')}>
          <TreeSelect
            treeData={treeData}
            treeCheckable
            treeCheckStrictly
            showCheckedStrategy={TreeSelect.SHOW_ALL}
            treeDefaultExpandAll
            loading={tree.isLoading}
            placeholder={t('cmd.issue.unitsPh')}
            showSearch={{ treeNodeFilterProp: 'title' }}
            maxTagCount="responsive"
            style={{ width: '100%' }}
            data-testid="issue-units"
          />
        </Form.Item>
        <Form.Item name="departmentIds" label={t('cmd.issue.depts')}>
          <Select mode="multiple" options={deptOptions} loading={depts.isLoading} placeholder={t('cmd.issue.deptsPh')} showSearch={{ optionFilterProp: 'label' }} allowClear data-testid="issue-depts" />
        </Form.Item>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('cmd.issue.footnote')}
        </Typography.Paragraph>
      </Form>
    </FormDrawer>
  );
}
