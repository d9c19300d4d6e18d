import { useState } from 'react';
import { Alert, App, Button, Col, Form, Input, QRCode, Result, Row, Steps, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { TotpSetup } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/errors';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useAuth, useMe } from '../../auth/AuthProvider';

/** Two-factor sign-in: enrolment (setup → scan → confirm code) and disabling with the password. */
export function TotpPanel() {
  const { t } = useI18n();
  const me = useMe();
  const { refresh } = useAuth();
  const { message } = App.useApp();
  const [setup, setSetup] = useState<TotpSetup | null>(null);
  const [enableForm] = Form.useForm<{ code: string }>();
  const [disableForm] = Form.useForm<{ password: string }>();

  const start = useMutation({
    mutationFn: () => api.post<TotpSetup>('/auth/totp/setup'),
    onSuccess: (data) => setSetup(data),
  });
  const enable = useMutation({
    mutationFn: (code: string) => api.post('/auth/totp/enable', { code }),
    onSuccess: async () => {
      message.success(t('settings.totp.enabledDone'));
      setSetup(null);
      enableForm.resetFields();
      await refresh();
    },
    onError: (err) => applyFieldErrors(enableForm, err, ['code']),
  });
  const disable = useMutation({
    mutationFn: (password: string) => api.post('/auth/totp/disable', { password }),
    onSuccess: async () => {
      message.success(t('settings.totp.disabledDone'));
      disableForm.resetFields();
      await refresh();
    },
    onError: (err) => applyFieldErrors(disableForm, err, ['password']),
  });

  if (me.totpEnabled) {
    return (
      <div style={{ maxWidth: 480 }}>
        <Result
          status="success"
          icon={<SafetyOutlined />}
          title={t('settings.totp.enabled')}
          subTitle={t('settings.totp.enabledDesc')}
          style={{ padding: '8px 0 24px' }}
        />
        <Typography.Title level={5}>{t('settings.totp.disable')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('settings.totp.disableDesc')}</Typography.Paragraph>
        {disable.isError ? <ProblemAlert error={disable.error} style={{ marginBottom: 16 }} /> : null}
        <Form form={disableForm} layout="vertical" onFinish={(v) => disable.mutate(v.password)}>
          <Form.Item
            name="password"
            label={t('settings.totp.password')}
            rules={[{ required: true, message: t('validation.required') }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button danger htmlType="submit" loading={disable.isPending}>
            {t('settings.totp.disable')}
          </Button>
        </Form>
      </div>
    );
  }

  return (
    <div style={{ maxWidth: 720 }}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('settings.totp.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.totp.desc')}</Typography.Paragraph>
      <Steps
        size="small"
        current={setup ? 1 : 0}
        style={{ marginBottom: 24 }}
        items={[{ title: t('settings.totp.step.start') }, { title: t('settings.totp.step.scan') }, { title: t('settings.totp.step.verify') }]}
      />
      {start.isError ? <ProblemAlert error={start.error} style={{ marginBottom: 16 }} /> : null}
      {!setup ? (
        <>
          <Alert type="warning" showIcon title={t('settings.totp.disabledHint')} style={{ marginBottom: 16 }} />
          <Button type="primary" icon={<SafetyOutlined />} loading={start.isPending} onClick={() => start.mutate()} data-testid="totp-setup">
            {t('settings.totp.start')}
          </Button>
        </>
      ) : (
        <Row gutter={[24, 16]}>
          <Col xs={24} md={9}>
            <QRCode value={setup.otpauthUrl} size={180} bordered errorLevel="M" />
          </Col>
          <Col xs={24} md={15}>
            <Typography.Paragraph>{t('settings.totp.scanHint')}</Typography.Paragraph>
            <div style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary">{t('settings.totp.secret')}</Typography.Text>
              <div>
                <Typography.Text className="fq-mono" copyable strong data-testid="totp-secret">
                  {setup.secret}
                </Typography.Text>
              </div>
            </div>
            <div style={{ marginBottom: 16 }}>
              <Typography.Text type="secondary">{t('settings.totp.url')}</Typography.Text>
              <Typography.Paragraph className="fq-mono" copyable style={{ wordBreak: 'break-all', marginBottom: 0 }} data-testid="totp-url">
                {setup.otpauthUrl}
              </Typography.Paragraph>
            </div>
            {enable.isError ? <ProblemAlert error={enable.error} style={{ marginBottom: 16 }} /> : null}
            <Form form={enableForm} layout="vertical" onFinish={(v) => enable.mutate(v.code.trim())}>
              <Form.Item
                name="code"
                label={t('settings.totp.code')}
                rules={[
                  { required: true, message: t('validation.required') },
                  { pattern: /^\d{6}$/, message: t('login.totp.format') },
                ]}
              >
                <Input maxLength={6} inputMode="numeric" autoComplete="one-time-code" style={{ maxWidth: 200 }} data-testid="totp-code" />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={enable.isPending} data-testid="totp-enable">
                {t('settings.totp.enable')}
              </Button>
              <Button style={{ marginInlineStart: 8 }} onClick={() => setSetup(null)}>
                {t('common.cancel')}
              </Button>
            </Form>
          </Col>
        </Row>
      )}
    </div>
  );
}
