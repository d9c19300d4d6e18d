import { App, Button, Empty, Popconfirm, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/api';
import type { Session } from '../../../shared/types';
import { useI18n } from '../../../shared/i18n';
import { DATE_TIME_SHORT, formatTime } from '../../../shared/format';
import { ProblemAlert } from '../../../shared/components/ProblemAlert';
import { useNotifyError } from '../../../shared/components/useNotifyError';
import { queryKeys } from '../../data/queries';

/** A short, readable browser/OS label from a user-agent string. */
function describeAgent(ua: string | null): string | null {
  if (!ua) return null;
  const browser =
    /Edg\/([\d]+)/.exec(ua)?.[0].replace('Edg/', 'Edge ') ??
    /Chrome\/([\d]+)/.exec(ua)?.[0].replace('/', ' ') ??
    /Firefox\/([\d]+)/.exec(ua)?.[0].replace('/', ' ') ??
    (/Safari\//.test(ua) ? 'Safari' : null);
  const os = /Windows|Android|iPhone|iPad|Mac OS X|Linux/.exec(ua)?.[0].replace('Mac OS X', 'macOS') ?? null;
  return [browser, os].filter(Boolean).join(' · ') || null;
}

export function SessionsPanel() {
  const { t } = useI18n();
  const { message } = App.useApp();
  const notifyError = useNotifyError();
  const qc = useQueryClient();
  const sessions = useQuery({ queryKey: queryKeys.sessions, queryFn: () => api.get<Session[]>('/auth/sessions') });
  const revoke = useMutation({
    mutationFn: (id: string) => api.delete(`/auth/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => {
      message.success(t('settings.sessions.revoked'));
      void qc.invalidateQueries({ queryKey: queryKeys.sessions });
    },
    onError: notifyError,
  });

  return (
    <div>
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {t('settings.sessions.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('settings.sessions.desc')}</Typography.Paragraph>
      {sessions.isError ? (
        <ProblemAlert error={sessions.error} />
      ) : (
        <Table<Session>
          rowKey="id"
          size="middle"
          loading={sessions.isPending}
          dataSource={sessions.data ?? []}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: <Empty description={t('settings.sessions.empty')} /> }}
          columns={[
            {
              key: 'device',
              title: t('settings.sessions.device'),
              render: (_: unknown, s) => (
                <div>
                  <span>{describeAgent(s.userAgent) ?? t('settings.sessions.unknownDevice')}</span>
                  {s.current ? (
                    <Tag color="green" style={{ marginInlineStart: 8 }}>
                      {t('settings.sessions.current')}
                    </Tag>
                  ) : null}
                  {s.userAgent ? (
                    <div className="fq-ellipsis fq-session-ua" title={s.userAgent}>
                      {s.userAgent}
                    </div>
                  ) : null}
                </div>
              ),
            },
            {
              key: 'ip',
              title: t('settings.sessions.ip'),
              dataIndex: 'ip',
              width: 140,
              render: (ip: string | null) => (ip ? <span className="fq-mono">{ip}</span> : t('common.none')),
            },
            {
              key: 'createdAt',
              title: t('settings.sessions.createdAt'),
              dataIndex: 'createdAt',
              width: 160,
              render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(v, DATE_TIME_SHORT)}</span>,
            },
            {
              key: 'lastSeenAt',
              title: t('settings.sessions.lastSeenAt'),
              dataIndex: 'lastSeenAt',
              width: 160,
              render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatTime(v, DATE_TIME_SHORT)}</span>,
            },
            {
              key: 'actions',
              title: t('common.actions'),
              width: 100,
              render: (_: unknown, s) =>
                s.current ? (
                  <Typography.Text type="secondary">{t('settings.sessions.thisDevice')}</Typography.Text>
                ) : (
                  <Popconfirm
                    title={t('settings.sessions.revokeConfirm')}
                    okButtonProps={{ danger: true }}
                    onConfirm={() => revoke.mutateAsync(s.id).catch(() => undefined)}
                  >
                    <Button type="link" danger size="small" data-testid="session-revoke">
                      {t('settings.sessions.revoke')}
                    </Button>
                  </Popconfirm>
                ),
            },
          ]}
        />
      )}
    </div>
  );
}
