import { Descriptions, Drawer, Typography } from 'antd';
import type { AuditEntry } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { formatTime } from '../../../shared/format';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { OutcomeTag } from './OutcomeTag';
import { useLocalName } from '../../data/useLocalName';

export function AuditDetailDrawer({ entry, onClose }: { entry: AuditEntry | null; onClose: () => void }) {
  const { t, tx } = useI18n();
  const isMobile = useIsMobile();
  const localName = useLocalName();
  const none = t('common.none');
  const mono = (v: string | null | undefined) => (v ? <span className="fq-mono">{v}</span> : none);
  return (
    <Drawer
      open={!!entry}
      onClose={onClose}
      title={entry ? t('audit.detail.title', { seq: entry.seq }) : ''}
      size={isMobile ? '100%' : 560}
      destroyOnHidden
      data-testid="audit-drawer"
    >
      {entry ? (
        <>
          <Descriptions
            bordered
            size="small"
            column={1}
            styles={{ label: { width: 110, whiteSpace: 'nowrap' } }}
            items={[
              { key: 'seq', label: t('audit.field.seq'), children: mono(String(entry.seq)) },
              { key: 'at', label: t('audit.field.at'), children: formatTime(entry.at) },
              { key: 'actorName', label: t('audit.field.actor'), children: entry.actorName || none },
              { key: 'actorId', label: t('audit.field.actorId'), children: mono(entry.actorId) },
              {
                key: 'actorRole',
                label: t('audit.field.actorRole'),
                children: entry.actorRole ? localName({ code: entry.actorRole, name: entry.actorRole }) : none,
              },
              {
                key: 'action',
                label: t('audit.field.action'),
                children: (
                  <span>
                    {tx(`audit.action.${entry.action}`, entry.action)} <span className="fq-mono">({entry.action})</span>
                  </span>
                ),
              },
              {
                key: 'subjectType',
                label: t('audit.field.subjectType'),
                children: entry.subjectType ? tx(`audit.subjectType.${entry.subjectType}`, entry.subjectType) : none,
              },
              {
                key: 'subjectIds',
                label: t('audit.field.subjectIds'),
                children: entry.subjectIds?.length ? (
                  <div>
                    {entry.subjectIds.map((id) => (
                      <div key={id}>
                        <Typography.Text className="fq-mono" copyable>
                          {id}
                        </Typography.Text>
                      </div>
                    ))}
                  </div>
                ) : (
                  none
                ),
              },
              { key: 'outcome', label: t('audit.field.outcome'), children: <OutcomeTag outcome={entry.outcome} /> },
              {
                key: 'crossJurisdiction',
                label: t('audit.crossJurisdiction'),
                children: entry.crossJurisdiction ? t('common.yes') : t('common.no'),
              },
              { key: 'purpose', label: t('audit.field.purpose'), children: entry.purpose || none },
              { key: 'ip', label: t('audit.field.ip'), children: mono(entry.ip) },
              {
                key: 'userAgent',
                label: t('audit.field.userAgent'),
                children: entry.userAgent ? <span style={{ wordBreak: 'break-all', fontSize: 12 }}>{entry.userAgent}</span> : none,
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 20 }}>
            {t('audit.field.detail')}
          </Typography.Title>
          {entry.detail === null || entry.detail === undefined ? (
            <Typography.Text type="secondary">{none}</Typography.Text>
          ) : (
            <pre className="fq-pre">
              {typeof entry.detail === 'string' ? entry.detail : JSON.stringify(entry.detail, null, 2)}
            </pre>
          )}
        </>
      ) : null}
    </Drawer>
  );
}
