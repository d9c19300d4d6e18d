import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../../deps.js';

/** Routes of field/tasks (docs/api-field.md). */
export function tasksRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
