import { useState } from 'react';
import { Link } from 'react-router';
import { App, Breadcrumb, Button, Card, Descriptions, Empty, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import {
  EditOutlined,
  PlusOutlined,
  PoweroffOutlined,
  PrinterOutlined,
  QrcodeOutlined,
  StopOutlined,
  ProfileOutlined,
} from '@ant-design/icons';
import { useI18n } from '../../../../shared/i18n';
import { formatTime } from '../../../../shared/format';
import { ProblemAlert } from '../../../../shared/components/ProblemAlert';
import { StatusTag } from '../../../components/StatusTag';
import { useAuth } from '../../../auth/AuthProvider';
import { CHILD_LEVELS, useAddress } from '../../../data/registry';
import type { AddressDetail } from '../../../data/registry';
import {
  AddChildModal,
  EditAddressModal,
  PrintModal,
  ReasonModal,
  issuePlate,
  revokePlate,
  setAddressStatus,
} from './AddressModals';

type Dialog = 'add' | 'edit' | 'status' | 'issue' | 'reissue' | 'revoke' | 'print' | null;

interface Props {
  addressId: string;
  onSelect?: (id: string) => void;
  /** Called after a change, with the changed address (to refresh the tree). */
  onChanged: (address: AddressDetail, created?: AddressDetail) => void;
  /** Show the link to the address page (一标三实). */
  showPageLink?: boolean;
}

export function AddressDetailPanel({ addressId, onSelect, onChanged, showPageLink = true }: Props) {
  const { t, tx } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const query = useAddress(addressId);
  const [dialog, setDialog] = useState<Dialog>(null);

  if (query.isError) return <ProblemAlert error={query.error} />;
  if (query.isPending) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }
  const a = query.data;
  const canManage = can('address.manage');
  const canPlate = can('plate.manage');
  const active = a.status === 'active';
  const childLevels = CHILD_LEVELS[a.level];
  const plate = a.activePlate;

  const done = (msg: string, created?: AddressDetail) => {
    setDialog(null);
    message.success(msg);
    void query.refetch().then((r) => {
      if (r.data) onChanged(r.data, created);
    });
  };

  const hasActions = showPageLink || canManage;
  const actions = (
    <Space wrap size={[8, 8]}>
      {showPageLink ? (
        <Link to={`/registry/addresses/${a.id}`}>
          <Button icon={<ProfileOutlined />}>{t('registry.address.openPage')}</Button>
        </Link>
      ) : null}
      {canManage && childLevels.length > 0 ? (
        <Button icon={<PlusOutlined />} disabled={!active} onClick={() => setDialog('add')}>
          {t('registry.address.addChild')}
        </Button>
      ) : null}
      {canManage ? (
        <Button icon={<EditOutlined />} onClick={() => setDialog('edit')}>
          {t('registry.address.edit')}
        </Button>
      ) : null}
      {canManage ? (
        <Button icon={<PoweroffOutlined />} danger={active} onClick={() => setDialog('status')}>
          {active ? t('common.deactivate') : t('common.activate')}
        </Button>
      ) : null}
    </Space>
  );

  return (
    <Card
      title={
        <Space wrap>
          <span>{a.name}</span>
          <Tag variant="filled">{tx(`registry.level.${a.level}`, a.levelName)}</Tag>
          <StatusTag status={a.status} />
        </Space>
      }
      data-testid="address-detail"
    >
      {a.ancestors.length > 0 ? (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={a.ancestors.map((p) => ({
            key: p.id,
            title: onSelect ? <a onClick={() => onSelect(p.id)}>{p.name}</a> : <Link to={`/registry/addresses/${p.id}`}>{p.name}</Link>,
          }))}
        />
      ) : null}
      {hasActions ? <div style={{ marginBottom: 16 }}>{actions}</div> : null}
      <Descriptions column={1} size="small" bordered styles={{ label: { width: 120 } }}>
        <Descriptions.Item label={t('registry.address.fullText')}>
          <Typography.Text copyable>{a.fullText}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('registry.address.code')}>
          <Typography.Text copyable code>
            {a.code}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('registry.address.level')}>{tx(`registry.level.${a.level}`, a.levelName)}</Descriptions.Item>
        <Descriptions.Item label={t('registry.address.status')}>
          <StatusTag status={a.status} />
        </Descriptions.Item>
        <Descriptions.Item label={t('registry.address.coords')}>
          {a.lng != null && a.lat != null ? `${a.lng.toFixed(6)}, ${a.lat.toFixed(6)}` : t('registry.address.noCoords')}
        </Descriptions.Item>
        <Descriptions.Item label={t('registry.address.children')}>
          {a.children.total === 0
            ? t('registry.address.noChildren')
            : t('registry.address.childrenCount', { total: a.children.total, active: a.children.active })}
        </Descriptions.Item>
      </Descriptions>

      <Typography.Title level={5} style={{ marginTop: 20 }}>
        <QrcodeOutlined /> {t('registry.plate.title')}
      </Typography.Title>
      {plate ? (
        <Descriptions column={1} size="small" bordered styles={{ label: { width: 120 } }}>
          <Descriptions.Item label={t('registry.plate.kind')}>{tx(`registry.plate.kind.${plate.kind}`, plate.kindName)}</Descriptions.Item>
          <Descriptions.Item label={t('registry.plate.issuedAt')}>{formatTime(plate.issuedAt)}</Descriptions.Item>
          <Descriptions.Item label={t('registry.plate.link')}>
            <Typography.Text copyable={{ text: plate.url }} style={{ wordBreak: 'break-all' }}>
              {plate.url}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
      ) : (
        <Typography.Paragraph type="secondary">{t('registry.plate.none')}</Typography.Paragraph>
      )}
      {canPlate ? (
        <Space wrap style={{ marginTop: 12 }}>
          {plate ? (
            <>
              <Button icon={<QrcodeOutlined />} disabled={!active} onClick={() => setDialog('reissue')}>
                {t('registry.plate.reissue')}
              </Button>
              <Button icon={<StopOutlined />} danger onClick={() => setDialog('revoke')}>
                {t('registry.plate.revoke')}
              </Button>
            </>
          ) : (
            <Button icon={<QrcodeOutlined />} disabled={!active} onClick={() => setDialog('issue')}>
              {t('registry.plate.issue')}
            </Button>
          )}
          <Button icon={<PrinterOutlined />} disabled={!active} onClick={() => setDialog('print')}>
            {t('registry.print.button')}
          </Button>
        </Space>
      ) : null}

      <Typography.Title level={5} style={{ marginTop: 20 }}>
        {t('registry.address.history')}
      </Typography.Title>
      {a.statusHistory.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
      ) : (
        <Timeline
          style={{ marginTop: 12 }}
          items={a.statusHistory.map((h, i) => ({
            key: i,
            color: h.status === 'active' ? 'green' : 'gray',
            content: (
              <div>
                <Space wrap size={4}>
                  <StatusTag status={h.status} />
                  <span>{h.reason}</span>
                </Space>
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {formatTime(h.changedAt)}
                    {h.changedBy ? ` · ${h.changedBy.name}` : ''}
                  </Typography.Text>
                </div>
              </div>
            ),
          }))}
        />
      )}

      {dialog === 'add' ? (
        <AddChildModal
          open
          parent={a}
          levels={childLevels}
          onClose={() => setDialog(null)}
          onDone={(created) => done(t('registry.address.created', { name: created.name }), created)}
        />
      ) : null}
      {dialog === 'edit' ? (
        <EditAddressModal open address={a} onClose={() => setDialog(null)} onDone={() => done(t('registry.address.saved'))} />
      ) : null}
      {dialog === 'status' ? (
        <ReasonModal
          open
          required
          danger={active}
          title={active ? t('registry.address.deactivateTitle', { name: a.name }) : t('registry.address.activateTitle', { name: a.name })}
          hint={active ? t('registry.address.deactivateHint') : t('registry.address.activateHint')}
          okText={active ? t('common.deactivate') : t('common.activate')}
          submit={(reason) => setAddressStatus(a.id, active ? 'inactive' : 'active', reason)}
          onClose={() => setDialog(null)}
          onDone={() => done(t('registry.address.statusChanged'))}
        />
      ) : null}
      {dialog === 'issue' || dialog === 'reissue' ? (
        <ReasonModal
          open
          required={dialog === 'reissue'}
          title={dialog === 'reissue' ? t('registry.plate.reissue') : t('registry.plate.issue')}
          hint={dialog === 'reissue' ? t('registry.plate.reissueHint') : t('registry.plate.issueHint')}
          okText={dialog === 'reissue' ? t('registry.plate.reissue') : t('registry.plate.issue')}
          submit={(reason) => issuePlate(a.id, reason || undefined)}
          onClose={() => setDialog(null)}
          onDone={() => done(t('registry.plate.issued'))}
        />
      ) : null}
      {dialog === 'revoke' && plate ? (
        <ReasonModal
          open
          required
          danger
          title={t('registry.plate.revoke')}
          hint={t('registry.plate.revokeHint')}
          okText={t('registry.plate.revoke')}
          submit={(reason) => revokePlate(plate.id, reason)}
          onClose={() => setDialog(null)}
          onDone={() => done(t('registry.plate.revoked'))}
        />
      ) : null}
      {dialog === 'print' ? <PrintModal open addresses={[a]} onClose={() => setDialog(null)} /> : null}
    </Card>
  );
}
