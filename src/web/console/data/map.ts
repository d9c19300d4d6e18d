// 警务一张图: the map's layers, cameras (mapped assets only), patrol routes and the base-map setting
// (docs/api-command.md "The one map", "Settings").
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';

// ---- vocabularies ---------------------------------------------------------------------------------------------

export const INCIDENT_STATUSES = ['received', 'handling', 'diverted', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
/** The status filter of the map: `open` = received + handling. */
export const STATUS_FILTERS = ['all', 'open', 'received', 'handling', 'diverted', 'closed'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const statusQuery = (f: StatusFilter): string | undefined => (f === 'all' ? undefined : f === 'open' ? 'received,handling' : f);

export const PERIODS = [7, 30, 90, 365] as const;
export type PeriodDays = (typeof PERIODS)[number];

export const CAMERA_KINDS = ['public', 'social'] as const;
export type CameraKind = (typeof CAMERA_KINDS)[number];
export const ROUTE_MODES = ['patrol', 'volunteer'] as const;
export type RouteMode = (typeof ROUTE_MODES)[number];
export type AssetStatus = 'active' | 'inactive';

export const LAYERS = ['boundaries', 'addresses', 'incidents', 'heat', 'offices', 'routes', 'keyUnits', 'cameras'] as const;
export type LayerKey = (typeof LAYERS)[number];

/** Addresses are drawn from this zoom on (a street's worth of points). */
export const ADDRESS_MIN_ZOOM = 15;

// ---- shapes ---------------------------------------------------------------------------------------------------

export interface BoundaryFeature {
  type: 'Feature';
  id: string;
  geometry: GeoJSON.Geometry | null;
  properties: { id: string; parentId: string | null; kind: 'city_bureau' | 'branch' | 'station' | 'community' | 'grid'; code: string; name: string };
}
export interface Boundaries {
  type: 'FeatureCollection';
  features: BoundaryFeature[];
}

export interface CategoryNode {
  id: string;
  code: string;
  name: string;
  children: CategoryNode[];
}

/** The incident layer as column arrays: `cat` indexes `categories`, `status` indexes `statuses`, `t` epoch seconds. */
export interface IncidentLayer {
  from: string;
  to: string;
  categories: CategoryNode[];
  statuses: IncidentStatus[];
  count: number;
  truncated: boolean;
  ids: string[];
  lat: number[];
  lng: number[];
  cat: number[];
  status: number[];
  t: number[];
}

export interface MapAddress {
  id: string;
  code: string;
  label: string;
  lat: number;
  lng: number;
}

export interface MapOffice {
  id: string;
  kind: 'station' | 'office' | 'post';
  name: string;
  address: string | null;
  phone: string | null;
  lat: number;
  lng: number;
  orgUnit: { id: string; name: string };
  rings: Array<{ minutes: number; radiusM: number }>;
}

export interface MapKeyUnit {
  id: string;
  name: string;
  keyIndustry: string;
  keyIndustryName: string;
  address: string;
  lat: number;
  lng: number;
}

export interface MapCamera {
  id: string;
  code: string;
  name: string;
  kind: CameraKind;
  lat: number;
  lng: number;
  orgUnitId: string;
}

export interface LineString {
  type: 'LineString';
  coordinates: Array<[number, number]>;
}

export interface MapRoute {
  id: string;
  name: string;
  mode: RouteMode;
  geometry: LineString;
  orgUnitId: string;
  orgUnitName: string;
}

export interface Camera {
  id: string;
  code: string;
  name: string;
  kind: CameraKind;
  lat: number;
  lng: number;
  note: string | null;
  status: AssetStatus;
  orgUnit: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
}

export interface CameraBody {
  orgUnitId?: string;
  code?: string;
  name?: string;
  kind?: CameraKind;
  lat?: number;
  lng?: number;
  note?: string | null;
  status?: AssetStatus;
}

export interface PatrolRoute {
  id: string;
  name: string;
  mode: RouteMode;
  geometry: LineString;
  lengthM: number;
  note: string | null;
  status: AssetStatus;
  orgUnit: { id: string; name: string };
  createdAt: string;
  updatedAt: string;
}

export interface RouteBody {
  orgUnitId?: string;
  name?: string;
  mode?: RouteMode;
  geometry?: LineString;
  note?: string | null;
  status?: AssetStatus;
}

export interface MapSettings {
  tileUrl: string | null;
  tileAttribution: string | null;
  ringSpeedKmh: number;
  ringMinutes: number[];
}
export interface CommandSettings {
  map: MapSettings;
  [section: string]: unknown;
}

/** The fields of GET /api/v1/incidents/:id the map's popover shows (the incidents part owns the full shape). */
export interface IncidentBrief {
  id: string;
  code?: string;
  occurredAt?: string;
  status?: string;
  statusName?: string;
  place?: string | null;
  summary?: string;
  categoryName?: string;
  category?: { id?: string; name?: string; code?: string } | null;
  lat?: number | null;
  lng?: number | null;
}

// ---- queries --------------------------------------------------------------------------------------------------

export const mapKeys = {
  all: ['map'] as const,
  boundaries: ['map', 'boundaries'] as const,
  incidents: (q: unknown) => ['map', 'incidents', q] as const,
  addresses: (bbox: string) => ['map', 'addresses', bbox] as const,
  offices: ['map', 'offices'] as const,
  keyUnits: ['map', 'key-units'] as const,
  cameras: ['map', 'cameras'] as const,
  routes: ['map', 'routes'] as const,
  incident: (id: string) => ['map', 'incident', id] as const,
  cameraList: (q: unknown) => ['map', 'camera-list', q] as const,
  routeList: (q: unknown) => ['map', 'route-list', q] as const,
  settings: ['command-settings'] as const,
};

const LONG = 5 * 60_000;

export function useBoundaries(enabled = true) {
  return useQuery({ queryKey: mapKeys.boundaries, queryFn: () => api.get<Boundaries>('/map/boundaries'), staleTime: LONG, enabled });
}

export interface IncidentLayerQuery {
  from: string;
  to: string;
  categoryId?: string;
  status?: string;
}

export function useIncidentLayer(q: IncidentLayerQuery, enabled = true) {
  return useQuery({
    queryKey: mapKeys.incidents(q),
    queryFn: ({ signal }) => api.get<IncidentLayer>('/map/incidents', { ...q }, { signal }),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled,
  });
}

export function useMapAddresses(bbox: string | null) {
  return useQuery({
    queryKey: mapKeys.addresses(bbox ?? ''),
    queryFn: ({ signal }) => api.get<{ items: MapAddress[]; truncated: boolean }>('/map/addresses', { bbox, limit: 5000 }, { signal }),
    enabled: !!bbox,
    placeholderData: keepPreviousData,
    staleTime: LONG,
  });
}

export function useMapOffices(enabled = true) {
  return useQuery({ queryKey: mapKeys.offices, queryFn: () => api.get<{ ringSpeedKmh: number; items: MapOffice[] }>('/map/offices'), staleTime: LONG, enabled });
}

export function useMapKeyUnits(enabled = true) {
  return useQuery({ queryKey: mapKeys.keyUnits, queryFn: () => api.get<{ items: MapKeyUnit[] }>('/map/key-units'), staleTime: LONG, enabled });
}

export function useMapCameras(enabled = true) {
  return useQuery({ queryKey: mapKeys.cameras, queryFn: () => api.get<{ items: MapCamera[] }>('/map/cameras'), staleTime: LONG, enabled });
}

export function useMapRoutes(enabled = true) {
  return useQuery({ queryKey: mapKeys.routes, queryFn: () => api.get<{ items: MapRoute[] }>('/map/routes'), staleTime: LONG, enabled });
}

export function useIncidentBrief(id: string | null, enabled: boolean) {
  return useQuery({ queryKey: mapKeys.incident(id ?? ''), queryFn: () => api.get<IncidentBrief>(`/incidents/${id}`), enabled: !!id && enabled, retry: false });
}

export function useCommandSettings() {
  return useQuery({ queryKey: mapKeys.settings, queryFn: () => api.get<CommandSettings>('/command-settings'), staleTime: LONG });
}

export function useSaveMapSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (map: MapSettings) => api.put<CommandSettings>('/command-settings', { map }),
    onSuccess: (data) => qc.setQueryData(mapKeys.settings, data),
  });
}

export interface AssetListQuery {
  q?: string;
  orgUnitId?: string;
  kind?: CameraKind;
  mode?: RouteMode;
  status?: AssetStatus;
  page: number;
  pageSize: number;
}

export function useCameraList(q: AssetListQuery, enabled = true) {
  return useQuery({
    queryKey: mapKeys.cameraList(q),
    queryFn: () => api.get<Page<Camera>>('/cameras', { q: q.q, orgUnitId: q.orgUnitId, kind: q.kind, status: q.status, page: q.page, pageSize: q.pageSize }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useRouteList(q: AssetListQuery, enabled = true) {
  return useQuery({
    queryKey: mapKeys.routeList(q),
    queryFn: () => api.get<Page<PatrolRoute>>('/patrol-routes', { q: q.q, orgUnitId: q.orgUnitId, mode: q.mode, status: q.status, page: q.page, pageSize: q.pageSize }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useSaveCamera() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: CameraBody }) => (id ? api.put<Camera>(`/cameras/${id}`, body) : api.post<Camera>('/cameras', body)),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['map', 'camera-list'] });
      void qc.invalidateQueries({ queryKey: mapKeys.cameras });
    },
  });
}

export function useSaveRoute() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: RouteBody }) => (id ? api.put<PatrolRoute>(`/patrol-routes/${id}`, body) : api.post<PatrolRoute>('/patrol-routes', body)),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['map', 'route-list'] });
      void qc.invalidateQueries({ queryKey: mapKeys.routes });
    },
  });
}

// ---- helpers --------------------------------------------------------------------------------------------------

/** Today in Beijing time, YYYY-MM-DD. */
export function beijingToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function addDaysTo(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Colours of the top-level incident categories (by code), with a palette for categories added later. */
const CATEGORY_COLORS: Record<string, string> = {
  xingshi: '#cf1322',
  zhian: '#d46b08',
  jiufen: '#ad8b00',
  qiuzhu: '#08979c',
  jiaotong: '#1d39c4',
  huozai: '#c41d7f',
  qita: '#595959',
};
const PALETTE = ['#722ed1', '#389e0d', '#0958d9', '#fa541c', '#13c2c2', '#eb2f96', '#7cb305'];
export function categoryColor(code: string, index: number): string {
  return CATEGORY_COLORS[code] ?? PALETTE[index % PALETTE.length];
}

export const ROUTE_COLORS: Record<RouteMode, string> = { patrol: '#0958d9', volunteer: '#d4380d' };
