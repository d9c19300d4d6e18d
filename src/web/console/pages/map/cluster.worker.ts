/// <reference lib="webworker" />
// Clusters the incident points off the main thread: the index is built once per data load (100,000 points take a
// few hundred milliseconds, enough to stall panning if done on the page), then each moveend/zoomend asks for the
// clusters of the visible box. Answers are packed into a Float64Array: [lng, lat, count, id] per item, where a
// cluster (count ≥ 2) carries its cluster id and a single point (count = 1) its index in the layer's arrays.
import Supercluster, { type ClusterProperties, type PointFeature } from 'supercluster';
import type { ClusterRequest, ClusterResponse } from './clusterProtocol';

interface PointProps {
  i: number;
}

let index: Supercluster<PointProps> | null = null;
let loadedSeq = -1;

const post = (msg: ClusterResponse, transfer: Transferable[] = []) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

self.onmessage = (ev: MessageEvent<ClusterRequest>) => {
  const m = ev.data;
  if (m.type === 'load') {
    const t0 = performance.now();
    const n = m.lat.length;
    const features: Array<PointFeature<PointProps>> = new Array(n);
    for (let i = 0; i < n; i++) features[i] = { type: 'Feature', properties: { i }, geometry: { type: 'Point', coordinates: [m.lng[i], m.lat[i]] } };
    index = new Supercluster<PointProps>({ radius: 72, maxZoom: 17, minPoints: 3 }).load(features);
    loadedSeq = m.seq;
    post({ type: 'loaded', seq: m.seq, points: n, ms: performance.now() - t0 });
    return;
  }
  if (m.type === 'clusters') {
    if (!index || m.seq !== loadedSeq) return post({ type: 'clusters', seq: m.seq, req: m.req, ms: 0, data: new Float64Array(0) });
    const t0 = performance.now();
    const items = index.getClusters(m.bbox, m.zoom);
    const data = new Float64Array(items.length * 4);
    items.forEach((f, k) => {
      const [lng, lat] = f.geometry.coordinates;
      const props = f.properties as Partial<ClusterProperties> & Partial<PointProps>;
      data[k * 4] = lng;
      data[k * 4 + 1] = lat;
      data[k * 4 + 2] = props.cluster ? props.point_count! : 1;
      data[k * 4 + 3] = props.cluster ? props.cluster_id! : props.i!;
    });
    post({ type: 'clusters', seq: m.seq, req: m.req, ms: performance.now() - t0, data }, [data.buffer]);
    return;
  }
  if (m.type === 'expand') {
    let zoom = 18;
    try {
      if (index && m.seq === loadedSeq) zoom = index.getClusterExpansionZoom(m.clusterId);
    } catch {
      // a cluster id of an older index: zoom in one step
      zoom = -1;
    }
    post({ type: 'expand', seq: m.seq, req: m.req, zoom });
  }
};
