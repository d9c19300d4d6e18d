import { Badge, Button, Card, Descriptions } from 'antd';
import { IdcardOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../shared/i18n';
import { useMe } from '../../auth/AuthProvider';
import { SETTINGS_PATH } from '../../nav';

export function AccountCard() {
  const { t } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  return (
    <Card
      title={
        <span>
          <IdcardOutlined style={{ marginInlineEnd: 8, color: '#1a4fa0' }} />
          {t('dashboard.account')}
        </span>
      }
      extra={
        <Button type="link" size="small" onClick={() => navigate(SETTINGS_PATH)}>
          {t('dashboard.account.manage')}
        </Button>
      }
    >
      <Descriptions
        column={1}
        size="small"
        styles={{ label: { width: 96 } }}
        items={[
          { key: 'username', label: t('dashboard.account.username'), children: me.username },
          {
            key: 'totp',
            label: t('dashboard.account.totp'),
            children: (
              <Badge
                status={me.totpEnabled ? 'success' : 'warning'}
                text={me.totpEnabled ? t('settings.totp.enabled') : t('settings.totp.disabled')}
              />
            ),
          },
          {
            key: 'permissions',
            label: t('dashboard.account.permissions'),
            children: t('dashboard.account.permissionCount', { count: me.permissions.length }),
          },
        ]}
      />
    </Card>
  );
}
