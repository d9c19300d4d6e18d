// 任务: my open tasks (downloaded, so offline too), by due date, overdue in red, grouped by period. Tapping one
// opens the form at its address with the template's item type and the task preselected.
import { useMemo } from 'react';
import { Button, PullToRefresh } from 'antd-mobile';
import { useNavigate } from 'react-router';
import type { Task } from '../api';
import { packIndex, refreshData, useApp } from '../data/app';
import { Card, EmptyState, Screen, Tag } from '../components/ui';
import { fmtShort, shortAddress, todayCst, toast } from '../lib/util';
import { S } from '../strings';

const T = S.tasks;

export function taskAddress(t: Task): { id: string | null; text: string | null } {
  return { id: t.addressId ?? t.address?.id ?? null, text: t.addressText ?? t.address?.fullText ?? null };
}

export function taskLink(t: Task): string {
  const a = taskAddress(t);
  const q = `type=${encodeURIComponent(t.itemTypeCode)}&task=${encodeURIComponent(t.id)}`;
  return a.id ? `/a/${a.id}/item?${q}` : `/item?${q}`;
}

export function DueTag(props: { due: string; done?: boolean }) {
  const today = todayCst();
  const overdue = !props.done && props.due < today;
  const isToday = props.due === today;
  return (
    <span className={`fq-due${overdue ? ' is-overdue' : isToday ? ' is-today' : ''}`} data-testid={overdue ? 'overdue' : undefined}>
      {overdue ? `${T.overdue} · ${props.due.slice(5)}` : isToday ? T.dueToday : T.due(props.due.slice(5))}
    </span>
  );
}

export default function Tasks() {
  const navigate = useNavigate();
  const tasks = useApp((s) => s.tasks);
  const tasksAt = useApp((s) => s.tasksAt);
  const pack = useApp((s) => s.pack);
  const online = useApp((s) => s.online);
  const loading = useApp((s) => s.packLoading);
  const outbox = useApp((s) => s.outbox);
  const history = useApp((s) => s.history);
  const me = useApp((s) => s.me);
  const memoryOnly = useApp((s) => s.memoryOnly);

  // tasks already served by something collected here (sent after the list was downloaded, or still waiting)
  const served = useMemo(() => {
    const ids = new Set<string>();
    for (const e of outbox) if (e.op.op === 'item' && e.op.taskId) ids.add(e.op.taskId);
    for (const h of history) {
      if (tasksAt && h.sentAt < tasksAt) continue;
      if (h.result.kind === 'item') for (const id of h.result.tasksDone) ids.add(id);
    }
    return ids;
  }, [outbox, history, tasksAt]);

  const groups = useMemo(() => {
    const sorted = [...tasks].sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : a.title.localeCompare(b.title, 'zh')));
    const map = new Map<string, Task[]>();
    for (const t of sorted) {
      const key = t.period ?? t.dueDate.slice(0, 7);
      const list = map.get(key) ?? [];
      list.push(t);
      map.set(key, list);
    }
    return [...map.entries()];
  }, [tasks]);

  const index = pack ? packIndex(pack) : null;
  const refresh = async () => {
    const r = await refreshData();
    toast(r.ok ? S.sync.packUpdated : S.sync.packFailed);
  };

  return (
    <Screen title={T.title} tabs testId="tasks-page">
      <PullToRefresh onRefresh={refresh} disabled={!online}>
        <div className="fq-row fq-pad-x">
          <span className="fq-small fq-muted">
            {me?.displayName} · {tasks.length ? T.count(tasks.length) : T.empty}
            {!online && tasksAt ? ` · ${T.offlineCopy}` : ''}
          </span>
          <span className="fq-small fq-muted">{tasksAt ? fmtShort(tasksAt) : ''}</span>
        </div>
        {memoryOnly ? (
          <div className="fq-notice is-error" role="alert">
            {S.sync.memoryOnly}
          </div>
        ) : null}
        {!pack && !loading ? (
          <div className="fq-notice is-warn" role="status">
            <span>{S.sync.noPack}</span>
            <Button size="small" color="warning" disabled={!online} onClick={() => void refresh()}>
              {S.sync.updatePack}
            </Button>
          </div>
        ) : null}
        {groups.length === 0 ? (
          <EmptyState title={T.empty} hint={T.emptyHint} testId="tasks-empty" />
        ) : (
          groups.map(([period, list]) => (
            <div key={period}>
              <h3 className="fq-group-title">{T.period(period)}</h3>
              <Card>
                {list.map((t) => {
                  const a = taskAddress(t);
                  const text = a.text ?? (a.id ? index?.byId.get(a.id)?.fullText : null) ?? T.noAddress;
                  const type = pack?.itemTypes.find((x) => x.code === t.itemTypeCode);
                  return (
                    <button key={t.id} type="button" className="fq-rowlink" onClick={() => navigate(taskLink(t))} data-testid="task-row">
                      <span className="fq-rowlink-text">
                        <span className="fq-rowlink-title">{t.title}</span>
                        <span className="fq-rowlink-sub">{a.text || a.id ? shortAddress(text) : text}</span>
                        <span>
                          {type ? <Tag tone="grey">{type.name}</Tag> : null}
                          {served.has(t.id) ? <Tag tone="green">{T.pendingLocal}</Tag> : null}
                          {t.workerId === null ? <Tag tone="orange">{T.unassigned}</Tag> : null}
                        </span>
                      </span>
                      <DueTag due={t.dueDate} />
                    </button>
                  );
                })}
              </Card>
            </div>
          ))
        )}
      </PullToRefresh>
    </Screen>
  );
}
