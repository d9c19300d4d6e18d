import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { notFound, validationError } from '../../platform/errors/index.js';
import { incidentsRepository as repo } from './repository.js';
import { AlreadyRecorded, checkCategory, getIncidentPlain, recordIncident, resolvePlacement } from './service.js';

/**
 * An incident made from a grid worker's report (field_items → source `grid`) or a resident's help request
 * (portal_submissions of kind `help` → source `resident`), once per source: asking again returns the same incident.
 * The category follows the report's type unless the caller picks one.
 */
const FIELD_TYPE_CATEGORY: Record<string, string> = {
  dispute: 'jf_neighbour',
  neighbor_dispute: 'jf_neighbour',
  family_dispute: 'jf_family',
  property_dispute: 'jf_property',
  wage_dispute: 'jf_labour',
  land_dispute: 'jf_economic',
  fire_hazard: 'hz_hazard',
  ebike_charging: 'hz_hazard',
  gas_hazard: 'hz_hazard',
  suspicious_person: 'za_other',
  resident_request: 'qt_other',
};
const FIELD_CATEGORY_CATEGORY: Record<string, string> = { dispute: 'jf_neighbour', safety: 'hz_hazard', watch: 'za_other' };
const HELP_CATEGORY: Record<string, string> = { help: 'qz_emergency', consult: 'qt_consult', clue: 'za_other', lost: 'qt_other', dispute: 'jf_neighbour', other: 'qt_other' };

const clip = (s: string, n: number) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);

export async function incidentFromSource(deps: Deps, ctx: RequestContext, input: { kind: 'field_item' | 'portal_submission'; id: string; categoryId?: string }): Promise<{ created: boolean; incident: Awaited<ReturnType<typeof getIncidentPlain>> }> {
  const me = staffOf(ctx);
  const source = input.kind === 'field_item' ? 'grid' : 'resident';
  // the source must be in scope first: whether it has an incident says nothing about a foreign record
  let categoryCode: string;
  let place: { addressId?: string | null; lat?: number | null; lng?: number | null; gridId?: string | null };
  let base: { occurredAt: Date; reportedAt: Date; summary: string; place: string | null; callerName: string | null; callerPhone: string | null };
  if (input.kind === 'field_item') {
    const f = await repo.fieldItemInScope(deps.db, me.scopePath, input.id);
    if (!f) throw notFound('网格上报事项不存在或不在您的辖区内');
    categoryCode = FIELD_TYPE_CATEGORY[f.type_code] ?? FIELD_CATEGORY_CATEGORY[f.category_code] ?? 'qt_other';
    const data = (f.data ?? {}) as Record<string, unknown>;
    const text = [typeof data.description === 'string' ? data.description : '', f.note ?? ''].filter(Boolean).join('；');
    const gridId = f.org_kind === 'grid' ? f.org_unit_id : null;
    place = f.address_id ? { addressId: f.address_id } : f.lat !== null && f.lng !== null ? { lat: f.lat, lng: f.lng, gridId } : { gridId };
    base = {
      occurredAt: new Date(f.occurred_at),
      reportedAt: new Date(f.received_at),
      summary: clip(`网格员${f.worker_name ?? ''}上报：${text || f.type_code}`, 500),
      place: null,
      callerName: f.worker_name,
      callerPhone: f.worker_phone,
    };
  } else {
    const s = await repo.helpSubmissionInScope(deps.db, me.scopePath, input.id);
    if (!s) throw notFound('群众求助不存在或不在您的辖区内');
    if (s.kind !== 'help') throw validationError([{ field: 'id', message: '只有群众的报警求助可以生成警情' }]);
    const data = (s.payload ?? {}) as { category?: string; description?: string; location?: { lat: number; lng: number } };
    categoryCode = HELP_CATEGORY[data.category ?? 'other'] ?? 'qt_other';
    place = data.location ? { lat: data.location.lat, lng: data.location.lng, gridId: s.grid_id } : { addressId: s.address_id };
    base = {
      occurredAt: new Date(s.submitted_at),
      reportedAt: new Date(s.submitted_at),
      summary: clip(`群众扫码求助（${s.tracking_no}）：${data.description ?? s.summary}`, 500),
      place: null,
      callerName: null,
      callerPhone: s.resident_phone,
    };
  }
  const existing = await repo.bySourceRef(deps.db, source, input.id);
  if (existing) return { created: false, incident: await getIncidentPlain(deps, ctx, existing.id) };
  let categoryId: string;
  if (input.categoryId) {
    const errors: Parameters<typeof checkCategory>[3] = [];
    await checkCategory(deps, input.categoryId, 'categoryId', errors);
    if (errors.length) throw validationError(errors);
    categoryId = input.categoryId;
  } else {
    categoryId = (await repo.categoryByCode(deps.db, categoryCode))?.id ?? (await repo.categoryByCode(deps.db, 'qt_other'))!.id;
  }
  let placed = await resolvePlacement(deps, ctx, place);
  // a place that no longer resolves (an address since deactivated) falls back to the caller's unit
  if ('errors' in placed) placed = await resolvePlacement(deps, ctx, { gridId: place.gridId ?? null });
  if ('errors' in placed) throw validationError(placed.errors);
  const made: Parameters<typeof recordIncident>[2] = { source, sourceRef: input.id, categoryId, placement: placed.placement, ...base };
  try {
    const id = await recordIncident(deps, ctx, made);
    return { created: true, incident: await getIncidentPlain(deps, ctx, id) };
  } catch (e) {
    if (!(e instanceof AlreadyRecorded)) throw e;
    const twin = (await repo.bySourceRef(deps.db, source, input.id))!;
    return { created: false, incident: await getIncidentPlain(deps, ctx, twin.id) };
  }
}
