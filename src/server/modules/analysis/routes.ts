import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** Analysis (docs/api-command.md "Analysis"). */
export function analysisRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
