import { useState } from 'react';
import { Link } from 'react-router';
import { Button, Descriptions, Drawer, Empty, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, LogoutOutlined, UserAddOutlined } from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { useIsMobile } from '../../../../shared/hooks/useMediaQuery';
import { useAuth } from '../../../auth/AuthProvider';
import { useUnit } from '../../../data/units';
import type { UnitEmployee, UnitState } from '../../../data/units';
import { UnitFormDrawer } from './UnitFormDrawer';
import { AddEmployeeModal, EndEmploymentModal } from './EmploymentModals';

export function UnitStatusTag({ status }: { status: UnitState }) {
  const { tx } = useI18n();
  return (
    <Tag color={status === 'active' ? 'success' : 'default'} variant="filled">
      {tx(`registry.unitStatus.${status}`, status)}
    </Tag>
  );
}

/** A unit with its legal representative and employees; editing, 添加从业人员 and 离职 for unit.write. */
export function UnitDetailDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const isMobile = useIsMobile();
  const unit = useUnit(id);
  const [dialog, setDialog] = useState<{ kind: 'edit' } | { kind: 'add' } | { kind: 'end'; employment: UnitEmployee } | null>(null);
  const u = unit.data;
  const none = t('common.none');
  const canWrite = can('unit.write');

  return (
    <Drawer
      open
      onClose={onClose}
      size={isMobile ? '100%' : 680}
      title={u?.name ?? t('registry.units.detail')}
      destroyOnHidden
      data-testid="unit-drawer"
      extra={
        canWrite && u ? (
          <Button icon={<EditOutlined />} onClick={() => setDialog({ kind: 'edit' })} data-testid="unit-edit">
            {t('common.edit')}
          </Button>
        ) : null
      }
    >
      {unit.isError ? (
        <ProblemAlert error={unit.error} />
      ) : !u ? (
        <Skeleton active />
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions column={1} size="small" bordered styles={{ label: { width: isMobile ? 96 : 130 } }}>
            <Descriptions.Item label={u.creditCode ? t('registry.unitForm.creditCode') : t('registry.unitForm.otherRegNo')}>
              <Typography.Text code style={{ wordBreak: 'break-all' }}>
                {u.creditCode ?? u.otherRegNo ?? none}
              </Typography.Text>
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
            <Descriptions.Item label={t('registry.units.contact')}>{[u.contactName, u.contactPhone].filter(Boolean).join(' · ') || none}</Descriptions.Item>
            <Descriptions.Item label={t('registry.address.status')}>
              <UnitStatusTag status={u.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t('registry.person.unit')}>{u.orgUnit?.name ?? none}</Descriptions.Item>
            <Descriptions.Item label={t('registry.person.updatedAt')}>{formatTime(u.updatedAt)}</Descriptions.Item>
          </Descriptions>
          <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8, flexWrap: 'wrap' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('registry.units.employees')}
            </Typography.Title>
            {canWrite && u.status === 'active' ? (
              <Button size="small" type="primary" icon={<UserAddOutlined />} onClick={() => setDialog({ kind: 'add' })} data-testid="employee-add">
                {t('registry.employment.add')}
              </Button>
            ) : null}
          </div>
          <Table<UnitEmployee>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={u.employees}
            scroll={{ x: 560 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('registry.units.noEmployees')} /> }}
            columns={[
              {
                key: 'name',
                title: t('registry.residents.name'),
                onCell: () => ({ style: { whiteSpace: 'nowrap' } }),
                render: (_, e) => (
                  <Space size={4}>
                    <Link to={`/registry/persons/${e.person.id}`}>{e.person.name}</Link>
                    {e.current ? null : <Tag style={{ marginInlineEnd: 0 }}>{t('registry.employment.left')}</Tag>}
                  </Space>
                ),
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
              ...(canWrite
                ? [
                    {
                      key: 'actions',
                      title: t('common.actions'),
                      width: 84,
                      fixed: 'right' as const,
                      render: (_: unknown, e: UnitEmployee) =>
                        e.current ? (
                          <Button size="small" type="link" danger icon={<LogoutOutlined />} onClick={() => setDialog({ kind: 'end', employment: e })} data-testid="employment-end">
                            {t('registry.employment.end')}
                          </Button>
                        ) : null,
                    },
                  ]
                : []),
            ]}
          />
        </Space>
      )}
      {dialog?.kind === 'edit' && u ? <UnitFormDrawer unit={u} onClose={() => setDialog(null)} onSaved={() => setDialog(null)} /> : null}
      {dialog?.kind === 'add' && u ? <AddEmployeeModal unitId={u.id} unitName={u.name} onClose={() => setDialog(null)} /> : null}
      {dialog?.kind === 'end' && u ? <EndEmploymentModal unitId={u.id} employment={dialog.employment} onClose={() => setDialog(null)} /> : null}
    </Drawer>
  );
}
