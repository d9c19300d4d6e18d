import { Link } from 'react-router';
import { Card, Flex, Space, Tag, Typography } from 'antd';
import { useI18n } from '../../../shared/i18n';
import { LEVEL_COLORS, useDirectiveInbox, type InboxTarget } from '../../data/command';
import { TargetActions } from './DirectivePage';
import { LevelTag, TargetStatusTag, fmt, useDuration, useNow } from './parts';
import { InboxShell, useInboxState } from './InboxShell';

function InboxCard({ x, now }: { x: InboxTarget; now: number }) {
  const { t } = useI18n();
  const dur = useDuration();
  const d = x.directive;
  const signDue = Date.parse(x.signDueAt);
  const deadline = Date.parse(d.deadline);
  const open = d.status === 'active' && x.status !== 'reported';
  let clock: React.ReactNode = null;
  if (open && x.status === 'issued') {
    clock = now > signDue ? <Tag color="error">{t('cmd.inbox.signLate', { d: dur((now - signDue) / 60_000) })}</Tag> : <Tag color="processing">{t('cmd.inbox.signLeft', { d: dur((signDue - now) / 60_000) })}</Tag>;
  } else if (open) {
    clock = now > deadline ? <Tag color="error">{t('cmd.inbox.feedbackLate', { d: dur((now - deadline) / 60_000) })}</Tag> : <Tag color="processing">{t('cmd.inbox.feedbackLeft', { d: dur((deadline - now) / 60_000) })}</Tag>;
  }
  const deadlineLate = open && now > deadline;
  const late = deadlineLate || (open && x.status === 'issued' && now > signDue);
  return (
    <Card
      size="small"
      style={{ borderInlineStart: `6px solid ${LEVEL_COLORS[d.level]}`, background: late ? '#fff1f0' : undefined }}
      data-testid="inbox-card"
      title={
        <Space size={8} wrap>
          <LevelTag level={d.level} />
          <Link to={`/command/directives/${d.id}`} style={{ fontSize: 16 }}>
            {d.title}
          </Link>
        </Space>
      }
      extra={
        <Space size={4}>
          {clock}
          <TargetStatusTag status={x.status} />
        </Space>
      }
    >
      <Flex justify="space-between" align="center" gap={16} wrap>
        <Space direction="vertical" size={2}>
          <Typography.Text type="secondary">
            <span className="fq-mono">{d.code}</span> · {t('cmd.inbox.from', { who: d.issuer, at: fmt(d.issuedAt) })} · {t('cmd.inbox.to', { name: x.name })}
          </Typography.Text>
          <Typography.Text>
            {t('cmd.col.deadline')}：<b style={{ color: deadlineLate ? '#cf1322' : undefined }}>{fmt(d.deadline)}</b>
            {x.status === 'issued' ? <span> · {t('cmd.signDue', { at: fmt(x.signDueAt) })}</span> : null}
            {x.escalationLevel ? <Tag color="volcano" style={{ marginInlineStart: 8 }}>{t('cmd.escalation', { n: x.escalationLevel })}</Tag> : null}
          </Typography.Text>
          {x.feedback ? <Typography.Text type="success">{t('cmd.inbox.myFeedback', { text: x.feedback })}</Typography.Text> : null}
          {d.status !== 'active' ? <Tag>{t(d.status === 'closed' ? 'cmd.directive.closed' : 'cmd.directive.withdrawn')}</Tag> : null}
        </Space>
        <TargetActions target={x} size="large" disabled={d.status !== 'active'} />
      </Flex>
    </Card>
  );
}

/** 指令签收: the directives sent to the caller's unit or department, with big 签收 and 反馈 actions. */
export default function DirectiveInboxPage() {
  const { t } = useI18n();
  const now = useNow();
  const state = useInboxState('open');
  const q = useDirectiveInbox({ status: state.statusParam, ...state.paging });
  return (
    <InboxShell
      subtitle={t('cmd.inbox.subtitle')}
      state={state}
      statuses={[
        { value: 'open', label: t('cmd.inbox.open') },
        { value: 'issued', label: t('cmd.target.issued') },
        { value: 'signed', label: t('cmd.inbox.signedOnly') },
        { value: 'reported', label: t('cmd.target.reported') },
        { value: 'all', label: t('common.all') },
      ]}
      query={q}
      empty={t(state.status === 'open' ? 'cmd.inbox.emptyOpen' : 'cmd.inbox.empty')}
      filterTestId="inbox-filter"
      renderItem={(x) => <InboxCard key={x.id} x={x} now={now} />}
    />
  );
}
