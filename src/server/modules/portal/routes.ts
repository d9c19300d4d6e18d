import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.js';
import { DomainError } from '../../platform/errors/index.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../platform/http/schemas.js';
import { ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, NOT_AN_IMAGE, readAttachment, TOO_LARGE, uploadAttachment } from './attachments.js';
import { approve, claim, complete, getReview, listQueue, returnSubmission, reviewIds } from './review.js';
import { SUBMISSION_KINDS, SUBMISSION_STATUSES } from './rules.js';
import * as portal from './service.js';
import { reviewStats } from './stats.js';

const Kind = Enum(SUBMISSION_KINDS, 'rental 出租屋报备 | residence 流动人口报备 | help 报警求助/咨询 | mediation 矛盾纠纷调解申请 | ebike 电动自行车登记');
const Data = Type.Object({}, { additionalProperties: true, description: '按 kind 填写的申报内容（见 docs/api-portal.md），逐字段校验' });

/** Residents' submissions from a plate and the officers' review queue (docs/api-portal.md). */
export function portalRoutes(app: FastifyInstance, deps: Deps) {
  // the photo upload takes the image itself as its body: its parsers and limits live in their own context
  void app.register(async (scope) => attachmentUpload(scope, deps));

  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  // ---- resident ------------------------------------------------------------------------------------------------

  r.get(
    '/api/v1/portal/attachments/:id',
    {
      config: { access: 'authenticated' },
      schema: { tags: ['portal'], summary: '查看申报图片（上传人本人，或辖区内有 portal.read 权限的工作人员，留痕）', params: IdParams },
    },
    async (req, reply) => {
      const a = await readAttachment(deps, req.ctx, req.params.id);
      return reply.type(a.contentType).header('cache-control', 'private, max-age=3600').send(a.data);
    },
  );

  r.post(
    '/api/v1/portal/submissions',
    {
      config: { access: 'resident' },
      schema: {
        tags: ['portal'],
        summary: '群众扫码申报（clientId 重试幂等：同一 clientId 再次提交返回首次结果）',
        body: Type.Object({ kind: Kind, plateToken: Type.String({ minLength: 1, maxLength: 128 }), clientId: Uuid, data: Data }, Strict),
      },
    },
    async (req, reply) => {
      const { submission, replayed } = await portal.submit(deps, req.ctx, req.body);
      return reply.code(replayed ? 200 : 201).send(submission);
    },
  );

  r.get(
    '/api/v1/portal/submissions',
    {
      config: { access: 'resident' },
      schema: { tags: ['portal'], summary: '我的办理进度（本人申报，新的在前）', querystring: Type.Object({ kind: Type.Optional(Kind), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await portal.listOwn(deps, req.ctx, req.query.kind, { limit, offset })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/portal/submissions/:id',
    { config: { access: 'resident' }, schema: { tags: ['portal'], summary: '本人申报详情与办理进度', params: IdParams } },
    (req) => portal.getOwn(deps, req.ctx, req.params.id),
  );

  r.put(
    '/api/v1/portal/submissions/:id',
    {
      config: { access: 'resident' },
      schema: { tags: ['portal'], summary: '修改申报（已提交或被退回时；退回的修改后重新提交）', params: IdParams, body: Type.Object({ data: Data }, Strict) },
    },
    (req) => portal.editOwn(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/portal/submissions/:id/withdraw',
    { config: { access: 'resident' }, schema: { tags: ['portal'], summary: '撤回申报（已提交或被退回时）', params: IdParams } },
    (req) => portal.withdrawOwn(deps, req.ctx, req.params.id),
  );

  // ---- staff: the review queue ------------------------------------------------------------------------------------

  r.get(
    '/api/v1/portal-reviews',
    {
      config: { access: 'portal.read' },
      schema: {
        tags: ['portal'],
        summary: '群众申报审核队列（本辖区，待办的在前、先到先办；列表留痕）',
        querystring: Type.Object(
          {
            status: Type.Optional(Enum(['pending', 'all', ...SUBMISSION_STATUSES] as const, 'pending（默认）= 已提交 + 审核中；all = 全部')),
            kind: Type.Optional(Kind),
            q: Type.Optional(Type.String({ maxLength: 64, description: '受理编号或地址' })),
            ...PageQuery,
          },
          Strict,
        ),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await listQueue(deps, req.ctx, req.query, { limit, offset, page })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/portal-reviews/stats',
    {
      config: { access: 'portal.read' },
      schema: {
        tags: ['portal'],
        summary: '自主申报统计：流动人口自主申报率、出租屋登记率、待审核积压（按下级单位分行）',
        querystring: Type.Object({ orgUnitId: Type.Optional(Uuid) }, Strict),
      },
    },
    (req) => reviewStats(deps, req.ctx, req.query.orgUnitId),
  );

  r.get(
    '/api/v1/portal-reviews/:id',
    { config: { access: 'portal.read' }, schema: { tags: ['portal'], summary: '申报详情与登记信息比对（证件号脱敏，留痕）', params: IdParams } },
    (req) => getReview(deps, req.ctx, req.params.id),
  );

  r.get(
    '/api/v1/portal-reviews/:id/ids',
    {
      config: { access: 'portal.read' },
      schema: {
        tags: ['portal'],
        summary: '申报中的完整证件号码（按人员键；须 person.id_full 并说明用途，留痕）',
        params: IdParams,
        querystring: Type.Object({ purpose: Type.Optional(Type.String({ maxLength: 200, description: '用途（如核查事项），至少 4 个字' })) }, Strict),
      },
    },
    (req) => reviewIds(deps, req.ctx, req.params.id, req.query.purpose),
  );

  r.post(
    '/api/v1/portal-reviews/:id/claim',
    { config: { access: 'portal.review' }, schema: { tags: ['portal'], summary: '受理（已提交 → 审核中，由本人办理）', params: IdParams } },
    (req) => claim(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/portal-reviews/:id/approve',
    {
      config: { access: 'portal.review' },
      schema: {
        tags: ['portal'],
        summary: '审核通过：写入实有人口、居住与房屋登记后办结（流动人口、出租屋、电动自行车）',
        params: IdParams,
        body: Type.Object(
          {
            merge: Type.Optional(Type.Record(Type.String({ maxLength: 20 }), Uuid, { description: '人员键（self、owner、tenants.0…）→ 合并到的已有人员' })),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          Strict,
        ),
      },
    },
    (req) => approve(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/portal-reviews/:id/return',
    {
      config: { access: 'portal.review' },
      schema: { tags: ['portal'], summary: '退回群众修改（须说明原因，短信告知）', params: IdParams, body: Type.Object({ reason: Type.String({ minLength: 4, maxLength: 500 }) }, Strict) },
    },
    (req) => returnSubmission(deps, req.ctx, req.params.id, req.body.reason),
  );

  r.post(
    '/api/v1/portal-reviews/:id/complete',
    {
      config: { access: 'portal.review' },
      schema: { tags: ['portal'], summary: '办结求助咨询或调解申请（答复群众，短信告知）', params: IdParams, body: Type.Object({ reply: Type.String({ minLength: 2, maxLength: 1000 }) }, Strict) },
    },
    (req) => complete(deps, req.ctx, req.params.id, req.body.reply),
  );
}

/** `POST /api/v1/portal/attachments`: the body is the image itself (JPEG, PNG or WebP, ≤ 5 MB), checked by its bytes. */
async function attachmentUpload(app: FastifyInstance, deps: Deps) {
  app.addContentTypeParser([...ATTACHMENT_TYPES], { parseAs: 'buffer', bodyLimit: ATTACHMENT_MAX_BYTES }, (_req, body, done) => done(null, body));
  // oversize and non-image bodies are refused by the parser stage: say so in terms of images
  app.setErrorHandler((err: FastifyError) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) throw new DomainError('payload_too_large', 413, TOO_LARGE, [{ field: 'file', message: TOO_LARGE }]);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) throw new DomainError('unsupported_media_type', 415, NOT_AN_IMAGE, [{ field: 'file', message: NOT_AN_IMAGE }]);
    throw err;
  });
  app.post(
    '/api/v1/portal/attachments',
    {
      config: { access: 'resident' },
      bodyLimit: ATTACHMENT_MAX_BYTES,
      schema: { tags: ['portal'], summary: '上传求助图片（请求体为图片本身：image/jpeg、image/png 或 image/webp，不超过 5 MB）' },
    },
    async (req, reply) => reply.code(201).send(await uploadAttachment(deps, req.ctx, req.body)),
  );
}
