// A tiny fetch client for the resident portal (docs/api-portal.md). It stays apart from the console's client
// so that the portal's bundle carries none of the console's code.
import { S } from './strings';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code?: string;
  readonly errors: FieldError[];
  /** Members of the problem beyond RFC 9457's (e.g. `retryAfterSeconds`). */
  readonly extensions: Record<string, unknown>;

  constructor(status: number, problem: Record<string, unknown>) {
    const detail = typeof problem.detail === 'string' && problem.detail ? problem.detail : undefined;
    const title = typeof problem.title === 'string' && problem.title ? problem.title : undefined;
    super(detail ?? title ?? (status === 0 ? S.networkError : S.serverError));
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : undefined;
    this.errors = Array.isArray(problem.errors)
      ? (problem.errors as Array<Record<string, unknown>>).map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
      : [];
    const { type: _t, title: _ti, status: _s, detail: _d, code: _c, errors: _e, instance: _i, ...rest } = problem;
    this.extensions = rest;
  }

  /** The request never got an answer (offline, timeout, server unreachable). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type Handler = (err: ApiError) => void;
let onUnauthorized: Handler | null = null;
/** What happens when a call answers 401 (the app sends the resident to sign in). */
export function setUnauthorizedHandler(h: Handler | null): void {
  onUnauthorized = h;
}

interface CallOptions {
  body?: unknown;
  /** A raw body (an image) with its content type instead of JSON. */
  raw?: Blob;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** Do not send the resident to sign in on 401 (the session probe, sign-in itself, public pages). */
  quiet401?: boolean;
}

export async function call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  let url = `/api/v1${path}`;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const qs = q.toString();
    if (qs) url += `?${qs}`;
  }
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': 'zh-CN' };
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.type || 'application/octet-stream';
    body = opts.raw;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: opts.signal });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, {});
  }
  const type = res.headers.get('Content-Type') ?? '';
  const json = /[/+]json\b/i.test(type);
  if (!res.ok) {
    let problem: Record<string, unknown> = {};
    if (json) problem = ((await res.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    // a proxy's error page without a problem body: the server is unreachable
    const err = new ApiError(!json && res.status >= 502 && res.status <= 504 ? 0 : res.status, problem);
    if (res.status === 401 && !opts.quiet401) onUnauthorized?.(err);
    throw err;
  }
  if (res.status === 204 || !json) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: CallOptions['query'], opts: Omit<CallOptions, 'query'> = {}) =>
  call<T>('GET', path, { ...opts, query });
export const post = <T>(path: string, body?: unknown, opts: Omit<CallOptions, 'body'> = {}) =>
  call<T>('POST', path, { ...opts, body: body ?? {} });
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, { body });

// ---- shapes of docs/api-portal.md ------------------------------------------------------------------------

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Me {
  id: string;
  kind: 'staff' | 'resident';
  displayName: string;
  phone?: string;
}

export interface StaffCard {
  id: string;
  name: string;
  policeNo: string | null;
  phone: string | null;
  photoUrl: string | null;
}

export interface Office {
  id: string;
  kind: 'station' | 'office' | 'post';
  kindName: string;
  name: string;
  address: string | null;
  phone: string | null;
  lng: number | null;
  lat: number | null;
  hours: Array<{ day: number; open: string; close: string }>;
  hoursText: string[];
  hoursNote: string | null;
  openNow: boolean;
}

export interface NearbyOffice extends Office {
  distanceM: number | null;
}

export interface PlateContext {
  token: string;
  state: 'active' | 'revoked';
  replaced: boolean;
  address: { name: string; fullText: string; code: string; kindName: string };
  officers: StaffCard[];
  gridWorkers: StaffCard[];
  office: Office | null;
  station: Office | null;
  emergency: string;
}

export interface ArticleSummary {
  id: string;
  title: string;
  summary: string | null;
  publishedAt: string;
  orgUnitName: string;
}

export interface Article extends ArticleSummary {
  body: string;
}

export interface Service {
  id: string;
  officeId: string;
  officeName: string;
  category: string;
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

export interface Slot {
  start: string;
  end: string;
  capacity: number;
  booked: number;
  available: number;
}

export interface SlotDay {
  date: string;
  weekday: number;
  slots: Slot[];
}

export type SubmissionKind = 'residence' | 'rental' | 'help' | 'mediation' | 'ebike';
export type SubmissionStatus = 'submitted' | 'reviewing' | 'returned' | 'approved' | 'done' | 'withdrawn';

export interface SubmissionSummary {
  id: string;
  trackingNo: string;
  kind: SubmissionKind;
  kindName: string;
  status: SubmissionStatus;
  statusName: string;
  summary: string;
  address: string;
  submittedAt: string;
  updatedAt: string;
}

export interface Submission extends SubmissionSummary {
  data: Record<string, unknown>;
  returnReason: string | null;
  reply: string | null;
  timeline: Array<{ at: string; status: SubmissionStatus; statusName: string; note: string | null; by: string | null }>;
  attachments: Array<{ id: string; contentType: string; url: string }>;
  replayed?: boolean;
}

export interface Appointment {
  id: string;
  trackingNo: string;
  serviceId: string;
  serviceName: string;
  officeName: string;
  officeAddress: string | null;
  slotStart: string;
  slotEnd: string;
  name: string;
  phone: string;
  note: string | null;
  status: 'booked' | 'cancelled' | 'done' | 'no_show';
  statusName: string;
  requiredDocs: string[];
  createdAt: string;
  replayed?: boolean;
}

export interface Attachment {
  id: string;
  contentType: string;
  bytes: number;
}

// ---- calls -----------------------------------------------------------------------------------------------

const plateCache = new Map<string, Promise<PlateContext>>();
/** The plate context, fetched once per token and shared by every page of the plate. */
export function fetchPlate(token: string): Promise<PlateContext> {
  let p = plateCache.get(token);
  if (!p) {
    p = get<PlateContext>(`/portal/plates/${encodeURIComponent(token)}`, undefined, { quiet401: true });
    p.catch(() => plateCache.delete(token));
    plateCache.set(token, p);
  }
  return p;
}

export const fetchMe = () => get<Me>('/auth/me', undefined, { quiet401: true });

export const uploadAttachment = (image: Blob) => call<Attachment>('POST', '/portal/attachments', { raw: image });

export const submitSubmission = (body: { kind: SubmissionKind; plateToken: string; clientId: string; data: unknown }) =>
  post<Submission>('/portal/submissions', body);

export const updateSubmission = (id: string, data: unknown) => put<Submission>(`/portal/submissions/${encodeURIComponent(id)}`, { data });
