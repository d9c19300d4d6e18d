import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.js';
import { collectionRoutes } from './collection/routes.js';
import { routingRoutes } from './routing/routes.js';
import { tasksRoutes } from './tasks/routes.js';

/** 网格采集 (docs/api-field.md): collection and review, routing to departments, tasks and assessment. */
export function fieldRoutes(app: FastifyInstance, deps: Deps) {
  collectionRoutes(app, deps);
  routingRoutes(app, deps);
  tasksRoutes(app, deps);
}
