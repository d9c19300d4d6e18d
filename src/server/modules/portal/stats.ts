import type { Deps } from '../../deps.js';
import { staffOf, type RequestContext } from '../../platform/access/context.js';
import { notFound } from '../../platform/errors/index.js';
import { orgRepository } from '../org/repository.js';
import { portalRepository as repo, type Figures } from './repository.js';

const rate = (part: number, whole: number) => (whole === 0 ? null : part / whole);

function row(unit: { id: string; name: string }, f: Figures | undefined) {
  const n = (v: number | null | undefined) => Number(v ?? 0);
  const floating = n(f?.floating);
  const floatingSelfDeclared = n(f?.floating_self_declared);
  const rentals = n(f?.rentals);
  const rentalsRegistered = n(f?.rentals_registered);
  return {
    orgUnitId: unit.id,
    orgUnitName: unit.name,
    floating,
    floatingSelfDeclared,
    selfDeclarationRate: rate(floatingSelfDeclared, floating),
    rentals,
    rentalsRegistered,
    rentalRegistrationRate: rate(rentalsRegistered, rentals),
    pending: n(f?.pending),
    oldestPendingHours: f?.oldest_pending_hours === null || f?.oldest_pending_hours === undefined ? null : Number(f.oldest_pending_hours),
    pendingOver72h: n(f?.pending_over_72h),
    submitted30d: n(f?.submitted_30d),
  };
}

/**
 * Self-declaration figures of a unit in the caller's jurisdiction (default: their own), one row per direct child
 * unit and a total for the unit: current floating residents and the share whose residence came from a
 * resident's own declaration, rented housing and the share registered, and the review queue. Counts only, so
 * not audited.
 */
export async function reviewStats(deps: Deps, ctx: RequestContext, orgUnitId: string | undefined) {
  const me = staffOf(ctx);
  const unit = await orgRepository.inScope(deps.db, me.scopePath, orgUnitId ?? me.orgUnitId);
  if (!unit) throw notFound('单位不存在或不在您的辖区内');
  const children = await repo.childUnits(deps.db, unit.id);
  const figures = new Map((await repo.figures(deps.db, [unit, ...children])).map((f) => [f.id, f]));
  return {
    orgUnit: { id: unit.id, name: unit.name },
    rows: children.map((c) => row(c, figures.get(c.id))),
    total: row(unit, figures.get(unit.id)),
  };
}
