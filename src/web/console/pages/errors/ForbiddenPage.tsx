import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../shared/i18n';
import { HOME_PATH } from '../../nav';
import { useDocumentTitle } from '../../layout/useDocumentTitle';

export function ForbiddenPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  useDocumentTitle(t('error.403.title'));
  return (
    <Result
      status="403"
      title="403"
      subTitle={t('error.403.desc')}
      extra={
        <Button type="primary" onClick={() => navigate(HOME_PATH)}>
          {t('error.backHome')}
        </Button>
      }
    />
  );
}
