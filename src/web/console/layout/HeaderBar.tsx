import { Button, Layout, Tooltip } from 'antd';
import { ApartmentOutlined, MenuFoldOutlined, MenuOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { useI18n } from '../../shared/i18n';
import { LanguageSwitch } from '../../shared/components/LanguageSwitch';
import { Emblem } from '../../shared/components/Emblem';
import { useMe } from '../auth/AuthProvider';
import { UserMenu } from './UserMenu';
import { NotificationBell } from './NotificationBell';

interface HeaderBarProps {
  isMobile: boolean;
  collapsed: boolean;
  onToggle: () => void;
}

export function HeaderBar({ isMobile, collapsed, onToggle }: HeaderBarProps) {
  const { t } = useI18n();
  const me = useMe();
  const toggleIcon = isMobile ? <MenuOutlined /> : collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />;
  return (
    <Layout.Header className="fq-header">
      <div className="fq-header-left">
        <Button
          type="text"
          icon={toggleIcon}
          onClick={onToggle}
          aria-label={t(isMobile ? 'header.openMenu' : collapsed ? 'header.expand' : 'header.collapse')}
          data-testid="menu-toggle"
        />
        {isMobile ? (
          <span className="fq-header-brand">
            <Emblem size={26} />
            <span>{t('app.name')}</span>
          </span>
        ) : (
          <span className="fq-header-title">{t('app.fullName')}</span>
        )}
      </div>
      <div className="fq-header-right">
        {me.orgUnit && !isMobile ? (
          <Tooltip title={t('header.orgUnit')}>
            <span className="fq-header-org" data-testid="header-org">
              <ApartmentOutlined />
              <span>{me.orgUnit.name}</span>
            </span>
          </Tooltip>
        ) : null}
        <NotificationBell />
        <LanguageSwitch compact={isMobile} />
        <UserMenu compact={isMobile} />
      </div>
    </Layout.Header>
  );
}
