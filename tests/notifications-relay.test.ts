import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { sql } from 'kysely';
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createTestApp, type TestApp } from './support/app.js';
import { TEST_PASSWORD, testConfig } from './support/env.js';
import { connectPostgres, type Database } from '../src/server/db/connect.js';
import { openDeps } from '../src/server/bootstrap.js';
import { buildApp } from '../src/server/app.js';
import { insertNotifications, NOTIFICATION_CHANNEL, notificationBus, notifyStaff } from '../src/server/platform/notify/notifications.js';
import type { NotificationRow } from '../src/server/platform/notify/notifications-repository.js';

/**
 * Notifications between server processes: each process puts the notifications it creates on its own bus and
 * announces their ids with NOTIFY; the others read them and put them on theirs. A process never hears itself twice.
 */
let t: TestApp;
let chiefId: string;

beforeAll(async () => {
  t = await createTestApp();
  chiefId = (await t.deps.db.selectFrom('users').select('id').where('username', '=', 'chief').executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

const announce = (payload: string) => sql`SELECT pg_notify(${NOTIFICATION_CHANNEL}, ${payload})`.execute(t.deps.db);

describe('the notification relay', () => {
  it('puts each notification on the bus once: its own once, one announced by another process once', async () => {
    const bus = notificationBus(t.deps);
    const seen: NotificationRow[] = [];
    const onRow = (r: NotificationRow) => seen.push(r);
    bus.on('notification', onRow);
    try {
      await notifyStaff(t.deps, { userIds: [chiefId] }, { kind: 'test', title: '本进程的通知' });
      expect(seen.map((r) => r.title)).toEqual(['本进程的通知']);
      const [mine] = seen;
      // stored by another process (not put on this bus), then announced by it: read from the database, once
      const [theirs] = await insertNotifications(t.deps.db, [chiefId], { kind: 'test', title: '另一进程的通知' });
      await announce('不是 JSON'); // an unreadable announcement is logged and dropped
      await announce(JSON.stringify({ origin: 'another-process', ids: [mine.id] })); // already on the bus
      await announce(JSON.stringify({ origin: 'another-process', ids: [theirs.id] }));
      await announce(JSON.stringify({ origin: 'another-process', ids: [theirs.id, mine.id] })); // heard twice
      // a marker announced after all of these: once it is here, anything else would have been too
      const [marker] = await insertNotifications(t.deps.db, [chiefId], { kind: 'test', title: '标记' });
      await announce(JSON.stringify({ origin: 'another-process', ids: [marker.id] }));
      await vi.waitFor(() => expect(seen.map((r) => r.title)).toContain('标记'), { timeout: 10_000, interval: 20 });
      expect(seen.map((r) => r.title)).toEqual(['本进程的通知', '另一进程的通知', '标记']);
      expect(seen[1]).toMatchObject({ id: theirs.id, user_id: chiefId });
    } finally {
      bus.off('notification', onRow);
    }
  });
});

/** Reads a text/event-stream until `until` matches what arrived. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, until: (text: string) => boolean) {
  const dec = new TextDecoder();
  let text = '';
  while (!until(text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended: ${text}`);
    text += dec.decode(value, { stream: true });
  }
  return text;
}

// Two processes need a server both can reach: the embedded database lives inside one process.
describe.runIf(process.env.TEST_DATABASE_URL)('two server processes on one PostgreSQL database', () => {
  let second: Database;
  let app2: FastifyInstance;

  beforeAll(async () => {
    second = await connectPostgres(t.deps.database.url!, 3, () => {});
    const deps2 = await openDeps(testConfig(), pino({ level: 'silent' }) as unknown as FastifyBaseLogger, second);
    app2 = await buildApp(deps2, { rateLimit: false });
    await app2.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app2?.close();
    await second?.close();
  });

  /**
   * Opens chief's stream on the second process, runs `meanwhile`, creates a notification in the first, and reads
   * it on the stream.
   */
  async function deliveredAcross(title: string, meanwhile?: () => Promise<void>) {
    const base = `http://127.0.0.1:${(app2.server.address() as AddressInfo).port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'chief', password: TEST_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const ctl = new AbortController();
    const res = await fetch(`${base}/api/v1/notifications/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: ctl.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    try {
      await readUntil(reader, (x) => x.includes(': connected'));
      await meanwhile?.();
      // created by the first process (the one of createTestApp), whose bus the stream is not on
      await notifyStaff(t.deps, { userIds: [chiefId] }, { kind: 'test', level: 'urgent', title });
      const text = await readUntil(reader, (x) => x.includes(title));
      const block = text.split('\n\n').find((b) => b.includes('event: notification'))!;
      return JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
    } finally {
      ctl.abort();
    }
  }

  const listeners = async () =>
    (await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`.execute(t.deps.db)).rows.map((r) => r.pid);

  it("a notification created in one process reaches the recipient's stream open on the other", async () => {
    expect(await deliveredAcross('另一进程发出的红色指令')).toMatchObject({ title: '另一进程发出的红色指令', level: 'urgent' });
  });

  it('each process re-opens its LISTEN connection after the server cut it', async () => {
    const before = await listeners();
    expect(before).toHaveLength(2); // one per process
    await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(${before}::int[])`.execute(t.deps.db);
    await vi.waitFor(
      async () => {
        const now = await listeners();
        expect(now).toHaveLength(2);
        expect(now.some((pid) => before.includes(pid))).toBe(false);
      },
      { timeout: 20_000, interval: 200 },
    );
    expect(await deliveredAcross('连接恢复后的通知')).toMatchObject({ title: '连接恢复后的通知' });
  });

  it('a notification created while the other process was not listening reaches its streams once it listens again', async () => {
    const cutListeners = async () => {
      const before = await listeners();
      expect(before).toHaveLength(2);
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = ANY(${before}::int[])`.execute(t.deps.db);
      // both gone: the announcement below is heard by nobody (a listener comes back after a 1 s pause)
      await vi.waitFor(async () => expect((await listeners()).filter((pid) => before.includes(pid))).toEqual([]), { timeout: 10_000, interval: 10 });
      expect(await listeners()).toEqual([]);
    };
    expect(await deliveredAcross('断线期间发出的通知', cutListeners)).toMatchObject({ title: '断线期间发出的通知', level: 'urgent' });
    // and the channel works live again afterwards
    expect(await deliveredAcross('恢复之后的通知')).toMatchObject({ title: '恢复之后的通知' });
  });
});
