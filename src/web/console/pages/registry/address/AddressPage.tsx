import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Empty, Row, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, HomeOutlined, TeamOutlined, ApartmentOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { StatusTag } from '../../../components/StatusTag';
import { registryKeys, useAddress, useChildren, useHousing, useResidents } from '../../../data/registry';
import type { Address, Resident } from '../../../data/registry';
import { AddressDetailPanel } from '../addresses/AddressDetailPanel';
import { AddressTitle } from '../addresses/AddressTree';
import { HousingModal } from './HousingModal';

const CHILD_PAGE = 10;

function HousingCard({ addressId }: { addressId: string }) {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const housing = useHousing(addressId);
  const [editing, setEditing] = useState(false);
  const h = housing.data?.housing ?? null;
  const none = t('common.none');
  return (
    <Card
      title={
        <Space>
          <HomeOutlined />
          {t('registry.housing.title')}
        </Space>
      }
      extra={
        can('housing.write') && housing.isSuccess ? (
          <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>
            {h ? t('common.edit') : t('registry.housing.create')}
          </Button>
        ) : null
      }
    >
      {housing.isError ? (
        <ProblemAlert error={housing.error} />
      ) : housing.isPending ? (
        <Skeleton active />
      ) : !h ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.housing.none')} />
      ) : (
        <Descriptions column={{ xs: 1, sm: 2 }} size="small">
          <Descriptions.Item label={t('registry.housing.use')}>
            <Space size={4} wrap>
              {tx(`registry.housing.use.${h.use}`, h.useName)}
              {h.groupRental ? <Tag color="orange">{t('registry.housing.groupRental')}</Tag> : null}
              {h.leaseExpired ? <Tag color="red">{t('registry.housing.leaseExpired')}</Tag> : null}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={t('registry.housing.propertyType')}>
            {tx(`registry.housing.property.${h.propertyType}`, h.propertyTypeName)}
          </Descriptions.Item>
          <Descriptions.Item label={t('registry.housing.owner')}>
            {h.owner.person ? `${h.owner.person.name} ${h.owner.person.idNumber ?? ''}` : h.owner.name || none}
            {h.owner.phone ? ` · ${h.owner.phone}` : ''}
          </Descriptions.Item>
          <Descriptions.Item label={t('registry.housing.area')}>{h.areaM2 != null ? t('registry.housing.areaValue', { area: h.areaM2 }) : none}</Descriptions.Item>
          <Descriptions.Item label={t('registry.housing.rooms')}>{h.rooms ?? none}</Descriptions.Item>
          <Descriptions.Item label={t('registry.housing.star')}>{h.starRating ? '★'.repeat(h.starRating) : none}</Descriptions.Item>
          {h.use === 'rent' ? (
            <>
              <Descriptions.Item label={t('registry.housing.landlord')}>
                {h.landlord ? `${h.landlord.name} ${h.landlord.idNumber ?? ''}` : none}
              </Descriptions.Item>
              <Descriptions.Item label={t('registry.housing.lease')}>
                {h.leaseFrom ?? none} ~ {h.leaseTo ?? none}
              </Descriptions.Item>
              <Descriptions.Item label={t('registry.housing.rentalRegistration')}>
                {h.rentalRegistration ? t(`registry.housing.rentalReg.${h.rentalRegistration}`) : none}
              </Descriptions.Item>
            </>
          ) : null}
          <Descriptions.Item label={t('registry.housing.updatedAt')}>{formatTime(h.updatedAt)}</Descriptions.Item>
        </Descriptions>
      )}
      {editing ? (
        <HousingModal
          addressId={addressId}
          housing={h}
          onClose={() => setEditing(false)}
          onDone={() => {
            setEditing(false);
            message.success(t('registry.address.saved'));
            void housing.refetch();
          }}
        />
      ) : null}
    </Card>
  );
}

function ResidentsCard({ addressId }: { addressId: string }) {
  const { t, tx } = useI18n();
  const residents = useResidents(addressId);
  return (
    <Card
      title={
        <Space>
          <TeamOutlined />
          {t('registry.residents.title')}
          {residents.data ? <Tag variant="filled">{residents.data.residents.length}</Tag> : null}
        </Space>
      }
    >
      {residents.isError ? (
        <ProblemAlert error={residents.error} />
      ) : (
        <Table<Resident>
          size="small"
          rowKey="residenceId"
          loading={residents.isPending}
          dataSource={residents.data?.residents ?? []}
          pagination={false}
          scroll={{ x: 560 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.residents.none')} /> }}
          columns={[
            {
              key: 'name',
              title: t('registry.residents.name'),
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (_, r) => <Link to={`/registry/persons/${r.personId}`}>{r.name}</Link>,
            },
            {
              key: 'relation',
              title: t('registry.residents.relation'),
              render: (_, r) => tx(`registry.relation.${r.relation}`, r.relationName),
            },
            {
              key: 'sexAge',
              title: t('registry.residents.sexAge'),
              onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
              render: (_, r) =>
                [r.sex ? tx(`registry.sex.${r.sex}`, r.sex) : null, r.age != null ? t('registry.residents.age', { age: r.age }) : null]
                  .filter(Boolean)
                  .join(' · ') || t('common.none'),
            },
            {
              key: 'id',
              title: t('registry.residents.idNumber'),
              render: (_, r) => (
                <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                  {r.idNumber ?? t('common.none')}
                </Typography.Text>
              ),
            },
            {
              key: 'from',
              title: t('registry.residents.from'),
              render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{r.fromDate}</span>,
            },
          ]}
        />
      )}
    </Card>
  );
}

function ChildrenCard({ addressId }: { addressId: string }) {
  const { t } = useI18n();
  const [page, setPage] = useState(1);
  const children = useChildren(addressId, page, CHILD_PAGE);
  return (
    <Card
      title={
        <Space>
          <ApartmentOutlined />
          {t('registry.address.children')}
        </Space>
      }
    >
      {children.isError ? (
        <ProblemAlert error={children.error} />
      ) : (
        <Table<Address>
          size="small"
          rowKey="id"
          showHeader={false}
          loading={children.isFetching}
          dataSource={children.data?.items ?? []}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.address.noChildren')} /> }}
          columns={[
            {
              key: 'name',
              render: (_, a) => (
                <Link to={`/registry/addresses/${a.id}`}>
                  <AddressTitle address={a} />
                </Link>
              ),
            },
            { key: 'code', render: (_, a) => <Typography.Text type="secondary">{a.code}</Typography.Text>, responsive: ['sm'] },
            { key: 'status', width: 80, render: (_, a) => <StatusTag status={a.status} /> },
          ]}
          pagination={
            (children.data?.total ?? 0) > CHILD_PAGE
              ? { current: page, pageSize: CHILD_PAGE, total: children.data?.total ?? 0, size: 'small', onChange: setPage, showSizeChanger: false }
              : false
          }
        />
      )}
    </Card>
  );
}

/** 一标三实 at a glance: the page a plate scan leads to. */
export default function AddressPage() {
  const { t } = useI18n();
  const { can } = useAuth();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const address = useAddress(id);
  const a = address.data;
  const back = a ? `/registry/addresses?grid=${a.gridId}&address=${a.id}` : '/registry/addresses';

  return (
    <PageContainer
      title={a ? a.name : t('registry.addressPage.title')}
      subtitle={a?.fullText}
      extra={
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(back)}>
          {t('registry.addressPage.back')}
        </Button>
      }
    >
      {address.isError ? (
        <ProblemAlert error={address.error} />
      ) : address.isPending ? (
        <Card>
          <Skeleton active paragraph={{ rows: 10 }} />
        </Card>
      ) : (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={11}>
            <AddressDetailPanel
              key={id}
              addressId={id}
              showPageLink={false}
              onChanged={() => void qc.invalidateQueries({ queryKey: registryKeys.addressChildren(id) })}
            />
          </Col>
          <Col xs={24} xl={13}>
            <Space direction="vertical" size={16} style={{ width: '100%' }}>
              {can('person.read') ? <ResidentsCard addressId={id} /> : null}
              {can('person.read') ? <HousingCard addressId={id} /> : null}
              <ChildrenCard addressId={id} />
            </Space>
          </Col>
        </Row>
      )}
    </PageContainer>
  );
}
