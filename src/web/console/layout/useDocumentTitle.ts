import { useEffect } from 'react';
import { useI18n } from '../../shared/i18n';

/** Sets the browser tab title to "<page> · <product>". */
export function useDocumentTitle(page?: string) {
  const { t } = useI18n();
  useEffect(() => {
    const product = t('app.fullName');
    document.title = page ? `${page} · ${product}` : product;
  }, [page, t]);
}
