import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { Strict, Uuid } from '../../platform/http/schemas.js';
import * as analysis from './service.js';

const DateStr = Type.String({ format: 'date', description: 'YYYY-MM-DD（北京时间日期，含当天）' });

/** The filters every analysis takes. */
const Filters = {
  from: DateStr,
  to: DateStr,
  categoryId: Type.Optional(Uuid),
  unitId: Type.Optional(Uuid),
};

/** Analysis (docs/api-command.md "Analysis"). */
export function analysisRoutes(app: FastifyInstance, deps: Deps) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['analysis'];

  r.get(
    '/api/v1/analysis/hotspots',
    {
      config: { access: 'incident.read' },
      schema: {
        tags,
        summary: '警情热点（按 H3 网格单元、网格或社区排名，含环比、同比与显著性判断）',
        querystring: Type.Object(
          {
            ...Filters,
            by: Type.Optional(Type.Union([Type.Literal('cell'), Type.Literal('grid'), Type.Literal('community')], { default: 'cell' })),
            res: Type.Optional(Type.Union([Type.Literal(7), Type.Literal(8), Type.Literal(9)], { default: 9, description: 'H3 分辨率：7 约 5 平方公里，8 约 0.7，9 约 0.1' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 20 })),
          },
          Strict,
        ),
      },
    },
    (req) => analysis.hotspots(deps, req.ctx, { ...req.query, by: req.query.by ?? 'cell' }),
  );

  r.get(
    '/api/v1/analysis/hours',
    {
      config: { access: 'incident.read' },
      schema: { tags, summary: '警情时段分布（一周 168 小时，含上期与去年同期、高发时段、星期×小时矩阵）', querystring: Type.Object(Filters, Strict) },
    },
    (req) => analysis.hours(deps, req.ctx, req.query),
  );

  r.get(
    '/api/v1/analysis/trend',
    {
      config: { access: 'incident.read' },
      schema: {
        tags,
        summary: '警情趋势（按日、周、月，含上期与去年同期对比序列）',
        querystring: Type.Object({ ...Filters, interval: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])) }, Strict),
      },
    },
    (req) => analysis.trend(deps, req.ctx, req.query),
  );

  r.get(
    '/api/v1/analysis/categories',
    {
      config: { access: 'incident.read' },
      schema: { tags, summary: '警情类别构成（一级类别，或所选类别的下级；含环比、同比）', querystring: Type.Object(Filters, Strict) },
    },
    (req) => analysis.categories(deps, req.ctx, req.query),
  );
}
