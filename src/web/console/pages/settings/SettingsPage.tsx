import { Alert, Card, Tabs } from 'antd';
import { LaptopOutlined, LockOutlined, SafetyOutlined } from '@ant-design/icons';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../../shared/i18n';
import { useMe } from '../../auth/AuthProvider';
import { PASSWORD_TAB } from '../../auth/RequireAuth';
import { PageContainer } from '../../layout/PageContainer';
import { useIsMobile } from '../../../shared/hooks/useMediaQuery';
import { PasswordForm } from './PasswordForm';
import { TotpPanel } from './TotpPanel';
import { SessionsPanel } from './SessionsPanel';

const TABS = [PASSWORD_TAB, 'totp', 'sessions'] as const;

export default function SettingsPage() {
  const { t } = useI18n();
  const me = useMe();
  const isMobile = useIsMobile();
  const [params, setParams] = useSearchParams();
  const forced = me.mustChangePassword;
  const requested = params.get('tab');
  const active = forced ? PASSWORD_TAB : TABS.find((k) => k === requested) ?? PASSWORD_TAB;

  return (
    <PageContainer subtitle={t('settings.subtitle', { name: me.displayName, username: me.username })}>
      {forced ? (
        <Alert
          type="warning"
          showIcon
          title={t('settings.mustChange')}
          description={t('settings.mustChange.desc')}
          style={{ marginBottom: 16 }}
          data-testid="must-change-password"
        />
      ) : null}
      <Card>
        <Tabs
          activeKey={active}
          onChange={(key) => setParams({ tab: key }, { replace: true })}
          tabPlacement={isMobile ? 'top' : 'start'}
          items={[
            {
              key: PASSWORD_TAB,
              label: t('settings.tab.password'),
              icon: <LockOutlined />,
              children: <PasswordForm />,
            },
            {
              key: 'totp',
              label: t('settings.tab.totp'),
              icon: <SafetyOutlined />,
              disabled: forced,
              children: <TotpPanel />,
            },
            {
              key: 'sessions',
              label: t('settings.tab.sessions'),
              icon: <LaptopOutlined />,
              disabled: forced,
              children: <SessionsPanel />,
            },
          ]}
        />
      </Card>
    </PageContainer>
  );
}
