import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Col, Empty, Form, Input, Popconfirm, Row, Segmented, Space, Table, Typography } from 'antd';
import { EditOutlined, PlusOutlined, SendOutlined, StopOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { FormDrawer } from '../../components/FormDrawer';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { applyProblemFields } from '../../components/formErrors';
import { ARTICLE_STATUSES, paragraphs, useArticleAction, useArticles, useSaveArticle } from '../../data/portal';
import type { ArticleBody, SafetyArticle } from '../../data/portal';
import { ArticleStatusTag } from './labels';

const PAGE_SIZE = 20;

interface Values {
  orgUnitId?: string;
  title: string;
  summary?: string;
  body: string;
}

/** The article as residents will read it: title, summary, paragraphs split at blank lines. */
function Preview({ title, summary, body }: { title?: string; summary?: string; body?: string }) {
  const { t } = useI18n();
  const paras = paragraphs(body ?? '');
  return (
    <div
      style={{ border: '1px solid rgba(5, 5, 5, 0.08)', borderRadius: 8, padding: 16, background: '#fbfcfe', minHeight: 320 }}
      data-testid="article-preview"
    >
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {t('portalArticle.preview')}
      </Typography.Text>
      <Typography.Title level={4} style={{ marginTop: 8 }}>
        {title?.trim() || t('portalArticle.preview.noTitle')}
      </Typography.Title>
      {summary?.trim() ? (
        <Typography.Paragraph type="secondary" style={{ borderInlineStart: '3px solid #1a4fa0', paddingInlineStart: 10 }}>
          {summary.trim()}
        </Typography.Paragraph>
      ) : null}
      {paras.length ? (
        paras.map((p, i) => (
          <Typography.Paragraph key={i} style={{ whiteSpace: 'pre-wrap', textIndent: '2em', lineHeight: 1.8 }}>
            {p}
          </Typography.Paragraph>
        ))
      ) : (
        <Typography.Text type="secondary">{t('portalArticle.preview.empty')}</Typography.Text>
      )}
      {paras.length ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('portalArticle.preview.count', { n: paras.length, chars: (body ?? '').replace(/\s/g, '').length })}
        </Typography.Text>
      ) : null}
    </div>
  );
}

function ArticleDrawer({ article, onClose }: { article?: SafetyArticle; onClose: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const save = useSaveArticle();
  const title = Form.useWatch('title', form);
  const summary = Form.useWatch('summary', form);
  const body = Form.useWatch('body', form);

  const initialValues: Partial<Values> = article
    ? { orgUnitId: article.orgUnitId, title: article.title, summary: article.summary ?? undefined, body: article.body ?? '' }
    : {};

  const submit = (v: Values) => {
    setError(null);
    const payload: ArticleBody = { title: v.title.trim(), body: v.body.trim() };
    const s = v.summary?.trim();
    if (article) {
      payload.summary = s || null;
      if (v.orgUnitId && v.orgUnitId !== article.orgUnitId) payload.orgUnitId = v.orgUnitId;
    } else {
      if (s) payload.summary = s;
      if (v.orgUnitId) payload.orgUnitId = v.orgUnitId;
    }
    save.mutate(
      { id: article?.id, body: payload },
      {
        onSuccess: () => {
          message.success(article ? t('common.saved') : t('portalArticle.created'));
          onClose();
        },
        onError: (err) => {
          setError(err);
          applyProblemFields(form, err, { title: 'title', summary: 'summary', body: 'body', orgUnitId: 'orgUnitId' });
        },
      },
    );
  };

  return (
    <FormDrawer
      title={article ? t('portalArticle.editTitle') : t('portalArticle.createTitle')}
      onSubmit={() => form.submit()}
      onClose={onClose}
      saving={save.isPending}
      width={1040}
      data-testid="article-form"
    >
      {error ? (
        <ProblemAlert
          error={error}
          style={{ marginBottom: 16 }}
          fieldLabels={{ title: t('portalArticle.title'), summary: t('portalArticle.summary'), body: t('portalArticle.body'), orgUnitId: t('portalArticle.unit') }}
        />
      ) : null}
      <Row gutter={24}>
        <Col xs={24} lg={12}>
          <Form<Values> form={form} layout="vertical" initialValues={initialValues} onFinish={submit} scrollToFirstError>
            {can('org.read') ? (
              <Form.Item name="orgUnitId" label={t('portalArticle.unit')} extra={t('portalArticle.unitHint')}>
                <OrgUnitSelect disableInactive placeholder={t('portalArticle.unitPlaceholder')} />
              </Form.Item>
            ) : null}
            <Form.Item
              name="title"
              label={t('portalArticle.title')}
              rules={[
                { required: true, whitespace: true, message: t('validation.required') },
                { min: 2, message: t('validation.minLength', { min: 2 }) },
                { max: 60, message: t('validation.maxLength', { max: 60 }) },
              ]}
            >
              <Input maxLength={60} showCount data-testid="article-title" />
            </Form.Item>
            <Form.Item name="summary" label={t('portalArticle.summary')} rules={[{ max: 200, message: t('validation.maxLength', { max: 200 }) }]}>
              <Input.TextArea rows={2} maxLength={200} showCount />
            </Form.Item>
            <Form.Item
              name="body"
              label={t('portalArticle.body')}
              extra={t('portalArticle.bodyHint')}
              rules={[
                { required: true, whitespace: true, message: t('validation.required') },
                { min: 10, message: t('validation.minLength', { min: 10 }) },
                { max: 20000, message: t('validation.maxLength', { max: 20000 }) },
              ]}
            >
              <Input.TextArea rows={14} maxLength={20000} showCount data-testid="article-body" />
            </Form.Item>
          </Form>
        </Col>
        <Col xs={24} lg={12}>
          <Preview title={title} summary={summary} body={body} />
        </Col>
      </Row>
    </FormDrawer>
  );
}

/** 安全防范提示: articles shown on the plate pages of the unit's addresses. */
export default function ArticlesPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const canManage = can('service.manage');
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const list = useArticles({ status: status || undefined, page, pageSize: PAGE_SIZE });
  const action = useArticleAction();
  const [editing, setEditing] = useState<{ article?: SafetyArticle } | null>(null);

  const go = (next: { status?: string; page?: number }) => {
    const p = new URLSearchParams();
    const s = next.status ?? status;
    if (s) p.set('status', s);
    if (next.page && next.page > 1) p.set('page', String(next.page));
    setParams(p);
  };

  const run = (a: SafetyArticle, act: 'publish' | 'withdraw') =>
    action.mutate(
      { id: a.id, action: act },
      { onSuccess: () => message.success(act === 'publish' ? t('portalArticle.published') : t('portalArticle.withdrawn')), onError: notifyError },
    );

  return (
    <PageContainer
      subtitle={t('portalArticle.subtitle')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="article-create">
            {t('portalArticle.create')}
          </Button>
        ) : null
      }
    >
      <Card>
        <Segmented<string>
          value={status}
          onChange={(v) => go({ status: v, page: 1 })}
          options={[{ value: '', label: t('common.all') }, ...ARTICLE_STATUSES.map((s) => ({ value: s, label: tx(`portalArticle.status.${s}`, s) }))]}
          style={{ marginBottom: 16 }}
        />
        {list.isError ? (
          <ProblemAlert error={list.error} />
        ) : (
          <Table<SafetyArticle>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 920 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalArticle.empty')} /> }}
            columns={[
              {
                key: 'title',
                title: t('portalArticle.title'),
                render: (_, a) => (
                  <div>
                    <Typography.Text strong>{a.title}</Typography.Text>
                    {a.summary ? (
                      <Typography.Paragraph type="secondary" ellipsis={{ rows: 1, tooltip: a.summary }} style={{ fontSize: 12, marginBottom: 0, maxWidth: 420 }}>
                        {a.summary}
                      </Typography.Paragraph>
                    ) : null}
                  </div>
                ),
              },
              { key: 'unit', title: t('portalArticle.unit'), width: 180, render: (_, a) => a.orgUnitName ?? t('common.none') },
              { key: 'status', title: t('common.status'), width: 100, render: (_, a) => <ArticleStatusTag status={a.status} name={a.statusName} /> },
              {
                key: 'publishedAt',
                title: t('portalArticle.publishedAt'),
                width: 150,
                render: (_, a) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(a.publishedAt, DATE_TIME_SHORT)}</span>,
              },
              ...(canManage
                ? [
                    {
                      key: 'actions',
                      title: t('common.actions'),
                      width: 200,
                      render: (_: unknown, a: SafetyArticle) => (
                        <Space size={4}>
                          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing({ article: a })} data-testid="article-edit">
                            {t('common.edit')}
                          </Button>
                          {a.status === 'published' ? (
                            <Popconfirm
                              title={t('portalArticle.withdraw.confirm')}
                              description={t('portalArticle.withdraw.hint')}
                              okText={t('portalArticle.withdraw')}
                              okButtonProps={{ danger: true }}
                              cancelText={t('common.cancel')}
                              onConfirm={() => run(a, 'withdraw')}
                            >
                              <Button size="small" type="link" danger icon={<StopOutlined />} data-testid="article-withdraw">
                                {t('portalArticle.withdraw')}
                              </Button>
                            </Popconfirm>
                          ) : (
                            <Popconfirm
                              title={t('portalArticle.publish.confirm')}
                              description={t('portalArticle.publish.hint')}
                              okText={t('portalArticle.publish')}
                              cancelText={t('common.cancel')}
                              onConfirm={() => run(a, 'publish')}
                            >
                              <Button size="small" type="link" icon={<SendOutlined />} data-testid="article-publish">
                                {t('portalArticle.publish')}
                              </Button>
                            </Popconfirm>
                          )}
                        </Space>
                      ),
                    },
                  ]
                : []),
            ]}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => go({ page: p }),
              showTotal: (total) => t('common.total', { total }),
            }}
          />
        )}
      </Card>
      {editing ? <ArticleDrawer article={editing.article} onClose={() => setEditing(null)} /> : null}
    </PageContainer>
  );
}
