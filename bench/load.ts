// Small, bounded load loops and latency statistics for the benchmarks. Nothing here reaches past the
// URL it is given, and every loop stops after a fixed number of requests or a fixed time, whichever is first.

export interface LoadOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Measured requests (after the warm-up). */
  requests: number;
  /** Unmeasured requests sent first, at the same concurrency. */
  warmup?: number;
  /** Hard stop for the measured phase, in seconds. */
  maxSeconds: number;
}

export interface LoadResult {
  concurrency: number;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** True when the time limit, not the request count, ended the run. */
  timeBound: boolean;
}

export type Send = () => Promise<Response>;

/** One unit of work for `runWork`: resolves when done, throws on failure. */
export type Work = () => Promise<void>;

export interface WorkResult extends LoadResult {
  /** Every measured latency in ms, sorted ascending (for pooling several runs into one distribution). */
  latencies: Float64Array;
}

export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Runs `work` `requests` times with `concurrency` workers; a thrown error counts as an error. */
export async function runWork(work: Work, opts: LoadOptions): Promise<WorkResult> {
  const firstError: { message?: string } = {};
  const phase = async (count: number, maxSeconds: number, record: boolean) => {
    const latencies = new Float64Array(count);
    let next = 0;
    let done = 0;
    let errors = 0;
    const deadline = performance.now() + maxSeconds * 1000;
    const worker = async () => {
      for (;;) {
        if (next >= count || performance.now() > deadline) return;
        next++;
        const t0 = performance.now();
        try {
          await work();
        } catch (e) {
          errors++;
          firstError.message ??= (e as Error).message;
        }
        if (record) latencies[done] = performance.now() - t0;
        done++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
    const seconds = (performance.now() - started) / 1000;
    return { latencies: latencies.subarray(0, done), done, errors, seconds, timeBound: done < count };
  };

  if (opts.warmup) await phase(opts.warmup, opts.maxSeconds, false);
  const r = await phase(opts.requests, opts.maxSeconds, true);
  const sorted = Float64Array.from(r.latencies).sort();
  if (r.errors) console.error(`  ! ${r.errors} failed requests (first: ${firstError.message})`);
  return {
    concurrency: opts.concurrency,
    requests: r.done,
    errors: r.errors,
    seconds: r.seconds,
    perSecond: r.done / r.seconds,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length ? sorted[sorted.length - 1] : NaN,
    timeBound: r.timeBound,
    latencies: sorted,
  };
}

/** Runs `send` `requests` times with `concurrency` workers; a non-2xx answer or a thrown error counts as an error. */
export async function runLoad(send: Send, opts: LoadOptions): Promise<WorkResult> {
  return runWork(async () => {
    const res = await send();
    await res.arrayBuffer(); // read the whole body: the client's share of the work is part of the latency
    if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
  }, opts);
}

/** Times `count` sequential calls of `fn` (in-process work), bounded by `maxSeconds`. */
export async function runSequential(fn: (i: number) => Promise<void>, count: number, maxSeconds: number) {
  const latencies: number[] = [];
  const deadline = performance.now() + maxSeconds * 1000;
  const started = performance.now();
  for (let i = 0; i < count && performance.now() <= deadline; i++) {
    const t0 = performance.now();
    await fn(i);
    latencies.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    count: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    timeBound: latencies.length < count,
  };
}
