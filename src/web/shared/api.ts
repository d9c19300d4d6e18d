// Thin fetch wrapper for the /api/v1 HTTP API.
// - cookie authentication (credentials: 'same-origin'), JSON bodies, Accept-Language from the UI language;
// - RFC 9457 problem+json answers become an ApiError with title/status/code/errors;
// - a 401 calls the registered unauthorized handler (the app sends the user to sign in).
import { getLang, translate } from './i18n/core';

export const API_BASE = '/api/v1';

export interface FieldError {
  field: string;
  message: string;
}

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: FieldError[];
  correlationId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly code?: string;
  readonly detail?: string;
  readonly type?: string;
  readonly errors: FieldError[];
  readonly correlationId?: string;
  /** Members of the problem beyond RFC 9457's (e.g. `existingPersonId` of a duplicate). */
  readonly extensions: Record<string, unknown>;

  constructor(status: number, problem: ProblemBody) {
    const title = problem.title || translate('api.error.http', { status });
    super(problem.detail ? `${title}: ${problem.detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.code = problem.code;
    this.detail = problem.detail;
    this.type = problem.type;
    this.errors = Array.isArray(problem.errors)
      ? problem.errors.map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
      : [];
    this.correlationId = problem.correlationId;
    const { type: _t, title: _ti, status: _s, detail: _d, code: _c, errors: _e, correlationId: _ci, instance: _i, ...rest } = problem as ProblemBody & { instance?: string };
    this.extensions = rest;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

export type QueryValue = string | number | boolean | null | undefined;
export type Query = Record<string, QueryValue | QueryValue[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not call the unauthorized handler on 401 (sign-in itself, the initial session probe). */
  skipAuthRedirect?: boolean;
}

type UnauthorizedHandler = (err: ApiError) => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Register what happens when any call answers 401. Returns an unregister function. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = null;
  };
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api/') ? path : `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, raw] of Object.entries(query)) {
    const values = Array.isArray(raw) ? raw : [raw];
    for (const value of values) {
      if (value === undefined || value === null || value === '') continue;
      params.append(key, String(value));
    }
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function isJson(contentType: string | null): boolean {
  return !!contentType && /[/+]json\b/i.test(contentType);
}

async function send(method: string, path: string, opts: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { Accept: accept, 'Accept-Language': getLang() };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, opts.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { title: translate('api.error.network') });
  }
  if (!res.ok) {
    let problem: ProblemBody = {};
    if (isJson(res.headers.get('Content-Type'))) {
      try {
        problem = (await res.json()) as ProblemBody;
      } catch {
        problem = {};
      }
    }
    const err = new ApiError(res.status, problem);
    if (res.status === 401 && !opts.skipAuthRedirect && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return res;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, opts, 'application/json');
  if (res.status === 204 || res.headers.get('Content-Length') === '0') return undefined as T;
  if (isJson(res.headers.get('Content-Type'))) return (await res.json()) as T;
  return (await res.text()) as unknown as T;
}

function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall back to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain ? plain[1].trim() : fallback;
}

/** GET a file and hand it to the browser as a download. Errors arrive as ApiError like any call. */
export async function download(path: string, query: Query | undefined, fallbackName: string): Promise<string> {
  const res = await send('GET', path, { query }, '*/*');
  const blob = await res.blob();
  const name = filenameFrom(res.headers.get('Content-Disposition'), fallbackName);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}

export const api = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query'> = {}) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('PATCH', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts: Omit<RequestOptions, 'body'> = {}) =>
    request<T>('PUT', path, { ...opts, body }),
  delete: <T = void>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
  download,
};
