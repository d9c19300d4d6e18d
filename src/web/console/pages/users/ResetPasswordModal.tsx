import { useState } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { UserSummary } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { applyFieldErrors } from '../../../shared/errors';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { confirmRule, passwordRules } from '../../components/validation';

interface Values {
  newPassword: string;
  confirm: string;
}

export function ResetPasswordModal({ user, onClose }: { user: UserSummary; onClose: () => void }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<unknown>(null);

  const reset = useMutation({
    mutationFn: (v: Values) =>
      api.post(`/users/${encodeURIComponent(user.id)}/reset-password`, { newPassword: v.newPassword }),
    onSuccess: () => {
      message.success(t('user.resetPassword.done', { name: user.displayName }));
      void qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (err) => {
      setError(err);
      applyFieldErrors(form, err, ['newPassword']);
    },
  });

  return (
    <Modal
      open
      title={t('user.resetPassword.title', { name: user.displayName })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('user.resetPassword')}
      confirmLoading={reset.isPending}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Alert type="warning" showIcon title={t('user.resetPassword.hint')} style={{ marginBottom: 16 }} />
      {error ? (
        <ProblemAlert error={error} fieldLabels={{ newPassword: t('user.field.newPassword') }} style={{ marginBottom: 16 }} />
      ) : null}
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => {
          setError(null);
          reset.mutate(v);
        }}
      >
        <Form.Item name="newPassword" label={t('user.field.newPassword')} rules={passwordRules(t, () => user.username)} extra={t('validation.password.help')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('user.field.confirmPassword')}
          dependencies={['newPassword']}
          rules={[{ required: true, message: t('validation.required') }, confirmRule(t, 'newPassword')]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
