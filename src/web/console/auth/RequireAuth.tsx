import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Button, Result } from 'antd';
import { useI18n } from '../../shared/i18n';
import { toApiError } from '../../shared/errors';
import { useAuth } from './AuthProvider';
import { PageLoading } from '../layout/PageLoading';
import { LOGIN_PATH, SETTINGS_PATH } from '../nav';

export const PASSWORD_TAB = 'password';

/** Only signed-in staff get past; users who must change their password are sent to do so first. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading, error, retry, logout } = useAuth();
  const { t } = useI18n();
  const location = useLocation();

  if (loading) return <PageLoading fullscreen />;
  if (error && me === undefined) {
    const problem = toApiError(error);
    return (
      <Result
        status="error"
        title={t('auth.loadFailed')}
        subTitle={problem.title}
        extra={
          <Button type="primary" onClick={retry}>
            {t('common.retry')}
          </Button>
        }
      />
    );
  }
  if (!me) {
    const from = `${location.pathname}${location.search}`;
    return <Navigate to={LOGIN_PATH} replace state={{ from }} />;
  }
  if (me.kind !== 'staff') {
    return (
      <Result
        status="403"
        title={t('auth.staffOnly')}
        subTitle={t('auth.staffOnly.desc')}
        extra={
          <Button type="primary" onClick={() => void logout()}>
            {t('header.logout')}
          </Button>
        }
      />
    );
  }
  if (me.mustChangePassword) {
    const onPasswordPage =
      location.pathname === SETTINGS_PATH && new URLSearchParams(location.search).get('tab') === PASSWORD_TAB;
    if (!onPasswordPage) return <Navigate to={`${SETTINGS_PATH}?tab=${PASSWORD_TAB}`} replace />;
  }
  return <>{children}</>;
}
