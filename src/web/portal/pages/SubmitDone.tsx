// /m/p/:token/done — after a submission: its tracking number and what happens next.
import { toast } from '../lib/notify';
import { Link, Navigate, useLocation } from 'react-router';
import type { Submission } from '../api';
import { PlateCard, usePlate } from '../components/plate';
import { Card, Screen } from '../components/ui';
import { fmtDateTime } from '../lib/util';
import { S } from '../strings';

export function SuccessMark() {
  return (
    <svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">
      <circle cx="32" cy="32" r="30" fill="#00a870" />
      <path d="M19 33l9 9 17-19" fill="none" stroke="#fff" strokeWidth="5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

export async function copyText(text: string) {
  try {
    await navigator.clipboard.writeText(text);
    toast(S.copied);
  } catch {
    // old browsers: the number stays selectable on the page
  }
}

export default function SubmitDone() {
  const plate = usePlate();
  const location = useLocation();
  const sub = (location.state as { submission?: Submission } | null)?.submission;
  if (!sub) return <Navigate to="/me" replace />;
  const waiting = sub.kind === 'help' || sub.kind === 'mediation' ? S.result.waitingHelp : S.result.waiting;
  return (
    <Screen title={S.result.title} back={`/p/${plate.token}`} testId="submit-done">
      <PlateCard />
      <Card className="fq-result">
        <SuccessMark />
        <h2 className="fq-result-title">{S.result.title}</h2>
        <p className="fq-strong">{sub.kindName}</p>
        <div className="fq-tracking">
          <span className="fq-muted">{S.result.trackingNo}</span>
          <strong data-testid="tracking-no">{sub.trackingNo}</strong>
          <button type="button" className="fq-link-btn" onClick={() => void copyText(sub.trackingNo)}>
            {S.copy}
          </button>
        </div>
        <p className="fq-status-line" data-testid="result-status">
          {waiting}
        </p>
        <p className="fq-small fq-muted">
          {S.me.submittedAt}：{fmtDateTime(sub.submittedAt)}
        </p>
        <p className="fq-small fq-muted">{S.result.sms}</p>
      </Card>
      <div className="fq-actions">
        <Link to="/me" className="fq-btn-link is-primary" data-testid="to-progress">
          {S.result.toProgress}
        </Link>
        <a href={`/q/${plate.token}`} className="fq-btn-link" data-testid="to-plate">
          {S.result.toPlate}
        </a>
      </div>
    </Screen>
  );
}
