// /m/tips/:id — one safety article, paragraph by paragraph.
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { get, isApiError, type Article } from '../api';
import { ErrorState, Loading, Screen } from '../components/ui';
import { fmtDate } from '../lib/util';
import { S } from '../strings';

export default function ArticlePage() {
  const { id = '' } = useParams();
  const token = (useLocation().state as { token?: string } | null)?.token;
  const [article, setArticle] = useState<Article | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    setError(null);
    get<Article>(`/portal/articles/${encodeURIComponent(id)}`, undefined, { quiet401: true }).then(setArticle, setError);
  }, [id]);
  useEffect(load, [load]);

  let body;
  if (error) {
    body = isApiError(error) && error.status === 404 ? <ErrorState error={error} title="该提示不存在或已撤下" /> : <ErrorState error={error} onRetry={load} />;
  } else if (!article) body = <Loading />;
  else
    body = (
      <article className="fq-card fq-article" data-testid="article">
        <h1 className="fq-article-title">{article.title}</h1>
        <p className="fq-small fq-muted">
          {article.orgUnitName} · {fmtDate(article.publishedAt)}
        </p>
        {article.body
          .split(/\n\s*\n/)
          .map((p) => p.trim())
          .filter(Boolean)
          .map((p, i) => (
            <p key={i} className="fq-para">
              {p}
            </p>
          ))}
      </article>
    );
  return (
    <Screen title={S.tips.article} back={token ? `/p/${token}/tips` : '/'} testId="article-page">
      {body}
    </Screen>
  );
}
