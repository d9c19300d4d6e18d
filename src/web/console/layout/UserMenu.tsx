import { Avatar, Dropdown, Typography } from 'antd';
import { LogoutOutlined, SettingOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { useNotifyError } from '../../shared/components/useNotifyError';
import { useAuth, useMe } from '../auth/AuthProvider';
import { LOGIN_PATH, SETTINGS_PATH } from '../nav';

export function UserMenu({ compact = false }: { compact?: boolean }) {
  const { t } = useI18n();
  const me = useMe();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const notifyError = useNotifyError();

  const onLogout = async () => {
    try {
      await logout();
    } catch (err) {
      notifyError(err);
    }
    navigate(LOGIN_PATH, { replace: true });
  };

  return (
    <Dropdown
      trigger={['click']}
      placement="bottomRight"
      menu={{
        items: [
          {
            key: 'who',
            disabled: true,
            className: 'fq-user-menu-who',
            label: (
              <div>
                <div className="fq-user-menu-name">{me.displayName}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {me.username}
                  {me.orgUnit ? ` · ${me.orgUnit.name}` : ''}
                </Typography.Text>
              </div>
            ),
          },
          { type: 'divider' },
          { key: 'settings', icon: <SettingOutlined />, label: t('nav.settings') },
          { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t('header.logout')}</span> },
        ],
        onClick: ({ key }) => {
          if (key === 'settings') navigate(SETTINGS_PATH);
          if (key === 'logout') void onLogout();
        },
      }}
    >
      <button type="button" className="fq-user-trigger" data-testid="user-menu" aria-label={t('header.userMenu')}>
        <Avatar size={30} icon={<UserOutlined />} style={{ background: '#1a4fa0', flex: 'none' }} />
        {compact ? null : <span className="fq-user-name">{me.displayName}</span>}
      </button>
    </Dropdown>
  );
}
