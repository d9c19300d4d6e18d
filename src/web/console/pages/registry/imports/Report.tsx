import { useState } from 'react';
import { App, Button, Card, Col, Empty, Progress, Row, Space, Statistic, Table, Tag, Typography, theme } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../../shared/components/useNotifyError';
import type { ImportIssue, ImportJob, ImportTally } from '../../../../shared/types';
import { downloadIssueReport, useImportIssues } from '../../../data/imports';
import { useIsMobile } from '../../../../shared/hooks/useMediaQuery';
import { fmtNum } from './meta';

/** The counts of a dry run (what would happen) or of a commit (what happened), as cards. */
export function TallyCards({ tally, phase }: { tally: ImportTally; phase: 'validate' | 'commit' }) {
  const { t } = useI18n();
  const { token } = theme.useToken();
  const cards = [
    { key: 'rows', label: t('imports.tally.rows'), value: tally.rows },
    { key: 'create', label: t('imports.tally.create'), value: tally.create, color: token.colorSuccess },
    { key: 'update', label: t('imports.tally.update'), value: tally.update, color: token.colorPrimary },
    { key: 'unchanged', label: t('imports.tally.unchanged'), value: tally.unchanged },
    {
      key: 'invalid',
      label: phase === 'commit' ? t('imports.tally.skipped') : t('imports.tally.invalid'),
      value: tally.invalid,
      color: tally.invalid > 0 ? token.colorError : undefined,
    },
  ];
  return (
    <Row gutter={[12, 12]} data-testid={`import-tally-${phase}`}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} sm={8} lg={{ flex: '20%' }}>
          <Card size="small" style={{ height: '100%' }} data-testid={`import-tally-${phase}-${c.key}`}>
            <Statistic title={c.label} value={c.value} styles={{ content: { color: c.color, fontSize: 24 } }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/** Live progress of the phase the server is running. */
export function RunProgress({ job }: { job: ImportJob }) {
  const { t } = useI18n();
  const p = job.progress;
  const tally = job.status === 'committing' ? job.committed : job.dryRun;
  return (
    <div data-testid="import-progress">
      <Progress percent={p.percent} status={job.status === 'failed' ? 'exception' : job.status === 'validating' || job.status === 'committing' ? 'active' : 'normal'} />
      <Typography.Text type="secondary">
        {p.rowsTotal != null ? t('imports.progress.rowsOf', { done: fmtNum(p.rowsDone), total: fmtNum(p.rowsTotal) }) : t('imports.progress.rows', { done: fmtNum(p.rowsDone) })}
        {tally && tally.rows > 0 ? `${t('imports.tally.line.sep')}${t('imports.progress.invalidSoFar', { n: fmtNum(tally.invalid) })}` : null}
      </Typography.Text>
    </div>
  );
}

const PAGE_SIZE = 10;

/** The row-level report (row, column, value, reason), paginated, with its download. */
export function IssuesTable({ job, tally }: { job: ImportJob; tally: ImportTally | null }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const isMobile = useIsMobile();
  const [page, setPage] = useState(1);
  const [downloading, setDownloading] = useState<string | null>(null);
  const version = `${job.status}:${job.dryRun?.issues ?? 0}:${job.committed?.issues ?? 0}`;
  const issues = useImportIssues(job.id, { page, pageSize: PAGE_SIZE, version });
  const total = issues.data?.total ?? 0;
  const hasCommitIssues = (issues.data?.items ?? []).some((i) => i.phase === 'commit');

  const download = async (format: 'xlsx' | 'csv') => {
    setDownloading(format);
    try {
      const name = await downloadIssueReport(job.id, format);
      message.success(t('imports.report.downloaded', { name }));
    } catch (err) {
      notifyError(err);
    } finally {
      setDownloading(null);
    }
  };

  const downloads =
    total > 0 ? (
      <Space size={4} wrap>
        <Typography.Text type="secondary">{t('imports.report.download')}</Typography.Text>
        {(['xlsx', 'csv'] as const).map((f) => (
          <Button key={f} size="small" icon={<DownloadOutlined />} loading={downloading === f} onClick={() => void download(f)} data-testid={`import-report-${f}`}>
            {f.toUpperCase()}
          </Button>
        ))}
      </Space>
    ) : null;

  return (
    <Card size="small" title={t('imports.report.title', { total: fmtNum(total) })} extra={isMobile ? null : downloads} data-testid="import-issues">
      {isMobile && downloads ? <div style={{ marginBottom: 12 }}>{downloads}</div> : null}
      {issues.isError ? (
        <ProblemAlert error={issues.error} />
      ) : (
        <>
          {tally && tally.issues > total && total > 0 ? (
            <Typography.Paragraph type="secondary">{t('imports.report.truncated', { shown: fmtNum(total), all: fmtNum(tally.issues) })}</Typography.Paragraph>
          ) : null}
          {hasCommitIssues ? <Typography.Paragraph type="secondary">{t('imports.report.phaseHint')}</Typography.Paragraph> : null}
          <Table<ImportIssue>
            rowKey={(i) => `${i.phase}:${i.row}:${i.field ?? ''}:${i.reason}`}
            size="small"
            loading={issues.isFetching && !issues.data}
            dataSource={issues.data?.items ?? []}
            scroll={{ x: 690 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.report.empty')} /> }}
            columns={[
              { key: 'row', title: t('imports.report.row'), width: 70, render: (_, i) => i.row },
              { key: 'column', title: t('imports.report.column'), width: 120, render: (_, i) => i.column ?? t('common.none') },
              {
                key: 'value',
                title: t('imports.report.value'),
                width: 200,
                render: (_, i) =>
                  i.value ? (
                    <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                      {i.value}
                    </Typography.Text>
                  ) : (
                    <Typography.Text type="secondary">{t('imports.report.blank')}</Typography.Text>
                  ),
              },
              { key: 'reason', title: t('imports.report.reason'), width: 300, render: (_, i) => i.reason },
              ...(hasCommitIssues
                ? [
                    {
                      key: 'phase',
                      title: t('imports.report.phase'),
                      width: 90,
                      render: (_: unknown, i: ImportIssue) => (
                        <Tag color={i.phase === 'commit' ? 'orange' : undefined}>{i.phase === 'commit' ? t('imports.report.phase.commit') : t('imports.report.phase.validate')}</Tag>
                      ),
                    },
                  ]
                : []),
            ]}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total,
              size: 'small',
              showSizeChanger: false,
              hideOnSinglePage: true,
              onChange: setPage,
              showTotal: (n) => t('common.total', { total: n }),
            }}
          />
        </>
      )}
    </Card>
  );
}
