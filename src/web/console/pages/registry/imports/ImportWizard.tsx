import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { App, Button, Card, Descriptions, Result, Space, Spin, Steps, Typography } from 'antd';
import { PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../../shared/components/useNotifyError';
import { useIsMobile } from '../../../../shared/hooks/useMediaQuery';
import { formatTime } from '../../../../shared/format';
import { IMPORT_KINDS, type ImportJob, type ImportKind } from '../../../../shared/types';
import { isCancellable, isRunning, useCancelImport, useImportJob } from '../../../data/imports';
import { KindStep } from './KindStep';
import { UploadStep } from './UploadStep';
import { MappingStep } from './MappingStep';
import { ValidationStep } from './ValidationStep';
import { CommitStep } from './CommitStep';
import { OpenJobsNotice } from './OpenJobsNotice';
import { fmtNum, formatBytes, KIND_META, StatusTag } from './meta';

const STEP = { kind: 0, upload: 1, mapping: 2, validate: 3, commit: 4 } as const;

/** Where a job stands in the wizard; `view` lets the user go back to the mapping or forward to the confirmation. */
function stepOf(job: ImportJob, view: 'auto' | 'mapping' | 'confirm'): number {
  switch (job.status) {
    case 'uploaded':
      return STEP.mapping;
    case 'validating':
      return STEP.validate;
    case 'validated':
      return view === 'mapping' ? STEP.mapping : view === 'confirm' ? STEP.commit : STEP.validate;
    case 'committing':
    case 'committed':
      return STEP.commit;
    case 'failed':
      return job.committed ? STEP.commit : view === 'mapping' ? STEP.mapping : STEP.validate;
    case 'cancelled':
      return job.committed ? STEP.commit : job.dryRun && job.dryRun.rows > 0 ? STEP.validate : STEP.mapping;
  }
}

export interface ImportWizardProps {
  jobId: string | undefined;
  onOpen: (id: string) => void;
  onNew: () => void;
}

/** The import, step by step. A job in the address (`?job=`) is followed wherever it stands, even while it runs. */
export function ImportWizard({ jobId, onOpen, onNew }: ImportWizardProps) {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  // `?kind=incidents` (the 警情 page's 导入110) preselects a kind
  const preset = useSearchParams()[0].get('kind');
  const [kind, setKind] = useState<ImportKind | undefined>((IMPORT_KINDS as readonly string[]).includes(preset ?? '') ? (preset as ImportKind) : undefined);
  const [localStep, setLocalStep] = useState<number>(STEP.kind);
  const [view, setView] = useState<'auto' | 'mapping' | 'confirm'>('auto');
  const jobQuery = useImportJob(jobId);
  const job = jobQuery.data;

  if (jobId && !job) {
    if (jobQuery.isError) {
      return (
        <Card>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <ProblemAlert error={jobQuery.error} />
            <Button icon={<PlusOutlined />} onClick={onNew}>
              {t('imports.new')}
            </Button>
          </Space>
        </Card>
      );
    }
    return (
      <Card>
        <div className="fq-loading">
          <Spin />
        </div>
      </Card>
    );
  }

  const current = job ? stepOf(job, view) : localStep;
  const stopped = job?.status === 'failed' || job?.status === 'cancelled';
  const labels = [t('imports.step.kind'), t('imports.step.upload'), t('imports.step.mapping'), t('imports.step.validate'), t('imports.step.commit')];
  const hints = [
    job ? t(KIND_META[job.kind].nameKey) : kind ? t(KIND_META[kind].nameKey) : t('imports.step.kind.hint'),
    job ? job.fileName : t('imports.step.upload.hint'),
    t('imports.step.mapping.hint'),
    t('imports.step.validate.hint'),
    t('imports.step.commit.hint'),
  ];
  const status = job?.status === 'committed' ? 'finish' : stopped ? 'error' : 'process';

  const backToMapping = () => setView('mapping');

  let panel;
  if (!job) {
    panel =
      localStep === STEP.kind || !kind ? (
        <>
          <OpenJobsNotice onOpen={onOpen} />
          <KindStep value={kind} onChange={setKind} onNext={() => setLocalStep(STEP.upload)} />
        </>
      ) : (
        <UploadStep kind={kind} onBack={() => setLocalStep(STEP.kind)} onUploaded={(j) => onOpen(j.id)} />
      );
  } else if (job.status === 'cancelled') {
    panel = <Cancelled job={job} onNew={onNew} />;
  } else if (current === STEP.mapping) {
    panel = (
      <MappingStep
        key={job.updatedAt}
        job={job}
        onValidating={() => setView('auto')}
        onCancel={job.status === 'uploaded' ? undefined : () => setView('auto')}
      />
    );
  } else if (current === STEP.validate) {
    panel = <ValidationStep job={job} onEditMapping={backToMapping} onNext={() => setView('confirm')} />;
  } else {
    panel = <CommitStep job={job} onBack={() => setView('auto')} onNew={onNew} />;
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Steps
          current={current}
          status={status}
          size="small"
          orientation={isMobile ? 'vertical' : 'horizontal'}
          items={labels.map((title, i) => ({
            title,
            content: i <= current ? (
              <Typography.Text type="secondary" ellipsis style={{ maxWidth: isMobile ? 260 : 160, fontSize: 12 }}>
                {hints[i]}
              </Typography.Text>
            ) : undefined,
          }))}
          data-testid="import-steps"
        />
      </Card>
      {job ? <JobHeader job={job} onNew={onNew} /> : null}
      <Card>{panel}</Card>
    </Space>
  );
}

/** The job's identity and state, with cancel and "new import". */
function JobHeader({ job, onNew }: { job: ImportJob; onNew: () => void }) {
  const { t } = useI18n();
  const { modal } = App.useApp();
  const notifyError = useNotifyError();
  const cancel = useCancelImport();

  const confirmCancel = () =>
    modal.confirm({
      title: t('imports.cancel.title'),
      content: job.status === 'committing' || job.committed ? t('imports.cancel.keepsImported') : t('imports.cancel.content'),
      okText: t('imports.cancel.ok'),
      okButtonProps: { danger: true },
      cancelText: t('imports.cancel.keep'),
      onOk: () =>
        cancel.mutateAsync({ id: job.id }).catch((err: unknown) => {
          notifyError(err);
        }),
    });

  return (
    <Card size="small" data-testid="import-job">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap align="start">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 4 }}
          style={{ minWidth: 0, flex: 1 }}
          items={[
            {
              key: 'file',
              label: t('imports.job.file'),
              children: (
                <Typography.Text strong ellipsis={{ tooltip: job.fileName }} style={{ maxWidth: 260 }}>
                  {job.fileName}
                </Typography.Text>
              ),
            },
            { key: 'kind', label: t('imports.job.kind'), children: t(KIND_META[job.kind].nameKey) },
            { key: 'status', label: t('common.status'), children: <StatusTag job={job} /> },
            {
              key: 'by',
              label: t('imports.job.createdBy'),
              children: `${job.createdBy.name ?? t('common.none')} · ${formatTime(job.createdAt, 'MM-DD HH:mm')} · ${formatBytes(job.fileBytes)}`,
            },
          ]}
        />
        <Space wrap>
          {isCancellable(job) ? (
            <Button danger icon={<StopOutlined />} onClick={confirmCancel} loading={cancel.isPending} data-testid="import-cancel">
              {isRunning(job) ? t('imports.cancel.stop') : t('imports.cancel.button')}
            </Button>
          ) : null}
          {!isRunning(job) ? (
            <Button icon={<PlusOutlined />} onClick={onNew} data-testid="import-new">
              {t('imports.new')}
            </Button>
          ) : null}
        </Space>
      </Space>
    </Card>
  );
}

function Cancelled({ job, onNew }: { job: ImportJob; onNew: () => void }) {
  const { t } = useI18n();
  return (
    <Result
      status="warning"
      title={t('imports.cancelled.title')}
      subTitle={job.committed && job.committed.rows > 0 ? t('imports.cancelled.partial', { n: fmtNum(job.committed.create + job.committed.update) }) : t('imports.cancelled.none')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={onNew}>
          {t('imports.new')}
        </Button>
      }
      data-testid="import-cancelled"
    />
  );
}
