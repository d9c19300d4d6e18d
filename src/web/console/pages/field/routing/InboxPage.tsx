import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Badge, Button, Card, Empty, Flex, Switch, Table, Tabs, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { BOXES, useInbox, useInboxCount } from '../../../data/field-routing';
import type { DispatchSummary, InboxTab } from '../../../data/field-routing';
import { addressTail, DispatchStatusTag, DueTag, EscalationTag, OwnerTag } from './labels';

const PAGE_SIZE = 20;

const COUNTED: readonly InboxTab[] = ['pending', 'accepted', 'oversight'];

function TabLabel({ tab }: { tab: InboxTab }) {
  const { t } = useI18n();
  const count = useInboxCount(tab, COUNTED.includes(tab));
  const show = COUNTED.includes(tab) && (count.data ?? 0) > 0;
  return (
    <span data-testid={`inbox-tab-${tab}`}>
      {t(`fieldRouting.tab.${tab}`)}
      {show ? <Badge count={count.data} overflowCount={999} color={tab === 'pending' ? '#fa8c16' : tab === 'oversight' ? '#f5222d' : '#1677ff'} size="small" style={{ marginInlineStart: 6 }} /> : null}
    </span>
  );
}

/** 分派事项: the inbox of the caller's department (or, for officers, of their communities), by tab. */
export default function InboxPage() {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // 督办 is for department staff (their department may be a rule's escalation department); 辖区全部 needs field.read
  const tabs = BOXES.filter((b) => (b === 'oversight' ? !!me?.department : b === 'all' ? can('field.read') : true));
  const raw = params.get('tab');
  const tab: InboxTab = (tabs as readonly string[]).includes(raw ?? '') ? (raw as InboxTab) : 'pending';
  const overdue = params.get('overdue') === '1';
  const page = Number(params.get('page') ?? '1') || 1;
  const list = useInbox({ tab, overdue: tab === 'pending' && overdue, page, pageSize: PAGE_SIZE });
  // the time left ticks on without refetching
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const go = (next: { tab?: InboxTab; overdue?: boolean; page?: number }) => {
    const p = new URLSearchParams();
    const nt = next.tab ?? tab;
    if (nt !== 'pending') p.set('tab', nt);
    if (nt === 'pending' && (next.overdue ?? overdue)) p.set('overdue', '1');
    if (next.page && next.page > 1) p.set('page', String(next.page));
    setParams(p);
  };

  const open = (r: DispatchSummary) => navigate(`/field/inbox/${r.id}`);

  return (
    <PageContainer
      subtitle={t('fieldRouting.inbox.subtitle')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isPending}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(k) => go({ tab: k as InboxTab, page: 1 })}
          items={tabs.map((b) => ({ key: b, label: <TabLabel tab={b} /> }))}
          tabBarExtraContent={
            tab === 'pending' ? (
              <Flex gap={8} align="center">
                <Switch size="small" checked={overdue} onChange={(v) => go({ overdue: v, page: 1 })} data-testid="inbox-overdue" />
                <Typography.Text>{t('fieldRouting.inbox.onlyOverdue')}</Typography.Text>
              </Flex>
            ) : null
          }
        />
        {tab === 'oversight' || tab === 'all' ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
            {t(tab === 'oversight' ? 'fieldRouting.inbox.oversightHint' : 'fieldRouting.inbox.allHint')}
          </Typography.Paragraph>
        ) : null}
        {list.isError ? (
          <ProblemAlert error={list.error} />
        ) : (
          <Table<DispatchSummary>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1080 }}
            onRow={(r) => ({ onClick: () => open(r), style: { cursor: 'pointer' } })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(overdue && tab === 'pending' ? 'fieldRouting.inbox.emptyOverdue' : `fieldRouting.inbox.empty.${tab}`)} /> }}
            columns={[
              {
                key: 'type',
                title: t('fieldRouting.item'),
                width: 170,
                fixed: 'left',
                render: (_, r) => (
                  <Flex vertical gap={2}>
                    <Link to={`/field/inbox/${r.id}`} onClick={(e) => e.stopPropagation()} style={{ fontWeight: 500 }}>
                      {r.item.typeName}
                    </Link>
                    {r.ruleName ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: r.ruleName }}>
                        {r.ruleName}
                      </Typography.Text>
                    ) : null}
                  </Flex>
                ),
              },
              {
                key: 'where',
                title: t('fieldRouting.where'),
                render: (_, r) => (
                  <Flex vertical gap={2} style={{ minWidth: 200 }}>
                    {r.item.address ? (
                      <Tooltip title={r.item.address}>
                        <span style={{ wordBreak: 'break-all' }}>{addressTail(r.item.address)}</span>
                      </Tooltip>
                    ) : (
                      <Typography.Text type="secondary">{t('fieldRouting.noAddress')}</Typography.Text>
                    )}
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {r.orgUnitName}
                    </Typography.Text>
                  </Flex>
                ),
              },
              ...(tab === 'oversight' || tab === 'all'
                ? [{ key: 'owner', title: t('fieldRouting.owner'), width: 150, render: (_: unknown, r: DispatchSummary) => <OwnerTag kind={r.targetKind} name={r.ownerName} /> }]
                : []),
              { key: 'worker', title: t('fieldRouting.worker'), width: 100, render: (_, r) => r.item.workerName ?? t('common.none') },
              { key: 'createdAt', title: t('fieldRouting.routedAt'), width: 150, render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(r.createdAt, DATE_TIME_SHORT)}</span> },
              {
                key: 'state',
                title: t('common.status'),
                width: 230,
                render: (_, r) => (
                  <Flex gap={6} wrap>
                    <DispatchStatusTag status={r.status} />
                    <DueTag dueAt={r.acceptDueAt} status={r.status} now={now} />
                    <EscalationTag level={r.escalationLevel} to={r.escalateToName} />
                  </Flex>
                ),
              },
              {
                key: 'handled',
                title: tab === 'closed' ? t('fieldRouting.closedAt') : tab === 'accepted' ? t('fieldRouting.acceptedAt') : '',
                width: tab === 'closed' || tab === 'accepted' ? 150 : 0,
                render: (_, r) =>
                  tab === 'closed' ? formatTime(r.closedAt, DATE_TIME_SHORT) : tab === 'accepted' ? formatTime(r.acceptedAt, DATE_TIME_SHORT) : null,
                hidden: tab !== 'closed' && tab !== 'accepted',
              },
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
      </Card>
    </PageContainer>
  );
}
