import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../deps.js';
import { can, residentOf, type RequestContext } from '../../platform/access/context.js';
import { sniffImage } from '../../platform/files/images.js';
import { recordAudit } from '../../platform/audit/service.js';
import { DomainError, forbidden, notFound, rateLimited } from '../../platform/errors/index.js';
import { portalRepository as repo } from './repository.js';

export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
export { IMAGE_TYPES as ATTACHMENT_TYPES } from '../../platform/files/images.js';
/** Unused uploads a resident may hold from the last day (each help request names at most 6). */
const MAX_UNUSED_PER_DAY = 30;

export const NOT_AN_IMAGE = '仅支持 JPEG、PNG 或 WebP 格式的图片';
export const TOO_LARGE = `图片不能超过 ${ATTACHMENT_MAX_BYTES / 1024 / 1024} MB`;

const unsupported = () => new DomainError('unsupported_media_type', 415, NOT_AN_IMAGE, [{ field: 'file', message: NOT_AN_IMAGE }]);

/** A photo a resident uploads before naming it in a help request. */
export async function uploadAttachment(deps: Deps, ctx: RequestContext, body: unknown) {
  const me = residentOf(ctx);
  if (!Buffer.isBuffer(body) || body.length === 0) throw unsupported();
  if (body.length > ATTACHMENT_MAX_BYTES) throw new DomainError('payload_too_large', 413, TOO_LARGE, [{ field: 'file', message: TOO_LARGE }]);
  const type = sniffImage(body);
  if (!type) throw unsupported();
  if ((await repo.unusedUploadsSince(deps.db, me.residentId, new Date(Date.now() - 86_400_000))) >= MAX_UNUSED_PER_DAY)
    throw rateLimited('今日上传的图片过多，请先提交已上传的图片或明天再试');
  const id = uuidv7();
  await repo.insertAttachment(deps.db, {
    id,
    resident_id: me.residentId,
    submission_id: null,
    content_type: type,
    bytes: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    data: body,
  });
  return { id, contentType: type, bytes: body.length };
}

/**
 * The image: for its uploader, or for staff with `portal.read` whose jurisdiction holds the submission naming
 * it (audited). Anyone else gets 404, so an id reveals nothing.
 */
export async function readAttachment(deps: Deps, ctx: RequestContext, id: string): Promise<{ contentType: string; data: Buffer }> {
  const p = ctx.principal;
  const a = await repo.attachment(deps.db, id);
  const missing = notFound('图片不存在');
  if (p?.kind === 'resident') {
    if (!a || a.resident_id !== p.residentId) throw missing;
  } else {
    if (!can(ctx, 'portal.read')) throw forbidden('您没有「portal.read」权限');
    if (!a || !a.grid_path || !p || !a.grid_path.startsWith(p.scopePath)) throw missing;
    await recordAudit(deps.db, ctx, { action: 'portal.attachment_read', subjectType: 'portal_submission', subjectIds: [a.submission_id!, a.id], subjectUnitId: a.grid_id ?? undefined });
  }
  return { contentType: a.content_type, data: Buffer.from(a.data) };
}
