import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Key } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Badge, Button, Card, Col, Empty, Input, Row, Select, Skeleton, Space, Table, Tooltip } from 'antd';
import { DownloadOutlined, PlusOutlined, PrinterOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../../shared/components/useNotifyError';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { PurposeExportModal } from '../../../components/PurposeExportModal';
import { useOrgTree } from '../../../data/queries';
import {
  TOP_LEVELS,
  TREE_PAGE,
  fetchChildren,
  fetchTopAddresses,
  gridsOf,
  registryKeys,
  useAddress,
  useAddressList,
} from '../../../data/registry';
import type { Address, AddressDetail } from '../../../data/registry';
import { AddressTitle, AddressTree } from './AddressTree';
import { AddressDetailPanel } from './AddressDetailPanel';
import { AddChildModal, PrintModal } from './AddressModals';

const PAGE_SIZE = 20;

export default function AddressesPage() {
  const { t } = useI18n();
  const { can, me } = useAuth();
  const notifyError = useNotifyError();
  // Without org.read the org tree is closed: a grid worker picks from their own grid.
  const canOrg = can('org.read');
  const org = useOrgTree(canOrg);
  const grids = useMemo(() => {
    if (canOrg) return gridsOf(org.data ?? []);
    const own = me?.orgUnit;
    return own && own.kind === 'grid' ? [{ id: own.id, name: own.name }] : [];
  }, [canOrg, org.data, me?.orgUnit]);
  const orgPending = canOrg && org.isPending;
  const [params, setParams] = useSearchParams();
  const gridId = params.get('grid') ?? grids[0]?.id;
  const selectedId = params.get('address') ?? undefined;
  const q = params.get('q') ?? '';
  const [term, setTerm] = useState(q);
  const [page, setPage] = useState(1);

  const setParam = useCallback(
    (key: string, value: string | undefined) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          if (value) next.set(key, value);
          else next.delete(key);
          return next;
        },
        { replace: key === 'q' },
      );
    },
    [setParams],
  );

  // The tree: top-level elements of the grid, children as nodes are opened.
  const top = useQuery({
    queryKey: registryKeys.addressTop(gridId ?? ''),
    queryFn: () => fetchTopAddresses(gridId ?? ''),
    enabled: !!gridId,
  });
  const [loaded, setLoaded] = useState<Record<string, Address[]>>({});
  const [totals, setTotals] = useState<Record<string, number>>({});
  const [expanded, setExpanded] = useState<Key[]>([]);
  // Checked addresses for printing, with their names (from the tree or the list).
  const [checked, setChecked] = useState<Map<string, Address>>(new Map());
  const [dialog, setDialog] = useState<'print' | 'addTop' | 'export' | null>(null);

  useEffect(() => {
    setLoaded({});
    setTotals({});
    setExpanded([]);
    setChecked(new Map());
  }, [gridId]);

  const known = useMemo(() => {
    const map = new Map<string, Address>();
    for (const a of top.data ?? []) map.set(a.id, a);
    for (const list of Object.values(loaded)) for (const a of list) map.set(a.id, a);
    return map;
  }, [top.data, loaded]);

  // How many children of each parent are shown, so that a reload keeps the pages already opened.
  const shownRef = useRef<Record<string, number>>({});
  shownRef.current = Object.fromEntries(Object.entries(loaded).map(([id, list]) => [id, list.length]));

  /** (Re)loads a parent's children: the first page, or as many pages as were already shown. */
  const loadChildren = useCallback(
    async (id: string) => {
      try {
        const pages = Math.max(1, Math.ceil((shownRef.current[id] ?? 0) / TREE_PAGE));
        const items: Address[] = [];
        let total = 0;
        for (let page = 1; page <= pages; page += 1) {
          const res = await fetchChildren(id, page);
          items.push(...res.items);
          total = res.total;
          if (res.items.length < TREE_PAGE) break;
        }
        setLoaded((prev) => ({ ...prev, [id]: items }));
        setTotals((prev) => ({ ...prev, [id]: total }));
      } catch (err) {
        notifyError(err);
      }
    },
    [notifyError],
  );

  /** 加载更多: the next page of a parent's children. */
  const loadMore = useCallback(
    async (id: string) => {
      try {
        const shown = shownRef.current[id] ?? 0;
        const res = await fetchChildren(id, Math.floor(shown / TREE_PAGE) + 1);
        setLoaded((prev) => {
          const have = prev[id] ?? [];
          const ids = new Set(have.map((a) => a.id));
          return { ...prev, [id]: [...have, ...res.items.filter((a) => !ids.has(a.id))] };
        });
        setTotals((prev) => ({ ...prev, [id]: res.total }));
      } catch (err) {
        notifyError(err);
      }
    },
    [notifyError],
  );

  // Open the tree down to the selected address (e.g. when arriving by link).
  const selected = useAddress(selectedId);
  const ancestorIds = selected.data && selected.data.id === selectedId ? selected.data.ancestors.map((x) => x.id).join(',') : '';
  useEffect(() => {
    if (!ancestorIds) return;
    const ids = ancestorIds.split(',');
    // each ancestor's children, page by page until the next address of the chain is among them
    const wanted = [...ids.slice(1), selectedId ?? ''];
    // (and at least as many as were shown already)
    const childrenUntil = async (id: string, want: string) => {
      const items: Address[] = [];
      const shown = shownRef.current[id] ?? 0;
      for (let page = 1; ; page += 1) {
        const res = await fetchChildren(id, page);
        items.push(...res.items);
        const found = items.some((a) => a.id === want);
        if ((found && items.length >= shown) || res.items.length < TREE_PAGE) return { items, total: res.total };
      }
    };
    let cancelled = false;
    void Promise.all(ids.map((id, i) => childrenUntil(id, wanted[i])))
      .then((pages) => {
        if (cancelled) return;
        setLoaded((prev) => {
          const next = { ...prev };
          ids.forEach((id, i) => (next[id] = pages[i].items));
          return next;
        });
        setTotals((prev) => {
          const next = { ...prev };
          ids.forEach((id, i) => (next[id] = pages[i].total));
          return next;
        });
        setExpanded((keys) => [...new Set([...keys.map(String), ...ids])]);
      })
      .catch(notifyError);
    return () => {
      cancelled = true;
    };
  }, [ancestorIds, selectedId, notifyError]);

  const list = useAddressList({ gridId, q: q || undefined, page, pageSize: PAGE_SIZE }, !!gridId && !!q);

  const onChanged = (changed: AddressDetail, created?: AddressDetail) => {
    // Refresh the branch that holds the changed address (and the new child's parent).
    const refresh = (parentId: string | null) => {
      if (!parentId) void top.refetch();
      else if (loaded[parentId]) void loadChildren(parentId);
    };
    refresh(changed.parentId);
    if (created) {
      void loadChildren(changed.id);
      setExpanded((keys) => (keys.includes(changed.id) ? keys : [...keys, changed.id]));
    }
    // A rename or status change shows in every loaded branch below; reload those too.
    for (const id of Object.keys(loaded)) if (id !== changed.parentId) void loadChildren(id);
    if (q) void list.refetch();
  };

  const checkable = can('plate.manage');
  const checkedIds = [...checked.keys()];
  const setCheckedIds = (ids: string[]) => {
    const next = new Map<string, Address>();
    for (const id of ids) {
      const a = known.get(id) ?? checked.get(id) ?? list.data?.items.find((x) => x.id === id);
      if (a) next.set(id, a);
    }
    setChecked(next);
  };

  const search = (value: string) => {
    setPage(1);
    setParam('q', value.trim() || undefined);
  };

  const gridPicker = (
    <Select
      style={{ width: '100%' }}
      value={gridId}
      placeholder={t('registry.grid.pick')}
      loading={orgPending}
      showSearch={{ optionFilterProp: 'label' }}
      options={grids.map((g) => ({ value: g.id, label: g.name }))}
      onChange={(v: string) => {
        setParams({ grid: v });
        setTerm('');
      }}
      data-testid="grid-picker"
    />
  );

  const leftBody = !gridId ? (
    <Empty description={orgPending ? undefined : t('registry.grid.none')} />
  ) : q ? (
    list.isError ? (
      <ProblemAlert error={list.error} />
    ) : (
      <Table<Address>
        size="small"
        rowKey="id"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.address.searchEmpty')} /> }}
        rowSelection={
          checkable
            ? {
                selectedRowKeys: checkedIds,
                preserveSelectedRowKeys: true,
                getCheckboxProps: (a) => ({ disabled: a.status !== 'active' }),
                onChange: (_keys, rows) => {
                  const next = new Map(checked);
                  const onPage = new Set((list.data?.items ?? []).map((a) => a.id));
                  for (const id of onPage) next.delete(id);
                  for (const r of rows) if (r) next.set(r.id, r);
                  setChecked(next);
                },
              }
            : undefined
        }
        onRow={(a) => ({ onClick: () => setParam('address', a.id), style: { cursor: 'pointer' } })}
        rowClassName={(a) => (a.id === selectedId ? 'ant-table-row-selected' : '')}
        columns={[
          {
            key: 'name',
            title: t('registry.address.fullText'),
            render: (_, a) => (
              <div>
                <AddressTitle address={a} />
                <div style={{ color: 'rgba(0, 0, 0, 0.45)', fontSize: 12, wordBreak: 'break-all' }}>
                  {a.fullText}
                </div>
              </div>
            ),
          },
        ]}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: list.data?.total ?? 0,
          size: 'small',
          showSizeChanger: false,
          onChange: setPage,
          showTotal: (total) => t('common.total', { total }),
        }}
      />
    )
  ) : top.isError ? (
    <ProblemAlert error={top.error} />
  ) : top.isPending ? (
    <Skeleton active paragraph={{ rows: 8 }} />
  ) : top.data.length === 0 ? (
    <Empty description={t('registry.address.treeEmpty')} />
  ) : (
    <AddressTree
      roots={top.data}
      loaded={loaded}
      totals={totals}
      onLoad={loadChildren}
      onLoadMore={loadMore}
      selectedId={selectedId}
      onSelect={(id) => setParam('address', id)}
      checked={checkedIds}
      onCheck={setCheckedIds}
      expanded={expanded}
      onExpand={setExpanded}
      checkable={checkable}
    />
  );

  return (
    <PageContainer
      subtitle={t('registry.addresses.subtitle')}
      extra={
        <Space wrap>
          {can('address.manage') && gridId ? (
            <Button icon={<PlusOutlined />} onClick={() => setDialog('addTop')}>
              {t('registry.address.addTop')}
            </Button>
          ) : null}
          {can('registry.export') && gridId ? (
            <Button icon={<DownloadOutlined />} onClick={() => setDialog('export')} data-testid="address-export">
              {t('registry.address.export')}
            </Button>
          ) : null}
          {checkable ? (
            <Tooltip title={checked.size === 0 ? t('registry.print.selectHint') : undefined}>
              <Badge count={checked.size} size="small">
                <Button
                  type="primary"
                  icon={<PrinterOutlined />}
                  disabled={checked.size === 0}
                  onClick={() => setDialog('print')}
                  data-testid="print-plates"
                >
                  {t('registry.print.button')}
                </Button>
              </Badge>
            </Tooltip>
          ) : null}
        </Space>
      }
    >
      {canOrg && org.isError ? (
        <ProblemAlert error={org.error} />
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={10} xxl={9}>
            <Card
              className="fq-tree-card"
              title={t('registry.address.tree')}
              extra={
                <Tooltip title={t('common.refresh')}>
                  <Button
                    type="text"
                    size="small"
                    icon={<ReloadOutlined />}
                    aria-label={t('common.refresh')}
                    onClick={() => {
                      setLoaded({});
                      setTotals({});
                      setExpanded([]);
                      void top.refetch();
                      if (q) void list.refetch();
                    }}
                  />
                </Tooltip>
              }
            >
              <Space orientation="vertical" style={{ width: '100%', marginBottom: 12 }} size={8}>
                {gridPicker}
                <Input.Search
                  allowClear
                  prefix={<SearchOutlined />}
                  placeholder={t('registry.address.search')}
                  value={term}
                  onChange={(e) => {
                    setTerm(e.target.value);
                    if (!e.target.value) search('');
                  }}
                  onSearch={search}
                  enterButton={t('common.search')}
                  data-testid="address-search"
                />
                {checked.size > 0 ? (
                  <Space size={4} wrap style={{ color: 'rgba(0, 0, 0, 0.45)', fontSize: 12 }}>
                    <span>{t('registry.print.selected', { count: checked.size })}</span>
                    <Button type="link" size="small" onClick={() => setChecked(new Map())}>
                      {t('registry.print.clear')}
                    </Button>
                  </Space>
                ) : null}
              </Space>
              {leftBody}
            </Card>
          </Col>
          <Col xs={24} xl={14} xxl={15}>
            {selectedId ? (
              <AddressDetailPanel
                key={selectedId}
                addressId={selectedId}
                onSelect={(id) => setParam('address', id)}
                onChanged={onChanged}
              />
            ) : (
              <Card>
                <Empty description={t('registry.address.selectHint')} />
              </Card>
            )}
          </Col>
        </Row>
      )}
      {dialog === 'export' && gridId ? (
        <PurposeExportModal
          path="/addresses/export"
          query={{ gridId, q: q || undefined }}
          fileStem="addresses"
          formats={['xlsx', 'csv']}
          minPurpose={4}
          title={t('registry.address.export.title')}
          hint={q ? t('registry.address.export.hintSearch', { q }) : t('registry.address.export.hint', { grid: grids.find((g) => g.id === gridId)?.name ?? '' })}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'print' ? <PrintModal open addresses={[...checked.values()]} onClose={() => setDialog(null)} /> : null}
      {dialog === 'addTop' && gridId ? (
        <AddChildModal
          open
          parent={null}
          gridId={gridId}
          levels={TOP_LEVELS}
          onClose={() => setDialog(null)}
          onDone={(created) => {
            setDialog(null);
            void top.refetch();
            setParam('address', created.id);
          }}
        />
      ) : null}
    </PageContainer>
  );
}
