import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields covered by the hash: everything in the row except the hash itself. */
export interface ChainedFields {
  seq: number;
  id: string;
  at: Date;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  actorRole: string | null;
  orgUnitId: string | null;
  action: string;
  subjectType: string | null;
  subjectIds: string[];
  purpose: string | null;
  ip: string | null;
  userAgent: string | null;
  outcome: string;
  crossJurisdiction: boolean;
  detail: unknown;
  prevHash: string;
}

export function rowHash(f: ChainedFields): string {
  const body = canonicalJson([
    f.seq,
    f.id,
    f.at.toISOString(),
    f.actorKind,
    f.actorId,
    f.actorName,
    f.actorRole,
    f.orgUnitId,
    f.action,
    f.subjectType,
    f.subjectIds,
    f.purpose,
    f.ip,
    f.userAgent,
    f.outcome,
    f.crossJurisdiction,
    f.detail ?? null,
  ]);
  return createHash('sha256').update(f.prevHash).update('\n').update(body).digest('hex');
}
