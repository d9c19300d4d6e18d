import type { Deps } from '../../../deps.js';
import { can, staffOf, type RequestContext } from '../../../platform/access/context.js';
import { recordAudit } from '../../../platform/audit/service.js';
import { sniffImage } from '../../../platform/files/images.js';
import { conflict, DomainError, notFound } from '../../../platform/errors/index.js';
import { departmentHandlesItem } from '../routing/route-item.js';
import { collectionRepository as repo } from './repository.js';

export const FIELD_PHOTO_MAX_BYTES = 4 * 1024 * 1024;
export const NOT_AN_IMAGE = '仅支持 JPEG、PNG 或 WebP 格式的图片';
export const TOO_LARGE = `图片不能超过 ${FIELD_PHOTO_MAX_BYTES / 1024 / 1024} MB`;

export const unsupportedImage = () => new DomainError('unsupported_media_type', 415, NOT_AN_IMAGE, [{ field: 'file', message: NOT_AN_IMAGE }]);
export const imageTooLarge = () => new DomainError('payload_too_large', 413, TOO_LARGE, [{ field: 'file', message: TOO_LARGE }]);

/**
 * A photo taken in the field, under the id the phone chose: the first upload creates it (201), a retry by the
 * same worker is harmless (200), an id another worker holds is a 409. The bytes decide the type.
 */
export async function putAttachment(deps: Deps, ctx: RequestContext, id: string, body: unknown) {
  const me = staffOf(ctx);
  if (!Buffer.isBuffer(body) || body.length === 0) throw unsupportedImage();
  if (body.length > FIELD_PHOTO_MAX_BYTES) throw imageTooLarge();
  const type = sniffImage(body);
  if (!type) throw unsupportedImage();
  const r = await repo.insertAttachment(deps.db, { id, worker_id: me.userId, content_type: type, bytes: body.length, data: body });
  if (r.workerId !== me.userId) throw conflict('该图片编号已被占用，请重新拍摄上传', 'id');
  return { created: r.created, attachment: { id, contentType: type, bytes: body.length } };
}

/**
 * The photo for its worker; for staff with `field.read` whose jurisdiction holds an item naming it; for the staff
 * of a department handling a dispatch of such an item. Anyone else gets 404. Reads by others than the worker are
 * audited.
 */
export async function readAttachment(deps: Deps, ctx: RequestContext, id: string): Promise<{ contentType: string; data: Buffer }> {
  const p = ctx.principal;
  const missing = notFound('图片不存在');
  if (!p || p.kind !== 'staff') throw missing;
  const a = await repo.attachment(deps.db, id);
  if (!a) throw missing;
  if (a.worker_id === p.userId) return { contentType: a.content_type, data: Buffer.from(a.data) };
  const items = await repo.itemsUsingPhoto(deps.db, id);
  let via: 'scope' | 'department' | undefined;
  let item = can(ctx, 'field.read') ? items.find((i) => i.path.startsWith(staffOf(ctx).scopePath)) : undefined;
  if (item) via = 'scope';
  else if (p.departmentId) {
    for (const i of items) {
      if (await departmentHandlesItem(deps.db, p.departmentId, i.id)) {
        item = i;
        via = 'department';
        break;
      }
    }
  }
  if (!item || !via) throw missing;
  await recordAudit(deps.db, ctx, { action: 'field.attachment.read', subjectType: 'field_item', subjectIds: [item.id, id], subjectUnitId: item.org_unit_id, detail: { via } });
  return { contentType: a.content_type, data: Buffer.from(a.data) };
}
