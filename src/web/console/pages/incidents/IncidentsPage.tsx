import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Card, DatePicker, Empty, Flex, Input, Select, Table, Tooltip, TreeSelect, Typography } from 'antd';
import { ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import { DATE_TIME_SHORT, formatTime } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { useAuth } from '../../auth/AuthProvider';
import { INCIDENT_SOURCES, INCIDENT_STATUSES, OPEN_OVER, useIncidentCategories, useIncidentList } from '../../data/incidents';
import type { IncidentListQuery, IncidentSource, IncidentStatus, IncidentSummary, OpenOver } from '../../data/incidents';
import { AgeText, categoryOptions, IncidentStatusTag } from './labels';
import { CreateIncidentDrawer } from './CreateIncidentDrawer';

const PAGE_SIZE = 20;
const pick = <T extends string>(values: readonly T[], v: string | null): T | undefined => ((values as readonly string[]).includes(v ?? '') ? (v as T) : undefined);

/** 警情管理: the jurisdiction's incidents, newest first, with filters; open ones show how long they have waited. */
export default function IncidentsPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const cats = useIncidentCategories();
  const q: IncidentListQuery = {
    q: params.get('q') || undefined,
    status: pick(INCIDENT_STATUSES, params.get('status')),
    source: pick(INCIDENT_SOURCES, params.get('source')),
    openOver: pick(OPEN_OVER, params.get('openOver')),
    categoryId: params.get('categoryId') || undefined,
    unitId: params.get('unitId') || undefined,
    from: params.get('from') || undefined,
    to: params.get('to') || undefined,
    page: Number(params.get('page') ?? '1') || 1,
    pageSize: PAGE_SIZE,
  };
  const [term, setTerm] = useState(q.q ?? '');
  const list = useIncidentList(q);
  const catTree = useMemo(() => categoryOptions(cats.data ?? [], { withInactive: true }), [cats.data]);

  const go = (next: Partial<Record<keyof IncidentListQuery, string | number | undefined>>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v === undefined || v === '' || (k === 'page' && v === 1)) p.delete(k);
      else p.set(k, String(v));
    }
    if (!('page' in next)) p.delete('page');
    setParams(p);
  };
  const filtered = !!(q.q || q.status || q.source || q.openOver || q.categoryId || q.unitId || q.from);

  return (
    <PageContainer
      subtitle={t('incident.list.subtitle')}
      extra={
        <Flex gap={8} wrap>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching && !list.isPending}>
            {t('common.refresh')}
          </Button>
          {can('incident.import') ? (
            <Button icon={<ImportOutlined />} onClick={() => navigate('/registry/imports?kind=incidents')} data-testid="incident-import">
              {t('incident.list.import110')}
            </Button>
          ) : null}
          {can('incident.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="incident-create">
              {t('incident.list.create')}
            </Button>
          ) : null}
        </Flex>
      }
    >
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <DatePicker.RangePicker
            value={q.from && q.to ? [dayjs(q.from), dayjs(q.to)] : null}
            onChange={(v) => go({ from: v?.[0]?.format('YYYY-MM-DD'), to: v?.[1]?.format('YYYY-MM-DD') })}
            placeholder={[t('incident.filter.from'), t('incident.filter.to')]}
            style={{ width: 250 }}
          />
          <Select
            allowClear
            value={q.status}
            placeholder={t('incident.filter.status')}
            onChange={(v?: IncidentStatus) => go({ status: v })}
            options={INCIDENT_STATUSES.map((s) => ({ value: s, label: tx(`incident.status.${s}`, s) }))}
            style={{ width: 120 }}
            data-testid="incident-filter-status"
          />
          <TreeSelect
            allowClear
            value={q.categoryId}
            placeholder={t('incident.filter.category')}
            onChange={(v?: string) => go({ categoryId: v })}
            treeData={catTree}
            showSearch={{ treeNodeFilterProp: 'title' }}
            style={{ width: 170 }}
            popupMatchSelectWidth={false}
          />
          <Select
            allowClear
            value={q.source}
            placeholder={t('incident.filter.source')}
            onChange={(v?: IncidentSource) => go({ source: v })}
            options={INCIDENT_SOURCES.map((s) => ({ value: s, label: tx(`incident.source.${s}`, s) }))}
            style={{ width: 130 }}
          />
          {can('org.read') ? (
            <div style={{ width: 200 }}>
              <OrgUnitSelect value={q.unitId} onChange={(v) => go({ unitId: v })} placeholder={t('incident.filter.unit')} />
            </div>
          ) : null}
          <Select
            allowClear
            value={q.openOver}
            placeholder={t('incident.filter.openOver')}
            onChange={(v?: OpenOver) => go({ openOver: v })}
            options={OPEN_OVER.map((o) => ({ value: o, label: t(`incident.openOver.${o}`) }))}
            style={{ width: 150 }}
            data-testid="incident-filter-overdue"
          />
          <Input.Search
            allowClear
            value={term}
            placeholder={t('incident.filter.q')}
            onChange={(e) => {
              setTerm(e.target.value);
              if (!e.target.value) go({ q: undefined });
            }}
            onSearch={(v) => go({ q: v.trim() || undefined })}
            style={{ maxWidth: 300, flex: '1 1 200px' }}
          />
          {filtered ? (
            <Button type="link" onClick={() => setParams({})}>
              {t('common.reset')}
            </Button>
          ) : null}
        </Flex>
        {list.isError ? (
          <ProblemAlert error={list.error} />
        ) : (
          <Table<IncidentSummary>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1100 }}
            onRow={(r) => ({ onClick: () => navigate(`/command/incidents/${r.id}`), style: { cursor: 'pointer' } })}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? t('incident.list.emptyFiltered') : t('incident.list.empty')} /> }}
            columns={[
              {
                key: 'code',
                title: t('incident.field.code'),
                width: 170,
                fixed: 'left',
                render: (_, r) => (
                  <Link to={`/command/incidents/${r.id}`} onClick={(e) => e.stopPropagation()} className="fq-mono" style={{ whiteSpace: 'nowrap' }}>
                    {r.code}
                  </Link>
                ),
              },
              { key: 'time', title: t('incident.field.occurredAt'), width: 150, render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(r.occurredAt, DATE_TIME_SHORT)}</span> },
              {
                key: 'category',
                title: t('incident.field.category'),
                width: 150,
                render: (_, r) => (
                  <span>
                    {r.category.parentName ? <Typography.Text type="secondary">{r.category.parentName} / </Typography.Text> : null}
                    {r.category.name}
                  </span>
                ),
              },
              {
                key: 'place',
                title: t('incident.field.place'),
                render: (_, r) => {
                  const text = r.place || r.address?.fullText || t('common.none');
                  return (
                    <Tooltip title={r.summary}>
                      <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 0, minWidth: 180 }}>
                        {text}
                      </Typography.Paragraph>
                    </Tooltip>
                  );
                },
              },
              { key: 'source', title: t('incident.field.source'), width: 100, render: (_, r) => tx(`incident.source.${r.source}`, r.sourceName) },
              {
                key: 'unit',
                title: t('incident.field.unit'),
                width: 150,
                render: (_, r) => (
                  <span>
                    {r.orgUnit.name}
                    {r.grid?.name ? (
                      <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                        {r.grid.name}
                      </Typography.Text>
                    ) : null}
                  </span>
                ),
              },
              { key: 'status', title: t('common.status'), width: 90, render: (_, r) => <IncidentStatusTag status={r.status} /> },
              { key: 'age', title: t('incident.field.age'), width: 110, render: (_, r) => <AgeText hours={r.ageHours} status={r.status} /> },
            ]}
            pagination={{
              current: q.page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => go({ page: p }),
              showTotal: (total) => t('common.total', { total }),
            }}
          />
        )}
      </Card>
      {creating ? <CreateIncidentDrawer onClose={() => setCreating(false)} onCreated={(id) => navigate(`/command/incidents/${id}`)} /> : null}
    </PageContainer>
  );
}
