import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** Patrols (docs/api-command.md "Patrols"). */
export function patrolRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
