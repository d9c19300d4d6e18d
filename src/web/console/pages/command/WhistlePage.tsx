import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { App, Button, Card, Col, Collapse, Descriptions, Flex, Popconfirm, Result, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleOutlined, RedoOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { isApiError } from '../../../shared/api';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { PageContainer } from '../../layout/PageContainer';
import { useConfirmWhistle, useReopenWhistle, useWhistle, type WhistleResponse } from '../../data/command';
import { EventsTimeline, ResponseChip, ResponseStatusTag, TextModal, WhistleStatusTag, fmt, useDuration, useNow, useTextModalOutcome } from './parts';
import { ResponseActions } from './WhistleInboxPage';

function ResponsesTable({ rows, now, actions }: { rows: WhistleResponse[]; now: number; actions: boolean }) {
  const { t } = useI18n();
  const dur = useDuration();
  return (
    <Table<WhistleResponse>
      rowKey="id"
      size="middle"
      pagination={false}
      dataSource={rows}
      scroll={{ x: 900 }}
      columns={[
        { key: 'dept', title: t('cmd.col.dept'), width: 150, render: (_, r) => r.departmentName },
        { key: 'status', title: t('common.status'), width: 200, render: (_, r) => (r.status === 'pending' ? <ResponseChip r={r} now={now} withName={false} /> : <ResponseStatusTag status={r.status} />) },
        { key: 'due', title: t('cmd.col.due'), width: 150, render: (_, r) => fmt(r.dueAt) },
        {
          key: 'ack',
          title: t('cmd.col.acked'),
          width: 210,
          render: (_, r) =>
            r.acknowledgedAt ? (
              <span>
                {fmt(r.acknowledgedAt)} {r.acknowledgedBy ?? t('cmd.dutyDesk')}
                {r.responseMinutes !== null ? <Typography.Text type="secondary"> · {dur(r.responseMinutes)}</Typography.Text> : null}
                {r.overdue ? <Tag color="warning" style={{ marginInlineStart: 4 }}>{t('cmd.late')}</Tag> : null}
              </span>
            ) : (
              t('common.none')
            ),
        },
        {
          key: 'report',
          title: t('cmd.col.report'),
          render: (_, r) =>
            r.reportedAt ? (
              <div>
                <div style={{ whiteSpace: 'pre-wrap' }}>{r.report}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {fmt(r.reportedAt)} {r.reportedBy ?? t('cmd.dutyDesk')}
                  {r.handlingMinutes !== null ? ` · ${t('cmd.handling', { d: dur(r.handlingMinutes) })}` : ''}
                </Typography.Text>
              </div>
            ) : (
              t('common.none')
            ),
        },
        ...(actions ? [{ key: 'actions', title: t('common.actions'), width: 200, render: (_: unknown, r: WhistleResponse) => (r.mine ? <ResponseActions r={r} /> : null) }] : []),
      ]}
    />
  );
}

/** 吹哨详情: the scenario, what happened, each department's response and report; confirm or reopen. */
export default function WhistlePage() {
  const { t } = useI18n();
  const { id } = useParams();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const now = useNow();
  const dur = useDuration();
  const q = useWhistle(id);
  const confirm = useConfirmWhistle();
  const reopen = useReopenWhistle();
  const [reopening, setReopening] = useState(false);
  const [reasonError, setReasonError] = useState<string>();
  const reopened = useTextModalOutcome('reason', () => setReopening(false), setReasonError);
  const w = q.data;

  if (q.isError) {
    return (
      <PageContainer>
        {isApiError(q.error) && q.error.status === 404 ? <Result status="404" title={t('cmd.whistle.notFound')} extra={<Link to="/command/whistles">{t('cmd.backWhistles')}</Link>} /> : <ProblemAlert error={q.error} />}
      </PageContainer>
    );
  }
  if (!w) return <PageContainer>{<Skeleton active />}</PageContainer>;
  const mineOpen = w.status === 'open' && w.responses.some((r) => r.mine);

  return (
    <PageContainer
      title={
        <Space>
          {w.scenario.urgent ? <Tag color="red">{t('cmd.urgent')}</Tag> : null}
          <span>{w.title}</span>
        </Space>
      }
      subtitle={
        <Space size={8}>
          <span className="fq-mono">{w.code}</span>
          <WhistleStatusTag status={w.status} />
          {w.round > 1 ? <Tag>{t('cmd.round', { n: w.round })}</Tag> : null}
        </Space>
      }
      extra={
        w.canConfirm ? (
          <Space>
            <Button icon={<RedoOutlined />} onClick={() => (setReasonError(undefined), setReopening(true))} data-testid="whistle-reopen">
              {t('cmd.reopen')}
            </Button>
            <Popconfirm title={t('cmd.confirm.confirm')} onConfirm={() => confirm.mutate(w.id, { onSuccess: () => message.success(t('cmd.confirm.done')), onError: notifyError })} okText={t('cmd.confirm')} cancelText={t('common.cancel')}>
              <Button type="primary" icon={<CheckCircleOutlined />} loading={confirm.isPending} data-testid="whistle-confirm">
                {t('cmd.confirm')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null
      }
    >
      <Flex vertical gap={16}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={16}>
            <Card style={{ height: '100%' }}>
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label={t('cmd.raise.scenario')}>{w.scenario.name}</Descriptions.Item>
                <Descriptions.Item label={t('cmd.col.responseTime')}>{dur(w.scenario.responseMinutes)}</Descriptions.Item>
                <Descriptions.Item label={t('cmd.col.station')}>{w.station.name}</Descriptions.Item>
                <Descriptions.Item label={t('cmd.col.raised')}>
                  {fmt(w.raisedAt)} {w.raisedBy}
                </Descriptions.Item>
                {w.incident ? (
                  <Descriptions.Item label={t('cmd.col.incident')}>
                    <Link to={`/command/incidents/${w.incident.id}`}>{w.incident.code}</Link>
                  </Descriptions.Item>
                ) : null}
                {w.address ? <Descriptions.Item label={t('cmd.col.address')}>{w.address.text}</Descriptions.Item> : null}
                {w.confirmedAt ? (
                  <Descriptions.Item label={t('cmd.col.confirmed')}>
                    {fmt(w.confirmedAt)} {w.confirmedBy}
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
              <Typography.Title level={5}>{t('cmd.raise.description')}</Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{w.description}</Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card title={t('cmd.whistle.clocks')} style={{ height: '100%' }}>
              <Flex vertical gap={6}>
                {w.responses.map((r) => (
                  <ResponseChip key={r.id} r={r} now={now} />
                ))}
              </Flex>
              {w.status === 'reported' ? <Typography.Paragraph style={{ marginTop: 12 }}>{t('cmd.whistle.awaitConfirm')}</Typography.Paragraph> : null}
            </Card>
          </Col>
        </Row>
        <Card title={w.round > 1 ? t('cmd.responsesRound', { n: w.round }) : t('cmd.responses')}>
          <ResponsesTable rows={w.responses} now={now} actions={mineOpen} />
        </Card>
        {w.earlierRounds.length ? (
          <Collapse
            items={[...new Set(w.earlierRounds.map((r) => r.round))].map((n) => ({
              key: String(n),
              label: t('cmd.responsesRound', { n }),
              children: <ResponsesTable rows={w.earlierRounds.filter((r) => r.round === n)} now={now} actions={false} />,
            }))}
          />
        ) : null}
        <Card title={t('cmd.timeline')}>
          <EventsTimeline events={w.events} />
        </Card>
      </Flex>
      <TextModal
        open={reopening}
        title={t('cmd.reopen.title')}
        label={t('cmd.reopen.reason')}
        placeholder={t('cmd.reopen.ph')}
        okText={t('cmd.reopen')}
        saving={reopen.isPending}
        error={reasonError}
        onCancel={() => setReopening(false)}
        onOk={(reason) =>
          reopen.mutate(
            { id: w.id, reason },
            reopened(t('cmd.reopen.done')),
          )
        }
      />
    </PageContainer>
  );
}
