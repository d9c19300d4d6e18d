import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** 警情 (docs/api-command.md "Incidents"). */
export function incidentRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
