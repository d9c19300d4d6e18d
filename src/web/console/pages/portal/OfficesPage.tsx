import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Empty, Flex, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { useAuth } from '../../auth/AuthProvider';
import { StatusTag } from '../../components/StatusTag';
import { useOffices, useServices } from '../../data/portal';
import type { Office, Service } from '../../data/portal';
import { PhoneLink } from './labels';
import { OfficeDrawer } from './OfficeDrawer';
import { ServiceDrawer } from './ServiceDrawer';

const KIND_COLORS: Record<string, string> = { station: 'geekblue', office: 'blue', post: 'cyan' };

function HoursLines({ office }: { office: Office }) {
  const { t } = useI18n();
  const lines = office.hoursText ?? [];
  return (
    <div style={{ fontSize: 13 }}>
      {lines.length ? lines.map((l) => <div key={l}>{l}</div>) : <Typography.Text type="secondary">{t('portalOffice.hours.none')}</Typography.Text>}
      {office.hoursNote ? (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {office.hoursNote}
        </Typography.Text>
      ) : null}
    </div>
  );
}

function ServicesCard({ office, canManage }: { office: Office; canManage: boolean }) {
  const { t, tx } = useI18n();
  const services = useServices(office.id);
  const [editing, setEditing] = useState<{ service?: Service } | null>(null);
  return (
    <Card
      title={t('portalService.title', { office: office.name })}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="service-create">
            {t('portalService.create')}
          </Button>
        ) : null
      }
      data-testid="services-card"
    >
      {services.isError ? (
        <ProblemAlert error={services.error} />
      ) : (
        <Table<Service>
          rowKey="id"
          size="middle"
          loading={services.isFetching}
          dataSource={services.data ?? []}
          pagination={false}
          scroll={{ x: 1080 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalService.empty')} /> }}
          columns={[
            {
              key: 'category',
              title: t('portalService.category'),
              width: 100,
              render: (_, s) => <Tag variant="filled">{tx(`portalService.category.${s.category}`, s.categoryName)}</Tag>,
            },
            {
              key: 'name',
              title: t('portalService.name'),
              width: 220,
              render: (_, s) => (
                <div>
                  <Typography.Text strong>{s.name}</Typography.Text>
                  {s.description ? (
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: s.description }} style={{ fontSize: 12, marginBottom: 0 }}>
                      {s.description}
                    </Typography.Paragraph>
                  ) : null}
                </div>
              ),
            },
            {
              key: 'docs',
              title: t('portalService.docs'),
              render: (_, s) =>
                s.requiredDocs?.length ? (
                  <Flex gap={4} wrap>
                    {s.requiredDocs.map((d) => (
                      <Tag key={d} style={{ marginInlineEnd: 0 }}>
                        {d}
                      </Tag>
                    ))}
                  </Flex>
                ) : (
                  t('common.none')
                ),
            },
            {
              key: 'online',
              title: t('portalService.fullyOnline'),
              width: 100,
              render: (_, s) => (s.fullyOnline ? <Tag color="green">{t('portalService.online')}</Tag> : <Tag>{t('portalService.inPerson')}</Tag>),
            },
            {
              key: 'slot',
              title: t('portalService.booking'),
              width: 170,
              render: (_, s) => (
                <span style={{ fontSize: 13 }}>{t('portalService.bookingText', { minutes: s.slotMinutes, capacity: s.capacity, days: s.daysAhead })}</span>
              ),
            },
            { key: 'status', title: t('common.status'), width: 90, render: (_, s) => <StatusTag status={s.status} /> },
            ...(canManage
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 90,
                    render: (_: unknown, s: Service) => (
                      <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing({ service: s })}>
                        {t('common.edit')}
                      </Button>
                    ),
                  },
                ]
              : []),
          ]}
        />
      )}
      {editing ? <ServiceDrawer office={office} service={editing.service} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}

/** 办事事项与警务室: offices residents can visit, their hours, and the services they take appointments for. */
export default function OfficesPage() {
  const { t, tx } = useI18n();
  const { can, me } = useAuth();
  const canManage = can('service.manage');
  const offices = useOffices();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<{ office?: Office } | null>(null);
  const list = offices.data ?? [];
  const selectedId = params.get('office') ?? list[0]?.id;
  const selected = list.find((o) => o.id === selectedId) ?? null;
  const select = (id: string) => {
    const p = new URLSearchParams(params);
    p.set('office', id);
    setParams(p, { replace: true });
  };

  return (
    <PageContainer
      subtitle={t('portalOffice.subtitle')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({})} data-testid="office-create">
            {t('portalOffice.create')}
          </Button>
        ) : null
      }
    >
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Card title={t('portalOffice.title')}>
          {offices.isError ? (
            <ProblemAlert error={offices.error} />
          ) : (
            <Table<Office>
              rowKey="id"
              size="middle"
              loading={offices.isFetching}
              dataSource={list}
              pagination={list.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
              scroll={{ x: 1080 }}
              onRow={(o) => ({
                onClick: () => select(o.id),
                style: { cursor: 'pointer', background: o.id === selectedId ? '#e6f0ff' : undefined },
              })}
              locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('portalOffice.empty')} /> }}
              columns={[
                {
                  key: 'name',
                  title: t('portalOffice.name'),
                  width: 240,
                  render: (_, o) => (
                    <Space size={6} wrap>
                      <Tag color={KIND_COLORS[o.kind] ?? 'default'} style={{ marginInlineEnd: 0 }}>
                        {tx(`portalOffice.kind.${o.kind}`, o.kindName)}
                      </Tag>
                      <Typography.Text strong>{o.name}</Typography.Text>
                    </Space>
                  ),
                },
                { key: 'unit', title: t('portalOffice.unit'), width: 160, render: (_, o) => o.orgUnitName ?? o.orgUnit?.name ?? t('common.none') },
                { key: 'phone', title: t('portalOffice.phone'), width: 140, render: (_, o) => <PhoneLink phone={o.phone} /> },
                { key: 'hours', title: t('portalOffice.hours'), render: (_, o) => <HoursLines office={o} /> },
                {
                  key: 'status',
                  title: t('common.status'),
                  width: 110,
                  render: (_, o) => (
                    <Space size={4} wrap>
                      {o.status && o.status !== 'active' ? <StatusTag status={o.status} /> : null}
                      {o.status !== 'inactive' ? (
                        o.openNow ? (
                          <Tag color="green" style={{ marginInlineEnd: 0 }}>
                            {t('portalOffice.openNow')}
                          </Tag>
                        ) : (
                          <Tag style={{ marginInlineEnd: 0 }}>{t('portalOffice.closedNow')}</Tag>
                        )
                      ) : null}
                    </Space>
                  ),
                },
                ...(canManage
                  ? [
                      {
                        key: 'actions',
                        title: t('common.actions'),
                        width: 90,
                        render: (_: unknown, o: Office) => (
                          <Button
                            size="small"
                            type="link"
                            icon={<EditOutlined />}
                            onClick={(e) => {
                              e.stopPropagation();
                              setEditing({ office: o });
                            }}
                            data-testid="office-edit"
                          >
                            {t('common.edit')}
                          </Button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </Card>
        {selected ? <ServicesCard key={selected.id} office={selected} canManage={canManage} /> : null}
      </Space>
      {editing ? <OfficeDrawer office={editing.office} defaultUnitId={me?.orgUnit?.id} onClose={() => setEditing(null)} /> : null}
    </PageContainer>
  );
}
