import { useMemo, useState } from 'react';
import { Button, Card, Col, DatePicker, Empty, Flex, Row, Segmented, Select, Space, Statistic, Table, Tag, TreeSelect, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import dayjs from 'dayjs';
import type { EChartsCoreOption } from 'echarts/core';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import {
  useCategoryShares,
  useHotspots,
  useHours,
  useIncidentCategories,
  useTrend,
  type AnalysisFilter,
  type CategoryShare,
  type Change,
  type HotspotBy,
  type HotspotItem,
  type IncidentCategory,
} from '../../data/analysis';
import { addDays, bjToday, ChangeCell, EChart, VerdictTag, WEEKDAY_KEYS } from './common';

type Preset = '7d' | '30d' | 'month' | 'lastMonth' | '1y' | 'custom';

function presetRange(p: Exclude<Preset, 'custom'>): [string, string] {
  const today = bjToday();
  if (p === '7d') return [addDays(today, -6), today];
  if (p === '30d') return [addDays(today, -29), today];
  const monthStart = `${today.slice(0, 8)}01`;
  if (p === 'lastMonth') {
    const lastDay = addDays(monthStart, -1);
    return [`${lastDay.slice(0, 8)}01`, lastDay];
  }
  if (p === '1y') return [addDays(today, -364), today];
  return [monthStart, today];
}

interface CategoryNode {
  value: string;
  title: string;
  children: CategoryNode[];
}
const toTree = (nodes: IncidentCategory[]): CategoryNode[] => nodes.map((n) => ({ value: n.id, title: n.name, children: toTree(n.children ?? []) }));

function Headline({ title, change, base }: { title: string; change?: Change; base?: string }) {
  const { t } = useI18n();
  if (!change) return null;
  const sign = change.change > 0 ? '+' : '';
  const color = change.verdict === 'up' ? '#cf1322' : change.verdict === 'down' ? '#389e0d' : undefined;
  return (
    <Card size="small">
      <Statistic
        title={title}
        value={`${sign}${change.change}`}
        suffix={change.rate != null ? `（${sign}${change.rate}%）` : undefined}
        styles={{ content: { color } }}
      />
      <Space size={8} wrap style={{ marginTop: 4 }}>
        <VerdictTag verdict={change.verdict} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('analysis.baseCount', { n: change.previous, range: base ?? '' })}
        </Typography.Text>
      </Space>
    </Card>
  );
}

/** 热点分析: hot places ranked with 环比/同比, the hour-of-week matrix, the trend and the categories. */
export default function HotspotsPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [preset, setPreset] = useState<Preset>('30d');
  const [range, setRange] = useState<[string, string]>(presetRange('30d'));
  const [categoryId, setCategoryId] = useState<string>();
  const [unitId, setUnitId] = useState<string>();
  const [by, setBy] = useState<HotspotBy>('cell');
  const [res, setRes] = useState(9);
  const [interval, setInterval] = useState<'day' | 'week' | 'month'>('day');
  const filter: AnalysisFilter = useMemo(() => ({ from: range[0], to: range[1], categoryId, unitId }), [range, categoryId, unitId]);

  const cats = useIncidentCategories();
  const hot = useHotspots(filter, by, res, 100);
  const hours = useHours(filter);
  const trend = useTrend(filter, interval);
  const shares = useCategoryShares(filter);
  const totals = hot.data?.totals;
  const period = hot.data?.period;

  const heatOption = useMemo<EChartsCoreOption>(() => {
    const m = hours.data?.matrix ?? [];
    const data = m.flatMap((row, d) => row.map((v, h) => [h, d, v]));
    const max = Math.max(1, ...data.map((x) => x[2]));
    const days = WEEKDAY_KEYS.map((k) => t(k));
    return {
      tooltip: { formatter: (p: { value: number[] }) => t('analysis.heatTip', { day: days[p.value[1]], hour: p.value[0], n: p.value[2] }) },
      grid: { left: 48, right: 16, top: 8, bottom: 60 },
      xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => `${h}`), splitArea: { show: true } },
      yAxis: { type: 'category', data: days, inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, text: [String(max), '0'], orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 160, itemWidth: 10, inRange: { color: ['#f5f7fa', '#ffd591', '#fa8c16', '#cf1322'] } },
      series: [{ type: 'heatmap', data, label: { show: false }, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
    };
  }, [hours.data, t]);

  const trendOption = useMemo<EChartsCoreOption>(() => {
    const s = trend.data?.series ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { data: [t('analysis.series.current'), t('analysis.series.previous'), t('analysis.series.lastYear')], top: 0 },
      grid: { left: 40, right: 16, top: 32, bottom: 28 },
      xAxis: { type: 'category', data: s.map((b) => b.label) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { name: t('analysis.series.current'), type: 'line', data: s.map((b) => b.count), smooth: true, lineStyle: { width: 3 }, itemStyle: { color: '#cf1322' } },
        { name: t('analysis.series.previous'), type: 'line', data: s.map((b) => b.previous), smooth: true, lineStyle: { type: 'dashed' }, itemStyle: { color: '#1677ff' } },
        { name: t('analysis.series.lastYear'), type: 'line', data: s.map((b) => b.lastYear), smooth: true, lineStyle: { type: 'dotted' }, itemStyle: { color: '#8c8c8c' } },
      ],
    };
  }, [trend.data, t]);

  const error = hot.error ?? hours.error ?? trend.error ?? shares.error;

  return (
    <PageContainer
      subtitle={t('analysis.subtitle')}
      extra={
        <Link to={`/command/map?from=${range[0]}&to=${range[1]}`}>
          <Button icon={<EnvironmentOutlined />}>{t('analysis.onMap')}</Button>
        </Link>
      }
    >
      <Flex vertical gap={16}>
        <Card size="small">
          <Flex gap={12} wrap align="center">
            {/* six presets: on a narrow phone they scroll sideways inside their row rather than widen the page */}
            <div style={{ maxWidth: '100%', overflowX: 'auto' }}>
              <Segmented<Preset>
                value={preset}
                onChange={(p) => {
                  setPreset(p);
                  if (p !== 'custom') setRange(presetRange(p));
                }}
                options={(['7d', '30d', 'month', 'lastMonth', '1y', 'custom'] as const).map((p) => ({ value: p, label: t(`analysis.preset.${p}`) }))}
                data-testid="period-preset"
              />
            </div>
            {preset === 'custom' ? (
              <DatePicker.RangePicker
                allowClear={false}
                value={[dayjs(range[0]), dayjs(range[1])]}
                disabledDate={(d) => d.isAfter(dayjs())}
                onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
              />
            ) : null}
            <TreeSelect
              style={{ width: 200 }}
              value={categoryId}
              onChange={(v) => setCategoryId(v ?? undefined)}
              treeData={toTree(cats.data ?? [])}
              allowClear
              placeholder={t('analysis.allCategories')}
              loading={cats.isLoading}
              showSearch={{ treeNodeFilterProp: 'title' }}
            />
            {can('org.read') ? (
              <div style={{ width: 240 }}>
                <OrgUnitSelect value={unitId} onChange={setUnitId} placeholder={t('analysis.allUnits')} />
              </div>
            ) : null}
            <Segmented<HotspotBy>
              value={by}
              onChange={setBy}
              options={(['cell', 'grid', 'community'] as const).map((b) => ({ value: b, label: t(`analysis.by.${b}`) }))}
            />
            {by === 'cell' ? (
              <Select
                style={{ width: 190 }}
                value={res}
                onChange={setRes}
                options={[9, 8, 7].map((r) => ({ value: r, label: t(`analysis.res.${r}` as 'analysis.res.9') }))}
              />
            ) : null}
          </Flex>
          {period ? (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
              {t('analysis.periods', { from: period.from, to: period.to, days: period.days, pf: period.previous.from, pt: period.previous.to, yf: period.lastYear.from, yt: period.lastYear.to })}
            </Typography.Text>
          ) : null}
        </Card>
        {error ? <ProblemAlert error={error} /> : null}

        <Row gutter={[16, 16]}>
          <Col xs={24} md={8}>
            <Card size="small">
              <Statistic title={t('analysis.total')} value={totals?.count ?? 0} suffix={t('analysis.unitCount')} loading={hot.isLoading} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('analysis.places', { n: hot.data?.places ?? 0 })}
              </Typography.Text>
            </Card>
          </Col>
          <Col xs={12} md={8}>
            <Headline title={t('analysis.momFull')} change={totals?.mom} base={period ? `${period.previous.from} ~ ${period.previous.to}` : undefined} />
          </Col>
          <Col xs={12} md={8}>
            <Headline title={t('analysis.yoyFull')} change={totals?.yoy} base={period ? `${period.lastYear.from} ~ ${period.lastYear.to}` : undefined} />
          </Col>
        </Row>

        <Row gutter={[16, 16]}>
          <Col xs={24} xl={15}>
            <Card title={t('analysis.ranking')} size="small">
              <Table<HotspotItem>
                scroll={{ x: 'max-content' }}
                size="small"
                rowKey={(r) => r.key ?? 'none'}
                loading={hot.isFetching}
                dataSource={hot.data?.items ?? []}
                pagination={{ pageSize: 10, showSizeChanger: false, showTotal: (n) => t('common.total', { total: n }) }}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analysis.noData')} /> }}
                data-testid="hotspot-table"
                columns={[
                  { key: 'rank', title: t('analysis.col.rank'), width: 56, render: (_, r) => (r.rank <= 3 ? <Tag color="red">{r.rank}</Tag> : r.rank) },
                  {
                    key: 'place',
                    title: t('analysis.col.place'),
                    render: (_, r) => (
                      <div>
                        <Typography.Text>{r.label}</Typography.Text>
                        {by === 'cell' && r.key ? (
                          <Typography.Text type="secondary" style={{ display: 'block', fontSize: 11 }}>
                            H3 {BigInt(r.key).toString(16)}
                          </Typography.Text>
                        ) : null}
                      </div>
                    ),
                  },
                  { key: 'count', title: t('analysis.col.count'), width: 70, align: 'right', render: (_, r) => <Typography.Text strong>{r.count}</Typography.Text> },
                  { key: 'share', title: t('analysis.col.share'), width: 70, align: 'right', render: (_, r) => `${(r.share * 100).toFixed(1)}%` },
                  { key: 'mom', title: t('analysis.mom'), width: 150, render: (_, r) => <ChangeCell change={r.mom} kind="mom" /> },
                  { key: 'yoy', title: t('analysis.yoy'), width: 150, render: (_, r) => <ChangeCell change={r.yoy} kind="yoy" /> },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={9}>
            <Flex vertical gap={16}>
              <Card title={t('analysis.hours')} size="small">
                {hours.data && hours.data.totals.count > 0 ? <EChart option={heatOption} style={{ height: 280 }} testId="hour-heatmap" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analysis.noData')} />}
                {hours.data?.peaks.length ? (
                  <Typography.Paragraph style={{ marginBottom: 0, marginTop: 8 }}>
                    {t('analysis.peaks')}
                    {t('common.colon')}
                    {hours.data.peaks.map((p) => (
                      <Tag key={p.how} color="orange">
                        {t('analysis.peak', { label: p.label, n: p.count })}
                      </Tag>
                    ))}
                  </Typography.Paragraph>
                ) : null}
              </Card>
              <Card title={t('analysis.categories')} size="small">
                <Table<CategoryShare>
                  scroll={{ x: 'max-content' }}
                  size="small"
                  rowKey="id"
                  pagination={false}
                  loading={shares.isFetching}
                  dataSource={shares.data?.items ?? []}
                  locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analysis.noData')} /> }}
                  columns={[
                    { key: 'name', title: t('analysis.col.category'), render: (_, r) => r.name },
                    { key: 'count', title: t('analysis.col.count'), width: 64, align: 'right', render: (_, r) => r.count },
                    { key: 'share', title: t('analysis.col.share'), width: 64, align: 'right', render: (_, r) => `${(r.share * 100).toFixed(1)}%` },
                    { key: 'mom', title: t('analysis.mom'), width: 92, render: (_, r) => <VerdictTag verdict={r.mom.verdict} /> },
                    { key: 'yoy', title: t('analysis.yoy'), width: 92, render: (_, r) => <VerdictTag verdict={r.yoy.verdict} /> },
                  ]}
                />
              </Card>
            </Flex>
          </Col>
        </Row>

        <Card
          title={t('analysis.trend')}
          size="small"
          extra={<Segmented value={interval} onChange={(v) => setInterval(v as 'day' | 'week' | 'month')} options={(['day', 'week', 'month'] as const).map((i) => ({ value: i, label: t(`analysis.interval.${i}`) }))} />}
        >
          {trend.data && trend.data.series.length ? <EChart option={trendOption} style={{ height: 300 }} testId="trend-chart" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('analysis.noData')} />}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('analysis.verdictHint')}
          </Typography.Text>
        </Card>
      </Flex>
    </PageContainer>
  );
}
