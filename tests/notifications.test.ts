import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddressInfo } from 'node:net';
import { createTestApp, type TestApp } from './support/app.js';
import { notificationBus, notifyStaff } from '../src/server/platform/notify/notifications.js';

/** Console notifications: the list, read / read-all, and the server-sent events stream on a real socket. */
let t: TestApp;
let base: string;
const tok: Record<string, string> = {};
const uid: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  for (const n of ['chief', 'officer', 'squad']) {
    tok[n] = await t.login(n);
    uid[n] = (await t.deps.db.selectFrom('users').select('id').where('username', '=', n).executeTakeFirstOrThrow()).id;
  }
});
afterAll(() => t.close());

/** Reads a text/event-stream until `until` matches what arrived, returning the text so far. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, seen: { text: string }, until: (text: string) => boolean) {
  const dec = new TextDecoder();
  while (!until(seen.text)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended: ${seen.text}`);
    seen.text += dec.decode(value, { stream: true });
  }
  return seen.text;
}

const events = (text: string) =>
  text
    .split('\n\n')
    .filter((block) => block.includes('event: notification'))
    .map((block) => JSON.parse(block.split('\n').find((l) => l.startsWith('data: '))!.slice(6)));

describe('the notification stream', () => {
  it('delivers a notification created after connecting, only to its user', async () => {
    const bus = notificationBus(t.deps);
    const before = bus.listenerCount('notification');
    const chiefAbort = new AbortController();
    const officerAbort = new AbortController();
    const open = (who: string, signal: AbortSignal) =>
      fetch(`${base}/api/v1/notifications/stream`, { headers: { authorization: `Bearer ${tok[who]}`, accept: 'text/event-stream', 'accept-encoding': 'br, gzip' }, signal });
    const chiefRes = await open('chief', chiefAbort.signal);
    const officerRes = await open('officer', officerAbort.signal);
    expect(chiefRes.status).toBe(200);
    expect(chiefRes.headers.get('content-type')).toContain('text/event-stream');
    expect(chiefRes.headers.get('cache-control')).toContain('no-cache');
    expect(chiefRes.headers.get('x-accel-buffering')).toBe('no');
    expect(chiefRes.headers.get('content-encoding')).toBeNull(); // never buffered by compression
    const chief = chiefRes.body!.getReader();
    const officer = officerRes.body!.getReader();
    const cs = { text: '' };
    const os = { text: '' };
    await readUntil(chief, cs, (x) => x.includes(': connected'));
    await readUntil(officer, os, (x) => x.includes(': connected'));
    expect(bus.listenerCount('notification')).toBe(before + 2);

    await notifyStaff(t.deps, { userIds: [uid.chief!] }, { kind: 'test', level: 'urgent', title: '给所长的通知', body: '正文', link: '/command/directive-inbox' });
    await notifyStaff(t.deps, { userIds: [uid.officer!] }, { kind: 'test', title: '给民警的通知' });
    await readUntil(chief, cs, (x) => events(x).length >= 1);
    await readUntil(officer, os, (x) => events(x).length >= 1);
    const [c] = events(cs.text);
    expect(c).toMatchObject({ title: '给所长的通知', level: 'urgent', body: '正文', link: '/command/directive-inbox', readAt: null });
    expect(c.id).toMatch(/^[0-9a-f-]{36}$/);
    // the officer's first event is the officer's own: the chief's never reached this stream
    expect(events(os.text)[0]).toMatchObject({ title: '给民警的通知', level: 'normal' });
    expect(os.text).not.toContain('给所长的通知');

    chiefAbort.abort();
    officerAbort.abort();
    // the server lets go of the listeners once the connections are gone
    await vi.waitFor(() => expect(bus.listenerCount('notification')).toBe(before), { timeout: 10_000, interval: 20 });
  });

  it('needs a signed-in staff member and an event-stream request', async () => {
    expect((await fetch(`${base}/api/v1/notifications/stream`, { headers: { accept: 'text/event-stream' } })).status).toBe(401);
    const plain = await t.call(tok.chief, 'GET', '/api/v1/notifications/stream');
    expect(plain.statusCode).toBe(406);
    expect(plain.headers['content-type']).toContain('application/problem+json');
  });
});

describe('the list', () => {
  it('pages the caller’s own notifications, newest first, with the unread count', async () => {
    for (let i = 0; i < 3; i++) await notifyStaff(t.deps, { userIds: [uid.squad!] }, { kind: 'test', level: i === 2 ? 'urgent' : 'normal', title: `警种通知${i}` });
    await notifyStaff(t.deps, { userIds: [uid.chief!] }, { kind: 'test', title: '别人的' });
    const list = (await t.call(tok.squad, 'GET', '/api/v1/notifications?pageSize=2')).json();
    expect(list).toMatchObject({ total: 3, unread: 3, unreadUrgent: 1, page: 1, pageSize: 2 });
    expect(list.items.map((n: { title: string }) => n.title)).toEqual(['警种通知2', '警种通知1']);
  });

  it('marks one read (harmless twice; someone else’s is 404), then all', async () => {
    const list = (await t.call(tok.squad, 'GET', '/api/v1/notifications')).json();
    const first = list.items[0];
    const read = await t.call(tok.squad, 'POST', `/api/v1/notifications/${first.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).toEqual(expect.any(String));
    expect((await t.call(tok.squad, 'POST', `/api/v1/notifications/${first.id}/read`)).json().readAt).toBe(read.json().readAt);
    expect((await t.call(tok.officer, 'POST', `/api/v1/notifications/${first.id}/read`)).statusCode).toBe(404);
    expect((await t.call(tok.squad, 'GET', '/api/v1/notifications?unread=true')).json()).toMatchObject({ total: 2, unread: 2 });
    const all = await t.call(tok.squad, 'POST', '/api/v1/notifications/read-all');
    expect(all.json()).toEqual({ updated: 2, unread: 0 });
    expect((await t.call(tok.squad, 'GET', '/api/v1/notifications?unread=true')).json()).toMatchObject({ total: 0, unread: 0 });
    // the chief's stay unread
    expect((await t.call(tok.chief, 'GET', '/api/v1/notifications')).json().unread).toBeGreaterThan(0);
  });
});
