// The engine's Transport over fetch, with the session cookie. A request that gets no answer throws.
import type { Op, Reply, Transport } from './engine.js';

async function reply(res: Response): Promise<Reply> {
  const type = res.headers.get('content-type') ?? '';
  const body: unknown = /[/+]json\b/i.test(type) ? await res.json().catch(() => null) : null;
  return { status: res.status, body };
}

export function fetchTransport(base = '/api/v1', timeoutMs = 60_000): Transport {
  const send = async (method: string, path: string, body: BodyInit, contentType: string) => {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    try {
      const res = await fetch(`${base}${path}`, {
        method,
        body,
        headers: { 'Content-Type': contentType, Accept: 'application/json', 'Accept-Language': 'zh-CN' },
        credentials: 'same-origin',
        signal: ctrl.signal,
      });
      return await reply(res);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    putPhoto: (id, bytes, type) => send('PUT', `/field/attachments/${encodeURIComponent(id)}`, new Blob([bytes], { type }), type),
    sync: (ops: Op[]) => send('POST', '/field/sync', JSON.stringify({ ops }), 'application/json'),
  };
}
