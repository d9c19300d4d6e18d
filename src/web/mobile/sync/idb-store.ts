// The outbox in IndexedDB (through idb): what the worker collected survives closing the app, a reload and a dead
// battery. One database per phone profile (`fq-field`), with the outbox, the photos, a short history of what was
// sent, and a key-value store for the offline pack, the tasks and the signed-in worker.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { byCreated, HISTORY_LIMIT, type AckResult, type FieldErr, type Op, type OutboxEntry, type OutboxStore, type PhotoEntry, type SentEntry } from './engine.js';

export const DB_NAME = 'fq-field';
export const DB_VERSION = 1;

export interface FieldDB extends DBSchema {
  outbox: { key: string; value: OutboxEntry };
  photos: { key: string; value: PhotoEntry; indexes: { byClient: string } };
  sent: { key: string; value: SentEntry; indexes: { bySentAt: string } };
  kv: { key: string; value: unknown };
}

export type FieldDb = IDBPDatabase<FieldDB>;

export function openFieldDb(name = DB_NAME): Promise<FieldDb> {
  return openDB<FieldDB>(name, DB_VERSION, {
    upgrade(db) {
      db.createObjectStore('outbox', { keyPath: 'clientId' });
      db.createObjectStore('photos', { keyPath: 'id' }).createIndex('byClient', 'clientId');
      db.createObjectStore('sent', { keyPath: 'clientId' }).createIndex('bySentAt', 'sentAt');
      db.createObjectStore('kv');
    },
  });
}

export class IdbStore implements OutboxStore {
  constructor(private readonly db: FieldDb) {}

  async listOutbox(): Promise<OutboxEntry[]> {
    return (await this.db.getAll('outbox')).sort(byCreated);
  }

  get(clientId: string): Promise<OutboxEntry | undefined> {
    return this.db.get('outbox', clientId);
  }

  getPhoto(id: string): Promise<PhotoEntry | undefined> {
    return this.db.get('photos', id);
  }

  async markPhotoUploaded(id: string): Promise<void> {
    const tx = this.db.transaction('photos', 'readwrite');
    const p = await tx.store.get(id);
    if (p) await tx.store.put({ ...p, uploaded: true, error: undefined });
    await tx.done;
  }

  async markPhotoFailed(id: string, message: string): Promise<void> {
    const tx = this.db.transaction('photos', 'readwrite');
    const p = await tx.store.get(id);
    if (p && !p.uploaded) await tx.store.put({ ...p, error: message });
    await tx.done;
  }

  async noteAttempt(clientIds: string[]): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite');
    for (const id of clientIds) {
      const e = await tx.store.get(id);
      if (e) await tx.store.put({ ...e, attempts: e.attempts + 1 });
    }
    await tx.done;
  }

  async acknowledge(clientId: string, result: AckResult, sentAt: string): Promise<void> {
    const tx = this.db.transaction(['outbox', 'photos', 'sent'], 'readwrite');
    const outbox = tx.objectStore('outbox');
    const e = await outbox.get(clientId);
    if (e) {
      await outbox.delete(clientId);
      const photos = tx.objectStore('photos');
      for (const key of await photos.index('byClient').getAllKeys(clientId)) await photos.delete(key);
      const sent = tx.objectStore('sent');
      await sent.put({ clientId, title: e.title, kind: e.op.op, result, addressId: e.op.addressId, sentAt });
      let extra = (await sent.count()) - HISTORY_LIMIT;
      if (extra > 0) {
        let cursor = await sent.index('bySentAt').openCursor();
        while (cursor && extra > 0) {
          await cursor.delete();
          extra--;
          cursor = await cursor.continue();
        }
      }
    }
    await tx.done;
  }

  async reject(clientId: string, rev: number, errors: FieldErr[], at: string): Promise<void> {
    const tx = this.db.transaction('outbox', 'readwrite');
    const e = await tx.store.get(clientId);
    if (e && e.rev === rev) await tx.store.put({ ...e, status: 'rejected', errors, updatedAt: at });
    await tx.done;
  }

  async enqueue(entry: OutboxEntry, photos: PhotoEntry[]): Promise<void> {
    const tx = this.db.transaction(['outbox', 'photos'], 'readwrite');
    if (!(await tx.objectStore('outbox').get(entry.clientId))) {
      for (const p of photos) await tx.objectStore('photos').put(p);
      await tx.objectStore('outbox').put(entry);
    }
    await tx.done;
  }

  async resend(clientId: string, op: Op, title: string, photos: PhotoEntry[]): Promise<OutboxEntry | undefined> {
    const tx = this.db.transaction(['outbox', 'photos'], 'readwrite');
    const outbox = tx.objectStore('outbox');
    const e = await outbox.get(clientId);
    let next: OutboxEntry | undefined;
    if (e) {
      const store = tx.objectStore('photos');
      for (const p of photos) await store.put(p);
      const keep = new Set(op.op === 'item' ? (op.photoIds ?? []) : []);
      for (const key of await store.index('byClient').getAllKeys(clientId)) if (!keep.has(key)) await store.delete(key);
      next = { ...e, op, title, status: 'pending', errors: [], rev: e.rev + 1, updatedAt: new Date().toISOString() };
      await outbox.put(next);
    }
    await tx.done;
    return next;
  }

  async remove(clientId: string): Promise<void> {
    const tx = this.db.transaction(['outbox', 'photos'], 'readwrite');
    await tx.objectStore('outbox').delete(clientId);
    const photos = tx.objectStore('photos');
    for (const key of await photos.index('byClient').getAllKeys(clientId)) await photos.delete(key);
    await tx.done;
  }

  async history(): Promise<SentEntry[]> {
    return (await this.db.getAllFromIndex('sent', 'bySentAt')).reverse();
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['outbox', 'photos', 'sent', 'kv'], 'readwrite');
    await Promise.all([tx.objectStore('outbox').clear(), tx.objectStore('photos').clear(), tx.objectStore('sent').clear(), tx.objectStore('kv').clear()]);
    await tx.done;
  }
}
