import { useMemo, useState } from 'react';
import { App, Button, Card, Empty, Flex, Popconfirm, Segmented, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, ExperimentOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../../shared/components/useNotifyError';
import { PageContainer } from '../../../layout/PageContainer';
import { useDeleteRule, useItemTypes, useRules, useSaveRule } from '../../../data/field-routing';
import type { Rule } from '../../../data/field-routing';
import { OwnerTag } from './labels';
import { RuleDrawer, itemTypeOptions } from './RuleDrawer';
import { TestDrawer } from './TestDrawer';

type StatusFilter = 'all' | 'active' | 'inactive';

/** 分派规则: which department owns which collected items ("回到社区再分家"). */
export default function RulesPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const rules = useRules();
  const types = useItemTypes();
  const remove = useDeleteRule();
  const save = useSaveRule();
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [testing, setTesting] = useState(false);
  const [typeFilter, setTypeFilter] = useState<string>();
  const [status, setStatus] = useState<StatusFilter>('all');

  const rows = useMemo(
    () => (rules.data ?? []).filter((r) => (!typeFilter || r.itemTypeCode === typeFilter) && (status === 'all' || r.status === status)),
    [rules.data, typeFilter, status],
  );

  const toggle = (r: Rule) =>
    save.mutate(
      {
        id: r.id,
        body: {
          name: r.name,
          itemTypeCode: r.itemTypeCode,
          conditions: r.conditions,
          targetKind: r.targetKind,
          departmentId: r.departmentId,
          acceptHours: r.acceptHours,
          escalateToDepartmentId: r.escalateToDepartmentId,
          priority: r.priority,
          status: r.status === 'active' ? 'inactive' : 'active',
        },
      },
      { onSuccess: () => message.success(t('common.saved')), onError: notifyError },
    );

  return (
    <PageContainer
      subtitle={t('fieldRouting.rules.subtitle')}
      extra={
        <Space wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void rules.refetch()} loading={rules.isFetching && !rules.isPending}>
            {t('common.refresh')}
          </Button>
          <Button icon={<ExperimentOutlined />} onClick={() => setTesting(true)} data-testid="rules-test">
            {t('fieldRouting.test.open')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="rules-create">
            {t('fieldRouting.rule.create')}
          </Button>
        </Space>
      }
    >
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={typeFilter}
            onChange={(v?: string) => setTypeFilter(v)}
            options={itemTypeOptions(types.data)}
            placeholder={t('fieldRouting.rules.allTypes')}
            style={{ width: 240 }}
          />
          <Segmented<StatusFilter>
            value={status}
            onChange={setStatus}
            options={[
              { value: 'all', label: t('common.all') },
              { value: 'active', label: t('fieldRouting.rule.active') },
              { value: 'inactive', label: t('fieldRouting.rule.inactive') },
            ]}
          />
        </Flex>
        {rules.isError ? (
          <ProblemAlert error={rules.error} />
        ) : (
          <Table<Rule>
            rowKey="id"
            size="middle"
            loading={rules.isFetching}
            dataSource={rows}
            scroll={{ x: 1000 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={typeFilter || status !== 'all' ? t('fieldRouting.rules.emptyFiltered') : t('fieldRouting.rules.empty')} /> }}
            pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
            columns={[
              { key: 'type', title: t('fieldRouting.rule.itemType'), width: 124, render: (_, r) => <Tag color="cyan">{r.itemTypeName}</Tag> },
              {
                key: 'name',
                title: t('fieldRouting.rule.name'),
                render: (_, r) => (
                  <Flex vertical gap={2}>
                    <Typography.Text strong>{r.name}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('fieldRouting.rule.when', { text: r.conditionsText })}
                    </Typography.Text>
                  </Flex>
                ),
              },
              {
                key: 'target',
                title: t('fieldRouting.owner'),
                width: 190,
                render: (_, r) => (
                  <Flex vertical gap={2} align="flex-start">
                    <Space size={4} wrap>
                      <OwnerTag kind={r.targetKind} name={r.targetName} />
                      {!r.departmentActive ? <Tag color="error">{t('fieldRouting.rule.departmentInactive')}</Tag> : null}
                    </Space>
                    {r.escalateToDepartmentName ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('fieldRouting.escalation.to', { name: r.escalateToDepartmentName })}
                      </Typography.Text>
                    ) : null}
                  </Flex>
                ),
              },
              { key: 'hours', title: t('fieldRouting.rule.acceptHours'), width: 92, render: (_, r) => t('fieldRouting.hours', { h: r.acceptHours }) },
              { key: 'priority', title: t('fieldRouting.rule.priority'), width: 82, dataIndex: 'priority', sorter: (a, b) => a.priority - b.priority },
              { key: 'count', title: t('fieldRouting.rule.dispatchCount'), width: 76, dataIndex: 'dispatchCount' },
              {
                key: 'status',
                title: t('common.status'),
                width: 76,
                render: (_, r) => <Tag color={r.status === 'active' ? 'success' : 'default'}>{r.status === 'active' ? t('fieldRouting.rule.active') : t('fieldRouting.rule.inactive')}</Tag>,
              },
              {
                key: 'actions',
                title: t('common.actions'),
                width: 176,
                fixed: 'right',
                render: (_, r) => (
                  <Space size={4}>
                    <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                      {t('common.edit')}
                    </Button>
                    <Button size="small" type="link" onClick={() => toggle(r)} disabled={save.isPending}>
                      {r.status === 'active' ? t('common.deactivate') : t('common.activate')}
                    </Button>
                    {r.dispatchCount > 0 ? (
                      <Tooltip title={t('fieldRouting.rule.cannotDelete')}>
                        <Button size="small" type="link" danger icon={<DeleteOutlined />} disabled />
                      </Tooltip>
                    ) : (
                      <Popconfirm
                        title={t('fieldRouting.rule.deleteConfirm', { name: r.name })}
                        okButtonProps={{ danger: true }}
                        onConfirm={() => remove.mutateAsync(r.id).then(() => message.success(t('fieldRouting.rule.deleted')), notifyError)}
                      >
                        <Button size="small" type="link" danger icon={<DeleteOutlined />} aria-label={t('fieldRouting.rule.delete')} />
                      </Popconfirm>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      {editing ? <RuleDrawer rule={editing === 'new' ? null : editing} types={types.data} onClose={() => setEditing(null)} /> : null}
      {testing ? <TestDrawer types={types.data} onClose={() => setTesting(false)} /> : null}
    </PageContainer>
  );
}
