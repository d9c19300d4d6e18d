import { useState } from 'react';
import { Button, Card, Empty, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { AuditEntry, Page } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { formatTime } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useAuth } from '../../auth/AuthProvider';
import { PageContainer } from '../../layout/PageContainer';
import { queryKeys } from '../../data/queries';
import { useLocalName } from '../../data/useLocalName';
import { AuditFilters, type AuditQuery } from './AuditFilters';
import { AuditDetailDrawer } from './AuditDetailDrawer';
import { ExportModal } from './ExportModal';
import { OutcomeTag } from './OutcomeTag';
import { VerifyChainButton } from './VerifyChainButton';

export default function AuditPage() {
  const { t, tx } = useI18n();
  const localName = useLocalName();
  const isMobile = useIsMobile();
  const { can } = useAuth();
  const [query, setQuery] = useState<AuditQuery>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [selected, setSelected] = useState<AuditEntry | null>(null);
  const [exporting, setExporting] = useState(false);

  const params = { ...query, page, pageSize };
  const audit = useQuery({
    queryKey: queryKeys.audit(params),
    queryFn: () => api.get<Page<AuditEntry>>('/audit', params),
    placeholderData: keepPreviousData,
  });

  const none = t('common.none');
  const columns: TableColumnsType<AuditEntry> = [
    {
      key: 'seq',
      title: t('audit.field.seq'),
      dataIndex: 'seq',
      width: 70,
      fixed: isMobile ? undefined : 'left',
      render: (seq: number) => <span className="fq-mono">{seq}</span>,
    },
    {
      key: 'at',
      title: t('audit.field.at'),
      dataIndex: 'at',
      width: 175,
      render: (at: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(at)}</span>,
    },
    {
      key: 'actor',
      title: t('audit.field.actor'),
      width: 150,
      render: (_: unknown, e) => (
        <div>
          <div>{e.actorName || none}</div>
          {e.actorRole ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {localName({ code: e.actorRole, name: e.actorRole })}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      key: 'action',
      title: t('audit.field.action'),
      dataIndex: 'action',
      width: 180,
      render: (a: string) => (
        <div>
          <div>{tx(`audit.action.${a}`, a)}</div>
          <Typography.Text type="secondary" className="fq-mono" style={{ fontSize: 11 }}>
            {a}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'subject',
      title: t('audit.field.subject'),
      width: 150,
      render: (_: unknown, e) => {
        const ids = e.subjectIds ?? [];
        if (!e.subjectType && ids.length === 0) return none;
        return (
          <Tooltip title={ids.join(', ') || undefined}>
            <div>
              <div>{e.subjectType ? tx(`audit.subjectType.${e.subjectType}`, e.subjectType) : t('common.none')}</div>
              {ids.length ? (
                <Typography.Text type="secondary" className="fq-mono" style={{ fontSize: 11 }}>
                  {ids[0].length > 13 ? `${ids[0].slice(0, 13)}…` : ids[0]}
                  {ids.length > 1 ? ` +${ids.length - 1}` : ''}
                </Typography.Text>
              ) : null}
            </div>
          </Tooltip>
        );
      },
    },
    {
      key: 'outcome',
      title: t('audit.field.outcome'),
      dataIndex: 'outcome',
      width: 100,
      render: (o: string, e) => (
        <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
          <OutcomeTag outcome={o} />
          {e.crossJurisdiction ? (
            <Tag color="purple" style={{ marginInlineEnd: 0 }}>
              {t('audit.crossJurisdiction')}
            </Tag>
          ) : null}
        </span>
      ),
    },
    {
      key: 'purpose',
      title: t('audit.field.purpose'),
      dataIndex: 'purpose',
      ellipsis: true,
      render: (p: string | null) => p || none,
    },
    {
      key: 'ip',
      title: t('audit.field.ip'),
      dataIndex: 'ip',
      width: 110,
      render: (ip: string | null) => (ip ? <span className="fq-mono">{ip}</span> : none),
    },
    {
      key: 'view',
      title: t('common.actions'),
      width: 90,
      fixed: 'right',
      render: (_: unknown, e) => (
        <Button type="link" size="small" onClick={() => setSelected(e)}>
          {t('common.detail')}
        </Button>
      ),
    },
  ];

  return (
    <PageContainer
      subtitle={t('audit.subtitle')}
      extra={
        <>
          <VerifyChainButton />
          {can('audit.export') ? (
            <Button type="primary" icon={<DownloadOutlined />} onClick={() => setExporting(true)} data-testid="audit-export">
              {t('audit.export')}
            </Button>
          ) : null}
        </>
      }
    >
      <Card>
        <AuditFilters
          onSearch={(q) => {
            setQuery(q);
            setPage(1);
          }}
        />
        {audit.isError ? (
          <ProblemAlert error={audit.error} />
        ) : (
          <Table<AuditEntry>
            rowKey="seq"
            data-testid="audit-table"
            loading={audit.isFetching}
            dataSource={audit.data?.items ?? []}
            columns={columns}
            scroll={{ x: 1110 }}
            onRow={(e) => ({ onDoubleClick: () => setSelected(e) })}
            locale={{ emptyText: audit.isPending ? ' ' : <Empty description={t('audit.empty')} /> }}
            pagination={{
              current: page,
              pageSize,
              total: audit.data?.total ?? 0,
              showSizeChanger: !isMobile,
              simple: isMobile,
              pageSizeOptions: [20, 50, 100, 200],
              showTotal: (total) => t('common.total', { total }),
              onChange: (p, ps) => {
                setPage(ps !== pageSize ? 1 : p);
                setPageSize(ps);
              },
            }}
          />
        )}
      </Card>
      <AuditDetailDrawer entry={selected} onClose={() => setSelected(null)} />
      {exporting ? <ExportModal query={query} onClose={() => setExporting(false)} /> : null}
    </PageContainer>
  );
}
