import { useCallback, useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useSearchParams } from 'react-router';
import { Alert, Button, Checkbox, DatePicker, Drawer, Segmented, Select, Space, Tooltip, TreeSelect, Typography } from 'antd';
import { AimOutlined, ControlOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../../shared/i18n';
import { toApiError } from '../../../shared/errors';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import {
  ADDRESS_MIN_ZOOM,
  LAYERS,
  PERIODS,
  ROUTE_COLORS,
  STATUS_FILTERS,
  addDaysTo,
  beijingToday,
  categoryColor,
  statusQuery,
  useBoundaries,
  useCommandSettings,
  useIncidentBrief,
  useIncidentLayer,
  useMapAddresses,
  useMapCameras,
  useMapKeyUnits,
  useMapOffices,
  useMapRoutes,
  type CategoryNode,
  type LayerKey,
  type StatusFilter,
} from '../../data/map';
import { OneMap, type MapMeasure, type MapView } from './OneMap';
import { IncidentPopover } from './IncidentPopover';
import { RING_COLORS } from './leafletKit';

const DEFAULT_LAYERS: LayerKey[] = ['boundaries', 'addresses', 'incidents', 'offices', 'routes', 'keyUnits', 'cameras'];
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The address layer's box: the view rounded outward to 0.002°, at most 0.5° a side (the server's limit). */
function addressBox(v: MapView | null): string | null {
  if (!v || v.zoom < ADDRESS_MIN_ZOOM) return null;
  const r = (x: number, up: boolean) => (up ? Math.ceil(x * 500) : Math.floor(x * 500)) / 500;
  const cx = (v.west + v.east) / 2;
  const cy = (v.south + v.north) / 2;
  const w = Math.max(r(v.west, false), cx - 0.24);
  const e = Math.min(r(v.east, true), cx + 0.24);
  const s = Math.max(r(v.south, false), cy - 0.24);
  const n = Math.min(r(v.north, true), cy + 0.24);
  return [w, s, e, n].map((x) => x.toFixed(3)).join(',');
}

interface TreeOption {
  value: string;
  title: string;
  children: TreeOption[];
}
const toTree = (nodes: CategoryNode[]): TreeOption[] =>
  nodes.map((n) => ({ value: n.id, title: n.name, children: toTree(n.children) }));

/** 警务一张图: the jurisdiction on one map, drawn from our own geometry (no internet tiles). */
export default function MapPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const canReadIncidents = can('incident.read');
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const [panelOpen, setPanelOpen] = useState(false);
  const [layerList, setLayerList] = useState<LayerKey[]>(DEFAULT_LAYERS);
  const layers = useMemo(() => new Set(layerList), [layerList]);
  const [categoryId, setCategoryId] = useState<string | undefined>();
  const [status, setStatus] = useState<StatusFilter>('all');
  const [view, setView] = useState<MapView | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [fitKey, setFitKey] = useState(0);
  const [measure, setMeasure] = useState<MapMeasure>({ points: 0 });
  const [popupEl] = useState(() => document.createElement('div'));

  // the period: ?from&to (Beijing days), the last 30 days by default
  const today = beijingToday();
  const qFrom = params.get('from');
  const qTo = params.get('to');
  const to = qTo && DAY.test(qTo) ? qTo : today;
  const from = qFrom && DAY.test(qFrom) ? qFrom : addDaysTo(to, -29);
  const preset = to === today ? PERIODS.find((d) => addDaysTo(today, -(d - 1)) === from) : undefined;
  const setPeriod = (f: string, tt: string) => {
    const next = new URLSearchParams(params);
    next.set('from', f);
    next.set('to', tt);
    setParams(next, { replace: true });
    setSelected(null);
  };

  const settings = useCommandSettings();
  const boundaries = useBoundaries();
  const incidents = useIncidentLayer({ from, to, categoryId, status: statusQuery(status) }, layers.has('incidents') || layers.has('heat') || !!params.get('incident'));
  const offices = useMapOffices(layers.has('offices'));
  const routes = useMapRoutes(layers.has('routes'));
  const keyUnits = useMapKeyUnits(layers.has('keyUnits'));
  const cameras = useMapCameras(layers.has('cameras'));
  const bbox = layers.has('addresses') ? addressBox(view) : null;
  const addresses = useMapAddresses(bbox);
  const layer = incidents.data;

  // a new load or filter: the old selection's index means nothing any more
  useEffect(() => setSelected(null), [layer]);

  // deep link ?incident=<id>: select it when it is in the layer; else centre on it from its detail (if readable)
  const focusId = params.get('incident');
  const [centre, setCentre] = useState<{ lat: number; lng: number; zoom: number; key: number } | null>(null);
  const focusIndex = useMemo(() => (focusId && layer ? layer.ids.indexOf(focusId) : -1), [focusId, layer]);
  const focusBrief = useIncidentBrief(focusId, canReadIncidents && !!layer && focusIndex < 0);
  useEffect(() => {
    if (!layer || !focusId) return;
    if (focusIndex >= 0) {
      setCentre({ lat: layer.lat[focusIndex], lng: layer.lng[focusIndex], zoom: 16, key: Date.now() });
      setSelected(focusIndex);
    }
  }, [layer, focusId, focusIndex]);
  useEffect(() => {
    const b = focusBrief.data;
    if (b && typeof b.lat === 'number' && typeof b.lng === 'number') setCentre({ lat: b.lat, lng: b.lng, zoom: 16, key: Date.now() });
  }, [focusBrief.data]);

  const onSelect = useCallback(
    (i: number | null) => {
      setSelected(i);
      if (i === null && params.get('incident')) {
        const next = new URLSearchParams(params);
        next.delete('incident');
        setParams(next, { replace: true });
      }
    },
    [params, setParams],
  );
  const onMeasure = useCallback((m: MapMeasure) => {
    setMeasure((old) => ({ ...old, ...m }));
    (window as unknown as { __fqMap?: MapMeasure }).__fqMap = { ...(window as unknown as { __fqMap?: MapMeasure }).__fqMap, ...m } as MapMeasure;
  }, []);

  // legend counts by top-level category, once per load
  const byCategory = useMemo(() => {
    const counts = new Array<number>(layer?.categories.length ?? 0).fill(0);
    if (layer) for (const c of layer.cat) if (c >= 0) counts[c]++;
    return counts;
  }, [layer]);

  const errors = [settings, boundaries, incidents, offices, routes, keyUnits, cameras, addresses].filter((q) => q.isError).map((q) => toApiError(q.error).title);
  const ringInfo = offices.data?.items[0]?.rings ?? settings.data?.map.ringMinutes.map((m) => ({ minutes: m, radiusM: 0 })) ?? [];
  const speed = offices.data?.ringSpeedKmh ?? settings.data?.map.ringSpeedKmh ?? 30;
  const noBoundary = boundaries.data && !boundaries.data.features.some((f) => f.geometry);

  const panel = (
    <div data-testid="map-panel">
      <div className="fq-map-section">
        <div className="fq-map-section-title">{t('map.layers')}</div>
        <Checkbox.Group className="fq-map-layers" value={layerList} onChange={(v) => setLayerList(v as LayerKey[])} data-testid="map-layers">
          {LAYERS.map((k) => (
            <Checkbox key={k} value={k}>
              {t(`map.layer.${k}` as 'map.layer.boundaries')}
              {k === 'addresses' && (view?.zoom ?? 0) < ADDRESS_MIN_ZOOM ? <span className="fq-map-hint">{t('map.addresses.zoomHint', { zoom: ADDRESS_MIN_ZOOM })}</span> : null}
            </Checkbox>
          ))}
        </Checkbox.Group>
      </div>

      <div className="fq-map-section">
        <div className="fq-map-section-title">{t('map.filters')}</div>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Segmented
            block
            size="small"
            value={preset ?? 0}
            onChange={(d) => {
              if (d) setPeriod(addDaysTo(today, -((d as number) - 1)), today);
            }}
            options={PERIODS.map((d) => ({ value: d, label: t(`map.period.${d}` as 'map.period.7') }))}
            data-testid="map-period"
          />
          <DatePicker.RangePicker
            size="small"
            style={{ width: '100%' }}
            allowClear={false}
            value={[dayjs(from), dayjs(to)]}
            disabledDate={(d) => d.isAfter(dayjs(today))}
            onChange={(v) => {
              if (v?.[0] && v[1]) setPeriod(v[0].format('YYYY-MM-DD'), v[1].format('YYYY-MM-DD'));
            }}
            aria-label={t('map.period.range')}
          />
          <TreeSelect
            size="small"
            style={{ width: '100%' }}
            allowClear
            placeholder={t('map.category.all')}
            value={categoryId}
            onChange={(v) => setCategoryId(v ?? undefined)}
            treeData={toTree(layer?.categories ?? [])}
            showSearch={{ treeNodeFilterProp: 'title' }}
            data-testid="map-category"
          />
          <Select
            size="small"
            style={{ width: '100%' }}
            value={status}
            onChange={(v) => setStatus(v)}
            options={STATUS_FILTERS.map((s) => ({ value: s, label: t(`map.status.${s}` as 'map.status.all') }))}
            data-testid="map-status"
          />
        </Space>
      </div>

      <div className="fq-map-section" data-testid="map-counts">
        <div className="fq-map-section-title">{t('map.counts')}</div>
        {layers.has('incidents') || layers.has('heat') ? (
          <Tooltip title={measure.indexMs !== undefined ? t('map.measure', { build: Math.round(measure.indexMs), render: Math.round(measure.renderMs ?? 0) }) : undefined}>
            <div className="fq-map-legend-row">{incidents.isFetching && !layer ? t('map.loading') : t('map.count.incidents', { count: layer?.count ?? 0 })}</div>
          </Tooltip>
        ) : null}
        {layer?.truncated ? <Alert type="warning" showIcon style={{ margin: '4px 0', padding: '4px 8px', fontSize: 12 }} title={t('map.count.truncated', { count: layer.count })} /> : null}
        {layer && layer.count === 0 && (layers.has('incidents') || layers.has('heat')) ? <div className="fq-map-hint">{t('map.empty.incidents')}</div> : null}
        {layers.has('offices') && offices.data ? <div className="fq-map-legend-row">{t('map.count.offices', { count: offices.data.items.length })}</div> : null}
        {layers.has('routes') && routes.data ? <div className="fq-map-legend-row">{t('map.count.routes', { count: routes.data.items.length })}</div> : null}
        {layers.has('keyUnits') && keyUnits.data ? <div className="fq-map-legend-row">{t('map.count.keyUnits', { count: keyUnits.data.items.length })}</div> : null}
        {layers.has('cameras') && cameras.data ? <div className="fq-map-legend-row">{t('map.count.cameras', { count: cameras.data.items.length })}</div> : null}
        {bbox && addresses.data ? (
          <div className="fq-map-legend-row">
            {addresses.data.truncated ? t('map.addresses.truncated', { count: addresses.data.items.length }) : t('map.count.addresses', { count: addresses.data.items.length })}
          </div>
        ) : null}
      </div>

      <div className="fq-map-section" data-testid="map-legend">
        <div className="fq-map-section-title">{t('map.legend')}</div>
        {(layer?.categories ?? []).map((c, i) => (
          <div key={c.id} className="fq-map-legend-row">
            <span className="fq-map-dot" style={{ background: categoryColor(c.code, i) }} />
            <span style={{ flex: 1 }}>{c.name}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {byCategory[i] ?? 0}
            </Typography.Text>
          </div>
        ))}
        <div className="fq-map-legend-row">
          <span className="fq-cluster fq-cluster-2" style={{ width: 18, height: 18, fontSize: 10, boxShadow: 'none', flex: 'none' }}>
            <span>n</span>
          </span>
          {t('map.legend.cluster')}
        </div>
        <div className="fq-map-legend-row">
          <span className="fq-map-line" style={{ borderColor: ROUTE_COLORS.patrol }} />
          {t('map.legend.patrol')}
        </div>
        <div className="fq-map-legend-row">
          <span className="fq-map-line fq-map-line-dashed" style={{ borderColor: ROUTE_COLORS.volunteer }} />
          {t('map.legend.volunteer')}
        </div>
        <div className="fq-map-legend-row">
          <span style={{ display: 'inline-flex', gap: 2 }}>
            {ringInfo.map((r, k) => (
              <span key={r.minutes} className="fq-map-dot" style={{ background: 'transparent', border: `2px dashed ${RING_COLORS[k % RING_COLORS.length]}`, boxShadow: 'none' }} />
            ))}
          </span>
          {t('map.legend.rings', { speed })}
          {ringInfo.length ? `：${ringInfo.map((r) => t('map.ring', { minutes: r.minutes })).join(' / ')}` : ''}
        </div>
        <div className="fq-map-legend-row">
          <span className="fq-office fq-office-station" style={{ width: 16, height: 16, fontSize: 9, flex: 'none' }}>
            <span>{t('map.office.short.station')}</span>
          </span>
          {t('map.legend.office')}
        </div>
        <div className="fq-map-legend-row">
          <span className="fq-keyunit" style={{ width: 12, height: 12, flex: 'none', marginInline: 2 }} />
          {t('map.legend.keyUnit')}
        </div>
        <div className="fq-map-legend-row">
          <span className="fq-camera" style={{ width: 16, height: 16, flex: 'none' }} />
          {t('map.legend.camera')}
        </div>
      </div>
    </div>
  );

  return (
    <PageContainer subtitle={isMobile ? undefined : t('map.subtitle')}>
      {errors.length ? <Alert type="error" showIcon closable style={{ marginBottom: 8 }} title={t('map.loadFailed', { message: [...new Set(errors)].join('；') })} /> : null}
      {noBoundary ? <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('map.noBoundary')} /> : null}
      {focusId && layer && focusIndex < 0 && (!canReadIncidents || focusBrief.isFetched) ? (
        <Alert type="warning" showIcon closable style={{ marginBottom: 8 }} title={t('map.incident.notInLayer')} />
      ) : null}
      <div className="fq-map-shell">
        {isMobile ? null : <div className="fq-map-panel">{panel}</div>}
        <div className="fq-map-main">
          <OneMap
            settings={settings.data?.map ?? null}
            layers={layers}
            boundaries={boundaries.data}
            incidents={layer}
            offices={offices.data?.items}
            routes={routes.data?.items}
            keyUnits={keyUnits.data?.items}
            cameras={cameras.data?.items}
            addresses={bbox ? addresses.data?.items : undefined}
            selected={selected}
            onSelect={onSelect}
            popupEl={popupEl}
            centre={centre}
            fitKey={fitKey}
            onView={setView}
            onMeasure={onMeasure}
          />
          <div className="fq-map-overlay fq-map-tools">
            {isMobile ? (
              <Button icon={<ControlOutlined />} onClick={() => setPanelOpen(true)} data-testid="map-open-panel">
                {t('map.openPanel')}
              </Button>
            ) : null}
            <Tooltip title={t('map.fit')} placement="left">
              <Button icon={<AimOutlined />} onClick={() => setFitKey((k) => k + 1)} aria-label={t('map.fit')} />
            </Tooltip>
          </div>
          {isMobile && layer ? (
            <div className="fq-map-overlay fq-map-status">
              <span className="fq-map-chip">{t('map.count.incidents', { count: layer.count })}</span>
            </div>
          ) : null}
        </div>
      </div>
      {isMobile ? (
        <Drawer open={panelOpen} onClose={() => setPanelOpen(false)} title={t('map.panel')} placement="bottom" size="72%" data-testid="map-drawer">
          {panel}
        </Drawer>
      ) : null}
      {selected !== null && layer && selected < layer.ids.length
        ? createPortal(<IncidentPopover layer={layer} index={selected} canRead={canReadIncidents} />, popupEl)
        : null}
    </PageContainer>
  );
}
