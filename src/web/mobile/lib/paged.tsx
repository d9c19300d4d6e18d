// A list read page by page ("加载更多"), and its footer.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'antd-mobile';
import { get, type Page } from '../api';
import { S } from '../strings';

export function usePaged<T>(path: string, query: Record<string, string | undefined>, pageSize = 20, enabled = true) {
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const key = JSON.stringify(query);
  const load = useCallback(
    async (p: number) => {
      setBusy(true);
      setError(null);
      try {
        const r = await get<Page<T>>(path, { ...(JSON.parse(key) as Record<string, string>), page: p, pageSize });
        setItems((prev) => (p === 1 ? r.items : [...prev, ...r.items]));
        setTotal(r.total);
        setPage(p);
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    },
    [path, key, pageSize],
  );
  useEffect(() => {
    if (enabled) void load(1);
  }, [load, enabled]);
  return { items, total, page, busy, error, load };
}

export function More(props: { shown: number; total: number; busy: boolean; onMore: () => void }) {
  return (
    <div className="fq-pad fq-center">
      {props.shown < props.total ? (
        <Button fill="outline" loading={props.busy} onClick={props.onMore} data-testid="load-more">
          {S.more}
        </Button>
      ) : (
        <span className="fq-small fq-muted">{S.noMore}</span>
      )}
    </div>
  );
}
