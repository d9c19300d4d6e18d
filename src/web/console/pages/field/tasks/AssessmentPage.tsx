import { useState } from 'react';
import { Button, Card, DatePicker, Descriptions, Empty, Flex, Progress, Table, Tag, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined, SettingOutlined, TrophyFilled } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { OrgUnitSelect } from '../../../components/OrgUnitSelect';
import { monthOf, pct, useAssessment, useWeights } from '../../../data/field-tasks';
import type { Weights, WorkerFigures } from '../../../data/field-tasks';
import { WeightsModal } from './WeightsModal';

const MEDALS = ['#d4a017', '#a0a7b4', '#b87333'];

function RateCell({ rate, part, whole }: { rate: number | null; part: number; whole: number }) {
  const { t } = useI18n();
  const p = pct(rate);
  if (p == null) return <Typography.Text type="secondary">{t('fieldAssess.noBase')}</Typography.Text>;
  return (
    <div style={{ minWidth: 120 }}>
      <Progress percent={p} size="small" format={(v) => `${v ?? 0}%`} strokeColor={p >= 90 ? '#389e0d' : p >= 60 ? '#d48806' : '#cf1322'} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {part} / {whole}
      </Typography.Text>
    </div>
  );
}

function ScoreCell({ r }: { r: WorkerFigures }) {
  const { t } = useI18n();
  const tip = (
    <div style={{ fontSize: 12 }}>
      <div>{t('fieldAssess.part.onTime', { n: r.parts.onTime })}</div>
      <div>{t('fieldAssess.part.collected', { n: r.parts.collected })}</div>
      <div>{t('fieldAssess.part.verified', { n: r.parts.verified })}</div>
      <div>{t('fieldAssess.part.timely', { n: r.parts.timely })}</div>
      <div>{t('fieldAssess.part.deduction', { n: r.parts.deduction })}</div>
    </div>
  );
  return (
    <Tooltip title={tip}>
      <Typography.Text strong style={{ fontSize: 16 }} data-testid="assess-score">
        {r.score.toFixed(1)}
      </Typography.Text>
    </Tooltip>
  );
}

/** What each figure means and how the score is made, with the weights in force. */
function Explanation({ w }: { w: Weights | undefined }) {
  const { t } = useI18n();
  const items = [
    ['tasksDue', t('fieldAssess.def.tasksDue')],
    ['onTimeRate', t('fieldAssess.def.onTimeRate')],
    ['itemsCollected', t('fieldAssess.def.itemsCollected')],
    ['recordsVerified', t('fieldAssess.def.recordsVerified')],
    ['timelyRate', t('fieldAssess.def.timelyRate')],
    ['returned', t('fieldAssess.def.returned')],
    [
      'score',
      w
        ? t('fieldAssess.def.score', {
            onTime: w.onTime,
            collected: w.collected,
            collectedCap: w.collectedCap,
            verified: w.verified,
            verifiedCap: w.verifiedCap,
            timely: w.timely,
            penalty: w.returnPenalty,
            penaltyCap: w.returnPenaltyCap,
          })
        : t('fieldAssess.def.scoreNoWeights'),
    ],
  ] as const;
  return (
    <Card title={t('fieldAssess.explain.title')} data-testid="assess-explain">
      <Descriptions
        column={1}
        size="small"
        labelStyle={{ width: 140 }}
        items={items.map(([k, text]) => ({ key: k, label: t(`fieldAssess.col.${k}` as 'fieldAssess.col.score'), children: text }))}
      />
    </Card>
  );
}

/** 网格员考核: the month's figures of the workers in scope, ranked by score; weights for field.configure. */
export default function AssessmentPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const [month, setMonth] = useState(dayjs());
  const [unitId, setUnitId] = useState<string | undefined>();
  const [editing, setEditing] = useState(false);
  const figures = useAssessment({ month: monthOf(month), unitId });
  const weights = useWeights();
  const canConfigure = can('field.configure');

  return (
    <PageContainer
      subtitle={t('fieldAssess.subtitle')}
      extra={
        canConfigure ? (
          <Button icon={<SettingOutlined />} onClick={() => setEditing(true)} disabled={!weights.data} data-testid="weights-edit">
            {t('fieldAssess.weights.edit')}
          </Button>
        ) : null
      }
    >
      <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <Card>
          <Flex gap={12} wrap align="center">
            <Typography.Text>{t('fieldAssess.month')}</Typography.Text>
            <DatePicker picker="month" value={month} allowClear={false} onChange={(d) => d && setMonth(d)} disabledDate={(d) => d.isAfter(dayjs(), 'month')} data-testid="assess-month" />
            <Typography.Text>{t('fieldTasks.filter.unit')}</Typography.Text>
            <div style={{ width: 300, maxWidth: '100%' }}>
              <OrgUnitSelect value={unitId} onChange={setUnitId} placeholder={t('fieldTasks.filter.unit.all')} />
            </div>
            <Typography.Text type="secondary">{t('fieldAssess.computed')}</Typography.Text>
          </Flex>
        </Card>
        {figures.isError ? <ProblemAlert error={figures.error} /> : null}
        <Card title={t('fieldAssess.table', { month: monthOf(month) })}>
          <Table<WorkerFigures>
            rowKey="workerId"
            size="middle"
            loading={figures.isFetching}
            dataSource={figures.data ?? []}
            pagination={{ pageSize: 50, hideOnSinglePage: true, showTotal: (n) => t('common.total', { total: n }) }}
            scroll={{ x: 1200 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldAssess.empty')} /> }}
            columns={[
              {
                key: 'rank',
                title: t('fieldAssess.col.rank'),
                width: 70,
                align: 'center',
                fixed: 'left',
                render: (_, r) =>
                  r.rank != null && r.rank <= 3 && r.score > 0 ? (
                    <TrophyFilled style={{ color: MEDALS[r.rank - 1], fontSize: 18 }} aria-label={String(r.rank)} />
                  ) : (
                    <Typography.Text type="secondary">{r.rank}</Typography.Text>
                  ),
              },
              {
                key: 'name',
                title: t('fieldAssess.col.worker'),
                width: 170,
                fixed: 'left',
                render: (_, r) => (
                  <div>
                    <Typography.Text strong>{r.name}</Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.orgUnitName}
                      </Typography.Text>
                    </div>
                  </div>
                ),
              },
              { key: 'tasksDue', title: t('fieldAssess.col.tasksDue'), width: 100, align: 'right', render: (_, r) => r.tasksDue },
              { key: 'onTime', title: t('fieldAssess.col.onTimeRate'), width: 150, render: (_, r) => <RateCell rate={r.onTimeRate} part={r.tasksOnTime} whole={r.tasksDue} /> },
              {
                key: 'items',
                title: t('fieldAssess.col.itemsCollected'),
                width: 110,
                align: 'right',
                render: (_, r) => (
                  <Tooltip title={t('fieldAssess.itemsSplit', { items: r.items, changes: r.changes })}>
                    <span>{r.itemsCollected}</span>
                  </Tooltip>
                ),
              },
              { key: 'verified', title: t('fieldAssess.col.recordsVerified'), width: 110, align: 'right', render: (_, r) => r.recordsVerified },
              { key: 'timely', title: t('fieldAssess.col.timelyRate'), width: 150, render: (_, r) => <RateCell rate={r.timelyRate} part={Math.round((r.timelyRate ?? 0) * r.itemsCollected)} whole={r.itemsCollected} /> },
              {
                key: 'returned',
                title: t('fieldAssess.col.returned'),
                width: 90,
                align: 'right',
                render: (_, r) => (r.returned ? <Tag color="error">{r.returned}</Tag> : <Typography.Text type="secondary">0</Typography.Text>),
              },
              {
                key: 'score',
                title: (
                  <Tooltip title={t('fieldAssess.scoreHint')}>
                    {t('fieldAssess.col.score')} <InfoCircleOutlined />
                  </Tooltip>
                ),
                width: 100,
                align: 'right',
                fixed: 'right',
                render: (_, r) => <ScoreCell r={r} />,
              },
            ]}
          />
        </Card>
        {weights.isError ? <ProblemAlert error={weights.error} /> : null}
        <Explanation w={weights.data} />
      </div>
      {editing && weights.data ? <WeightsModal weights={weights.data} onClose={() => setEditing(false)} /> : null}
    </PageContainer>
  );
}
