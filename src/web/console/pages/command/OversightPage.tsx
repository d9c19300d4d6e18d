import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { Card, Col, Empty, Flex, Row, Statistic, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useDirectiveStats, useWhistleStats, type DirectiveStats, type Period, type WhistleStats } from '../../data/command';
import { BarChart } from './BarChart';
import { LevelTag, PeriodPicker, fmt, pctText, useDuration } from './parts';

type UnitRow = DirectiveStats['byUnit'][number];
type DeptRow = WhistleStats['byDepartment'][number];

/** 时效督办: directive rates by unit, whistle response times by department, and everything overdue now. */
export default function OversightPage() {
  const { t } = useI18n();
  const dur = useDuration();
  const [period, setPeriod] = useState<Period>(() => ({ from: dayjs().subtract(29, 'day').format('YYYY-MM-DD'), to: dayjs().format('YYYY-MM-DD') }));
  const ds = useDirectiveStats(period);
  const ws = useWhistleStats(period);
  const units = useMemo(() => ds.data?.byUnit ?? [], [ds.data]);
  const depts = useMemo(() => ws.data?.byDepartment ?? [], [ws.data]);
  const unitSeries = useMemo(
    () => [
      { name: t('cmd.rate.feedback'), values: units.map((u) => u.feedbackRate), color: '#1f4e9c' },
      { name: t('cmd.rate.sign'), values: units.map((u) => u.signRate), color: '#91caff' },
    ],
    [units, t],
  );
  const unitLabels = useMemo(() => units.map((u) => u.name), [units]);
  const deptSeries = useMemo(
    () => [
      { name: t('cmd.median.response'), values: depts.map((d) => d.medianResponseMinutes), color: '#fa8c16' },
      { name: t('cmd.median.handling'), values: depts.map((d) => d.medianHandlingMinutes), color: '#8c8c8c' },
    ],
    [depts, t],
  );
  const deptLabels = useMemo(() => depts.map((d) => d.name), [depts]);
  const h = ds.data?.headline;
  const wh = ws.data?.headline;

  return (
    <PageContainer subtitle={t('cmd.oversight.subtitle')} extra={<PeriodPicker value={period} onChange={setPeriod} />}>
      <Flex vertical gap={16}>
        {ds.isError ? <ProblemAlert error={ds.error} /> : null}
        {ws.isError ? <ProblemAlert error={ws.error} /> : null}
        <Row gutter={[16, 16]}>
          {[
            { title: t('cmd.rate.feedback'), value: pctText(h?.feedbackRate ?? null), big: true },
            { title: t('cmd.rate.sign'), value: pctText(h?.signRate ?? null) },
            { title: t('cmd.rate.onTime'), value: pctText(h?.onTimeRate ?? null) },
            { title: t('cmd.oversight.whistles'), value: wh?.whistles ?? 0 },
            { title: t('cmd.median.response'), value: wh?.medianResponseMinutes !== null && wh ? dur(wh.medianResponseMinutes!) : '—' },
            { title: t('cmd.oversight.overdueNow'), value: (ds.data?.overdue.length ?? 0) + (ws.data?.overdue.length ?? 0), danger: true },
          ].map((c) => (
            <Col key={c.title} xs={12} md={8} xl={4}>
              <Card size="small" loading={ds.isLoading || ws.isLoading}>
                <Statistic title={c.title} value={c.value} styles={{ content: { fontWeight: c.big ? 700 : undefined, color: c.big ? '#1f4e9c' : c.danger && Number(c.value) > 0 ? '#cf1322' : undefined } }} />
              </Card>
            </Col>
          ))}
        </Row>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={t('cmd.oversight.byUnit')} style={{ height: '100%' }}>
              {units.length ? <BarChart labels={unitLabels} series={unitSeries} unit="%" max={100} /> : <Empty description={t('cmd.oversight.noDirectives')} />}
              <Table<UnitRow>
                rowKey="id"
                size="small"
                scroll={{ x: 560 }}
                pagination={false}
                dataSource={units}
                style={{ marginTop: 12 }}
                columns={[
                  { key: 'name', title: t('cmd.col.unit'), render: (_, u) => <span style={{ whiteSpace: 'nowrap' }}>{u.name}</span> },
                  { key: 'targets', title: t('cmd.col.targets'), width: 70, align: 'right', render: (_, u) => u.targets },
                  { key: 'sign', title: t('cmd.rate.sign'), width: 80, align: 'right', render: (_, u) => pctText(u.signRate) },
                  { key: 'feedback', title: t('cmd.rate.feedback'), width: 80, align: 'right', render: (_, u) => <b>{pctText(u.feedbackRate)}</b> },
                  { key: 'onTime', title: t('cmd.rate.onTime'), width: 90, align: 'right', render: (_, u) => pctText(u.onTimeRate) },
                  { key: 'overdue', title: t('cmd.overdue'), width: 70, align: 'right', render: (_, u) => (u.overdue ? <Tag color="error">{u.overdue}</Tag> : 0) },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('cmd.oversight.byDept')} style={{ height: '100%' }}>
              {depts.length ? <BarChart labels={deptLabels} series={deptSeries} unit={t('cmd.minuteUnit')} /> : <Empty description={t('cmd.oversight.noWhistles')} />}
              <Table<DeptRow>
                rowKey="departmentId"
                size="small"
                scroll={{ x: 640 }}
                pagination={false}
                dataSource={depts}
                style={{ marginTop: 12 }}
                columns={[
                  { key: 'name', title: t('cmd.col.dept'), render: (_, d) => <span style={{ whiteSpace: 'nowrap' }}>{d.name}</span> },
                  { key: 'n', title: t('cmd.col.responsesN'), width: 70, align: 'right', render: (_, d) => d.responses },
                  { key: 'onTime', title: t('cmd.col.onTimeAck'), width: 90, align: 'right', render: (_, d) => `${d.onTime}/${d.responses}` },
                  { key: 'resp', title: t('cmd.median.response'), width: 110, align: 'right', render: (_, d) => (d.medianResponseMinutes === null ? '—' : dur(d.medianResponseMinutes)) },
                  { key: 'hand', title: t('cmd.median.handling'), width: 110, align: 'right', render: (_, d) => (d.medianHandlingMinutes === null ? '—' : dur(d.medianHandlingMinutes)) },
                  { key: 'over', title: t('cmd.overdue'), width: 70, align: 'right', render: (_, d) => (d.overdueNow ? <Tag color="error">{d.overdueNow}</Tag> : 0) },
                ]}
              />
            </Card>
          </Col>
        </Row>
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <Card title={t('cmd.oversight.overdueDirectives')}>
              <Table
                scroll={{ x: 'max-content' }}
                rowKey="targetId"
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={ds.data?.overdue ?? []}
                locale={{ emptyText: <Empty description={t('cmd.oversight.noneOverdue')} /> }}
                columns={[
                  { key: 'level', width: 60, render: (_, o) => <LevelTag level={o.level} compact /> },
                  { key: 'title', title: t('cmd.col.title'), render: (_, o) => <Link to={`/command/directives/${o.directiveId}`}>{o.title}</Link> },
                  { key: 'name', title: t('cmd.col.unit'), width: 140, render: (_, o) => o.name },
                  {
                    key: 'kind',
                    title: t('cmd.col.overdueKind'),
                    width: 170,
                    render: (_, o) => (
                      <Typography.Text type="danger">
                        {t(o.kind === 'sign' ? 'cmd.oversight.signLate' : 'cmd.oversight.feedbackLate', { d: dur(o.overdueMinutes) })}
                        {o.escalationLevel ? ` · ${t('cmd.escalation', { n: o.escalationLevel })}` : ''}
                      </Typography.Text>
                    ),
                  },
                ]}
              />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card title={t('cmd.oversight.overdueWhistles')}>
              <Table
                scroll={{ x: 'max-content' }}
                rowKey="responseId"
                size="small"
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                dataSource={ws.data?.overdue ?? []}
                locale={{ emptyText: <Empty description={t('cmd.oversight.noneOverdue')} /> }}
                columns={[
                  {
                    key: 'title',
                    title: t('cmd.col.whistle'),
                    render: (_, o) => (
                      <span>
                        {o.urgent ? <Tag color="red">{t('cmd.urgent')}</Tag> : null}
                        <Link to={`/command/whistles/${o.whistleId}`}>{o.title}</Link>
                        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                          {o.stationName} · {fmt(o.dueAt)}
                        </Typography.Text>
                      </span>
                    ),
                  },
                  { key: 'dept', title: t('cmd.col.dept'), width: 140, render: (_, o) => o.departmentName },
                  { key: 'late', title: t('cmd.col.overdueKind'), width: 140, render: (_, o) => <Typography.Text type="danger">{t('cmd.clock.overdue', { d: dur(o.overdueMinutes) })}</Typography.Text> },
                ]}
              />
            </Card>
          </Col>
        </Row>
      </Flex>
    </PageContainer>
  );
}
