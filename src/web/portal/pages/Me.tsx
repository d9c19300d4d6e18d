// /m/me — 我的办理进度: my submissions (申报与求助) and my appointments (预约, with cancel).
import { Button } from 'antd-mobile';
import { confirmDialog, toast } from '../lib/notify';
import { Link, useSearchParams } from 'react-router';
import { isApiError, post, type Appointment, type SubmissionSummary } from '../api';
import { StatusTag } from '../components/status';
import { EmptyState, ErrorState, Loading, Screen } from '../components/ui';
import { fmtDate, fmtDateTime, fmtTime } from '../lib/util';
import { More, usePaged } from '../lib/paged';
import { S } from '../strings';

const PAGE_SIZE = 20;

function Submissions() {
  const { items, total, page, busy, error, load } = usePaged<SubmissionSummary>('/portal/submissions', PAGE_SIZE);
  if (error && !items.length) return <ErrorState error={error} onRetry={() => void load(1)} />;
  if (!page) return <Loading />;
  if (!items.length) return <EmptyState title={S.me.emptySubmissions} hint={S.me.emptyHint} testId="submissions-empty" />;
  return (
    <>
      <ul className="fq-list" data-testid="submissions-list">
        {items.map((s) => (
          <li key={s.id}>
            <Link to={`/me/submissions/${s.id}`} className="fq-list-item" data-testid={`submission-${s.trackingNo}`}>
              <span className="fq-row">
                <span className="fq-strong">{s.kindName}</span>
                <StatusTag status={s.status} name={s.statusName} />
              </span>
              {s.summary ? <span className="fq-small fq-clamp">{s.summary}</span> : null}
              <span className="fq-small fq-muted">{s.address}</span>
              <span className="fq-small fq-muted">
                {s.trackingNo} · {fmtDateTime(s.submittedAt)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <More shown={items.length} total={total} busy={busy} onMore={() => void load(page + 1)} />
    </>
  );
}

function Appointments() {
  const { items, setItems, total, page, busy, error, load } = usePaged<Appointment>('/portal/appointments', PAGE_SIZE);
  async function cancel(a: Appointment) {
    const ok = await confirmDialog({ content: S.me.cancelConfirm, confirmText: S.me.cancel, cancelText: '不取消' });
    if (!ok) return;
    try {
      const updated = await post<Appointment>(`/portal/appointments/${encodeURIComponent(a.id)}/cancel`);
      setItems((prev) => prev.map((x) => (x.id === a.id ? (updated ?? { ...x, status: 'cancelled', statusName: '已取消' }) : x)));
      toast(S.me.cancelled, 'success');
    } catch (err) {
      toast(isApiError(err) ? err.message : S.serverError);
    }
  }
  if (error && !items.length) return <ErrorState error={error} onRetry={() => void load(1)} />;
  if (!page) return <Loading />;
  if (!items.length) return <EmptyState title={S.me.emptyAppointments} hint={S.me.emptyHint} testId="appointments-empty" />;
  const now = Date.now();
  return (
    <>
      <ul className="fq-list" data-testid="appointments-list">
        {items.map((a) => (
          <li key={a.id} className="fq-list-item" data-testid={`appointment-${a.trackingNo}`}>
            <span className="fq-row">
              <span className="fq-strong">{a.serviceName}</span>
              <StatusTag status={a.status} name={a.statusName} />
            </span>
            <span className="fq-small">
              {fmtDate(a.slotStart)} {fmtTime(a.slotStart)}–{fmtTime(a.slotEnd)}
            </span>
            <span className="fq-small fq-muted">
              {a.officeName}
              {a.officeAddress ? `（${a.officeAddress}）` : ''}
            </span>
            {a.requiredDocs.length ? <span className="fq-small fq-muted">需携带：{a.requiredDocs.join('、')}</span> : null}
            <span className="fq-row">
              <span className="fq-small fq-muted">{a.trackingNo}</span>
              {a.status === 'booked' && new Date(a.slotStart).getTime() > now ? (
                <Button size="mini" color="danger" fill="outline" onClick={() => void cancel(a)} data-testid="appointment-cancel">
                  {S.me.cancel}
                </Button>
              ) : null}
            </span>
          </li>
        ))}
      </ul>
      <More shown={items.length} total={total} busy={busy} onMore={() => void load(page + 1)} />
    </>
  );
}

export default function Me() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'appointments' ? 'appointments' : 'submissions';
  return (
    <Screen title={S.me.title} back="/" testId="me-page">
      <div className="fq-tabs" role="tablist">
        {(
          [
            ['submissions', S.me.tabSubmissions],
            ['appointments', S.me.tabAppointments],
          ] as const
        ).map(([key, title]) => (
          <button
            key={key}
            type="button"
            role="tab"
            aria-selected={tab === key}
            className={`fq-tab${tab === key ? ' is-active' : ''}`}
            onClick={() => setParams(key === 'appointments' ? { tab: key } : {}, { replace: true })}
            data-testid={`tab-${key}`}
          >
            {title}
          </button>
        ))}
      </div>
      {tab === 'appointments' ? <Appointments /> : <Submissions />}
    </Screen>
  );
}
