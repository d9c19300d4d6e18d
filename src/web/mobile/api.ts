// A tiny fetch client for the field app (docs/api-field.md) and the shapes it reads. Kept apart from the
// console's client so that the app's bundle carries none of the console's code.
import type { FormSchema } from '../../shared/forms';
import { S } from './strings';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code?: string;
  readonly errors: FieldError[];

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
  }

  /** The request never got an answer (offline, timeout, server unreachable). */
  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

let onUnauthorized: (() => void) | null = null;
/** What happens when a call answers 401 (the app sends the worker to sign in). */
export function setUnauthorizedHandler(h: (() => void) | null): void {
  onUnauthorized = h;
}

interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  quiet401?: boolean;
  timeoutMs?: number;
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
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 30_000);
  opts.signal?.addEventListener('abort', () => ctrl.abort());
  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin', signal: ctrl.signal });
  } catch (cause) {
    if (opts.signal?.aborted) throw cause;
    throw new ApiError(0, {});
  } finally {
    clearTimeout(timer);
  }
  const type = res.headers.get('Content-Type') ?? '';
  const json = /[/+]json\b/i.test(type);
  if (!res.ok) {
    let problem: Record<string, unknown> = {};
    if (json) problem = ((await res.json().catch(() => ({}))) ?? {}) as Record<string, unknown>;
    const err = new ApiError(!json && res.status >= 502 && res.status <= 504 ? 0 : res.status, problem);
    if (res.status === 401 && !opts.quiet401) onUnauthorized?.();
    throw err;
  }
  if (res.status === 204 || !json) return undefined as T;
  return (await res.json()) as T;
}

export const get = <T>(path: string, query?: CallOptions['query'], opts: Omit<CallOptions, 'query'> = {}) => call<T>('GET', path, { ...opts, query });
export const post = <T>(path: string, body?: unknown, opts: Omit<CallOptions, 'body'> = {}) => call<T>('POST', path, { ...opts, body: body ?? {} });

// ---- shapes of docs/api-field.md -------------------------------------------------------------------------

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Me {
  id: string;
  kind: 'staff' | 'resident';
  username: string | null;
  displayName: string;
  orgUnit: { id: string; name: string; kind: string; code: string } | null;
  roles: Array<{ code: string; name: string }>;
  permissions: string[];
  totpEnabled: boolean;
  mustChangePassword: boolean;
}

export interface Category {
  code: string;
  name: string;
  sort: number;
  status: string;
  typeCount?: number;
}

export interface ItemType {
  id: string;
  code: string;
  categoryCode: string;
  categoryName: string;
  name: string;
  description: string | null;
  formSchema: FormSchema;
  needsAddress: boolean;
  needsPhoto: boolean;
  needsLocation: boolean;
  sort: number;
  status: string;
  version: number;
}

export interface Housing {
  version: string;
  use: string | null;
  propertyType: string | null;
  ownerName: string | null;
  ownerPhoneMasked: string | null;
  groupRental: boolean | null;
  rooms: number | null;
  areaM2: number | null;
  leaseFrom: string | null;
  leaseTo: string | null;
  rentalRegistration: string | null;
  starRating?: number | null;
}

export interface Resident {
  residenceId: string;
  personId: string;
  version: string;
  name: string;
  sex: string | null;
  age: number | null;
  idMasked: string | null;
  personType: string;
  relation: string;
  fromDate: string | null;
  phoneMasked: string | null;
  expectedStayUntil: string | null;
}

export interface UnitRef {
  id: string;
  version: string;
  name: string;
  unitType: string | null;
  keyIndustry: string | null;
  creditCode: string | null;
  contactName: string | null;
  contactPhoneMasked: string | null;
  status: string;
}

export interface PackAddress {
  id: string;
  code: string;
  fullText: string;
  level: string;
  parentId: string | null;
  gridId: string | null;
  lng: number | null;
  lat: number | null;
  plateTokens: string[];
}

export interface PackRecord {
  housing: Housing | null;
  residents: Resident[];
  units: UnitRef[];
  checkedAt: string | null;
}

export interface Pack {
  generatedAt: string;
  grids: Array<{ id: string; code: string; name: string }>;
  categories: Category[];
  itemTypes: ItemType[];
  addresses: PackAddress[];
  records: Record<string, PackRecord>;
}

export interface AddressRecord {
  address: { id: string; code: string; fullText: string; level: string; gridId: string | null; gridName: string | null; lng: number | null; lat: number | null; status: string };
  checks: { lastCheckedAt: string; lastCheckedByName: string | null; count: number } | null;
  housing: Housing | null;
  residents: Resident[];
  units: UnitRef[];
  children: Array<{ id: string; name: string; level: string; fullText: string }>;
  openTasks: Array<{ id: string; title: string; dueDate: string; itemTypeCode: string }>;
  pendingChanges: number;
}

/** A task as the worker's list gives it (fields beyond the record's open tasks are read when present). */
export interface Task {
  id: string;
  title: string;
  dueDate: string;
  itemTypeCode: string;
  period?: string;
  status?: string;
  addressId?: string | null;
  addressText?: string | null;
  address?: { id: string; fullText: string } | null;
  workerId?: string | null;
  workerName?: string | null;
  templateName?: string | null;
  targetKind?: string;
  doneAt?: string | null;
}

export interface DispatchState {
  id?: string;
  ownerName?: string | null;
  departmentName?: string | null;
  targetName?: string | null;
  targetKind?: string;
  status: string;
  result?: string | null;
  feedback?: string | null;
  closedAt?: string | null;
  acceptedAt?: string | null;
  rejectReason?: string | null;
}

export interface MyItem {
  id: string;
  clientId?: string;
  typeCode: string;
  typeName?: string;
  categoryName?: string;
  summary?: string | null;
  status: string;
  addressId?: string | null;
  addressText?: string | null;
  address?: { id: string; fullText: string } | null;
  occurredAt: string;
  receivedAt?: string;
  note?: string | null;
  returnReason?: string | null;
  dispatches?: DispatchState[];
  data?: Record<string, unknown>;
}

export interface MyChange {
  id: string;
  clientId?: string;
  kind: string;
  kindName?: string;
  status: string;
  summary?: string;
  addressText?: string | null;
  address?: { id: string; fullText: string } | null;
  occurredAt: string;
  receivedAt?: string;
  reviewNote?: string | null;
  conflict?: { fields: Array<{ field: string; label: string; base: unknown; mine: unknown; current: unknown }>; detectedAt: string } | null;
}

export type WorkerFigures = Record<string, unknown> & {
  month?: string;
  tasksDue?: number;
  tasksOnTime?: number;
  onTimeRate?: number | null;
  itemsCollected?: number;
  recordsVerified?: number;
  timelyRate?: number | null;
  returned?: number;
  score?: number;
};

export const fetchMe = () => get<Me>('/auth/me', undefined, { quiet401: true });
