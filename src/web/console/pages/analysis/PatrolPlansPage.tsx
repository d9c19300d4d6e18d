import { useMemo, useState } from 'react';
import { App, Button, Card, Col, DatePicker, Descriptions, Empty, Flex, List, Row, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined, ThunderboltOutlined, VideoCameraOutlined, TeamOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import type { MessageKey } from '../../../shared/i18n/core';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { PATROL_MODES, useGeneratePlan, usePlan, usePlans, type Plan, type PlanItem, type PlanSummary } from '../../data/analysis';
import { bjTime, bjToday, CoverageBar, ModeTag, mondayOf, addDays } from './common';

const MODE_ICON = { video: <VideoCameraOutlined />, patrol: <ThunderboltOutlined />, volunteer: <TeamOutlined /> };

function ItemCard({ item }: { item: PlanItem }) {
  const { t } = useI18n();
  return (
    <List.Item style={{ display: 'block' }} data-testid={`plan-item-${item.mode}`}>
      <Flex justify="space-between" align="start" gap={8}>
        <Space size={6} align="start">
          <Tag color={item.rank <= 2 ? 'red' : 'default'}>{item.rank}</Tag>
          <div>
            <Typography.Text strong>{item.label}</Typography.Text>
            <Typography.Text style={{ display: 'block' }}>{item.hoursText}</Typography.Text>
          </div>
        </Space>
        <CoverageBar coverage={item.coverage} width={120} />
      </Flex>
      <Typography.Paragraph type="secondary" style={{ margin: '6px 0 4px', fontSize: 13 }}>
        {item.reason}
      </Typography.Paragraph>
      <Space size={4} wrap>
        <Tag>{t('patrol.incidents', { n: item.incidents })}</Tag>
        {item.mode === 'video' ? <Tag color="geekblue">{t('patrol.cameras', { n: item.cameraCount })}</Tag> : null}
        {item.mode === 'volunteer' ? <Tag color={item.team ? 'green' : 'default'}>{item.team ? item.team.name : t('patrol.noTeam')}</Tag> : null}
      </Space>
    </List.Item>
  );
}

function PlanView({ plan }: { plan: Plan }) {
  const { t } = useI18n();
  return (
    <Flex vertical gap={16}>
      <Card size="small">
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 4 }}
          items={[
            { key: 'unit', label: t('patrol.unit'), children: plan.unit.name },
            { key: 'week', label: t('patrol.week'), children: `${plan.weekStart} ~ ${plan.weekEnd}` },
            { key: 'basis', label: t('patrol.basis'), children: `${plan.basisFrom} ~ ${plan.basisTo}` },
            { key: 'gen', label: t('patrol.generatedAt'), children: `${bjTime(plan.generatedAt)}${plan.generatedBy ? ` · ${plan.generatedBy}` : ''}` },
          ]}
        />
        <Row gutter={[16, 8]} style={{ marginTop: 8 }}>
          <Col xs={24} md={6}>
            <Typography.Text strong>{t('patrol.coverageAll')}</Typography.Text>
            <CoverageBar coverage={plan.coverage} width={200} />
          </Col>
          {PATROL_MODES.map((m) => (
            <Col xs={24} md={6} key={m}>
              <Space size={4}>
                <ModeTag mode={m} />
                <Typography.Text type="secondary">{t('patrol.itemCount', { n: plan.byMode[m].items })}</Typography.Text>
              </Space>
              <CoverageBar coverage={plan.byMode[m].coverage} width={200} />
            </Col>
          ))}
        </Row>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('patrol.coverageExplain')}
        </Typography.Text>
      </Card>
      <Row gutter={[16, 16]}>
        {PATROL_MODES.map((m) => (
          <Col xs={24} xl={8} key={m}>
            <Card
              size="small"
              title={
                <Space>
                  {MODE_ICON[m]}
                  {t(`patrol.mode.${m}` as MessageKey)}
                </Space>
              }
              extra={<Typography.Text type="secondary">{t(`patrol.modeHint.${m}` as MessageKey)}</Typography.Text>}
            >
              <List
                dataSource={plan.items[m]}
                renderItem={(i) => <ItemCard item={i} />}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(`patrol.emptyMode.${m}` as MessageKey)} /> }}
              />
            </Card>
          </Col>
        ))}
      </Row>
    </Flex>
  );
}

/** 巡防建议: pick a station and a week, generate the "1+3" plan, see each place's hours, reason and coverage. */
export default function PatrolPlansPage() {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const ownKind = me?.orgUnit?.kind;
  const [unitId, setUnitId] = useState<string | undefined>(ownKind === 'station' || ownKind === 'community' ? me?.orgUnit?.id : undefined);
  const [week, setWeek] = useState(mondayOf(bjToday()));
  const [page, setPage] = useState(1);
  const list = usePlans(unitId, 1, 100);
  const linked = params.get('plan') ?? undefined;
  const found = unitId ? list.data?.items.find((p) => p.weekStart === week) : undefined;
  const planId = linked ?? found?.id;
  const plan = usePlan(planId);
  const generate = useGeneratePlan();
  const canManage = can('patrol.manage');

  const onGenerate = () =>
    generate.mutate(
      { unitId, weekStart: week },
      {
        onSuccess: (p) => {
          void message.success(t('patrol.generated', { n: PATROL_MODES.reduce((s, m) => s + p.items[m].length, 0) }));
          if (linked) setParams({}, { replace: true });
        },
      },
    );

  const weekPlans = useMemo(() => (list.data?.items ?? []).filter((p) => p.weekStart === week), [list.data, week]);

  return (
    <PageContainer subtitle={t('patrol.plansSubtitle')}>
      <Flex vertical gap={16}>
        <Card size="small">
          <Flex gap={12} wrap align="center">
            <Typography.Text>{t('patrol.unit')}</Typography.Text>
            <div style={{ width: 260 }}>
              <OrgUnitSelect
                value={unitId}
                onChange={(v) => {
                  setUnitId(v);
                  if (linked) setParams({}, { replace: true });
                }}
                placeholder={t('patrol.pickStation')}
              />
            </div>
            <Typography.Text>{t('patrol.week')}</Typography.Text>
            <DatePicker
              picker="week"
              allowClear={false}
              value={dayjs(week)}
              onChange={(d) => {
                if (!d) return;
                setWeek(mondayOf(d.format('YYYY-MM-DD')));
                if (linked) setParams({}, { replace: true });
              }}
              format={() => `${week} ~ ${addDays(week, 6)}`}
              style={{ width: 230 }}
            />
            {linked && !unitId ? (
              <Button onClick={() => setParams({}, { replace: true })} data-testid="back-to-list">
                {t('patrol.backToList')}
              </Button>
            ) : null}
            {canManage && unitId ? (
              <Button type="primary" icon={found ? <ReloadOutlined /> : <ThunderboltOutlined />} loading={generate.isPending} onClick={onGenerate} data-testid="generate-plan">
                {found ? t('patrol.regenerate') : t('patrol.generate')}
              </Button>
            ) : null}
          </Flex>
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
            {t('patrol.howItWorks')}
          </Typography.Text>
        </Card>
        {generate.error ? <ProblemAlert error={generate.error} /> : null}
        {list.error ? <ProblemAlert error={list.error} /> : null}
        {plan.error ? <ProblemAlert error={plan.error} /> : null}
        {plan.data ? (
          <PlanView plan={plan.data} />
        ) : unitId ? (
          <Card>
            <Empty description={list.isLoading ? t('patrol.loading') : canManage ? t('patrol.noPlanCanGenerate') : t('patrol.noPlan')} />
          </Card>
        ) : (
          <Card title={t('patrol.allPlans', { from: week, to: addDays(week, 6) })} size="small">
            <Table<PlanSummary>
              scroll={{ x: 'max-content' }}
              size="small"
              rowKey="id"
              loading={list.isFetching}
              dataSource={weekPlans}
              onRow={(r) => ({ onClick: () => setParams({ plan: r.id }), style: { cursor: 'pointer' } })}
              pagination={{ current: page, pageSize: 20, onChange: setPage, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }) }}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('patrol.noPlans')} /> }}
              columns={[
                { key: 'unit', title: t('patrol.unit'), render: (_, r) => <a>{r.unit.name}</a> },
                { key: 'week', title: t('patrol.week'), render: (_, r) => `${r.weekStart} ~ ${r.weekEnd}` },
                { key: 'items', title: t('patrol.items'), width: 80, align: 'right', render: (_, r) => r.itemCount },
                ...PATROL_MODES.map((m) => ({ key: m, title: t(`patrol.mode.${m}` as MessageKey), width: 150, render: (_: unknown, r: PlanSummary) => <CoverageBar coverage={r.byMode[m].coverage} width={130} /> })),
                { key: 'all', title: t('patrol.coverageAll'), width: 150, render: (_, r) => <CoverageBar coverage={r.coverage} width={130} /> },
              ]}
            />
          </Card>
        )}
      </Flex>
    </PageContainer>
  );
}
