// 待发送: what the phone still holds (waiting, or refused by the server with its messages: edit and resend), the
// button that sends now, and the recent answers (a change in conflict said plainly).
import { Button } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { pendingCount, rejectedCount, removeOp, syncNow, useApp } from '../data/app';
import { Card, EmptyState, Screen, Tag } from '../components/ui';
import { confirmDialog, fmtShort, toast } from '../lib/util';
import type { OutboxEntry, SentEntry } from '../sync/engine';
import { S } from '../strings';

const O = S.outbox;

function opWhen(e: OutboxEntry) {
  return fmtShort(e.op.occurredAt);
}

function Waiting(props: { e: OutboxEntry }) {
  const { e } = props;
  const navigate = useNavigate();
  const photos = e.op.op === 'item' ? (e.op.photoIds?.length ?? 0) : 0;
  const rejected = e.status === 'rejected';
  return (
    <div className="fq-person" data-testid={rejected ? 'outbox-rejected' : 'outbox-pending'}>
      <div className="fq-person-text">
        <div className="fq-person-name">{e.title}</div>
        <div className="fq-small fq-muted">
          {opWhen(e)}
          {photos ? ` · ${O.photos(photos)}` : ''}
          {e.attempts > 0 && !rejected ? ` · ${O.attempts(e.attempts)}` : ''}
        </div>
        {rejected ? (
          <>
            <Tag tone="red">{O.rejected}</Tag>
            <ul className="fq-op-errors" data-testid="op-errors">
              {e.errors.map((x) => (
                <li key={`${x.field}:${x.message}`}>{x.message}</li>
              ))}
            </ul>
          </>
        ) : (
          <Tag tone="orange">{O.waiting}</Tag>
        )}
      </div>
      {rejected ? (
        <div className="fq-person-ops">
          <button type="button" className="fq-mini-btn" onClick={() => navigate(`/outbox/${e.clientId}?kind=${e.op.op}`)} data-testid="op-edit">
            {O.edit}
          </button>
          <button
            type="button"
            className="fq-mini-btn is-danger"
            onClick={async () => {
              if (await confirmDialog({ content: O.removeConfirm, confirmText: O.remove, cancelText: S.cancel })) await removeOp(e.clientId);
            }}
          >
            {O.remove}
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function sentStatus(h: SentEntry): { text: string; tone: 'green' | 'orange' | 'red' | 'blue' } {
  const r = h.result;
  if (r.kind === 'change') {
    const tone = r.changeStatus === 'applied' ? 'green' : r.changeStatus === 'conflict' ? 'red' : r.changeStatus === 'rejected' ? 'red' : 'orange';
    return { text: O.changeStatus[r.changeStatus] ?? r.changeStatus, tone };
  }
  const parts = [O.itemStatus[r.itemStatus] ?? r.itemStatus, O.dispatches(r.dispatches), O.tasksDone(r.tasksDone.length)].filter(Boolean);
  return { text: parts.join(' · '), tone: r.itemStatus === 'returned' ? 'red' : 'green' };
}

export default function Outbox() {
  const outbox = useApp((s) => s.outbox);
  const history = useApp((s) => s.history);
  const online = useApp((s) => s.online);
  const syncing = useApp((s) => s.syncing);
  const pending = useApp(pendingCount);
  const rejected = useApp(rejectedCount);
  const report = useApp((s) => s.lastReport);
  const lastSyncAt = useApp((s) => s.lastSyncAt);
  const memoryOnly = useApp((s) => s.memoryOnly);
  const list = [...outbox].sort((a, b) => (a.status === b.status ? (a.createdAt < b.createdAt ? -1 : 1) : a.status === 'rejected' ? -1 : 1));

  const send = async () => {
    const r = await syncNow(true);
    if (r && r.sent > 0) toast(S.sync.sentToast(r.sent), 'success');
    else if (r?.message) toast(r.message);
  };

  return (
    <Screen title={O.title} tabs testId="outbox-page">
      <Card testId="outbox-summary">
        <div className="fq-row">
          <div>
            <div className="fq-strong" data-testid="outbox-state">
              {pending + rejected === 0 ? S.sync.allSent : [pending ? S.sync.pending(pending) : '', rejected ? S.sync.rejected(rejected) : ''].filter(Boolean).join(' · ')}
            </div>
            <div className="fq-small fq-muted">
              {online ? S.sync.online : S.sync.offline}
              {lastSyncAt ? ` · ${S.sync.lastSync(fmtShort(lastSyncAt))}` : ''}
            </div>
          </div>
          <Button color="primary" size="small" disabled={!online || pending === 0} loading={syncing} onClick={() => void send()} data-testid="outbox-send">
            {S.sync.sendNow}
          </Button>
        </div>
        {!online ? <div className="fq-notice is-warn" style={{ margin: '10px 0 0' }}>{S.sync.offlineHint}</div> : null}
        {memoryOnly ? (
          <div className="fq-notice is-error" style={{ margin: '10px 0 0' }} role="alert" data-testid="memory-only">
            {S.sync.memoryOnly}
          </div>
        ) : null}
        {online && report?.message && report.outcome !== 'done' && pending > 0 ? (
          <div className="fq-notice is-warn" style={{ margin: '10px 0 0' }} role="status">
            {report.message}
          </div>
        ) : null}
      </Card>
      {list.length === 0 ? (
        <EmptyState title={O.empty} hint={O.emptyHint} testId="outbox-empty" />
      ) : (
        <Card testId="outbox-list">
          {list.map((e) => (
            <Waiting key={e.clientId} e={e} />
          ))}
        </Card>
      )}
      <Card title={O.history} testId="outbox-history">
        {history.length === 0 ? <p className="fq-small fq-muted">{O.historyEmpty}</p> : null}
        {history.slice(0, 30).map((h) => {
          const st = sentStatus(h);
          return (
            <div key={h.clientId} className="fq-person" data-testid="sent-row">
              <div className="fq-person-text">
                <div className="fq-person-name">{h.title}</div>
                <div className="fq-small fq-muted">
                  {fmtShort(h.sentAt)} · {h.result.status === 'replayed' ? O.replayed : O.created}
                </div>
                <Tag tone={st.tone}>{st.text}</Tag>
              </div>
            </div>
          );
        })}
      </Card>
    </Screen>
  );
}
