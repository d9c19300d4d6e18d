import { Alert, Typography } from 'antd';
import type { CSSProperties } from 'react';
import { useI18n } from '../i18n';
import { toApiError } from '../errors';

export interface ProblemAlertProps {
  error: unknown;
  style?: CSSProperties;
  /** Labels for field names, e.g. { username: '用户名' }; unknown fields are shown as sent. */
  fieldLabels?: Record<string, string>;
  closable?: boolean;
  onClose?: () => void;
  /** Show the problem's `detail` instead of the field list when it has one (e.g. sign-in failures). */
  preferDetail?: boolean;
}

/** Shows an API problem: its title, and each field error with its field. */
export function ProblemAlert({ error, style, fieldLabels, closable, onClose, preferDetail = false }: ProblemAlertProps) {
  const { t } = useI18n();
  if (!error) return null;
  const problem = toApiError(error);
  // The trace id helps support with server faults; for the user's own mistakes it is noise.
  const showTrace = !!problem.correlationId && problem.status >= 500;
  const fieldErrors = preferDetail && problem.detail ? [] : problem.errors;
  const description = (
    <div>
      {fieldErrors.length > 0 ? (
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {fieldErrors.map((e, i) => {
            const key = e.field.replace(/^body[./]/, '').replace(/^\//, '');
            const label = fieldLabels?.[key] ?? key;
            return (
              <li key={`${e.field}-${i}`}>
                {label ? <Typography.Text strong>{label}</Typography.Text> : null}
                {label ? t('common.colon') : null}
                {e.message}
              </li>
            );
          })}
        </ul>
      ) : problem.detail ? (
        <span>{problem.detail}</span>
      ) : null}
      {showTrace ? (
        <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block', marginTop: 4 }}>
          {t('api.correlationId', { id: problem.correlationId })}
        </Typography.Text>
      ) : null}
    </div>
  );
  const hasDescription = fieldErrors.length > 0 || !!problem.detail || showTrace;
  return (
    <Alert
      type="error"
      showIcon
      style={style}
      title={problem.title}
      description={hasDescription ? description : undefined}
      closable={closable ? { onClose } : undefined}
    />
  );
}
