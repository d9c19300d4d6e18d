// The app's state outside React: who is signed in, the offline pack and tasks, the outbox and the sync runner.
// Pages read it with useApp(); everything persists in IndexedDB (data/local.ts), so after one sign-in online the
// app opens, looks things up and collects without a network.
import { useSyncExternalStore } from 'react';
import { ApiError, call, fetchMe, get, isApiError, post, type Me, type Pack, type PackAddress, type Page, type Task } from '../api';
import { SyncEngine, type Op, type OutboxEntry, type PhotoEntry, type RunReport, type SentEntry } from '../sync/engine';
import { fetchTransport } from '../sync/http-transport';
import { clearAll, kvDelete, kvGet, kvSet, local, memoryOnly } from './local';

export const FIELD_PERMISSION = 'field.collect';

export type SessionStatus = 'unknown' | 'signedIn' | 'signedOut';

export interface AppState {
  session: SessionStatus;
  me: Me | null;
  /** The worker last signed in on this phone (kept after a lapse, to warn before another account signs in). */
  lastMe: Me | null;
  online: boolean;
  pack: Pack | null;
  packLoading: boolean;
  packError: string | null;
  tasks: Task[];
  tasksAt: string | null;
  outbox: OutboxEntry[];
  history: SentEntry[];
  syncing: boolean;
  lastReport: RunReport | null;
  lastSyncAt: string | null;
  memoryOnly: boolean;
}

let state: AppState = {
  session: 'unknown',
  me: null,
  lastMe: null,
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  pack: null,
  packLoading: false,
  packError: null,
  tasks: [],
  tasksAt: null,
  outbox: [],
  history: [],
  syncing: false,
  lastReport: null,
  lastSyncAt: null,
  memoryOnly: false,
};

const listeners = new Set<() => void>();

function set(patch: Partial<AppState>) {
  state = { ...state, ...patch };
  for (const l of listeners) l();
}

export const getState = () => state;

export function useApp<T>(select: (s: AppState) => T): T {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => select(state),
  );
}

export const canCollect = (me: Me | null) => !!me && me.kind === 'staff' && me.permissions.includes(FIELD_PERMISSION);

// ---- the pack and its look-ups -----------------------------------------------------------------------------

export interface PackIndex {
  byId: Map<string, PackAddress>;
  byToken: Map<string, PackAddress>;
  children: Map<string, PackAddress[]>;
  residents: number;
}

let indexed: { pack: Pack; index: PackIndex } | null = null;

export function packIndex(pack: Pack): PackIndex {
  if (indexed?.pack === pack) return indexed.index;
  const byId = new Map<string, PackAddress>();
  const byToken = new Map<string, PackAddress>();
  const children = new Map<string, PackAddress[]>();
  for (const a of pack.addresses) {
    byId.set(a.id, a);
    for (const t of a.plateTokens ?? []) byToken.set(t, a);
    if (a.parentId) {
      const list = children.get(a.parentId) ?? [];
      list.push(a);
      children.set(a.parentId, list);
    }
  }
  let residents = 0;
  for (const r of Object.values(pack.records ?? {})) residents += r.residents?.length ?? 0;
  const index = { byId, byToken, children, residents };
  indexed = { pack, index };
  return index;
}

/** Addresses of the pack whose text or code holds every word of `q` (at most `limit`, and how many in all). */
export function searchPack(pack: Pack, q: string, limit = 50): { items: PackAddress[]; total: number } {
  const words = q.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return { items: [], total: 0 };
  const items: PackAddress[] = [];
  let total = 0;
  for (const a of pack.addresses) {
    const text = `${a.fullText} ${a.code}`.toLowerCase();
    if (words.every((w) => text.includes(w))) {
      total++;
      if (items.length < limit) items.push(a);
    }
  }
  return { items, total };
}

async function fetchPack(me: Me): Promise<Pack> {
  try {
    return await get<Pack>('/field/pack', undefined, { timeoutMs: 120_000 });
  } catch (err) {
    // too many addresses under the caller's unit: the pack of the worker's own grid
    if (isApiError(err) && err.status === 400 && err.errors.some((e) => e.field === 'gridId') && me.orgUnit) {
      return get<Pack>('/field/pack', { gridId: me.orgUnit.id }, { timeoutMs: 120_000 });
    }
    throw err;
  }
}

async function fetchTasks(): Promise<Task[]> {
  const all: Task[] = [];
  for (let page = 1; page <= 20; page++) {
    const r = await get<Page<Task>>('/field/me/tasks', { status: 'open', page, pageSize: 100 });
    all.push(...r.items);
    if (all.length >= r.total || r.items.length === 0) break;
  }
  return all;
}

/** Downloads the pack and the open tasks (each on its own: one failing keeps the other). */
export async function refreshData(): Promise<{ ok: boolean; message?: string }> {
  const me = state.me;
  if (!me || state.packLoading) return { ok: false };
  set({ packLoading: true, packError: null });
  let message: string | undefined;
  try {
    const pack = await fetchPack(me);
    await kvSet('pack', pack);
    set({ pack });
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
    if (isApiError(err) && err.status === 401) handleUnauthorized();
  }
  try {
    const tasks = await fetchTasks();
    const tasksAt = new Date().toISOString();
    await kvSet('tasks', { items: tasks, at: tasksAt });
    set({ tasks, tasksAt });
  } catch (err) {
    message ??= err instanceof Error ? err.message : String(err);
  }
  set({ packLoading: false, packError: message ?? null });
  return { ok: !message, message };
}

// ---- the outbox and the sync runner ------------------------------------------------------------------------

let engine: SyncEngine | null = null;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let started = false;

async function theEngine(): Promise<SyncEngine> {
  engine ??= new SyncEngine((await local()).store, fetchTransport());
  return engine;
}

export async function reloadOutbox(): Promise<void> {
  const { store } = await local();
  const [outbox, history] = await Promise.all([store.listOutbox(), store.history()]);
  set({ outbox, history });
}

/**
 * Sends what waits. `force`: the worker's button or the phone coming online (ignores the backoff). Returns the
 * report (null when nobody is signed in).
 */
export async function syncNow(force = false): Promise<RunReport | null> {
  if (state.session !== 'signedIn') return null;
  // the phone knows it is offline: nothing to try until the `online` event
  if (typeof navigator !== 'undefined' && !navigator.onLine) {
    set({ online: false });
    return null;
  }
  const e = await theEngine();
  set({ syncing: true });
  let report: RunReport;
  try {
    report = await e.run({ force });
  } finally {
    set({ syncing: false });
  }
  await reloadOutbox();
  set({ lastReport: report, ...(report.outcome === 'done' || report.outcome === 'nothing' ? { lastSyncAt: new Date().toISOString() } : {}) });
  if (report.outcome === 'offline' && state.online) set({ online: navigator.onLine });
  if (report.outcome === 'auth') handleUnauthorized();
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  if (report.retryAt && report.pending > 0) retryTimer = setTimeout(() => void syncNow(), Math.max(1_000, report.retryAt - Date.now()));
  return report;
}

/** Saves a collected op (and its photos) in the outbox and tries to send it at once. */
export async function enqueue(op: Op, title: string, photos: PhotoEntry[]): Promise<void> {
  const { store } = await local();
  const at = new Date().toISOString();
  await store.enqueue({ clientId: op.clientId, op, status: 'pending', errors: [], rev: 1, attempts: 0, title, createdAt: at, updatedAt: at }, photos);
  await reloadOutbox();
  void syncNow(navigator.onLine);
}

/** An edited (rejected) op back to the outbox under its clientId. */
export async function resend(clientId: string, op: Op, title: string, photos: PhotoEntry[]): Promise<void> {
  const { store } = await local();
  await store.resend(clientId, op, title, photos);
  await reloadOutbox();
  void syncNow(navigator.onLine);
}

export async function removeOp(clientId: string): Promise<void> {
  const { store } = await local();
  await store.remove(clientId);
  await reloadOutbox();
}

export async function getOp(clientId: string): Promise<OutboxEntry | undefined> {
  return (await local()).store.get(clientId);
}

export async function getPhoto(id: string): Promise<PhotoEntry | undefined> {
  return (await local()).store.getPhoto(id);
}

function startRunner() {
  if (started || typeof window === 'undefined') return;
  started = true;
  window.addEventListener('online', () => {
    set({ online: true });
    void syncNow(true).then(() => refreshData());
  });
  window.addEventListener('offline', () => set({ online: false }));
  // while online: what waits goes every minute (the engine's backoff decides), the pack is refreshed every 30 min
  setInterval(() => {
    if (navigator.onLine && state.outbox.some((e) => e.status === 'pending')) void syncNow();
  }, 60_000);
  setInterval(() => {
    if (navigator.onLine && state.session === 'signedIn') void refreshData();
  }, 30 * 60_000);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && navigator.onLine) void syncNow();
  });
}

// ---- session ----------------------------------------------------------------------------------------------

function handleUnauthorized() {
  if (state.session === 'signedIn') set({ session: 'signedOut', me: null });
}

async function restoreLocal(me: Me) {
  const [pack, tasks] = await Promise.all([kvGet<Pack>('pack'), kvGet<{ items: Task[]; at: string }>('tasks')]);
  set({ pack: pack ?? null, tasks: tasks?.items ?? [], tasksAt: tasks?.at ?? null, me, lastMe: me, session: 'signedIn' });
  await reloadOutbox();
}

/** At start: the server says who is signed in; offline, the worker who signed in last on this phone. */
export async function boot(): Promise<void> {
  set({ memoryOnly: await memoryOnly() });
  const cached = (await kvGet<Me>('me')) ?? null;
  set({ lastMe: cached });
  await reloadOutbox();
  try {
    const me = await fetchMe();
    if (!canCollect(me)) {
      // signed in (e.g. in the console) with an account that may not collect: said plainly on the sign-in page
      set({ session: 'signedOut', me });
      return;
    }
    if (cached && cached.id !== me.id) {
      // another worker on this browser: this phone's data is not theirs until they sign in here (which clears it)
      set({ session: 'signedOut', me: null });
      return;
    }
    await kvSet('me', me);
    if (me.mustChangePassword) {
      set({ session: 'signedOut', me, lastMe: me });
      return;
    }
    await restoreLocal(me);
    startRunner();
    void syncNow(true).then(() => refreshData());
  } catch (err) {
    if (isApiError(err) && err.isNetwork && cached && canCollect(cached)) {
      set({ online: false });
      await restoreLocal(cached);
      startRunner();
      return;
    }
    set({ session: 'signedOut', me: null });
  }
}

export interface LoginInput {
  username: string;
  password: string;
  totp?: string;
}

/** Signs in; another worker's data on this phone is cleared first (the page asked before). */
export async function login(input: LoginInput): Promise<Me> {
  const body: LoginInput = { username: input.username, password: input.password };
  if (input.totp) body.totp = input.totp;
  const res = await post<{ user: Me }>('/auth/login', body, { quiet401: true });
  const me = res.user;
  // an account that may not collect changes nothing on the phone (the worker's unsent records stay)
  if (!canCollect(me)) {
    set({ me });
    return me;
  }
  const previous = (await kvGet<Me>('me')) ?? null;
  if (previous && previous.id !== me.id) {
    await clearAll();
    set({ pack: null, tasks: [], tasksAt: null, outbox: [], history: [] });
  }
  await kvSet('me', me);
  set({ lastMe: me, me });
  if (!me.mustChangePassword) await enter(me);
  return me;
}

/** After sign-in (or the first password change): the local data, the runner, a first download. */
export async function enter(me: Me): Promise<void> {
  // ask the browser not to evict the outbox under storage pressure (granted to installed apps)
  void navigator.storage?.persist?.().catch(() => false);
  await kvSet('me', me);
  await restoreLocal(me);
  startRunner();
  void syncNow(true);
  await refreshData();
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<Me> {
  await call('POST', '/auth/password', { body: { currentPassword, newPassword } });
  const me = await fetchMe();
  await kvSet('me', me);
  set({ me, lastMe: me });
  return me;
}

/**
 * Signs out and clears this phone's data (the page warns first when something is unsent). `keepLocal`: an account
 * that may not collect leaves, and what the phone holds stays for its worker.
 */
export async function logout(opts: { keepLocal?: boolean } = {}): Promise<void> {
  try {
    await post('/auth/logout', undefined, { quiet401: true });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
  if (opts.keepLocal) {
    set({ session: 'signedOut', me: null });
    return;
  }
  await clearAll();
  await kvDelete('me');
  set({ session: 'signedOut', me: null, lastMe: null, pack: null, tasks: [], tasksAt: null, outbox: [], history: [], lastReport: null });
}

export function setSignedOut() {
  set({ session: 'signedOut', me: null });
}

export const pendingCount = (s: AppState) => s.outbox.filter((e) => e.status === 'pending').length;
export const rejectedCount = (s: AppState) => s.outbox.filter((e) => e.status === 'rejected').length;
