import { useEffect, useRef } from 'react';
import L from 'leaflet';
import { useI18n } from '../../../shared/i18n';
import { ROUTE_COLORS, useBoundaries, useCommandSettings, type RouteMode } from '../../data/map';
import { boundaryBounds, boundaryStyle, cameraIcon, createBaseMap } from './leafletKit';

export type PickMapProps =
  | { mode: 'point'; point: { lat: number; lng: number } | null; onPick: (lat: number, lng: number) => void; 'data-testid'?: string }
  | { mode: 'line'; points: Array<[number, number]>; routeMode: RouteMode; onAdd: (lng: number, lat: number) => void; 'data-testid'?: string };

const r6 = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * A small map to pick a camera's position (one click) or draw a route (click the points in order), over the
 * jurisdiction's boundaries; no internet tiles.
 */
export function PickMap(p: PickMapProps) {
  const { t } = useI18n();
  const elRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const drawRef = useRef<L.LayerGroup | null>(null);
  const latest = useRef(p);
  latest.current = p;
  const boundaries = useBoundaries();
  const settings = useCommandSettings();
  const focused = useRef(false);

  useEffect(() => {
    const map = createBaseMap(elRef.current!, { settings: settings.data?.map ?? null, ownAttribution: t('map.tileAttributionDefault') });
    mapRef.current = map;
    drawRef.current = L.layerGroup().addTo(map);
    map.on('click', (e: L.LeafletMouseEvent) => {
      const cur = latest.current;
      if (cur.mode === 'point') cur.onPick(r6(e.latlng.lat), r6(e.latlng.lng));
      else cur.onAdd(r6(e.latlng.lng), r6(e.latlng.lat));
    });
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(elRef.current!);
    return () => {
      ro.disconnect();
      map.remove();
      mapRef.current = null;
    };
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || !boundaries.data) return;
    const group = L.layerGroup();
    for (const f of boundaries.data.features) if (f.geometry) group.addLayer(L.geoJSON(f.geometry as GeoJSON.Geometry, { style: () => boundaryStyle(f.properties.kind) }));
    group.addTo(map);
    group.eachLayer((l) => (l as L.GeoJSON).bringToBack());
    if (!focused.current) {
      const cur = latest.current;
      const start = cur.mode === 'point' ? cur.point : cur.points.length ? { lng: cur.points[0][0], lat: cur.points[0][1] } : null;
      if (cur.mode === 'line' && cur.points.length > 1) map.fitBounds(L.latLngBounds(cur.points.map(([x, y]) => [y, x] as [number, number])), { padding: [30, 30] });
      else if (start) map.setView([start.lat, start.lng], 15);
      else {
        const b = boundaryBounds(boundaries.data.features);
        if (b) map.fitBounds(b, { padding: [8, 8] });
      }
      focused.current = true;
    }
    return () => {
      group.remove();
    };
  }, [boundaries.data]);

  // what is being picked or drawn
  const key = p.mode === 'point' ? JSON.stringify(p.point) : `${p.routeMode}${JSON.stringify(p.points)}`;
  useEffect(() => {
    const g = drawRef.current;
    if (!g) return;
    g.clearLayers();
    const cur = latest.current;
    if (cur.mode === 'point') {
      if (cur.point) g.addLayer(L.marker([cur.point.lat, cur.point.lng], { icon: cameraIcon('public'), interactive: false }));
      return;
    }
    const latlngs = cur.points.map(([x, y]) => [y, x] as [number, number]);
    if (latlngs.length > 1) g.addLayer(L.polyline(latlngs, { color: ROUTE_COLORS[cur.routeMode], weight: 4, dashArray: cur.routeMode === 'volunteer' ? '8 6' : undefined, interactive: false }));
    latlngs.forEach((ll, i) =>
      g.addLayer(L.circleMarker(ll, { radius: i === latlngs.length - 1 ? 6 : 4, color: '#fff', weight: 2, fillColor: ROUTE_COLORS[cur.routeMode], fillOpacity: 1, interactive: false })),
    );
  }, [key]);

  return <div ref={elRef} className="fq-map fq-map-pick" data-testid={p['data-testid']} />;
}
