import { existsSync } from 'node:fs';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import { constants as zlibConstants } from 'node:zlib';
import { Type } from '@sinclair/typebox';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from './deps.js';
import { registerAuth } from './platform/auth/plugin.js';
import { authRoutes } from './platform/auth/routes.js';
import { auditRoutes } from './platform/audit/routes.js';
import { registerProblemHandlers, sendProblem } from './platform/http/problem.js';
import { validatorCompiler } from './platform/http/validation.js';
import { orgRoutes } from './modules/org/routes.js';
import { usersRoutes } from './modules/users/routes.js';
import { addressRoutes } from './modules/addresses/routes.js';
import { populationRoutes } from './modules/population/routes.js';
import { unitsRoutes } from './modules/units/routes.js';
import { importRoutes } from './modules/imports/routes.js';
import { portalRoutes } from './modules/portal/routes.js';
import { servicesRoutes } from './modules/services/routes.js';
import { ReminderRunner } from './modules/services/reminders.js';
import { ImportRunner } from './modules/imports/engine.js';
import { fieldRoutes } from './modules/field/routes.js';
import { TaskRunner } from './modules/field/tasks/runner.js';
import { EscalationRunner } from './modules/field/routing/escalation.js';
import { fieldAppRoutes } from './platform/http/field-app.js';
import { incidentRoutes } from './modules/incidents/routes.js';
import { analysisRoutes } from './modules/analysis/routes.js';
import { patrolRoutes } from './modules/patrol/routes.js';
import { mapRoutes } from './modules/map/routes.js';
import { commandRoutes } from './modules/command/routes.js';
import { commandSettingsRoutes } from './modules/command/settings-routes.js';
import { notificationRoutes } from './modules/notifications/routes.js';
import { CommandRunner } from './modules/command/runner.js';

import { WEB_DIR } from './platform/http/web.js';

export { WEB_DIR };
export const BODY_LIMIT = 1024 * 1024;

export interface BuildOptions {
  /** Rate limits are on by default; the test suite turns them off except where it tests them. */
  rateLimit?: boolean;
  logger?: boolean;
  /** Rows per import batch (a step of progress and of resumption). */
  importBatchRows?: number;
}

const IMPORT_BATCH_ROWS = Number(process.env.IMPORT_BATCH_ROWS) || 1_000;

declare module 'fastify' {
  interface FastifyInstance {
    importRunner: ImportRunner;
    reminders: ReminderRunner;
    fieldTasks: TaskRunner;
    escalations: EscalationRunner;
    commandRunner: CommandRunner;
  }
}

export async function buildApp(deps: Deps, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log,
    bodyLimit: BODY_LIMIT,
    genReqId: () => uuidv7(),
    trustProxy: process.env.TRUST_PROXY === '1',
    ajv: { customOptions: { removeAdditional: false } },
  });
  app.setValidatorCompiler(validatorCompiler);
  registerProblemHandlers(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie);
  // pages and API replies are compressed on the fly (a light brotli level: phones on slow networks gain, the CPU
  // barely notices); the built web files are compressed once at build time and served as they are
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  if (opts.rateLimit !== false) {
    // per-route limits (config.rateLimit) on sign-in and one-time codes
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_req, context) => ({ statusCode: 429, message: `请求过于频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试` }),
    });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: '枫桥 Fengqiao API', version: deps.config.version, description: '综治警务一体化平台 HTTP API（问题响应为 RFC 9457 application/problem+json）' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'fq_session' } } },
      security: [{ bearer: [] }, { cookie: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  registerAuth(app, deps);

  app.get(
    '/api/v1/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['platform'],
        summary: '健康检查',
        response: { 200: Type.Object({ status: Type.String(), version: Type.String(), database: Type.String(), time: Type.String() }) },
      },
    },
    async () => {
      await deps.db.selectNoFrom((eb) => eb.val(1).as('one')).execute();
      return { status: 'ok', version: deps.config.version, database: deps.database.kind, time: new Date().toISOString() };
    },
  );
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  authRoutes(app, deps);
  orgRoutes(app, deps);
  usersRoutes(app, deps);
  addressRoutes(app, deps);
  populationRoutes(app, deps);
  unitsRoutes(app, deps);
  auditRoutes(app, deps);
  portalRoutes(app, deps);
  servicesRoutes(app, deps);
  fieldRoutes(app, deps);
  fieldAppRoutes(app);
  // 情指行: incidents, analysis and patrols, the one map, directives and whistles, console notifications
  incidentRoutes(app, deps);
  analysisRoutes(app, deps);
  patrolRoutes(app, deps);
  mapRoutes(app, deps);
  commandRoutes(app, deps);
  commandSettingsRoutes(app, deps);
  notificationRoutes(app, deps);

  // overdue directive sign-offs and feedback, overdue whistle responses (every minute)
  const commandRunner = new CommandRunner(deps, { pollMs: 60_000 });
  app.decorate('commandRunner', commandRunner);
  app.addHook('onReady', async () => commandRunner.start());
  app.addHook('onClose', async () => commandRunner.stop());

  // field tasks of the current period (hourly) and escalation of dispatches not accepted in time (every minute)
  const fieldTasks = new TaskRunner(deps, { pollMs: 3_600_000 });
  const escalations = new EscalationRunner(deps, { pollMs: 60_000 });
  app.decorate('fieldTasks', fieldTasks);
  app.decorate('escalations', escalations);
  app.addHook('onReady', async () => {
    fieldTasks.start();
    escalations.start();
  });
  app.addHook('onClose', async () => {
    await fieldTasks.stop();
    await escalations.stop();
  });

  // appointment reminders by SMS
  const reminders = new ReminderRunner(deps, { pollMs: 60_000 });
  app.decorate('reminders', reminders);
  app.addHook('onReady', async () => reminders.start());
  app.addHook('onClose', async () => reminders.stop());

  // bulk imports run in the background of the server process; a job interrupted by a stop is resumed
  const runner = new ImportRunner(deps, { batchRows: opts.importBatchRows ?? IMPORT_BATCH_ROWS, pollMs: 15_000 });
  app.decorate('importRunner', runner);
  await app.register(async (scope) => importRoutes(scope, deps, runner));
  app.addHook('onReady', async () => runner.start());
  app.addHook('onClose', async () => runner.stop());

  const hasWeb = existsSync(`${WEB_DIR}index.html`);
  // files are looked up per request, so a rebuilt console is served without a restart
  if (hasWeb) await app.register(fastifyStatic, {
      root: WEB_DIR,
      wildcard: true,
      index: ['index.html'],
      preCompressed: true,
      // hashed build files never change; the pages that name them are checked on every visit (the plugin's
      // own header would replace ours, so it is off)
      cacheControl: false,
      setHeaders: (res, path) => res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
    });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if (path.startsWith('/api/') || req.method !== 'GET' || !hasWeb || path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(path)) {
      return sendProblem(req, reply, 404, 'not_found', `没有这个接口：${req.method} ${req.url.split('?')[0]}`);
    }
    // client-side routes: the resident portal under /m/, the field app under /f/, the staff console everywhere else
    if ((path === '/m' || path.startsWith('/m/')) && existsSync(`${WEB_DIR}portal.html`)) return reply.sendFile('portal.html');
    if ((path === '/f' || path.startsWith('/f/')) && existsSync(`${WEB_DIR}field.html`)) return reply.sendFile('field.html');
    return reply.sendFile('index.html');
  });

  return app;
}
