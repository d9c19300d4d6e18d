import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Drawer, Empty, Input, Select, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { api } from '../../../../shared/api';
import { useI18n } from '../../../../shared/i18n';
import { formatTime } from '../../../../shared/format';
import type { Page } from '../../../../shared/types';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useMediaQuery } from '../../../../shared/hooks/useMediaQuery';
import { PageContainer } from '../../../layout/PageContainer';
import { StatusTag } from '../../../components/StatusTag';
import type { Employment } from '../../../data/population';

const KEY_INDUSTRIES = ['hotel', 'courier', 'ebike', 'precursor_chemical', 'school', 'hospital', 'financial', 'entertainment', 'rental_agency', 'other'] as const;
const PAGE_SIZE = 20;

interface Unit {
  id: string;
  creditCode: string | null;
  otherRegNo: string | null;
  name: string;
  unitType: string;
  unitTypeName: string;
  keyIndustry: string | null;
  keyIndustryName: string | null;
  address: { id: string; fullText: string } | null;
  legalRepName: string | null;
  contactName: string | null;
  contactPhone: string | null;
  status: string;
  orgUnit: { id: string; name: string } | null;
  updatedAt: string;
}

interface UnitDetail extends Unit {
  legalRep: { personId: string; name: string; idNumber: string | null } | null;
  employees: (Omit<Employment, 'unit'> & { person: { id: string; name: string; sex: string | null; age: number | null; idNumber: string | null } })[];
}

function UnitDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, tx } = useI18n();
  const narrow = useMediaQuery('(max-width: 767px)');
  const unit = useQuery({ queryKey: ['registry', 'units', 'detail', id], queryFn: () => api.get<UnitDetail>(`/units/${id}`) });
  const u = unit.data;
  const none = t('common.none');
  return (
    <Drawer open onClose={onClose} size={narrow ? '100%' : 640} title={u?.name ?? t('registry.units.detail')} destroyOnHidden>
      {unit.isError ? (
        <ProblemAlert error={unit.error} />
      ) : !u ? (
        <Skeleton active />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered styles={{ label: { width: 130 } }}>
            <Descriptions.Item label={t('registry.units.regNo')}>
              <Typography.Text code>{u.creditCode ?? u.otherRegNo ?? none}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.units.type')}>{tx(`registry.unitType.${u.unitType}`, u.unitTypeName)}</Descriptions.Item>
            <Descriptions.Item label={t('registry.units.keyIndustry')}>
              {u.keyIndustry ? <Tag color="orange">{tx(`registry.keyIndustry.${u.keyIndustry}`, u.keyIndustryName ?? u.keyIndustry)}</Tag> : none}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.units.address')}>
              {u.address ? <Link to={`/registry/addresses/${u.address.id}`}>{u.address.fullText}</Link> : none}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.units.legalRep')}>
              {u.legalRep ? (
                <Space size={6} wrap>
                  <Link to={`/registry/persons/${u.legalRep.personId}`}>{u.legalRep.name}</Link>
                  <Typography.Text code>{u.legalRep.idNumber ?? none}</Typography.Text>
                </Space>
              ) : (
                u.legalRepName ?? none
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.units.contact')}>
              {[u.contactName, u.contactPhone].filter(Boolean).join(' · ') || none}
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.address.status')}>
              <StatusTag status={u.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.person.unit')}>{u.orgUnit?.name ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('registry.person.updatedAt')}>{formatTime(u.updatedAt)}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('registry.units.employees')}
          </Typography.Title>
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={u.employees}
            scroll={{ x: 520 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.units.noEmployees')} /> }}
            columns={[
              {
                key: 'name',
                title: t('registry.residents.name'),
                onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
                render: (_, e) => <Link to={`/registry/persons/${e.person.id}`}>{e.person.name}</Link>,
              },
              {
                key: 'id',
                title: t('registry.residents.idNumber'),
                render: (_, e) => (
                  <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                    {e.person.idNumber ?? none}
                  </Typography.Text>
                ),
              },
              { key: 'role', title: t('registry.units.role'), render: (_, e) => e.role ?? none },
              {
                key: 'period',
                title: t('registry.units.period'),
                onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
                render: (_, e) => `${e.fromDate} ~ ${e.toDate ?? t('registry.person.now')}`,
              },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}

export default function UnitsPage() {
  const { t, tx } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const keyIndustry = params.get('keyIndustry') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const open = params.get('unit') ?? undefined;
  const [term, setTerm] = useState(q);
  const list = useQuery({
    queryKey: ['registry', 'units', 'list', { q, keyIndustry, page }],
    queryFn: () => api.get<Page<Unit>>('/units', { q: q || undefined, keyIndustry, page, pageSize: PAGE_SIZE }),
    placeholderData: (prev) => prev,
  });

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };

  return (
    <PageContainer subtitle={t('registry.units.subtitle')}>
      <Card>
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('registry.units.search')}
            value={term}
            onChange={(e) => {
              setTerm(e.target.value);
              if (!e.target.value) set({ q: undefined, page: undefined });
            }}
            onSearch={(v) => set({ q: v.trim() || undefined, page: undefined })}
            enterButton={t('common.search')}
            style={{ flex: '1 1 260px', maxWidth: 420 }}
          />
          <Select
            allowClear
            placeholder={t('registry.units.keyIndustry')}
            value={keyIndustry}
            onChange={(v?: string) => set({ keyIndustry: v, page: undefined })}
            options={KEY_INDUSTRIES.map((k) => ({ value: k, label: t(`registry.keyIndustry.${k}`) }))}
            style={{ width: 200 }}
          />
        </div>
        {list.isError ? (
          <ProblemAlert error={list.error} />
        ) : (
          <Table<Unit>
            rowKey="id"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            scroll={{ x: 1140 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.units.empty')} /> }}
            onRow={(u) => ({ onClick: () => set({ unit: u.id }), style: { cursor: 'pointer' } })}
            columns={[
              { key: 'name', title: t('registry.units.name'), fixed: 'left', width: 160, render: (_, u) => <a>{u.name}</a> },
              {
                key: 'reg',
                title: t('registry.units.regNo'),
                width: 200,
                render: (_, u) => <Typography.Text code>{u.creditCode ?? u.otherRegNo ?? t('common.none')}</Typography.Text>,
              },
              {
                key: 'industry',
                title: t('registry.units.keyIndustry'),
                width: 130,
                render: (_, u) => (u.keyIndustry ? <Tag color="orange">{tx(`registry.keyIndustry.${u.keyIndustry}`, u.keyIndustryName ?? u.keyIndustry)}</Tag> : t('common.none')),
              },
              { key: 'legal', title: t('registry.units.legalRep'), width: 110, render: (_, u) => u.legalRepName ?? t('common.none') },
              { key: 'address', title: t('registry.units.address'), width: 340, render: (_, u) => u.address?.fullText ?? t('common.none') },
              { key: 'status', title: t('registry.address.status'), width: 90, render: (_, u) => <StatusTag status={u.status} /> },
            ]}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => set({ page: p > 1 ? String(p) : undefined }),
              showTotal: (total) => t('common.total', { total }),
            }}
          />
        )}
      </Card>
      {open ? <UnitDrawer id={open} onClose={() => set({ unit: undefined })} /> : null}
    </PageContainer>
  );
}
