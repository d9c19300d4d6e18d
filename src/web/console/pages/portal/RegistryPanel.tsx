// 登记库中该地址: what the registry already holds for the submission's address and people.
import { Link } from 'react-router';
import { Alert, Card, Descriptions, Empty, Space, Table, Tag, Typography } from 'antd';
import { DatabaseOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import type { RegistryMatch, RegistryResident, ReviewRegistry } from '../../data/portal';
import { keyLabel } from './submission';
import type { SubmissionPerson } from './submission';

/** Where a registry match lives compared with the submission's address. */
export function MatchTags({ match }: { match: RegistryMatch }) {
  const { t } = useI18n();
  return (
    <Space size={4} wrap>
      {match.sameAddress ? (
        <Tag color="green" style={{ marginInlineEnd: 0 }}>
          {t('portalReview.match.same')}
        </Tag>
      ) : !match.inScope ? null : match.currentAddress ? (
        <Tag color="orange" style={{ marginInlineEnd: 0 }}>
          {t('portalReview.match.elsewhere')}
        </Tag>
      ) : (
        <Tag style={{ marginInlineEnd: 0 }}>{t('portalReview.match.noResidence')}</Tag>
      )}
      {!match.inScope ? (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          {t('portalReview.match.outside')}
        </Tag>
      ) : null}
    </Space>
  );
}

function MatchRow({ person, matches }: { person: SubmissionPerson; matches: RegistryMatch[] }) {
  const { t } = useI18n();
  return (
    <div style={{ padding: '8px 0', borderBottom: '1px solid rgba(5, 5, 5, 0.06)' }} data-testid={`match-${person.key}`}>
      <Space size={6} wrap>
        <Tag variant="filled" style={{ marginInlineEnd: 0 }}>
          {keyLabel(t, person.key)}
        </Tag>
        <Typography.Text strong>{person.name || t('common.none')}</Typography.Text>
        {person.idNumber ? <Typography.Text type="secondary" className="fq-mono">{person.idNumber}</Typography.Text> : null}
      </Space>
      {matches.length === 0 ? (
        <div style={{ marginTop: 4 }}>
          <Tag color="blue">{t('portalReview.match.none')}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('portalReview.match.noneHint')}
          </Typography.Text>
        </div>
      ) : (
        matches.map((m, i) => (
          <div key={m.personId ?? `outside-${i}`} style={{ marginTop: 4, paddingInlineStart: 12, borderInlineStart: '3px solid #d6e4ff' }}>
            <Space size={6} wrap>
              <Typography.Text type="secondary">{t('portalReview.match.found')}</Typography.Text>
              {m.inScope && m.personId ? (
                <Link to={`/registry/persons/${m.personId}`}>{m.name ?? m.personId}</Link>
              ) : m.name ? (
                <Typography.Text>{m.name}</Typography.Text>
              ) : (
                <Typography.Text type="secondary">{t('portalReview.match.outsideHidden')}</Typography.Text>
              )}
              {m.maskedId ? <Typography.Text code>{m.maskedId}</Typography.Text> : null}
              <MatchTags match={m} />
            </Space>
            {m.currentAddress && !m.sameAddress ? (
              <div style={{ fontSize: 12, color: 'rgba(0, 0, 0, 0.55)', wordBreak: 'break-all' }}>{t('portalReview.match.livesAt', { address: m.currentAddress })}</div>
            ) : null}
          </div>
        ))
      )}
    </div>
  );
}

/** Kinds for which the server compares the address's residents and housing. */
const DWELLING_KINDS: readonly string[] = ['residence', 'rental'];

export function RegistryPanel({
  kind,
  registry,
  address,
  persons,
  pending,
}: {
  kind: string;
  registry: ReviewRegistry | null;
  address: string;
  persons: SubmissionPerson[];
  /** Conflicts matter only while the submission waits for a decision. */
  pending: boolean;
}) {
  const { t, tx } = useI18n();
  const none = t('common.none');
  if (!registry) {
    return (
      <Card title={t('portalReview.registry.title')}>
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalReview.registry.none')} />
      </Card>
    );
  }
  const h = registry.housing;
  const withId = persons.filter((p) => p.idNumber || registry.matches.some((m) => m.key === p.key));
  // matches for keys the form does not list (should not happen) are still shown
  const known = new Set(withId.map((p) => p.key));
  const extra = registry.matches.filter((m) => !known.has(m.key));
  return (
    <Card
      title={
        <Space>
          <DatabaseOutlined />
          {t('portalReview.registry.title')}
        </Space>
      }
      data-testid="registry-panel"
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <div>
          <Link to={`/registry/addresses/${registry.addressId}`}>
            <Typography.Text strong style={{ color: 'inherit' }}>
              {address}
            </Typography.Text>
          </Link>{' '}
          <Tag variant="filled">{tx(`registry.level.${registry.addressLevel}`, registry.addressLevel)}</Tag>
        </div>
        {pending && registry.conflicts.length ? (
          <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="registry-conflicts">
            {registry.conflicts.map((c, i) => (
              <Alert key={`${c.key}-${i}`} type="warning" showIcon title={c.key ? `${keyLabel(t, c.key)}${t('common.colon')}${c.message}` : c.message} />
            ))}
          </Space>
        ) : null}
        {withId.length || extra.length ? (
          <div>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('portalReview.registry.matches')}
            </Typography.Title>
            {withId.map((p) => (
              <MatchRow key={p.key} person={p} matches={registry.matches.filter((m) => m.key === p.key)} />
            ))}
            {extra.map((m, i) => (
              <MatchRow
                key={`x-${m.key}-${m.personId ?? i}`}
                person={{ key: m.key, role: 'self', index: 0, name: m.name ?? '', idNumber: m.maskedId ?? null, idPath: m.key, phone: null }}
                matches={[m]}
              />
            ))}
          </div>
        ) : null}
        {DWELLING_KINDS.includes(kind) ? (
          <>
            <div>
              <Typography.Title level={5} style={{ marginTop: 0 }}>
                {t('portalReview.registry.residents', { n: registry.currentResidents.length })}
              </Typography.Title>
              <Table<RegistryResident>
                size="small"
                rowKey="personId"
                pagination={false}
                dataSource={registry.currentResidents}
                scroll={{ x: 400 }}
                locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalReview.registry.noResidents')} /> }}
                columns={[
                  {
                    key: 'name',
                    title: t('registry.residents.name'),
                    onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
                    render: (_, r) => <Link to={`/registry/persons/${r.personId}`}>{r.name}</Link>,
                  },
                  {
                    key: 'id',
                    title: t('registry.residents.idNumber'),
                    render: (_, r) => (
                      <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                        {r.maskedId ?? none}
                      </Typography.Text>
                    ),
                  },
                  {
                    key: 'rel',
                    title: t('registry.residents.relation'),
                    render: (_, r) => (
                      <span style={{ whiteSpace: 'nowrap' }}>
                        {tx(`registry.relation.${r.relation}`, r.relationName)}
                        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                          {tx(`registry.personType.${r.personType}`, r.personType)}
                        </Typography.Text>
                      </span>
                    ),
                  },
                  { key: 'from', title: t('portalReview.registry.since'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{r.fromDate}</span> },
                ]}
              />
            </div>
            <div>
              <Typography.Title level={5} style={{ marginTop: 0 }}>
                {t('registry.housing.title')}
              </Typography.Title>
              {h ? (
                <Descriptions
                  column={1}
                  size="small"
                  bordered
                  styles={{ label: { width: 110 } }}
                  items={[
                    { key: 'use', label: t('registry.housing.use'), children: tx(`registry.housing.use.${h.use}`, h.useName) },
                    ...(h.leaseFrom || h.leaseTo
                      ? [{ key: 'lease', label: t('registry.housing.lease'), children: `${h.leaseFrom ?? '?'} ~ ${h.leaseTo ?? '?'}` }]
                      : []),
                    ...(h.rentalRegistration
                      ? [
                          {
                            key: 'reg',
                            label: t('registry.housing.rentalRegistration'),
                            children: (
                              <Tag color={h.rentalRegistration === 'registered' ? 'green' : 'orange'}>
                                {tx(`registry.housing.rentalReg.${h.rentalRegistration}`, h.rentalRegistration)}
                              </Tag>
                            ),
                          },
                        ]
                      : []),
                  ]}
                />
              ) : (
                <Typography.Text type="secondary">{t('registry.housing.none')}</Typography.Text>
              )}
            </div>
          </>
        ) : (
          <Typography.Text type="secondary">{t('portalReview.registry.notDwelling')}</Typography.Text>
        )}
      </Space>
    </Card>
  );
}
