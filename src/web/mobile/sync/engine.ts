// The field app's sync engine (docs/api-field.md "Sync"): photos first, then the collected operations in batches.
// Pure: no DOM, no timers, no fetch. The outbox lives behind a Store (IndexedDB in the app, memory in tests) and
// the network behind a Transport, so the same code runs in the phone and against the real server in the tests.
//
// Guarantees:
// - every operation keeps the clientId it was given when it was collected, so sending it twice is harmless (the
//   server answers a replay with the stored result);
// - an operation leaves the outbox only when the server has answered for it (created / replayed), and then goes
//   into a short history; a rejected one stays, marked with the server's messages, until it is edited and resent;
// - a network failure, a 5xx, a 408 or a 429 stops the run and asks for a retry later, with a growing delay;
// - 401 / 403 stop the run without touching the operations (the worker must sign in again).

export interface FieldErr {
  field: string;
  message: string;
}

export interface ItemOp {
  op: 'item';
  clientId: string;
  typeCode: string;
  addressId?: string;
  taskId?: string;
  correctionOf?: string;
  data: Record<string, unknown>;
  note?: string;
  photoIds?: string[];
  lng?: number;
  lat?: number;
  accuracyM?: number;
  occurredAt: string;
}

export type ChangeKind = 'person_add' | 'person_update' | 'move_out' | 'housing_update' | 'unit_add' | 'unit_update';

export interface ChangeOp {
  op: 'change';
  clientId: string;
  kind: ChangeKind;
  addressId: string;
  targetId?: string;
  baseVersion?: string;
  data: Record<string, unknown>;
  note?: string;
  occurredAt: string;
}

export type Op = ItemOp | ChangeOp;

export type ItemStatus = 'submitted' | 'routed' | 'closed' | 'returned';
export type ChangeStatus = 'pending' | 'applied' | 'conflict' | 'rejected';

export type AckResult =
  | { clientId: string; status: 'created' | 'replayed'; kind: 'item'; id: string; itemStatus: ItemStatus; dispatches: number; tasksDone: string[] }
  | { clientId: string; status: 'created' | 'replayed'; kind: 'change'; id: string; changeStatus: ChangeStatus };
export type RejectResult = { clientId: string; status: 'rejected'; errors: FieldErr[] };
export type OpResult = AckResult | RejectResult;

/** One collected operation waiting to be sent (or rejected and waiting for an edit). */
export interface OutboxEntry {
  clientId: string;
  op: Op;
  status: 'pending' | 'rejected';
  /** The server's messages (fields relative to the op: `data.name`, `addressId`), when rejected. */
  errors: FieldErr[];
  /** Bumped by every edit: a rejection of an older revision does not mark a newer one. */
  rev: number;
  attempts: number;
  /** What the worker sees in the outbox ("入户走访 · 幸福路 1 号"). */
  title: string;
  createdAt: string;
  updatedAt: string;
}

/** A photo taken for an item; its id is the one the item names in `photoIds`. */
export interface PhotoEntry {
  id: string;
  /** The op it belongs to. */
  clientId: string;
  type: string;
  bytes: ArrayBuffer;
  uploaded: boolean;
  /** Why the server refused it (then the op cannot be sent until the photo is replaced). */
  error?: string;
  createdAt: string;
}

/** An operation the server answered for. */
export interface SentEntry {
  clientId: string;
  title: string;
  kind: 'item' | 'change';
  result: AckResult;
  addressId?: string;
  sentAt: string;
}

/** What the engine needs from the outbox. Every method must be safe to call twice and in any order. */
export interface EngineStore {
  /** All entries, oldest first. */
  listOutbox(): Promise<OutboxEntry[]>;
  getPhoto(id: string): Promise<PhotoEntry | undefined>;
  markPhotoUploaded(id: string): Promise<void>;
  markPhotoFailed(id: string, message: string): Promise<void>;
  /** Counts one more attempt at sending these ops. */
  noteAttempt(clientIds: string[]): Promise<void>;
  /** The server answered: the op leaves the outbox (and its photos), and goes into the history. */
  acknowledge(clientId: string, result: AckResult, sentAt: string): Promise<void>;
  /** The server refused revision `rev` of the op: it stays, marked with the errors (ignored for another revision). */
  reject(clientId: string, rev: number, errors: FieldErr[], at: string): Promise<void>;
}

/** The outbox as the app uses it: the engine's part plus collecting, editing and the history. */
export interface OutboxStore extends EngineStore {
  /** A new op and its photos, atomically. */
  enqueue(entry: OutboxEntry, photos: PhotoEntry[]): Promise<void>;
  /** An edited op (same clientId) back to pending: new photos added, photos it no longer names dropped. */
  resend(clientId: string, op: Op, title: string, photos: PhotoEntry[]): Promise<OutboxEntry | undefined>;
  /** Drops an op the worker gave up on (only a rejected one may be dropped by the app). */
  remove(clientId: string): Promise<void>;
  get(clientId: string): Promise<OutboxEntry | undefined>;
  history(): Promise<SentEntry[]>;
  /** Everything (signing out). */
  clear(): Promise<void>;
}

export interface Reply {
  status: number;
  body: unknown;
}

/** The network. A request that got no answer (offline, timeout, connection reset) throws. */
export interface Transport {
  putPhoto(id: string, bytes: ArrayBuffer, type: string): Promise<Reply>;
  sync(ops: Op[]): Promise<Reply>;
}

export type RunOutcome = 'done' | 'nothing' | 'backoff' | 'offline' | 'server' | 'auth' | 'forbidden';

export interface RunReport {
  outcome: RunOutcome;
  /** Acknowledged in this run. */
  sent: number;
  /** Rejected in this run. */
  rejected: number;
  /** Photos uploaded in this run. */
  photos: number;
  /** Still waiting after the run. */
  pending: number;
  /** A message for the worker when the run stopped early. */
  message?: string;
  /** When to try again (epoch ms) after a failure. */
  retryAt?: number;
}

export interface EngineOptions {
  /** Ops per request (the server takes up to 100; ≤ 50 keeps a request small on a slow network). */
  batchSize?: number;
  now?: () => number;
  random?: () => number;
  /** First retry delay and the longest one (ms). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
}

export const MAX_BATCH = 50;
export const HISTORY_LIMIT = 100;

const M = {
  photoLost: '照片已丢失，请重新拍摄后再发送',
  photoRefused: (msg: string) => `照片未能上传：${msg}`,
  offline: '网络不可用，稍后自动重试',
  server: '服务器暂时不可用，稍后自动重试',
  auth: '登录已失效，请重新登录后继续发送',
  forbidden: '您的账号暂不能发送采集数据',
  refused: '服务器拒收了这条记录',
};

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function problemOf(body: unknown): { detail: string; errors: FieldErr[] } {
  const b = isObj(body) ? body : {};
  const detail = typeof b.detail === 'string' && b.detail ? b.detail : typeof b.title === 'string' && b.title ? b.title : '';
  const errors = Array.isArray(b.errors)
    ? b.errors.filter(isObj).map((e) => ({ field: String(e.field ?? ''), message: String(e.message ?? '') }))
    : [];
  return { detail, errors };
}

const retryable = (status: number) => status >= 500 || status === 408 || status === 429 || status === 0;

function isAck(r: unknown): r is AckResult {
  return isObj(r) && (r.status === 'created' || r.status === 'replayed') && (r.kind === 'item' || r.kind === 'change') && typeof r.id === 'string';
}

function isReject(r: unknown): r is RejectResult {
  return isObj(r) && r.status === 'rejected';
}

class Stop extends Error {
  constructor(
    readonly outcome: RunOutcome,
    message: string,
  ) {
    super(message);
  }
}

export class SyncEngine {
  private readonly batchSize: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private failures = 0;
  private retryAt = 0;
  private running: Promise<RunReport> | null = null;
  private again = false;
  private againForced = false;

  constructor(
    private readonly store: EngineStore,
    private readonly transport: Transport,
    opts: EngineOptions = {},
  ) {
    this.batchSize = Math.max(1, Math.min(MAX_BATCH, opts.batchSize ?? MAX_BATCH));
    this.now = opts.now ?? (() => Date.now());
    this.random = opts.random ?? Math.random;
    this.baseMs = opts.backoffBaseMs ?? 5_000;
    this.maxMs = opts.backoffMaxMs ?? 5 * 60_000;
  }

  /** When the next automatic run may happen after failures (epoch ms; 0: any time). */
  get nextRetryAt(): number {
    return this.retryAt;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /**
   * Sends what is waiting. One run at a time: a call during a run makes the run go once more at its end (and
   * returns the report of that last pass). `force` (the worker's button, the `online` event) ignores the backoff.
   */
  run(opts: { force?: boolean } = {}): Promise<RunReport> {
    if (this.running) {
      this.again = true;
      this.againForced ||= !!opts.force;
      return this.running;
    }
    const loop = async (): Promise<RunReport> => {
      let force = !!opts.force;
      for (;;) {
        const report = await this.pass(force);
        if (!this.again) return report;
        force = this.againForced;
        this.again = false;
        this.againForced = false;
      }
    };
    this.running = loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(force: boolean): Promise<RunReport> {
    const report: RunReport = { outcome: 'done', sent: 0, rejected: 0, photos: 0, pending: 0 };
    if (!force && this.retryAt > this.now()) {
      report.outcome = 'backoff';
      report.retryAt = this.retryAt;
      report.pending = (await this.store.listOutbox()).filter((e) => e.status === 'pending').length;
      return report;
    }
    try {
      const entries = (await this.store.listOutbox()).filter((e) => e.status === 'pending');
      if (entries.length === 0) {
        report.outcome = 'nothing';
      } else {
        const ready = await this.uploadPhotos(entries, report);
        await this.sendOps(ready, report);
      }
      this.failures = 0;
      this.retryAt = 0;
    } catch (err) {
      if (!(err instanceof Stop)) throw err;
      report.outcome = err.outcome;
      report.message = err.message;
      if (err.outcome === 'offline' || err.outcome === 'server') {
        this.failures++;
        const delay = Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1)) * (0.5 + this.random() / 2);
        this.retryAt = this.now() + delay;
        report.retryAt = this.retryAt;
      }
    }
    report.pending = (await this.store.listOutbox()).filter((e) => e.status === 'pending').length;
    return report;
  }

  /** Uploads the photos the pending ops need; returns the ops whose photos are all on the server. */
  private async uploadPhotos(entries: OutboxEntry[], report: RunReport): Promise<OutboxEntry[]> {
    const ready: OutboxEntry[] = [];
    const state = new Map<string, string | true>(); // photo id → uploaded, or why not
    for (const e of entries) {
      const ids = e.op.op === 'item' ? (e.op.photoIds ?? []) : [];
      const problems: FieldErr[] = [];
      for (const [i, id] of ids.entries()) {
        let s = state.get(id);
        if (s === undefined) {
          s = await this.uploadPhoto(id, report);
          state.set(id, s);
        }
        if (s !== true) problems.push({ field: `photoIds.${i}`, message: s });
      }
      if (problems.length) {
        await this.store.reject(e.clientId, e.rev, problems, new Date(this.now()).toISOString());
        report.rejected++;
      } else ready.push(e);
    }
    return ready;
  }

  private async uploadPhoto(id: string, report: RunReport): Promise<string | true> {
    const photo = await this.store.getPhoto(id);
    if (!photo) return M.photoLost;
    if (photo.uploaded) return true;
    if (photo.error) return M.photoRefused(photo.error);
    let reply: Reply;
    try {
      reply = await this.transport.putPhoto(id, photo.bytes, photo.type);
    } catch {
      throw new Stop('offline', M.offline);
    }
    if (reply.status === 200 || reply.status === 201) {
      await this.store.markPhotoUploaded(id);
      report.photos++;
      return true;
    }
    this.checkWholeRequest(reply);
    const p = problemOf(reply.body);
    const message = p.errors[0]?.message || p.detail || M.refused;
    await this.store.markPhotoFailed(id, message);
    return M.photoRefused(message);
  }

  /** 401, 403 and the retryable statuses stop the run; anything else is the request's own problem. */
  private checkWholeRequest(reply: Reply): void {
    if (reply.status === 401) throw new Stop('auth', M.auth);
    if (reply.status === 403) throw new Stop('forbidden', problemOf(reply.body).detail || M.forbidden);
    if (retryable(reply.status)) throw new Stop(reply.status === 0 ? 'offline' : 'server', M.server);
  }

  private async sendOps(ready: OutboxEntry[], report: RunReport): Promise<void> {
    const queue = [...ready];
    let size = this.batchSize;
    while (queue.length) {
      const batch = queue.slice(0, size);
      const at = () => new Date(this.now()).toISOString();
      await this.store.noteAttempt(batch.map((e) => e.clientId));
      let reply: Reply;
      try {
        reply = await this.transport.sync(batch.map((e) => e.op));
      } catch {
        throw new Stop('offline', M.offline);
      }
      if (reply.status === 200) {
        queue.splice(0, batch.length);
        const body = isObj(reply.body) ? reply.body : {};
        const results = Array.isArray(body.results) ? body.results : [];
        const byId = new Map<string, unknown>();
        for (const r of results) if (isObj(r) && typeof r.clientId === 'string') byId.set(r.clientId, r);
        for (const e of batch) {
          const r = byId.get(e.clientId);
          if (isAck(r)) {
            await this.store.acknowledge(e.clientId, r, at());
            report.sent++;
          } else if (isReject(r)) {
            const errors = problemOf(r).errors;
            await this.store.reject(e.clientId, e.rev, errors.length ? errors : [{ field: '', message: M.refused }], at());
            report.rejected++;
          }
          // no answer for it: it stays pending and goes again next time
        }
        continue;
      }
      if (reply.status === 413 && batch.length > 1) {
        size = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      this.checkWholeRequest(reply);
      // the request as a whole was refused (4xx): the ops it names are marked, the others go again
      const p = problemOf(reply.body);
      const named = new Map<number, FieldErr[]>();
      for (const err of p.errors) {
        const m = /^ops\.(\d+)(?:\.(.*))?$/.exec(err.field);
        if (!m || Number(m[1]) >= batch.length) continue;
        const list = named.get(Number(m[1])) ?? [];
        list.push({ field: m[2] ?? '', message: err.message });
        named.set(Number(m[1]), list);
      }
      if (named.size === 0) {
        for (const e of batch) await this.store.reject(e.clientId, e.rev, [{ field: '', message: p.detail || M.refused }], at());
        report.rejected += batch.length;
        queue.splice(0, batch.length);
        continue;
      }
      const keep: OutboxEntry[] = [];
      for (const [i, e] of batch.entries()) {
        const errs = named.get(i);
        if (errs) {
          await this.store.reject(e.clientId, e.rev, errs, at());
          report.rejected++;
        } else keep.push(e);
      }
      queue.splice(0, batch.length, ...keep);
    }
  }
}

/** Orders entries oldest first (stores keep them in insertion order, this makes it explicit). */
export const byCreated = (a: OutboxEntry, b: OutboxEntry) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.clientId < b.clientId ? -1 : 1);
