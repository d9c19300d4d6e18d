// Reading a submission's `data`: the people it names (with their person keys) and typed field access.
import type { I18n } from '../../../shared/i18n';

export type Data = Record<string, unknown>;

export const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const obj = (v: unknown): Data => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : {});
export const list = (v: unknown): Data[] => (Array.isArray(v) ? v.map(obj) : []);

/** A person named by a submission, with the key an approval's `merge` uses. */
export interface SubmissionPerson {
  key: string;
  /** self | owner | tenant | party */
  role: 'self' | 'owner' | 'tenant' | 'party';
  index: number;
  name: string;
  idNumber: string | null;
  /** Where the identity number sits in `data` (dotted). */
  idPath: string;
  phone: string | null;
}

/** Kinds whose approval creates or links registry persons (and therefore take a `merge` map). */
export const MERGE_KINDS: readonly string[] = ['residence', 'rental'];

export function submissionPersons(kind: string, data: Data): SubmissionPerson[] {
  switch (kind) {
    case 'residence':
      return [{ key: 'self', role: 'self', index: 0, name: text(data.name) ?? '', idNumber: text(data.idNumber), idPath: 'idNumber', phone: text(data.phone) }];
    case 'rental': {
      const owner = obj(data.owner);
      return [
        { key: 'owner', role: 'owner', index: 0, name: text(owner.name) ?? '', idNumber: text(owner.idNumber), idPath: 'owner.idNumber', phone: text(owner.phone) },
        ...list(data.tenants).map((tn, i) => ({
          key: `tenants.${i}`,
          role: 'tenant' as const,
          index: i,
          name: text(tn.name) ?? '',
          idNumber: text(tn.idNumber),
          idPath: `tenants.${i}.idNumber`,
          phone: text(tn.phone),
        })),
      ];
    }
    case 'ebike':
      return [{ key: 'self', role: 'self', index: 0, name: text(data.ownerName) ?? '', idNumber: text(data.idNumber), idPath: 'idNumber', phone: text(data.phone) }];
    case 'mediation':
      return list(data.parties).map((p, i) => ({
        key: `parties.${i}`,
        role: 'party' as const,
        index: i,
        name: text(p.name) ?? '',
        idNumber: text(p.idNumber),
        idPath: `parties.${i}.idNumber`,
        phone: text(p.phone),
      }));
    default:
      return [];
  }
}

/** 本人 / 房主 / 承租人 2 … for a person key. */
export function keyLabel(t: I18n['t'], key: string): string {
  if (key === 'self') return t('portalReview.key.self');
  if (key === 'owner') return t('portalReview.key.owner');
  if (key === 'address') return t('portalReview.key.address');
  if (key === 'housing') return t('portalReview.key.housing');
  const m = /^(tenants|parties)\.(\d+)$/.exec(key);
  if (m) return t(m[1] === 'tenants' ? 'portalReview.key.tenant' : 'portalReview.key.party', { n: Number(m[2]) + 1 });
  return key;
}

/** The full identity number of a person once revealed (looked up by person key or data path). */
export function revealedId(ids: Map<string, string> | null, p: { key: string; idPath: string }): string | null {
  if (!ids) return null;
  return ids.get(p.key) ?? ids.get(p.idPath) ?? ids.get(`data.${p.idPath}`) ?? null;
}
