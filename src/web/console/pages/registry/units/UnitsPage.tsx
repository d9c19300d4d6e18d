import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Card, Empty, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { PurposeExportModal } from '../../../components/PurposeExportModal';
import { KEY_INDUSTRIES, useUnitList } from '../../../data/units';
import type { Unit, UnitState } from '../../../data/units';
import { UnitDetailDrawer, UnitStatusTag } from './UnitDetailDrawer';
import { UnitFormDrawer } from './UnitFormDrawer';

const PAGE_SIZE = 20;

export default function UnitsPage() {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const keyIndustry = params.get('keyIndustry') ?? undefined;
  const statusParam = params.get('status');
  const status: UnitState | undefined = statusParam === 'active' || statusParam === 'closed' ? statusParam : undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const open = params.get('unit') ?? undefined;
  const [term, setTerm] = useState(q);
  const [dialog, setDialog] = useState<'create' | 'export' | null>(null);
  const list = useUnitList({ q: q || undefined, keyIndustry, status, page, pageSize: PAGE_SIZE });

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };

  return (
    <PageContainer
      subtitle={t('registry.units.subtitle')}
      extra={
        <Space wrap>
          {can('unit.write') ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog('create')} data-testid="unit-create">
              {t('registry.unitForm.register')}
            </Button>
          ) : null}
          {can('registry.export') ? (
            <Button icon={<DownloadOutlined />} onClick={() => setDialog('export')} data-testid="unit-export">
              {t('registry.units.export')}
            </Button>
          ) : null}
        </Space>
      }
    >
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
            data-testid="unit-search"
          />
          <Select
            allowClear
            placeholder={t('registry.units.keyIndustry')}
            value={keyIndustry}
            onChange={(v?: string) => set({ keyIndustry: v, page: undefined })}
            options={KEY_INDUSTRIES.map((k) => ({ value: k, label: t(`registry.keyIndustry.${k}`) }))}
            style={{ flex: '1 1 160px', maxWidth: 200 }}
          />
          <Select
            allowClear
            placeholder={t('registry.address.status')}
            value={status}
            onChange={(v?: string) => set({ status: v, page: undefined })}
            options={(['active', 'closed'] as const).map((s) => ({ value: s, label: t(`registry.unitStatus.${s}`) }))}
            style={{ flex: '1 1 120px', maxWidth: 140 }}
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
              { key: 'status', title: t('registry.address.status'), width: 90, render: (_, u) => <UnitStatusTag status={u.status} /> },
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
      {open ? <UnitDetailDrawer id={open} onClose={() => set({ unit: undefined })} /> : null}
      {dialog === 'create' ? (
        <UnitFormDrawer
          onClose={() => setDialog(null)}
          onSaved={(u) => {
            setDialog(null);
            set({ unit: u.id });
          }}
        />
      ) : null}
      {dialog === 'export' ? (
        <PurposeExportModal
          path="/units/export"
          query={{ q: q || undefined, keyIndustry, status }}
          fileStem="units"
          formats={['xlsx', 'csv']}
          minPurpose={4}
          title={t('registry.units.export.title')}
          hint={t('registry.units.export.hint')}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </PageContainer>
  );
}
