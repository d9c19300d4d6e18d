import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** The one map (docs/api-command.md "Map"). */
export function mapRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
