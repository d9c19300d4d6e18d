// /m/p/:token/tips — 安全防范提示 of the plate's unit and the units above it, newest first, page by page.
import { Link } from 'react-router';
import type { ArticleSummary } from '../api';
import { PlateCard, usePlate } from '../components/plate';
import { EmptyState, ErrorState, Loading, Screen } from '../components/ui';
import { fmtDate } from '../lib/util';
import { More, usePaged } from '../lib/paged';
import { S } from '../strings';

const PAGE_SIZE = 10;

export default function Tips() {
  const plate = usePlate();
  const { items, total, page, busy, error, load } = usePaged<ArticleSummary>(`/portal/plates/${encodeURIComponent(plate.token)}/articles`, PAGE_SIZE, { quiet401: true });

  let body;
  if (error && !items.length) body = <ErrorState error={error} onRetry={() => void load(1)} />;
  else if (!page) body = <Loading />;
  else if (!items.length) body = <EmptyState title={S.tips.empty} hint={S.tips.emptyHint} testId="tips-empty" />;
  else
    body = (
      <>
        <ul className="fq-list" data-testid="tips-list">
          {items.map((a) => (
            <li key={a.id}>
              <Link to={`/tips/${a.id}`} state={{ token: plate.token }} className="fq-list-item">
                <span className="fq-strong">{a.title}</span>
                {a.summary ? <span className="fq-small fq-clamp">{a.summary}</span> : null}
                <span className="fq-small fq-muted">
                  {a.orgUnitName} · {fmtDate(a.publishedAt)}
                </span>
              </Link>
            </li>
          ))}
        </ul>
        {error ? <ErrorState error={error} onRetry={() => void load(page + 1)} /> : null}
        <More shown={items.length} total={total} busy={busy} onMore={() => void load(page + 1)} />
      </>
    );

  return (
    <Screen title={S.tips.title} back={`/p/${plate.token}`} testId="tips-page">
      <PlateCard />
      {body}
    </Screen>
  );
}
