import type { ReactNode } from 'react';
import { useAuth } from './AuthProvider';
import { ForbiddenPage } from '../pages/errors/ForbiddenPage';

export function RequirePermission({ permission, children }: { permission?: string | readonly string[]; children: ReactNode }) {
  const { can } = useAuth();
  if (!can(permission)) return <ForbiddenPage />;
  return <>{children}</>;
}
