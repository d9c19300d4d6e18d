import { App } from 'antd';
import { useCallback } from 'react';
import { toApiError } from '../errors';
import { useI18n } from '../i18n';

/** Returns a function that reports an API failure as a notification (title + field errors). */
export function useNotifyError() {
  const { notification } = App.useApp();
  const { t } = useI18n();
  return useCallback(
    (err: unknown) => {
      const problem = toApiError(err);
      const lines = problem.errors.map((e) => (e.field ? `${e.field}${t('common.colon')}${e.message}` : e.message));
      if (lines.length === 0 && problem.detail) lines.push(problem.detail);
      if (problem.correlationId && problem.status >= 500) lines.push(t('api.correlationId', { id: problem.correlationId }));
      notification.error({
        title: problem.title,
        description: lines.length ? (
          <div>
            {lines.map((l, i) => (
              <div key={i}>{l}</div>
            ))}
          </div>
        ) : undefined,
      });
    },
    [notification, t],
  );
}
