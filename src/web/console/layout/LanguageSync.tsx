import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useI18n } from '../../shared/i18n';

/** Server texts (titles, role names) follow Accept-Language: refetch them when the language changes. */
export function LanguageSync() {
  const { lang } = useI18n();
  const qc = useQueryClient();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    void qc.invalidateQueries();
  }, [lang, qc]);
  return null;
}
