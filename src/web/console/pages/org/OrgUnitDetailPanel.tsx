import { useMemo, useState } from 'react';
import { App, Breadcrumb, Button, Card, Descriptions, Empty, Popconfirm, Skeleton, Space, Table, Tag, Tooltip } from 'antd';
import { EditOutlined, PlusOutlined, PoweroffOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { OrgTreeNode, OrgUnitDetail } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { useAuth } from '../../auth/AuthProvider';
import { queryKeys, useOrgTree } from '../../data/queries';
import { childKinds, flattenTree } from '../../data/orgTree';
import { StatusTag } from '../../components/StatusTag';
import { OrgUnitFormModal, type OrgUnitFormMode } from './OrgUnitFormModal';

interface Props {
  unitId: string;
  onSelect: (id: string) => void;
}

export function OrgUnitDetailPanel({ unitId, onSelect }: Props) {
  const { t, tx } = useI18n();
  const { can, me } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const qc = useQueryClient();
  const canManage = can('org.manage');
  const isMobile = useIsMobile();
  const [modal, setModal] = useState<OrgUnitFormMode | null>(null);

  const unit = useQuery({
    queryKey: queryKeys.orgUnit(unitId),
    queryFn: () => api.get<OrgUnitDetail>(`/org/units/${encodeURIComponent(unitId)}`),
  });
  const tree = useOrgTree();
  const node: OrgTreeNode | undefined = useMemo(() => flattenTree(tree.data ?? []).get(unitId), [tree.data, unitId]);

  const setStatus = useMutation({
    mutationFn: (status: 'active' | 'inactive') =>
      api.patch<OrgUnitDetail>(`/org/units/${encodeURIComponent(unitId)}`, { status }),
    onSuccess: (_data, status) => {
      message.success(t(status === 'active' ? 'org.activated' : 'org.deactivated'));
      void qc.invalidateQueries({ queryKey: ['org'] });
    },
    onError: notifyError,
  });

  if (unit.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 6 }} />
      </Card>
    );
  }
  if (unit.isError) {
    return (
      <Card>
        <ProblemAlert error={unit.error} />
      </Card>
    );
  }

  const u = unit.data;
  const active = u.status === 'active';
  const finerKinds = childKinds(u.kind);
  const children = node?.children ?? [];

  const actions = canManage ? (
    <Space wrap>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        disabled={!active || finerKinds.length === 0}
        onClick={() => setModal({ type: 'create', parent: u })}
        data-testid="org-add-child"
      >
        {t('org.addChild')}
      </Button>
      <Button icon={<EditOutlined />} onClick={() => setModal({ type: 'edit', unit: u })} data-testid="org-edit">
        {t('common.edit')}
      </Button>
      {active && u.id === me?.orgUnit?.id ? (
        <Tooltip title={t('org.deactivate.ownUnit')}>
          <Button danger icon={<PoweroffOutlined />} disabled>
            {t('common.deactivate')}
          </Button>
        </Tooltip>
      ) : active ? (
        <Popconfirm
          title={t('org.deactivate.confirm', { name: u.name })}
          description={t('org.deactivate.confirmDesc')}
          okButtonProps={{ danger: true }}
          onConfirm={() => setStatus.mutateAsync('inactive').catch(() => undefined)}
        >
          <Button danger icon={<PoweroffOutlined />} loading={setStatus.isPending}>
            {t('common.deactivate')}
          </Button>
        </Popconfirm>
      ) : (
        <Button icon={<CheckCircleOutlined />} loading={setStatus.isPending} onClick={() => setStatus.mutate('active')}>
          {t('common.activate')}
        </Button>
      )}
    </Space>
  ) : null;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <Space size={8} wrap>
            <span>{u.name}</span>
            <StatusTag status={u.status} />
          </Space>
        }
        extra={isMobile ? undefined : actions}
        data-testid="org-unit-detail"
      >
        {isMobile && actions ? <div style={{ marginBottom: 16 }}>{actions}</div> : null}
        {u.ancestors?.length ? (
          <Breadcrumb
            style={{ marginBottom: 16 }}
            items={[
              ...u.ancestors.map((a) => ({
                key: a.id,
                title: (
                  <a
                    onClick={(e) => {
                      e.preventDefault();
                      onSelect(a.id);
                    }}
                    href={`?unit=${encodeURIComponent(a.id)}`}
                  >
                    {a.name}
                  </a>
                ),
              })),
              { key: u.id, title: u.name },
            ]}
          />
        ) : null}
        <Descriptions
          bordered
          size="small"
          column={{ xs: 1, sm: 1, md: 2 }}
          styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
          items={[
            { key: 'name', label: t('org.field.name'), children: u.name },
            { key: 'code', label: t('org.field.code'), children: <span className="fq-mono">{u.code}</span> },
            { key: 'kind', label: t('org.field.kind'), children: tx(`org.kind.${u.kind}`, u.kind) },
            { key: 'status', label: t('common.status'), children: <StatusTag status={u.status} /> },
            { key: 'contactPhone', label: t('org.field.contactPhone'), children: u.contactPhone || t('common.none') },
            {
              key: 'boundary',
              label: t('org.field.boundary'),
              children: u.boundary ? (
                <Tag color="green">{t('org.boundary.set')}</Tag>
              ) : (
                <Tag>{t('org.boundary.unset')}</Tag>
              ),
            },
            { key: 'address', label: t('org.field.address'), children: u.address || t('common.none'), span: 'filled' },
          ]}
        />
      </Card>

      <Card title={t('org.children', { count: children.length })} size="small">
        <Table<OrgTreeNode>
          size="small"
          rowKey="id"
          dataSource={children}
          pagination={children.length > 10 ? { pageSize: 10, size: 'small' } : false}
          scroll={{ x: 520 }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.children.empty')} /> }}
          onRow={(record) => ({ onClick: () => onSelect(record.id), style: { cursor: 'pointer' } })}
          // rows are tree nodes: their `children` are not table sub-rows
          expandable={{ childrenColumnName: 'noSubRows' }}
          columns={[
            { key: 'name', title: t('org.field.name'), dataIndex: 'name' },
            {
              key: 'kind',
              title: t('org.field.kind'),
              dataIndex: 'kind',
              width: 140,
              render: (kind: string) => tx(`org.kind.${kind}`, kind),
            },
            {
              key: 'code',
              title: t('org.field.code'),
              dataIndex: 'code',
              width: 180,
              render: (code: string) => <span className="fq-mono">{code}</span>,
            },
            {
              key: 'status',
              title: t('common.status'),
              dataIndex: 'status',
              width: 90,
              render: (s: string) => <StatusTag status={s} />,
            },
          ]}
        />
      </Card>

      {modal ? (
        <OrgUnitFormModal
          mode={modal}
          onClose={() => setModal(null)}
          onSaved={(saved) => {
            setModal(null);
            if (modal.type === 'create' && saved?.id) onSelect(saved.id);
          }}
        />
      ) : null}
    </Space>
  );
}
