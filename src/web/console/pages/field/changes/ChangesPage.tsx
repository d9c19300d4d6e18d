import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Empty, Flex, Input, Select, Space, Switch, Table, Tabs, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { CHANGE_KINDS, CHANGE_STATUSES, useChangeList, useGrants, useSetGrant } from '../../../data/field';
import type { ChangeKind, ChangeStatus, ChangeSummary, Grant } from '../../../data/field';
import { ChangeKindTag, ChangeStatusTag, WaitText, addressTail } from '../items/labels';

const PAGE_SIZE = 20;
type Tab = ChangeStatus | 'grants';

function ChangeTable({ status }: { status: ChangeStatus }) {
  const { t, tx } = useI18n();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const kind = (CHANGE_KINDS as readonly string[]).includes(params.get('kind') ?? '') ? (params.get('kind') as ChangeKind) : undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const list = useChangeList({ status, kind, page, pageSize: PAGE_SIZE });
  const open = status === 'pending' || status === 'conflict';
  const go = (next: { kind?: string | null; page?: number }) => {
    const p = new URLSearchParams(params);
    const k = next.kind === null ? undefined : (next.kind ?? kind);
    if (k) p.set('kind', k);
    else p.delete('kind');
    if (next.page && next.page > 1) p.set('page', String(next.page));
    else p.delete('page');
    setParams(p);
  };
  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Select
          allowClear
          value={kind}
          placeholder={t('fieldChanges.filter.kind')}
          onChange={(v?: string) => go({ kind: v ?? null, page: 1 })}
          options={CHANGE_KINDS.map((k) => ({ value: k, label: tx(`fieldChange.kind.${k}`, k) }))}
          style={{ width: 180 }}
          data-testid="changes-kind"
        />
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isPending}>
          {t('common.refresh')}
        </Button>
      </Flex>
      {list.isError ? (
        <ProblemAlert error={list.error} />
      ) : (
        <Table<ChangeSummary>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1080 }}
          onRow={(r) => ({ onClick: () => navigate(`/field/changes/${r.id}`), style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`fieldChanges.empty.${status}`)} /> }}
          columns={[
            {
              key: 'kind',
              title: t('fieldChanges.col.kind'),
              width: 130,
              fixed: 'left',
              render: (_, r) => (
                <Space orientation="vertical" size={2}>
                  <ChangeKindTag kind={r.kind} name={r.kindName} />
                  {r.direct ? (
                    <Tag icon={<ThunderboltOutlined />} color="warning" style={{ marginInlineEnd: 0 }}>
                      {t('fieldChanges.direct')}
                    </Tag>
                  ) : null}
                </Space>
              ),
            },
            {
              key: 'summary',
              title: t('fieldChanges.col.summary'),
              render: (_, r) => (
                <Link to={`/field/changes/${r.id}`} onClick={(e) => e.stopPropagation()}>
                  <Typography.Paragraph ellipsis={{ rows: 2, tooltip: r.summary }} style={{ marginBottom: 0, minWidth: 200, color: 'inherit' }}>
                    {r.summary}
                  </Typography.Paragraph>
                </Link>
              ),
            },
            {
              key: 'address',
              title: t('fieldChanges.col.address'),
              width: 250,
              render: (_, r) => (
                <Tooltip title={r.address.fullText}>
                  <span style={{ wordBreak: 'break-all' }}>{addressTail(r.address.fullText, 28)}</span>
                </Tooltip>
              ),
            },
            {
              key: 'worker',
              title: t('fieldChanges.col.worker'),
              width: 140,
              render: (_, r) => (
                <div>
                  <div>{r.worker.name}</div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.orgUnit.name}
                  </Typography.Text>
                </div>
              ),
            },
            open
              ? {
                  key: 'age',
                  title: t('fieldChanges.col.age'),
                  width: 110,
                  render: (_, r) => (
                    <Tooltip title={formatTime(r.receivedAt, DATE_TIME_SHORT)}>
                      <span>
                        <WaitText hours={r.ageHours} open />
                      </span>
                    </Tooltip>
                  ),
                }
              : {
                  key: 'reviewed',
                  title: t('fieldChanges.col.reviewed'),
                  width: 170,
                  render: (_, r) => (
                    <div>
                      <div>{r.reviewerName ?? t('common.none')}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatTime(r.reviewedAt, DATE_TIME_SHORT)}
                      </Typography.Text>
                    </div>
                  ),
                },
            { key: 'status', title: t('common.status'), width: 96, render: (_, r) => <ChangeStatusTag status={r.status} /> },
          ]}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => go({ page: p }),
            showTotal: (total) => t('common.total', { total }),
          }}
        />
      )}
    </>
  );
}

function GrantsTable() {
  const { t, tx } = useI18n();
  const { message, modal } = App.useApp();
  const grants = useGrants();
  const setGrant = useSetGrant();
  const [pendingId, setPendingId] = useState<string | null>(null);

  const toggle = (g: Grant, direct: boolean) => {
    const run = (note?: string) => {
      setPendingId(g.userId);
      setGrant.mutate(
        { userId: g.userId, direct, note },
        {
          onSuccess: () => message.success(direct ? t('fieldGrants.on', { name: g.name }) : t('fieldGrants.off', { name: g.name })),
          onError: (err) => message.error(err instanceof Error ? err.message : String(err)),
          onSettled: () => setPendingId(null),
        },
      );
    };
    if (!direct) return run();
    let note = '';
    modal.confirm({
      title: t('fieldGrants.confirmOn', { name: g.name }),
      content: (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('fieldGrants.confirmOnHelp')}</Typography.Text>
          <Input.TextArea rows={2} maxLength={200} placeholder={t('fieldGrants.noteLabel')} onChange={(e) => (note = e.target.value)} data-testid="grant-note" />
        </Space>
      ),
      okText: t('fieldGrants.confirmOk'),
      onOk: () => run(note.trim() || undefined),
    });
  };

  return (
    <>
      <Alert type="info" showIcon title={t('fieldGrants.help')} style={{ marginBottom: 16 }} />
      {grants.isError ? (
        <ProblemAlert error={grants.error} />
      ) : (
        <Table<Grant>
          rowKey="userId"
          size="middle"
          loading={grants.isFetching}
          dataSource={grants.data ?? []}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldGrants.empty')} /> }}
          columns={[
            {
              key: 'name',
              title: t('fieldGrants.col.name'),
              render: (_, g) => (
                <Space size={6}>
                  <Typography.Text strong>{g.name}</Typography.Text>
                  <Typography.Text type="secondary">{g.username}</Typography.Text>
                  {g.status !== 'active' ? <Tag>{t('fieldGrants.disabled')}</Tag> : null}
                </Space>
              ),
            },
            { key: 'unit', title: t('fieldGrants.col.unit'), render: (_, g) => g.orgUnit.name },
            {
              key: 'roles',
              title: t('fieldGrants.col.roles'),
              render: (_, g) => (
                <Space size={4} wrap>
                  {g.roles.map((r) => (
                    <Tag key={r} color="blue" style={{ marginInlineEnd: 0 }}>
                      {tx(`fieldGrants.role.${r}`, r)}
                    </Tag>
                  ))}
                </Space>
              ),
            },
            {
              key: 'direct',
              title: t('fieldGrants.col.direct'),
              width: 110,
              render: (_, g) => (
                <Switch checked={g.direct} loading={pendingId === g.userId} onChange={(v) => toggle(g, v)} aria-label={`${t('fieldGrants.col.direct')} ${g.name}`} data-testid={`grant-${g.username}`} />
              ),
            },
            {
              key: 'granted',
              title: t('fieldGrants.col.granted'),
              render: (_, g) =>
                g.direct ? (
                  <div>
                    <div>{t('fieldGrants.grantedBy', { name: g.grantedByName ?? t('common.none'), at: formatTime(g.grantedAt, DATE_TIME_SHORT) })}</div>
                    {g.note ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {g.note}
                      </Typography.Text>
                    ) : null}
                  </div>
                ) : (
                  <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
                ),
            },
          ]}
        />
      )}
    </>
  );
}

/** 信息变更审核: the queue by status (pending first, oldest first), and the direct-change grants. */
export default function ChangesPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tabs: Tab[] = [...CHANGE_STATUSES, ...(can('field.review') ? (['grants'] as const) : [])];
  const tab: Tab = (tabs as string[]).includes(raw ?? '') ? (raw as Tab) : 'pending';
  return (
    <PageContainer subtitle={t('fieldChanges.subtitle')}>
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => setParams(k === 'pending' ? new URLSearchParams() : new URLSearchParams({ tab: k }))}
          destroyOnHidden
          items={tabs.map((k) => ({
            key: k,
            label: k === 'grants' ? t('fieldChanges.tab.grants') : tx(`fieldChange.status.${k}`, k),
            children: k === 'grants' ? <GrantsTable /> : <ChangeTable status={k} />,
          }))}
          data-testid="changes-tabs"
        />
      </Card>
    </PageContainer>
  );
}
