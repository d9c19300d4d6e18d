import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Progress, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { EditOutlined, PauseCircleOutlined, PlayCircleOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../../shared/components/useNotifyError';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { OrgUnitSelect } from '../../../components/OrgUnitSelect';
import { useGenerate, useSaveTemplate, useTemplates } from '../../../data/field-tasks';
import type { TaskTemplate } from '../../../data/field-tasks';
import { TemplateDrawer } from './TemplateDrawer';

/** 任务模板: the recurring quantified tasks of the jurisdiction, this period's counts, generation on demand. */
export default function TemplatesPage() {
  const { t, tx } = useI18n();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const navigate = useNavigate();
  const canManage = can('task.manage');
  const [unitId, setUnitId] = useState<string | undefined>();
  const [editing, setEditing] = useState<{ template?: TaskTemplate } | null>(null);
  const templates = useTemplates(unitId);
  const generate = useGenerate();
  const save = useSaveTemplate();
  const [busy, setBusy] = useState<string | null>(null);

  const runNow = (tpl: TaskTemplate) => {
    setBusy(tpl.id);
    generate.mutate(
      { id: tpl.id },
      {
        onSuccess: (r) => {
          const parts = [t('fieldTasks.generated', { period: r.period, created: r.created, existing: r.existing })];
          if (r.unassigned) parts.push(t('fieldTasks.generated.unassigned', { n: r.unassigned }));
          if (r.workers) parts.push(t('fieldTasks.generated.workers', { n: r.workers }));
          if (r.cancelled) parts.push(t('fieldTasks.generated.cancelled', { n: r.cancelled }));
          message.success(parts.join(t('fieldTasks.sep')), 6);
        },
        onError: (err) => notifyError(err),
        onSettled: () => setBusy(null),
      },
    );
  };

  const toggle = (tpl: TaskTemplate) => {
    setBusy(tpl.id);
    const status = tpl.status === 'active' ? 'paused' : 'active';
    save.mutate(
      {
        id: tpl.id,
        body: { orgUnitId: tpl.orgUnitId, name: tpl.name, itemTypeCode: tpl.itemTypeCode, targetKind: tpl.targetKind, recurrence: tpl.recurrence, status, ...(tpl.targetKind === 'patrol_point' ? { pointIds: tpl.pointIds } : {}) },
      },
      {
        onSuccess: () => message.success(status === 'paused' ? t('fieldTasks.paused', { name: tpl.name }) : t('fieldTasks.resumed', { name: tpl.name })),
        onError: (err) => notifyError(err),
        onSettled: () => setBusy(null),
      },
    );
  };

  const rows = templates.data ?? [];

  return (
    <PageContainer
      subtitle={t('fieldTasks.subtitle')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="template-create">
            {t('fieldTasks.create')}
          </Button>
        ) : null
      }
    >
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Typography.Text>{t('fieldTasks.filter.unit')}</Typography.Text>
          <div style={{ width: 320, maxWidth: '100%' }}>
            <OrgUnitSelect value={unitId} onChange={setUnitId} placeholder={me?.orgUnit?.name ?? t('fieldTasks.filter.unit.all')} />
          </div>
          <Typography.Text type="secondary">{t('fieldTasks.filter.hint')}</Typography.Text>
        </Flex>
        {templates.isError ? <ProblemAlert error={templates.error} style={{ marginBottom: 16 }} /> : null}
        <Table<TaskTemplate>
          rowKey="id"
          size="middle"
          loading={templates.isFetching}
          dataSource={rows}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (total) => t('common.total', { total }) }}
          scroll={{ x: 1070 }}
          locale={{
            emptyText: (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldTasks.empty')}>
                {canManage ? (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})}>
                    {t('fieldTasks.create')}
                  </Button>
                ) : null}
              </Empty>
            ),
          }}
          columns={[
            {
              key: 'name',
              title: t('fieldTasks.col.name'),
              width: 220,
              fixed: 'left',
              render: (_, r) => (
                <div>
                  <Typography.Text strong>{r.name}</Typography.Text>
                  <Flex gap={4} wrap style={{ marginTop: 4 }}>
                    <Tag variant="filled" style={{ marginInlineEnd: 0 }}>
                      {r.itemTypeName}
                    </Tag>
                    {r.status !== 'active' ? (
                      <Tag color="default" style={{ marginInlineEnd: 0 }}>
                        {t('fieldTasks.status.paused')}
                      </Tag>
                    ) : null}
                    {!r.editable ? (
                      <Tooltip title={t('fieldTasks.inherited.hint')}>
                        <Tag variant="outlined" color="blue" style={{ marginInlineEnd: 0 }}>
                          {t('fieldTasks.inherited')}
                        </Tag>
                      </Tooltip>
                    ) : null}
                  </Flex>
                </div>
              ),
            },
            {
              key: 'unit',
              title: t('fieldTasks.col.unit'),
              width: 160,
              render: (_, r) => (
                <div>
                  {r.orgUnitName}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {tx(`org.kind.${r.orgUnitKind}`, r.orgUnitKind)}
                    </Typography.Text>
                  </div>
                </div>
              ),
            },
            {
              key: 'target',
              title: t('fieldTasks.col.target'),
              width: 150,
              render: (_, r) => (
                <Tooltip title={tx(`fieldTasks.target.${r.targetKind}.desc`, r.targetKindName)}>
                  <span>{tx(`fieldTasks.target.${r.targetKind}`, r.targetKindName)}</span>
                  {r.targetKind === 'patrol_point' ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {' '}
                      {t('fieldTasks.points', { n: r.pointIds.length })}
                    </Typography.Text>
                  ) : null}
                </Tooltip>
              ),
            },
            {
              key: 'recurrence',
              title: t('fieldTasks.col.recurrence'),
              width: 110,
              render: (_, r) => (
                <div>
                  {tx(`fieldTasks.recurrence.${r.recurrence}`, r.recurrenceName)}
                  <div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('fieldTasks.col.period')} {r.currentPeriod}
                    </Typography.Text>
                  </div>
                </div>
              ),
            },
            {
              key: 'counts',
              title: t('fieldTasks.col.counts'),
              width: 210,
              render: (_, r) =>
                r.counts.total ? (
                  <a onClick={() => navigate(`/field/progress?period=${encodeURIComponent(r.currentPeriod)}`)} data-testid="template-counts">
                    <Progress percent={Math.round((r.counts.done / r.counts.total) * 100)} size="small" format={() => `${r.counts.done}/${r.counts.total}`} />
                    <Space size={8} style={{ fontSize: 12 }}>
                      {r.counts.overdue ? <Typography.Text type="danger">{t('fieldTasks.counts.overdue', { n: r.counts.overdue })}</Typography.Text> : null}
                      {r.counts.unassigned ? <Typography.Text type="warning">{t('fieldTasks.counts.unassigned', { n: r.counts.unassigned })}</Typography.Text> : null}
                    </Space>
                  </a>
                ) : (
                  <Typography.Text type="secondary">{t('fieldTasks.counts.none')}</Typography.Text>
                ),
            },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 220,
                    fixed: 'right' as const,
                    render: (_: unknown, r: TaskTemplate) =>
                      r.editable ? (
                        <Space size={0}>
                          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing({ template: r })}>
                            {t('common.edit')}
                          </Button>
                          <Button size="small" type="link" icon={r.status === 'active' ? <PauseCircleOutlined /> : <PlayCircleOutlined />} loading={busy === r.id && save.isPending} onClick={() => toggle(r)}>
                            {t(r.status === 'active' ? 'fieldTasks.pause' : 'fieldTasks.resume')}
                          </Button>
                          <Button
                            size="small"
                            type="link"
                            icon={<ThunderboltOutlined />}
                            disabled={r.status !== 'active'}
                            loading={busy === r.id && generate.isPending}
                            onClick={() => runNow(r)}
                            data-testid="template-generate"
                          >
                            {t('fieldTasks.generate')}
                          </Button>
                        </Space>
                      ) : (
                        <Typography.Text type="secondary">{t('fieldTasks.inherited.readonly')}</Typography.Text>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {editing ? <TemplateDrawer template={editing.template} defaultUnitId={unitId ?? me?.orgUnit?.id} onClose={() => setEditing(null)} /> : null}
    </PageContainer>
  );
}
