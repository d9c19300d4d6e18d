// 我上报的事项: my items, newest first, with the departments they went to, their feedback, and a return reason
// (a returned item may be corrected and sent again).
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { MyItem } from '../api';
import { useApp } from '../data/app';
import { Card, EmptyState, ErrorState, Loading, Screen, Tag } from '../components/ui';
import { More, usePaged } from '../lib/paged';
import { fmtShort, shortAddress } from '../lib/util';
import { S } from '../strings';

const M = S.me;
const STATUSES = ['', 'submitted', 'routed', 'closed', 'returned'];

export default function MyItems() {
  const online = useApp((s) => s.online);
  const pack = useApp((s) => s.pack);
  const navigate = useNavigate();
  const [status, setStatus] = useState('');
  const list = usePaged<MyItem>('/field/me/items', { status: status || undefined }, 20, online);
  const typeName = (code: string) => pack?.itemTypes.find((t) => t.code === code)?.name ?? code;

  return (
    <Screen title={M.items} back="/me" testId="my-items">
      <div className="fq-segment">
        {STATUSES.map((s) => (
          <button key={s} type="button" className={s === status ? 'is-active' : ''} onClick={() => setStatus(s)}>
            {s ? S.status.item[s] : '全部'}
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
        <EmptyState title={M.itemsEmpty} />
      ) : (
        <>
          {list.items.map((it) => {
            const addr = it.addressText ?? it.address?.fullText ?? null;
            return (
              <Card key={it.id} testId="my-item">
                <div className="fq-row">
                  <div className="fq-person-name">{it.typeName ?? typeName(it.typeCode)}</div>
                  <Tag tone={it.status === 'closed' ? 'green' : it.status === 'returned' ? 'red' : it.status === 'routed' ? 'blue' : 'grey'}>{S.status.item[it.status] ?? it.status}</Tag>
                </div>
                {it.summary ? <div className="fq-small">{it.summary}</div> : null}
                <div className="fq-small fq-muted">
                  {fmtShort(it.occurredAt)}
                  {addr ? ` · ${shortAddress(addr)}` : ''}
                </div>
                {(it.dispatches ?? []).map((d, i) => (
                  <div key={d.id ?? i} className="fq-feedback" data-testid="my-item-dispatch">
                    <div>
                      <strong>{d.ownerName ?? d.departmentName ?? d.targetName ?? (d.targetKind === 'officer' ? M.officer : '')}</strong> · {M.dispatchStatus[d.status] ?? d.status}
                      {d.result ? ` · ${M.result[d.result] ?? d.result}` : ''}
                    </div>
                    {d.feedback ? (
                      <div>
                        {M.feedback}：{d.feedback}
                      </div>
                    ) : null}
                    {d.rejectReason ? <div>{d.rejectReason}</div> : null}
                  </div>
                ))}
                {it.status === 'returned' ? (
                  <>
                    {it.returnReason ? <div className="fq-op-errors">{M.returnReason(it.returnReason)}</div> : null}
                    <button
                      type="button"
                      className="fq-mini-btn"
                      style={{ marginTop: 8 }}
                      onClick={() => {
                        const a = it.addressId ?? it.address?.id;
                        navigate(`${a ? `/a/${a}/item` : '/item'}?type=${encodeURIComponent(it.typeCode)}&correctionOf=${it.id}`);
                      }}
                      data-testid="my-item-correct"
                    >
                      {M.correct}
                    </button>
                  </>
                ) : null}
              </Card>
            );
          })}
          <More shown={list.items.length} total={list.total} busy={list.busy} onMore={() => void list.load(list.page + 1)} />
        </>
      )}
    </Screen>
  );
}
