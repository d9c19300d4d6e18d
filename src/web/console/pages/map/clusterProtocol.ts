// Messages between the map page and cluster.worker.ts, and the page's side of it.

export type ClusterRequest =
  | { type: 'load'; seq: number; lat: Float64Array; lng: Float64Array }
  | { type: 'clusters'; seq: number; req: number; bbox: [number, number, number, number]; zoom: number }
  | { type: 'expand'; seq: number; req: number; clusterId: number };

export type ClusterResponse =
  | { type: 'loaded'; seq: number; points: number; ms: number }
  | { type: 'clusters'; seq: number; req: number; ms: number; data: Float64Array }
  | { type: 'expand'; seq: number; req: number; zoom: number };

/** One cluster or point: a cluster has count ≥ 2 and its cluster id; a point count 1 and its index in the arrays. */
export interface ClusterItem {
  lng: number;
  lat: number;
  count: number;
  id: number;
}

/**
 * The page's handle on the worker: `load` replaces the index (older answers are dropped by their sequence number),
 * `clusters` and `expand` answer with promises.
 */
export class ClusterClient {
  private worker: Worker;
  private seq = 0;
  private req = 0;
  private pending = new Map<number, (m: ClusterResponse) => void>();
  private loaded: Promise<{ points: number; ms: number }> = Promise.resolve({ points: 0, ms: 0 });

  constructor() {
    this.worker = new Worker(new URL('./cluster.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (ev: MessageEvent<ClusterResponse>) => {
      const m = ev.data;
      const key = m.type === 'loaded' ? -m.seq - 1 : m.req;
      const done = this.pending.get(key);
      this.pending.delete(key);
      done?.(m);
    };
  }

  /** Builds the index of these points; resolves with the build time measured in the worker. */
  load(lat: ArrayLike<number>, lng: ArrayLike<number>): Promise<{ points: number; ms: number }> {
    const seq = ++this.seq;
    const la = Float64Array.from(lat);
    const ln = Float64Array.from(lng);
    this.loaded = new Promise((resolve) => {
      this.pending.set(-seq - 1, (m) => resolve(m.type === 'loaded' ? { points: m.points, ms: m.ms } : { points: 0, ms: 0 }));
      this.worker.postMessage({ type: 'load', seq, lat: la, lng: ln } satisfies ClusterRequest, [la.buffer, ln.buffer]);
    });
    return this.loaded;
  }

  async clusters(bbox: [number, number, number, number], zoom: number): Promise<{ items: ClusterItem[]; ms: number; stale: boolean }> {
    const seq = this.seq;
    await this.loaded;
    const req = ++this.req;
    const m = await new Promise<ClusterResponse>((resolve) => {
      this.pending.set(req, resolve);
      this.worker.postMessage({ type: 'clusters', seq, req, bbox, zoom } satisfies ClusterRequest);
    });
    if (m.type !== 'clusters') return { items: [], ms: 0, stale: true };
    const items: ClusterItem[] = [];
    for (let k = 0; k < m.data.length; k += 4) items.push({ lng: m.data[k], lat: m.data[k + 1], count: m.data[k + 2], id: m.data[k + 3] });
    return { items, ms: m.ms, stale: seq !== this.seq };
  }

  async expansionZoom(clusterId: number): Promise<number> {
    const req = ++this.req;
    const m = await new Promise<ClusterResponse>((resolve) => {
      this.pending.set(req, resolve);
      this.worker.postMessage({ type: 'expand', seq: this.seq, req, clusterId } satisfies ClusterRequest);
    });
    return m.type === 'expand' ? m.zoom : -1;
  }

  terminate() {
    this.worker.terminate();
    this.pending.clear();
  }
}
