import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { Breadcrumb } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import { useI18n } from '../../shared/i18n';
import { HOME_PATH, NAV_GROUPS, findPage } from '../nav';
import { useDocumentTitle } from './useDocumentTitle';

interface PageContainerProps {
  /** Defaults to the page's menu label. */
  title?: ReactNode;
  subtitle?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}

/** Standard page frame: breadcrumb, heading with actions, body. */
export function PageContainer({ title, subtitle, extra, children }: PageContainerProps) {
  const { t } = useI18n();
  const location = useLocation();
  const page = findPage(location.pathname);
  const label = page ? t(page.labelKey) : undefined;
  useDocumentTitle(label);
  const group = page?.group ? NAV_GROUPS.find((g) => g.key === page.group) : undefined;

  const items = [
    {
      key: 'home',
      title: (
        <Link to={HOME_PATH}>
          <HomeOutlined /> <span>{t('nav.home')}</span>
        </Link>
      ),
    },
    ...(group ? [{ key: `group-${group.key}`, title: t(group.labelKey) }] : []),
    ...(page && page.path !== HOME_PATH ? [{ key: `page-${page.key}`, title: label }] : []),
  ];

  return (
    <div className="fq-page">
      <div className="fq-page-header">
        <Breadcrumb items={items} className="fq-breadcrumb" />
        <div className="fq-page-heading">
          <div className="fq-page-titles">
            <h1 className="fq-page-title">{title ?? label}</h1>
            {subtitle ? <div className="fq-page-subtitle">{subtitle}</div> : null}
          </div>
          {extra ? <div className="fq-page-extra">{extra}</div> : null}
        </div>
      </div>
      <div className="fq-page-body">{children}</div>
    </div>
  );
}
