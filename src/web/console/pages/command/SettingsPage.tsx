import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Empty, Form, Input, InputNumber, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { PageContainer } from '../../layout/PageContainer';
import { FormDrawer } from '../../components/FormDrawer';
import { applyProblemFields } from '../../components/formErrors';
import { useDepartments } from '../../data/queries';
import { LEVELS, LEVEL_COLORS, useCommandSettings, useSaveCommandSettings, useSaveScenario, useScenarios, type CommandSettings, type Scenario, type ScenarioInput } from '../../data/command';
import { useDuration } from './parts';

function ScenarioDrawer({ scenario, onClose }: { scenario: Scenario | null; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<ScenarioInput & { active: boolean }>();
  const depts = useDepartments();
  const save = useSaveScenario();
  const options = useMemo(
    () => (depts.data ?? []).filter((d) => d.status === 'active' || scenario?.departmentIds.includes(d.id)).map((d) => ({ value: d.id, label: `${d.name}${d.kind === 'internal' ? '' : `（${t('cmd.settings.partner')}）`}` })),
    [depts.data, scenario, t],
  );
  const submit = (v: ScenarioInput & { active: boolean }) =>
    save.mutate(
      {
        id: scenario?.id,
        input: { code: v.code.trim(), name: v.name.trim(), description: v.description?.trim() || null, departmentIds: v.departmentIds, responseMinutes: v.responseMinutes, urgent: !!v.urgent, sort: v.sort ?? 0, status: v.active ? 'active' : 'inactive' },
      },
      {
        onSuccess: () => {
          message.success(t('common.saved'));
          onClose();
        },
        onError: (err) => {
          const rest = applyProblemFields(form, err, { code: 'code', name: 'name', description: 'description', departmentIds: 'departmentIds', responseMinutes: 'responseMinutes', sort: 'sort' });
          if (rest.length || !(err as { errors?: unknown[] }).errors?.length) notifyError(err);
        },
      },
    );
  return (
    <FormDrawer title={scenario ? t('cmd.settings.editScenario') : t('cmd.settings.addScenario')} onClose={onClose} onSubmit={() => form.submit()} saving={save.isPending} width={560} data-testid="scenario-drawer">
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={
          scenario
            ? { ...scenario, active: scenario.status === 'active' }
            : { code: '', name: '', description: '', departmentIds: [], responseMinutes: 60, urgent: false, sort: 100, active: true }
        }
      >
        <Form.Item name="name" label={t('cmd.settings.scenarioName')} rules={[{ required: true, whitespace: true, message: t('cmd.required') }]}>
          <Input maxLength={50} data-testid="scenario-name" />
        </Form.Item>
        <Form.Item name="code" label={t('cmd.settings.code')} extra={t('cmd.settings.codeHint')} rules={[{ required: true, pattern: /^[a-z][a-z0-9_]{1,39}$/, message: t('cmd.settings.codeHint') }]}>
          <Input maxLength={40} className="fq-mono" disabled={!!scenario?.builtin} data-testid="scenario-code" />
        </Form.Item>
        <Form.Item name="description" label={t('cmd.settings.description')}>
          <Input.TextArea rows={2} maxLength={500} />
        </Form.Item>
        <Form.Item name="departmentIds" label={t('cmd.settings.depts')} rules={[{ required: true, type: 'array', min: 1, message: t('cmd.settings.deptsRequired') }]}>
          <Select mode="multiple" options={options} loading={depts.isLoading} showSearch={{ optionFilterProp: 'label' }} data-testid="scenario-depts" />
        </Form.Item>
        <Space size={24} wrap align="start">
          <Form.Item name="responseMinutes" label={t('cmd.settings.minutes')} rules={[{ required: true, type: 'integer', min: 5, max: 10080, message: t('cmd.settings.minutesHint') }]}>
            <InputNumber min={5} max={10080} step={5} addonAfter={t('cmd.minuteUnit')} style={{ width: 180 }} data-testid="scenario-minutes" />
          </Form.Item>
          <Form.Item name="urgent" label={t('cmd.settings.urgent')} valuePropName="checked" extra={t('cmd.settings.urgentHint')}>
            <Switch />
          </Form.Item>
          <Form.Item name="sort" label={t('cmd.settings.sort')}>
            <InputNumber min={-10000} max={10000} style={{ width: 100 }} />
          </Form.Item>
          <Form.Item name="active" label={t('common.status')} valuePropName="checked">
            <Switch checkedChildren={t('common.activate')} unCheckedChildren={t('common.deactivate')} />
          </Form.Item>
        </Space>
      </Form>
    </FormDrawer>
  );
}

function ScenariosTab() {
  const { t } = useI18n();
  const dur = useDuration();
  const q = useScenarios();
  const [editing, setEditing] = useState<Scenario | null | undefined>();
  return (
    <Card
      title={t('cmd.settings.scenarios')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="scenario-add">
          {t('cmd.settings.addScenario')}
        </Button>
      }
    >
      {q.isError ? <ProblemAlert error={q.error} /> : null}
      <Table<Scenario>
        rowKey="id"
        loading={q.isLoading}
        dataSource={q.data ?? []}
        pagination={false}
        scroll={{ x: 800 }}
        locale={{ emptyText: <Empty description={t('cmd.settings.noScenarios')} /> }}
        columns={[
          {
            key: 'name',
            title: t('cmd.settings.scenarioName'),
            render: (_, s) => (
              <div>
                <Space size={4}>
                  <b>{s.name}</b>
                  {s.builtin ? <Tag>{t('cmd.settings.builtin')}</Tag> : null}
                  {s.status === 'inactive' ? <Tag>{t('common.deactivate')}</Tag> : null}
                </Space>
                {s.description ? (
                  <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                    {s.description}
                  </Typography.Text>
                ) : null}
              </div>
            ),
          },
          { key: 'depts', title: t('cmd.settings.depts'), render: (_, s) => (s.departments.length ? s.departments.map((d) => <Tag key={d.id}>{d.name}</Tag>) : <Typography.Text type="warning">{t('cmd.raise.noDepts')}</Typography.Text>) },
          { key: 'minutes', title: t('cmd.settings.minutes'), width: 120, render: (_, s) => dur(s.responseMinutes) },
          { key: 'urgent', title: t('cmd.settings.urgent'), width: 80, render: (_, s) => (s.urgent ? <Tag color="red">{t('cmd.urgent')}</Tag> : t('common.no')) },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 90,
            render: (_, s) => (
              <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(s)} data-testid="scenario-edit">
                {t('common.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing !== undefined ? <ScenarioDrawer scenario={editing} onClose={() => setEditing(undefined)} /> : null}
    </Card>
  );
}

function SectionForm<K extends 'directives' | 'patrol'>({ section, settings, children }: { section: K; settings: CommandSettings; children: React.ReactNode }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const [form] = Form.useForm<CommandSettings[K]>();
  const save = useSaveCommandSettings();
  useEffect(() => form.setFieldsValue(settings[section] as never), [settings, section, form]);
  const fieldMap = useMemo(() => {
    const keys = section === 'directives' ? LEVELS.map((l) => `signMinutes.${l}`).concat('smsLevels') : ['basisDays', 'pointsPerShift', 'pointsPerHour', 'absencePenalty'];
    return Object.fromEntries(keys.map((k) => [`${section}.${k}`, k.includes('.') ? k.split('.') : k]));
  }, [section]);
  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={settings[section]}
      onFinish={(v) =>
        save.mutate({ [section]: v } as Partial<CommandSettings>, {
          onSuccess: () => message.success(t('common.saved')),
          onError: (err) => {
            const rest = applyProblemFields(form, err, fieldMap);
            if (rest.length || !(err as { errors?: unknown[] }).errors?.length) notifyError(err);
          },
        })
      }
    >
      {children}
      <Button type="primary" htmlType="submit" loading={save.isPending} data-testid={`save-${section}`}>
        {t('common.save')}
      </Button>
    </Form>
  );
}

/** 情指行设置: whistle scenarios, directive sign-off minutes per level and SMS levels, patrol points. */
export default function SettingsPage() {
  const { t } = useI18n();
  const s = useCommandSettings();
  const minutes = (name: (string | number)[], label: React.ReactNode) => (
    <Form.Item name={name} label={label} rules={[{ required: true, type: 'integer', min: 1, max: 10080, message: t('cmd.settings.signHint') }]}>
      <InputNumber min={1} max={10080} addonAfter={t('cmd.minuteUnit')} style={{ width: 180 }} />
    </Form.Item>
  );
  const int = (name: string, label: string, min: number, max: number, unit?: string) => (
    <Form.Item name={name} label={label} rules={[{ required: true, type: 'integer', min, max, message: t('cmd.settings.range', { min, max }) }]}>
      <InputNumber min={min} max={max} addonAfter={unit} style={{ width: 180 }} />
    </Form.Item>
  );
  return (
    <PageContainer subtitle={t('cmd.settings.subtitle')}>
      {s.isError ? <ProblemAlert error={s.error} /> : null}
      <Tabs
        items={[
          { key: 'scenarios', label: t('cmd.settings.scenarios'), children: <ScenariosTab /> },
          {
            key: 'directives',
            label: t('cmd.settings.directives'),
            children: s.data ? (
              <Card>
                <SectionForm section="directives" settings={s.data}>
                  <Typography.Paragraph type="secondary">{t('cmd.settings.directivesHint')}</Typography.Paragraph>
                  <Space size={24} wrap align="start">
                    {LEVELS.map((l) =>
                      minutes(['signMinutes', l], <span style={{ color: LEVEL_COLORS[l], fontWeight: 600 }}>{t('cmd.settings.signOf', { level: t(`cmd.level.${l}` as MessageKey) })}</span>),
                    )}
                  </Space>
                  <Form.Item name="smsLevels" label={t('cmd.settings.smsLevels')} extra={t('cmd.settings.smsHint')}>
                    <Checkbox.Group options={LEVELS.map((l) => ({ value: l, label: t(`cmd.level.${l}` as MessageKey) }))} />
                  </Form.Item>
                </SectionForm>
              </Card>
            ) : null,
          },
          {
            key: 'patrol',
            label: t('cmd.settings.patrol'),
            children: s.data ? (
              <Card>
                <SectionForm section="patrol" settings={s.data}>
                  <Space size={24} wrap align="start">
                    {int('basisDays', t('cmd.settings.basisDays'), 7, 365, t('cmd.dayUnit'))}
                    {int('pointsPerShift', t('cmd.settings.pointsPerShift'), 0, 100)}
                    {int('pointsPerHour', t('cmd.settings.pointsPerHour'), 0, 100)}
                    {int('absencePenalty', t('cmd.settings.absencePenalty'), 0, 100)}
                  </Space>
                </SectionForm>
              </Card>
            ) : null,
          },
        ]}
      />
    </PageContainer>
  );
}
