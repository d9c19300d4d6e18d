import { useEffect, useRef, useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { Alert, Button, Card, Form, Input } from 'antd';
import type { InputRef } from 'antd';
import {
  ApartmentOutlined,
  AuditOutlined,
  InfoCircleOutlined,
  LockOutlined,
  SafetyOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../../shared/api';
import type { Health } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { Emblem } from '../../../shared/components/Emblem';
import { LanguageSwitch } from '../../../shared/components/LanguageSwitch';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useAuth, type LoginInput } from '../../auth/AuthProvider';
import { HOME_PATH } from '../../nav';
import { PageLoading } from '../../layout/PageLoading';
import { useDocumentTitle } from '../../layout/useDocumentTitle';

interface LocationState {
  from?: string;
}

export default function LoginPage() {
  const { t } = useI18n();
  const { me, loading, login } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const [form] = Form.useForm<LoginInput>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [needTotp, setNeedTotp] = useState(false);
  const totpRef = useRef<InputRef>(null);
  useDocumentTitle(t('login.title'));

  const health = useQuery({
    queryKey: ['health'],
    queryFn: () => api.get<Health>('/health'),
    staleTime: 300_000,
    retry: false,
  });

  useEffect(() => {
    if (needTotp) totpRef.current?.focus();
  }, [needTotp]);

  if (loading) return <PageLoading fullscreen />;
  const from = (location.state as LocationState | null)?.from;
  if (me) return <Navigate to={from && from !== location.pathname ? from : HOME_PATH} replace />;

  const onFinish = async (values: LoginInput) => {
    setSubmitting(true);
    setError(null);
    try {
      await login(values);
      navigate(from || HOME_PATH, { replace: true });
    } catch (err) {
      if (isApiError(err) && err.code === 'totp_required') {
        // Second factor needed: reveal the one-time code field and let the user resubmit.
        if (needTotp && values.totp) setError(err);
        setNeedTotp(true);
      } else {
        setError(err);
        if (isApiError(err) && err.code === 'invalid_credentials') form.setFieldValue('password', '');
        if (needTotp) form.setFieldValue('totp', '');
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <div className="fq-login">
      <header className="fq-login-top">
        <div className="fq-login-brand">
          <Emblem size={40} />
          <div>
            <div className="fq-login-brand-name">{t('app.name')}</div>
            <div className="fq-login-brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        <LanguageSwitch dark />
      </header>

      <main className="fq-login-main">
        <section className="fq-login-intro">
          <h1>
            {t('app.name')}
            <small>{t('app.subtitle')}</small>
          </h1>
          <div className="fq-login-slogan">{t('login.slogan')}</div>
          <ul className="fq-login-features">
            <li>
              <ApartmentOutlined />
              <div>
                <strong>{t('login.feature.org')}</strong>
                {t('login.feature.org.desc')}
              </div>
            </li>
            <li>
              <SafetyOutlined />
              <div>
                <strong>{t('login.feature.access')}</strong>
                {t('login.feature.access.desc')}
              </div>
            </li>
            <li>
              <AuditOutlined />
              <div>
                <strong>{t('login.feature.audit')}</strong>
                {t('login.feature.audit.desc')}
              </div>
            </li>
          </ul>
        </section>

        <Card className="fq-login-card" variant="borderless">
          <h2 className="fq-login-card-title">{t('login.title')}</h2>
          <div className="fq-login-card-sub">{t('login.subtitle')}</div>
          {error ? <ProblemAlert error={error} preferDetail style={{ marginBottom: 16 }} /> : null}
          {needTotp && !error ? (
            <Alert type="info" showIcon title={t('login.totpNeeded')} style={{ marginBottom: 16 }} />
          ) : null}
          <Form<LoginInput>
            form={form}
            layout="vertical"
            size="large"
            requiredMark={false}
            onFinish={onFinish}
            onValuesChange={() => error && setError(null)}
            disabled={submitting}
          >
            <Form.Item
              name="username"
              label={t('login.username')}
              rules={[{ required: true, whitespace: true, message: t('login.username.required') }]}
            >
              <Input
                prefix={<UserOutlined />}
                placeholder={t('login.username.placeholder')}
                autoComplete="username"
                autoFocus
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.password.required') }]}
            >
              <Input.Password
                prefix={<LockOutlined />}
                placeholder={t('login.password.placeholder')}
                autoComplete="current-password"
                data-testid="login-password"
              />
            </Form.Item>
            {needTotp ? (
              <Form.Item
                name="totp"
                label={t('login.totp')}
                rules={[
                  { required: true, message: t('login.totp.required') },
                  { pattern: /^\d{6}$/, message: t('login.totp.format') },
                ]}
              >
                <Input
                  ref={totpRef}
                  prefix={<SafetyOutlined />}
                  placeholder={t('login.totp.placeholder')}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  data-testid="login-totp"
                />
              </Form.Item>
            ) : null}
            <Form.Item style={{ marginBottom: 0, marginTop: 8 }}>
              <Button type="primary" htmlType="submit" block loading={submitting} data-testid="login-submit">
                {t('login.submit')}
              </Button>
            </Form.Item>
          </Form>
          <div className="fq-login-notice">
            <InfoCircleOutlined style={{ marginTop: 4 }} />
            <span>{t('login.notice')}</span>
          </div>
        </Card>
      </main>

      <footer className="fq-login-footer">
        {t('app.fullName')}
        {health.data?.version ? ` · v${health.data.version}` : ''}
      </footer>
    </div>
  );
}
