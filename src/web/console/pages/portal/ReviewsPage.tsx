import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Card, Empty, Flex, Input, Segmented, Select, Table, Tooltip, Typography } from 'antd';
import { BarChartOutlined, ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { REVIEW_FILTERS, SUBMISSION_KINDS, useReviewList } from '../../data/portal';
import type { ReviewFilter, ReviewSummary } from '../../data/portal';
import { AgeText, KindTag, SubmissionStatusTag } from './labels';

const PAGE_SIZE = 20;

/** The distinctive end of a full address (the province, city and district are the same for the whole queue). */
function addressTail(full: string, max = 28): string {
  return full.length > max ? `…${full.slice(-max)}` : full;
}

/** 群众申报审核: the queue of residents' submissions in the jurisdiction, oldest pending first. */
export default function ReviewsPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const rawStatus = params.get('status');
  const status: ReviewFilter = (REVIEW_FILTERS as readonly string[]).includes(rawStatus ?? '') ? (rawStatus as ReviewFilter) : 'pending';
  const kind = params.get('kind') ?? undefined;
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [term, setTerm] = useState(q);
  const list = useReviewList({ status, kind, q: q || undefined, page, pageSize: PAGE_SIZE });

  const go = (next: { status?: ReviewFilter; kind?: string | null; q?: string; page?: number }) => {
    const p = new URLSearchParams();
    const ns = next.status ?? status;
    const nk = next.kind === null ? undefined : (next.kind ?? kind);
    const nq = next.q ?? q;
    if (ns !== 'pending') p.set('status', ns);
    if (nk) p.set('kind', nk);
    if (nq) p.set('q', nq);
    if (next.page && next.page > 1) p.set('page', String(next.page));
    setParams(p);
  };

  const filtered = status !== 'pending' || !!kind || !!q;

  return (
    <PageContainer
      subtitle={t('portalReview.subtitle')}
      extra={
        <Flex gap={8} wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isPending}>
            {t('common.refresh')}
          </Button>
          {can('portal.read') ? (
            <Button icon={<BarChartOutlined />} onClick={() => navigate('/portal/stats')}>
              {t('nav.portal.stats')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Segmented<ReviewFilter>
            value={status}
            onChange={(v) => go({ status: v, page: 1 })}
            options={REVIEW_FILTERS.map((s) => ({ value: s, label: t(`portalReview.filter.${s}`) }))}
            data-testid="review-status"
          />
          <Select
            allowClear
            value={kind}
            placeholder={t('portalReview.kindAll')}
            onChange={(v?: string) => go({ kind: v ?? null, page: 1 })}
            options={SUBMISSION_KINDS.map((k) => ({ value: k, label: tx(`portalKind.${k}`, k) }))}
            style={{ width: 160 }}
            data-testid="review-kind"
          />
          <Input.Search
            allowClear
            value={term}
            placeholder={t('portalReview.search')}
            onChange={(e) => {
              setTerm(e.target.value);
              if (!e.target.value) go({ q: '', page: 1 });
            }}
            onSearch={(v) => go({ q: v.trim(), page: 1 })}
            enterButton={t('common.search')}
            style={{ maxWidth: 420, flex: '1 1 260px' }}
            data-testid="review-search"
          />
        </Flex>
        {list.isError ? (
          <ProblemAlert error={list.error} />
        ) : (
          <Table<ReviewSummary>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1040 }}
            onRow={(r) => ({ onClick: () => navigate(`/portal/reviews/${r.id}`), style: { cursor: 'pointer' } })}
            locale={{
              emptyText: (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={filtered ? t('portalReview.emptyFiltered') : t('portalReview.emptyPending')}
                />
              ),
            }}
            columns={[
              {
                key: 'trackingNo',
                title: t('portalReview.trackingNo'),
                width: 170,
                fixed: 'left',
                render: (_, r) => (
                  <Link to={`/portal/reviews/${r.id}`} onClick={(e) => e.stopPropagation()} className="fq-mono" style={{ whiteSpace: 'nowrap' }}>
                    {r.trackingNo}
                  </Link>
                ),
              },
              { key: 'kind', title: t('portalReview.kind'), width: 104, render: (_, r) => <KindTag kind={r.kind} name={r.kindName} /> },
              {
                key: 'summary',
                title: t('portalReview.summary'),
                render: (_, r) => (
                  <Typography.Paragraph ellipsis={{ rows: 2, tooltip: r.summary }} style={{ marginBottom: 0, minWidth: 180 }}>
                    {r.summary}
                  </Typography.Paragraph>
                ),
              },
              {
                key: 'address',
                title: t('portalReview.address'),
                width: 250,
                render: (_, r) => (
                  <Tooltip title={r.address}>
                    <span style={{ wordBreak: 'break-all' }}>{addressTail(r.address)}</span>
                  </Tooltip>
                ),
              },
              { key: 'grid', title: t('portalReview.grid'), width: 120, render: (_, r) => r.gridName || t('common.none') },
              {
                key: 'age',
                title: t('portalReview.age'),
                width: 100,
                render: (_, r) => (
                  <Tooltip title={`${t('portalReview.submittedAt')}${t('common.colon')}${formatTime(r.submittedAt, DATE_TIME_SHORT)}`}>
                    <span>
                      <AgeText hours={r.ageHours} status={r.status} />
                    </span>
                  </Tooltip>
                ),
              },
              {
                key: 'status',
                title: t('common.status'),
                width: 116,
                render: (_, r) => (
                  <div>
                    <SubmissionStatusTag status={r.status} name={r.statusName} />
                    {r.assignedTo ? (
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12, whiteSpace: 'nowrap' }}>
                        {t('portalReview.assignedTo', { name: r.assignedTo })}
                      </Typography.Text>
                    ) : null}
                  </div>
                ),
              },
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
    </PageContainer>
  );
}
