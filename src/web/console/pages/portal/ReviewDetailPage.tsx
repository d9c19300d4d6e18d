import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Descriptions, Flex, Row, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CheckOutlined,
  EyeOutlined,
  FlagOutlined,
  RollbackOutlined,
  SolutionOutlined,
} from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { REGISTRY_KINDS, REPLY_KINDS, fetchFullIds, isPending, readOutcome, useReview, useReviewActions } from '../../data/portal';
import type { ApprovalOutcome, ReviewDetail } from '../../data/portal';
import { AgeText, KindTag, PhoneLink, SubmissionStatusTag } from './labels';
import { SubmissionView } from './SubmissionView';
import { RegistryPanel } from './RegistryPanel';
import { ApproveModal, PurposeModal, TextModal } from './ReviewModals';
import { MERGE_KINDS, keyLabel, submissionPersons } from './submission';
import type { SubmissionPerson } from './submission';

type Dialog = 'approve' | 'return' | 'complete' | 'ids' | null;

/** The registry records an approval created or linked, with links to them. */
function OutcomeAlert({ outcome, persons, address }: { outcome: ApprovalOutcome; persons: SubmissionPerson[]; address: string }) {
  const { t } = useI18n();
  return (
    <Alert
      type="success"
      showIcon
      icon={<CheckCircleOutlined />}
      title={t('portalReview.outcome.title')}
      data-testid="approve-outcome"
      description={
        <Space orientation="vertical" size={4}>
          {outcome.persons.map((p) => {
            const named = persons.find((x) => x.key === p.key);
            return (
              <span key={`${p.key}-${p.personId}`}>
                {p.key ? `${keyLabel(t, p.key)}${t('common.colon')}` : null}
                <Link to={`/registry/persons/${p.personId}`}>{p.name ?? named?.name ?? p.personId}</Link>
                {p.created === true ? (
                  <Tag color="blue" style={{ marginInlineStart: 6 }}>
                    {t('portalReview.outcome.created')}
                  </Tag>
                ) : p.created === false ? (
                  <Tag style={{ marginInlineStart: 6 }}>{t('portalReview.outcome.linked')}</Tag>
                ) : null}
              </span>
            );
          })}
          {outcome.addressId ? (
            <span>
              {t('portalReview.outcome.address')}
              <Link to={`/registry/addresses/${outcome.addressId}`}>{address}</Link>
            </span>
          ) : null}
          {outcome.registrationNo ? (
            <span>
              {t('portalReview.outcome.registrationNo')}
              <Typography.Text code copyable>
                {outcome.registrationNo}
              </Typography.Text>
            </span>
          ) : null}
        </Space>
      }
    />
  );
}

function ReviewTimeline({ review }: { review: ReviewDetail }) {
  const { tx } = useI18n();
  const events = [...(review.timeline ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Timeline
      items={events.map((e, i) => ({
        key: `${e.at}-${i}`,
        color: e.status === 'returned' ? 'red' : e.status === 'done' || e.status === 'approved' ? 'green' : e.status === 'withdrawn' ? 'gray' : 'blue',
        content: (
          <div>
            <Space size={6} wrap>
              <Typography.Text strong>{tx(`portalStatus.${e.status}`, e.statusName)}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatTime(e.at, DATE_TIME_SHORT)}
              </Typography.Text>
              {e.by ? (
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {e.by}
                </Typography.Text>
              ) : null}
            </Space>
            {e.note ? <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginTop: 2 }}>{e.note}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

/** One submission under review: the content, its history, the registry beside it, and the actions. */
export default function ReviewDetailPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const review = useReview(id);
  const actions = useReviewActions(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [ids, setIds] = useState<Map<string, string> | null>(null);
  const [outcome, setOutcome] = useState<ApprovalOutcome | null>(null);
  const reveal = useMutation({
    mutationFn: (purpose: string) => fetchFullIds(id, purpose),
    onSuccess: (map) => {
      setIds(map);
      setDialog(null);
    },
  });

  const r = review.data;
  const persons = useMemo(() => (r ? submissionPersons(r.kind, r.data ?? {}) : []), [r]);
  const shownOutcome = outcome ?? (r && r.status === 'done' ? readOutcome(r, r.registry?.addressId) : null);
  const canReview = can('portal.review');
  const pending = !!r && isPending(r.status);
  const hasIds = persons.some((p) => p.idNumber);
  const none = t('common.none');

  const close = () => setDialog(null);
  const onApproved = (answer: unknown) => {
    setDialog(null);
    setOutcome(readOutcome(answer as ReviewDetail, r?.registry?.addressId));
    message.success(t('portalReview.approve.done'));
    window.scrollTo({ top: 0, behavior: 'smooth' });
  };

  return (
    <PageContainer
      title={r ? r.trackingNo : t('nav.portal.review')}
      subtitle={
        r ? (
          <Space size={6} wrap>
            <KindTag kind={r.kind} name={r.kindName} />
            <SubmissionStatusTag status={r.status} name={r.statusName} />
            <span>{r.summary}</span>
          </Space>
        ) : undefined
      }
      extra={
        <Flex gap={8} wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/portal/reviews')}>
            {t('portalReview.back')}
          </Button>
          {r && hasIds && !ids && can('person.id_full') ? (
            <Button icon={<EyeOutlined />} onClick={() => setDialog('ids')} data-testid="ids-full">
              {t('portalReview.ids.button')}
            </Button>
          ) : null}
          {r && pending && canReview ? (
            <>
              {r.status === 'submitted' ? (
                <Button
                  icon={<SolutionOutlined />}
                  loading={actions.claim.isPending}
                  onClick={() =>
                    actions.claim.mutate(undefined, {
                      onSuccess: () => message.success(t('portalReview.claim.done')),
                    })
                  }
                  data-testid="review-claim"
                >
                  {t('portalReview.action.claim')}
                </Button>
              ) : null}
              <Button danger icon={<RollbackOutlined />} onClick={() => setDialog('return')} data-testid="review-return">
                {t('portalReview.action.return')}
              </Button>
              {REGISTRY_KINDS.includes(r.kind) ? (
                <Button type="primary" icon={<CheckOutlined />} onClick={() => setDialog('approve')} data-testid="review-approve">
                  {t('portalReview.action.approve')}
                </Button>
              ) : null}
              {REPLY_KINDS.includes(r.kind) ? (
                <Button type="primary" icon={<FlagOutlined />} onClick={() => setDialog('complete')} data-testid="review-complete">
                  {t('portalReview.action.complete')}
                </Button>
              ) : null}
            </>
          ) : null}
        </Flex>
      }
    >
      {review.isError && !r ? (
        <ProblemAlert error={review.error} />
      ) : !r ? (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {actions.claim.isError ? <ProblemAlert error={actions.claim.error} closable onClose={() => actions.claim.reset()} /> : null}
          {shownOutcome ? <OutcomeAlert outcome={shownOutcome} persons={persons} address={r.address} /> : null}
          {r.status === 'returned' && r.returnReason ? (
            <Alert type="warning" showIcon title={t('portalReview.returnedWith')} description={<div style={{ whiteSpace: 'pre-wrap' }}>{r.returnReason}</div>} />
          ) : null}
          {r.reply ? (
            <Alert type="info" showIcon title={t('portalReview.repliedWith')} description={<div style={{ whiteSpace: 'pre-wrap' }}>{r.reply}</div>} />
          ) : null}
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                <Card title={t('portalReview.applicant')} data-testid="review-applicant">
                  <Descriptions
                    column={{ xs: 1, sm: 2 }}
                    size="small"
                    items={[
                      {
                        key: 'phone',
                        label: t('portalReview.residentPhone'),
                        children: (
                          <Space size={6}>
                            <PhoneLink phone={r.residentPhone} />
                          </Space>
                        ),
                      },
                      { key: 'at', label: t('portalReview.submittedAt'), children: formatTime(r.submittedAt, DATE_TIME_SHORT) },
                      { key: 'address', label: t('portalReview.address'), span: { xs: 1, sm: 2 }, children: r.address },
                      { key: 'grid', label: t('portalReview.grid'), children: r.gridName || none },
                      { key: 'age', label: t('portalReview.age'), children: <AgeText hours={r.ageHours} status={r.status} /> },
                      { key: 'assigned', label: t('portalReview.assigned'), children: r.assignedTo ?? t('portalReview.unassigned') },
                    ]}
                  />
                </Card>
                <Card title={t('portalReview.content')} data-testid="review-content">
                  <SubmissionView kind={r.kind} data={r.data ?? {}} attachments={r.attachments ?? []} ids={ids} />
                  {ids ? (
                    <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8, fontSize: 12 }}>
                      {t('portalReview.ids.audited')}
                    </Typography.Text>
                  ) : null}
                </Card>
                <Card title={t('portalReview.timeline')}>
                  <ReviewTimeline review={r} />
                </Card>
              </Space>
            </Col>
            <Col xs={24} xl={10}>
              <RegistryPanel kind={r.kind} registry={r.registry} address={r.address} persons={persons} pending={pending} />
            </Col>
          </Row>
        </Space>
      )}
      {dialog === 'ids' ? (
        <PurposeModal
          loading={reveal.isPending}
          error={reveal.error}
          onOk={(purpose) => reveal.mutate(purpose)}
          onClose={() => {
            reveal.reset();
            close();
          }}
        />
      ) : null}
      {dialog === 'return' ? (
        <TextModal
          kind="return"
          loading={actions.giveBack.isPending}
          error={actions.giveBack.error}
          onOk={(reason) =>
            actions.giveBack.mutate(reason, {
              onSuccess: () => {
                close();
                message.success(t('portalReview.return.done'));
              },
            })
          }
          onClose={() => {
            actions.giveBack.reset();
            close();
          }}
        />
      ) : null}
      {dialog === 'complete' ? (
        <TextModal
          kind="complete"
          loading={actions.complete.isPending}
          error={actions.complete.error}
          onOk={(reply) =>
            actions.complete.mutate(reply, {
              onSuccess: () => {
                close();
                message.success(t('portalReview.complete.done'));
              },
            })
          }
          onClose={() => {
            actions.complete.reset();
            close();
          }}
        />
      ) : null}
      {dialog === 'approve' && r ? (
        <ApproveModal
          persons={persons}
          matches={r.registry?.matches ?? []}
          mergeable={MERGE_KINDS.includes(r.kind)}
          loading={actions.approve.isPending}
          error={actions.approve.error}
          onOk={(body) => actions.approve.mutate(body, { onSuccess: onApproved })}
          onClose={() => {
            actions.approve.reset();
            close();
          }}
        />
      ) : null}
    </PageContainer>
  );
}
