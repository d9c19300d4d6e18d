import { useMemo, useState } from 'react';
import { App, Button, Card, Col, Empty, Form, Input, Popconfirm, Row, Select, Space, Table, Tag } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { Department, DepartmentKind, OrgTreeNode } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { useAuth } from '../../auth/AuthProvider';
import { PageContainer } from '../../layout/PageContainer';
import { queryKeys, useDepartments, useOrgTree } from '../../data/queries';
import { flattenTree } from '../../data/orgTree';
import { OrgUnitSelect } from '../../components/OrgUnitSelect';
import { StatusTag } from '../../components/StatusTag';
import { DepartmentFormModal, type DepartmentFormMode } from './DepartmentFormModal';

interface Filters {
  q?: string;
  orgUnitId?: string;
  kind?: DepartmentKind;
  status?: string;
}

/** Ids of a unit and everything below it. */
function subtreeIds(node: OrgTreeNode | undefined, into = new Set<string>()): Set<string> {
  if (!node) return into;
  into.add(node.id);
  node.children?.forEach((c) => subtreeIds(c, into));
  return into;
}

export const KIND_COLORS: Record<DepartmentKind, string> = { internal: 'blue', partner: 'green' };

export default function DepartmentsPage() {
  const { t, tx } = useI18n();
  const isMobile = useIsMobile();
  const { can } = useAuth();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const qc = useQueryClient();
  const canManage = can('org.manage');
  const departments = useDepartments();
  const tree = useOrgTree();
  const units = useMemo(() => flattenTree(tree.data ?? []), [tree.data]);
  const [form] = Form.useForm<Filters>();
  const [filters, setFilters] = useState<Filters>({});
  const [modal, setModal] = useState<DepartmentFormMode | null>(null);

  const setStatus = useMutation({
    mutationFn: ({ id, status }: { id: string; status: 'active' | 'inactive' }) =>
      api.patch<Department>(`/org/departments/${encodeURIComponent(id)}`, { status }),
    onSuccess: (_d, v) => {
      message.success(t(v.status === 'active' ? 'dept.activated' : 'dept.deactivated'));
      void qc.invalidateQueries({ queryKey: queryKeys.departments });
    },
    onError: notifyError,
  });

  const rows = useMemo(() => {
    const all = departments.data ?? [];
    const scope = filters.orgUnitId ? subtreeIds(units.get(filters.orgUnitId)) : null;
    const q = filters.q?.trim().toLowerCase();
    return all.filter(
      (d) =>
        (!scope || scope.has(d.orgUnitId)) &&
        (!filters.kind || d.kind === filters.kind) &&
        (!filters.status || d.status === filters.status) &&
        (!q ||
          d.name.toLowerCase().includes(q) ||
          tx(`dept.category.${d.kind}.${d.category}`, d.category ?? '').toLowerCase().includes(q)),
    );
  }, [departments.data, filters, units, tx]);

  const columns: TableColumnsType<Department> = [
    { key: 'name', title: t('dept.field.name'), dataIndex: 'name', fixed: isMobile ? undefined : 'left', width: 180 },
    {
      key: 'kind',
      title: t('dept.field.kind'),
      dataIndex: 'kind',
      width: 120,
      render: (kind: DepartmentKind) => <Tag color={KIND_COLORS[kind]}>{tx(`dept.kind.${kind}`, kind)}</Tag>,
    },
    {
      key: 'category',
      title: t('dept.field.category'),
      dataIndex: 'category',
      width: 140,
      render: (c: string, d) => (c ? tx(`dept.category.${d.kind}.${c}`, c) : t('common.none')),
    },
    {
      key: 'orgUnit',
      title: t('dept.field.orgUnit'),
      dataIndex: 'orgUnitId',
      width: 200,
      render: (id: string, d) => d.orgUnitName ?? units.get(id)?.name ?? <span className="fq-mono">{id}</span>,
    },
    {
      key: 'contactPhone',
      title: t('dept.field.contactPhone'),
      dataIndex: 'contactPhone',
      width: 150,
      render: (p: string | null) => p || t('common.none'),
    },
    {
      key: 'status',
      title: t('common.status'),
      dataIndex: 'status',
      width: 90,
      render: (s: string) => <StatusTag status={s} />,
    },
  ];
  if (canManage) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      fixed: 'right',
      width: isMobile ? 110 : 150,
      render: (_: unknown, d) => (
        <Space size={4}>
          <Button type="link" size="small" onClick={() => setModal({ type: 'edit', department: d })}>
            {t('common.edit')}
          </Button>
          {d.status === 'active' ? (
            <Popconfirm
              title={t('dept.deactivate.confirm', { name: d.name })}
              okButtonProps={{ danger: true }}
              onConfirm={() => setStatus.mutateAsync({ id: d.id, status: 'inactive' }).catch(() => undefined)}
            >
              <Button type="link" size="small" danger>
                {t('common.deactivate')}
              </Button>
            </Popconfirm>
          ) : (
            <Button type="link" size="small" onClick={() => setStatus.mutate({ id: d.id, status: 'active' })}>
              {t('common.activate')}
            </Button>
          )}
        </Space>
      ),
    });
  }

  return (
    <PageContainer
      subtitle={t('dept.subtitle')}
      extra={
        canManage ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ type: 'create' })} data-testid="dept-create">
            {t('dept.create')}
          </Button>
        ) : null
      }
    >
      <Card>
        <Form<Filters> form={form} className="fq-filter-bar" onFinish={(v) => setFilters(v)} layout="vertical">
          <Row gutter={16} align="bottom">
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="q" label={t('common.keyword')}>
                <Input allowClear placeholder={t('dept.filter.keyword')} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="orgUnitId" label={t('dept.field.orgUnit')}>
                <OrgUnitSelect />
              </Form.Item>
            </Col>
            <Col xs={12} sm={12} lg={4}>
              <Form.Item name="kind" label={t('dept.field.kind')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={(['internal', 'partner'] as const).map((k) => ({ value: k, label: t(`dept.kind.${k}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={12} sm={12} lg={4}>
              <Form.Item name="status" label={t('common.status')}>
                <Select
                  allowClear
                  placeholder={t('common.all')}
                  options={(['active', 'inactive'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={24} lg={4}>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t('common.search')}
                  </Button>
                  <Button
                    icon={<ReloadOutlined />}
                    onClick={() => {
                      form.resetFields();
                      setFilters({});
                    }}
                  >
                    {t('common.reset')}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>

        {departments.isError ? (
          <ProblemAlert error={departments.error} />
        ) : (
          <Table<Department>
            rowKey="id"
            loading={departments.isPending}
            dataSource={rows}
            columns={columns}
            scroll={{ x: 1000 }}
            pagination={{ showSizeChanger: !isMobile, simple: isMobile, showTotal: (total) => t('common.total', { total }) }}
            locale={{ emptyText: <Empty description={t('dept.empty')} /> }}
          />
        )}
      </Card>

      {modal ? <DepartmentFormModal mode={modal} onClose={() => setModal(null)} /> : null}
    </PageContainer>
  );
}
