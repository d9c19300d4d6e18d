import { useCallback, useMemo } from 'react';
import { useI18n } from '../../shared/i18n';
import { useAuth } from '../auth/AuthProvider';
import { useRoles } from './queries';

interface Named {
  code?: string | null;
  name?: string | null;
  nameEn?: string | null;
}

/**
 * Display name of a role or permission in the UI language. The server sends Chinese `name` and,
 * for built-in items, `nameEn`; role references that carry only a code or no `nameEn` are
 * completed from the role list (when the user may read it).
 */
export function useLocalName(): (item: Named) => string {
  const { lang } = useI18n();
  const { can } = useAuth();
  const roles = useRoles(can('role.read'));
  const byCode = useMemo(() => new Map((roles.data ?? []).map((r) => [r.code, r])), [roles.data]);
  return useCallback(
    (item: Named) => {
      const known = item.code ? byCode.get(item.code) : undefined;
      const hasOwnName = !!item.name && item.name !== item.code;
      if (lang === 'en') return item.nameEn || known?.nameEn || (hasOwnName ? item.name : known?.name) || item.code || '';
      return (hasOwnName ? item.name : known?.name) || item.code || '';
    },
    [lang, byCode],
  );
}
