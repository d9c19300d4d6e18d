import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';

/** Directives and whistles (docs/api-command.md "Directives", "Whistles"). */
export function commandRoutes(app: FastifyInstance, deps: Deps) {
  void app;
  void deps;
}
