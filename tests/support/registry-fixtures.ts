import { v7 as uuidv7 } from 'uuid';
import type { Deps } from '../../src/server/deps.js';
import { computeCreditCheckChar, computeIdCheckChar, computeOrgCodeCheckChar } from '../../src/server/platform/ids/index.js';
import { orgRepository } from '../../src/server/modules/org/repository.js';
import { createTestApp, type TestApp } from './app.js';
import { systemContext } from '../../src/server/platform/access/context.js';
import { PERMISSIONS } from '../../src/server/platform/access/permissions.js';
import { createUser } from '../../src/server/modules/users/service.js';

/** The test app (population and units routes are part of it). */
export const createRegistryTestApp = (): Promise<TestApp> => createTestApp();

/**
 * Signs in the chief of a neighbouring station (市中派出所, 371602001): an account of the same branch whose
 * jurisdiction holds none of 彭李's records. Created on the first call.
 */
export async function neighbourChief(t: TestApp): Promise<string> {
  const sys = systemContext(Object.keys(PERMISSIONS));
  if (!(await t.deps.db.selectFrom('users').select('id').where('username', '=', 'szchief').executeTakeFirst())) {
    await createUser(t.deps, sys, { username: 'szchief', displayName: '市中所长', password: 'Shizhong123', orgUnitId: await orgUnitId(t.deps, '371602001'), roles: ['chief'], mustChangePassword: false });
  }
  return t.login('szchief', 'Shizhong123');
}

export async function orgUnitId(deps: Deps, code: string): Promise<string> {
  const u = await orgRepository.byCode(deps.db, code);
  if (!u) throw new Error(`no org unit ${code}`);
  return u.id;
}

let addressSeq = 0;

export interface AddressFixture {
  /** Grid the address belongs to: an org-unit id, or a grid code such as 371602005001001. */
  grid: string;
  fullText?: string;
  level?: 'door' | 'building' | 'unit' | 'floor' | 'room' | 'road' | 'compound';
  lng?: number | null;
  lat?: number | null;
  status?: 'active' | 'inactive';
  countyCode?: string;
}

/**
 * Inserts one standard address straight into the table (the addresses module owns its API): a room under the
 * given grid with a unique code, path `/<id>/` and search_text = full_text.
 */
export async function insertAddress(deps: Deps, f: AddressFixture): Promise<{ id: string; fullText: string; gridId: string }> {
  const n = ++addressSeq;
  const gridId = /^\d+$/.test(f.grid) ? await orgUnitId(deps, f.grid) : f.grid;
  const id = uuidv7();
  const fullText = f.fullText ?? `山东省滨州市滨城区彭李街道学苑社区黄河十二路599号香园小区3号楼2单元${500 + n}室`;
  await deps.db
    .insertInto('addresses')
    .values({
      id,
      parent_id: null,
      level: f.level ?? 'room',
      name: `${500 + n}室`,
      code: `T${Date.now().toString(36)}${String(n).padStart(5, '0')}${id.slice(-6)}`,
      full_text: fullText,
      search_text: fullText,
      grid_id: gridId,
      county_code: f.countyCode ?? '371602',
      path: `/${id}/`,
      lng: f.lng === undefined ? 117.95 + n / 10_000 : f.lng,
      lat: f.lat === undefined ? 37.36 + n / 10_000 : f.lat,
      status: f.status ?? 'active',
    })
    .execute();
  return { id, fullText, gridId };
}

/**
 * A valid 18-digit identity number (GB 11643), different for each `n` ≥ 0: the birth date is 1950-01-01 plus
 * n % 18000 days, the sequence 2·⌊n / 18000⌋ plus 1 for a man, 0 for a woman (default: by the parity of n).
 */
export function makeIdNumber(n: number, o: { region?: string; birth?: string; sex?: 'M' | 'F' } = {}): string {
  const region = o.region ?? '371602';
  const birth = o.birth ?? new Date(Date.UTC(1950, 0, 1) + (n % 18000) * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '');
  const male = o.sex ? o.sex === 'M' : n % 2 === 1;
  const seq = (2 * Math.floor(n / 18000) + (male ? 1 : 0)) % 1000;
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + computeIdCheckChar(first17);
}

/** A valid 统一社会信用代码 (GB 32100) for each `n`: 91 (enterprise) + 371602 + an organisation code with its check. */
export function makeCreditCode(n: number, prefix = '91371602'): string {
  const body = String(10_000_000 + n).slice(-8);
  const first17 = `${prefix}${body}${computeOrgCodeCheckChar(body)}`;
  return first17 + computeCreditCheckChar(first17);
}

export { TEST_PASSWORD } from './env.js';
