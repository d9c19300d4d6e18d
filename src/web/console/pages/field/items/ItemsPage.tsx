import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import dayjs from 'dayjs';
import { Button, Card, DatePicker, Empty, Flex, Input, Select, Space, Table, Tooltip, Typography } from 'antd';
import { CameraOutlined, EnvironmentOutlined, ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime, DATE_TIME_SHORT } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { OrgUnitSelect } from '../../../components/OrgUnitSelect';
import { ITEM_STATUSES, useCategories, useGrants, useItemList, useItemTypes } from '../../../data/field';
import type { ItemListParams, ItemStatus, ItemSummary } from '../../../data/field';
import { CategoryTag, ItemStatusTag, addressTail } from './labels';

const PAGE_SIZE = 20;
const FILTER_KEYS = ['category', 'type', 'status', 'workerId', 'unitId', 'from', 'to', 'q'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

/** 采集事项: what the grid workers of the jurisdiction collected, newest first, with filters kept in the address bar. */
export default function ItemsPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const get = (k: FilterKey) => params.get(k) ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, get(k)])) as Partial<Record<FilterKey, string>>;
  const status = (ITEM_STATUSES as readonly string[]).includes(filters.status ?? '') ? (filters.status as ItemStatus) : undefined;
  const query: ItemListParams = { ...filters, status, page, pageSize: PAGE_SIZE };
  const list = useItemList(query);
  const categories = useCategories();
  const types = useItemTypes();
  const grants = useGrants(can('field.review'));
  const [term, setTerm] = useState(filters.q ?? '');

  const go = (next: Partial<Record<FilterKey, string | undefined>> & { page?: number }) => {
    const p = new URLSearchParams();
    for (const k of FILTER_KEYS) {
      const v = k in next ? next[k] : filters[k];
      if (v) p.set(k, v);
    }
    if (next.page && next.page > 1) p.set('page', String(next.page));
    setParams(p);
  };
  const filtered = FILTER_KEYS.some((k) => !!filters[k]);

  const typeOptions = useMemo(
    () =>
      (types.data ?? [])
        .filter((x) => !filters.category || x.categoryCode === filters.category)
        .map((x) => ({ value: x.code, label: x.status === 'active' ? x.name : `${x.name}（${t('fieldTypes.inactive')}）` })),
    [types.data, filters.category, t],
  );
  const workerOptions = useMemo(() => {
    const opts = (grants.data ?? []).map((g) => ({ value: g.userId, label: `${g.name}（${g.orgUnit.name}）` }));
    // a worker picked from the table (callers without the grants list) stays shown by name
    const picked = filters.workerId && !opts.some((o) => o.value === filters.workerId) ? list.data?.items.find((i) => i.worker.id === filters.workerId)?.worker : undefined;
    return picked ? [...opts, { value: picked.id, label: picked.name }] : opts;
  }, [grants.data, filters.workerId, list.data]);

  return (
    <PageContainer
      subtitle={t('fieldItems.subtitle')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isPending}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Select
            allowClear
            value={filters.category}
            placeholder={t('fieldItems.filter.category')}
            onChange={(v?: string) => go({ category: v, type: undefined, page: 1 })}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            style={{ width: 140 }}
            data-testid="items-category"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            value={filters.type}
            placeholder={t('fieldItems.filter.type')}
            onChange={(v?: string) => go({ type: v, page: 1 })}
            options={typeOptions}
            style={{ width: 190 }}
            data-testid="items-type"
          />
          <Select
            allowClear
            value={status}
            placeholder={t('fieldItems.filter.status')}
            onChange={(v?: string) => go({ status: v, page: 1 })}
            options={ITEM_STATUSES.map((s) => ({ value: s, label: tx(`fieldItem.status.${s}`, s) }))}
            style={{ width: 120 }}
            data-testid="items-status"
          />
          {workerOptions.length ? (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              value={filters.workerId}
              placeholder={t('fieldItems.filter.worker')}
              onChange={(v?: string) => go({ workerId: v, page: 1 })}
              options={workerOptions}
              style={{ width: 200 }}
              data-testid="items-worker"
            />
          ) : null}
          <OrgUnitSelect value={filters.unitId} onChange={(v) => go({ unitId: v, page: 1 })} placeholder={t('fieldItems.filter.unit')} style={{ width: 200 }} />
          <DatePicker.RangePicker
            value={[filters.from ? dayjs(filters.from) : null, filters.to ? dayjs(filters.to) : null]}
            placeholder={[t('fieldItems.filter.from'), t('fieldItems.filter.to')]}
            onChange={(v) => go({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD'), page: 1 })}
            allowEmpty={[true, true]}
            style={{ width: 260 }}
            data-testid="items-dates"
          />
          <Input.Search
            allowClear
            value={term}
            placeholder={t('fieldItems.search')}
            onChange={(e) => {
              setTerm(e.target.value);
              if (!e.target.value) go({ q: undefined, page: 1 });
            }}
            onSearch={(v) => go({ q: v.trim() || undefined, page: 1 })}
            enterButton={t('common.search')}
            style={{ maxWidth: 360, flex: '1 1 240px' }}
            data-testid="items-search"
          />
          {filtered ? (
            <Button
              type="link"
              onClick={() => {
                setTerm('');
                setParams(new URLSearchParams());
              }}
            >
              {t('fieldItems.clearFilters')}
            </Button>
          ) : null}
        </Flex>
        {list.isError ? (
          <ProblemAlert error={list.error} />
        ) : (
          <Table<ItemSummary>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1160 }}
            onRow={(r) => ({ onClick: () => navigate(`/field/items/${r.id}`), style: { cursor: 'pointer' } })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('fieldItems.emptyFiltered') : t('fieldItems.empty')} /> }}
            columns={[
              {
                key: 'type',
                title: t('fieldItems.col.type'),
                width: 170,
                fixed: 'left',
                render: (_, r) => (
                  <Space orientation="vertical" size={2}>
                    <Link to={`/field/items/${r.id}`} onClick={(e) => e.stopPropagation()} style={{ fontWeight: 500 }}>
                      {r.typeName}
                    </Link>
                    <CategoryTag code={r.categoryCode} name={r.categoryName} />
                  </Space>
                ),
              },
              {
                key: 'summary',
                title: t('fieldItems.col.summary'),
                render: (_, r) => (
                  <Typography.Paragraph ellipsis={{ rows: 2, tooltip: r.summary }} style={{ marginBottom: 0 }}>
                    {r.summary || t('common.none')}
                  </Typography.Paragraph>
                ),
              },
              {
                key: 'address',
                title: t('fieldItems.col.address'),
                width: 240,
                render: (_, r) =>
                  r.address ? (
                    <Typography.Paragraph ellipsis={{ rows: 2, tooltip: r.address.fullText }} style={{ marginBottom: 0, wordBreak: 'break-all' }}>
                      {addressTail(r.address.fullText, 34)}
                    </Typography.Paragraph>
                  ) : (
                    <Typography.Text type="secondary">{t('fieldItems.noAddress')}</Typography.Text>
                  ),
              },
              {
                key: 'worker',
                title: t('fieldItems.col.worker'),
                width: 110,
                render: (_, r) => (
                  <Tooltip title={t('fieldItems.onlyWorker')}>
                    <Typography.Link
                      onClick={(e) => {
                        e.stopPropagation();
                        go({ workerId: r.worker.id, page: 1 });
                      }}
                    >
                      {r.worker.name}
                    </Typography.Link>
                  </Tooltip>
                ),
              },
              { key: 'grid', title: t('fieldItems.col.grid'), width: 130, render: (_, r) => <Typography.Text ellipsis={{ tooltip: r.orgUnit.name }}>{r.orgUnit.name}</Typography.Text> },
              {
                key: 'occurredAt',
                title: t('fieldItems.col.occurredAt'),
                width: 136,
                render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(r.occurredAt, DATE_TIME_SHORT)}</span>,
              },
              {
                key: 'photos',
                title: t('fieldItems.col.photos'),
                width: 72,
                render: (_, r) => (
                  <Space size={6}>
                    {r.photoCount ? (
                      <span>
                        <CameraOutlined /> {r.photoCount}
                      </span>
                    ) : null}
                    {r.hasLocation ? <EnvironmentOutlined /> : null}
                  </Space>
                ),
              },
              { key: 'status', title: t('common.status'), width: 96, render: (_, r) => <ItemStatusTag status={r.status} name={r.statusName} /> },
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
