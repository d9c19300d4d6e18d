import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Col, Descriptions, Empty, Flex, Form, Image, Input, Modal, Row, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined, CheckSquareOutlined, RollbackOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { applyProblemFields } from '../../../components/formErrors';
import { photoUrl, useItem, useReturnItem } from '../../../data/field';
import type { ItemDetail, ItemDispatch } from '../../../data/field';
import { CategoryTag, DispatchStatusTag, ItemStatusTag } from './labels';

function ReturnModal({ id, open, onClose }: { id: string; open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const give = useReturnItem(id);
  const submit = async () => {
    const { reason } = await form.validateFields();
    give.mutate(reason.trim(), {
      onSuccess: () => {
        message.success(t('fieldItem.return.done'));
        form.resetFields();
        onClose();
      },
      onError: (err) => applyProblemFields(form, err, { reason: 'reason' }),
    });
  };
  return (
    <Modal
      open={open}
      title={t('fieldItem.return.title')}
      okText={t('fieldItem.return.ok')}
      okButtonProps={{ danger: true, loading: give.isPending, 'data-testid': 'return-ok' }}
      onOk={() => void submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('fieldItem.return.help')}</Typography.Paragraph>
      {give.isError ? <ProblemAlert error={give.error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="reason"
          label={t('fieldItem.return.reason')}
          rules={[{ required: true, whitespace: true, min: 2, message: t('fieldItem.return.required') }]}
        >
          <Input.TextArea rows={4} maxLength={500} showCount placeholder={t('fieldItem.return.placeholder')} data-testid="return-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DispatchCard({ d }: { d: ItemDispatch }) {
  const { t, tx } = useI18n();
  const events = [...d.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Card size="small" type="inner" title={d.ownerName || t('fieldItem.officerOwner')} extra={<DispatchStatusTag status={d.status} />} style={{ marginBottom: 12 }}>
      <Space size={12} wrap style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">
          {t('fieldItem.acceptDue')}
          {t('common.colon')}
          {formatTime(d.acceptDueAt, DATE_TIME_SHORT)}
        </Typography.Text>
        {d.escalationLevel > 0 ? <Tag color="red">{t('fieldItem.escalated', { level: d.escalationLevel })}</Tag> : null}
      </Space>
      {events.length ? (
        <Timeline
          items={events.map((e) => ({
            key: e.id,
            color: e.action === 'closed' ? 'green' : e.action === 'escalated' || e.action === 'rejected' ? 'red' : 'blue',
            content: (
              <div>
                <Space size={6} wrap>
                  <Typography.Text strong>{tx(`fieldDispatch.action.${e.action}`, e.action)}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(e.at, DATE_TIME_SHORT)}
                  </Typography.Text>
                  {e.actorName ? (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {e.actorName}
                    </Typography.Text>
                  ) : null}
                </Space>
                {e.note ? <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{e.note}</div> : null}
              </div>
            ),
          }))}
        />
      ) : null}
      {d.feedback ? (
        <Alert
          type="success"
          showIcon
          title={`${t('fieldItem.feedback')}${d.result ? `（${tx(`fieldDispatch.result.${d.result}`, d.result)}）` : ''}`}
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{d.feedback}</span>}
        />
      ) : null}
      {d.rejectReason ? <Alert type="warning" showIcon title={t('fieldItem.rejectReason')} description={d.rejectReason} /> : null}
    </Card>
  );
}

function Content({ item }: { item: ItemDetail }) {
  const { t } = useI18n();
  return (
    <Card title={t('fieldItem.content')} style={{ marginBottom: 16 }}>
      {item.typeVersion !== item.currentTypeVersion ? (
        <Alert type="info" showIcon title={t('fieldItem.oldForm', { version: item.typeVersion, current: item.currentTypeVersion })} style={{ marginBottom: 12 }} />
      ) : null}
      {item.fields.length ? (
        <Descriptions column={1} bordered size="small" styles={{ label: { width: 180 } }} data-testid="item-fields">
          {item.fields.map((f) => (
            <Descriptions.Item key={f.key} label={f.label}>
              <span style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{f.display || t('common.none')}</span>
            </Descriptions.Item>
          ))}
        </Descriptions>
      ) : (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('fieldItem.noData')} />
      )}
      {item.note ? (
        <div style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">
            {t('fieldItem.note')}
            {t('common.colon')}
          </Typography.Text>
          <span style={{ whiteSpace: 'pre-wrap' }}>{item.note}</span>
        </div>
      ) : null}
    </Card>
  );
}

/** One collected item: its form as collected, where and when, the photos, where it went and how it was handled. */
export default function ItemPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const item = useItem(id);
  const [returning, setReturning] = useState(false);
  const r = item.data;
  const lateHours = r ? Math.floor((Date.parse(r.receivedAt) - Date.parse(r.occurredAt)) / 3_600_000) : 0;

  return (
    <PageContainer
      title={r ? r.typeName : t('nav.field.item')}
      subtitle={
        r ? (
          <Space size={6} wrap>
            <CategoryTag code={r.categoryCode} name={r.categoryName} />
            <ItemStatusTag status={r.status} name={r.statusName} />
            <span>{r.summary}</span>
          </Space>
        ) : undefined
      }
      extra={
        <Flex gap={8} wrap>
          <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/field/items')}>
            {t('fieldItem.back')}
          </Button>
          {r && r.status !== 'returned' && can('field.review') ? (
            <Button danger icon={<RollbackOutlined />} onClick={() => setReturning(true)} data-testid="item-return">
              {t('fieldItem.return')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      {item.isError && !r ? (
        <ProblemAlert error={item.error} />
      ) : !r ? (
        <Card>
          <Skeleton active />
        </Card>
      ) : (
        <>
          {r.status === 'returned' ? (
            <Alert
              type="error"
              showIcon
              title={t('fieldItem.returned')}
              description={t('fieldItem.returnedBy', { name: r.returnedByName ?? t('common.none'), at: formatTime(r.returnedAt, DATE_TIME_SHORT), reason: r.returnReason ?? '' })}
              style={{ marginBottom: 16 }}
              data-testid="item-returned"
            />
          ) : null}
          <Row gutter={16}>
            <Col xs={24} xl={14}>
              <Content item={r} />
              <Card title={t('fieldItem.photos')} style={{ marginBottom: 16 }}>
                {r.photos.length ? (
                  <Image.PreviewGroup>
                    <Space wrap size={12}>
                      {r.photos.map((p, i) => (
                        <Image key={p.id} src={photoUrl(p.id)} width={140} height={105} style={{ objectFit: 'cover', borderRadius: 6 }} alt={`${t('fieldItem.photos')} ${i + 1}`} />
                      ))}
                    </Space>
                  </Image.PreviewGroup>
                ) : (
                  <Typography.Text type="secondary">{t('fieldItem.noPhotos')}</Typography.Text>
                )}
              </Card>
              <Card title={t('fieldItem.dispatches')} style={{ marginBottom: 16 }}>
                {r.dispatches.length ? r.dispatches.map((d) => <DispatchCard key={d.id} d={d} />) : <Typography.Text type="secondary">{t('fieldItem.noDispatches')}</Typography.Text>}
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('fieldItem.basic')} style={{ marginBottom: 16 }}>
                <Descriptions column={1} size="small" styles={{ label: { width: 96 } }}>
                  <Descriptions.Item label={t('fieldItem.type')}>{r.typeName}</Descriptions.Item>
                  <Descriptions.Item label={t('fieldItem.worker')}>{r.worker.name}</Descriptions.Item>
                  <Descriptions.Item label={t('fieldItem.grid')}>{r.orgUnit.name}</Descriptions.Item>
                  <Descriptions.Item label={t('fieldItem.address')}>
                    {r.address ? <Link to={`/registry/addresses/${r.address.id}`}>{r.address.fullText}</Link> : <Typography.Text type="secondary">{t('fieldItems.noAddress')}</Typography.Text>}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('fieldItem.location')}>
                    {r.location ? (
                      <span>
                        {t('fieldItem.locationValue', { lng: r.location.lng.toFixed(6), lat: r.location.lat.toFixed(6) })}
                        {r.location.accuracyM !== null ? t('fieldItem.accuracy', { m: Math.round(r.location.accuracyM) }) : null}
                      </span>
                    ) : (
                      <Typography.Text type="secondary">{t('fieldItem.noLocation')}</Typography.Text>
                    )}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('fieldItem.occurredAt')}>{formatTime(r.occurredAt, DATE_TIME_SHORT)}</Descriptions.Item>
                  <Descriptions.Item label={t('fieldItem.receivedAt')}>
                    {formatTime(r.receivedAt, DATE_TIME_SHORT)}
                    {lateHours >= 24 ? <Typography.Text type="warning">{t('fieldItem.late', { hours: lateHours })}</Typography.Text> : null}
                  </Descriptions.Item>
                  {r.correctionOf ? (
                    <Descriptions.Item label={t('fieldItem.correctionOf')}>
                      <Link to={`/field/items/${r.correctionOf}`}>{t('fieldItem.correctionLink')}</Link>
                    </Descriptions.Item>
                  ) : null}
                </Descriptions>
              </Card>
              <Card title={t('fieldItem.tasks')} style={{ marginBottom: 16 }}>
                {r.tasksDone.length ? (
                  <Space orientation="vertical" size={8}>
                    {r.tasksDone.map((k) => (
                      <Space key={k.id} size={8} wrap>
                        <CheckSquareOutlined style={{ color: '#52c41a' }} />
                        <Typography.Text>{k.title}</Typography.Text>
                        <Typography.Text type="secondary">
                          {k.templateName} · {k.period} · {t('fieldItem.taskDue', { date: k.dueDate })}
                        </Typography.Text>
                      </Space>
                    ))}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">{t('fieldItem.noTasks')}</Typography.Text>
                )}
              </Card>
            </Col>
          </Row>
          <ReturnModal id={r.id} open={returning} onClose={() => setReturning(false)} />
        </>
      )}
    </PageContainer>
  );
}
