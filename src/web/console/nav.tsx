// The console's pages: route path, menu placement, the permission needed to see them.
import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent, ReactNode } from 'react';
import {
  ApartmentOutlined,
  AuditOutlined,
  BankOutlined,
  BarChartOutlined,
  CalendarOutlined,
  FileSearchOutlined,
  NotificationOutlined,
  QrcodeOutlined,
  ClusterOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  IdcardOutlined,
  ImportOutlined,
  ShopOutlined,
  DatabaseOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  ControlOutlined,
} from '@ant-design/icons';
import type { MessageKey } from '../shared/i18n';

export type NavGroupKey = 'registry' | 'portal' | 'org' | 'system';

export interface NavGroup {
  key: NavGroupKey;
  labelKey: MessageKey;
  icon: ReactNode;
}

export interface NavPage {
  key: string;
  path: string;
  labelKey: MessageKey;
  descKey: MessageKey;
  icon: ReactNode;
  /** Needed to see the page; absent = every signed-in user. */
  permission?: string;
  /** Permission that unlocks changes on the page (shown on the dashboard). */
  managePermission?: string;
  group?: NavGroupKey;
  /** `false` for pages reached by link only (one address, one person): routed, but not listed in the side menu. */
  menu?: false;
  /** Listed on the dashboard's "what you can do" cards. */
  onDashboard?: boolean;
  Component: LazyExoticComponent<ComponentType>;
}

export const NAV_GROUPS: readonly NavGroup[] = [
  { key: 'registry', labelKey: 'nav.group.registry', icon: <DatabaseOutlined /> },
  { key: 'portal', labelKey: 'nav.group.portal', icon: <QrcodeOutlined /> },
  { key: 'org', labelKey: 'nav.group.org', icon: <ApartmentOutlined /> },
  { key: 'system', labelKey: 'nav.group.system', icon: <ControlOutlined /> },
];

export const NAV_PAGES: readonly NavPage[] = [
  {
    key: 'dashboard',
    path: '/dashboard',
    labelKey: 'nav.dashboard',
    descKey: 'nav.dashboard.desc',
    icon: <DashboardOutlined />,
    Component: lazy(() => import('./pages/dashboard/DashboardPage')),
  },
  {
    key: 'registry-addresses',
    path: '/registry/addresses',
    labelKey: 'nav.registry.addresses',
    descKey: 'nav.registry.addresses.desc',
    icon: <EnvironmentOutlined />,
    permission: 'address.read',
    managePermission: 'address.manage',
    group: 'registry',
    onDashboard: true,
    Component: lazy(() => import('./pages/registry/addresses/AddressesPage')),
  },
  {
    key: 'registry-address',
    path: '/registry/addresses/:id',
    labelKey: 'nav.registry.address',
    descKey: 'nav.registry.address.desc',
    icon: <EnvironmentOutlined />,
    permission: 'address.read',
    group: 'registry',
    menu: false,
    Component: lazy(() => import('./pages/registry/address/AddressPage')),
  },
  {
    key: 'registry-persons',
    path: '/registry/persons',
    labelKey: 'nav.registry.persons',
    descKey: 'nav.registry.persons.desc',
    icon: <IdcardOutlined />,
    permission: 'person.read',
    managePermission: 'person.write',
    group: 'registry',
    onDashboard: true,
    Component: lazy(() => import('./pages/registry/persons/PersonsPage')),
  },
  {
    key: 'registry-person',
    path: '/registry/persons/:id',
    labelKey: 'nav.registry.person',
    descKey: 'nav.registry.person.desc',
    icon: <IdcardOutlined />,
    permission: 'person.read',
    group: 'registry',
    menu: false,
    Component: lazy(() => import('./pages/registry/persons/PersonPage')),
  },
  {
    key: 'registry-units',
    path: '/registry/units',
    labelKey: 'nav.registry.units',
    descKey: 'nav.registry.units.desc',
    icon: <ShopOutlined />,
    permission: 'unit.read',
    managePermission: 'unit.write',
    group: 'registry',
    onDashboard: true,
    Component: lazy(() => import('./pages/registry/units/UnitsPage')),
  },
  {
    key: 'registry-imports',
    path: '/registry/imports',
    labelKey: 'nav.registry.imports',
    descKey: 'nav.registry.imports.desc',
    icon: <ImportOutlined />,
    permission: 'registry.import',
    group: 'registry',
    onDashboard: true,
    Component: lazy(() => import('./pages/registry/imports/ImportsPage')),
  },
  {
    key: 'portal-reviews',
    path: '/portal/reviews',
    labelKey: 'nav.portal.reviews',
    descKey: 'nav.portal.reviews.desc',
    icon: <FileSearchOutlined />,
    permission: 'portal.read',
    managePermission: 'portal.review',
    group: 'portal',
    onDashboard: true,
    Component: lazy(() => import('./pages/portal/ReviewsPage')),
  },
  {
    key: 'portal-review',
    path: '/portal/reviews/:id',
    labelKey: 'nav.portal.review',
    descKey: 'nav.portal.review.desc',
    icon: <FileSearchOutlined />,
    permission: 'portal.read',
    group: 'portal',
    menu: false,
    Component: lazy(() => import('./pages/portal/ReviewDetailPage')),
  },
  {
    key: 'portal-stats',
    path: '/portal/stats',
    labelKey: 'nav.portal.stats',
    descKey: 'nav.portal.stats.desc',
    icon: <BarChartOutlined />,
    permission: 'portal.read',
    group: 'portal',
    Component: lazy(() => import('./pages/portal/StatsPage')),
  },
  {
    key: 'portal-appointments',
    path: '/portal/appointments',
    labelKey: 'nav.portal.appointments',
    descKey: 'nav.portal.appointments.desc',
    icon: <CalendarOutlined />,
    permission: 'appointment.handle',
    group: 'portal',
    Component: lazy(() => import('./pages/portal/AppointmentsPage')),
  },
  {
    key: 'portal-offices',
    path: '/portal/offices',
    labelKey: 'nav.portal.offices',
    descKey: 'nav.portal.offices.desc',
    icon: <BankOutlined />,
    managePermission: 'service.manage',
    group: 'portal',
    Component: lazy(() => import('./pages/portal/OfficesPage')),
  },
  {
    key: 'portal-articles',
    path: '/portal/articles',
    labelKey: 'nav.portal.articles',
    descKey: 'nav.portal.articles.desc',
    icon: <NotificationOutlined />,
    managePermission: 'service.manage',
    group: 'portal',
    Component: lazy(() => import('./pages/portal/ArticlesPage')),
  },
  {
    key: 'org',
    path: '/org/units',
    labelKey: 'nav.org',
    descKey: 'nav.org.desc',
    icon: <ApartmentOutlined />,
    permission: 'org.read',
    managePermission: 'org.manage',
    group: 'org',
    onDashboard: true,
    Component: lazy(() => import('./pages/org/OrgPage')),
  },
  {
    key: 'departments',
    path: '/org/departments',
    labelKey: 'nav.departments',
    descKey: 'nav.departments.desc',
    icon: <ClusterOutlined />,
    permission: 'org.read',
    managePermission: 'org.manage',
    group: 'org',
    onDashboard: true,
    Component: lazy(() => import('./pages/departments/DepartmentsPage')),
  },
  {
    key: 'users',
    path: '/system/users',
    labelKey: 'nav.users',
    descKey: 'nav.users.desc',
    icon: <TeamOutlined />,
    permission: 'user.read',
    managePermission: 'user.manage',
    group: 'system',
    onDashboard: true,
    Component: lazy(() => import('./pages/users/UsersPage')),
  },
  {
    key: 'roles',
    path: '/system/roles',
    labelKey: 'nav.roles',
    descKey: 'nav.roles.desc',
    icon: <SafetyCertificateOutlined />,
    permission: 'role.read',
    group: 'system',
    onDashboard: true,
    Component: lazy(() => import('./pages/roles/RolesPage')),
  },
  {
    key: 'audit',
    path: '/system/audit',
    labelKey: 'nav.audit',
    descKey: 'nav.audit.desc',
    icon: <AuditOutlined />,
    permission: 'audit.read',
    managePermission: 'audit.export',
    group: 'system',
    onDashboard: true,
    Component: lazy(() => import('./pages/audit/AuditPage')),
  },
  {
    key: 'settings',
    path: '/settings',
    labelKey: 'nav.settings',
    descKey: 'nav.settings.desc',
    icon: <SettingOutlined />,
    onDashboard: true,
    Component: lazy(() => import('./pages/settings/SettingsPage')),
  },
];

export const HOME_PATH = '/dashboard';
export const SETTINGS_PATH = '/settings';
export const LOGIN_PATH = '/login';

/** The page a path belongs to (longest matching prefix). */
export function findPage(pathname: string): NavPage | undefined {
  return [...NAV_PAGES]
    .sort((a, b) => b.path.length - a.path.length)
    .find((p) => pathname === p.path || pathname.startsWith(`${p.path}/`));
}
