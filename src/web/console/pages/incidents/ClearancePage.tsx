import { useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button, Card, Col, DatePicker, Empty, Flex, Progress, Row, Segmented, Statistic, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsCoreOption } from 'echarts/core';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import { DATE_TIME_SHORT, formatTime } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { useAuth } from '../../auth/AuthProvider';
import { useClearance } from '../../data/incidents';
import type { DayFigures } from '../../data/incidents';
import { AgeText } from './labels';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

function Chart({ option, style }: { option: EChartsCoreOption; style?: CSSProperties }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const c = echarts.init(ref.current);
    chart.current = c;
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);
  useEffect(() => chart.current?.setOption(option, true), [option]);
  return <div ref={ref} style={{ width: '100%', height: 260, ...style }} />;
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);

/** 警情清零: what is open and for how long, and each unit's daily clearance over a period. */
export default function ClearancePage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [unitId, setUnitId] = useState<string | undefined>();
  const [range, setRange] = useState<[string, string]>([dayjs().subtract(6, 'day').format('YYYY-MM-DD'), dayjs().format('YYYY-MM-DD')]);
  const [view, setView] = useState<'units' | 'days'>('units');
  const q = useClearance({ unitId, from: range[0], to: range[1] });
  const c = q.data;

  const option = useMemo<EChartsCoreOption>(() => {
    const days = c?.days ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: days.map((d) => d.day.slice(5)) },
      yAxis: [{ type: 'value', minInterval: 1 }, { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }],
      series: [
        { name: t('incident.clearance.new'), type: 'bar', data: days.map((d) => d.new), itemStyle: { color: '#1677ff' } },
        { name: t('incident.clearance.cleared'), type: 'bar', data: days.map((d) => d.closed + d.diverted), itemStyle: { color: '#52c41a' } },
        { name: t('incident.clearance.openAtEnd'), type: 'line', data: days.map((d) => d.openAtEnd), itemStyle: { color: '#fa8c16' } },
        { name: t('incident.clearance.rate'), type: 'line', yAxisIndex: 1, data: days.map((d) => (d.rate === null ? null : Math.round(d.rate * 1000) / 10)), itemStyle: { color: '#722ed1' }, lineStyle: { type: 'dashed' } },
      ],
    };
  }, [c, t]);

  const dayColumns = [
    { key: 'day', title: t('incident.clearance.day'), dataIndex: 'day', width: 110 },
    { key: 'openAtStart', title: t('incident.clearance.openAtStart'), dataIndex: 'openAtStart', align: 'right' as const },
    { key: 'new', title: t('incident.clearance.new'), dataIndex: 'new', align: 'right' as const },
    { key: 'closed', title: t('incident.clearance.closed'), dataIndex: 'closed', align: 'right' as const },
    { key: 'diverted', title: t('incident.clearance.diverted'), dataIndex: 'diverted', align: 'right' as const },
    { key: 'openAtEnd', title: t('incident.clearance.openAtEnd'), dataIndex: 'openAtEnd', align: 'right' as const },
    { key: 'rate', title: t('incident.clearance.rate'), align: 'right' as const, render: (_: unknown, d: DayFigures) => pct(d.rate) },
  ];
  const ageing = c?.ageing;
  const openNow = c?.headline.openNow ?? 0;

  return (
    <PageContainer
      subtitle={t('incident.clearance.subtitle')}
      extra={
        <Flex gap={8} wrap align="center">
          {can('org.read') ? (
            <div style={{ width: 220 }}>
              <OrgUnitSelect value={unitId} onChange={setUnitId} placeholder={t('incident.clearance.unitAll')} />
            </div>
          ) : null}
          <DatePicker.RangePicker
            allowClear={false}
            value={[dayjs(range[0]), dayjs(range[1])]}
            disabledDate={(d) => d.isAfter(dayjs(), 'day')}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD')])}
          />
          <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching}>
            {t('common.refresh')}
          </Button>
        </Flex>
      }
    >
      {q.isError ? <ProblemAlert error={q.error} style={{ marginBottom: 16 }} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={12} lg={6}>
          <Card loading={q.isPending}>
            <Statistic title={t('incident.clearance.openNow')} value={openNow} valueStyle={{ color: openNow ? '#d48806' : undefined }} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card loading={q.isPending}>
            <Statistic title={t('incident.clearance.newToday')} value={c?.headline.newToday ?? '—'} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card loading={q.isPending}>
            <Statistic title={t('incident.clearance.clearedToday')} value={c?.headline.clearedToday ?? '—'} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card loading={q.isPending}>
            <Statistic title={t('incident.clearance.periodRate')} value={pct(c?.headline.rate ?? null)} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col xs={24} xl={8}>
          <Card title={t('incident.clearance.ageing')} style={{ height: '100%' }}>
            {ageing && openNow > 0 ? (
              (
                [
                  ['lt24h', '#52c41a'],
                  ['d1to3', '#faad14'],
                  ['d3to7', '#fa541c'],
                  ['gt7d', '#cf1322'],
                ] as const
              ).map(([k, colour]) => (
                <div key={k} style={{ marginBottom: 12 }}>
                  <Flex justify="space-between">
                    <span>{t(`incident.clearance.age.${k}`)}</span>
                    <Typography.Text strong>{ageing[k]}</Typography.Text>
                  </Flex>
                  <Progress percent={Math.round((ageing[k] / openNow) * 100)} showInfo={false} strokeColor={colour} />
                </div>
              ))
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.clearance.allClear')} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={16}>
          <Card title={t('incident.clearance.trend', { from: range[0], to: range[1] })}>
            {c && c.days.length ? <Chart option={option} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />}
          </Card>
        </Col>
      </Row>
      <Card
        style={{ marginTop: 16 }}
        title={c?.unit ? t('incident.clearance.byUnitOf', { name: c.unit.name }) : t('incident.clearance.byUnit')}
        extra={<Segmented value={view} onChange={(v) => setView(v as 'units' | 'days')} options={[{ value: 'units', label: t('incident.clearance.viewUnits') }, { value: 'days', label: t('incident.clearance.viewDays') }]} />}
      >
        {view === 'days' ? (
          <Table<DayFigures> scroll={{ x: 'max-content' }} rowKey="day" size="small" pagination={false} dataSource={c?.days ?? []} columns={dayColumns} loading={q.isFetching} />
        ) : (
          <Table
            scroll={{ x: 'max-content' }}
            rowKey={(r) => r.unit.id + r.unit.name}
            size="small"
            pagination={false}
            loading={q.isFetching}
            dataSource={c?.units ?? []}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.clearance.noUnits')} /> }}
            expandable={{ expandedRowRender: (r) => <Table<DayFigures> scroll={{ x: 'max-content' }} rowKey="day" size="small" pagination={false} dataSource={r.days} columns={dayColumns} /> }}
            columns={[
              { key: 'unit', title: t('incident.field.unit'), render: (_, r) => r.unit.name },
              { key: 'openAtStart', title: t('incident.clearance.openAtStart'), align: 'right', render: (_, r) => r.totals.openAtStart },
              { key: 'new', title: t('incident.clearance.new'), align: 'right', render: (_, r) => r.totals.new },
              { key: 'closed', title: t('incident.clearance.closed'), align: 'right', render: (_, r) => r.totals.closed },
              { key: 'diverted', title: t('incident.clearance.diverted'), align: 'right', render: (_, r) => r.totals.diverted },
              {
                key: 'openAtEnd',
                title: t('incident.clearance.openAtEnd'),
                align: 'right',
                render: (_, r) => <span style={{ color: r.totals.openAtEnd ? '#d48806' : undefined, fontWeight: r.totals.openAtEnd ? 600 : undefined }}>{r.totals.openAtEnd}</span>,
              },
              { key: 'rate', title: t('incident.clearance.rate'), align: 'right', render: (_, r) => pct(r.totals.rate) },
            ]}
            summary={() =>
              c ? (
                <Table.Summary.Row style={{ fontWeight: 600 }}>
                  <Table.Summary.Cell index={0} />
                  <Table.Summary.Cell index={1}>{t('incident.clearance.total')}</Table.Summary.Cell>
                  <Table.Summary.Cell index={2} align="right">{c.totals.openAtStart}</Table.Summary.Cell>
                  <Table.Summary.Cell index={3} align="right">{c.totals.new}</Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">{c.totals.closed}</Table.Summary.Cell>
                  <Table.Summary.Cell index={5} align="right">{c.totals.diverted}</Table.Summary.Cell>
                  <Table.Summary.Cell index={6} align="right">{c.totals.openAtEnd}</Table.Summary.Cell>
                  <Table.Summary.Cell index={7} align="right">{pct(c.totals.rate)}</Table.Summary.Cell>
                </Table.Summary.Row>
              ) : null
            }
          />
        )}
      </Card>
      <Card style={{ marginTop: 16 }} title={t('incident.clearance.oldest')}>
        <Table
          scroll={{ x: 'max-content' }}
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={c?.oldest ?? []}
          onRow={(r) => ({ onClick: () => navigate(`/command/incidents/${r.id}`), style: { cursor: 'pointer' } })}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('incident.clearance.allClear')} /> }}
          columns={[
            { key: 'code', title: t('incident.field.code'), render: (_, r) => <Link to={`/command/incidents/${r.id}`} className="fq-mono">{r.code}</Link> },
            { key: 'reported', title: t('incident.field.reportedAt'), render: (_, r) => formatTime(r.reportedAt, DATE_TIME_SHORT) },
            { key: 'category', title: t('incident.field.category'), render: (_, r) => r.category.name },
            { key: 'unit', title: t('incident.field.unit'), render: (_, r) => r.orgUnit.name },
            { key: 'place', title: t('incident.field.place'), ellipsis: true, render: (_, r) => r.place || r.address?.fullText || '—' },
            { key: 'age', title: t('incident.field.age'), render: (_, r) => <AgeText hours={r.ageHours} status={r.status} /> },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
