import { useState } from 'react';
import { App, Button, Empty, Progress, Space, Table, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../../shared/components/useNotifyError';
import { useIsMobile } from '../../../../shared/hooks/useMediaQuery';
import { DATE_TIME_SHORT, formatTime } from '../../../../shared/format';
import type { ImportJob } from '../../../../shared/types';
import { isCancellable, isResumable, isRunning, useCancelImport, useImportList } from '../../../data/imports';
import { KIND_META, StatusTag, useTallyLine } from './meta';

const PAGE_SIZE = 10;

/** The jurisdiction's import jobs, newest first, each one reopened in the wizard. */
export function ImportHistory({ onOpen }: { onOpen: (id: string) => void }) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const notifyError = useNotifyError();
  const isMobile = useIsMobile();
  const [page, setPage] = useState(1);
  const list = useImportList({ page, pageSize: PAGE_SIZE });
  const cancel = useCancelImport();
  const tallyLine = useTallyLine();

  const actionLabel = (j: ImportJob) =>
    isRunning(j)
      ? t('imports.history.follow')
      : j.status === 'uploaded' || j.status === 'validated'
        ? t('imports.history.continue')
        : isResumable(j)
          ? t('imports.history.resume')
          : t('imports.history.view');

  const confirmCancel = (j: ImportJob) =>
    modal.confirm({
      title: t('imports.cancel.title'),
      content: j.status === 'committing' || j.committed ? t('imports.cancel.keepsImported') : t('imports.cancel.content'),
      okText: t('imports.cancel.ok'),
      okButtonProps: { danger: true },
      cancelText: t('imports.cancel.keep'),
      onOk: () => cancel.mutateAsync({ id: j.id }).catch((err: unknown) => notifyError(err)),
    });

  const fileLink = (j: ImportJob) => (
    <Button type="link" onClick={() => onOpen(j.id)} style={{ padding: 0, height: 'auto', maxWidth: 200 }}>
      <Typography.Text ellipsis={{ tooltip: j.fileName }} style={{ color: 'inherit', maxWidth: 200 }}>
        {j.fileName}
      </Typography.Text>
    </Button>
  );

  const time: TableColumnsType<ImportJob>[number] = {
    key: 'time',
    title: t('imports.history.time'),
    width: 140,
    render: (_, j) => formatTime(j.createdAt, DATE_TIME_SHORT),
  };
  const kind: TableColumnsType<ImportJob>[number] = { key: 'kind', title: t('imports.job.kind'), width: 100, render: (_, j) => t(KIND_META[j.kind].nameKey) };
  const file: TableColumnsType<ImportJob>[number] = { key: 'file', title: t('imports.job.file'), width: 220, render: (_, j) => fileLink(j) };
  // on a phone: the file with its type and time in one column
  const fileWithTime: TableColumnsType<ImportJob>[number] = {
    key: 'file',
    title: t('imports.job.file'),
    width: 210,
    render: (_, j) => (
      <Space orientation="vertical" size={0}>
        {fileLink(j)}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t(KIND_META[j.kind].nameKey)} · {formatTime(j.createdAt, DATE_TIME_SHORT)}
        </Typography.Text>
      </Space>
    ),
  };
  const rest: TableColumnsType<ImportJob> = [
    { key: 'by', title: t('imports.job.createdBy'), width: 100, render: (_, j) => j.createdBy.name ?? t('common.none') },
    {
      key: 'status',
      title: t('common.status'),
      width: 150,
      render: (_, j) => (
        <Space orientation="vertical" size={2} style={{ width: '100%' }}>
          <StatusTag job={j} />
          {isRunning(j) ? <Progress percent={j.progress.percent} size="small" status="active" style={{ margin: 0 }} /> : null}
        </Space>
      ),
    },
    {
      key: 'counts',
      title: t('imports.history.counts'),
      width: 240,
      render: (_, j) => (
        <Space orientation="vertical" size={0}>
          <span>{tallyLine(j)}</span>
          {j.error ? (
            <Typography.Text type="danger" ellipsis={{ tooltip: j.error }} style={{ maxWidth: 230, fontSize: 12 }}>
              {j.error}
            </Typography.Text>
          ) : null}
        </Space>
      ),
    },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 140,
      fixed: isMobile ? undefined : 'right',
      render: (_, j) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => onOpen(j.id)} data-testid={`import-open-${j.id}`}>
            {actionLabel(j)}
          </Button>
          {isCancellable(j) ? (
            <Button type="link" size="small" danger onClick={() => confirmCancel(j)}>
              {t('imports.cancel.button')}
            </Button>
          ) : null}
        </Space>
      ),
    },
  ];
  const columns = isMobile ? [fileWithTime, ...rest] : [time, kind, file, ...rest];

  if (list.isError) return <ProblemAlert error={list.error} />;
  return (
    <Table<ImportJob>
      rowKey="id"
      size="middle"
      loading={list.isFetching && !list.data}
      dataSource={list.data?.items ?? []}
      scroll={{ x: isMobile ? 840 : 1090 }}
      data-testid="import-history"
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.history.empty')} /> }}
      columns={columns}
      pagination={{
        current: page,
        pageSize: PAGE_SIZE,
        total: list.data?.total ?? 0,
        showSizeChanger: false,
        hideOnSinglePage: true,
        onChange: setPage,
        showTotal: (total) => t('common.total', { total }),
      }}
    />
  );
}
