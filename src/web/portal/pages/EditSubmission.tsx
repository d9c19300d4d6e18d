// /m/me/submissions/:id/edit — the kind's form again, prefilled; saved with PUT (identity numbers typed anew).
import { lazy, Suspense, useCallback, useEffect, useState, type ComponentType } from 'react';
import { useParams } from 'react-router';
import { get, isApiError, type Submission, type SubmissionKind } from '../api';
import { AddressCard } from '../components/plate';
import { ErrorState, Loading, Screen } from '../components/ui';
import type { EditorProps } from '../lib/submit';
import { S } from '../strings';

const EDITORS: Record<SubmissionKind, ComponentType<EditorProps>> = {
  residence: lazy(() => import('./ResidenceForm').then((m) => ({ default: m.ResidenceEditor }))),
  rental: lazy(() => import('./RentalForm').then((m) => ({ default: m.RentalEditor }))),
  help: lazy(() => import('./HelpForm').then((m) => ({ default: m.HelpEditor }))),
  mediation: lazy(() => import('./MediationForm').then((m) => ({ default: m.MediationEditor }))),
  ebike: lazy(() => import('./EbikeForm').then((m) => ({ default: m.EbikeEditor }))),
};

export default function EditSubmission() {
  const { id = '' } = useParams();
  const [sub, setSub] = useState<Submission | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    setError(null);
    get<Submission>(`/portal/submissions/${encodeURIComponent(id)}`).then(setSub, setError);
  }, [id]);
  useEffect(load, [load]);

  let body;
  let title = S.me.detail;
  if (error) {
    body = isApiError(error) && error.status === 404 ? <ErrorState error={error} title="没有找到这条记录" /> : <ErrorState error={error} onRetry={load} />;
  } else if (!sub) body = <Loading />;
  else {
    title = S.me.editTitle(sub.kindName);
    const Editor = EDITORS[sub.kind];
    body =
      sub.status === 'submitted' || sub.status === 'returned' ? (
        <>
          <AddressCard address={sub.address} />
          {sub.returnReason && sub.status === 'returned' ? (
            <div className="fq-notice is-warn fq-block-notice">
              <div>
                <strong>{S.me.returnReason}</strong>
                <div>{sub.returnReason}</div>
              </div>
            </div>
          ) : null}
          <Suspense fallback={<Loading />}>{Editor ? <Editor edit={sub} /> : null}</Suspense>
        </>
      ) : (
        <ErrorState error={null} title={`该申请${sub.statusName}，不能再修改`} />
      );
  }
  return (
    <Screen title={title} back={`/me/submissions/${id}`} testId="edit-page">
      {body}
    </Screen>
  );
}
