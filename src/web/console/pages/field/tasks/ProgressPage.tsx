import { useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { Breadcrumb, Card, Col, Empty, Flex, Progress, Row, Segmented, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import dayjs from 'dayjs';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { PROGRESS_LEVELS, useProgress, useTaskList } from '../../../data/field-tasks';
import type { ProgressLevel, ProgressRow, Task } from '../../../data/field-tasks';
import { PeriodPicker, parsePeriodText, periodText } from './periodPicker';
import type { PeriodKind } from './periodPicker';

type ListStatus = 'overdue' | 'open' | 'done' | 'all';

interface Crumb {
  unitId?: string;
  name: string;
  level: ProgressLevel;
}

/** The finest useful level below a unit kind. */
const levelBelow = (kind: string | undefined): ProgressLevel => (kind === 'grid' ? 'worker' : kind === 'community' ? 'grid' : 'community');

function rateColor(rate: number) {
  return rate >= 0.9 ? '#389e0d' : rate >= 0.6 ? '#d48806' : '#cf1322';
}

function TaskStatus({ task }: { task: Task }) {
  const { t } = useI18n();
  if (task.status === 'done') return <Tag color={task.onTime ? 'success' : 'warning'}>{t(task.onTime ? 'fieldTasks.task.doneOnTime' : 'fieldTasks.task.doneLate')}</Tag>;
  if (task.overdue) return <Tag color="error">{t('fieldTasks.task.overdue')}</Tag>;
  return <Tag color="processing">{t('fieldTasks.task.open')}</Tag>;
}

/** 任务进度: completion per community, grid or worker for a period, drill-down, and the overdue list. */
export default function ProgressPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [params] = useSearchParams();
  const initial = parsePeriodText(params.get('period')) ?? { kind: 'month' as PeriodKind, day: dayjs() };
  const [kind, setKind] = useState<PeriodKind>(initial.kind);
  const [day, setDay] = useState(initial.day);
  const period = periodText(kind, day);
  const [trail, setTrail] = useState<Crumb[]>([{ name: me?.orgUnit?.name ?? t('fieldTasks.progress.scope'), level: levelBelow(me?.orgUnit?.kind) }]);
  const here = trail[trail.length - 1];
  const [level, setLevel] = useState<ProgressLevel>(here.level);
  const [worker, setWorker] = useState<{ id: string | null; name: string } | null>(null);
  const [status, setStatus] = useState<ListStatus>('overdue');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);

  const progress = useProgress({ period, unitId: here.unitId, level });
  const rows = progress.data ?? [];
  const list = useTaskList({
    period,
    unitId: here.unitId,
    workerId: worker?.id ?? undefined,
    status: status === 'all' ? undefined : status,
    page,
    pageSize,
  });

  const total = useMemo(
    () => rows.reduce((s, r) => ({ total: s.total + r.total, done: s.done + r.done, doneOnTime: s.doneOnTime + r.doneOnTime, open: s.open + r.open, overdue: s.overdue + r.overdue }), { total: 0, done: 0, doneOnTime: 0, open: 0, overdue: 0 }),
    [rows],
  );

  const drill = (r: ProgressRow) => {
    setPage(1);
    if (level === 'worker') {
      // the unassigned row has no worker to filter by: show the open tasks of the unit
      setWorker(r.id ? { id: r.id, name: r.name } : null);
      setStatus(r.id ? 'all' : 'open');
      return;
    }
    if (!r.id) return;
    const next: ProgressLevel = level === 'community' ? 'grid' : 'worker';
    setTrail([...trail, { unitId: r.id, name: r.name, level: next }]);
    setLevel(next);
    setWorker(null);
  };

  const goTo = (i: number) => {
    const target = trail[i];
    setTrail(trail.slice(0, i + 1));
    setLevel(target.level);
    setWorker(null);
    setPage(1);
  };

  const levelLabel = (l: ProgressLevel) => t(`fieldTasks.level.${l}` as 'fieldTasks.level.grid');

  return (
    <PageContainer subtitle={t('fieldTasks.progress.subtitle')}>
      <Stack>
        <Card>
          <Flex gap={16} wrap align="center">
            <PeriodPicker
              kind={kind}
              day={day}
              onChange={(k, d) => {
                setKind(k);
                setDay(d);
                setPage(1);
              }}
            />
            <Segmented<ProgressLevel>
              value={level}
              onChange={(l) => {
                setLevel(l);
                setWorker(null);
              }}
              options={PROGRESS_LEVELS.map((l) => ({ value: l, label: t('fieldTasks.progress.by', { level: levelLabel(l) }) }))}
              data-testid="progress-level"
            />
            <Breadcrumb
              items={trail.map((c, i) => ({
                key: `${c.unitId ?? 'root'}`,
                title: i < trail.length - 1 ? <a onClick={() => goTo(i)}>{c.name}</a> : <Typography.Text strong>{c.name}</Typography.Text>,
              }))}
            />
          </Flex>
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 12 }}>
            {t('fieldTasks.progress.periodNote', { period })}
          </Typography.Paragraph>
        </Card>
        {progress.isError ? <ProblemAlert error={progress.error} /> : null}
        <Row gutter={[16, 16]}>
          <Col xs={12} lg={6}>
            <Card>
              <Statistic title={t('fieldTasks.stat.total')} value={total.total} />
            </Card>
          </Col>
          <Col xs={12} lg={6}>
            <Card>
              <Statistic title={t('fieldTasks.stat.rate')} value={total.total ? Math.round((total.done / total.total) * 1000) / 10 : '—'} suffix={total.total ? '%' : undefined} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('fieldTasks.stat.doneOf', { done: total.done, total: total.total })}
              </Typography.Text>
            </Card>
          </Col>
          <Col xs={12} lg={6}>
            <Card>
              <Statistic title={t('fieldTasks.stat.onTime')} value={total.doneOnTime} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('fieldTasks.stat.late', { n: total.done - total.doneOnTime })}
              </Typography.Text>
            </Card>
          </Col>
          <Col xs={12} lg={6}>
            <Card>
              <Statistic title={t('fieldTasks.stat.overdue')} value={total.overdue} styles={{ content: { color: total.overdue ? '#cf1322' : undefined } }} />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('fieldTasks.stat.open', { n: total.open })}
              </Typography.Text>
            </Card>
          </Col>
        </Row>
        <Card title={t('fieldTasks.progress.table', { level: levelLabel(level) })}>
          <Table<ProgressRow>
            rowKey={(r) => r.id ?? 'unassigned'}
            size="middle"
            loading={progress.isFetching}
            dataSource={rows}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 900 }}
            onRow={(r) => ({ onClick: () => drill(r), style: { cursor: 'pointer' }, title: level === 'worker' ? t('fieldTasks.progress.showTasks') : t('fieldTasks.progress.drill') })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldTasks.progress.empty')} /> }}
            columns={[
              {
                key: 'name',
                title: levelLabel(level),
                width: 200,
                render: (_, r) => (r.id ? <a>{r.name}</a> : <Tag color="warning">{t('fieldTasks.unassigned')}</Tag>),
              },
              { key: 'total', title: t('fieldTasks.col.total'), width: 90, align: 'right', render: (_, r) => r.total },
              { key: 'done', title: t('fieldTasks.col.done'), width: 90, align: 'right', render: (_, r) => r.done },
              {
                key: 'rate',
                title: t('fieldTasks.col.rate'),
                width: 220,
                render: (_, r) => <Progress percent={Math.round(r.rate * 1000) / 10} size="small" strokeColor={rateColor(r.rate)} format={(v) => `${v ?? 0}%`} />,
              },
              {
                key: 'onTime',
                title: (
                  <Tooltip title={t('fieldTasks.col.onTime.hint')}>
                    {t('fieldTasks.col.onTime')} <InfoCircleOutlined />
                  </Tooltip>
                ),
                width: 110,
                align: 'right',
                render: (_, r) => r.doneOnTime,
              },
              { key: 'open', title: t('fieldTasks.col.open'), width: 90, align: 'right', render: (_, r) => r.open },
              {
                key: 'overdue',
                title: t('fieldTasks.col.overdue'),
                width: 90,
                align: 'right',
                render: (_, r) => (
                  <Typography.Text type={r.overdue ? 'danger' : undefined} strong={r.overdue > 0}>
                    {r.overdue}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </Card>
        <Card
          title={worker ? t('fieldTasks.list.titleWorker', { name: worker.name }) : t('fieldTasks.list.title')}
          extra={
            <Flex gap={8} align="center" wrap>
              {worker ? (
                <Tag closable onClose={() => setWorker(null)} color="blue">
                  {worker.name}
                </Tag>
              ) : null}
              <Segmented<ListStatus>
                value={status}
                onChange={(s) => {
                  setStatus(s);
                  setPage(1);
                }}
                options={(['overdue', 'open', 'done', 'all'] as const).map((s) => ({ value: s, label: t(`fieldTasks.list.${s}` as 'fieldTasks.list.all') }))}
                data-testid="task-status"
              />
            </Flex>
          }
        >
          {list.isError ? <ProblemAlert error={list.error} style={{ marginBottom: 16 }} /> : null}
          <Table<Task>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1100 }}
            pagination={{
              current: page,
              pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              showTotal: (n) => t('common.total', { total: n }),
              onChange: (p, s) => {
                setPage(s !== pageSize ? 1 : p);
                setPageSize(s);
              },
            }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(status === 'overdue' ? 'fieldTasks.list.emptyOverdue' : 'fieldTasks.list.empty')} /> }}
            columns={[
              {
                key: 'title',
                title: t('fieldTasks.col.task'),
                width: 240,
                render: (_, r) => (
                  <div>
                    <Typography.Text>{r.title}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.itemTypeName} · {r.period}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              },
              {
                key: 'address',
                title: t('fieldTasks.col.address'),
                render: (_, r) => (r.address?.fullText ? <Typography.Text style={{ fontSize: 13 }}>{r.address.fullText}</Typography.Text> : t('common.none')),
              },
              { key: 'grid', title: t('fieldTasks.col.grid'), width: 160, render: (_, r) => r.gridName },
              { key: 'worker', title: t('fieldTasks.col.worker'), width: 110, render: (_, r) => r.workerName ?? <Tag color="warning">{t('fieldTasks.unassigned')}</Tag> },
              {
                key: 'due',
                title: t('fieldTasks.col.due'),
                width: 120,
                render: (_, r) => <Typography.Text type={r.overdue ? 'danger' : undefined}>{r.dueDate}</Typography.Text>,
              },
              {
                key: 'status',
                title: t('common.status'),
                width: 170,
                render: (_, r) => (
                  <div>
                    <TaskStatus task={r} />
                    {r.doneAt ? (
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {dayjs(r.doneAt).format('YYYY-MM-DD HH:mm')}
                        </Typography.Text>
                      </div>
                    ) : null}
                  </div>
                ),
              },
            ]}
          />
        </Card>
      </Stack>
    </PageContainer>
  );
}

function Stack({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>{children}</div>;
}
