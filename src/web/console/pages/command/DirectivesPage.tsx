import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Card, Col, Empty, Flex, Progress, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useMe } from '../../auth/AuthProvider';
import { LEVELS, LEVEL_COLORS, useDirectiveStats, useDirectives, type DirectiveSummary, type Period } from '../../data/command';
import { IssueDirectiveDrawer } from './IssueDirectiveDrawer';
import { DirectiveStatusTag, LevelTag, PeriodPicker, fmt, pctText } from './parts';

/** The headline cards of a period: 反馈率 first and largest. */
function Headline({ period }: { period: Period }) {
  const { t } = useI18n();
  const stats = useDirectiveStats(period);
  const h = stats.data?.headline;
  if (stats.isError) return <ProblemAlert error={stats.error} />;
  const card = (children: React.ReactNode, span: number) => (
    <Col xs={24} sm={12} lg={span}>
      <Card size="small" loading={stats.isLoading} style={{ height: '100%' }}>
        {children}
      </Card>
    </Col>
  );
  return (
    <Row gutter={[16, 16]}>
      {card(
        <div>
          <Flex align="baseline" gap={16} wrap>
            <Statistic
              title={t('cmd.rate.feedback')}
              value={h?.feedbackRate ?? '—'}
              suffix={h && h.feedbackRate !== null ? '%' : undefined}
              styles={{ content: { fontSize: 40, fontWeight: 700, color: '#1f4e9c', whiteSpace: 'nowrap' } }}
              data-testid="headline-feedback"
            />
            <Typography.Text type="secondary">{h ? t('cmd.rate.feedbackOf', { reported: h.reported, targets: h.targets, directives: h.directives }) : null}</Typography.Text>
          </Flex>
          <Progress percent={h?.feedbackRate ?? 0} showInfo={false} strokeColor="#1f4e9c" />
        </div>,
        9,
      )}
      {card(<Statistic title={t('cmd.rate.sign')} value={pctText(h?.signRate ?? null)} />, 5)}
      {card(<Statistic title={t('cmd.rate.onTime')} value={pctText(h?.onTimeRate ?? null)} />, 5)}
      {card(<Statistic title={t('cmd.rate.overdueUnits')} value={h?.overdueUnits ?? 0} styles={{ content: { color: h?.overdueUnits ? '#cf1322' : undefined } }} />, 5)}
    </Row>
  );
}

/** 四色预警指令: the figures of a period, the directives issued in scope, and 下发指令. */
export default function DirectivesPage() {
  const { t } = useI18n();
  const me = useMe();
  const [period, setPeriod] = useState<Period>(() => ({ from: dayjs().subtract(29, 'day').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') }));
  const [status, setStatus] = useState<string | undefined>();
  const [level, setLevel] = useState<string | undefined>();
  const [page, setPage] = useState({ page: 1, pageSize: 20 });
  const [issuing, setIssuing] = useState(false);
  const list = useDirectives({ status, level, from: period.from, to: period.to, ...page });
  const oversee = me.permissions.includes('command.oversee');

  return (
    <PageContainer
      subtitle={t('cmd.directives.subtitle')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isPending}>
            {t('common.refresh')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setIssuing(true)} data-testid="issue-open">
            {t('cmd.issue.open')}
          </Button>
        </Space>
      }
    >
      <Flex vertical gap={16}>
        <Flex gap={12} wrap align="center">
          <PeriodPicker
            value={period}
            onChange={(p) => {
              setPeriod(p);
              setPage((x) => ({ ...x, page: 1 }));
            }}
          />
          <Select
            allowClear
            placeholder={t('cmd.filter.level')}
            value={level}
            onChange={(v) => {
              setLevel(v);
              setPage((x) => ({ ...x, page: 1 }));
            }}
            options={LEVELS.map((l) => ({ value: l, label: <Tag color={LEVEL_COLORS[l]}>{t(`cmd.level.${l}` as MessageKey)}</Tag> }))}
            style={{ width: 150 }}
            data-testid="filter-level"
          />
          <Select
            allowClear
            placeholder={t('cmd.filter.status')}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage((x) => ({ ...x, page: 1 }));
            }}
            options={['active', 'closed', 'withdrawn'].map((s) => ({ value: s, label: t(`cmd.directive.${s}` as MessageKey) }))}
            style={{ width: 150 }}
          />
        </Flex>
        {oversee ? <Headline period={period} /> : null}
        {list.isError ? <ProblemAlert error={list.error} /> : null}
        <Card>
          <Table<DirectiveSummary>
            rowKey="id"
            loading={list.isLoading}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1000 }}
            locale={{ emptyText: <Empty description={t('cmd.directives.empty')} /> }}
            pagination={{
              current: page.page,
              pageSize: page.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (total) => t('common.total', { total }),
              onChange: (p, s) => setPage({ page: s !== page.pageSize ? 1 : p, pageSize: s }),
            }}
            columns={[
              { key: 'level', title: t('cmd.col.level'), width: 80, render: (_, d) => <LevelTag level={d.level} compact /> },
              {
                key: 'title',
                title: t('cmd.col.title'),
                render: (_, d) => (
                  <div>
                    <Link to={`/command/directives/${d.id}`} data-testid="directive-link">
                      {d.title}
                    </Link>
                    <Typography.Text type="secondary" className="fq-mono" style={{ display: 'block', fontSize: 12 }}>
                      {d.code} · {d.issuer.name}
                    </Typography.Text>
                  </div>
                ),
              },
              { key: 'issued', title: t('cmd.col.issued'), width: 150, render: (_, d) => fmt(d.issuedAt) },
              {
                key: 'deadline',
                title: t('cmd.col.deadline'),
                width: 150,
                render: (_, d) => <span style={{ color: d.status === 'active' && Date.parse(d.deadline) < Date.now() && d.reported < d.targets ? '#cf1322' : undefined }}>{fmt(d.deadline)}</span>,
              },
              {
                key: 'progress',
                title: t('cmd.col.progress'),
                width: 230,
                render: (_, d) => (
                  <div data-testid="directive-progress">
                    <Typography.Text>{t('cmd.progress', { signed: d.signed, reported: d.reported, targets: d.targets })}</Typography.Text>
                    <Progress percent={d.feedbackRate ?? 0} size="small" showInfo={false} strokeColor={d.feedbackRate === 100 ? '#389e0d' : '#1f4e9c'} />
                  </div>
                ),
              },
              {
                key: 'status',
                title: t('common.status'),
                width: 140,
                render: (_, d) => (
                  <Space size={4} wrap>
                    <DirectiveStatusTag status={d.status} />
                    {d.overdueTargets ? <Tag color="error">{t('cmd.overdueN', { n: d.overdueTargets })}</Tag> : null}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      </Flex>
      {issuing ? <IssueDirectiveDrawer onClose={() => setIssuing(false)} /> : null}
    </PageContainer>
  );
}
