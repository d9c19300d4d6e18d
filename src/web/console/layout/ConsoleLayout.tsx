import { useEffect, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { Drawer, Layout } from 'antd';
import { useI18n } from '../../shared/i18n';
import { useIsMobile } from '../../shared/hooks/useMediaQuery';
import { HeaderBar } from './HeaderBar';
import { SideMenu } from './SideMenu';
import { SiderBrand } from './SiderBrand';
import { palette } from '../theme';

const COLLAPSED_KEY = 'fq.console.siderCollapsed';

function readCollapsed(): boolean {
  try {
    return window.localStorage.getItem(COLLAPSED_KEY) === '1';
  } catch {
    return false;
  }
}

/** The signed-in shell: sider menu (drawer on phones), header, content, footer. */
export function ConsoleLayout() {
  const { t } = useI18n();
  const isMobile = useIsMobile();
  const [collapsed, setCollapsed] = useState(readCollapsed);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const location = useLocation();

  useEffect(() => setDrawerOpen(false), [location.pathname]);
  useEffect(() => {
    try {
      window.localStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0');
    } catch {
      // not remembered
    }
  }, [collapsed]);

  return (
    <Layout className="fq-shell">
      {isMobile ? (
        <Drawer
          placement="left"
          open={drawerOpen}
          onClose={() => setDrawerOpen(false)}
          closable={false}
          size={260}
          styles={{ body: { padding: 0, background: palette.navy }, section: { background: palette.navy } }}
        >
          <SiderBrand />
          <SideMenu onNavigate={() => setDrawerOpen(false)} />
        </Drawer>
      ) : (
        <Layout.Sider
          className="fq-sider"
          width={232}
          collapsedWidth={64}
          collapsible
          collapsed={collapsed}
          trigger={null}
          breakpoint="xl"
          onBreakpoint={(narrow) => {
            if (narrow) setCollapsed(true);
          }}
        >
          <SiderBrand collapsed={collapsed} />
          <SideMenu />
        </Layout.Sider>
      )}
      <Layout className="fq-main">
        <HeaderBar
          isMobile={isMobile}
          collapsed={collapsed}
          onToggle={() => (isMobile ? setDrawerOpen(true) : setCollapsed((c) => !c))}
        />
        <Layout.Content className="fq-content">
          <Outlet />
        </Layout.Content>
        <Layout.Footer className="fq-footer">{t('app.footer')}</Layout.Footer>
      </Layout>
    </Layout>
  );
}
