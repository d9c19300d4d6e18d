// 巡逻打卡: the station's patrol plan of the week (nearest place first once the phone has a position), start a
// patrol, check in with the phone's position, end it. Check-ins go straight to the server (no offline queue): a
// check-in keeps its clientId until the server has it, so sending it again never counts twice.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'antd-mobile';
import { get, isApiError, post } from '../api';
import { useApp } from '../data/app';
import { Card, EmptyState, ErrorState, Loading, Screen, Tag } from '../components/ui';
import { confirmDialog, fmtShort, newClientId, toast } from '../lib/util';
import { S } from '../strings';

const P = S.patrol;

type Mode = 'patrol' | 'volunteer' | 'video';

interface PlanItem {
  id: string;
  mode: Mode;
  label: string;
  hoursText: string;
  reason: string;
  lat: number;
  lng: number;
  distanceM: number | null;
  team: { id: string; name: string } | null;
}

interface Checkin {
  id: string;
  at: string;
  outsideArea: boolean;
}

interface Patrol {
  id: string;
  mode: Mode;
  startedAt: string;
  endedAt: string | null;
  planItem: { id: string; label: string | null } | null;
  checkins: Checkin[];
  checkinCount: number;
}

interface Mine {
  patrol: Patrol | null;
  plan: { id: string; unit: { id: string; name: string }; weekStart: string; weekEnd: string } | null;
  items: PlanItem[];
  recent: Patrol[];
}

type Fix = { lat: number; lng: number };

/** The phone's position, or null when it cannot be had. */
function locate(): Promise<Fix | null> {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: Math.round(p.coords.latitude * 1e6) / 1e6, lng: Math.round(p.coords.longitude * 1e6) / 1e6 }),
      () => resolve(null),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    );
  });
}

const TONE: Record<Mode, 'blue' | 'green' | 'orange'> = { patrol: 'orange', volunteer: 'green', video: 'blue' };

export default function PatrolPage() {
  const online = useApp((s) => s.online);
  const [data, setData] = useState<Mine | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fix, setFix] = useState<Fix | null | undefined>(undefined);
  const [mode, setMode] = useState<Mode>('patrol');
  const [itemId, setItemId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The clientId of a check-in the server has not confirmed yet (sent again as is). */
  const [pendingCheckin, setPendingCheckin] = useState<{ clientId: string; at: string; fix: Fix } | null>(null);

  const load = useCallback(async (at?: Fix | null) => {
    try {
      setError(null);
      setData(await get<Mine>('/patrols/mine', at ? { lat: at.lat, lng: at.lng } : undefined));
    } catch (e) {
      setError(e);
    }
  }, []);

  useEffect(() => {
    if (!online) return;
    void load();
    void locate().then((f) => {
      setFix(f);
      if (f) void load(f);
    });
  }, [online, load]);

  const start = async () => {
    setBusy(true);
    try {
      await post('/patrols', { mode, ...(itemId ? { planItemId: itemId } : {}) });
      setItemId(null);
      toast(P.started, 'success');
      await load(fix);
    } catch (e) {
      toast(isApiError(e) ? e.message : S.networkError, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const checkin = async (patrol: Patrol) => {
    setBusy(true);
    try {
      let attempt = pendingCheckin;
      if (!attempt) {
        const f = await locate();
        if (!f) {
          toast(P.needFix, 'fail');
          return;
        }
        attempt = { clientId: newClientId(), at: new Date().toISOString(), fix: f };
        setPendingCheckin(attempt);
      }
      const c = await post<Checkin & { duplicate: boolean }>(`/patrols/${patrol.id}/checkins`, { clientId: attempt.clientId, at: attempt.at, lat: attempt.fix.lat, lng: attempt.fix.lng });
      setPendingCheckin(null);
      toast(c.outsideArea ? P.checkedInOutside : P.checkedIn, 'success');
      await load(attempt.fix);
    } catch (e) {
      // a network failure keeps the attempt (same clientId) for the retry; a refusal drops it
      if (isApiError(e) && !e.isNetwork) setPendingCheckin(null);
      toast(isApiError(e) ? e.message : S.networkError, 'fail');
    } finally {
      setBusy(false);
    }
  };

  const end = async (patrol: Patrol) => {
    const ok = await confirmDialog({ title: P.end, content: P.endConfirm, confirmText: P.end, cancelText: S.cancel });
    if (!ok) return;
    setBusy(true);
    try {
      await post(`/patrols/${patrol.id}/end`, {});
      setPendingCheckin(null);
      toast(P.ended, 'success');
      await load(fix);
    } catch (e) {
      toast(isApiError(e) ? e.message : S.networkError, 'fail');
    } finally {
      setBusy(false);
    }
  };

  if (!online) {
    return (
      <Screen title={P.title} back="/me" testId="patrol-page">
        <EmptyState title={P.offline} hint={P.offlineHint} testId="patrol-offline" />
      </Screen>
    );
  }

  const patrol = data?.patrol ?? null;
  return (
    <Screen title={P.title} back="/me" testId="patrol-page">
      {error ? (
        <ErrorState error={error} onRetry={() => void load(fix)} />
      ) : !data ? (
        <Loading />
      ) : patrol ? (
        <Card title={P.open} extra={<Tag tone={TONE[patrol.mode]}>{P.modes[patrol.mode]}</Tag>} testId="patrol-open">
          <div className="fq-small">{P.startedAt(fmtShort(patrol.startedAt))}</div>
          <div className="fq-small fq-muted">
            {P.item}：{patrol.planItem?.label ?? P.noItem}
          </div>
          <div className="fq-small" style={{ margin: '8px 0' }} data-testid="patrol-checkin-count">
            {P.checkins(patrol.checkins.length)}
          </div>
          {patrol.checkins
            .slice(-5)
            .reverse()
            .map((c) => (
              <div key={c.id} className="fq-small fq-muted">
                {fmtShort(c.at)} {c.outsideArea ? <Tag tone="red">{P.outside}</Tag> : null}
              </div>
            ))}
          <Button block color="primary" size="large" loading={busy} onClick={() => void checkin(patrol)} style={{ marginTop: 12 }} data-testid="patrol-checkin">
            {pendingCheckin ? P.retryCheckin : P.checkin}
          </Button>
          <Button block fill="outline" color="danger" disabled={busy} onClick={() => void end(patrol)} style={{ marginTop: 8 }} data-testid="patrol-end">
            {P.end}
          </Button>
        </Card>
      ) : (
        <>
          <Card title={P.mode}>
            <div className="fq-segment">
              {(['patrol', 'volunteer'] as const).map((m) => (
                <button key={m} type="button" className={m === mode ? 'is-active' : ''} onClick={() => setMode(m)} data-testid={`patrol-mode-${m}`}>
                  {P.modes[m]}
                </button>
              ))}
            </div>
            <Button block color="primary" size="large" loading={busy} onClick={() => void start()} data-testid="patrol-start">
              {P.start}
            </Button>
          </Card>
          {data.plan ? (
            <Card title={P.plan(data.plan.unit.name, data.plan.weekStart.slice(5), data.plan.weekEnd.slice(5))} testId="patrol-plan">
              <div className="fq-small fq-muted" style={{ marginBottom: 6 }}>
                {fix === undefined ? P.locating : fix === null ? P.noFix : P.pick}
              </div>
              {data.items
                .filter((i) => i.mode !== 'video') // video watch is done at the desk, not on foot
                .map((i) => (
                <button
                  key={i.id}
                  type="button"
                  className="fq-rowlink"
                  onClick={() => {
                    setItemId(itemId === i.id ? null : i.id);
                    if (i.mode !== 'video') setMode(i.mode);
                  }}
                  style={itemId === i.id ? { background: '#e8f1ff' } : undefined}
                  data-testid="patrol-item"
                >
                  <span className="fq-rowlink-text">
                    <span className="fq-rowlink-title">
                      <Tag tone={TONE[i.mode]}>{P.modes[i.mode]}</Tag> {i.label}
                    </span>
                    <span className="fq-rowlink-sub">
                      {i.hoursText}
                      {i.distanceM != null ? ` · ${P.distance(i.distanceM)}` : ''}
                      {i.team ? ` · ${i.team.name}` : ''}
                    </span>
                    {itemId === i.id ? <span className="fq-rowlink-sub">{i.reason}</span> : null}
                  </span>
                  {itemId === i.id ? <span aria-hidden>✓</span> : null}
                </button>
              ))}
            </Card>
          ) : (
            <EmptyState title={P.noPlan} />
          )}
          {data.recent.length ? (
            <Card title={P.recent}>
              {data.recent.map((r) => (
                <div key={r.id} className="fq-small" style={{ padding: '4px 0' }}>
                  <Tag tone={TONE[r.mode]}>{P.modes[r.mode]}</Tag> {fmtShort(r.startedAt)} · {P.checkins(r.checkinCount)}
                  {r.planItem?.label ? ` · ${r.planItem.label}` : ''}
                </div>
              ))}
            </Card>
          ) : null}
        </>
      )}
    </Screen>
  );
}
