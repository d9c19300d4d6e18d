// One address's record (一标三实): at once from the offline pack, then, when online, the live record from the
// server (audited there as a read of personal data), which also brings the last check, open tasks and pending
// changes. Live records are kept for the session so the change forms see the versions the worker saw.
import { useEffect, useState } from 'react';
import { get, isApiError, type AddressRecord, type Pack } from '../api';
import { packIndex, useApp } from './app';

export interface RecordView {
  record: AddressRecord | null;
  live: boolean;
  loading: boolean;
  error: unknown;
  notFound: boolean;
  reload: () => void;
}

const liveById = new Map<string, AddressRecord>();
const idByToken = new Map<string, string>();

/** The record as the pack knows it (no checks' names, children from the pack, tasks from the downloaded list). */
export function recordFromPack(pack: Pack, addressId: string): AddressRecord | null {
  const idx = packIndex(pack);
  const a = idx.byId.get(addressId);
  if (!a) return null;
  const r = pack.records?.[addressId];
  const grid = pack.grids.find((g) => g.id === a.gridId);
  return {
    address: { id: a.id, code: a.code, fullText: a.fullText, level: a.level, gridId: a.gridId, gridName: grid?.name ?? null, lng: a.lng, lat: a.lat, status: 'active' },
    checks: r?.checkedAt ? { lastCheckedAt: r.checkedAt, lastCheckedByName: null, count: 0 } : null,
    housing: r?.housing ?? null,
    residents: r?.residents ?? [],
    units: r?.units ?? [],
    children: (idx.children.get(a.id) ?? []).slice(0, 200).map((c) => ({ id: c.id, name: c.fullText.slice(a.fullText.length) || c.fullText, level: c.level, fullText: c.fullText })),
    openTasks: [],
    pendingChanges: 0,
  };
}

export function cachedRecord(addressId: string): AddressRecord | undefined {
  return liveById.get(addressId);
}

export function useRecord(by: { id?: string; token?: string }): RecordView {
  const pack = useApp((s) => s.pack);
  const online = useApp((s) => s.online);
  const idx = pack ? packIndex(pack) : null;
  const addressId = by.id ?? (by.token ? (idx?.byToken.get(by.token)?.id ?? idByToken.get(by.token)) : undefined);
  const fromPack = pack && addressId ? recordFromPack(pack, addressId) : null;
  const [live, setLive] = useState<AddressRecord | null>(addressId ? (liveById.get(addressId) ?? null) : null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [missing, setMissing] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!online) return;
    let alive = true;
    setLoading(true);
    setError(null);
    const path = by.token ? `/field/plates/${encodeURIComponent(by.token)}/record` : `/field/addresses/${encodeURIComponent(by.id ?? '')}/record`;
    get<AddressRecord>(path)
      .then((r) => {
        if (!alive) return;
        liveById.set(r.address.id, r);
        if (by.token) idByToken.set(by.token, r.address.id);
        setLive(r);
        setMissing(false);
      })
      .catch((err: unknown) => {
        if (!alive) return;
        if (isApiError(err) && err.status === 404) setMissing(true);
        else setError(err);
      })
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [by.id, by.token, online, attempt]);

  const record = live && live.address.id === (addressId ?? live.address.id) ? live : fromPack;
  return {
    record,
    live: !!live && record === live,
    loading: loading && !record,
    error: record ? null : error,
    notFound: !record && (missing || (!online && !loading)),
    reload: () => setAttempt((a) => a + 1),
  };
}
