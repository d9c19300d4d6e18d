import { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { Menu } from 'antd';
import type { MenuProps } from 'antd';
import { useI18n } from '../../shared/i18n';
import { useAuth } from '../auth/AuthProvider';
import { NAV_GROUPS, NAV_PAGES, findPage } from '../nav';

type MenuItem = Required<MenuProps>['items'][number];

/** The permission-filtered navigation menu (dark, for the sider and the phone drawer). Collapsing follows the enclosing Sider. */
export function SideMenu({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const location = useLocation();
  const navigate = useNavigate();
  const current = findPage(location.pathname);

  const items = useMemo<MenuItem[]>(() => {
    // link-only pages (menu: false) are routed but not listed
    const visible = NAV_PAGES.filter((p) => p.menu !== false && can(p.permission));
    const leaf = (p: (typeof NAV_PAGES)[number]): MenuItem => ({ key: p.path, icon: p.icon, label: t(p.labelKey) });
    const result: MenuItem[] = [];
    const placedGroups = new Set<string>();
    for (const page of visible) {
      if (!page.group) {
        result.push(leaf(page));
        continue;
      }
      if (placedGroups.has(page.group)) continue;
      placedGroups.add(page.group);
      const group = NAV_GROUPS.find((g) => g.key === page.group);
      if (!group) continue;
      result.push({
        key: `group:${group.key}`,
        icon: group.icon,
        label: t(group.labelKey),
        children: visible.filter((p) => p.group === group.key).map(leaf),
      });
    }
    return result;
  }, [can, t]);

  const [openKeys, setOpenKeys] = useState<string[]>(() => (current?.group ? [`group:${current.group}`] : []));
  useEffect(() => {
    if (current?.group) {
      const key = `group:${current.group}`;
      setOpenKeys((keys) => (keys.includes(key) ? keys : [...keys, key]));
    }
  }, [current?.group]);

  return (
    <div data-testid="side-menu" className="fq-side-menu">
      <Menu
        theme="dark"
        mode="inline"
        items={items}
        selectedKeys={current ? [current.path] : []}
        openKeys={openKeys}
        onOpenChange={setOpenKeys}
        onClick={({ key }) => {
          if (key !== location.pathname) navigate(key);
          onNavigate?.();
        }}
      />
    </div>
  );
}
