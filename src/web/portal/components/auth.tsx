// Pages that submit need a signed-in resident: anyone else is sent to /m/login and brought back afterwards.
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { loadSession, useSession } from '../session';
import { ErrorState, Loading } from './ui';

/** The sign-in page's address that comes back to `path` (an in-app path such as /p/…/residence). */
export const loginPath = (path: string) => `/login?next=${encodeURIComponent(`/m${path}`)}`;

export function RequireResident({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (session.status === 'unknown') return <Loading />;
  if (session.status === 'error') return <ErrorState error={{ isNetwork: true }} onRetry={() => void loadSession()} />;
  if (session.status === 'anon') return <Navigate to={loginPath(location.pathname + location.search)} replace />;
  return <>{children}</>;
}
