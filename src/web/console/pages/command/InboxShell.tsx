import { useState, type ReactNode } from 'react';
import { Button, Card, Empty, Flex, Pagination, Segmented, Skeleton } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';

export interface InboxPaging {
  page: number;
  pageSize: number;
}

/** What the shell needs of the page's list query. */
export interface InboxQuery<T> {
  data?: { items: T[]; total: number };
  error: unknown;
  isError: boolean;
  isLoading: boolean;
  isPending: boolean;
  isFetching: boolean;
  refetch: () => unknown;
}

/** The filter and paging of an inbox page: changing the filter goes back to the first page. */
export function useInboxState(initialStatus: string) {
  const [status, setStatus] = useState(initialStatus);
  const [paging, setPaging] = useState<InboxPaging>({ page: 1, pageSize: 10 });
  return {
    status,
    paging,
    setPaging,
    setStatus: (s: string) => {
      setStatus(s);
      setPaging((p) => ({ ...p, page: 1 }));
    },
    /** The status to ask the server for ('all' asks for none). */
    statusParam: status === 'all' ? undefined : status,
  };
}

/** An inbox page (指令签收, 警种报到): a status filter, a refresh button, one card per item, an empty state, paging. */
export function InboxShell<T extends { id: string }>(props: {
  subtitle: string;
  state: ReturnType<typeof useInboxState>;
  statuses: Array<{ value: string; label: string }>;
  query: InboxQuery<T>;
  empty: string;
  filterTestId?: string;
  renderItem: (item: T) => ReactNode;
}) {
  const { t } = useI18n();
  const { state, query: q } = props;
  const items = q.data?.items ?? [];
  const total = q.data?.total ?? 0;
  return (
    <PageContainer
      subtitle={props.subtitle}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching && !q.isPending}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Flex vertical gap={16}>
        <Segmented value={state.status} onChange={(v) => state.setStatus(String(v))} options={props.statuses} data-testid={props.filterTestId} />
        {q.isError ? <ProblemAlert error={q.error} /> : null}
        {q.isLoading ? <Skeleton active /> : null}
        {!q.isLoading && !items.length ? (
          <Card>
            <Empty description={props.empty} />
          </Card>
        ) : null}
        {items.map((x) => props.renderItem(x))}
        {total > state.paging.pageSize ? (
          <Pagination
            align="end"
            current={state.paging.page}
            pageSize={state.paging.pageSize}
            total={total}
            showTotal={(n) => t('common.total', { total: n })}
            onChange={(page, pageSize) => state.setPaging({ page, pageSize })}
          />
        ) : null}
      </Flex>
    </PageContainer>
  );
}
