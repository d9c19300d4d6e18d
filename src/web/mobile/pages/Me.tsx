// 我的: who is signed in, this month's assessment figures, my items and changes, what the phone stores, sign-out
// (warned plainly when something is not yet sent: signing out clears the phone).
import { useEffect, useState } from 'react';
import { Button } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { get, type WorkerFigures } from '../api';
import { logout, packIndex, pendingCount, rejectedCount, useApp } from '../data/app';
import { kvGet, kvSet } from '../data/local';
import { Card, RowLink, Screen } from '../components/ui';
import { confirmDialog, fmtBytes, fmtShort, pct } from '../lib/util';
import { S } from '../strings';

const M = S.me;

function useStorage() {
  const [info, setInfo] = useState<{ used: number; quota: number; persisted: boolean } | null>(null);
  useEffect(() => {
    const st = navigator.storage;
    if (!st?.estimate) return;
    void (async () => {
      const est = await st.estimate();
      let persisted = (await st.persisted?.()) ?? false;
      if (!persisted) persisted = (await st.persist?.().catch(() => false)) ?? false;
      setInfo({ used: est.usage ?? 0, quota: est.quota ?? 0, persisted });
    })();
  }, []);
  return info;
}

function useFigures(online: boolean) {
  const [figures, setFigures] = useState<WorkerFigures | null>(null);
  const [at, setAt] = useState<string | null>(null);
  useEffect(() => {
    void kvGet<{ figures: WorkerFigures; at: string }>('assessment').then((c) => {
      if (c) {
        setFigures((f) => f ?? c.figures);
        setAt((a) => a ?? c.at);
      }
    });
    if (!online) return;
    get<WorkerFigures>('/field/me/assessment')
      .then((f) => {
        const now = new Date().toISOString();
        setFigures(f);
        setAt(now);
        void kvSet('assessment', { figures: f, at: now });
      })
      .catch(() => undefined);
  }, [online]);
  return { figures, at };
}

export default function Me() {
  const navigate = useNavigate();
  const me = useApp((s) => s.me);
  const online = useApp((s) => s.online);
  const pack = useApp((s) => s.pack);
  const tasks = useApp((s) => s.tasks);
  const unsent = useApp((s) => pendingCount(s) + rejectedCount(s));
  const storage = useStorage();
  const { figures, at } = useFigures(online);
  const idx = pack ? packIndex(pack) : null;

  const signOut = async () => {
    const ok = await confirmDialog({
      title: M.signOut,
      content: unsent > 0 ? M.signOutUnsent(unsent) : M.signOutConfirm,
      confirmText: unsent > 0 ? M.signOutAnyway : M.signOut,
      cancelText: S.cancel,
    });
    if (ok) await logout();
  };

  const stat = (key: string, value: unknown, rate = false) => (
    <div className="fq-stat" key={key}>
      <strong>{rate ? pct(value) : typeof value === 'number' ? value : '—'}</strong>
      <span>{M.figures[key]}</span>
    </div>
  );

  return (
    <Screen title={M.title} tabs testId="me-page">
      <Card>
        <div className="fq-person-name">{me?.displayName}</div>
        <div className="fq-small fq-muted">
          {me?.username} · {me?.roles.map((r) => r.name).join('、')}
        </div>
        <div className="fq-small fq-muted">
          {M.grid}：{me?.orgUnit?.name ?? S.none}
        </div>
      </Card>

      <Card title={M.assessment} extra={at ? <span className="fq-small fq-muted">{fmtShort(at)}</span> : null} testId="me-assessment">
        {figures ? (
          <div className="fq-stats">
            {stat('score', figures.score)}
            {stat('tasksDue', figures.tasksDue)}
            {stat('onTimeRate', figures.onTimeRate, true)}
            {stat('itemsCollected', figures.itemsCollected)}
            {stat('recordsVerified', figures.recordsVerified)}
            {stat('timelyRate', figures.timelyRate, true)}
            {stat('tasksOnTime', figures.tasksOnTime)}
            {stat('returned', figures.returned)}
          </div>
        ) : (
          <p className="fq-small fq-muted">{online ? S.loading : M.offline}</p>
        )}
      </Card>

      <Card>
        <RowLink onClick={() => navigate('/me/items')} title={M.items} testId="me-items" />
        <RowLink onClick={() => navigate('/me/changes')} title={M.changes} testId="me-changes" />
        {me?.permissions.includes('patrol.record') ? <RowLink onClick={() => navigate('/patrol')} title={S.patrol.entry} sub={S.patrol.entrySub} testId="me-patrol" /> : null}
        <RowLink onClick={() => navigate('/outbox')} title={S.outbox.title} sub={unsent ? S.sync.pending(unsent) : S.sync.allSent} />
      </Card>

      <Card title={M.storage} testId="me-storage">
        <p className="fq-small">{M.storageCounts(pack?.addresses.length ?? 0, idx?.residents ?? 0, tasks.length)}</p>
        {pack ? <p className="fq-small fq-muted">{S.sync.packAt(fmtShort(pack.generatedAt))}</p> : null}
        {storage ? (
          <>
            <p className="fq-small fq-muted">{M.storageUsed(fmtBytes(storage.used), fmtBytes(storage.quota))}</p>
            <p className="fq-small fq-muted">{storage.persisted ? M.persisted : M.notPersisted}</p>
          </>
        ) : null}
      </Card>

      <Button block color="danger" fill="outline" size="large" onClick={() => void signOut()} data-testid="signout">
        {M.signOut}
      </Button>
    </Screen>
  );
}
