import { useState } from 'react';
import { Link } from 'react-router';
import { App, Button, Card, Flex, Space, Tag, Typography } from 'antd';
import { CheckOutlined, EditOutlined, ToolOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { useRespond, useWhistleInbox, type InboxResponse, type WhistleResponse } from '../../data/command';
import { ResponseChip, ResponseStatusTag, TextModal, fmt, useNow, useTextModalOutcome } from './parts';
import { InboxShell, useInboxState } from './InboxShell';

/** 响应 / 处置 / 反馈 for one of the department's responses (shared with the whistle's detail). */
export function ResponseActions({ r, size = 'small' }: { r: Pick<WhistleResponse, 'id' | 'status'>; size?: 'small' | 'middle' | 'large' }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const respond = useRespond();
  const [reporting, setReporting] = useState(false);
  const [error, setError] = useState<string>();
  const reported = useTextModalOutcome('report', () => setReporting(false), setError);
  const step = (s: 'acknowledge' | 'act') =>
    respond.mutate({ id: r.id, step: s }, { onSuccess: () => message.success(t(s === 'acknowledge' ? 'cmd.ack.done' : 'cmd.act.done')), onError: notifyError });
  if (r.status === 'reported') return null;
  return (
    <Space size={8} wrap>
      {r.status === 'pending' ? (
        <Button type="primary" size={size} icon={<CheckOutlined />} loading={respond.isPending} onClick={() => step('acknowledge')} data-testid="response-ack">
          {t('cmd.ack')}
        </Button>
      ) : null}
      {r.status === 'acknowledged' ? (
        <Button size={size} icon={<ToolOutlined />} loading={respond.isPending} onClick={() => step('act')} data-testid="response-act">
          {t('cmd.act')}
        </Button>
      ) : null}
      {r.status === 'acknowledged' || r.status === 'acting' ? (
        <Button type={r.status === 'acting' ? 'primary' : 'default'} size={size} icon={<EditOutlined />} onClick={() => (setError(undefined), setReporting(true))} data-testid="response-report">
          {t('cmd.report')}
        </Button>
      ) : null}
      <TextModal
        open={reporting}
        title={t('cmd.wreport.title')}
        label={t('cmd.wreport.label')}
        placeholder={t('cmd.wreport.ph')}
        okText={t('cmd.report.submit')}
        saving={respond.isPending}
        error={error}
        onCancel={() => setReporting(false)}
        onOk={(report) =>
          respond.mutate(
            { id: r.id, step: 'report', report },
            reported(t('cmd.report.done')),
          )
        }
      />
    </Space>
  );
}

function InboxCard({ r, now }: { r: InboxResponse; now: number }) {
  const { t } = useI18n();
  const w = r.whistle;
  const late = r.current && r.status === 'pending' && now > Date.parse(r.dueAt);
  return (
    <Card
      size="small"
      data-testid="winbox-card"
      style={{ borderInlineStart: `6px solid ${w.urgent ? '#cf1322' : '#1f4e9c'}`, background: late ? '#fff1f0' : undefined }}
      title={
        <Space size={8} wrap>
          {w.urgent ? <Tag color="red">{t('cmd.urgent')}</Tag> : null}
          <Link to={`/command/whistles/${w.id}`} style={{ fontSize: 16 }}>
            {w.title}
          </Link>
        </Space>
      }
      extra={r.current ? <ResponseChip r={r} now={now} withName={false} /> : <ResponseStatusTag status={r.status} />}
    >
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Space direction="vertical" size={2} style={{ maxWidth: 760 }}>
          <Typography.Text type="secondary">
            <span className="fq-mono">{w.code}</span> · {w.scenarioName} · {t('cmd.winbox.from', { station: w.stationName, who: w.raisedBy, at: fmt(w.raisedAt) })}
            {r.round > 1 ? ` · ${t('cmd.round', { n: r.round })}` : ''}
          </Typography.Text>
          <Typography.Paragraph ellipsis={{ rows: 2, expandable: true, symbol: t('common.more') }} style={{ marginBottom: 0 }}>
            {w.description}
          </Typography.Paragraph>
          <Typography.Text>
            {t('cmd.col.due')}：<b style={{ color: late ? '#cf1322' : undefined }}>{fmt(r.dueAt)}</b>
          </Typography.Text>
          {r.report ? <Typography.Text type="success">{t('cmd.winbox.myReport', { text: r.report })}</Typography.Text> : null}
          {!r.current && r.status !== 'reported' ? <Tag>{t('cmd.winbox.closedRound')}</Tag> : null}
        </Space>
        {r.current ? <ResponseActions r={r} size="large" /> : null}
      </Flex>
    </Card>
  );
}

/** 警种报到: the whistles to the caller's department with a countdown, and 响应 / 处置 / 反馈. */
export default function WhistleInboxPage() {
  const { t } = useI18n();
  const now = useNow();
  const state = useInboxState('all');
  const q = useWhistleInbox({ status: state.statusParam, ...state.paging });
  return (
    <InboxShell
      subtitle={t('cmd.winbox.subtitle')}
      state={state}
      statuses={[
        { value: 'all', label: t('common.all') },
        { value: 'pending', label: t('cmd.response.pending') },
        { value: 'acknowledged', label: t('cmd.response.acknowledged') },
        { value: 'acting', label: t('cmd.response.acting') },
        { value: 'reported', label: t('cmd.response.reported') },
      ]}
      query={q}
      empty={t('cmd.winbox.empty')}
      renderItem={(r) => <InboxCard key={r.id} r={r} now={now} />}
    />
  );
}
