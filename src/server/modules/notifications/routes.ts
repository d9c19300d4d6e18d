import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { staffOf } from '../../platform/access/context.js';
import { DomainError } from '../../platform/errors/index.js';
import { IdParams, PageQuery, Strict, pageArgs } from '../../platform/http/schemas.js';
import { notificationBus, startNotificationRelay } from '../../platform/notify/notifications.js';
import type { NotificationRow } from '../../platform/notify/notifications-repository.js';
import * as service from './service.js';

/** A comment line every 25 s keeps proxies from closing an idle stream. */
const PING_MS = 25_000;
/**
 * A stream is ended after this long; the browser's EventSource reconnects at once, through the access check
 * again, so a revoked session or a disabled account stops receiving within this time.
 */
const MAX_STREAM_MS = 15 * 60_000;

/** Console notifications (docs/api-command.md "Notifications"). */
export function notificationRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const open = new Set<() => void>();
  // open streams would keep the server from closing: end them first
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });
  // notifications created by other server processes on the same database reach this one's streams too
  let stopRelay: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    stopRelay = await startNotificationRelay(deps);
  });
  app.addHook('onClose', async () => {
    await stopRelay?.();
  });

  r.get(
    '/api/v1/notifications',
    {
      config: { access: 'staff' },
      schema: { tags: ['notifications'], summary: '我的通知（含未读数）', querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await service.listNotifications(deps, req.ctx, { unreadOnly: req.query.unread === true }, { limit, offset })), page, pageSize };
    },
  );

  r.post('/api/v1/notifications/read-all', { config: { access: 'staff' }, schema: { tags: ['notifications'], summary: '全部标为已读' } }, (req) =>
    service.readAllNotifications(deps, req.ctx),
  );

  r.post('/api/v1/notifications/:id/read', { config: { access: 'staff' }, schema: { tags: ['notifications'], summary: '标为已读', params: IdParams } }, (req) =>
    service.readNotification(deps, req.ctx, req.params.id),
  );

  r.get(
    '/api/v1/notifications/stream',
    {
      config: { access: 'staff' },
      schema: { tags: ['notifications'], summary: '通知推送（服务器推送事件 text/event-stream：event: notification，每 25 秒一行 : ping）' },
    },
    async (req, reply) => {
      const me = staffOf(req.ctx);
      if (!String(req.headers.accept ?? '').includes('text/event-stream')) {
        throw new DomainError('validation', 406, '通知推送为事件流，请以 Accept: text/event-stream 连接', [{ field: 'accept', message: '须为 text/event-stream' }]);
      }
      // the reply is written by hand: no serializer, no compression (which would hold the events back)
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 3000\n: connected\n\n`);
      const bus = notificationBus(deps);
      const onNotification = (row: NotificationRow) => {
        if (row.user_id !== me.userId) return;
        res.write(`id: ${row.id}\nevent: notification\ndata: ${JSON.stringify(service.presentNotification(row))}\n\n`);
      };
      const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
      const limit = setTimeout(() => end(), MAX_STREAM_MS);
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        bus.off('notification', onNotification);
        clearInterval(ping);
        clearTimeout(limit);
        open.delete(end);
        if (!res.writableEnded) res.end();
      };
      bus.on('notification', onNotification);
      open.add(end);
      res.on('close', end);
      res.on('error', end);
    },
  );
}
