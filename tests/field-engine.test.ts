// Unit tests of the field app's sync engine (src/web/mobile/sync/engine.ts) with a scripted transport, and of its
// two stores: in memory and in IndexedDB (fake-indexeddb). The engine against the real server, through a flaky
// network, is tests/field-sync.test.ts.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
  HISTORY_LIMIT,
  SyncEngine,
  type AckResult,
  type ItemOp,
  type Op,
  type OutboxEntry,
  type OutboxStore,
  type PhotoEntry,
  type Reply,
  type Transport,
} from '../src/web/mobile/sync/engine.js';
import { MemoryStore } from '../src/web/mobile/sync/memory-store.js';
import { IdbStore, openFieldDb } from '../src/web/mobile/sync/idb-store.js';

let seq = 0;
const uuid = () => {
  const n = (++seq).toString(16).padStart(12, '0');
  return `0190f000-0000-7000-8000-${n}`;
};

function itemEntry(over: Partial<ItemOp> = {}, at = new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString()): OutboxEntry {
  const clientId = over.clientId ?? uuid();
  const op: ItemOp = { op: 'item', clientId, typeCode: 'home_visit', data: { n: 1 }, occurredAt: at, ...over };
  return { clientId, op, status: 'pending', errors: [], rev: 1, attempts: 0, title: `入户走访 ${clientId.slice(-4)}`, createdAt: at, updatedAt: at };
}

function photo(clientId: string, id = uuid()): PhotoEntry {
  return { id, clientId, type: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2]).buffer, uploaded: false, createdAt: new Date().toISOString() };
}

/** A tiny server after the contract: items by clientId (replays answer the stored result), photos by id. */
class FakeServer implements Transport {
  items = new Map<string, AckResult>();
  photos = new Set<string>();
  calls: Array<{ kind: 'photo'; id: string } | { kind: 'sync'; clientIds: string[] }> = [];
  /** Replies to use before the normal behaviour, in order ('throw' = no answer). */
  script: Array<Reply | 'throw'> = [];
  photoScript: Array<Reply | 'throw'> = [];
  /** clientIds the server refuses with a field error. */
  refuse = new Map<string, { field: string; message: string }>();
  /** clientIds the server leaves out of its answer. */
  silent = new Set<string>();
  onSync?: () => Promise<void>;

  async putPhoto(id: string): Promise<Reply> {
    this.calls.push({ kind: 'photo', id });
    const s = this.photoScript.shift();
    if (s === 'throw') throw new Error('network');
    if (s) return s;
    const first = !this.photos.has(id);
    this.photos.add(id);
    return { status: first ? 201 : 200, body: { id } };
  }

  async sync(ops: Op[]): Promise<Reply> {
    this.calls.push({ kind: 'sync', clientIds: ops.map((o) => o.clientId) });
    await this.onSync?.();
    const s = this.script.shift();
    if (s === 'throw') throw new Error('network');
    if (s) return s;
    const results = ops
      .filter((o) => !this.silent.has(o.clientId))
      .map((o) => {
        const bad = this.refuse.get(o.clientId);
        if (bad) return { clientId: o.clientId, status: 'rejected', errors: [bad] };
        const missing = o.op === 'item' ? (o.photoIds ?? []).findIndex((p) => !this.photos.has(p)) : -1;
        if (missing >= 0) return { clientId: o.clientId, status: 'rejected', errors: [{ field: `photoIds.${missing}`, message: '照片尚未上传' }] };
        const prev = this.items.get(o.clientId);
        if (prev) return { ...prev, status: 'replayed' };
        const r: AckResult = { clientId: o.clientId, status: 'created', kind: 'item', id: uuid(), itemStatus: 'submitted', dispatches: 0, tasksDone: [] };
        this.items.set(o.clientId, r);
        return r;
      });
    return { status: 200, body: { results } };
  }

  syncCalls() {
    return this.calls.filter((c) => c.kind === 'sync') as Array<{ kind: 'sync'; clientIds: string[] }>;
  }
}

const fixedClock = () => {
  let now = Date.UTC(2026, 0, 1);
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

describe('sync engine', () => {
  it('uploads photos first, then the ops; acknowledged ops leave the outbox for the history', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const a = itemEntry();
    const p1 = photo(a.clientId);
    const p2 = photo(a.clientId);
    (a.op as ItemOp).photoIds = [p1.id, p2.id];
    const b = itemEntry();
    await store.enqueue(a, [p1, p2]);
    await store.enqueue(b, []);
    const report = await new SyncEngine(store, server).run();
    expect(report).toMatchObject({ outcome: 'done', sent: 2, rejected: 0, photos: 2, pending: 0 });
    expect(server.calls.map((c) => c.kind)).toEqual(['photo', 'photo', 'sync']);
    expect(await store.listOutbox()).toEqual([]);
    expect(store.photos.size).toBe(0);
    const history = await store.history();
    expect(history.map((h) => h.clientId).sort()).toEqual([a.clientId, b.clientId].sort());
    expect(history[0].result.status).toBe('created');
    expect(history.find((h) => h.clientId === a.clientId)?.title).toBe(a.title);
  });

  it('sends at most 50 ops per request, oldest first', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const entries = Array.from({ length: 120 }, () => itemEntry());
    for (const e of [...entries].reverse()) await store.enqueue(e, []);
    const report = await new SyncEngine(store, server, { batchSize: 500 }).run();
    expect(report.sent).toBe(120);
    const calls = server.syncCalls();
    expect(calls.map((c) => c.clientIds.length)).toEqual([50, 50, 20]);
    expect(calls.flatMap((c) => c.clientIds)).toEqual(entries.map((e) => e.clientId));
  });

  it('keeps a rejected op with the server messages until it is edited and resent under the same clientId', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const bad = itemEntry();
    const good = itemEntry();
    server.refuse.set(bad.clientId, { field: 'data.name', message: '请填写“姓名”' });
    await store.enqueue(bad, []);
    await store.enqueue(good, []);
    const engine = new SyncEngine(store, server);
    expect(await engine.run()).toMatchObject({ outcome: 'done', sent: 1, rejected: 1, pending: 0 });
    const [kept] = await store.listOutbox();
    expect(kept).toMatchObject({ clientId: bad.clientId, status: 'rejected', errors: [{ field: 'data.name', message: '请填写“姓名”' }] });
    // a rejected op is not sent again on its own
    const before = server.syncCalls().length;
    expect(await engine.run()).toMatchObject({ outcome: 'nothing', sent: 0 });
    expect(server.syncCalls().length).toBe(before);
    // edited and resent: same clientId, a new revision
    server.refuse.delete(bad.clientId);
    const edited = await store.resend(bad.clientId, { ...bad.op, data: { name: '张三' } } as Op, '改过的', []);
    expect(edited).toMatchObject({ clientId: bad.clientId, rev: 2, status: 'pending', errors: [] });
    expect(await engine.run()).toMatchObject({ sent: 1, pending: 0 });
    expect(server.syncCalls().at(-1)?.clientIds).toEqual([bad.clientId]);
    expect((await store.history()).find((h) => h.clientId === bad.clientId)?.title).toBe('改过的');
  });

  it('a network failure keeps every op and backs off with a growing delay; force and the next run send them', async () => {
    const clock = fixedClock();
    const store = new MemoryStore();
    const server = new FakeServer();
    await store.enqueue(itemEntry(), []);
    server.script = ['throw', 'throw'];
    const engine = new SyncEngine(store, server, { now: clock.now, random: () => 1, backoffBaseMs: 1_000, backoffMaxMs: 10_000 });
    const r1 = await engine.run();
    expect(r1).toMatchObject({ outcome: 'offline', pending: 1, sent: 0 });
    expect(r1.message).toBe('网络不可用，稍后自动重试');
    expect(r1.retryAt).toBe(clock.now() + 1_000);
    // within the delay an automatic run does not touch the network
    const calls = server.calls.length;
    expect(await engine.run()).toMatchObject({ outcome: 'backoff', pending: 1 });
    expect(server.calls.length).toBe(calls);
    // the worker's button does; it fails again and the delay doubles
    const r2 = await engine.run({ force: true });
    expect(r2.outcome).toBe('offline');
    expect(r2.retryAt).toBe(clock.now() + 2_000);
    clock.advance(2_000);
    expect(await engine.run()).toMatchObject({ outcome: 'done', sent: 1, pending: 0 });
    expect(engine.nextRetryAt).toBe(0);
    expect((await store.history())[0].result.status).toBe('created');
  });

  it('the delay never exceeds the maximum', async () => {
    const clock = fixedClock();
    const store = new MemoryStore();
    const server = new FakeServer();
    await store.enqueue(itemEntry(), []);
    server.script = Array.from({ length: 12 }, () => 'throw' as const);
    const engine = new SyncEngine(store, server, { now: clock.now, random: () => 1, backoffBaseMs: 1_000, backoffMaxMs: 30_000 });
    let last = 0;
    for (let i = 0; i < 12; i++) last = (await engine.run({ force: true })).retryAt! - clock.now();
    expect(last).toBe(30_000);
  });

  it('5xx, 408 and 429 are retried later; the ops stay untouched', async () => {
    for (const status of [500, 502, 503, 408, 429]) {
      const store = new MemoryStore();
      const server = new FakeServer();
      const e = itemEntry();
      await store.enqueue(e, []);
      server.script = [{ status, body: { detail: 'x' } }];
      const r = await new SyncEngine(store, server).run();
      expect(r.outcome).toBe('server');
      expect(r.message).toBe('服务器暂时不可用，稍后自动重试');
      expect(await store.listOutbox()).toMatchObject([{ clientId: e.clientId, status: 'pending', errors: [], attempts: 1 }]);
    }
  });

  it('401 asks for a new sign-in and 403 says why, without marking the ops', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    await store.enqueue(itemEntry(), []);
    server.script = [{ status: 401, body: { detail: '请先登录' } }, { status: 403, body: { detail: '您没有「field.collect」权限' } }];
    const engine = new SyncEngine(store, server);
    expect(await engine.run()).toMatchObject({ outcome: 'auth', message: '登录已失效，请重新登录后继续发送', pending: 1 });
    expect(await engine.run()).toMatchObject({ outcome: 'forbidden', message: '您没有「field.collect」权限', pending: 1 });
    expect((await store.listOutbox())[0]).toMatchObject({ status: 'pending', errors: [] });
    // neither is a network failure: no backoff
    expect(engine.nextRetryAt).toBe(0);
  });

  it('a 400 on the whole request marks only the ops it names; the others go again', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const entries = [itemEntry(), itemEntry(), itemEntry()];
    for (const e of entries) await store.enqueue(e, []);
    server.script = [
      { status: 400, body: { title: '请求参数有误', detail: '请求参数有误', errors: [{ field: 'ops.1.note', message: '不能超过 2000 个字符' }] } },
    ];
    const r = await new SyncEngine(store, server).run();
    expect(r).toMatchObject({ outcome: 'done', sent: 2, rejected: 1, pending: 0 });
    expect(server.syncCalls().map((c) => c.clientIds)).toEqual([entries.map((e) => e.clientId), [entries[0].clientId, entries[2].clientId]]);
    expect(await store.listOutbox()).toMatchObject([{ clientId: entries[1].clientId, status: 'rejected', errors: [{ field: 'note', message: '不能超过 2000 个字符' }] }]);
  });

  it('a 4xx naming no op marks the whole batch with the server message', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const entries = [itemEntry(), itemEntry()];
    for (const e of entries) await store.enqueue(e, []);
    server.script = [{ status: 400, body: { detail: '同步请求格式有误', errors: [{ field: 'ops', message: '至少 1 项' }] } }];
    const r = await new SyncEngine(store, server).run();
    expect(r).toMatchObject({ rejected: 2, sent: 0, pending: 0 });
    expect((await store.listOutbox()).map((e) => e.errors)).toEqual([
      [{ field: '', message: '同步请求格式有误' }],
      [{ field: '', message: '同步请求格式有误' }],
    ]);
  });

  it('413 halves the batch', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    for (let i = 0; i < 8; i++) await store.enqueue(itemEntry(), []);
    server.script = [{ status: 413, body: {} }, { status: 413, body: {} }];
    const r = await new SyncEngine(store, server, { batchSize: 8 }).run();
    expect(r).toMatchObject({ sent: 8, pending: 0 });
    expect(server.syncCalls().map((c) => c.clientIds.length)).toEqual([8, 4, 2, 2, 2, 2]);
  });

  it('a photo the server refuses marks its op; the other ops still go', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const a = itemEntry();
    const p = photo(a.clientId);
    (a.op as ItemOp).photoIds = [p.id];
    const b = itemEntry();
    await store.enqueue(a, [p]);
    await store.enqueue(b, []);
    server.photoScript = [{ status: 415, body: { detail: '仅支持 JPEG、PNG 或 WebP 格式的图片' } }];
    const r = await new SyncEngine(store, server).run();
    expect(r).toMatchObject({ outcome: 'done', sent: 1, rejected: 1, photos: 0 });
    expect(await store.listOutbox()).toMatchObject([
      { clientId: a.clientId, status: 'rejected', errors: [{ field: 'photoIds.0', message: '照片未能上传：仅支持 JPEG、PNG 或 WebP 格式的图片' }] },
    ]);
    expect((await store.getPhoto(p.id))?.error).toBe('仅支持 JPEG、PNG 或 WebP 格式的图片');
    // replaced by another photo and resent
    const p2 = photo(a.clientId);
    await store.resend(a.clientId, { ...a.op, photoIds: [p2.id] } as Op, a.title, [p2]);
    expect(await store.getPhoto(p.id)).toBeUndefined();
    expect(await new SyncEngine(store, server).run()).toMatchObject({ sent: 1, photos: 1, pending: 0 });
  });

  it('a photo upload that got no answer stops the run; the op waits; a retried upload answered 200 counts', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const a = itemEntry();
    const p = photo(a.clientId);
    (a.op as ItemOp).photoIds = [p.id];
    await store.enqueue(a, [p]);
    server.photos.add(p.id); // the server got it, the reply was lost
    server.photoScript = ['throw'];
    const engine = new SyncEngine(store, server);
    expect(await engine.run()).toMatchObject({ outcome: 'offline', pending: 1 });
    expect(server.syncCalls()).toEqual([]);
    expect(await engine.run({ force: true })).toMatchObject({ outcome: 'done', sent: 1, photos: 1 });
  });

  it('an op whose photo is gone from the phone is marked, not sent', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const a = itemEntry();
    (a.op as ItemOp).photoIds = [uuid()];
    await store.enqueue(a, []);
    expect(await new SyncEngine(store, server).run()).toMatchObject({ rejected: 1 });
    expect((await store.listOutbox())[0].errors).toEqual([{ field: 'photoIds.0', message: '照片已丢失，请重新拍摄后再发送' }]);
    expect(server.syncCalls()).toEqual([]);
  });

  it('an op the server did not answer for stays pending and goes again', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const a = itemEntry();
    const b = itemEntry();
    await store.enqueue(a, []);
    await store.enqueue(b, []);
    server.silent.add(b.clientId);
    expect(await new SyncEngine(store, server).run()).toMatchObject({ sent: 1, pending: 1 });
    server.silent.clear();
    expect(await new SyncEngine(store, server).run()).toMatchObject({ sent: 1, pending: 0 });
  });

  it('a reply lost after the server stored the op: the resend is answered as a replay, once in the history', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    const a = itemEntry();
    await store.enqueue(a, []);
    const engine = new SyncEngine(store, server);
    server.onSync = async () => {
      server.onSync = undefined;
      await server.sync([a.op]); // processed…
      throw new Error('reply lost'); // …but the phone never hears
    };
    expect(await engine.run()).toMatchObject({ outcome: 'offline', pending: 1 });
    expect(await engine.run({ force: true })).toMatchObject({ sent: 1, pending: 0 });
    const history = await store.history();
    expect(history).toHaveLength(1);
    expect(history[0].result.status).toBe('replayed');
    expect(server.items.size).toBe(1);
  });

  it('a rejection of an older revision does not mark the edited op', async () => {
    const store = new MemoryStore();
    const e = itemEntry();
    await store.enqueue(e, []);
    await store.reject(e.clientId, 1, [{ field: 'data.n', message: '旧' }], new Date().toISOString());
    await store.resend(e.clientId, e.op, e.title, []);
    await store.reject(e.clientId, 1, [{ field: 'data.n', message: '迟到的旧回复' }], new Date().toISOString());
    expect(await store.get(e.clientId)).toMatchObject({ rev: 2, status: 'pending', errors: [] });
  });

  it('a run asked for during a run makes one more pass that sends what was added meanwhile', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    await store.enqueue(itemEntry(), []);
    const engine = new SyncEngine(store, server);
    const late = itemEntry();
    let second: Promise<unknown> | undefined;
    server.onSync = async () => {
      server.onSync = undefined;
      await store.enqueue(late, []);
      second = engine.run();
    };
    const first = await engine.run();
    expect(await second).toBe(first);
    expect(first).toMatchObject({ pending: 0 });
    expect(server.syncCalls().length).toBe(2);
    expect(await store.listOutbox()).toEqual([]);
  });

  it('two engines on one outbox (two tabs) acknowledge each op once', async () => {
    const store = new MemoryStore();
    const server = new FakeServer();
    for (let i = 0; i < 30; i++) await store.enqueue(itemEntry(), []);
    let acks = 0;
    const ack = store.acknowledge.bind(store);
    store.acknowledge = async (...args) => {
      if (store.outbox.has(args[0])) acks++;
      return ack(...args);
    };
    server.onSync = () => new Promise((r) => setImmediate(r));
    const e1 = new SyncEngine(store, server, { batchSize: 7 });
    const e2 = new SyncEngine(store, server, { batchSize: 11 });
    await Promise.all([e1.run(), e2.run()]);
    expect(await store.listOutbox()).toEqual([]);
    expect(acks).toBe(30);
    expect(server.items.size).toBe(30);
    expect((await store.history()).length).toBe(30);
  });
});

const stores: Array<[string, () => Promise<OutboxStore>]> = [
  ['memory', async () => new MemoryStore()],
  ['IndexedDB', async () => new IdbStore(await openFieldDb(`fq-field-test-${uuid()}`))],
];

describe.each(stores)('%s store', (_name, make) => {
  it('keeps ops oldest first, with their photos, and removes both on acknowledgement', async () => {
    const store = await make();
    const late = itemEntry({}, '2026-01-02T00:00:00.000Z');
    const early = itemEntry({}, '2026-01-01T00:00:00.000Z');
    const p = photo(early.clientId);
    (early.op as ItemOp).photoIds = [p.id];
    await store.enqueue(late, []);
    await store.enqueue(early, [p]);
    await store.enqueue(early, []); // twice: no effect
    expect((await store.listOutbox()).map((e) => e.clientId)).toEqual([early.clientId, late.clientId]);
    const stored = await store.getPhoto(p.id);
    expect(stored?.type).toBe('image/jpeg');
    expect([...new Uint8Array(stored!.bytes)]).toEqual([0xff, 0xd8, 0xff, 0xe0, 1, 2]);
    await store.markPhotoUploaded(p.id);
    expect((await store.getPhoto(p.id))?.uploaded).toBe(true);
    await store.noteAttempt([early.clientId, 'missing']);
    expect((await store.get(early.clientId))?.attempts).toBe(1);
    const result: AckResult = { clientId: early.clientId, status: 'created', kind: 'item', id: uuid(), itemStatus: 'routed', dispatches: 1, tasksDone: [] };
    await store.acknowledge(early.clientId, result, '2026-01-03T00:00:00.000Z');
    await store.acknowledge(early.clientId, { ...result, status: 'replayed' }, '2026-01-03T00:00:01.000Z'); // a second answer: ignored
    expect(await store.get(early.clientId)).toBeUndefined();
    expect(await store.getPhoto(p.id)).toBeUndefined();
    expect(await store.history()).toEqual([
      { clientId: early.clientId, title: early.title, kind: 'item', result, addressId: undefined, sentAt: '2026-01-03T00:00:00.000Z' },
    ]);
  });

  it('marks failed photos, rejects by revision, resends with new photos and drops the replaced ones', async () => {
    const store = await make();
    const e = itemEntry();
    const p1 = photo(e.clientId);
    const p2 = photo(e.clientId);
    (e.op as ItemOp).photoIds = [p1.id, p2.id];
    await store.enqueue(e, [p1, p2]);
    await store.markPhotoFailed(p1.id, '图片过大');
    expect((await store.getPhoto(p1.id))?.error).toBe('图片过大');
    await store.reject(e.clientId, 1, [{ field: 'photoIds.0', message: '图片过大' }], '2026-01-01T00:00:00.000Z');
    expect(await store.get(e.clientId)).toMatchObject({ status: 'rejected', errors: [{ field: 'photoIds.0', message: '图片过大' }] });
    const p3 = photo(e.clientId);
    const next = await store.resend(e.clientId, { ...e.op, photoIds: [p2.id, p3.id] } as Op, '新标题', [p3]);
    expect(next).toMatchObject({ rev: 2, status: 'pending', errors: [], title: '新标题' });
    expect(await store.getPhoto(p1.id)).toBeUndefined();
    expect(await store.getPhoto(p2.id)).toBeDefined();
    expect(await store.getPhoto(p3.id)).toBeDefined();
    await store.reject(e.clientId, 1, [{ field: '', message: 'late' }], '2026-01-01T00:00:00.000Z');
    expect((await store.get(e.clientId))?.status).toBe('pending');
    expect(await store.resend('nope', e.op, 'x', [])).toBeUndefined();
    await store.remove(e.clientId);
    expect(await store.listOutbox()).toEqual([]);
    expect(await store.getPhoto(p2.id)).toBeUndefined();
  });

  it(`keeps the newest ${HISTORY_LIMIT} answers`, async () => {
    const store = await make();
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      const e = itemEntry();
      await store.enqueue(e, []);
      const sentAt = new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString();
      await store.acknowledge(e.clientId, { clientId: e.clientId, status: 'created', kind: 'change', id: uuid(), changeStatus: 'pending' }, sentAt);
    }
    const h = await store.history();
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0].sentAt).toBe(new Date(Date.UTC(2026, 1, 1, 0, 0, HISTORY_LIMIT + 4)).toISOString());
    expect(h.at(-1)!.sentAt).toBe(new Date(Date.UTC(2026, 1, 1, 0, 0, 5)).toISOString());
    await store.clear();
    expect(await store.history()).toEqual([]);
  });

  it('drives the engine end to end', async () => {
    const store = await make();
    const server = new FakeServer();
    const entries = Array.from({ length: 60 }, () => itemEntry());
    for (const [i, e] of entries.entries()) {
      const photos = i % 10 === 0 ? [photo(e.clientId)] : [];
      (e.op as ItemOp).photoIds = photos.map((p) => p.id);
      await store.enqueue(e, photos);
    }
    server.script = ['throw'];
    const engine = new SyncEngine(store, server);
    expect((await engine.run()).outcome).toBe('offline');
    expect(await engine.run({ force: true })).toMatchObject({ outcome: 'done', sent: 60, pending: 0 });
    expect(server.items.size).toBe(60);
    expect(await store.listOutbox()).toEqual([]);
  });
});
