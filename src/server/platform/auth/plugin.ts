import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.js';
import type { Principal, RequestContext } from '../access/context.js';
import { accessLabel, holdsAccess, type Access } from '../access/permissions.js';
import { DomainError, forbidden, unauthenticated } from '../errors/index.js';
import { loadPrincipal } from './principal.js';

export const SESSION_COOKIE = 'fq_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /api route must declare it (checked at start and by the authz matrix). */
    access?: Access;
  }
  interface FastifyRequest {
    ctx: RequestContext;
  }
  interface FastifyInstance {
    /** Every API route with its declared access, for the authorization matrix and docs. */
    routeCatalogue: RouteEntry[];
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  schema?: { body?: unknown; params?: unknown; querystring?: unknown };
}

function tokenOf(req: FastifyRequest): { token?: string; viaCookie: boolean } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7).trim(), viaCookie: false };
  const cookie = req.cookies?.[SESSION_COOKIE];
  return { token: cookie || undefined, viaCookie: !!cookie };
}

/** Routes a staff member with a temporary password may still use. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set(['/api/v1/auth/me', '/api/v1/auth/password', '/api/v1/auth/logout']);

export function registerAuth(app: FastifyInstance, deps: Deps) {
  app.decorateRequest('ctx', null as unknown as RequestContext);

  const catalogue: RouteEntry[] = [];
  app.decorate('routeCatalogue', catalogue);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.access) throw new Error(`route ${String(route.method)} ${route.url} declares no access (config.access)`);
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      catalogue.push({ method, url: route.url, access: route.config.access, schema: route.schema as RouteEntry['schema'] });
    }
  });

  // Who is asking, and whether they may use the route, is settled as the request arrives: before its body is read
  // (an upload from someone refused is never received) and before it is validated (a caller who may not use a
  // route learns nothing of its input rules: 401/403 come before any 400 or 413).
  app.addHook('onRequest', async (req) => {
    req.ctx = { ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id };
    // only the API and the plate-scan page look at who is asking; console files are served without a lookup
    if (!req.url.startsWith('/api/') && !req.url.startsWith('/q/')) return;
    const { token } = tokenOf(req);
    if (token) req.ctx.principal = await loadPrincipal(deps, token);
    guard(req);
  });
}

/** The route's declared access (config.access) against the caller. */
function guard(req: FastifyRequest) {
  const access = req.routeOptions.config?.access;
  if (!access || access === 'public') return;
  const p = req.ctx.principal;
  if (!p) throw unauthenticated(tokenOf(req).token ? '登录已失效，请重新登录' : '请先登录');
  if (access === 'authenticated') return checkPasswordGate(req, p);
  if (access === 'resident') {
    if (p.kind !== 'resident') throw forbidden('此功能仅限群众（手机号登录）使用');
    return;
  }
  if (p.kind !== 'staff') throw forbidden('此功能仅限工作人员使用');
  checkPasswordGate(req, p);
  if (access !== 'staff' && !holdsAccess(p.permissions, access)) throw forbidden(`您没有${accessLabel(access)}权限`);
}

function checkPasswordGate(req: FastifyRequest, p: Principal) {
  if (p.kind === 'staff' && p.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(req.routeOptions.url ?? '')) {
    throw new DomainError('forbidden', 403, '请先修改初始密码后再继续操作');
  }
}
