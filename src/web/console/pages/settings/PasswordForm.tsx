import { useState } from 'react';
import { App, Button, Form, Input, Typography } from 'antd';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../../../shared/api';
import { useI18n } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/errors';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useAuth, useMe } from '../../auth/AuthProvider';
import { HOME_PATH } from '../../nav';
import { confirmRule, passwordRules } from '../../components/validation';

interface Values {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function PasswordForm() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const { refresh } = useAuth();
  const me = useMe();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);
  const wasForced = me.mustChangePassword;

  const change = useMutation({
    mutationFn: (v: Values) =>
      api.post('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: async () => {
      message.success(t('settings.password.done'));
      form.resetFields();
      await refresh();
      if (wasForced) navigate(HOME_PATH, { replace: true });
    },
    onError: (err) => {
      setError(err);
      applyFieldErrors(form, err, ['currentPassword', 'newPassword']);
    },
  });

  return (
    <div style={{ maxWidth: 440 }}>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('settings.password.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.password.desc')}</Typography.Paragraph>
      {error ? (
        <ProblemAlert
          error={error}
          fieldLabels={{ currentPassword: t('settings.password.current'), newPassword: t('settings.password.new') }}
          style={{ marginBottom: 16 }}
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => {
          setError(null);
          change.mutate(v);
        }}
      >
        <Form.Item
          name="currentPassword"
          label={t('settings.password.current')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Input.Password autoComplete="current-password" data-testid="pw-current" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('settings.password.new')}
          rules={[
            ...passwordRules(t, () => me.username),
            ({ getFieldValue }) => ({
              validator: async (_r, value: string | undefined) => {
                if (value && value === getFieldValue('currentPassword')) throw new Error(t('settings.password.same'));
              },
            }),
          ]}
          extra={t('validation.password.help')}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('settings.password.confirm')}
          dependencies={['newPassword']}
          rules={[{ required: true, message: t('validation.required') }, confirmRule(t, 'newPassword')]}
        >
          <Input.Password autoComplete="new-password" data-testid="pw-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={change.isPending} data-testid="pw-submit">
          {t('settings.password.submit')}
        </Button>
      </Form>
    </div>
  );
}
