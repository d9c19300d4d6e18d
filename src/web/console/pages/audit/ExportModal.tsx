import { useI18n } from '../../../shared/i18n';
import { PurposeExportModal } from '../../components/PurposeExportModal';
import type { AuditQuery } from './AuditFilters';

/** Asks for the purpose (required by policy), then downloads the CSV for the current filters. */
export function ExportModal({ query, onClose }: { query: AuditQuery; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <PurposeExportModal
      path="/audit/export"
      query={{ ...query }}
      fileStem="audit"
      title={t('audit.export.title')}
      hint={t('audit.export.hint')}
      onClose={onClose}
    />
  );
}
