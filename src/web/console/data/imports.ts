// 数据导入: bulk import jobs of registry data (upload, column mapping, dry run, commit).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, buildUrl, type ProblemBody } from '../../shared/api';
import { getLang, translate } from '../../shared/i18n';
import type { ImportIssue, ImportJob, ImportKind, ImportStatus, Page } from '../../shared/types';

/** Largest file the server accepts. */
export const IMPORT_MAX_BYTES = 512 * 1024 * 1024;

/** Statuses in which the server is working on the job (the console polls them). */
export const RUNNING_STATUSES: readonly ImportStatus[] = ['validating', 'committing'];

export const isRunning = (job: Pick<ImportJob, 'status'> | undefined) => !!job && RUNNING_STATUSES.includes(job.status);

/** A job interrupted during its commit: the same call resumes it where it stopped. */
export const isResumable = (job: Pick<ImportJob, 'status' | 'committed'>) => job.status === 'failed' && !!job.committed;

/** A job that can still be cancelled. */
export const isCancellable = (job: Pick<ImportJob, 'status' | 'cancelRequested'>) =>
  !['committed', 'cancelled'].includes(job.status) && !job.cancelRequested;

/** A job the user still has something to do with (finish the mapping, commit, resume) or that is running. */
export const isOpen = (job: Pick<ImportJob, 'status' | 'committed'>) =>
  ['uploaded', 'validating', 'validated', 'committing'].includes(job.status) || isResumable(job);

export const importKeys = {
  all: ['imports'] as const,
  list: (params: { page: number; pageSize: number }) => ['imports', 'list', params] as const,
  job: (id: string) => ['imports', 'job', id] as const,
  issues: (id: string, params: { page: number; pageSize: number; version: string }) => ['imports', 'issues', id, params] as const,
};

export function useImportJob(id: string | undefined) {
  return useQuery({
    queryKey: importKeys.job(id ?? ''),
    queryFn: () => api.get<ImportJob>(`/imports/${id}`),
    enabled: !!id,
    // the work runs on the server: follow it every second while it runs
    refetchInterval: (q) => (isRunning(q.state.data) ? 1_000 : false),
    refetchIntervalInBackground: false,
  });
}

export function useImportList(params: { page: number; pageSize: number }, enabled = true) {
  return useQuery({
    queryKey: importKeys.list(params),
    queryFn: () => api.get<Page<ImportJob>>('/imports', params),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((j) => isRunning(j)) ? 3_000 : false),
  });
}

/** The row-level report; `version` changes whenever the report may have grown (status, issue count). */
export function useImportIssues(id: string, params: { page: number; pageSize: number; version: string }, enabled = true) {
  return useQuery({
    queryKey: importKeys.issues(id, params),
    queryFn: () => api.get<Page<ImportIssue>>(`/imports/${id}/issues`, { page: params.page, pageSize: params.pageSize }),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** After an action the server answers with the job: show it at once and refresh the history. */
function useJobAction<V>(call: (vars: V) => Promise<ImportJob>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: call,
    onSuccess: (job) => {
      qc.setQueryData(importKeys.job(job.id), job);
      void qc.invalidateQueries({ queryKey: ['imports', 'list'] });
    },
  });
}

export function useValidateImport() {
  return useJobAction(({ id, mapping }: { id: string; mapping: Record<string, number> }) => api.post<ImportJob>(`/imports/${id}/validate`, { mapping }));
}

export function useCommitImport() {
  return useJobAction(({ id, skipInvalid }: { id: string; skipInvalid: boolean }) => api.post<ImportJob>(`/imports/${id}/commit`, { skipInvalid }));
}

export function useCancelImport() {
  return useJobAction(({ id }: { id: string }) => api.post<ImportJob>(`/imports/${id}/cancel`, {}));
}

export function downloadTemplate(kind: ImportKind, format: 'xlsx' | 'csv') {
  return api.download(`/imports/templates/${kind}`, { format }, `${kind}-template.${format}`);
}

export function downloadIssueReport(id: string, format: 'xlsx' | 'csv') {
  return api.download(`/imports/${id}/issues/export`, { format }, `import-issues.${format}`);
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The extension of a file name, lower-cased, without the dot. */
export const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Uploads a file as a new import job: the request body is the file itself. XMLHttpRequest rather than fetch, for
 * the upload's progress. Signed in by the session cookie, like every call of the API client.
 */
export function uploadImport(kind: ImportKind, file: File, onProgress: (p: UploadProgress) => void, signal?: AbortSignal): Promise<ImportJob> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', buildUrl('/imports', { kind, fileName: file.name }));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', getLang());
    const ext = extensionOf(file.name);
    xhr.setRequestHeader('Content-Type', ext === 'xlsx' ? XLSX_TYPE : ext === 'csv' ? 'text/csv' : 'application/octet-stream');
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body as ImportJob);
      else reject(new ApiError(xhr.status, (body ?? {}) as ProblemBody));
    };
    xhr.onerror = () => reject(new ApiError(0, { title: translate('api.error.network') }));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
