// 扫码服务 for staff: the review queue of residents' submissions, figures, appointments, offices and their
// services, and safety tips (docs/api-portal.md).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { API_BASE, ApiError, api, type ProblemBody } from '../../shared/api';
import { getLang, translate } from '../../shared/i18n/core';
import type { Page } from '../../shared/types';

// ---- vocabularies -------------------------------------------------------------------------------------------

export const SUBMISSION_KINDS = ['residence', 'rental', 'help', 'mediation', 'ebike'] as const;
export type SubmissionKind = (typeof SUBMISSION_KINDS)[number];

export type SubmissionStatus = 'submitted' | 'reviewing' | 'returned' | 'approved' | 'done' | 'withdrawn';
/** The queue's status filter: `pending` = submitted + reviewing. */
export const REVIEW_FILTERS = ['pending', 'returned', 'done', 'withdrawn', 'all'] as const;
export type ReviewFilter = (typeof REVIEW_FILTERS)[number];

/** Kinds whose approval writes the registry (the others are answered with a reply). */
export const REGISTRY_KINDS: readonly string[] = ['residence', 'rental', 'ebike'];
export const REPLY_KINDS: readonly string[] = ['help', 'mediation'];

/** A submission that still waits for the police. */
export const isPending = (status: string) => status === 'submitted' || status === 'reviewing';

/** Pending longer than this is overdue (shown in red). */
export const OVERDUE_HOURS = 72;

export const OFFICE_KINDS = ['station', 'office', 'post'] as const;
export type OfficeKind = (typeof OFFICE_KINDS)[number];

export const SERVICE_CATEGORIES = ['huzheng', 'zhian', 'churujing', 'zhengming', 'jiaotong', 'other'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export const ARTICLE_STATUSES = ['draft', 'published', 'withdrawn'] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];

export type AppointmentStatus = 'booked' | 'cancelled' | 'done' | 'no_show';

// ---- shapes ---------------------------------------------------------------------------------------------------

export interface SubmissionSummary {
  id: string;
  trackingNo: string;
  kind: SubmissionKind | string;
  kindName: string;
  status: SubmissionStatus | string;
  statusName: string;
  summary: string;
  address: string;
  submittedAt: string;
  updatedAt: string;
}

export interface ReviewSummary extends SubmissionSummary {
  gridName: string;
  ageHours: number;
  assignedTo: string | null;
  residentPhone: string;
}

export interface TimelineEvent {
  at: string;
  status: string;
  statusName: string;
  note: string | null;
  by: string | null;
}

export interface Attachment {
  id: string;
  contentType: string;
  url: string;
}

export interface RegistryResident {
  personId: string;
  name: string;
  maskedId: string | null;
  relation: string;
  relationName: string;
  fromDate: string;
  personType: string;
}

/** A registry person holding a submitted identity number; one outside the jurisdiction is named only by its key. */
export interface RegistryMatch {
  key: string;
  inScope: boolean;
  personId?: string;
  name?: string;
  maskedId?: string | null;
  currentAddress?: string | null;
  sameAddress?: boolean;
}

export interface RegistryHousing {
  use: string;
  useName: string;
  leaseFrom: string | null;
  leaseTo: string | null;
  rentalRegistration: string | null;
}

export interface ReviewRegistry {
  addressId: string;
  addressLevel: string;
  currentResidents: RegistryResident[];
  housing: RegistryHousing | null;
  matches: RegistryMatch[];
  conflicts: Array<{ key: string; message: string }>;
}

export interface ReviewDetail extends ReviewSummary {
  data: Record<string, unknown>;
  returnReason: string | null;
  reply: string | null;
  timeline: TimelineEvent[];
  attachments: Attachment[];
  registry: ReviewRegistry | null;
  /** What the approval wrote (persons, registration number), where the server sends it. */
  result?: unknown;
}

export interface StatsRow {
  orgUnitId: string;
  orgUnitName: string;
  floating: number;
  floatingSelfDeclared: number;
  selfDeclarationRate: number | null;
  rentals: number;
  rentalsRegistered: number;
  rentalRegistrationRate: number | null;
  pending: number;
  oldestPendingHours: number | null;
  pendingOver72h: number;
  submitted30d: number;
}

export interface ReviewStats {
  orgUnit: { id: string; name: string };
  rows: StatsRow[];
  total: Omit<StatsRow, 'orgUnitId' | 'orgUnitName'> & Partial<Pick<StatsRow, 'orgUnitId' | 'orgUnitName'>>;
}

export interface HoursPeriod {
  day: number;
  open: string;
  close: string;
}

export interface Office {
  id: string;
  kind: OfficeKind | string;
  kindName: string;
  name: string;
  address: string | null;
  phone: string | null;
  lng: number | null;
  lat: number | null;
  hours: HoursPeriod[];
  hoursText: string[];
  hoursNote: string | null;
  openNow: boolean;
  orgUnitId?: string;
  orgUnitName?: string;
  orgUnit?: { id: string; name: string } | null;
  status?: 'active' | 'inactive';
}

export interface OfficeBody {
  orgUnitId?: string;
  kind?: OfficeKind;
  name?: string;
  address?: string | null;
  lng?: number | null;
  lat?: number | null;
  phone?: string | null;
  hours?: HoursPeriod[];
  hoursNote?: string | null;
  status?: 'active' | 'inactive';
}

export interface Service {
  id: string;
  officeId: string;
  officeName: string;
  category: ServiceCategory | string;
  categoryName: string;
  name: string;
  description: string | null;
  requiredDocs: string[];
  fullyOnline: boolean;
  slotMinutes: number;
  capacity: number;
  daysAhead: number;
  status: 'active' | 'inactive';
}

export interface ServiceBody {
  officeId?: string;
  category?: ServiceCategory;
  name?: string;
  description?: string | null;
  requiredDocs?: string[];
  fullyOnline?: boolean;
  slotMinutes?: number;
  capacity?: number;
  daysAhead?: number;
  status?: 'active' | 'inactive';
}

export interface StaffAppointment {
  id: string;
  trackingNo: string;
  serviceId: string;
  serviceName: string;
  officeName?: string;
  slotStart: string;
  slotEnd: string;
  name: string;
  phone: string | null;
  note: string | null;
  status: AppointmentStatus | string;
  statusName: string;
  createdAt?: string;
}

export interface AppointmentSlot {
  start: string;
  end: string;
  items: StaffAppointment[];
}

export interface SafetyArticle {
  id: string;
  title: string;
  summary: string | null;
  body: string;
  status: ArticleStatus | string;
  statusName?: string;
  publishedAt: string | null;
  orgUnitId?: string;
  orgUnitName?: string;
  createdAt?: string;
  updatedAt?: string;
}

export interface ArticleBody {
  orgUnitId?: string;
  title?: string;
  summary?: string | null;
  body?: string;
}

// ---- keys ----------------------------------------------------------------------------------------------------

export const portalKeys = {
  all: ['portal'] as const,
  reviews: ['portal', 'reviews'] as const,
  reviewList: (params: unknown) => ['portal', 'reviews', 'list', params] as const,
  review: (id: string) => ['portal', 'reviews', 'detail', id] as const,
  stats: (orgUnitId: string | undefined) => ['portal', 'stats', orgUnitId ?? ''] as const,
  offices: ['portal', 'offices'] as const,
  officeList: (orgUnitId: string | undefined) => ['portal', 'offices', orgUnitId ?? ''] as const,
  services: ['portal', 'services'] as const,
  serviceList: (officeId: string) => ['portal', 'services', officeId] as const,
  appointments: ['portal', 'appointments'] as const,
  appointmentDay: (officeId: string, date: string) => ['portal', 'appointments', officeId, date] as const,
  articles: ['portal', 'articles'] as const,
  articleList: (params: unknown) => ['portal', 'articles', params] as const,
  staffPhoto: (userId: string) => ['portal', 'staffPhoto', userId] as const,
};

// ---- review queue -----------------------------------------------------------------------------------------------

export interface ReviewListParams {
  status: ReviewFilter;
  kind?: string;
  q?: string;
  page: number;
  pageSize: number;
}

export function useReviewList(params: ReviewListParams) {
  return useQuery({
    queryKey: portalKeys.reviewList(params),
    queryFn: () => api.get<Page<ReviewSummary>>('/portal-reviews', { ...params }),
    placeholderData: keepPreviousData,
  });
}

/** One submission under review (each read is audited by the server; the console's usual 30 s freshness applies). */
export function useReview(id: string) {
  return useQuery({
    queryKey: portalKeys.review(id),
    queryFn: () => api.get<ReviewDetail>(`/portal-reviews/${encodeURIComponent(id)}`),
  });
}

/** The full identity numbers of a submission by person key (`self`, `owner`, `tenants.0`, `parties.1` …). */
export async function fetchFullIds(id: string, purpose: string): Promise<Map<string, string>> {
  return new Map(Object.entries(await api.get<Record<string, string>>(`/portal-reviews/${encodeURIComponent(id)}/ids`, { purpose })));
}

/** What an approval created or linked: persons per key, the address, a registration number. */
export interface ApprovalOutcome {
  persons: Array<{ key: string; personId: string; name: string | null; created: boolean | null }>;
  addressId: string | null;
  registrationNo: string | null;
}

/** What an approval wrote, as the server records it in `result`. */
export interface ApprovalResult {
  persons?: Array<{ key: string; personId: string; created: boolean }>;
  registrationNo?: string;
}

/** Reads an approval's outcome from the approve answer (the updated detail) or a finished detail's `result`. */
export function readOutcome(detail: { result?: unknown } | null | undefined, addressId?: string | null): ApprovalOutcome | null {
  const res = detail?.result as ApprovalResult | null | undefined;
  if (!res) return null;
  return {
    persons: (res.persons ?? []).map((p) => ({ key: p.key, personId: p.personId, name: null, created: p.created })),
    addressId: addressId ?? null,
    registrationNo: res.registrationNo ?? null,
  };
}

/** The review actions; each refreshes the queue and the submission. */
export function useReviewActions(id: string) {
  const qc = useQueryClient();
  const path = `/portal-reviews/${encodeURIComponent(id)}`;
  const settle = (answer: unknown) => {
    // the answer is the updated submission when the server sends one; either way the queue changed
    if (answer && typeof answer === 'object' && (answer as { id?: unknown }).id === id && 'timeline' in (answer as object)) {
      qc.setQueryData(portalKeys.review(id), (old: ReviewDetail | undefined) => ({ ...(old ?? {}), ...(answer as ReviewDetail) }));
    } else {
      void qc.invalidateQueries({ queryKey: portalKeys.review(id) });
    }
    void qc.invalidateQueries({ queryKey: ['portal', 'reviews', 'list'] });
    void qc.invalidateQueries({ queryKey: ['portal', 'stats'] });
  };
  return {
    claim: useMutation({ mutationFn: () => api.post<unknown>(`${path}/claim`), onSuccess: settle }),
    approve: useMutation({
      mutationFn: (body: { merge?: Record<string, string>; note?: string }) => api.post<unknown>(`${path}/approve`, body),
      onSuccess: (answer) => {
        settle(answer);
        // the registry changed: persons and addresses shown elsewhere are stale
        void qc.invalidateQueries({ queryKey: ['registry'] });
      },
    }),
    giveBack: useMutation({ mutationFn: (reason: string) => api.post<unknown>(`${path}/return`, { reason }), onSuccess: settle }),
    complete: useMutation({ mutationFn: (reply: string) => api.post<unknown>(`${path}/complete`, { reply }), onSuccess: settle }),
  };
}

export function useReviewStats(orgUnitId: string | undefined) {
  return useQuery({
    queryKey: portalKeys.stats(orgUnitId),
    queryFn: () => api.get<ReviewStats>('/portal-reviews/stats', { orgUnitId }),
    placeholderData: keepPreviousData,
  });
}

// ---- offices and services ---------------------------------------------------------------------------------------

export function useOffices(orgUnitId?: string) {
  return useQuery({
    queryKey: portalKeys.officeList(orgUnitId),
    queryFn: () => api.get<Office[]>('/police-offices', { orgUnitId }),
  });
}

export function useSaveOffice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: OfficeBody }) =>
      id ? api.patch<Office>(`/police-offices/${encodeURIComponent(id)}`, body) : api.post<Office>('/police-offices', body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: portalKeys.offices });
      void qc.invalidateQueries({ queryKey: portalKeys.services });
    },
  });
}

export function useServices(officeId: string | undefined) {
  return useQuery({
    queryKey: portalKeys.serviceList(officeId ?? ''),
    queryFn: () => api.get<Service[]>('/appointment-services', { officeId }),
    enabled: !!officeId,
  });
}

export function useSaveService() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ServiceBody }) =>
      id ? api.patch<Service>(`/appointment-services/${encodeURIComponent(id)}`, body) : api.post<Service>('/appointment-services', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: portalKeys.services }),
  });
}

// ---- appointments ----------------------------------------------------------------------------------------------

function asAppointment(raw: Record<string, unknown>): StaffAppointment | null {
  if (typeof raw.id !== 'string' || typeof raw.slotStart !== 'string') return null;
  return raw as unknown as StaffAppointment;
}

/**
 * The day's bookings grouped by slot, whatever the server's grouping: a flat list of appointments, or
 * slots (`{start|slotStart, end|slotEnd, items|appointments}`), bare or in `{ slots }` / `{ items }`.
 */
export function groupBySlot(answer: unknown): AppointmentSlot[] {
  const flat: StaffAppointment[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const obj = node as Record<string, unknown>;
    const inner = obj.items ?? obj.appointments ?? obj.slots;
    if (Array.isArray(inner)) {
      inner.forEach(visit);
      return;
    }
    const a = asAppointment(obj);
    if (a) flat.push(a);
  };
  visit(answer);
  const bySlot = new Map<string, AppointmentSlot>();
  for (const a of flat) {
    const key = `${a.slotStart}|${a.slotEnd}`;
    const slot = bySlot.get(key) ?? { start: a.slotStart, end: a.slotEnd, items: [] };
    slot.items.push(a);
    bySlot.set(key, slot);
  }
  return [...bySlot.values()].sort((x, y) => Date.parse(x.start) - Date.parse(y.start));
}

export function useAppointmentDay(officeId: string | undefined, date: string) {
  return useQuery({
    queryKey: portalKeys.appointmentDay(officeId ?? '', date),
    queryFn: async () => groupBySlot(await api.get<unknown>('/appointments', { officeId, date })),
    enabled: !!officeId,
    placeholderData: keepPreviousData,
  });
}

export function useAppointmentAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'done' | 'no-show' }) => api.post<unknown>(`/appointments/${encodeURIComponent(id)}/${action}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: portalKeys.appointments }),
  });
}

// ---- safety articles -------------------------------------------------------------------------------------------

export function useArticles(params: { status?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: portalKeys.articleList(params),
    queryFn: () => api.get<Page<SafetyArticle>>('/safety-articles', { ...params }),
    placeholderData: keepPreviousData,
  });
}

export function useSaveArticle() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ArticleBody }) =>
      id ? api.patch<SafetyArticle>(`/safety-articles/${encodeURIComponent(id)}`, body) : api.post<SafetyArticle>('/safety-articles', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: portalKeys.articles }),
  });
}

export function useArticleAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'publish' | 'withdraw' }) =>
      api.post<SafetyArticle>(`/safety-articles/${encodeURIComponent(id)}/${action}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: portalKeys.articles }),
  });
}

/** Paragraphs of an article body: separated by blank lines. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
}

// ---- staff photo -------------------------------------------------------------------------------------------------

export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const PHOTO_MAX_BYTES = 2 * 1024 * 1024;

export function staffPhotoUrl(userId: string, version?: number): string {
  return `${API_BASE}/portal/staff/${encodeURIComponent(userId)}/photo${version ? `?v=${version}` : ''}`;
}

/** PUT /users/{id}/photo with the image itself as the body. */
export async function uploadStaffPhoto(userId: string, file: Blob): Promise<void> {
  let res: Response;
  try {
    res = await fetch(`${API_BASE}/users/${encodeURIComponent(userId)}/photo`, {
      method: 'PUT',
      headers: { 'Content-Type': file.type, Accept: 'application/json', 'Accept-Language': getLang() },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, { title: translate('api.error.network') });
  }
  if (!res.ok) {
    let problem: ProblemBody = {};
    if (/[/+]json\b/i.test(res.headers.get('Content-Type') ?? '')) {
      try {
        problem = (await res.json()) as ProblemBody;
      } catch {
        problem = {};
      }
    }
    throw new ApiError(res.status, problem);
  }
}

// ---- formatting --------------------------------------------------------------------------------------------------

/** A share as a percentage with one decimal: from the counts when there are any, else from the server's rate (0..1). */
export function percent(part: number, whole: number, rate?: number | null): number | null {
  if (whole > 0) return Math.round((part / whole) * 1000) / 10;
  if (rate == null || Number.isNaN(rate)) return null;
  return Math.round(rate * 1000) / 10;
}
