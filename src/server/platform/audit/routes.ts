import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../access/context.js';
import { PageQuery, pageArgs } from '../http/schemas.js';
import { sendTable } from '../http/tabular.js';
import { fieldError } from '../errors/index.js';
import type { AuditRow } from '../../db/schema.js';
import { listAudit, recordAudit, verifyAuditChain, walkAudit, type AuditFilter } from './service.js';
import { orgRepository } from '../../modules/org/repository.js';

const Filters = {
  subjectType: Type.Optional(Type.String({ maxLength: 32 })),
  subjectId: Type.Optional(Type.String({ maxLength: 64 })),
  actorId: Type.Optional(Type.String({ format: 'uuid' })),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')])),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
};

const present = (r: AuditRow) => ({
  seq: Number(r.seq),
  at: r.at.toISOString(),
  actorKind: r.actor_kind,
  actorId: r.actor_id,
  actorName: r.actor_name,
  actorRole: r.actor_role,
  orgUnitId: r.org_unit_id,
  action: r.action,
  subjectType: r.subject_type,
  subjectIds: r.subject_ids,
  purpose: r.purpose,
  ip: r.ip,
  userAgent: r.user_agent,
  outcome: r.outcome,
  crossJurisdiction: r.cross_jurisdiction,
  detail: r.detail,
});

type FilterQuery = Partial<Record<'subjectType' | 'subjectId' | 'actorId' | 'action' | 'outcome' | 'from' | 'to', string>>;

async function filterFor(deps: Deps, ctx: RequestContext, q: FilterQuery): Promise<AuditFilter> {
  const me = staffOf(ctx);
  const unit = await orgRepository.byId(deps.db, me.orgUnitId);
  if (q.from && q.to && q.from > q.to) throw fieldError('to', '结束时间不能早于开始时间');
  return {
    subjectType: q.subjectType,
    subjectId: q.subjectId,
    actorId: q.actorId,
    action: q.action,
    outcome: q.outcome,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
    scopePath: me.scopePath,
    // rows without an org unit (residents, unknown usernames) belong to the county level and up
    includeUnscoped: unit?.kind === 'city_bureau' || unit?.kind === 'branch',
  };
}

export function auditRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get(
    '/api/v1/audit',
    {
      config: { access: 'audit.read' },
      schema: { tags: ['audit'], summary: '审计日志查询', querystring: Type.Object({ ...Filters, ...PageQuery }, { additionalProperties: false }) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      const filter = await filterFor(deps, req.ctx, req.query);
      const { rows, total } = await listAudit(deps.db, filter, limit, offset);
      return { items: rows.map(present), total, page, pageSize };
    },
  );

  r.get('/api/v1/audit/verify', { config: { access: 'audit.read' }, schema: { tags: ['audit'], summary: '校验审计哈希链' } }, async (req) => {
    const result = await verifyAuditChain(deps.db);
    await recordAudit(deps.db, req.ctx, { action: 'audit.verify', subjectType: 'audit_log', detail: { ...result } });
    return result;
  });

  r.get(
    '/api/v1/audit/export',
    {
      config: { access: 'audit.export' },
      schema: {
        tags: ['audit'],
        summary: '导出审计日志（CSV，须说明用途）',
        querystring: Type.Object({ ...Filters, purpose: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false }),
      },
    },
    async (req, reply) => {
      const filter = await filterFor(deps, req.ctx, req.query);
      await recordAudit(deps.db, req.ctx, {
        action: 'audit.export',
        subjectType: 'audit_log',
        purpose: req.query.purpose,
        detail: { filter: { ...req.query, purpose: undefined } },
      });
      async function* rows() {
        for await (const batch of walkAudit(deps.db, 2000, filter)) {
          yield batch.map((row) => {
            const p = present(row);
            return [p.seq, p.at, p.actorName, p.actorRole, p.action, p.subjectType, p.subjectIds.join(' '), p.purpose, p.ip, p.outcome, p.crossJurisdiction ? '是' : '否', p.detail];
          });
        }
      }
      return sendTable(reply, {
        format: 'csv',
        fileName: `审计日志-${new Date().toISOString().slice(0, 10)}`,
        sheet: '审计日志',
        header: ['序号', '时间', '操作人', '角色', '操作', '对象类型', '对象', '用途', 'IP', '结果', '跨辖区', '详情'],
        rows: rows(),
      });
    },
  );
}
