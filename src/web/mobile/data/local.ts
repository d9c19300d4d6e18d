// What the app keeps on the phone: IndexedDB when the browser offers it (the outbox, the photos, the history, and
// a key-value store for the pack, the tasks and the signed-in worker), else memory (private browsing), which the
// app then says plainly.
import type { OutboxStore } from '../sync/engine';
import { IdbStore, openFieldDb, type FieldDb } from '../sync/idb-store';
import { MemoryStore } from '../sync/memory-store';

interface Local {
  db: FieldDb | null;
  store: OutboxStore;
  kv: Map<string, unknown> | null;
}

let opening: Promise<Local> | null = null;

export function local(): Promise<Local> {
  opening ??= (async () => {
    try {
      if (typeof indexedDB === 'undefined') throw new Error('no IndexedDB');
      const db = await openFieldDb();
      return { db, store: new IdbStore(db), kv: null };
    } catch {
      return { db: null, store: new MemoryStore(), kv: new Map() };
    }
  })();
  return opening;
}

export async function kvGet<T>(key: string): Promise<T | undefined> {
  const l = await local();
  if (l.db) return (await l.db.get('kv', key)) as T | undefined;
  return l.kv!.get(key) as T | undefined;
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  const l = await local();
  if (l.db) await l.db.put('kv', value, key);
  else l.kv!.set(key, value);
}

export async function kvDelete(key: string): Promise<void> {
  const l = await local();
  if (l.db) await l.db.delete('kv', key);
  else l.kv!.delete(key);
}

export async function memoryOnly(): Promise<boolean> {
  return (await local()).db === null;
}

/** Everything the app stored (signing out, or another worker signing in on this phone). */
export async function clearAll(): Promise<void> {
  const l = await local();
  await l.store.clear();
  l.kv?.clear();
}
