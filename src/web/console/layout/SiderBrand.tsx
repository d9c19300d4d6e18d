import { Link } from 'react-router';
import { Emblem } from '../../shared/components/Emblem';
import { useI18n } from '../../shared/i18n';
import { HOME_PATH } from '../nav';

export function SiderBrand({ collapsed = false }: { collapsed?: boolean }) {
  const { t } = useI18n();
  return (
    <Link to={HOME_PATH} className={collapsed ? 'fq-brand fq-brand-collapsed' : 'fq-brand'} title={t('app.fullName')}>
      <Emblem size={34} />
      {collapsed ? null : (
        <span className="fq-brand-text">
          <span className="fq-brand-name">{t('app.name')}</span>
          <span className="fq-brand-sub">{t('app.subtitle')}</span>
        </span>
      )}
    </Link>
  );
}
