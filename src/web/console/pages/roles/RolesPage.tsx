import { useMemo } from 'react';
import { Alert, Card, Empty, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CheckOutlined } from '@ant-design/icons';
import type { Permission, Role } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { PageContainer } from '../../layout/PageContainer';
import { usePermissions, useRoles } from '../../data/queries';
import { useLocalName } from '../../data/useLocalName';

interface PermissionGroup {
  group: string;
  permissions: Permission[];
}

function groupPermissions(all: Permission[]): PermissionGroup[] {
  const groups = new Map<string, Permission[]>();
  for (const p of all) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  return [...groups.entries()].map(([group, permissions]) => ({ group, permissions }));
}

function RolePermissions({ role, groups }: { role: Role; groups: PermissionGroup[] }) {
  const { t, tx } = useI18n();
  const localName = useLocalName();
  const granted = new Set(role.permissions);
  const shown = groups
    .map((g) => ({ ...g, permissions: g.permissions.filter((p) => granted.has(p.code)) }))
    .filter((g) => g.permissions.length > 0);
  const known = new Set(groups.flatMap((g) => g.permissions.map((p) => p.code)));
  const unknown = role.permissions.filter((c) => !known.has(c));
  if (shown.length === 0 && unknown.length === 0) {
    return <Typography.Text type="secondary">{t('role.noPermissions')}</Typography.Text>;
  }
  return (
    <div style={{ display: 'grid', gap: 8 }}>
      {shown.map((g) => (
        <div key={g.group} style={{ display: 'flex', gap: 8, alignItems: 'baseline', flexWrap: 'wrap' }}>
          <Typography.Text type="secondary" style={{ minWidth: 88 }}>
            {tx(`permission.group.${g.group}`, g.group)}
          </Typography.Text>
          <span style={{ display: 'inline-flex', gap: 4, flexWrap: 'wrap' }}>
            {g.permissions.map((p) => (
              <Tag key={p.code} color="geekblue" title={p.code} style={{ marginInlineEnd: 0 }}>
                {localName(p)}
              </Tag>
            ))}
          </span>
        </div>
      ))}
      {unknown.length ? (
        <div style={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
          {unknown.map((c) => (
            <Tag key={c} className="fq-mono">
              {c}
            </Tag>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export default function RolesPage() {
  const { t, tx } = useI18n();
  const roles = useRoles();
  const permissions = usePermissions();
  const localName = useLocalName();
  const groups = useMemo(() => groupPermissions(permissions.data ?? []), [permissions.data]);
  const error = roles.error ?? permissions.error;
  const loading = roles.isPending || permissions.isPending;

  const roleColumns: TableColumnsType<Role> = [
    {
      key: 'name',
      title: t('role.field.name'),
      dataIndex: 'name',
      width: 180,
      render: (_: string, r) => <Typography.Text strong>{localName(r)}</Typography.Text>,
    },
    {
      key: 'code',
      title: t('role.field.code'),
      dataIndex: 'code',
      width: 160,
      render: (code: string) => <span className="fq-mono">{code}</span>,
    },
    { key: 'description', title: t('role.field.description'), dataIndex: 'description' },
    {
      key: 'count',
      title: t('role.field.permissionCount'),
      width: 110,
      align: 'center',
      render: (_: unknown, r) => <Tag color="blue">{r.permissions.length}</Tag>,
    },
  ];

  const roleList = roles.data ?? [];
  type MatrixRow = Permission & { groupLabel: string };
  const matrixRows: MatrixRow[] = groups.flatMap((g) =>
    g.permissions.map((p) => ({ ...p, groupLabel: tx(`permission.group.${g.group}`, g.group) })),
  );
  const matrixColumns: TableColumnsType<MatrixRow> = [
    {
      key: 'group',
      title: t('role.matrix.group'),
      dataIndex: 'groupLabel',
      fixed: 'left',
      width: 110,
      onCell: (row, index = 0) => {
        const prev = matrixRows[index - 1];
        if (prev && prev.group === row.group) return { rowSpan: 0 };
        let span = 1;
        while (matrixRows[index + span]?.group === row.group) span += 1;
        return { rowSpan: span };
      },
    },
    {
      key: 'permission',
      title: t('role.matrix.permission'),
      fixed: 'left',
      width: 200,
      render: (_: unknown, p) => (
        <div>
          <div>{localName(p)}</div>
          <Typography.Text type="secondary" className="fq-mono">
            {p.code}
          </Typography.Text>
        </div>
      ),
    },
    ...roleList.map((r) => ({
      key: r.code,
      title: localName(r),
      width: 96,
      align: 'center' as const,
      render: (_: unknown, p: MatrixRow) =>
        r.permissions.includes(p.code) ? (
          <CheckOutlined style={{ color: '#1a4fa0' }} aria-label={t('role.matrix.granted')} />
        ) : (
          <span style={{ color: 'rgba(0,0,0,0.15)' }}>—</span>
        ),
    })),
  ];

  return (
    <PageContainer subtitle={t('role.subtitle')}>
      {error ? <ProblemAlert error={error} style={{ marginBottom: 16 }} /> : null}
      <Alert type="info" showIcon title={t('role.readonlyHint')} style={{ marginBottom: 16 }} />
      <Card>
        <Tabs
          items={[
            {
              key: 'roles',
              label: t('role.tab.roles'),
              children: (
                <Table<Role>
                  rowKey="code"
                  loading={loading}
                  dataSource={roleList}
                  columns={roleColumns}
                  pagination={false}
                  scroll={{ x: 760 }}
                  expandable={{
                    expandedRowRender: (r) => <RolePermissions role={r} groups={groups} />,
                    rowExpandable: () => true,
                  }}
                  locale={{ emptyText: <Empty description={t('role.empty')} /> }}
                />
              ),
            },
            {
              key: 'matrix',
              label: t('role.tab.matrix'),
              children: (
                <Table<MatrixRow>
                  rowKey="code"
                  size="small"
                  bordered
                  loading={loading}
                  dataSource={matrixRows}
                  columns={matrixColumns}
                  pagination={false}
                  scroll={{ x: 310 + roleList.length * 96 }}
                  locale={{ emptyText: <Empty description={t('role.permissions.empty')} /> }}
                />
              ),
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
