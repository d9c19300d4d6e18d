import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../shared/i18n';
import { HOME_PATH } from '../../nav';
import { useDocumentTitle } from '../../layout/useDocumentTitle';

export function NotFoundPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  useDocumentTitle(t('error.404.title'));
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('error.404.desc')}
      extra={
        <Button type="primary" onClick={() => navigate(HOME_PATH)}>
          {t('error.backHome')}
        </Button>
      }
    />
  );
}
