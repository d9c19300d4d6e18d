import { useState } from 'react';
import { Badge, Button, Card, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { LockOutlined, PlusOutlined, SafetyOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { Page, UserSummary } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { departmentName, formatTime, DATE_TIME_SHORT } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useAuth } from '../../auth/AuthProvider';
import { PageContainer } from '../../layout/PageContainer';
import { queryKeys } from '../../data/queries';
import { RoleTags } from '../../components/RoleTags';
import { StatusTag } from '../../components/StatusTag';
import { UserFilters, type UserFilterValues } from './UserFilters';
import { UserFormModal } from './UserFormModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserRowActions } from './UserRowActions';

type ModalState = { type: 'create' } | { type: 'edit'; user: UserSummary } | { type: 'reset'; user: UserSummary };

export default function UsersPage() {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const { can } = useAuth();
  const canManage = can('user.manage');
  const [filters, setFilters] = useState<UserFilterValues>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [modal, setModal] = useState<ModalState | null>(null);

  const params = { ...filters, page, pageSize };
  const users = useQuery({
    queryKey: queryKeys.users(params),
    queryFn: () => api.get<Page<UserSummary>>('/users', params),
    placeholderData: keepPreviousData,
  });

  const columns: TableColumnsType<UserSummary> = [
    {
      key: 'user',
      title: t('user.field.user'),
      fixed: isMobile ? undefined : 'left',
      width: 190,
      render: (_: unknown, u) => (
        <div>
          <Space size={6} wrap>
            <Typography.Text strong>{u.displayName}</Typography.Text>
            {u.locked ? (
              <Tag color="red" icon={<LockOutlined />} style={{ marginInlineEnd: 0 }} data-testid="locked-tag">
                {t('user.locked')}
              </Tag>
            ) : null}
          </Space>
          <div>
            <Typography.Text type="secondary" className="fq-mono">
              {u.username}
            </Typography.Text>
          </div>
        </div>
      ),
    },
    {
      key: 'orgUnit',
      title: t('user.field.orgUnit'),
      width: 180,
      render: (_: unknown, u) => (
        <div>
          <div>{u.orgUnit?.name ?? t('common.none')}</div>
          {departmentName(u.department) ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {departmentName(u.department)}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      key: 'roles',
      title: t('user.field.roles'),
      render: (_: unknown, u) => (u.roles?.length ? <RoleTags roles={u.roles} max={3} /> : t('common.none')),
    },
    {
      key: 'phone',
      title: t('user.field.phone'),
      dataIndex: 'phone',
      width: 130,
      render: (p: string | null) => (p ? <span className="fq-mono">{p}</span> : t('common.none')),
    },
    {
      key: 'status',
      title: t('common.status'),
      width: 110,
      render: (_: unknown, u) => (
        <Space size={4}>
          <StatusTag status={u.status} />
          {u.totpEnabled ? (
            <Tooltip title={t('user.totpOn')}>
              <SafetyOutlined style={{ color: '#389e0d' }} aria-label={t('user.totpOn')} />
            </Tooltip>
          ) : null}
        </Space>
      ),
    },
    {
      key: 'lastLoginAt',
      title: t('user.field.lastLoginAt'),
      dataIndex: 'lastLoginAt',
      width: 150,
      render: (v: string | null) =>
        v ? formatTime(v, DATE_TIME_SHORT) : <Badge status="default" text={t('user.neverLoggedIn')} />,
    },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      width: isMobile ? 64 : 200,
      render: (_: unknown, u) => (
        <UserRowActions
          compact={isMobile}
          user={u}
          onEdit={() => setModal({ type: 'edit', user: u })}
          onResetPassword={() => setModal({ type: 'reset', user: u })}
        />
      ),
    });
  }

  return (
    <PageContainer
      subtitle={t('user.subtitle')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ type: 'create' })} data-testid="user-create">
            {t('user.create')}
          </Button>
        ) : null
      }
    >
      <Card>
        <UserFilters
          onSearch={(v) => {
            setFilters(v);
            setPage(1);
          }}
        />
        {users.isError ? (
          <ProblemAlert error={users.error} />
        ) : (
          <Table<UserSummary>
            rowKey="id"
            data-testid="users-table"
            loading={users.isFetching}
            dataSource={users.data?.items ?? []}
            columns={columns}
            scroll={{ x: 1100 }}
            locale={{ emptyText: users.isPending ? ' ' : <Empty description={t('user.empty')} /> }}
            pagination={{
              current: page,
              pageSize,
              total: users.data?.total ?? 0,
              showSizeChanger: !isMobile,
              simple: isMobile,
              pageSizeOptions: [10, 20, 50, 100],
              showTotal: (total) => t('common.total', { total }),
              onChange: (p, ps) => {
                setPage(ps !== pageSize ? 1 : p);
                setPageSize(ps);
              },
            }}
          />
        )}
      </Card>

      {modal?.type === 'create' ? <UserFormModal onClose={() => setModal(null)} /> : null}
      {modal?.type === 'edit' ? <UserFormModal user={modal.user} onClose={() => setModal(null)} /> : null}
      {modal?.type === 'reset' ? <ResetPasswordModal user={modal.user} onClose={() => setModal(null)} /> : null}
    </PageContainer>
  );
}
