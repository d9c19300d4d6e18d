import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Empty, Flex, Popover, Spin, Tooltip, Typography } from 'antd';
import { BellOutlined, ExclamationCircleFilled } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useI18n } from '../../shared/i18n';
import { API_BASE } from '../../shared/api';
import { notificationsKey, useNotifications, useReadAllNotifications, useReadNotification, type ConsoleNotification } from '../data/command';

const MAX_BACKOFF_MS = 60_000;

/**
 * Holds the notification stream open while the console is: each new notification refreshes the bell and shows a toast
 * (urgent ones stay until closed). On failure it reconnects with a growing pause, and meanwhile the list is polled
 * every 60 s. Returns whether the stream is connected.
 */
function useNotificationStream(onNotification: (n: ConsoleNotification) => void): boolean {
  const [connected, setConnected] = useState(false);
  const handler = useRef(onNotification);
  handler.current = onNotification;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let es: EventSource | undefined;
    let timer: number | undefined;
    let failures = 0;
    let stopped = false;
    const connect = () => {
      es = new EventSource(`${API_BASE}/notifications/stream`, { withCredentials: true });
      es.onopen = () => {
        failures = 0;
        setConnected(true);
      };
      es.addEventListener('notification', (e) => {
        try {
          handler.current(JSON.parse((e as MessageEvent<string>).data) as ConsoleNotification);
        } catch {
          // a malformed event is skipped
        }
      });
      es.onerror = () => {
        setConnected(false);
        // the browser retries a dropped stream by itself; a refused one (closed) is retried here with a growing pause
        if (es?.readyState === EventSource.CLOSED && !stopped) {
          es.close();
          failures += 1;
          timer = window.setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures, 6)));
        }
      };
    };
    connect();
    return () => {
      stopped = true;
      if (timer) window.clearTimeout(timer);
      es?.close();
    };
  }, []);
  return connected;
}

function Item({ n, onOpen }: { n: ConsoleNotification; onOpen: (n: ConsoleNotification) => void }) {
  const urgent = n.level === 'urgent';
  return (
    <div
      role="button"
      tabIndex={0}
      onClick={() => onOpen(n)}
      onKeyDown={(e) => (e.key === 'Enter' ? onOpen(n) : undefined)}
      className="fq-bell-item"
      data-testid="bell-item"
      style={{ padding: '10px 12px', cursor: 'pointer', borderBottom: '1px solid #f0f0f0', background: n.readAt ? undefined : urgent ? '#fff1f0' : '#f0f5ff' }}
    >
      <Flex gap={8} align="start">
        {urgent ? <ExclamationCircleFilled style={{ color: '#cf1322', marginTop: 4 }} /> : <span style={{ width: 8, height: 8, borderRadius: 4, marginTop: 7, background: n.readAt ? 'transparent' : '#1677ff', flex: 'none' }} />}
        <div style={{ minWidth: 0, flex: 1 }}>
          <Typography.Text strong={!n.readAt} style={{ color: urgent ? '#cf1322' : undefined, display: 'block' }} ellipsis>
            {n.title}
          </Typography.Text>
          {n.body ? (
            <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }} ellipsis>
              {n.body}
            </Typography.Text>
          ) : null}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {dayjs(n.createdAt).format('MM-DD HH:mm')}
          </Typography.Text>
        </div>
      </Flex>
    </div>
  );
}

/** The header's bell: unread count, the latest notifications, 全部已读, and a toast for each new one. */
export function NotificationBell() {
  const { t } = useI18n();
  const { notification } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const list = useNotifications();
  const read = useReadNotification();
  const readAll = useReadAllNotifications();

  const openOne = (n: ConsoleNotification) => {
    if (!n.readAt) read.mutate(n.id);
    setOpen(false);
    notification.destroy(n.id);
    if (n.link) void navigate(n.link);
  };
  const connected = useNotificationStream((n) => {
    void qc.invalidateQueries({ queryKey: notificationsKey });
    // what the notification is about has changed: refresh the pages showing it
    void qc.invalidateQueries({ queryKey: ['command'] });
    notification.open({
      key: n.id,
      type: n.level === 'urgent' ? 'error' : 'info',
      title: n.title,
      description: n.body || undefined,
      duration: n.level === 'urgent' ? 0 : 6,
      placement: 'topRight',
      onClick: () => openOne(n),
      style: { cursor: n.link ? 'pointer' : undefined },
    });
  });
  // the stream brings this process's notifications at once; a refresh every minute (every 20 s without the stream)
  // also brings those created by another server process
  useEffect(() => {
    const timer = window.setInterval(() => void list.refetch(), connected ? 60_000 : 20_000);
    return () => window.clearInterval(timer);
  }, [connected, list]);

  const data = list.data;
  const unread = data?.unread ?? 0;
  const content = (
    <div style={{ width: 360, maxWidth: '90vw' }} data-testid="bell-panel">
      <Flex justify="space-between" align="center" style={{ padding: '8px 12px', borderBottom: '1px solid #f0f0f0' }}>
        <Typography.Text strong>{t('bell.title')}</Typography.Text>
        <Button type="link" size="small" disabled={!unread} loading={readAll.isPending} onClick={() => readAll.mutate()} data-testid="bell-read-all">
          {t('bell.readAll')}
        </Button>
      </Flex>
      <div style={{ maxHeight: 420, overflowY: 'auto' }}>
        {list.isLoading ? (
          <Flex justify="center" style={{ padding: 24 }}>
            <Spin />
          </Flex>
        ) : data?.items.length ? (
          data.items.map((n) => <Item key={n.id} n={n} onOpen={openOne} />)
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('bell.empty')} style={{ padding: 16 }} />
        )}
      </div>
      {!connected ? (
        <Typography.Text type="secondary" style={{ display: 'block', padding: '6px 12px', fontSize: 12, borderTop: '1px solid #f0f0f0' }}>
          {t('bell.polling')}
        </Typography.Text>
      ) : null}
    </div>
  );
  return (
    <Popover content={content} trigger="click" open={open} onOpenChange={setOpen} placement="bottomRight" arrow={false} styles={{ container: { padding: 0 } }}>
      <Tooltip title={open ? undefined : t('bell.tooltip', { n: unread })}>
        <Button type="text" aria-label={t('bell.title')} data-testid="bell" icon={<Badge count={unread} size="small" overflowCount={99} color={data?.unreadUrgent ? '#cf1322' : undefined}>
          <BellOutlined style={{ fontSize: 18 }} />
        </Badge>} />
      </Tooltip>
    </Popover>
  );
}
