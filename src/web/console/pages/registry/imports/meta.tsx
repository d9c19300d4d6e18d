import type { ReactNode } from 'react';
import { Tag } from 'antd';
import { AlertOutlined, EnvironmentOutlined, HomeOutlined, IdcardOutlined, ShopOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import type { MessageKey } from '../../../../shared/i18n';
import type { ImportJob, ImportKind, ImportStatus, ImportTally } from '../../../../shared/types';

export interface KindMeta {
  icon: ReactNode;
  /** The permission to write this kind of record. */
  permission: string;
  /** The import centre's permission this kind also needs (absent: registry.import). */
  centre?: string;
  /** Where the imported records are listed. */
  listPath: string;
  nameKey: MessageKey;
  descKey: MessageKey;
  listKey: MessageKey;
}

export const KIND_META: Record<ImportKind, KindMeta> = {
  addresses: {
    icon: <EnvironmentOutlined />,
    permission: 'address.manage',
    listPath: '/registry/addresses',
    nameKey: 'imports.kind.addresses',
    descKey: 'imports.kind.addresses.desc',
    listKey: 'imports.result.list.addresses',
  },
  persons: {
    icon: <IdcardOutlined />,
    permission: 'person.write',
    listPath: '/registry/persons',
    nameKey: 'imports.kind.persons',
    descKey: 'imports.kind.persons.desc',
    listKey: 'imports.result.list.persons',
  },
  housing: {
    icon: <HomeOutlined />,
    permission: 'housing.write',
    listPath: '/registry/addresses',
    nameKey: 'imports.kind.housing',
    descKey: 'imports.kind.housing.desc',
    listKey: 'imports.result.list.housing',
  },
  units: {
    icon: <ShopOutlined />,
    permission: 'unit.write',
    listPath: '/registry/units',
    nameKey: 'imports.kind.units',
    descKey: 'imports.kind.units.desc',
    listKey: 'imports.result.list.units',
  },
  incidents: {
    icon: <AlertOutlined />,
    permission: 'incident.import',
    centre: 'incident.import',
    listPath: '/command/incidents',
    nameKey: 'imports.kind.incidents',
    descKey: 'imports.kind.incidents.desc',
    listKey: 'imports.result.list.incidents',
  },
};

const STATUS_COLORS: Record<ImportStatus, string> = {
  uploaded: 'blue',
  validating: 'processing',
  validated: 'gold',
  committing: 'processing',
  committed: 'success',
  cancelled: 'default',
  failed: 'error',
};

export function StatusTag({ job }: { job: Pick<ImportJob, 'status' | 'statusName' | 'cancelRequested'> }) {
  const { t, tx } = useI18n();
  return (
    <Tag color={STATUS_COLORS[job.status]} style={{ marginInlineEnd: 0 }} data-testid="import-status">
      {job.cancelRequested && ['validating', 'committing'].includes(job.status) ? t('imports.status.cancelling') : tx(`imports.status.${job.status}`, job.statusName)}
    </Tag>
  );
}

/** The counts of a job in one line: what the commit did, or else what the dry run found. */
export function useTallyLine() {
  const { t } = useI18n();
  return (job: Pick<ImportJob, 'dryRun' | 'committed'>): string => {
    const parts = (tally: ImportTally, skipped: boolean) =>
      [
        t('imports.tally.line.rows', { n: fmtNum(tally.rows) }),
        tally.create ? t('imports.tally.line.create', { n: fmtNum(tally.create) }) : null,
        tally.update ? t('imports.tally.line.update', { n: fmtNum(tally.update) }) : null,
        tally.unchanged ? t('imports.tally.line.unchanged', { n: fmtNum(tally.unchanged) }) : null,
        tally.invalid ? t(skipped ? 'imports.tally.line.skipped' : 'imports.tally.line.invalid', { n: fmtNum(tally.invalid) }) : null,
      ]
        .filter(Boolean)
        .join(t('imports.tally.line.sep'));
    if (job.committed && job.committed.rows > 0) return parts(job.committed, true);
    if (job.dryRun && job.dryRun.rows > 0) return parts(job.dryRun, false);
    return t('common.none');
  };
}

/** A count with thousands separators: 29,967. */
export const fmtNum = (n: number) => n.toLocaleString('en-US');

/** A byte count for people: 1.2 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
