import { useEffect, useRef } from 'react';
import L from 'leaflet';
import { useI18n } from '../../../shared/i18n';
import {
  ROUTE_COLORS,
  categoryColor,
  type Boundaries,
  type IncidentLayer,
  type LayerKey,
  type MapAddress,
  type MapCamera,
  type MapKeyUnit,
  type MapOffice,
  type MapRoute,
  type MapSettings,
} from '../../data/map';
import { ClusterClient } from './clusterProtocol';
import {
  RING_COLORS,
  boundaryBounds,
  boundaryStyle,
  cameraIcon,
  clusterIcon,
  createBaseMap,
  escapeHtml,
  keyUnitIcon,
  labelIcon,
  loadHeat,
  officeIcon,
  ringLabelIcon,
  setTiles,
  zoomClasses,
} from './leafletKit';

export interface MapView {
  zoom: number;
  west: number;
  south: number;
  east: number;
  north: number;
}

export interface MapMeasure {
  points: number;
  /** Building the cluster index in the worker, once per data load. */
  indexMs?: number;
  /** From moveend/zoomend to the clusters drawn (worker query + drawing). */
  renderMs?: number;
  /** How many clusters and single points were drawn. */
  drawn?: number;
}

export interface OneMapProps {
  settings: MapSettings | null;
  layers: ReadonlySet<LayerKey>;
  boundaries?: Boundaries;
  incidents?: IncidentLayer;
  offices?: MapOffice[];
  routes?: MapRoute[];
  keyUnits?: MapKeyUnit[];
  cameras?: MapCamera[];
  addresses?: MapAddress[];
  /** The selected incident (an index into the layer's arrays): highlighted, with a popup holding `popupEl`. */
  selected: number | null;
  onSelect: (index: number | null) => void;
  popupEl: HTMLElement;
  /** Centre here (deep links); `key` makes the same place count again. */
  centre?: { lat: number; lng: number; zoom: number; key: number } | null;
  /** Increment to fit the view to the jurisdiction again. */
  fitKey: number;
  onView: (v: MapView) => void;
  onMeasure: (m: MapMeasure) => void;
}

type Groups = Record<'boundaries' | 'labels' | 'addresses' | 'clusters' | 'offices' | 'routes' | 'keyUnits' | 'cameras' | 'highlight', L.LayerGroup>;

/**
 * The Leaflet map of the one map. Everything heavy stays out of React: layers are Leaflet groups rebuilt when their
 * data change and added or removed when toggled. Incident points are clustered by a worker (supercluster) over the
 * whole load, and only the clusters and single points of the visible box are drawn, on canvas, after each
 * moveend/zoomend; the heat layer draws the same arrays.
 */
export function OneMap(p: OneMapProps) {
  const { t, tx } = useI18n();
  const elRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const groupsRef = useRef<Groups | null>(null);
  const clusterRef = useRef<ClusterClient | null>(null);
  const heatRef = useRef<L.HeatLayer | null>(null);
  const fitted = useRef(false);
  const latest = useRef(p);
  latest.current = p;
  const drawSeq = useRef(0);
  const popupRef = useRef<L.Popup | null>(null);
  const ownAttribution = t('map.tileAttributionDefault');

  /** Clusters of the visible box from the worker, drawn as numbered circles and canvas points. */
  const drawClusters = useRef(async () => {
    const map = mapRef.current;
    const groups = groupsRef.current;
    const client = clusterRef.current;
    const { incidents, layers } = latest.current;
    if (!map || !groups || !client) return;
    const seq = ++drawSeq.current;
    if (!incidents || !layers.has('incidents')) {
      groups.clusters.clearLayers();
      return;
    }
    const t0 = performance.now();
    const b = map.getBounds();
    const bbox: [number, number, number, number] = [Math.max(-180, b.getWest()), Math.max(-85, b.getSouth()), Math.min(180, b.getEast()), Math.min(85, b.getNorth())];
    const { items, stale } = await client.clusters(bbox, Math.round(map.getZoom()));
    if (stale || seq !== drawSeq.current) return;
    const colours = incidents.categories.map((c, i) => categoryColor(c.code, i));
    const drawn: L.Layer[] = [];
    for (const it of items) {
      if (it.count > 1) {
        const m = L.marker([it.lat, it.lng], { icon: clusterIcon(it.count), keyboard: false, riseOnHover: true });
        m.on('click', async () => {
          const z = await clusterRef.current?.expansionZoom(it.id);
          map.flyTo([it.lat, it.lng], z && z > 0 ? Math.min(z, 18) : map.getZoom() + 2, { duration: 0.4 });
        });
        drawn.push(m);
      } else {
        const i = it.id;
        const c = colours[incidents.cat[i]] ?? '#595959';
        const m = L.circleMarker([it.lat, it.lng], { radius: 5, color: '#fff', weight: 1, fillColor: c, fillOpacity: 0.95 });
        m.on('click', () => latest.current.onSelect(i));
        drawn.push(m);
      }
    }
    groups.clusters.clearLayers();
    for (const l of drawn) groups.clusters.addLayer(l);
    latest.current.onMeasure({ points: incidents.ids.length, renderMs: performance.now() - t0, drawn: items.length });
  });

  // ---- the map, once
  useEffect(() => {
    const el = elRef.current!;
    const map = createBaseMap(el, { settings: latest.current.settings, ownAttribution });
    mapRef.current = map;
    const g = (): L.LayerGroup => L.layerGroup();
    groupsRef.current = { boundaries: g(), labels: g(), addresses: g(), clusters: g(), offices: g(), routes: g(), keyUnits: g(), cameras: g(), highlight: g().addTo(map) };
    clusterRef.current = new ClusterClient();
    const report = () => {
      const b = map.getBounds();
      zoomClasses(el, map.getZoom());
      latest.current.onView({ zoom: map.getZoom(), west: b.getWest(), south: b.getSouth(), east: b.getEast(), north: b.getNorth() });
    };
    map.on('moveend', () => {
      report();
      void drawClusters.current();
    });
    zoomClasses(el, map.getZoom());
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(el);
    return () => {
      ro.disconnect();
      clusterRef.current?.terminate();
      clusterRef.current = null;
      map.remove();
      mapRef.current = null;
      groupsRef.current = null;
      heatRef.current = null;
    };
  }, []);

  // ---- tiles after the settings
  useEffect(() => {
    if (mapRef.current) setTiles(mapRef.current, { settings: p.settings, ownAttribution });
  }, [p.settings, ownAttribution]);

  // ---- toggles: each group on or off
  const on = (k: LayerKey) => p.layers.has(k);
  useEffect(() => {
    const map = mapRef.current;
    const g = groupsRef.current;
    if (!map || !g) return;
    const want: Array<[L.LayerGroup, boolean]> = [
      [g.boundaries, on('boundaries')],
      [g.labels, on('boundaries')],
      [g.addresses, on('addresses')],
      [g.clusters, on('incidents')],
      [g.offices, on('offices')],
      [g.routes, on('routes')],
      [g.keyUnits, on('keyUnits')],
      [g.cameras, on('cameras')],
    ];
    for (const [layer, visible] of want) {
      if (visible && !map.hasLayer(layer)) layer.addTo(map);
      if (!visible && map.hasLayer(layer)) layer.remove();
    }
    void drawClusters.current();
  }, [p.layers]);

  // ---- boundaries and labels; the first load fits the view
  useEffect(() => {
    const map = mapRef.current;
    const g = groupsRef.current;
    if (!map || !g || !p.boundaries) return;
    g.boundaries.clearLayers();
    g.labels.clearLayers();
    const order = ['city_bureau', 'branch', 'station', 'community', 'grid'];
    const features = [...p.boundaries.features].filter((f) => f.geometry).sort((a, b) => order.indexOf(b.properties.kind) - order.indexOf(a.properties.kind));
    for (const f of features) {
      const layer = L.geoJSON(f.geometry as GeoJSON.Geometry, { style: () => boundaryStyle(f.properties.kind) });
      g.boundaries.addLayer(layer);
      if (f.properties.kind === 'station' || f.properties.kind === 'community') {
        const c = layer.getBounds().getCenter();
        g.labels.addLayer(L.marker(c, { icon: labelIcon(f.properties.name, f.properties.kind), interactive: false, keyboard: false }));
      }
    }
    if (!fitted.current) {
      const bounds = boundaryBounds(p.boundaries.features);
      if (bounds) {
        map.fitBounds(bounds, { padding: [16, 16] });
        fitted.current = true;
      }
    }
  }, [p.boundaries]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !p.fitKey || !p.boundaries) return;
    const bounds = boundaryBounds(p.boundaries.features);
    if (bounds) map.fitBounds(bounds, { padding: [16, 16] });
  }, [p.fitKey, p.boundaries]);

  // ---- incidents: a new load rebuilds the cluster index (in the worker) and the heat layer
  useEffect(() => {
    const client = clusterRef.current;
    const data = p.incidents;
    if (!client || !data) return;
    let cancelled = false;
    void client.load(data.lat, data.lng).then(({ points, ms }) => {
      if (cancelled) return;
      latest.current.onMeasure({ points, indexMs: ms });
      // no boundary to fit to: fit to the points
      const map = mapRef.current;
      if (map && !fitted.current && points > 0 && latest.current.boundaries && !boundaryBounds(latest.current.boundaries.features)) {
        let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
        for (let i = 0; i < data.lat.length; i++) {
          w = Math.min(w, data.lng[i]);
          e = Math.max(e, data.lng[i]);
          s = Math.min(s, data.lat[i]);
          n = Math.max(n, data.lat[i]);
        }
        map.fitBounds([[s, w], [n, e]], { padding: [16, 16] });
        fitted.current = true;
      }
      void drawClusters.current();
    });
    return () => {
      cancelled = true;
    };
  }, [p.incidents]);

  useEffect(() => {
    const map = mapRef.current;
    const data = p.incidents;
    if (!map) return;
    if (!p.layers.has('heat') || !data) {
      heatRef.current?.remove();
      return;
    }
    let cancelled = false;
    void loadHeat().then(() => {
      if (cancelled || !mapRef.current) return;
      // the more points, the less each weighs, so that hot spots stand out instead of a saturated district
      const weight = Math.min(0.5, Math.max(0.01, 1500 / Math.max(1, data.lat.length)));
      const pts: L.HeatLatLngTuple[] = new Array(data.lat.length);
      for (let i = 0; i < data.lat.length; i++) pts[i] = [data.lat[i], data.lng[i], weight];
      if (!heatRef.current) heatRef.current = L.heatLayer(pts, { radius: 16, blur: 14, maxZoom: 16, minOpacity: 0.25 });
      else heatRef.current.setLatLngs(pts);
      if (!map.hasLayer(heatRef.current)) heatRef.current.addTo(map);
    });
    return () => {
      cancelled = true;
    };
  }, [p.incidents, p.layers]);

  // ---- offices with their rings
  useEffect(() => {
    const g = groupsRef.current;
    if (!g) return;
    g.offices.clearLayers();
    for (const o of p.offices ?? []) {
      o.rings.forEach((r, k) => {
        const colour = RING_COLORS[k % RING_COLORS.length];
        g.offices.addLayer(L.circle([o.lat, o.lng], { radius: r.radiusM, color: colour, weight: 1.2, dashArray: '5 5', fill: k === 0, fillColor: colour, fillOpacity: 0.05, interactive: false }));
        const top = L.latLng(o.lat + r.radiusM / 111_320, o.lng);
        g.offices.addLayer(L.marker(top, { icon: ringLabelIcon(t('map.ring', { minutes: r.minutes })), interactive: false, keyboard: false }));
      });
      const kindName = tx(`map.office.kind.${o.kind}`, o.kind);
      const m = L.marker([o.lat, o.lng], { icon: officeIcon(o.kind, tx(`map.office.short.${o.kind}`, o.kind.slice(0, 1))), zIndexOffset: 500 });
      m.bindTooltip(
        `<b>${escapeHtml(o.name)}</b><br/>${escapeHtml(kindName)} · ${escapeHtml(o.orgUnit.name)}${o.phone ? `<br/>${escapeHtml(t('map.office.phone', { phone: o.phone }))}` : ''}${o.address ? `<br/>${escapeHtml(o.address)}` : ''}`,
        { direction: 'top', offset: [0, -12] },
      );
      g.offices.addLayer(m);
    }
  }, [p.offices, t]);

  // ---- patrol routes
  useEffect(() => {
    const g = groupsRef.current;
    if (!g) return;
    g.routes.clearLayers();
    for (const r of p.routes ?? []) {
      const line = L.polyline(
        r.geometry.coordinates.map(([lng, lat]) => [lat, lng] as [number, number]),
        { color: ROUTE_COLORS[r.mode], weight: 4, opacity: 0.85, dashArray: r.mode === 'volunteer' ? '8 6' : undefined },
      );
      line.bindTooltip(`<b>${escapeHtml(r.name)}</b><br/>${escapeHtml(tx(`map.route.mode.${r.mode}`, r.mode))} · ${escapeHtml(r.orgUnitName)}`, { sticky: true });
      g.routes.addLayer(line);
    }
  }, [p.routes, t]);

  // ---- key units
  useEffect(() => {
    const g = groupsRef.current;
    if (!g) return;
    g.keyUnits.clearLayers();
    for (const u of p.keyUnits ?? []) {
      const m = L.marker([u.lat, u.lng], { icon: keyUnitIcon(t('map.keyUnit.short')), zIndexOffset: 300 });
      m.bindTooltip(`<b>${escapeHtml(u.name)}</b><br/>${escapeHtml(u.keyIndustryName)}<br/>${escapeHtml(u.address)}`, { direction: 'top', offset: [0, -8] });
      g.keyUnits.addLayer(m);
    }
  }, [p.keyUnits, t]);

  // ---- cameras (mapped assets only)
  useEffect(() => {
    const g = groupsRef.current;
    if (!g) return;
    g.cameras.clearLayers();
    for (const c of p.cameras ?? []) {
      const m = L.marker([c.lat, c.lng], { icon: cameraIcon(c.kind), zIndexOffset: 200 });
      m.bindTooltip(
        `<b>${escapeHtml(c.name)}</b><br/>${escapeHtml(tx(`map.camera.kind.${c.kind}`, c.kind))} · ${escapeHtml(c.code)}<br/><span style="color:#8c8c8c">${escapeHtml(t('map.camera.assetOnly'))}</span>`,
        { direction: 'top', offset: [0, -10] },
      );
      g.cameras.addLayer(m);
    }
  }, [p.cameras, t]);

  // ---- addresses of the visible box (zoom ≥ 15)
  useEffect(() => {
    const g = groupsRef.current;
    if (!g) return;
    g.addresses.clearLayers();
    for (const a of p.addresses ?? []) {
      const m = L.circleMarker([a.lat, a.lng], { radius: 3, color: '#595959', weight: 1, fillColor: '#bfbfbf', fillOpacity: 0.9 });
      m.bindTooltip(escapeHtml(a.label), { direction: 'top' });
      g.addresses.addLayer(m);
    }
  }, [p.addresses]);

  // ---- the selected incident: a ring and a popup holding the page's content
  useEffect(() => {
    const map = mapRef.current;
    const g = groupsRef.current;
    const data = p.incidents;
    if (!map || !g) return;
    g.highlight.clearLayers();
    if (p.selected === null || !data || p.selected >= data.ids.length) {
      popupRef.current?.remove();
      popupRef.current = null;
      return;
    }
    const at = L.latLng(data.lat[p.selected], data.lng[p.selected]);
    g.highlight.addLayer(L.circleMarker(at, { radius: 13, color: '#f5222d', weight: 3, fill: false, interactive: false, className: 'fq-highlight' }));
    const popup = L.popup({ className: 'fq-map-popup', maxWidth: 320, autoPanPadding: [24, 24], offset: [0, -6] }).setLatLng(at).setContent(p.popupEl);
    const mine = p.selected;
    popup.on('remove', () => {
      if (latest.current.selected === mine) latest.current.onSelect(null);
    });
    popupRef.current?.remove();
    popupRef.current = popup;
    popup.openOn(map);
  }, [p.selected, p.incidents, p.popupEl]);

  // ---- deep links: centre on a place
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !p.centre) return;
    fitted.current = true;
    map.setView([p.centre.lat, p.centre.lng], p.centre.zoom);
    if (p.selected === null && groupsRef.current) {
      groupsRef.current.highlight.clearLayers();
      groupsRef.current.highlight.addLayer(L.circleMarker([p.centre.lat, p.centre.lng], { radius: 13, color: '#f5222d', weight: 3, fill: false, interactive: false }));
    }
  }, [p.centre?.key]);

  return <div ref={elRef} className="fq-map" data-testid="one-map" />;
}
