import { useMemo, useState } from 'react';
import { Card, DatePicker, Empty, Flex, Table, Tooltip, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { OrgUnitSelect } from '../../../components/OrgUnitSelect';
import { useDispatchStats } from '../../../data/field-routing';
import type { StatsRow } from '../../../data/field-routing';
import { formatSpan } from './labels';

const COLORS = { received: '#8fb3e8', closed: '#52c41a', overdue: '#f5222d' };

/** A horizontal bar per owner: received, with the closed and the overdue share drawn over it. */
function Bars({ rows }: { rows: StatsRow[] }) {
  const { t } = useI18n();
  const max = Math.max(1, ...rows.map((r) => r.received));
  return (
    <div data-testid="stats-chart">
      <Flex gap={16} style={{ marginBottom: 12 }} wrap>
        {(['received', 'closed', 'overdue'] as const).map((k) => (
          <Flex key={k} gap={6} align="center">
            <span style={{ width: 12, height: 12, borderRadius: 2, background: COLORS[k], display: 'inline-block' }} />
            <Typography.Text type="secondary">{t(`fieldRouting.stats.${k}`)}</Typography.Text>
          </Flex>
        ))}
      </Flex>
      <Flex vertical gap={10}>
        {rows.map((r) => (
          <Flex key={r.departmentId ?? 'officer'} align="center" gap={12}>
            <Typography.Text ellipsis={{ tooltip: r.ownerName }} style={{ width: 150, flex: 'none', textAlign: 'right' }}>
              {r.targetKind === 'officer' ? t('fieldRouting.officer') : r.ownerName}
            </Typography.Text>
            <Tooltip title={t('fieldRouting.stats.barTip', { received: r.received, closed: r.closed, overdue: r.overdue })}>
              <div style={{ flex: 1, position: 'relative', height: 20, background: '#f5f5f5', borderRadius: 3 }}>
                <div style={{ position: 'absolute', insetBlock: 0, insetInlineStart: 0, width: `${(r.received / max) * 100}%`, background: COLORS.received, borderRadius: 3 }} />
                <div style={{ position: 'absolute', top: 4, bottom: 4, insetInlineStart: 0, width: `${(r.closed / max) * 100}%`, background: COLORS.closed, borderRadius: 2 }} />
                {r.overdue ? (
                  <div style={{ position: 'absolute', top: 4, bottom: 4, insetInlineStart: `${(r.closed / max) * 100}%`, width: `${(r.overdue / max) * 100}%`, background: COLORS.overdue, borderRadius: 2 }} />
                ) : null}
              </div>
            </Tooltip>
            <Typography.Text style={{ width: 48, flex: 'none' }}>{r.received}</Typography.Text>
          </Flex>
        ))}
      </Flex>
    </div>
  );
}

/** 分派办理统计: per department, in a period and a unit of the jurisdiction. */
export default function DispatchStatsPage() {
  const { t } = useI18n();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().startOf('month'), dayjs()]);
  const [unitId, setUnitId] = useState<string>();
  const stats = useDispatchStats({ unitId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
  const rows = useMemo(() => stats.data?.rows ?? [], [stats.data]);
  const hours = (h: number | null) => (h == null ? t('common.none') : formatSpan(t, h * 3_600_000));
  const rate = (a: number, b: number) => (b ? `${Math.round((a / b) * 100)}%` : t('common.none'));
  const totals = rows.reduce(
    (s, r) => ({ received: s.received + r.received, accepted: s.accepted + r.accepted, closed: s.closed + r.closed, overdue: s.overdue + r.overdue, escalated: s.escalated + r.escalated }),
    { received: 0, accepted: 0, closed: 0, overdue: 0, escalated: 0 },
  );

  return (
    <PageContainer subtitle={t('fieldRouting.stats.subtitle')}>
      <Flex vertical gap={16}>
        <Card>
          <Flex gap={12} wrap align="center">
            <DatePicker.RangePicker
              value={range}
              allowClear={false}
              disabledDate={(d) => d.isAfter(dayjs(), 'day')}
              presets={[
                { label: t('fieldRouting.stats.thisMonth'), value: [dayjs().startOf('month'), dayjs()] },
                { label: t('fieldRouting.stats.lastMonth'), value: [dayjs().subtract(1, 'month').startOf('month'), dayjs().subtract(1, 'month').endOf('month')] },
                { label: t('fieldRouting.stats.last30'), value: [dayjs().subtract(29, 'day'), dayjs()] },
              ]}
              onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
              data-testid="stats-range"
            />
            <OrgUnitSelect value={unitId} onChange={setUnitId} placeholder={t('fieldRouting.stats.allUnits')} style={{ width: 280 }} />
            {rows.length ? (
              <Typography.Text type="secondary">
                {t('fieldRouting.stats.summary', { received: totals.received, closed: totals.closed, rate: rate(totals.closed, totals.received), overdue: totals.overdue, escalated: totals.escalated })}
              </Typography.Text>
            ) : null}
          </Flex>
        </Card>
        {stats.isError ? (
          <ProblemAlert error={stats.error} />
        ) : (
          <>
            <Card title={t('fieldRouting.stats.chart')} loading={stats.isPending}>
              {rows.length ? <Bars rows={rows} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldRouting.stats.empty')} />}
            </Card>
            <Card title={t('fieldRouting.stats.table')}>
              <Table<StatsRow>
                rowKey={(r) => r.departmentId ?? 'officer'}
                size="middle"
                loading={stats.isFetching}
                dataSource={rows}
                pagination={false}
                scroll={{ x: 1000 }}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldRouting.stats.empty')} /> }}
                columns={[
                  { key: 'owner', title: t('fieldRouting.owner'), fixed: 'left', width: 180, render: (_, r) => (r.targetKind === 'officer' ? t('fieldRouting.officer') : r.ownerName) },
                  { key: 'received', title: t('fieldRouting.stats.received'), dataIndex: 'received', width: 80, sorter: (a, b) => a.received - b.received },
                  { key: 'accepted', title: t('fieldRouting.stats.accepted'), dataIndex: 'accepted', width: 80 },
                  { key: 'closed', title: t('fieldRouting.stats.closed'), dataIndex: 'closed', width: 80 },
                  { key: 'rate', title: t('fieldRouting.stats.closeRate'), width: 90, render: (_, r) => rate(r.closed, r.received) },
                  { key: 'pending', title: t('fieldRouting.stats.pending'), dataIndex: 'pending', width: 80 },
                  {
                    key: 'overdue',
                    title: t('fieldRouting.stats.overdue'),
                    width: 80,
                    render: (_, r) => <Typography.Text type={r.overdue ? 'danger' : undefined} strong={!!r.overdue}>{r.overdue}</Typography.Text>,
                  },
                  { key: 'escalated', title: t('fieldRouting.stats.escalated'), dataIndex: 'escalated', width: 80 },
                  { key: 'rejected', title: t('fieldRouting.stats.rejected'), dataIndex: 'rejected', width: 80 },
                  { key: 'mAccept', title: t('fieldRouting.stats.medianAccept'), width: 130, render: (_, r) => hours(r.medianAcceptHours) },
                  { key: 'mClose', title: t('fieldRouting.stats.medianClose'), width: 130, render: (_, r) => hours(r.medianCloseHours) },
                ]}
              />
            </Card>
          </>
        )}
      </Flex>
    </PageContainer>
  );
}
