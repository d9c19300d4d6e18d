import { useState } from 'react';
import type { ReactNode } from 'react';
import { Alert, Button, Card, Col, Empty, Flex, Progress, Row, Statistic, Table, Tooltip, Typography } from 'antd';
import { InfoCircleOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { OVERDUE_HOURS, percent, useReviewStats } from '../../data/portal';
import type { StatsRow } from '../../data/portal';
import { formatAge } from './labels';

/** Reference figures reported for the pilot areas (自主申报率 83 %, 出租屋登记率 92 %). */
const REFERENCE = { selfDeclaration: 83, rentalRegistration: 92 } as const;

type StatLine = Omit<StatsRow, 'orgUnitId' | 'orgUnitName'> & { orgUnitId?: string; orgUnitName?: string; isTotal?: boolean };

function Rate({ part, whole, rate, reference, testId }: { part: number; whole: number; rate: number | null; reference: number; testId?: string }) {
  const { t } = useI18n();
  const p = percent(part, whole, rate);
  if (p == null) return <Typography.Text type="secondary">{t('portalStats.noBase')}</Typography.Text>;
  return (
    <div style={{ minWidth: 150 }} data-testid={testId}>
      <Progress
        percent={p}
        size="small"
        format={(v) => `${v ?? 0}%`}
        strokeColor={p >= reference ? '#389e0d' : p >= reference - 20 ? '#d48806' : '#cf1322'}
      />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {part} / {whole}
      </Typography.Text>
    </div>
  );
}

/** 申报统计: self-declaration and rental registration rates and the state of the queue, per child unit. */
export default function StatsPage() {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const navigate = useNavigate();
  const [orgUnitId, setOrgUnitId] = useState<string | undefined>(me?.orgUnit?.id);
  const stats = useReviewStats(orgUnitId);
  const d = stats.data;
  const total: StatLine | null = d ? { ...d.total, orgUnitName: t('portalStats.total'), isTotal: true } : null;
  const totalSelf = total ? percent(total.floatingSelfDeclared, total.floating, total.selfDeclarationRate) : null;
  const totalRental = total ? percent(total.rentalsRegistered, total.rentals, total.rentalRegistrationRate) : null;

  return (
    <PageContainer
      subtitle={t('portalStats.subtitle')}
      extra={
        <Button icon={<UnorderedListOutlined />} onClick={() => navigate('/portal/reviews')}>
          {t('nav.portal.reviews')}
        </Button>
      }
    >
      <Space16>
        <Card>
          <Flex gap={12} wrap align="center">
            {can('org.read') ? (
              <>
                <Typography.Text>{t('portalStats.unit')}</Typography.Text>
                <div style={{ width: 320, maxWidth: '100%' }}>
                  <OrgUnitSelect value={orgUnitId} onChange={setOrgUnitId} allowClear={false} />
                </div>
              </>
            ) : null}
            {d ? <Typography.Text type="secondary">{t('portalStats.showing', { name: d.orgUnit.name })}</Typography.Text> : null}
          </Flex>
        </Card>
        {stats.isError ? <ProblemAlert error={stats.error} /> : null}
        {total ? (
          <Row gutter={[16, 16]}>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('portalStats.selfRate')} value={totalSelf ?? '—'} suffix={totalSelf != null ? '%' : undefined} precision={totalSelf != null ? 1 : undefined} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('portalStats.reference', { n: REFERENCE.selfDeclaration })}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic
                  title={t('portalStats.rentalRate')}
                  value={totalRental ?? '—'}
                  suffix={totalRental != null ? '%' : undefined}
                  precision={totalRental != null ? 1 : undefined}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('portalStats.reference', { n: REFERENCE.rentalRegistration })}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic title={t('portalStats.pending')} value={total.pending} />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('portalStats.oldest')}
                  {t('common.colon')}
                  {formatAge(t, total.oldestPendingHours)}
                </Typography.Text>
              </Card>
            </Col>
            <Col xs={12} lg={6}>
              <Card>
                <Statistic
                  title={t('portalStats.over72', { h: OVERDUE_HOURS })}
                  value={total.pendingOver72h}
                  styles={{ content: { color: total.pendingOver72h > 0 ? '#cf1322' : undefined } }}
                />
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('portalStats.submitted30d')}
                  {t('common.colon')}
                  {total.submitted30d}
                </Typography.Text>
              </Card>
            </Col>
          </Row>
        ) : null}
        <Card title={t('portalStats.byUnit')}>
          <Table<StatLine>
            rowKey={(r) => r.orgUnitId ?? 'total'}
            size="middle"
            loading={stats.isFetching}
            dataSource={d?.rows ?? []}
            pagination={false}
            scroll={{ x: 1180 }}
            onRow={(r) => ({
              onClick: () => r.orgUnitId && setOrgUnitId(r.orgUnitId),
              style: { cursor: 'pointer' },
              title: t('portalStats.drill'),
            })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalStats.noChildren')} /> }}
            columns={[
              {
                key: 'unit',
                title: t('portalStats.unitColumn'),
                width: 180,
                fixed: 'left',
                render: (_, r) => (r.isTotal ? <Typography.Text strong>{r.orgUnitName}</Typography.Text> : <a>{r.orgUnitName}</a>),
              },
              { key: 'floating', title: t('portalStats.floating'), width: 100, align: 'right', render: (_, r) => r.floating },
              {
                key: 'selfRate',
                title: (
                  <Tooltip title={t('portalStats.selfRateHint')}>
                    {t('portalStats.selfRate')} <InfoCircleOutlined />
                  </Tooltip>
                ),
                width: 190,
                render: (_, r) => <Rate part={r.floatingSelfDeclared} whole={r.floating} rate={r.selfDeclarationRate} reference={REFERENCE.selfDeclaration} />,
              },
              { key: 'rentals', title: t('portalStats.rentals'), width: 100, align: 'right', render: (_, r) => r.rentals },
              {
                key: 'rentalRate',
                title: (
                  <Tooltip title={t('portalStats.rentalRateHint')}>
                    {t('portalStats.rentalRate')} <InfoCircleOutlined />
                  </Tooltip>
                ),
                width: 190,
                render: (_, r) => <Rate part={r.rentalsRegistered} whole={r.rentals} rate={r.rentalRegistrationRate} reference={REFERENCE.rentalRegistration} />,
              },
              { key: 'pending', title: t('portalStats.pending'), width: 90, align: 'right', render: (_, r) => r.pending },
              {
                key: 'oldest',
                title: t('portalStats.oldest'),
                width: 120,
                render: (_, r) => (
                  <Typography.Text type={r.oldestPendingHours != null && r.oldestPendingHours > OVERDUE_HOURS ? 'danger' : undefined}>
                    {r.oldestPendingHours == null ? t('common.none') : formatAge(t, r.oldestPendingHours)}
                  </Typography.Text>
                ),
              },
              {
                key: 'over72',
                title: t('portalStats.over72', { h: OVERDUE_HOURS }),
                width: 110,
                align: 'right',
                render: (_, r) => <Typography.Text type={r.pendingOver72h > 0 ? 'danger' : undefined} strong={r.pendingOver72h > 0}>{r.pendingOver72h}</Typography.Text>,
              },
              { key: 'sub30', title: t('portalStats.submitted30d'), width: 110, align: 'right', render: (_, r) => r.submitted30d },
            ]}
            summary={() =>
              total ? (
                <Table.Summary fixed="bottom">
                  <Table.Summary.Row style={{ background: '#fafbfd', fontWeight: 600 }} data-testid="stats-total">
                    <Table.Summary.Cell index={0}>{total.orgUnitName}</Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {total.floating}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={2}>
                      <Rate part={total.floatingSelfDeclared} whole={total.floating} rate={total.selfDeclarationRate} reference={REFERENCE.selfDeclaration} />
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={3} align="right">
                      {total.rentals}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={4}>
                      <Rate part={total.rentalsRegistered} whole={total.rentals} rate={total.rentalRegistrationRate} reference={REFERENCE.rentalRegistration} />
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={5} align="right">
                      {total.pending}
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={6}>
                      <Typography.Text type={total.oldestPendingHours != null && total.oldestPendingHours > OVERDUE_HOURS ? 'danger' : undefined}>
                        {total.oldestPendingHours == null ? t('common.none') : formatAge(t, total.oldestPendingHours)}
                      </Typography.Text>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={7} align="right">
                      <Typography.Text type={total.pendingOver72h > 0 ? 'danger' : undefined}>{total.pendingOver72h}</Typography.Text>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={8} align="right">
                      {total.submitted30d}
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                </Table.Summary>
              ) : null
            }
          />
        </Card>
        <Alert
          type="info"
          showIcon
          title={t('portalStats.noteTitle')}
          description={t('portalStats.note', { self: REFERENCE.selfDeclaration, rental: REFERENCE.rentalRegistration })}
        />
      </Space16>
    </PageContainer>
  );
}

function Space16({ children }: { children: ReactNode }) {
  return <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>{children}</div>;
}
