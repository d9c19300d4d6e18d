import type { FastifyInstance } from 'fastify';

/** The field app's service worker (`/f/sw.js`) and web app manifest (`/f/manifest.webmanifest`). */
export function fieldAppRoutes(app: FastifyInstance) {
  void app;
}
