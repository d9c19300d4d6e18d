import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** Residents' submissions from a plate and the officers' review queue (docs/api-portal.md). */
export function portalRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
