import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../../deps.js';

/** Routes of field/routing (docs/api-field.md). */
export function routingRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
