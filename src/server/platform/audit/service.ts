import { v7 as uuidv7 } from 'uuid';
import type { Kysely } from 'kysely';
import type { DB, AuditRow } from '../../db/schema.js';
import { SYSTEM_USER_ID, type RequestContext } from '../access/context.js';
import { auditRepository, type AuditFilter } from './repository.js';
import { GENESIS_HASH, rowHash } from './chain.js';

export interface AuditEntry {
  action: string;
  subjectType?: string;
  subjectIds?: string[];
  purpose?: string;
  outcome?: 'success' | 'failure' | 'denied';
  crossJurisdiction?: boolean;
  detail?: Record<string, unknown>;
  /** Names the actor when there is no principal yet (e.g. a failed sign-in). */
  actorName?: string;
  actorId?: string;
  /** Role codes of the actor when there is no principal yet (sign-in). */
  actorRole?: string;
  /** The org unit whose jurisdiction the row belongs to; defaults to the acting staff member's unit. */
  orgUnitId?: string;
  /** The org unit of the subject: used as the row's jurisdiction when the actor is the system (CLI, seed, jobs). */
  subjectUnitId?: string;
}

/**
 * Appends one row to the hash chain. Call it with the transaction of the change it records, so the
 * change and its audit row commit or roll back together.
 */
export async function recordAudit(executor: Kysely<DB>, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  const write = async (trx: Kysely<DB>) => {
    await auditRepository.lockChain(trx);
    const last = await auditRepository.last(trx);
    const p = ctx.principal;
    const row: Omit<AuditRow, 'hash'> = {
      seq: last ? Number(last.seq) + 1 : 1,
      id: uuidv7(),
      at: new Date(),
      actor_kind: p ? p.kind : 'anonymous',
      actor_id: entry.actorId ?? (p ? (p.kind === 'staff' ? p.userId : p.residentId) : null),
      actor_name: entry.actorName ?? (p ? (p.kind === 'staff' ? `${p.displayName}(${p.username})` : p.phone) : null),
      actor_role: entry.actorRole ?? (p?.kind === 'staff' ? p.roles.join(',') : p ? 'resident' : null),
      org_unit_id:
        entry.orgUnitId ??
        (p?.kind === 'staff' ? (p.orgUnitId === SYSTEM_USER_ID ? (entry.subjectUnitId ?? null) : p.orgUnitId) : null),
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_ids: entry.subjectIds ?? [],
      purpose: entry.purpose ?? null,
      ip: ctx.ip ?? null,
      user_agent: ctx.userAgent ? ctx.userAgent.slice(0, 300) : null,
      outcome: entry.outcome ?? 'success',
      cross_jurisdiction: entry.crossJurisdiction ?? false,
      detail: entry.detail ?? null,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    const hash = rowHash(toChained(row));
    await auditRepository.insert(trx, { ...row, hash });
    await auditRepository.setHead(trx, row.seq, hash);
  };
  if (executor.isTransaction) await write(executor);
  else await executor.transaction().execute(write);
}

function toChained(r: Omit<AuditRow, 'hash'>) {
  return {
    seq: Number(r.seq),
    id: r.id,
    at: r.at,
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
    prevHash: r.prev_hash,
  };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
}

/** Walks the whole chain: an edited, deleted, inserted or reordered row breaks it at that row. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for await (const rows of auditRepository.walk(db)) {
    for (const r of rows) {
      const seq = Number(r.seq);
      const fail = (reason: string): VerifyResult => ({ ok: false, checked, firstBrokenSeq: seq, reason });
      if (seq !== expectedSeq) return fail(`序号不连续：应为 ${expectedSeq}，实际为 ${seq}（有记录被删除或插入）`);
      if (r.prev_hash !== prevHash) return fail('前序哈希不匹配（记录被删除、插入或调换顺序）');
      if (rowHash(toChained(r)) !== r.hash) return fail('记录内容与其哈希不符（记录被修改）');
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
  }
  const head = await auditRepository.head(db);
  if (head && (Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash)) {
    return {
      ok: false,
      checked,
      firstBrokenSeq: expectedSeq,
      reason: `链尾与记录的链头（序号 ${head.seq}）不符：末尾记录被删除`,
    };
  }
  if (!head && checked > 0) return { ok: false, checked, firstBrokenSeq: 1, reason: '链头记录缺失' };
  return { ok: true, checked, firstBrokenSeq: null, reason: null };
}

export type { AuditFilter };
export const listAudit = auditRepository.page.bind(auditRepository);
export const walkAudit = auditRepository.walk.bind(auditRepository);
