import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { App, Button, Card, Col, Descriptions, Flex, Popconfirm, Result, Row, Skeleton, Space, Statistic, Table, Tag, Typography } from 'antd';
import { CheckOutlined, EditOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { isApiError } from '../../../shared/api';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { PageContainer } from '../../layout/PageContainer';
import { LEVEL_COLORS, useDirective, useEndDirective, useReportTarget, useSignTarget, type DirectiveTarget } from '../../data/command';
import { DirectiveStatusTag, EventsTimeline, LevelTag, TargetStatusTag, TextModal, fmt, pctText, useTextModalOutcome } from './parts';

/** Sign and report buttons for a target the viewer may handle (shared with the inbox). */
export function TargetActions({ target, size = 'small', disabled }: { target: Pick<DirectiveTarget, 'id' | 'status' | 'canHandle' | 'name'>; size?: 'small' | 'middle' | 'large'; disabled?: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const sign = useSignTarget();
  const report = useReportTarget();
  const [reporting, setReporting] = useState(false);
  const [error, setError] = useState<string>();
  const reported = useTextModalOutcome('feedback', () => setReporting(false), setError);
  if (!target.canHandle || target.status === 'reported') return null;
  return (
    <Space size={8} wrap>
      {target.status === 'issued' ? (
        <Button
          type="primary"
          size={size}
          icon={<CheckOutlined />}
          disabled={disabled}
          loading={sign.isPending}
          onClick={() => sign.mutate(target.id, { onSuccess: () => message.success(t('cmd.sign.done')), onError: notifyError })}
          data-testid="target-sign"
        >
          {t('cmd.sign')}
        </Button>
      ) : null}
      <Button size={size} icon={<EditOutlined />} disabled={disabled} onClick={() => (setError(undefined), setReporting(true))} data-testid="target-report">
        {t('cmd.report')}
      </Button>
      <TextModal
        open={reporting}
        title={t('cmd.report.title', { name: target.name })}
        label={t('cmd.report.label')}
        placeholder={t('cmd.report.ph')}
        okText={t('cmd.report.submit')}
        saving={report.isPending}
        error={error}
        onCancel={() => setReporting(false)}
        onOk={(feedback) =>
          report.mutate(
            { id: target.id, feedback },
            reported(t('cmd.report.done')),
          )
        }
      />
    </Space>
  );
}

/** 指令详情: content, required actions, each target's sign-off and feedback, the timeline; close/withdraw. */
export default function DirectivePage() {
  const { t } = useI18n();
  const { id } = useParams();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const q = useDirective(id);
  const end = useEndDirective();
  const d = q.data;

  if (q.isError) {
    return (
      <PageContainer>
        {isApiError(q.error) && q.error.status === 404 ? (
          <Result status="404" title={t('cmd.directive.notFound')} extra={<Link to="/command/directive-inbox">{t('cmd.backInbox')}</Link>} />
        ) : (
          <ProblemAlert error={q.error} />
        )}
      </PageContainer>
    );
  }
  if (!d) return <PageContainer>{<Skeleton active />}</PageContainer>;
  const finish = (how: 'close' | 'withdraw') => end.mutate({ id: d.id, how }, { onSuccess: () => message.success(t(how === 'close' ? 'cmd.close.done' : 'cmd.withdraw.done')), onError: notifyError });

  return (
    <PageContainer
      title={
        <Space>
          <LevelTag level={d.level} />
          <span>{d.title}</span>
        </Space>
      }
      subtitle={
        <Space size={8}>
          <span className="fq-mono">{d.code}</span>
          <DirectiveStatusTag status={d.status} />
        </Space>
      }
      extra={
        d.canManage ? (
          <Space>
            <Popconfirm title={t('cmd.close.confirm')} onConfirm={() => finish('close')} okText={t('cmd.close')} cancelText={t('common.cancel')}>
              <Button icon={<StopOutlined />} loading={end.isPending && end.variables?.how === 'close'} data-testid="directive-close">
                {t('cmd.close')}
              </Button>
            </Popconfirm>
            <Popconfirm title={t('cmd.withdraw.confirm')} onConfirm={() => finish('withdraw')} okText={t('cmd.withdraw')} cancelText={t('common.cancel')} okButtonProps={{ danger: true }}>
              <Button danger icon={<RollbackOutlined />} loading={end.isPending && end.variables?.how === 'withdraw'} data-testid="directive-withdraw">
                {t('cmd.withdraw')}
              </Button>
            </Popconfirm>
          </Space>
        ) : null
      }
    >
      <Flex vertical gap={16}>
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={16}>
            <Card style={{ borderTop: `4px solid ${LEVEL_COLORS[d.level]}`, height: '100%' }}>
              <Descriptions column={{ xs: 1, sm: 2 }} size="small">
                <Descriptions.Item label={t('cmd.col.issuer')}>
                  {d.issuer.name}（{d.issuer.unitName}）
                </Descriptions.Item>
                <Descriptions.Item label={t('cmd.col.issued')}>{fmt(d.issuedAt)}</Descriptions.Item>
                <Descriptions.Item label={t('cmd.col.deadline')}>
                  <span style={{ color: d.status === 'active' && Date.parse(d.deadline) < Date.now() && d.reported < d.targets.length ? '#cf1322' : undefined }}>{fmt(d.deadline)}</span>
                </Descriptions.Item>
                {d.incident ? (
                  <Descriptions.Item label={t('cmd.col.incident')}>
                    <Link to={`/command/incidents/${d.incident.id}`}>{d.incident.code}</Link>
                  </Descriptions.Item>
                ) : null}
                {d.closedAt ? (
                  <Descriptions.Item label={t(d.status === 'withdrawn' ? 'cmd.col.withdrawn' : 'cmd.col.closed')}>
                    {fmt(d.closedAt)} {d.closedBy}
                  </Descriptions.Item>
                ) : null}
              </Descriptions>
              <Typography.Title level={5}>{t('cmd.issue.content')}</Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{d.content}</Typography.Paragraph>
              <Typography.Title level={5}>{t('cmd.issue.actions')}</Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{d.actions}</Typography.Paragraph>
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card style={{ height: '100%' }}>
              <Statistic title={t('cmd.rate.feedback')} value={pctText(d.feedbackRate)} styles={{ content: { fontSize: 36, fontWeight: 700, color: '#1f4e9c' } }} data-testid="detail-feedback-rate" />
              <Flex gap={24} style={{ marginTop: 12 }}>
                <Statistic title={t('cmd.rate.sign')} value={pctText(d.signRate)} />
                <Statistic title={t('cmd.rate.onTime')} value={pctText(d.onTimeRate)} />
              </Flex>
              <Typography.Text type="secondary">{t('cmd.progress', { signed: d.signed, reported: d.reported, targets: d.targets.length })}</Typography.Text>
            </Card>
          </Col>
        </Row>
        <Card title={t('cmd.targets')}>
          <Table<DirectiveTarget>
            rowKey="id"
            size="middle"
            pagination={false}
            dataSource={d.targets}
            scroll={{ x: 1000 }}
            columns={[
              {
                key: 'name',
                title: t('cmd.col.unit'),
                width: 170,
                render: (_, x) => (
                  <Space size={4}>
                    <span>{x.name}</span>
                    {x.kind === 'department' ? <Tag>{t('cmd.dept')}</Tag> : null}
                  </Space>
                ),
              },
              { key: 'status', title: t('common.status'), width: 90, render: (_, x) => <TargetStatusTag status={x.status} /> },
              {
                key: 'signed',
                title: t('cmd.col.signed'),
                width: 190,
                render: (_, x) =>
                  x.signedAt ? (
                    <span>
                      {fmt(x.signedAt)} {x.signedBy ?? t('cmd.dutyDesk')}
                      {x.signOverdue ? <Tag color="warning" style={{ marginInlineStart: 4 }}>{t('cmd.late')}</Tag> : null}
                    </span>
                  ) : (
                    <span style={{ color: x.signOverdue ? '#cf1322' : undefined }}>{t('cmd.signDue', { at: fmt(x.signDueAt) })}</span>
                  ),
              },
              {
                key: 'reported',
                title: t('cmd.col.reported'),
                width: 170,
                render: (_, x) =>
                  x.reportedAt ? (
                    <span>
                      {fmt(x.reportedAt)} {x.reportedBy ?? t('cmd.dutyDesk')}
                    </span>
                  ) : (
                    t('common.none')
                  ),
              },
              { key: 'feedback', title: t('cmd.col.feedback'), render: (_, x) => <span style={{ whiteSpace: 'pre-wrap' }}>{x.feedback ?? t('common.none')}</span> },
              {
                key: 'flags',
                title: t('cmd.col.flags'),
                width: 150,
                render: (_, x) => (
                  <Space size={4} wrap>
                    {x.feedbackOverdue ? <Tag color="error">{t(x.status === 'reported' ? 'cmd.lateFeedback' : 'cmd.overdue')}</Tag> : null}
                    {x.escalationLevel ? <Tag color="volcano">{t('cmd.escalation', { n: x.escalationLevel })}</Tag> : null}
                  </Space>
                ),
              },
              { key: 'actions', title: t('common.actions'), width: 170, render: (_, x) => <TargetActions target={x} disabled={d.status !== 'active'} /> },
            ]}
          />
        </Card>
        <Card title={t('cmd.timeline')}>
          <EventsTimeline events={d.events} />
        </Card>
      </Flex>
    </PageContainer>
  );
}
