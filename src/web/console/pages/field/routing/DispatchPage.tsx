import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { App, Button, Card, Col, Descriptions, Empty, Flex, Form, Image, Input, Modal, Result, Row, Select, Skeleton, Space, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, CheckOutlined, EditOutlined, FileDoneOutlined, RollbackOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { isApiError } from '../../../../shared/api';
import { formatTime, DATE_TIME_SHORT } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { problemFieldPath } from '../../../components/formErrors';
import { RESULTS, useDispatch, useDispatchActions } from '../../../data/field-routing';
import type { DispatchDetail, DispatchResult } from '../../../data/field-routing';
import { DispatchStatusTag, DueTag, EscalationTag, OwnerTag } from './labels';

type Dialog = 'note' | 'close' | 'reject' | null;

/** The server's message for one field of the failed request (shown under that field). */
function serverError(error: unknown, field: string): string | undefined {
  if (!isApiError(error)) return undefined;
  return error.errors.find((e) => problemFieldPath(e.field) === field)?.message;
}

/** 添加办理记录 / 办结反馈 / 退回: one dialog, the fields of each action. */
function ActionModal({ kind, loading, error, onOk, onClose }: { kind: Exclude<Dialog, null>; loading: boolean; error: unknown; onOk: (v: { text: string; result?: DispatchResult }) => void; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ text: string; result?: DispatchResult }>();
  const field = kind === 'note' ? 'note' : kind === 'close' ? 'feedback' : 'reason';
  const [min, max] = kind === 'reject' ? [2, 500] : [2, 1000];
  const textError = serverError(error, field);
  return (
    <Modal
      open
      title={t(`fieldRouting.action.${kind}.title`)}
      okText={t(`fieldRouting.action.${kind}`)}
      okButtonProps={{ danger: kind === 'reject', 'data-testid': `${kind}-ok` }}
      confirmLoading={loading}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      width={560}
    >
      <Typography.Paragraph type="secondary">{t(`fieldRouting.action.${kind}.hint`)}</Typography.Paragraph>
      {error && !textError && !serverError(error, 'result') ? <ProblemAlert error={error} style={{ marginBottom: 16 }} /> : null}
      <Form form={form} layout="vertical" initialValues={{ result: 'resolved' }} onFinish={(v) => onOk({ text: v.text.trim(), result: v.result })}>
        {kind === 'close' ? (
          <Form.Item name="result" label={t('fieldRouting.result')} rules={[{ required: true }]} validateStatus={serverError(error, 'result') ? 'error' : undefined} help={serverError(error, 'result')}>
            <Select options={RESULTS.map((r) => ({ value: r, label: t(`fieldRouting.result.${r}`) }))} data-testid="close-result" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="text"
          label={t(`fieldRouting.action.${kind}.label`)}
          validateStatus={textError ? 'error' : undefined}
          help={textError}
          rules={[
            { required: true, whitespace: true, message: t('fieldRouting.action.textLength', { min, max }) },
            { min, max, message: t('fieldRouting.action.textLength', { min, max }) },
          ]}
        >
          <Input.TextArea rows={4} maxLength={max} showCount autoFocus placeholder={t(`fieldRouting.action.${kind}.placeholder`)} data-testid={`${kind}-text`} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ItemCard({ d }: { d: DispatchDetail }) {
  const { t } = useI18n();
  const item = d.item;
  if (!item) return null;
  return (
    <Card title={t('fieldRouting.detail.content')} data-testid="dispatch-content">
      {item.fields.length ? (
        <Descriptions
          column={{ xs: 1, sm: 1, md: 2 }}
          size="small"
          bordered
          styles={{ label: { whiteSpace: 'nowrap' } }}
          items={item.fields.map((f) => ({
            key: f.key,
            label: f.label,
            // long texts take the whole row
            span: f.type === 'textarea' || f.text.length > 24 ? 'filled' : 1,
            children: <span style={{ whiteSpace: 'pre-wrap' }}>{f.text}</span>,
          }))}
        />
      ) : (
        <Typography.Text type="secondary">{t('fieldRouting.detail.noData')}</Typography.Text>
      )}
      {item.note ? (
        <div style={{ marginTop: 16 }}>
          <Typography.Text type="secondary">{t('fieldRouting.detail.note')}</Typography.Text>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{item.note}</Typography.Paragraph>
        </div>
      ) : null}
      <div style={{ marginTop: 16 }}>
        <Typography.Text type="secondary">{t('fieldRouting.detail.photos', { n: item.photos.length })}</Typography.Text>
        {item.photos.length ? (
          <Image.PreviewGroup>
            <Flex gap={8} wrap style={{ marginTop: 8 }}>
              {item.photos.map((p) => (
                <Image key={p.id} src={p.url} width={112} height={112} style={{ objectFit: 'cover', borderRadius: 6 }} alt={t('fieldRouting.detail.photo')} />
              ))}
            </Flex>
          </Image.PreviewGroup>
        ) : (
          <Typography.Text type="secondary" style={{ marginInlineStart: 8 }}>
            {t('fieldRouting.detail.noPhotos')}
          </Typography.Text>
        )}
      </div>
    </Card>
  );
}

function CollectedCard({ d }: { d: DispatchDetail }) {
  const { t } = useI18n();
  const item = d.item;
  if (!item) return null;
  return (
    <Card title={t('fieldRouting.detail.collected')}>
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'type', label: t('fieldRouting.detail.type'), children: `${item.categoryName} · ${item.typeName}` },
          { key: 'address', label: t('fieldRouting.detail.address'), children: item.address?.fullText ?? t('fieldRouting.noAddress') },
          { key: 'unit', label: t('fieldRouting.detail.unit'), children: item.orgUnit.name },
          ...(item.lng != null && item.lat != null ? [{ key: 'loc', label: t('fieldRouting.detail.location'), children: `${item.lng.toFixed(6)}, ${item.lat.toFixed(6)}` }] : []),
          {
            key: 'worker',
            label: t('fieldRouting.worker'),
            children: (
              <Space size={8}>
                <span>{item.worker.name}</span>
                {item.worker.phone ? <a href={`tel:${item.worker.phone}`}>{item.worker.phone}</a> : null}
              </Space>
            ),
          },
          { key: 'occurred', label: t('fieldRouting.detail.occurredAt'), children: formatTime(item.occurredAt, DATE_TIME_SHORT) },
          { key: 'received', label: t('fieldRouting.detail.receivedAt'), children: formatTime(item.receivedAt, DATE_TIME_SHORT) },
        ]}
      />
    </Card>
  );
}

function HandlingCard({ d, now }: { d: DispatchDetail; now: number }) {
  const { t } = useI18n();
  return (
    <Card title={t('fieldRouting.detail.handling')}>
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'owner', label: t('fieldRouting.owner'), children: <OwnerTag kind={d.targetKind} name={d.ownerName} /> },
          { key: 'rule', label: t('fieldRouting.detail.rule'), children: d.ruleName ?? t('fieldRouting.detail.reassigned') },
          { key: 'routed', label: t('fieldRouting.routedAt'), children: formatTime(d.createdAt, DATE_TIME_SHORT) },
          {
            key: 'due',
            label: t('fieldRouting.acceptDueAt'),
            children: (
              <Space size={6} wrap>
                <span>{formatTime(d.acceptDueAt, DATE_TIME_SHORT)}</span>
                <DueTag dueAt={d.acceptDueAt} status={d.status} now={now} />
              </Space>
            ),
          },
          ...(d.escalationLevel ? [{ key: 'esc', label: t('fieldRouting.detail.escalation'), children: <EscalationTag level={d.escalationLevel} to={d.escalateToName} /> }] : []),
          ...(d.acceptedAt ? [{ key: 'acc', label: t('fieldRouting.acceptedAt'), children: `${formatTime(d.acceptedAt, DATE_TIME_SHORT)} ${d.acceptedByName ?? ''}` }] : []),
          ...(d.closedAt ? [{ key: 'cl', label: t('fieldRouting.closedAt'), children: `${formatTime(d.closedAt, DATE_TIME_SHORT)} ${d.closedByName ?? ''}` }] : []),
          ...(d.result ? [{ key: 'res', label: t('fieldRouting.result'), children: t(`fieldRouting.result.${d.result}`) }] : []),
          ...(d.feedback ? [{ key: 'fb', label: t('fieldRouting.feedback'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{d.feedback}</span> }] : []),
          ...(d.rejectReason ? [{ key: 'rj', label: t('fieldRouting.rejectReason'), children: d.rejectReason }] : []),
        ]}
      />
      {d.otherDispatches.length ? (
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('fieldRouting.detail.others')}</Typography.Text>
          <Flex vertical gap={6} style={{ marginTop: 6 }}>
            {d.otherDispatches.map((o) => (
              <Flex key={o.id} gap={8} align="center" wrap>
                <OwnerTag kind={o.targetKind} name={o.ownerName} />
                <DispatchStatusTag status={o.status} />
              </Flex>
            ))}
          </Flex>
        </div>
      ) : null}
    </Card>
  );
}

/** 分派事项详情: what was collected, the timeline, and the handler's actions. */
export default function DispatchPage() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const q = useDispatch(id);
  const actions = useDispatchActions(id);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [now] = useState(() => Date.now());
  const d = q.data;

  const back = (
    <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/field/inbox')}>
      {t('fieldRouting.backToInbox')}
    </Button>
  );

  if (q.isPending) {
    return (
      <PageContainer extra={back}>
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      </PageContainer>
    );
  }
  if (q.isError || !d) {
    return (
      <PageContainer extra={back}>
        <Card>
          {isApiError(q.error) && q.error.status === 404 ? <Result status="404" title={t('fieldRouting.detail.notFound')} subTitle={q.error.detail} /> : <ProblemAlert error={q.error} />}
        </Card>
      </PageContainer>
    );
  }

  const mutation = dialog === 'note' ? actions.note : dialog === 'close' ? actions.close : actions.reject;
  const run = (v: { text: string; result?: DispatchResult }) => {
    const done = () => {
      message.success(t(`fieldRouting.action.${dialog!}.done`));
      setDialog(null);
    };
    if (dialog === 'note') actions.note.mutate(v.text, { onSuccess: done });
    else if (dialog === 'close') actions.close.mutate({ result: v.result ?? 'resolved', feedback: v.text }, { onSuccess: done });
    else if (dialog === 'reject') actions.reject.mutate(v.text, { onSuccess: done });
  };

  const handling = d.canHandle && (d.status === 'pending' || d.status === 'accepted');
  const buttons = handling ? (
    <Space wrap>
      {d.status === 'pending' ? (
        <Button type="primary" icon={<CheckOutlined />} loading={actions.accept.isPending} onClick={() => actions.accept.mutate(undefined, { onSuccess: () => message.success(t('fieldRouting.action.accept.done')) })} data-testid="dispatch-accept">
          {t('fieldRouting.action.accept')}
        </Button>
      ) : null}
      {d.status === 'accepted' ? (
        <>
          <Button icon={<EditOutlined />} onClick={() => setDialog('note')} data-testid="dispatch-note">
            {t('fieldRouting.action.note')}
          </Button>
          <Button type="primary" icon={<FileDoneOutlined />} onClick={() => setDialog('close')} data-testid="dispatch-close">
            {t('fieldRouting.action.close')}
          </Button>
        </>
      ) : null}
      {d.targetKind === 'department' ? (
        <Button danger icon={<RollbackOutlined />} onClick={() => setDialog('reject')} data-testid="dispatch-reject">
          {t('fieldRouting.action.reject')}
        </Button>
      ) : null}
    </Space>
  ) : null;

  return (
    <PageContainer
      title={d.item?.typeName ?? t('nav.field.dispatch')}
      subtitle={
        <Space size={8} wrap>
          <OwnerTag kind={d.targetKind} name={d.ownerName} />
          <DispatchStatusTag status={d.status} />
          <DueTag dueAt={d.acceptDueAt} status={d.status} now={now} />
          <EscalationTag level={d.escalationLevel} to={d.escalateToName} />
          {!d.canHandle ? <Typography.Text type="secondary">{t('fieldRouting.detail.readOnly')}</Typography.Text> : null}
        </Space>
      }
      extra={
        <Space wrap>
          {back}
          {buttons}
        </Space>
      }
    >
      {actions.accept.isError ? <ProblemAlert error={actions.accept.error} style={{ marginBottom: 16 }} closable onClose={() => actions.accept.reset()} /> : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Flex vertical gap={16}>
            <ItemCard d={d} />
            <Card title={t('fieldRouting.detail.timeline')} data-testid="dispatch-timeline">
              {d.timeline.length ? (
                <Timeline
                  items={d.timeline.map((e) => ({
                    key: e.id,
                    color: e.action === 'escalated' || e.action === 'rejected' ? 'red' : e.action === 'closed' ? 'green' : 'blue',
                    content: (
                      <div>
                        <Space size={8} wrap>
                          <Typography.Text strong>{e.actionName}</Typography.Text>
                          <Typography.Text type="secondary">{formatTime(e.at, DATE_TIME_SHORT)}</Typography.Text>
                          {e.actorName ? <Typography.Text type="secondary">{e.actorName}</Typography.Text> : null}
                        </Space>
                        {e.note ? <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{e.note}</Typography.Paragraph> : null}
                      </div>
                    ),
                  }))}
                />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
              )}
            </Card>
          </Flex>
        </Col>
        <Col xs={24} xl={9}>
          <Flex vertical gap={16}>
            <HandlingCard d={d} now={now} />
            <CollectedCard d={d} />
          </Flex>
        </Col>
      </Row>
      {dialog ? (
        <ActionModal
          kind={dialog}
          loading={mutation.isPending}
          error={mutation.error}
          onOk={run}
          onClose={() => {
            mutation.reset();
            setDialog(null);
          }}
        />
      ) : null}
    </PageContainer>
  );
}
