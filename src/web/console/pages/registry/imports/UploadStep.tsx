import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Progress, Space, Typography, Upload } from 'antd';
import { InboxOutlined, SwapOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import type { ImportJob, ImportKind } from '../../../../shared/types';
import { extensionOf, IMPORT_MAX_BYTES, importKeys, uploadImport, type UploadProgress } from '../../../data/imports';
import { formatBytes, KIND_META } from './meta';

/** Step ②: the file, sent as it is; the server answers with its header row and a suggested mapping. */
export function UploadStep({ kind, onBack, onUploaded }: { kind: ImportKind; onBack: () => void; onUploaded: (job: ImportJob) => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  // leaving the step stops an upload still under way
  useEffect(() => () => abort.current?.abort(), []);

  const start = async (f: File) => {
    setError(null);
    setLocalError(null);
    const ext = extensionOf(f.name);
    if (ext === 'xls') return setLocalError(t('imports.upload.xls'));
    if (ext !== 'xlsx' && ext !== 'csv') return setLocalError(t('imports.upload.badType'));
    if (f.size > IMPORT_MAX_BYTES) return setLocalError(t('imports.upload.tooLarge', { size: formatBytes(f.size) }));
    if (f.size === 0) return setLocalError(t('imports.upload.empty'));
    const ctrl = new AbortController();
    abort.current = ctrl;
    setFile(f);
    setProgress({ loaded: 0, total: f.size });
    try {
      const job = await uploadImport(kind, f, setProgress, ctrl.signal);
      qc.setQueryData(importKeys.job(job.id), job);
      void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
      onUploaded(job);
    } catch (err) {
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err);
      setProgress(null);
      setFile(null);
    } finally {
      if (abort.current === ctrl) abort.current = null;
    }
  };

  const uploading = progress !== null;
  const percent = progress ? Math.floor((progress.loaded / Math.max(1, progress.total)) * 100) : 0;
  const sent = progress ? progress.loaded >= progress.total : false;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Text>{t('imports.upload.kind')}</Typography.Text>
        <Typography.Text strong>
          {KIND_META[kind].icon} {t(KIND_META[kind].nameKey)}
        </Typography.Text>
        <Button size="small" type="link" icon={<SwapOutlined />} onClick={onBack} disabled={uploading} data-testid="import-change-kind">
          {t('imports.upload.changeKind')}
        </Button>
      </Space>
      {localError ? <Alert type="error" showIcon title={localError} closable={{ onClose: () => setLocalError(null) }} /> : null}
      {error ? <ProblemAlert error={error} closable onClose={() => setError(null)} /> : null}
      <div data-testid="import-upload">
        <Upload.Dragger
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple={false}
          showUploadList={false}
          disabled={uploading}
          beforeUpload={(f) => {
            void start(f);
            return Upload.LIST_IGNORE;
          }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p className="ant-upload-text">{t('imports.upload.drop')}</p>
          <p className="ant-upload-hint" style={{ paddingInline: 16 }}>
            {t('imports.upload.hint', { max: formatBytes(IMPORT_MAX_BYTES) })}
          </p>
        </Upload.Dragger>
      </div>
      {uploading && file ? (
        <div data-testid="import-upload-progress">
          <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
            <Typography.Text ellipsis style={{ maxWidth: 420 }}>
              {file.name}
            </Typography.Text>
            <Typography.Text type="secondary">
              {sent ? t('imports.upload.reading') : t('imports.upload.sending', { done: formatBytes(progress.loaded), total: formatBytes(progress.total) })}
            </Typography.Text>
          </Space>
          <Progress percent={percent} status="active" />
          <Button size="small" onClick={() => abort.current?.abort()}>
            {t('imports.upload.abort')}
          </Button>
        </div>
      ) : null}
    </Space>
  );
}
