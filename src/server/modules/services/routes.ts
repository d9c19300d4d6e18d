import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** The public face of a plate: offices and hours, appointments, safety tips, staff cards (docs/api-portal.md). */
export function servicesRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
