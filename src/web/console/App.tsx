import { Suspense, useMemo } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { I18nProvider, useI18n } from '../shared/i18n';
import { isApiError } from '../shared/api';
import { consoleTheme } from './theme';
import { usePrefersReducedMotion } from '../shared/hooks/useMediaQuery';
import { AuthProvider } from './auth/AuthProvider';
import { RequireAuth } from './auth/RequireAuth';
import { RequirePermission } from './auth/RequirePermission';
import { ConsoleLayout } from './layout/ConsoleLayout';
import { PageLoading } from './layout/PageLoading';
import { LanguageSync } from './layout/LanguageSync';
import LoginPage from './pages/login/LoginPage';
import { NotFoundPage } from './pages/errors/NotFoundPage';
import { HOME_PATH, LOGIN_PATH, NAV_PAGES } from './nav';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // Client errors (4xx) will not fix themselves; retry only network and server failures.
      retry: (count, err) => count < 2 && !(isApiError(err) && err.status >= 400 && err.status < 500),
    },
    mutations: { retry: false },
  },
});

function Themed() {
  const { lang } = useI18n();
  const reducedMotion = usePrefersReducedMotion();
  // drop-downs, drawers and messages appear without animation when the system asks for less motion
  const theme = useMemo(() => (reducedMotion ? { ...consoleTheme, token: { ...consoleTheme.token, motion: false } } : consoleTheme), [reducedMotion]);
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCN} theme={theme}>
      <AntApp>
        <LanguageSync />
        <BrowserRouter>
          <AuthProvider>
            <Routes>
              <Route path={LOGIN_PATH} element={<LoginPage />} />
              <Route
                element={
                  <RequireAuth>
                    <ConsoleLayout />
                  </RequireAuth>
                }
              >
                <Route index element={<Navigate to={HOME_PATH} replace />} />
                {NAV_PAGES.map(({ key, path, permission, Component }) => (
                  <Route
                    key={key}
                    path={path}
                    element={
                      <RequirePermission permission={permission}>
                        <Suspense fallback={<PageLoading />}>
                          <Component />
                        </Suspense>
                      </RequirePermission>
                    }
                  />
                ))}
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <QueryClientProvider client={queryClient}>
        <Themed />
      </QueryClientProvider>
    </I18nProvider>
  );
}
