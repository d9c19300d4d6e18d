// 警情 for staff: the list and one incident with its handling, links and diversions; 警情清零; the department's
// diverted matters; the category tree (docs/api-command.md "Incidents").
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../shared/api';
import type { Page } from '../../shared/types';

export const INCIDENT_STATUSES = ['received', 'handling', 'diverted', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_SOURCES = ['110', 'walk_in', 'grid', 'resident', 'other'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
export const OPEN_OVER = ['24h', '72h', '7d'] as const;
export type OpenOver = (typeof OPEN_OVER)[number];

/** Open longer than these many hours: amber, then red. */
export const AGE_WARN_HOURS = 24;
export const AGE_ALERT_HOURS = 72;

export const isOpen = (s: string) => s === 'received' || s === 'handling';

export interface CategoryNode {
  id: string;
  code: string;
  name: string;
  policeMatter: boolean;
  status: 'active' | 'inactive';
  sort: number;
  builtin: boolean;
  parentId: string | null;
  children: CategoryNode[];
}

export interface IncidentSummary {
  id: string;
  code: string;
  source: IncidentSource;
  sourceName: string;
  externalNo: string | null;
  category: { id: string; code: string; name: string; parentName: string | null; policeMatter: boolean };
  occurredAt: string;
  reportedAt: string;
  place: string | null;
  address: { id: string; fullText: string | null } | null;
  lat: number | null;
  lng: number | null;
  orgUnit: { id: string; name: string };
  grid: { id: string; name: string | null } | null;
  summary: string;
  status: IncidentStatus;
  statusName: string;
  ageHours: number | null;
  closedAt: string | null;
  version: number;
}

export interface IncidentLink {
  id: string;
  kind: 'person' | 'address' | 'unit' | 'case';
  kindName: string;
  targetId: string | null;
  ref: string | null;
  label: string;
  idNumber: string | null;
  role: string | null;
  note: string | null;
  createdAt: string;
}

export interface IncidentEvent {
  id: string;
  at: string;
  action: string;
  note: string | null;
  data: Record<string, unknown> | null;
  actor: { id: string; name: string | null } | null;
}

export interface Diversion {
  id: string;
  department: { id: string; name: string };
  reason: string;
  status: 'sent' | 'accepted' | 'done' | 'returned';
  statusName: string;
  feedback: string | null;
  divertedAt: string;
  divertedBy: { id: string; name: string | null } | null;
  answeredAt: string | null;
  answeredBy: { id: string; name: string | null } | null;
}

export interface IncidentDetail extends IncidentSummary {
  callerName: string | null;
  callerPhone: string | null;
  sourceRef: string | null;
  handler: { id: string; name: string | null } | null;
  result: string | null;
  closedBy: { id: string; name: string | null } | null;
  createdBy: { id: string; name: string | null } | null;
  links: IncidentLink[];
  events: IncidentEvent[];
  diversions: Diversion[];
}

export interface IncidentListQuery {
  q?: string;
  status?: IncidentStatus;
  categoryId?: string;
  source?: IncidentSource;
  unitId?: string;
  from?: string;
  to?: string;
  openOver?: OpenOver;
  page: number;
  pageSize: number;
}

export interface NewIncident {
  source: 'walk_in' | '110' | 'other';
  categoryId: string;
  occurredAt: string;
  addressId?: string;
  lat?: number;
  lng?: number;
  place?: string;
  summary: string;
  callerName?: string;
  callerPhone?: string;
  orgUnitId?: string;
}

export interface DiversionTarget {
  id: string;
  name: string;
  category: string;
  hotline: boolean;
  orgUnit: { id: string; name: string };
}

export interface InboxItem {
  id: string;
  incident: { id: string; code: string; categoryName: string; occurredAt: string; place: string | null; summary: string; status: string; unit: { name: string; phone: string | null } };
  reason: string;
  status: Diversion['status'];
  statusName: string;
  feedback: string | null;
  divertedAt: string;
  divertedBy: string | null;
  answeredAt: string | null;
}

export interface DayFigures {
  day: string;
  openAtStart: number;
  new: number;
  closed: number;
  diverted: number;
  openAtEnd: number;
  rate: number | null;
}
type Totals = Omit<DayFigures, 'day'>;

export interface Clearance {
  unit: { id: string; name: string; kind: string; code: string } | null;
  from: string;
  to: string;
  headline: { openNow: number; newToday: number | null; clearedToday: number | null; rate: number | null };
  days: DayFigures[];
  totals: Totals;
  units: Array<{ unit: { id: string; name: string; kind: string; code: string }; days: DayFigures[]; totals: Totals }>;
  ageing: { lt24h: number; d1to3: number; d3to7: number; gt7d: number };
  oldest: IncidentSummary[];
}

const KEY = ['incidents'] as const;

export function useIncidentCategories() {
  return useQuery({ queryKey: [...KEY, 'categories'], queryFn: () => api.get<CategoryNode[]>('/incident-categories'), staleTime: 5 * 60_000 });
}

export function useIncidentList(q: IncidentListQuery) {
  return useQuery({
    queryKey: [...KEY, 'list', q],
    queryFn: () => api.get<Page<IncidentSummary>>('/incidents', { ...q }),
    placeholderData: keepPreviousData,
  });
}

export function useIncident(id: string | undefined) {
  return useQuery({ queryKey: [...KEY, 'detail', id], queryFn: () => api.get<IncidentDetail>(`/incidents/${id}`), enabled: !!id, staleTime: 30_000 });
}

export function useCreateIncident() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewIncident) => api.post<IncidentDetail>('/incidents', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: KEY }),
  });
}

/** The actions on one incident; each answer is the fresh detail. */
export function useIncidentActions(id: string) {
  const qc = useQueryClient();
  const settle = (d: IncidentDetail) => {
    qc.setQueryData([...KEY, 'detail', id], d);
    void qc.invalidateQueries({ queryKey: [...KEY, 'list'] });
    void qc.invalidateQueries({ queryKey: [...KEY, 'clearance'] });
  };
  const path = `/incidents/${id}`;
  return {
    handle: useMutation({ mutationFn: (b: { version: number; note?: string }) => api.post<IncidentDetail>(`${path}/handle`, b), onSuccess: settle }),
    close: useMutation({ mutationFn: (b: { version: number; result: string }) => api.post<IncidentDetail>(`${path}/close`, b), onSuccess: settle }),
    reopen: useMutation({ mutationFn: (b: { version: number; reason: string }) => api.post<IncidentDetail>(`${path}/reopen`, b), onSuccess: settle }),
    note: useMutation({ mutationFn: (note: string) => api.post<IncidentDetail>(`${path}/notes`, { note }), onSuccess: settle }),
    divert: useMutation({ mutationFn: (b: { version: number; departmentId: string; reason: string }) => api.post<IncidentDetail>(`${path}/divert`, b), onSuccess: settle }),
    patch: useMutation({ mutationFn: (b: { version: number; categoryId?: string; summary?: string; place?: string | null; orgUnitId?: string }) => api.patch<IncidentDetail>(path, b), onSuccess: settle }),
    link: useMutation({
      mutationFn: (b: { kind: IncidentLink['kind']; targetId?: string; ref?: string; role?: string; note?: string }) => api.post<IncidentDetail>(`${path}/links`, b),
      onSuccess: settle,
    }),
    unlink: useMutation({ mutationFn: (linkId: string) => api.delete<IncidentDetail>(`${path}/links/${linkId}`), onSuccess: settle }),
  };
}

export function useDiversionTargets(enabled = true) {
  return useQuery({ queryKey: [...KEY, 'divert-targets'], queryFn: () => api.get<DiversionTarget[]>('/incident-diversion-targets'), enabled, staleTime: 5 * 60_000 });
}

export function useClearance(q: { unitId?: string; from?: string; to?: string }) {
  return useQuery({ queryKey: [...KEY, 'clearance', q], queryFn: () => api.get<Clearance>('/incidents/clearance', { ...q }), placeholderData: keepPreviousData });
}

export function useDiversionInbox(q: { status?: string; page: number; pageSize: number }) {
  return useQuery({ queryKey: [...KEY, 'inbox', q], queryFn: () => api.get<Page<InboxItem>>('/incident-diversions', { ...q }), placeholderData: keepPreviousData });
}

export function useAnswerDiversion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...b }: { id: string; status: 'accepted' | 'done' | 'returned'; feedback?: string }) => api.post<InboxItem>(`/incident-diversions/${id}/answer`, b),
    onSuccess: () => void qc.invalidateQueries({ queryKey: [...KEY, 'inbox'] }),
  });
}

export function useSaveCategory() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: { id?: string; parentId?: string; code?: string; name: string; policeMatter: boolean; sort: number; status?: 'active' | 'inactive' }) =>
      b.id
        ? api.put<CategoryNode>(`/incident-categories/${b.id}`, { name: b.name, policeMatter: b.policeMatter, sort: b.sort, status: b.status ?? 'active' })
        : api.post<CategoryNode>('/incident-categories', { ...(b.parentId ? { parentId: b.parentId } : {}), code: b.code, name: b.name, policeMatter: b.policeMatter, sort: b.sort }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: [...KEY, 'categories'] }),
  });
}
