// 我提交的变更: my changes with their status, the officer's note, and conflicts said plainly.
import { useState } from 'react';
import type { MyChange } from '../api';
import { useApp } from '../data/app';
import { Card, EmptyState, ErrorState, Loading, Screen, Tag } from '../components/ui';
import { More, usePaged } from '../lib/paged';
import { fmtShort, shortAddress } from '../lib/util';
import { S } from '../strings';

const M = S.me;
const STATUSES = ['', 'pending', 'conflict', 'applied', 'rejected'];
const show = (v: unknown) => (v === undefined || v === null || v === '' ? '—' : typeof v === 'boolean' ? (v ? S.item.yes : S.item.no) : String(v));

export default function MyChanges() {
  const online = useApp((s) => s.online);
  const [status, setStatus] = useState('');
  const list = usePaged<MyChange>('/field/me/changes', { status: status || undefined }, 20, online);

  return (
    <Screen title={M.changes} back="/me" testId="my-changes">
      <div className="fq-segment">
        {STATUSES.map((s) => (
          <button key={s} type="button" className={s === status ? 'is-active' : ''} onClick={() => setStatus(s)}>
            {s ? S.status.change[s] : '全部'}
          </button>
        ))}
      </div>
      {!online ? (
        <EmptyState title={M.offline} />
      ) : list.error ? (
        <ErrorState error={list.error} onRetry={() => void list.load(1)} />
      ) : list.page === 0 ? (
        <Loading />
      ) : list.items.length === 0 ? (
        <EmptyState title={M.changesEmpty} />
      ) : (
        <>
          {list.items.map((c) => {
            const addr = c.addressText ?? c.address?.fullText ?? null;
            const tone = c.status === 'applied' ? 'green' : c.status === 'pending' ? 'orange' : 'red';
            return (
              <Card key={c.id} testId="my-change">
                <div className="fq-row">
                  <div className="fq-person-name">{c.kindName ?? (S.change as unknown as Record<string, string>)[c.kind] ?? c.kind}</div>
                  <Tag tone={tone}>{S.outbox.changeStatus[c.status] ?? c.status}</Tag>
                </div>
                {c.summary ? <div>{c.summary}</div> : null}
                <div className="fq-small fq-muted">
                  {fmtShort(c.occurredAt)}
                  {addr ? ` · ${shortAddress(addr)}` : ''}
                </div>
                {c.status === 'conflict' || c.conflict ? (
                  <div className="fq-op-errors" data-testid="my-change-conflict">
                    <div>{M.conflict}</div>
                    {(c.conflict?.fields ?? []).map((f) => (
                      <div key={f.field}>
                        {f.label}：{show(f.base)} → 我：{show(f.mine)}，现：{show(f.current)}
                      </div>
                    ))}
                  </div>
                ) : null}
                {c.reviewNote ? <div className="fq-feedback">{M.reviewNote(c.reviewNote)}</div> : null}
              </Card>
            );
          })}
          <More shown={list.items.length} total={list.total} busy={list.busy} onMore={() => void list.load(list.page + 1)} />
        </>
      )}
    </Screen>
  );
}
