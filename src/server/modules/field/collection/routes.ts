import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../../deps.js';

/** Routes of field/collection (docs/api-field.md). */
export function collectionRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
