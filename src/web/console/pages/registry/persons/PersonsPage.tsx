import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Button, Card, Empty, Input, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, UserAddOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { PageContainer } from '../../../layout/PageContainer';
import { useAuth } from '../../../auth/AuthProvider';
import { PurposeExportModal } from '../../../components/PurposeExportModal';
import { usePersonSearch } from '../../../data/population';
import type { PersonListItem } from '../../../data/population';
import { PersonFormDrawer } from './PersonFormDrawer';

const PAGE_SIZE = 20;

export default function PersonsPage() {
  const { t, tx } = useI18n();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const [term, setTerm] = useState(q);
  const [exporting, setExporting] = useState(false);
  const [registering, setRegistering] = useState(false);
  const navigate = useNavigate();
  const { can } = useAuth();
  const search = usePersonSearch({ q: q || undefined, page, pageSize: PAGE_SIZE });

  const go = (next: { q?: string; page?: number }) => {
    const p = new URLSearchParams();
    const nq = next.q ?? q;
    if (nq) p.set('q', nq);
    if (next.page && next.page > 1) p.set('page', String(next.page));
    setParams(p);
  };

  return (
    <PageContainer
      subtitle={t('registry.persons.subtitle')}
      extra={
        <Space wrap>
          {can('person.write') ? (
            <Button type="primary" icon={<UserAddOutlined />} onClick={() => setRegistering(true)} data-testid="person-register">
              {t('registry.personForm.register')}
            </Button>
          ) : null}
          {can('registry.export') ? (
            <Button icon={<DownloadOutlined />} onClick={() => setExporting(true)} data-testid="person-export">
              {t('registry.persons.export')}
            </Button>
          ) : null}
        </Space>
      }
    >
      {registering ? (
        <PersonFormDrawer
          mode={{ type: 'create' }}
          onClose={() => setRegistering(false)}
          onSaved={(person) => {
            setRegistering(false);
            navigate(`/registry/persons/${person.id}`);
          }}
        />
      ) : null}
      {exporting ? (
        <PurposeExportModal
          path="/persons/export"
          query={{ q: q || undefined }}
          fileStem="persons"
          formats={['xlsx', 'csv']}
          minPurpose={4}
          title={t('registry.persons.export.title')}
          hint={t('registry.persons.export.hint')}
          onClose={() => setExporting(false)}
        />
      ) : null}
      <Card>
        <Input.Search
          allowClear
          size="large"
          placeholder={t('registry.persons.search')}
          value={term}
          onChange={(e) => {
            setTerm(e.target.value);
            if (!e.target.value) go({ q: '', page: 1 });
          }}
          onSearch={(v) => go({ q: v.trim(), page: 1 })}
          enterButton={t('common.search')}
          style={{ marginBottom: 16, maxWidth: 720 }}
          data-testid="person-search"
        />
        {search.isError ? (
          <ProblemAlert error={search.error} />
        ) : (
          <Table<PersonListItem>
            rowKey="id"
            size="middle"
            loading={search.isFetching}
            dataSource={search.data?.items ?? []}
            scroll={{ x: 1040 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={q ? t('registry.persons.empty') : t('registry.persons.none')} /> }}
            columns={[
              {
                key: 'name',
                title: t('registry.residents.name'),
                fixed: 'left',
                width: 110,
                render: (_, p) => <Link to={`/registry/persons/${p.id}`}>{p.name}</Link>,
              },
              {
                key: 'id',
                title: t('registry.residents.idNumber'),
                width: 200,
                render: (_, p) => (
                  <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
                    {p.idNumber ?? t('common.none')}
                  </Typography.Text>
                ),
              },
              {
                key: 'sexAge',
                title: t('registry.residents.sexAge'),
                width: 110,
                render: (_, p) =>
                  [p.sex ? tx(`registry.sex.${p.sex}`, p.sex) : null, p.age != null ? t('registry.residents.age', { age: p.age }) : null]
                    .filter(Boolean)
                    .join(' · ') || t('common.none'),
              },
              {
                key: 'type',
                title: t('registry.person.type'),
                width: 110,
                render: (_, p) => tx(`registry.personType.${p.personType}`, p.personType),
              },
              { key: 'phone', title: t('registry.person.phone'), width: 130, render: (_, p) => p.phone ?? t('common.none') },
              {
                key: 'address',
                title: t('registry.person.currentAddress'),
                width: 280,
                render: (_, p) => p.currentAddress ?? t('common.none'),
              },
              {
                key: 'matchedBy',
                title: t('registry.persons.matchedBy'),
                width: 100,
                render: (_, p) => (p.matchedBy ? <Tag color="blue">{tx(`registry.matchedBy.${p.matchedBy}`, p.matchedBy)}</Tag> : null),
              },
            ]}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: search.data?.total ?? 0,
              showSizeChanger: false,
              onChange: (p) => go({ page: p }),
              showTotal: (total) => t('common.total', { total }),
            }}
          />
        )}
      </Card>
    </PageContainer>
  );
}
