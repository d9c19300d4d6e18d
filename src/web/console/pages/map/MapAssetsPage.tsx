import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Empty, Flex, Form, Input, Select, Table, Tabs, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { DATE_TIME_SHORT, formatTime } from '../../../shared/format';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { StatusTag } from '../../components/StatusTag';
import { applyProblemFields } from '../../components/formErrors';
import {
  CAMERA_KINDS,
  ROUTE_COLORS,
  ROUTE_MODES,
  useCameraList,
  useCommandSettings,
  useRouteList,
  useSaveMapSettings,
  type AssetStatus,
  type Camera,
  type CameraKind,
  type PatrolRoute,
  type RouteMode,
} from '../../data/map';
import { CameraDrawer, RouteDrawer } from './AssetDrawers';

const PAGE_SIZE = 20;

function useListState() {
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState<AssetStatus | undefined>();
  return { q, setQ, page, setPage, status, setStatus };
}

function CamerasTab({ canManage, unitId }: { canManage: boolean; unitId?: string }) {
  const { t, tx } = useI18n();
  const s = useListState();
  const [kind, setKind] = useState<CameraKind | undefined>();
  const list = useCameraList({ q: s.q || undefined, kind, status: s.status, page: s.page, pageSize: PAGE_SIZE });
  const [editing, setEditing] = useState<{ camera?: Camera } | null>(null);
  return (
    <Card
      title={
        <span>
          {t('mapAssets.tab.cameras')} <Tag style={{ marginInlineStart: 8, fontWeight: 400 }}>{t('mapAssets.assetOnly')}</Tag>
        </span>
      }
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="camera-create">
            {t('mapAssets.camera.create')}
          </Button>
        ) : null
      }
    >
      <Flex gap={8} wrap className="fq-filter-bar">
        <Input.Search allowClear placeholder={t('mapAssets.search')} style={{ width: 220 }} onSearch={(v) => (s.setQ(v.trim()), s.setPage(1))} />
        <Select allowClear placeholder={t('mapAssets.filter.kind')} style={{ width: 140 }} value={kind} onChange={(v) => (setKind(v), s.setPage(1))} options={CAMERA_KINDS.map((k) => ({ value: k, label: tx(`map.camera.kind.${k}`, k) }))} />
        <Select allowClear placeholder={t('mapAssets.filter.status')} style={{ width: 120 }} value={s.status} onChange={(v) => (s.setStatus(v), s.setPage(1))} options={(['active', 'inactive'] as const).map((x) => ({ value: x, label: tx(`status.${x}`, x) }))} />
      </Flex>
      {list.isError ? (
        <ProblemAlert error={list.error} />
      ) : (
        <Table<Camera>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1300 }}
          pagination={{ current: s.page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: s.setPage, showTotal: (total) => t('common.total', { total }) }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('mapAssets.camera.empty')} /> }}
          columns={[
            { key: 'code', title: t('mapAssets.camera.code'), width: 220, render: (_, c) => <Typography.Text copyable={{ text: c.code }}>{c.code}</Typography.Text> },
            { key: 'name', title: t('mapAssets.camera.name'), width: 300, render: (_, c) => <Typography.Text strong>{c.name}</Typography.Text> },
            { key: 'kind', title: t('mapAssets.camera.kind'), width: 110, render: (_, c) => <Tag>{tx(`map.camera.kind.${c.kind}`, c.kind)}</Tag> },
            { key: 'unit', title: t('mapAssets.unit'), width: 170, render: (_, c) => c.orgUnit.name },
            { key: 'pos', title: t('mapAssets.camera.position'), width: 190, render: (_, c) => <span style={{ fontSize: 12 }}>{`${c.lng.toFixed(5)}, ${c.lat.toFixed(5)}`}</span> },
            { key: 'status', title: t('common.status'), width: 90, render: (_, c) => <StatusTag status={c.status} /> },
            { key: 'updated', title: t('mapAssets.updatedAt'), width: 150, render: (_, c) => formatTime(c.updatedAt, DATE_TIME_SHORT) },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 90,
                    fixed: 'right' as const,
                    render: (_: unknown, c: Camera) => (
                      <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing({ camera: c })} data-testid="camera-edit">
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {editing ? <CameraDrawer camera={editing.camera} defaultUnitId={unitId} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

function RoutesTab({ canManage, unitId }: { canManage: boolean; unitId?: string }) {
  const { t, tx } = useI18n();
  const s = useListState();
  const [mode, setMode] = useState<RouteMode | undefined>();
  const list = useRouteList({ q: s.q || undefined, mode, status: s.status, page: s.page, pageSize: PAGE_SIZE });
  const [editing, setEditing] = useState<{ route?: PatrolRoute } | null>(null);
  return (
    <Card
      title={t('mapAssets.tab.routes')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="route-create">
            {t('mapAssets.route.create')}
          </Button>
        ) : null
      }
    >
      <Flex gap={8} wrap className="fq-filter-bar">
        <Input.Search allowClear placeholder={t('mapAssets.route.name')} style={{ width: 220 }} onSearch={(v) => (s.setQ(v.trim()), s.setPage(1))} />
        <Select allowClear placeholder={t('mapAssets.filter.mode')} style={{ width: 140 }} value={mode} onChange={(v) => (setMode(v), s.setPage(1))} options={ROUTE_MODES.map((m) => ({ value: m, label: tx(`map.route.mode.${m}`, m) }))} />
        <Select allowClear placeholder={t('mapAssets.filter.status')} style={{ width: 120 }} value={s.status} onChange={(v) => (s.setStatus(v), s.setPage(1))} options={(['active', 'inactive'] as const).map((x) => ({ value: x, label: tx(`status.${x}`, x) }))} />
      </Flex>
      {list.isError ? (
        <ProblemAlert error={list.error} />
      ) : (
        <Table<PatrolRoute>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          scroll={{ x: 1100 }}
          pagination={{ current: s.page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, showSizeChanger: false, onChange: s.setPage, showTotal: (total) => t('common.total', { total }) }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('mapAssets.route.empty')} /> }}
          columns={[
            {
              key: 'name',
              title: t('mapAssets.route.name'),
              width: 300,
              render: (_, r) => (
                <div>
                  <Typography.Text strong>{r.name}</Typography.Text>
                  {r.note ? (
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 1, tooltip: r.note }} style={{ fontSize: 12, marginBottom: 0 }}>
                      {r.note}
                    </Typography.Paragraph>
                  ) : null}
                </div>
              ),
            },
            {
              key: 'mode',
              title: t('mapAssets.route.mode'),
              width: 120,
              render: (_, r) => (
                <Tag color={r.mode === 'patrol' ? 'blue' : 'volcano'} style={{ borderColor: ROUTE_COLORS[r.mode] }}>
                  {tx(`map.route.mode.${r.mode}`, r.mode)}
                </Tag>
              ),
            },
            { key: 'unit', title: t('mapAssets.unit'), width: 170, render: (_, r) => r.orgUnit.name },
            {
              key: 'len',
              title: t('mapAssets.route.length'),
              width: 170,
              render: (_, r) => `${t('mapAssets.route.lengthValue', { km: (r.lengthM / 1000).toFixed(2) })} · ${t('mapAssets.route.points', { count: r.geometry.coordinates.length })}`,
            },
            { key: 'status', title: t('common.status'), width: 90, render: (_, r) => <StatusTag status={r.status} /> },
            { key: 'updated', title: t('mapAssets.updatedAt'), width: 150, render: (_, r) => formatTime(r.updatedAt, DATE_TIME_SHORT) },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 90,
                    fixed: 'right' as const,
                    render: (_: unknown, r: PatrolRoute) => (
                      <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing({ route: r })} data-testid="route-edit">
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {editing ? <RouteDrawer route={editing.route} defaultUnitId={unitId} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

interface BasemapValues {
  tileUrl?: string;
  tileAttribution?: string;
}

/** The base map: none by default (our own geometry); a deployment's own tile server when set. Admins edit it. */
function BasemapTab({ canEdit }: { canEdit: boolean }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const settings = useCommandSettings();
  const save = useSaveMapSettings();
  const [form] = Form.useForm<BasemapValues>();
  const [error, setError] = useState<unknown>(null);
  const map = settings.data?.map;
  useEffect(() => {
    if (map) form.setFieldsValue({ tileUrl: map.tileUrl ?? '', tileAttribution: map.tileAttribution ?? '' });
  }, [map, form]);

  const submit = (v: BasemapValues) => {
    if (!map) return;
    setError(null);
    save.mutate(
      { ...map, tileUrl: v.tileUrl?.trim() || null, tileAttribution: v.tileAttribution?.trim() || null },
      {
        onSuccess: () => message.success(t('mapAssets.basemap.saved')),
        onError: (err) => {
          setError(err);
          applyProblemFields(form, err, { 'map.tileUrl': 'tileUrl', 'map.tileAttribution': 'tileAttribution' });
        },
      },
    );
  };

  return (
    <Card title={t('mapAssets.basemap.title')} loading={settings.isLoading}>
      <Typography.Paragraph type="secondary">{t('mapAssets.basemap.intro')}</Typography.Paragraph>
      {settings.isError ? <ProblemAlert error={settings.error} /> : null}
      {map && !canEdit ? (
        <>
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('mapAssets.basemap.readOnly')} />
          <Descriptions
            column={1}
            bordered
            size="small"
            items={[
              { key: 'url', label: t('mapAssets.basemap.tileUrl'), children: map.tileUrl ?? t('mapAssets.basemap.none') },
              { key: 'attr', label: t('mapAssets.basemap.attribution'), children: map.tileAttribution ?? t('common.none') },
              { key: 'rings', label: t('mapAssets.basemap.rings'), children: t('mapAssets.basemap.ringsValue', { speed: map.ringSpeedKmh, minutes: map.ringMinutes.join('-') }) },
            ]}
          />
        </>
      ) : null}
      {map && canEdit ? (
        <>
          {error ? <ProblemAlert error={error} fieldLabels={{ 'map.tileUrl': t('mapAssets.basemap.tileUrl'), 'map.tileAttribution': t('mapAssets.basemap.attribution') }} style={{ marginBottom: 16 }} /> : null}
          <Form<BasemapValues> form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 640 }}>
            <Form.Item name="tileUrl" label={t('mapAssets.basemap.tileUrl')} extra={t('mapAssets.basemap.tileUrlHelp')} rules={[{ max: 500 }]}>
              <Input placeholder="/tiles/{z}/{x}/{y}.png" allowClear data-testid="basemap-url" />
            </Form.Item>
            <Form.Item name="tileAttribution" label={t('mapAssets.basemap.attribution')} rules={[{ max: 200 }]}>
              <Input allowClear maxLength={200} />
            </Form.Item>
            <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
              {t('mapAssets.basemap.rings')}：{t('mapAssets.basemap.ringsValue', { speed: map.ringSpeedKmh, minutes: map.ringMinutes.join('-') })}
            </Typography.Paragraph>
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="basemap-save">
              {t('common.save')}
            </Button>
          </Form>
        </>
      ) : null}
    </Card>
  );
}

const TABS = ['cameras', 'routes', 'basemap'] as const;

/** 地图设施: camera positions (assets only), patrol routes and the base map. */
export default function MapAssetsPage() {
  const { t } = useI18n();
  const { can, me } = useAuth();
  const canRead = can('map.read');
  const canManage = can('map.manage');
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab = (TABS as readonly string[]).includes(asked ?? '') ? (asked as (typeof TABS)[number]) : canRead ? 'cameras' : 'basemap';
  const unitId = me?.orgUnit?.id;
  const locked = <Alert type="info" showIcon title={t('mapAssets.noRead')} />;
  return (
    <PageContainer subtitle={t('mapAssets.subtitle')}>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        items={[
          { key: 'cameras', label: t('mapAssets.tab.cameras'), children: canRead ? <CamerasTab canManage={canManage} unitId={unitId} /> : locked },
          { key: 'routes', label: t('mapAssets.tab.routes'), children: canRead ? <RoutesTab canManage={canManage} unitId={unitId} /> : locked },
          { key: 'basemap', label: t('mapAssets.tab.basemap'), children: <BasemapTab canEdit={can('incident.configure')} /> },
        ]}
      />
    </PageContainer>
  );
}
