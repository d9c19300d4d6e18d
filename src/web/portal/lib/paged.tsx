// A list read page by page ("加载更多"), and its footer.
import { useCallback, useEffect, useState } from 'react';
import { Button } from 'antd-mobile';
import { get, type Page } from '../api';
import { S } from '../strings';

/** Loads `path` page by page; `load(1)` starts over, `load(page + 1)` appends. */
export function usePaged<T>(path: string, pageSize: number, opts: { quiet401?: boolean } = {}) {
  const [items, setItems] = useState<T[]>([]);
  const [total, setTotal] = useState(0);
  const [page, setPage] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const quiet401 = !!opts.quiet401;
  const load = useCallback(
    async (p: number) => {
      setBusy(true);
      setError(null);
      try {
        const r = await get<Page<T>>(path, { page: p, pageSize }, { quiet401 });
        setItems((prev) => (p === 1 ? r.items : [...prev, ...r.items]));
        setTotal(r.total);
        setPage(p);
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    },
    [path, pageSize, quiet401],
  );
  useEffect(() => {
    void load(1);
  }, [load]);
  return { items, setItems, total, page, busy, error, load };
}

/** 加载更多 while there is more, else 没有更多了. */
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
