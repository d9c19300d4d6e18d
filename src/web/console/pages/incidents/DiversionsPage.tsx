import { useState } from 'react';
import { App, Button, Card, Empty, Flex, Form, Input, Modal, Segmented, Space, Table, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { DATE_TIME_SHORT, formatTime } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { applyProblemFields } from '../../components/formErrors';
import { useAuth } from '../../auth/AuthProvider';
import { useAnswerDiversion, useDiversionInbox } from '../../data/incidents';
import type { InboxItem } from '../../data/incidents';
import { DiversionStatusTag } from './labels';

const PAGE_SIZE = 20;
const FILTERS = ['sent', 'accepted', 'done', 'returned', 'all'] as const;
type Filter = (typeof FILTERS)[number];

/** 分流事项: non-police matters the police diverted to this department — accept, finish with feedback, or return. */
export default function DiversionsPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  const [filter, setFilter] = useState<Filter>('sent');
  const [page, setPage] = useState(1);
  const [answering, setAnswering] = useState<{ item: InboxItem; status: 'done' | 'returned' } | null>(null);
  const status = filter === 'all' ? undefined : filter;
  const inbox = useDiversionInbox({ status, page, pageSize: PAGE_SIZE });
  const answer = useAnswerDiversion();
  const { message } = App.useApp();
  const items = inbox.data?.items ?? [];
  const hasDept = !!me?.department;

  return (
    <PageContainer
      subtitle={t('incident.inbox.subtitle')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void inbox.refetch()} loading={inbox.isFetching && !inbox.isPending}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Card>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Segmented<Filter>
            value={filter}
            onChange={(v) => {
              setFilter(v);
              setPage(1);
            }}
            options={FILTERS.map((f) => ({ value: f, label: t(`incident.inbox.filter.${f}`) }))}
          />
        </Flex>
        {inbox.isError ? (
          <ProblemAlert error={inbox.error} />
        ) : (
          <Table<InboxItem>
            rowKey="id"
            loading={inbox.isFetching}
            dataSource={items}
            scroll={{ x: 1100 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={hasDept ? t('incident.inbox.empty') : t('incident.inbox.noDepartment')} /> }}
            columns={[
              {
                key: 'incident',
                title: t('incident.inbox.matter'),
                width: 300,
                render: (_, r) => (
                  <div>
                    <Space size={8} wrap>
                      <Typography.Text strong>{r.incident.categoryName}</Typography.Text>
                      <Typography.Text type="secondary" className="fq-mono">
                        {r.incident.code}
                      </Typography.Text>
                    </Space>
                    <Typography.Paragraph ellipsis={{ rows: 2, tooltip: r.incident.summary }} style={{ marginBottom: 0 }}>
                      {r.incident.summary}
                    </Typography.Paragraph>
                    {r.incident.place && !r.incident.summary.includes(r.incident.place) ? (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {r.incident.place}
                      </Typography.Text>
                    ) : null}
                  </div>
                ),
              },
              {
                key: 'from',
                title: t('incident.inbox.from'),
                width: 170,
                render: (_, r) => (
                  <div>
                    {r.incident.unit.name}
                    {r.incident.unit.phone ? (
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        {r.incident.unit.phone}
                      </Typography.Text>
                    ) : null}
                  </div>
                ),
              },
              { key: 'reason', title: t('incident.diversion.reason'), width: 180, render: (_, r) => <Typography.Paragraph ellipsis={{ rows: 3, tooltip: r.reason }} style={{ marginBottom: 0 }}>{r.reason}</Typography.Paragraph> },
              { key: 'at', title: t('incident.inbox.divertedAt'), width: 140, render: (_, r) => formatTime(r.divertedAt, DATE_TIME_SHORT) },
              {
                key: 'status',
                title: t('common.status'),
                width: 160,
                render: (_, r) => (
                  <div>
                    <DiversionStatusTag status={r.status} />
                    {r.feedback ? (
                      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: r.feedback }} style={{ marginBottom: 0, fontSize: 12 }}>
                        {r.feedback}
                      </Typography.Paragraph>
                    ) : null}
                  </div>
                ),
              },
              {
                key: 'actions',
                title: t('common.actions'),
                width: 210,
                fixed: 'right',
                render: (_, r) =>
                  r.status === 'sent' || r.status === 'accepted' ? (
                    <Space size={4} wrap>
                      {r.status === 'sent' ? (
                        <Button
                          size="small"
                          type="primary"
                          loading={answer.isPending && answer.variables?.id === r.id}
                          onClick={async () => {
                            try {
                              await answer.mutateAsync({ id: r.id, status: 'accepted' });
                              message.success(t('incident.inbox.accepted'));
                            } catch (err) {
                              message.error((err as Error).message);
                            }
                          }}
                        >
                          {t('incident.inbox.accept')}
                        </Button>
                      ) : null}
                      <Button size="small" onClick={() => setAnswering({ item: r, status: 'done' })}>
                        {t('incident.inbox.done')}
                      </Button>
                      <Button size="small" danger onClick={() => setAnswering({ item: r, status: 'returned' })}>
                        {t('incident.inbox.return')}
                      </Button>
                    </Space>
                  ) : (
                    <Typography.Text type="secondary">{formatTime(r.answeredAt, DATE_TIME_SHORT)}</Typography.Text>
                  ),
              },
            ]}
            pagination={{ current: page, pageSize: PAGE_SIZE, total: inbox.data?.total ?? 0, showSizeChanger: false, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
          />
        )}
      </Card>
      {answering ? <AnswerModal item={answering.item} status={answering.status} onClose={() => setAnswering(null)} /> : null}
    </PageContainer>
  );
}

function AnswerModal({ item, status, onClose }: { item: InboxItem; status: 'done' | 'returned'; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ feedback: string }>();
  const [error, setError] = useState<unknown>(null);
  const answer = useAnswerDiversion();
  const submit = async (v: { feedback: string }) => {
    setError(null);
    try {
      await answer.mutateAsync({ id: item.id, status, feedback: v.feedback.trim() });
      message.success(t(status === 'done' ? 'incident.inbox.doneSaved' : 'incident.inbox.returnedSaved'));
      onClose();
    } catch (err) {
      setError(err);
      applyProblemFields(form, err, { feedback: 'feedback' });
    }
  };
  return (
    <Modal open title={t(status === 'done' ? 'incident.inbox.done' : 'incident.inbox.return')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={answer.isPending} destroyOnHidden>
      <Typography.Paragraph type="secondary">
        {item.incident.code} · {item.incident.categoryName}
      </Typography.Paragraph>
      {error ? <ProblemAlert error={error} style={{ marginBottom: 12 }} /> : null}
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item
          name="feedback"
          label={t(status === 'done' ? 'incident.inbox.feedback' : 'incident.inbox.returnReason')}
          rules={[{ required: true, whitespace: true, message: t(status === 'done' ? 'incident.inbox.feedbackRequired' : 'incident.inbox.returnRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
