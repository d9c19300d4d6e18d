import { App, Button, Dropdown, Space } from 'antd';
import { MoreOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { UserSummary } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { useMe } from '../../auth/AuthProvider';

interface Props {
  /** One menu button holding every action (phones). */
  compact?: boolean;
  user: UserSummary;
  onEdit: () => void;
  onResetPassword: () => void;
}

export function UserRowActions({ compact = false, user, onEdit, onResetPassword }: Props) {
  const { t } = useI18n();
  const me = useMe();
  const { modal, message } = App.useApp();
  const notifyError = useNotifyError();
  const qc = useQueryClient();
  const isSelf = user.id === me.id;

  const setStatus = useMutation({
    mutationFn: (status: 'active' | 'disabled') =>
      api.patch<UserSummary>(`/users/${encodeURIComponent(user.id)}`, { status }),
    onSuccess: (_d, status) => {
      message.success(t(status === 'active' ? 'user.enabled' : 'user.disabled'));
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: notifyError,
  });

  const unlock = useMutation({
    mutationFn: () => api.post(`/users/${encodeURIComponent(user.id)}/unlock`),
    onSuccess: () => {
      message.success(t('user.unlocked'));
      void qc.invalidateQueries({ queryKey: ['users'] });
    },
    onError: notifyError,
  });

  const items = [
    ...(compact
      ? [
          { key: 'edit', label: t('common.edit') },
          { key: 'reset', label: t('user.resetPassword') },
        ]
      : []),
    user.status === 'active'
      ? { key: 'disable', label: t('user.disable'), danger: true, disabled: isSelf }
      : { key: 'enable', label: t('user.enable') },
    ...(user.locked ? [{ key: 'unlock', label: t('user.unlock') }] : []),
  ];

  const onMenu = (key: string) => {
    if (key === 'edit') onEdit();
    else if (key === 'reset') onResetPassword();
    else if (key === 'disable') {
      modal.confirm({
        title: t('user.disable.confirm', { name: user.displayName }),
        content: t('user.disable.confirmDesc'),
        okButtonProps: { danger: true },
        okText: t('user.disable'),
        onOk: () => setStatus.mutateAsync('disabled').catch(() => undefined),
      });
    } else if (key === 'enable') {
      setStatus.mutate('active');
    } else if (key === 'unlock') {
      unlock.mutate();
    }
  };

  const more = (
    <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => onMenu(key) }}>
      <Button
        type="text"
        size="small"
        icon={<MoreOutlined />}
        loading={setStatus.isPending || unlock.isPending}
        aria-label={t('common.more')}
        title={t('common.more')}
        data-testid="user-more"
      />
    </Dropdown>
  );
  if (compact) return more;

  return (
    <Space size={0}>
      <Button type="link" size="small" onClick={onEdit}>
        {t('common.edit')}
      </Button>
      <Button type="link" size="small" onClick={onResetPassword}>
        {t('user.resetPassword')}
      </Button>
      {more}
    </Space>
  );
}
