// The content of a resident's submission, section by kind.
import type { ReactNode } from 'react';
import { Descriptions, Divider, Empty, Image, Space, Table, Tag, Typography } from 'antd';
import { EnvironmentOutlined } from '@ant-design/icons';
import { API_BASE } from '../../../shared/api';
import { useI18n } from '../../../shared/i18n';
import type { Attachment } from '../../data/portal';
import { PhoneLink } from './labels';
import { list, num, obj, revealedId, text } from './submission';
import type { Data } from './submission';

const LABEL_WIDTH = 128;

/** Shown in place of a photo that cannot be loaded. */
const BROKEN_IMAGE =
  'data:image/svg+xml;utf8,' +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="112" height="112" viewBox="0 0 112 112"><rect width="112" height="112" fill="#f2f4f8"/><path d="M36 74l14-18 10 12 8-10 12 16z" fill="#c5ccd8"/><circle cx="70" cy="42" r="7" fill="#c5ccd8"/></svg>',
  );

function Field({ value }: { value: string | null }) {
  const { t } = useI18n();
  return <>{value ?? t('common.none')}</>;
}

/** An identity number: masked as sent, or the full one once revealed. */
function IdNumber({ masked, full }: { masked: string | null; full: string | null }) {
  const { t } = useI18n();
  if (!masked && !full) return <>{t('common.none')}</>;
  return (
    <Space size={6} wrap>
      <Typography.Text code style={{ whiteSpace: 'nowrap' }} data-testid="submission-id">
        {full ?? masked}
      </Typography.Text>
      {full ? (
        <Tag color="orange" variant="filled" style={{ marginInlineEnd: 0 }}>
          {t('portalReview.ids.revealed')}
        </Tag>
      ) : null}
    </Space>
  );
}

function LongText({ value }: { value: string | null }) {
  const { t } = useI18n();
  if (!value) return <>{t('common.none')}</>;
  return <div style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{value}</div>;
}

function Section({ title, children, first }: { title: string; children: ReactNode; first?: boolean }) {
  return (
    <>
      <Divider titlePlacement="start" plain style={{ margin: first ? '0 0 8px' : '16px 0 8px' }}>
        <Typography.Text strong>{title}</Typography.Text>
      </Divider>
      {children}
    </>
  );
}

function Desc({ items }: { items: Array<{ key: string; label: string; value: ReactNode } | null | false> }) {
  return (
    <Descriptions
      column={1}
      size="small"
      bordered
      styles={{ label: { width: LABEL_WIDTH, whiteSpace: 'nowrap' } }}
      items={items.filter((i): i is { key: string; label: string; value: ReactNode } => !!i).map((i) => ({ key: i.key, label: i.label, children: i.value }))}
    />
  );
}

function Residence({ data, ids }: { data: Data; ids: Map<string, string> | null }) {
  const { t, tx } = useI18n();
  const reason = text(data.reason);
  const relation = text(data.relation);
  return (
    <Desc
      items={[
        { key: 'name', label: t('portalSub.name'), value: <Field value={text(data.name)} /> },
        { key: 'id', label: t('portalSub.idNumber'), value: <IdNumber masked={text(data.idNumber)} full={revealedId(ids, { key: 'self', idPath: 'idNumber' })} /> },
        { key: 'phone', label: t('portalSub.phone'), value: <PhoneLink phone={text(data.phone)} /> },
        { key: 'hukou', label: t('portalSub.hukouAddress'), value: <Field value={text(data.hukouAddress)} /> },
        {
          key: 'reason',
          label: t('portalSub.reason'),
          value: (
            <>
              {reason ? tx(`portalSub.reason.${reason}`, reason) : t('common.none')}
              {text(data.reasonNote) ? ` · ${text(data.reasonNote)}` : ''}
            </>
          ),
        },
        { key: 'arrival', label: t('portalSub.arrivalDate'), value: <Field value={text(data.arrivalDate)} /> },
        { key: 'stay', label: t('portalSub.expectedStayUntil'), value: <Field value={text(data.expectedStayUntil)} /> },
        { key: 'relation', label: t('portalSub.relation'), value: relation ? tx(`portalSub.relation.${relation}`, relation) : t('common.none') },
        (!!text(data.landlordName) || !!text(data.landlordPhone)) && {
          key: 'landlord',
          label: t('portalSub.landlord'),
          value: (
            <Space size={8} wrap>
              <Field value={text(data.landlordName)} />
              {text(data.landlordPhone) ? <PhoneLink phone={text(data.landlordPhone)} /> : null}
            </Space>
          ),
        },
      ]}
    />
  );
}

function Rental({ data, ids }: { data: Data; ids: Map<string, string> | null }) {
  const { t } = useI18n();
  const owner = obj(data.owner);
  const tenants = list(data.tenants);
  const rooms = num(data.rooms);
  const area = num(data.areaM2);
  return (
    <>
      <Section title={t('portalSub.owner')} first>
        <Desc
          items={[
            { key: 'name', label: t('portalSub.name'), value: <Field value={text(owner.name)} /> },
            { key: 'id', label: t('portalSub.idNumber'), value: <IdNumber masked={text(owner.idNumber)} full={revealedId(ids, { key: 'owner', idPath: 'owner.idNumber' })} /> },
            { key: 'phone', label: t('portalSub.phone'), value: <PhoneLink phone={text(owner.phone)} /> },
          ]}
        />
      </Section>
      <Section title={t('portalSub.lease')}>
        <Desc
          items={[
            { key: 'lease', label: t('portalSub.leasePeriod'), value: `${text(data.leaseFrom) ?? '?'} ~ ${text(data.leaseTo) ?? '?'}` },
            rooms != null && { key: 'rooms', label: t('registry.housing.rooms'), value: rooms },
            area != null && { key: 'area', label: t('registry.housing.area'), value: area },
            {
              key: 'group',
              label: t('registry.housing.groupRental'),
              value: data.groupRental === true ? <Tag color="red">{t('common.yes')}</Tag> : t('common.no'),
            },
          ]}
        />
      </Section>
      <Section title={t('portalSub.tenants', { n: tenants.length })}>
        <Table<Data & { i: number }>
          size="small"
          rowKey="i"
          pagination={false}
          dataSource={tenants.map((tn, i) => ({ ...tn, i }))}
          scroll={{ x: 560 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
          columns={[
            { key: 'n', title: '#', width: 40, render: (_, r) => r.i + 1 },
            { key: 'name', title: t('portalSub.name'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{text(r.name) ?? t('common.none')}</span> },
            {
              key: 'id',
              title: t('portalSub.idNumber'),
              render: (_, r) => <IdNumber masked={text(r.idNumber)} full={revealedId(ids, { key: `tenants.${r.i}`, idPath: `tenants.${r.i}.idNumber` })} />,
            },
            { key: 'phone', title: t('portalSub.phone'), render: (_, r) => <PhoneLink phone={text(r.phone)} /> },
            { key: 'hukou', title: t('portalSub.hukouAddress'), render: (_, r) => text(r.hukouAddress) ?? t('common.none') },
          ]}
        />
      </Section>
    </>
  );
}

function attachmentSrc(a: { id: string; url?: string }): string {
  return a.url || `${API_BASE}/portal/attachments/${encodeURIComponent(a.id)}`;
}

function Help({ data, attachments }: { data: Data; attachments: Attachment[] }) {
  const { t, tx } = useI18n();
  const category = text(data.category);
  const location = obj(data.location);
  const lng = num(location.lng);
  const lat = num(location.lat);
  const accuracy = num(location.accuracyM);
  const photos: Array<{ id: string; url?: string }> = attachments.length
    ? attachments
    : (Array.isArray(data.attachmentIds) ? data.attachmentIds : []).filter((x): x is string => typeof x === 'string').map((id) => ({ id }));
  return (
    <>
      <Desc
        items={[
          { key: 'category', label: t('portalSub.category'), value: category ? tx(`portalSub.help.${category}`, category) : t('common.none') },
          { key: 'contact', label: t('portalSub.contactName'), value: <Field value={text(data.contactName)} /> },
          {
            key: 'location',
            label: t('portalSub.location'),
            value:
              lng != null && lat != null ? (
                <Space size={4} wrap>
                  <EnvironmentOutlined />
                  <span className="fq-mono">
                    {lng.toFixed(6)}, {lat.toFixed(6)}
                  </span>
                  {accuracy != null ? <Typography.Text type="secondary">{t('portalSub.accuracy', { m: Math.round(accuracy) })}</Typography.Text> : null}
                </Space>
              ) : (
                t('portalSub.noLocation')
              ),
          },
          { key: 'description', label: t('portalSub.description'), value: <LongText value={text(data.description)} /> },
        ]}
      />
      <Section title={t('portalSub.photos', { n: photos.length })}>
        {photos.length ? (
          <Image.PreviewGroup>
            <Space size={8} wrap>
              {photos.map((a) => (
                <Image
                  key={a.id}
                  src={attachmentSrc(a)}
                  width={112}
                  height={112}
                  style={{ objectFit: 'cover', borderRadius: 6 }}
                  alt={t('portalSub.photo')}
                  fallback={BROKEN_IMAGE}
                  data-testid="submission-photo"
                />
              ))}
            </Space>
          </Image.PreviewGroup>
        ) : (
          <Typography.Text type="secondary">{t('portalSub.noPhotos')}</Typography.Text>
        )}
      </Section>
    </>
  );
}

function Mediation({ data, ids }: { data: Data; ids: Map<string, string> | null }) {
  const { t, tx } = useI18n();
  const category = text(data.category);
  const parties = list(data.parties);
  return (
    <>
      <Desc
        items={[
          { key: 'category', label: t('portalSub.category'), value: category ? tx(`portalSub.mediation.${category}`, category) : t('common.none') },
          { key: 'description', label: t('portalSub.description'), value: <LongText value={text(data.description)} /> },
          { key: 'outcome', label: t('portalSub.desiredOutcome'), value: <LongText value={text(data.desiredOutcome)} /> },
        ]}
      />
      <Section title={t('portalSub.parties', { n: parties.length })}>
        <Table<Data & { i: number }>
          size="small"
          rowKey="i"
          pagination={false}
          dataSource={parties.map((p, i) => ({ ...p, i }))}
          scroll={{ x: 520 }}
          columns={[
            {
              key: 'role',
              title: t('portalSub.partyRole'),
              render: (_, r) => {
                const role = text(r.role) ?? '';
                return <Tag color={role === 'applicant' ? 'blue' : 'orange'}>{tx(`portalSub.party.${role}`, role)}</Tag>;
              },
            },
            { key: 'name', title: t('portalSub.name'), render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{text(r.name) ?? t('common.none')}</span> },
            { key: 'phone', title: t('portalSub.phone'), render: (_, r) => <PhoneLink phone={text(r.phone)} /> },
            {
              key: 'id',
              title: t('portalSub.idNumber'),
              render: (_, r) => <IdNumber masked={text(r.idNumber)} full={revealedId(ids, { key: `parties.${r.i}`, idPath: `parties.${r.i}.idNumber` })} />,
            },
          ]}
        />
      </Section>
    </>
  );
}

function Ebike({ data, ids }: { data: Data; ids: Map<string, string> | null }) {
  const { t } = useI18n();
  return (
    <Desc
      items={[
        { key: 'owner', label: t('portalSub.ebikeOwner'), value: <Field value={text(data.ownerName)} /> },
        { key: 'id', label: t('portalSub.idNumber'), value: <IdNumber masked={text(data.idNumber)} full={revealedId(ids, { key: 'self', idPath: 'idNumber' })} /> },
        { key: 'phone', label: t('portalSub.phone'), value: <PhoneLink phone={text(data.phone)} /> },
        { key: 'brand', label: t('portalSub.brand'), value: [text(data.brand), text(data.model)].filter(Boolean).join(' ') || t('common.none') },
        { key: 'color', label: t('portalSub.color'), value: <Field value={text(data.color)} /> },
        { key: 'frame', label: t('portalSub.frameNo'), value: <span className="fq-mono">{text(data.frameNo) ?? t('common.none')}</span> },
        { key: 'motor', label: t('portalSub.motorNo'), value: <span className="fq-mono">{text(data.motorNo) ?? t('common.none')}</span> },
        { key: 'purchase', label: t('portalSub.purchaseDate'), value: <Field value={text(data.purchaseDate)} /> },
        { key: 'cert', label: t('portalSub.certificateNo'), value: <Field value={text(data.certificateNo)} /> },
      ]}
    />
  );
}

/** What the resident submitted, laid out by kind. */
export function SubmissionView({ kind, data, attachments, ids }: { kind: string; data: Data; attachments: Attachment[]; ids: Map<string, string> | null }) {
  switch (kind) {
    case 'residence':
      return <Residence data={data} ids={ids} />;
    case 'rental':
      return <Rental data={data} ids={ids} />;
    case 'help':
      return <Help data={data} attachments={attachments} />;
    case 'mediation':
      return <Mediation data={data} ids={ids} />;
    case 'ebike':
      return <Ebike data={data} ids={ids} />;
    default:
      return <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{JSON.stringify(data, null, 2)}</pre>;
  }
}
