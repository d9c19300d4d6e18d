import { Type } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Deps } from '../../../deps.js';
import { FORM_FIELD_TYPES, MAX_FORM_FIELDS } from '../../../../shared/forms.js';
import { validationError } from '../../../platform/errors/index.js';
import { Enum, IdParams, pageArgs, PageQuery, Strict, Uuid } from '../../../platform/http/schemas.js';
import { IMAGE_TYPES } from '../../../platform/files/images.js';
import { FIELD_PHOTO_MAX_BYTES, imageTooLarge, putAttachment, readAttachment, unsupportedImage } from './attachments.js';
import { CHANGE_KINDS, CHANGE_STATUSES } from './change-rules.js';
import { applyChange, getChange, listChanges, listGrants, myChanges, putGrant, rejectChange } from './changes.js';
import { getItem, ITEM_STATUSES, listItems, myItems, returnItem } from './items.js';
import { addressRecord, getPack } from './records.js';
import { sync, SYNC_MAX_OPS } from './sync.js';
import { createItemType, listCategories, listItemTypes, putCategory, updateItemType } from './types.js';

const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD（北京时间）' });
const Status = Enum(['active', 'inactive'] as const);

const FormFieldSchema = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 40 }),
    label: Type.String({ minLength: 1, maxLength: 40 }),
    type: Enum(FORM_FIELD_TYPES),
    required: Type.Optional(Type.Boolean()),
    options: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 30 })),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    maxLength: Type.Optional(Type.Integer()),
    help: Type.Optional(Type.String({ maxLength: 200 })),
  },
  Strict,
);
const FormSchemaSchema = Type.Object({ fields: Type.Array(FormFieldSchema, { maxItems: MAX_FORM_FIELDS }) }, { ...Strict, description: '采集表单（src/shared/forms.ts）' });
const TypeBody = {
  categoryCode: Type.String({ minLength: 1, maxLength: 30 }),
  name: Type.String({ minLength: 1, maxLength: 40 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
  formSchema: FormSchemaSchema,
  needsAddress: Type.Optional(Type.Boolean()),
  needsPhoto: Type.Optional(Type.Boolean()),
  needsLocation: Type.Optional(Type.Boolean()),
  sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
};
const Reason = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, Strict);

/** Routes of field/collection (docs/api-field.md): item types, the field app's data and sync, review of changes, items. */
export function collectionRoutes(app: FastifyInstance, deps: Deps) {
  // photos are uploaded as the image itself: their parsers and limits live in their own context
  void app.register(async (scope) => attachmentUpload(scope, deps));
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['field'];

  // ---- item types as data ------------------------------------------------------------------------------------

  r.get('/api/v1/field/categories', { config: { access: 'staff' }, schema: { tags, summary: '事项类别（含事项数）' } }, () => listCategories(deps));

  r.put(
    '/api/v1/field/categories/:code',
    {
      config: { access: 'field.configure' },
      schema: {
        tags,
        summary: '新建或修改事项类别',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64, description: '类别代码：小写字母开头，小写字母、数字或下划线，2–30 个字符' }) }, Strict),
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 20 }), sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })), status: Type.Optional(Status) }, Strict),
      },
    },
    (req) => putCategory(deps, req.ctx, req.params.code, req.body),
  );

  r.get(
    '/api/v1/field/item-types',
    {
      config: { access: 'staff' },
      schema: { tags, summary: '事项类型（全部，不分页）', querystring: Type.Object({ category: Type.Optional(Type.String({ maxLength: 30 })), status: Type.Optional(Status) }, Strict) },
    },
    (req) => listItemTypes(deps, req.query),
  );

  r.post(
    '/api/v1/field/item-types',
    {
      config: { access: 'field.configure' },
      schema: { tags, summary: '新建事项类型（含采集表单）', body: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }), ...TypeBody }, Strict) },
    },
    async (req, reply) => reply.code(201).send(await createItemType(deps, req.ctx, req.body)),
  );

  r.put(
    '/api/v1/field/item-types/:id',
    {
      config: { access: 'field.configure' },
      schema: {
        tags,
        summary: '修改事项类型（version 须为当前版本，否则 409 VERSION_CONFLICT；停用用 status: inactive）',
        params: IdParams,
        body: Type.Object({ ...TypeBody, status: Type.Optional(Status), version: Type.Integer({ minimum: 1 }) }, Strict),
      },
    },
    (req) => updateItemType(deps, req.ctx, req.params.id, req.body),
  );

  // ---- the field app's data ----------------------------------------------------------------------------------

  r.get(
    '/api/v1/field/pack',
    {
      config: { access: 'field.collect' },
      schema: { tags, summary: '离线数据包：本人网格的地址、门牌、房屋、人员（脱敏）、单位与事项类型（留痕）', querystring: Type.Object({ gridId: Type.Optional(Uuid) }, Strict) },
    },
    (req) => getPack(deps, req.ctx, req.query.gridId),
  );

  r.get(
    '/api/v1/field/plates/:token/record',
    {
      config: { access: 'field.collect' },
      schema: { tags, summary: '扫门牌：该地址的登记信息（脱敏，留痕）', params: Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) }, Strict) },
    },
    (req) => addressRecord(deps, req.ctx, { plateToken: req.params.token }),
  );

  r.get(
    '/api/v1/field/addresses/:id/record',
    { config: { access: 'field.collect' }, schema: { tags, summary: '地址的登记信息（脱敏，留痕）', params: IdParams } },
    (req) => addressRecord(deps, req.ctx, { addressId: req.params.id }),
  );

  // ---- sync --------------------------------------------------------------------------------------------------

  r.get(
    '/api/v1/field/attachments/:id',
    { config: { access: 'authenticated' }, schema: { tags, summary: '采集照片（本人；辖区内有 field.read 的工作人员或办理该事项的部门，留痕）', params: IdParams } },
    async (req, reply) => {
      const a = await readAttachment(deps, req.ctx, req.params.id);
      return reply.type(a.contentType).header('cache-control', 'private, max-age=3600').send(a.data);
    },
  );

  r.post(
    '/api/v1/field/sync',
    {
      config: { access: 'field.collect' },
      schema: {
        tags,
        summary: '同步离线操作（事项与信息变更，逐条处理、逐条返回；clientId 重试幂等）',
        body: Type.Object(
          { ops: Type.Array(Type.Unknown({ description: 'ItemOp 或 ChangeOp（见 docs/api-field.md）；逐条校验，格式不对的一条单独被拒' }), { minItems: 1, maxItems: SYNC_MAX_OPS }) },
          Strict,
        ),
      },
    },
    (req) => sync(deps, req.ctx, req.body.ops),
  );

  // ---- the worker's own lists --------------------------------------------------------------------------------

  r.get(
    '/api/v1/field/me/items',
    {
      config: { access: 'field.collect' },
      schema: { tags, summary: '我采集的事项（新的在前，含分派办理情况与退回原因）', querystring: Type.Object({ status: Type.Optional(Enum(ITEM_STATUSES)), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await myItems(deps, req.ctx, req.query.status, { limit, offset })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/field/me/changes',
    {
      config: { access: 'field.collect' },
      schema: { tags, summary: '我提交的信息变更（含审核结果与冲突）', querystring: Type.Object({ status: Type.Optional(Enum(CHANGE_STATUSES)), ...PageQuery }, Strict) },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await myChanges(deps, req.ctx, req.query.status, { limit, offset })), page, pageSize };
    },
  );

  // ---- review of field changes -------------------------------------------------------------------------------

  r.get(
    '/api/v1/field/changes',
    {
      config: { access: 'field.read' },
      schema: {
        tags,
        summary: '信息变更审核队列（本辖区，待审与冲突在前、先到先办；列表留痕）',
        querystring: Type.Object(
          { status: Type.Optional(Enum(CHANGE_STATUSES)), kind: Type.Optional(Enum(CHANGE_KINDS)), workerId: Type.Optional(Uuid), unitId: Type.Optional(Uuid), ...PageQuery },
          Strict,
        ),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await listChanges(deps, req.ctx, req.query, { limit, offset, page })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/field/changes/:id',
    { config: { access: 'field.read' }, schema: { tags, summary: '信息变更详情：采集内容与登记现状对照、冲突、同号人员（脱敏，留痕）', params: IdParams } },
    (req) => getChange(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/field/changes/:id/apply',
    {
      config: { access: 'field.review' },
      schema: {
        tags,
        summary: '审核入库（以本人身份写入一标三实；登记已变化时 409 FIELD_CONFLICT，核对后 override: true 覆盖入库）',
        params: IdParams,
        body: Type.Object({ override: Type.Optional(Type.Boolean()), note: Type.Optional(Type.String({ maxLength: 500 })) }, Strict),
      },
    },
    (req) => applyChange(deps, req.ctx, req.params.id, req.body),
  );

  r.post(
    '/api/v1/field/changes/:id/reject',
    { config: { access: 'field.review' }, schema: { tags, summary: '驳回信息变更（须说明原因，计入质量考核）', params: IdParams, body: Reason } },
    (req) => rejectChange(deps, req.ctx, req.params.id, req.body.reason),
  );

  r.get('/api/v1/field/grants', { config: { access: 'field.review' }, schema: { tags, summary: '辖区内的网格员、警务助理及其直接变更授权' } }, (req) => listGrants(deps, req.ctx));

  r.put(
    '/api/v1/field/grants/:userId',
    {
      config: { access: 'field.review' },
      schema: {
        tags,
        summary: '授予或收回直接变更（免审核入库）权限（留痕）',
        params: Type.Object({ userId: Uuid }, Strict),
        body: Type.Object({ direct: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 200 })) }, Strict),
      },
    },
    (req) => putGrant(deps, req.ctx, req.params.userId, req.body),
  );

  // ---- items (console) ---------------------------------------------------------------------------------------

  r.get(
    '/api/v1/field/items',
    {
      config: { access: 'field.read' },
      schema: {
        tags,
        summary: '采集事项（本辖区，新的在前；列表留痕）',
        querystring: Type.Object(
          {
            category: Type.Optional(Type.String({ maxLength: 30 })),
            type: Type.Optional(Type.String({ maxLength: 40 })),
            status: Type.Optional(Enum(ITEM_STATUSES)),
            workerId: Type.Optional(Uuid),
            unitId: Type.Optional(Uuid),
            from: Type.Optional(DateStr),
            to: Type.Optional(DateStr),
            q: Type.Optional(Type.String({ maxLength: 64, description: '地址、事项名称、采集人或内容' })),
            ...PageQuery,
          },
          Strict,
        ),
      },
    },
    async (req) => {
      const { page, pageSize, limit, offset } = pageArgs(req.query);
      return { ...(await listItems(deps, req.ctx, req.query, { limit, offset, page })), page, pageSize };
    },
  );

  r.get(
    '/api/v1/field/items/:id',
    { config: { access: 'field.read' }, schema: { tags, summary: '采集事项详情：表单、照片、位置、分派与办理时间线、完成的任务（留痕）', params: IdParams } },
    (req) => getItem(deps, req.ctx, req.params.id),
  );

  r.post(
    '/api/v1/field/items/:id/return',
    { config: { access: 'field.review' }, schema: { tags, summary: '退回不合格事项（须说明原因，网格员可更正后重报）', params: IdParams, body: Reason } },
    (req) => returnItem(deps, req.ctx, req.params.id, req.body.reason),
  );
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `PUT /api/v1/field/attachments/:id`: the body is the image itself (JPEG, PNG or WebP, ≤ 4 MB), checked by its bytes. */
async function attachmentUpload(app: FastifyInstance, deps: Deps) {
  // a bad id is refused before the image is read (the access guard has already run as the request arrived)
  app.addHook('onRequest', async (req) => {
    const id = (req.params as { id?: string }).id;
    if (!id || !UUID_RE.test(id)) throw validationError([{ field: 'id', message: '须为 UUID' }]);
  });
  app.addContentTypeParser([...IMAGE_TYPES, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: FIELD_PHOTO_MAX_BYTES }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) throw imageTooLarge();
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) throw unsupportedImage();
    throw err;
  });
  app.put(
    '/api/v1/field/attachments/:id',
    {
      config: { access: 'field.collect' },
      bodyLimit: FIELD_PHOTO_MAX_BYTES,
      schema: { tags: ['field'], summary: '上传采集照片（:id 为手机生成的 UUID；请求体为图片本身，≤ 4 MB；首次 201，同一人重传 200，他人已占用 409）', params: IdParams },
    },
    async (req, reply) => {
      const { created, attachment } = await putAttachment(deps, req.ctx, (req.params as { id: string }).id, req.body);
      return reply.code(created ? 201 : 200).send(attachment);
    },
  );
}
