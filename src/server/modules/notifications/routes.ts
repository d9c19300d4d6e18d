import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** Console notifications (docs/api-command.md "Notifications"). */
export function notificationRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
