// /m/p/:token/tips — 安全防范提示 of the plate's unit and the units above it, newest first, page by page.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'antd-mobile';
import { Link } from 'react-router';
import { get, type ArticleSummary, type Page } from '../api';
import { PlateCard, usePlate } from '../components/plate';
import { EmptyState, ErrorState, Loading, Screen } from '../components/ui';
import { fmtDate } from '../lib/util';
import { S } from '../strings';

const PAGE_SIZE = 10;

export default function Tips() {
  const plate = usePlate();
  const [items, setItems] = useState<ArticleSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(
    async (p: number) => {
      setBusy(true);
      setError(null);
      try {
        const r = await get<Page<ArticleSummary>>(`/portal/plates/${encodeURIComponent(plate.token)}/articles`, { page: p, pageSize: PAGE_SIZE }, { quiet401: true });
        setItems((prev) => (p === 1 ? r.items : [...prev, ...r.items]));
        setTotal(r.total);
        setPage(p);
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    },
    [plate.token],
  );
  useEffect(() => {
    void load(1);
  }, [load]);

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
        <div className="fq-pad fq-center">
          {items.length < total ? (
            <Button fill="outline" loading={busy} onClick={() => void load(page + 1)} data-testid="load-more">
              {S.more}
            </Button>
          ) : (
            <span className="fq-small fq-muted">{S.noMore}</span>
          )}
        </div>
      </>
    );

  return (
    <Screen title={S.tips.title} back={`/p/${plate.token}`} testId="tips-page">
      <PlateCard />
      {body}
    </Screen>
  );
}
