import { Alert, Button, Card, Space, Typography } from 'antd';
import { ArrowRightOutlined, EditOutlined, RedoOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import type { ImportJob } from '../../../../shared/types';
import { useValidateImport } from '../../../data/imports';
import { IssuesTable, RunProgress, TallyCards } from './Report';
import { fmtNum } from './meta';

/** Step ④: the dry run: live progress, then what the import would do and the rows that cannot be imported. */
export function ValidationStep({ job, onEditMapping, onNext }: { job: ImportJob; onEditMapping: () => void; onNext: () => void }) {
  const { t } = useI18n();
  const revalidate = useValidateImport();
  const dry = job.dryRun;

  if (job.status === 'validating') {
    return (
      <Card size="small" title={t('imports.validate.running')} data-testid="import-validating">
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <RunProgress job={job} />
          <Typography.Text type="secondary">{t('imports.progress.background')}</Typography.Text>
        </Space>
      </Card>
    );
  }

  if (job.status === 'failed') {
    return (
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Alert type="error" showIcon title={t('imports.validate.failed')} description={job.error ?? undefined} data-testid="import-error" />
        {revalidate.error ? <ProblemAlert error={revalidate.error} /> : null}
        <Space wrap>
          <Button
            type="primary"
            icon={<RedoOutlined />}
            loading={revalidate.isPending}
            onClick={() => revalidate.mutate({ id: job.id, mapping: job.mapping ?? {} })}
            data-testid="import-revalidate"
          >
            {t('imports.validate.again')}
          </Button>
          <Button icon={<EditOutlined />} onClick={onEditMapping}>
            {t('imports.validate.editMapping')}
          </Button>
        </Space>
      </Space>
    );
  }

  if (!dry) return null;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="import-validated">
      {dry.valid === 0 ? (
        <Alert type="error" showIcon title={t('imports.validate.noneValid')} description={t('imports.validate.fixHint')} />
      ) : dry.invalid > 0 ? (
        <Alert type="warning" showIcon title={t('imports.validate.someInvalid', { invalid: fmtNum(dry.invalid), valid: fmtNum(dry.valid) })} description={t('imports.validate.fixHint')} />
      ) : (
        <Alert type="success" showIcon title={t('imports.validate.allValid', { valid: fmtNum(dry.valid) })} />
      )}
      <TallyCards tally={dry} phase="validate" />
      {dry.issues > 0 || dry.invalid > 0 ? <IssuesTable job={job} tally={dry} /> : null}
      {job.status === 'validated' ? (
        <Space wrap>
          <Button type="primary" size="large" icon={<ArrowRightOutlined />} disabled={dry.valid === 0} onClick={onNext} data-testid="import-to-commit">
            {t('imports.validate.next')}
          </Button>
          <Button size="large" icon={<EditOutlined />} onClick={onEditMapping} data-testid="import-edit-mapping">
            {t('imports.validate.editMapping')}
          </Button>
        </Space>
      ) : null}
    </Space>
  );
}
