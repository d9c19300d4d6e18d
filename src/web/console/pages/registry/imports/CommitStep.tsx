import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Button, Card, Checkbox, Result, Space, Typography } from 'antd';
import { ArrowLeftOutlined, CloudUploadOutlined, PlusOutlined, RedoOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import type { ImportJob } from '../../../../shared/types';
import { useCommitImport } from '../../../data/imports';
import { fmtNum, KIND_META } from './meta';
import { IssuesTable, RunProgress, TallyCards } from './Report';

/** Step ⑤: confirm, follow the commit, and its result (or resume it after an interruption). */
export function CommitStep({ job, onBack, onNew }: { job: ImportJob; onBack: () => void; onNew: () => void }) {
  const { t } = useI18n();
  const commit = useCommitImport();
  const navigate = useNavigate();
  const [skip, setSkip] = useState(false);
  const dry = job.dryRun;
  const done = job.committed;
  const meta = KIND_META[job.kind];

  if (job.status === 'validated' && dry) {
    const needsSkip = dry.invalid > 0;
    return (
      <Card size="small" title={t('imports.commit.confirmTitle')} data-testid="import-confirm">
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Paragraph style={{ marginBottom: 0 }}>{t('imports.commit.explain', { create: fmtNum(dry.create), update: fmtNum(dry.update), unchanged: fmtNum(dry.unchanged) })}</Typography.Paragraph>
          {needsSkip ? (
            <Alert
              type="warning"
              showIcon
              title={t('imports.commit.invalidTitle', { n: fmtNum(dry.invalid) })}
              description={
                <Checkbox checked={skip} onChange={(e) => setSkip(e.target.checked)} data-testid="import-skip-invalid">
                  {t('imports.commit.skip', { n: fmtNum(dry.invalid), valid: fmtNum(dry.valid) })}
                </Checkbox>
              }
            />
          ) : null}
          {commit.error ? <ProblemAlert error={commit.error} fieldLabels={{ skipInvalid: t('imports.commit.skipField') }} /> : null}
          <Space wrap>
            <Button
              type="primary"
              size="large"
              icon={<CloudUploadOutlined />}
              disabled={needsSkip && !skip}
              loading={commit.isPending}
              onClick={() => commit.mutate({ id: job.id, skipInvalid: needsSkip && skip })}
              data-testid="import-commit"
            >
              {t('imports.commit.start', { n: fmtNum(dry.valid) })}
            </Button>
            <Button size="large" icon={<ArrowLeftOutlined />} onClick={onBack}>
              {t('imports.commit.back')}
            </Button>
          </Space>
        </Space>
      </Card>
    );
  }

  if (job.status === 'committing') {
    return (
      <Card size="small" title={t('imports.commit.running')} data-testid="import-committing">
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <RunProgress job={job} />
          <Typography.Text type="secondary">{t('imports.progress.background')}</Typography.Text>
        </Space>
      </Card>
    );
  }

  if (job.status === 'failed' && done) {
    return (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Alert type="error" showIcon title={t('imports.commit.failed')} description={job.error ?? undefined} data-testid="import-error" />
        <RunProgress job={job} />
        <TallyCards tally={done} phase="commit" />
        {commit.error ? <ProblemAlert error={commit.error} /> : null}
        <Space wrap>
          <Button
            type="primary"
            size="large"
            icon={<RedoOutlined />}
            loading={commit.isPending}
            onClick={() => commit.mutate({ id: job.id, skipInvalid: job.skipInvalid })}
            data-testid="import-resume"
          >
            {t('imports.commit.resume')}
          </Button>
        </Space>
      </Space>
    );
  }

  if (job.status === 'committed' && done) {
    return (
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="import-result">
        <Result
          status="success"
          title={t('imports.result.title')}
          subTitle={t('imports.result.summary', {
            file: job.fileName,
            rows: fmtNum(done.rows),
            create: fmtNum(done.create),
            update: fmtNum(done.update),
            unchanged: fmtNum(done.unchanged),
            skipped: fmtNum(done.invalid),
          })}
          extra={[
            <Button key="list" type="primary" icon={<UnorderedListOutlined />} onClick={() => navigate(meta.listPath)} data-testid="import-result-list">
              {t(meta.listKey)}
            </Button>,
            <Button key="new" icon={<PlusOutlined />} onClick={onNew}>
              {t('imports.new')}
            </Button>,
          ]}
          style={{ paddingBlock: 24 }}
        />
        <TallyCards tally={done} phase="commit" />
        {done.issues > 0 || (dry?.issues ?? 0) > 0 ? <IssuesTable job={job} tally={null} /> : null}
      </Space>
    );
  }
  return null;
}
