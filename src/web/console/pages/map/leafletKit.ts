// Leaflet pieces shared by the one map and the small pickers of the assets page: a map with no internet tiles
// (a plain background under our own geometry, or the deployment's own tile server when set), icons and styles.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import './map.css';
import type { BoundaryFeature, MapSettings } from '../../data/map';

export interface BaseMapOptions {
  settings?: MapSettings | null;
  /** Attribution when no tile layer is set (what the map shows is our own geometry). */
  ownAttribution: string;
  minZoom?: number;
}

/** A canvas-first map (thousands of vector points stay cheap), optionally over the deployment's tile server. */
export function createBaseMap(el: HTMLElement, o: BaseMapOptions): L.Map {
  const map = L.map(el, {
    preferCanvas: true,
    zoomControl: true,
    attributionControl: true,
    minZoom: o.minZoom ?? 5,
    maxZoom: 19,
    worldCopyJump: false,
    zoomSnap: 0.5,
    center: [35, 105],
    zoom: 5,
  });
  map.attributionControl.setPrefix(false);
  setTiles(map, o);
  return map;
}

const TILE_PANE_KEY = '__fqTiles';

/** Adds, replaces or removes the tile layer after the settings; without one the attribution names our geometry. */
export function setTiles(map: L.Map, o: BaseMapOptions) {
  const holder = map as unknown as Record<string, L.TileLayer | undefined>;
  holder[TILE_PANE_KEY]?.remove();
  holder[TILE_PANE_KEY] = undefined;
  map.attributionControl.removeAttribution(o.ownAttribution);
  const url = o.settings?.tileUrl;
  if (url) {
    holder[TILE_PANE_KEY] = L.tileLayer(url, { attribution: o.settings?.tileAttribution ?? '', maxZoom: 19 }).addTo(map);
  } else {
    map.attributionControl.addAttribution(o.ownAttribution);
  }
}

let heatLoaded: Promise<void> | null = null;
/** leaflet.heat is a script that extends the global `L`: give it ours, then load it once. */
export function loadHeat(): Promise<void> {
  heatLoaded ??= (async () => {
    (globalThis as unknown as { L?: typeof L }).L = L;
    await import('leaflet.heat');
  })();
  return heatLoaded;
}

// ---- boundaries

const BOUNDARY_STYLE: Record<string, L.PathOptions> = {
  city_bureau: { color: '#0a1f44', weight: 3, fill: false },
  branch: { color: '#0a1f44', weight: 3, fill: false },
  station: { color: '#1d39c4', weight: 2.4, fillColor: '#1d39c4', fillOpacity: 0.035 },
  community: { color: '#2f54eb', weight: 1.4, dashArray: '6 4', fill: false },
  grid: { color: '#8c8c8c', weight: 0.8, dashArray: '2 4', fill: false },
};

export function boundaryStyle(kind: string): L.PathOptions {
  return { interactive: false, ...(BOUNDARY_STYLE[kind] ?? BOUNDARY_STYLE.grid) };
}

/** Bounds of the widest units (the first of the smallest depth) to fit the view to. */
export function boundaryBounds(features: BoundaryFeature[]): L.LatLngBounds | null {
  const order = ['city_bureau', 'branch', 'station', 'community', 'grid'];
  const sorted = features.filter((f) => f.geometry).sort((a, b) => order.indexOf(a.properties.kind) - order.indexOf(b.properties.kind));
  if (!sorted.length) return null;
  const topKind = sorted[0].properties.kind;
  let bounds: L.LatLngBounds | null = null;
  for (const f of sorted.filter((x) => x.properties.kind === topKind)) {
    const b = L.geoJSON(f.geometry as GeoJSON.Geometry).getBounds();
    bounds = bounds ? bounds.extend(b) : b;
  }
  return bounds;
}

// ---- icons

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function labelIcon(text: string, kind: string): L.DivIcon {
  return L.divIcon({ className: `fq-map-label fq-map-label-${kind}`, html: `<span>${esc(text)}</span>`, iconSize: undefined, iconAnchor: [0, 0] });
}

export function clusterIcon(count: number): L.DivIcon {
  const size = count < 10 ? 24 : count < 100 ? 28 : count < 1000 ? 34 : 40;
  const tier = count < 10 ? 1 : count < 100 ? 2 : count < 1000 ? 3 : 4;
  const text = count >= 10_000 ? `${Math.round(count / 1000)}k` : String(count);
  return L.divIcon({ className: `fq-cluster fq-cluster-${tier}`, html: `<span>${text}</span>`, iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
}

export function officeIcon(kind: string, short: string): L.DivIcon {
  return L.divIcon({ className: `fq-office fq-office-${kind}`, html: `<span>${esc(short)}</span>`, iconSize: [24, 24], iconAnchor: [12, 12] });
}

export function keyUnitIcon(short: string): L.DivIcon {
  return L.divIcon({ className: 'fq-keyunit', html: `<span>${esc(short)}</span>`, iconSize: [18, 18], iconAnchor: [9, 9] });
}

const CAMERA_SVG =
  '<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true"><path fill="currentColor" d="M4 7h11a2 2 0 0 1 2 2v1.5l4-2.5v8l-4-2.5V15a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V9a2 2 0 0 1 2-2z"/></svg>';
export function cameraIcon(kind: string): L.DivIcon {
  return L.divIcon({ className: `fq-camera fq-camera-${kind}`, html: CAMERA_SVG, iconSize: [20, 20], iconAnchor: [10, 10] });
}

export function ringLabelIcon(text: string): L.DivIcon {
  return L.divIcon({ className: 'fq-ring-label', html: `<span>${esc(text)}</span>`, iconSize: undefined, iconAnchor: [0, 8] });
}

export const RING_COLORS = ['#389e0d', '#d48806', '#cf1322', '#722ed1', '#595959'];

/** CSS classes on the map's container by zoom, so labels can appear as the user zooms in. */
export function zoomClasses(el: HTMLElement, zoom: number) {
  for (const z of [11, 12, 13, 14, 15]) el.classList.toggle(`fq-z-ge${z}`, zoom >= z);
}

export { esc as escapeHtml };
