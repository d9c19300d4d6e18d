// The outbox in memory: the tests' store, and the app's fallback when the browser offers no IndexedDB (then
// nothing survives a reload, and the app says so).
import { byCreated, HISTORY_LIMIT, type AckResult, type FieldErr, type Op, type OutboxEntry, type OutboxStore, type PhotoEntry, type SentEntry } from './engine.js';

const copy = <T>(v: T): T => structuredClone(v);

export class MemoryStore implements OutboxStore {
  readonly outbox = new Map<string, OutboxEntry>();
  readonly photos = new Map<string, PhotoEntry>();
  readonly sent = new Map<string, SentEntry>();

  async listOutbox(): Promise<OutboxEntry[]> {
    // shallow copies: the engine never changes an entry it reads
    return [...this.outbox.values()].map((e) => ({ ...e })).sort(byCreated);
  }

  async get(clientId: string): Promise<OutboxEntry | undefined> {
    const e = this.outbox.get(clientId);
    return e ? copy(e) : undefined;
  }

  async getPhoto(id: string): Promise<PhotoEntry | undefined> {
    return this.photos.get(id);
  }

  async markPhotoUploaded(id: string): Promise<void> {
    const p = this.photos.get(id);
    if (p) this.photos.set(id, { ...p, uploaded: true, error: undefined });
  }

  async markPhotoFailed(id: string, message: string): Promise<void> {
    const p = this.photos.get(id);
    if (p && !p.uploaded) this.photos.set(id, { ...p, error: message });
  }

  async noteAttempt(clientIds: string[]): Promise<void> {
    for (const id of clientIds) {
      const e = this.outbox.get(id);
      if (e) this.outbox.set(id, { ...e, attempts: e.attempts + 1 });
    }
  }

  async acknowledge(clientId: string, result: AckResult, sentAt: string): Promise<void> {
    const e = this.outbox.get(clientId);
    if (!e) return;
    this.outbox.delete(clientId);
    for (const [id, p] of this.photos) if (p.clientId === clientId) this.photos.delete(id);
    this.sent.set(clientId, { clientId, title: e.title, kind: e.op.op, result: copy(result), addressId: e.op.addressId, sentAt });
    while (this.sent.size > HISTORY_LIMIT) {
      const oldest = [...this.sent.values()].sort((a, b) => (a.sentAt < b.sentAt ? -1 : 1))[0];
      this.sent.delete(oldest.clientId);
    }
  }

  async reject(clientId: string, rev: number, errors: FieldErr[], at: string): Promise<void> {
    const e = this.outbox.get(clientId);
    if (!e || e.rev !== rev) return;
    this.outbox.set(clientId, { ...e, status: 'rejected', errors: copy(errors), updatedAt: at });
  }

  async enqueue(entry: OutboxEntry, photos: PhotoEntry[]): Promise<void> {
    if (this.outbox.has(entry.clientId)) return;
    for (const p of photos) this.photos.set(p.id, p);
    this.outbox.set(entry.clientId, copy(entry));
  }

  async resend(clientId: string, op: Op, title: string, photos: PhotoEntry[]): Promise<OutboxEntry | undefined> {
    const e = this.outbox.get(clientId);
    if (!e) return undefined;
    for (const p of photos) this.photos.set(p.id, p);
    const keep = new Set(op.op === 'item' ? (op.photoIds ?? []) : []);
    for (const [id, p] of this.photos) if (p.clientId === clientId && !keep.has(id)) this.photos.delete(id);
    const next: OutboxEntry = { ...e, op: copy(op), title, status: 'pending', errors: [], rev: e.rev + 1, updatedAt: new Date().toISOString() };
    this.outbox.set(clientId, next);
    return copy(next);
  }

  async remove(clientId: string): Promise<void> {
    this.outbox.delete(clientId);
    for (const [id, p] of this.photos) if (p.clientId === clientId) this.photos.delete(id);
  }

  async history(): Promise<SentEntry[]> {
    return [...this.sent.values()].map(copy).sort((a, b) => (a.sentAt < b.sentAt ? 1 : -1));
  }

  async clear(): Promise<void> {
    this.outbox.clear();
    this.photos.clear();
    this.sent.clear();
  }
}
