import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { createTestApp, openTestDatabase, type TestApp } from '../../tests/support/app.js';
import { testConfig } from '../../tests/support/env.js';
import { openDeps } from '../server/bootstrap.js';
import type { Database } from '../server/db/connect.js';
import type { Deps } from '../server/deps.js';
import { verifyAuditChain } from '../server/platform/audit/service.js';
import { blindIndex, decryptField } from '../server/platform/crypto/fields.js';
import { parseCreditCode, parseIdNumber } from '../server/platform/ids/index.js';
import { communityShortName, divisionText, normaliseName, searchKey, SERIAL_WIDTH, streetCodeOf, topFullText, type Level } from '../server/modules/addresses/rules.js';
import { nameKeys } from '../server/modules/population/rules.js';
import { ID_DOMAIN } from '../server/modules/population/service.js';
import { Rng, REGISTRY_REFERENCE_DATE, seedDemoRegistry, type RegistryResult } from './registry.js';

const PEOPLE = 700;
const SEED = 42;

type Row = Record<string, unknown>;
const rows = async (deps: Deps, q: string) => (await sql.raw<Row>(q).execute(deps.db)).rows;

let t: TestApp;
let second: { database: Database; deps: Deps };
let result: RegistryResult;
const progress: Array<{ done: number; total: number }> = [];

beforeAll(async () => {
  t = await createTestApp();
  result = await seedDemoRegistry(t.deps, { people: PEOPLE, seed: SEED, onProgress: (p) => progress.push(p), batchSize: 250 });
  const database = await openTestDatabase();
  const deps = await openDeps(testConfig(), pino({ level: 'silent' }) as unknown as FastifyBaseLogger, database);
  await seedDemoRegistry(deps, { people: PEOPLE, seed: SEED });
  second = { database, deps };
}, 120_000);

afterAll(async () => {
  await t?.close();
  await second?.database.close();
});

describe('demo registry', () => {
  it('the generator repeats itself for a seed and differs between seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.u32());
    expect(Array.from({ length: 5 }, () => b.u32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.u32())).not.toEqual(xs);
  });

  it('builds roughly what was asked for and reports progress', async () => {
    expect(result.people).toBe(PEOPLE);
    const [n] = await rows(t.deps, `SELECT (SELECT count(*) FROM persons) AS persons, (SELECT count(*) FROM units) AS units,
      (SELECT count(*) FROM housing WHERE use = 'rent') AS rent, (SELECT count(*) FROM housing WHERE use = 'vacant') AS vacant,
      (SELECT count(*) FROM housing WHERE use = 'self') AS self, (SELECT count(*) FROM persons WHERE person_type = 'floating') AS floating,
      (SELECT count(*) FROM persons WHERE permit_issued_on IS NOT NULL) AS permits,
      (SELECT count(*) FROM residences WHERE to_date IS NOT NULL) AS past, (SELECT count(*) FROM employments) AS employments,
      (SELECT array_agg(DISTINCT key_industry) FROM units) AS industries`);
    expect(Number(n.persons)).toBe(PEOPLE);
    expect(Number(n.units)).toBe(result.units);
    expect(result.units).toBeGreaterThanOrEqual(Math.floor(PEOPLE / 60));
    expect(Number(n.self)).toBeGreaterThan(Number(n.rent));
    expect(Number(n.rent)).toBeGreaterThan(0);
    expect(Number(n.vacant)).toBeGreaterThan(0);
    expect(Number(n.floating) / PEOPLE).toBeGreaterThan(0.08);
    expect(Number(n.floating) / PEOPLE).toBeLessThan(0.4);
    expect(Number(n.permits)).toBeGreaterThan(0);
    expect(Number(n.past)).toBeGreaterThan(0);
    expect(Number(n.employments)).toBeGreaterThan(PEOPLE * 0.1);
    expect(n.industries).toEqual(expect.arrayContaining(['precursor_chemical', 'hospital', 'financial']));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual({ done: PEOPLE, total: PEOPLE });
  });

  it('is deterministic: the same seed gives the same codes, texts, names and ID blind indexes', async () => {
    const q = {
      addresses: `SELECT id, code, full_text, search_text, name, level, lng, lat FROM addresses ORDER BY id LIMIT 400`,
      persons: `SELECT id, name, name_pinyin, id_blind, birth_date, sex, phone, person_type FROM persons ORDER BY id LIMIT 400`,
      units: `SELECT id, credit_code, name FROM units ORDER BY id`,
      housing: `SELECT id, address_id, use, landlord_person_id, lease_from FROM housing ORDER BY id LIMIT 400`,
    };
    for (const [table, query] of Object.entries(q)) {
      const a = await rows(t.deps, query);
      expect(a.length, table).toBeGreaterThan(0);
      expect(await rows(second.deps, query), table).toEqual(a);
    }
  });

  it('every ID number passes GB 11643 and matches its blind index and stored parts; every credit code passes GB 32100', async () => {
    const ps = await rows(t.deps, `SELECT id_cipher, id_blind, id_last4, birth_date, sex, region_code, name, name_pinyin, name_initials, name_pinyin_alt, name_initials_alt, phone FROM persons`);
    for (const p of ps) {
      const number = decryptField(t.deps.config.keys.data, p.id_cipher as string);
      const r = parseIdNumber(number, { today: REGISTRY_REFERENCE_DATE });
      expect(r.ok, number).toBe(true);
      if (!r.ok) continue;
      expect(p.id_blind).toBe(blindIndex(t.deps.config.keys.index, ID_DOMAIN, r.value.normalized));
      expect([p.id_last4, p.birth_date, p.sex, String(p.region_code).trim()]).toEqual([r.value.last4, r.value.birthDate, r.value.sex, r.value.regionCode]);
      const k = nameKeys(p.name as string);
      expect([p.name_pinyin, p.name_initials, p.name_pinyin_alt, p.name_initials_alt]).toEqual([k.pinyin, k.initials, k.pinyinAlt, k.initialsAlt]);
      if (p.phone !== null) expect(p.phone).toMatch(/^1[3-9]\d{9}$/);
    }
    const us = await rows(t.deps, `SELECT credit_code FROM units`);
    for (const u of us) expect(parseCreditCode(u.credit_code as string).ok, String(u.credit_code)).toBe(true);
  });

  it('every address has the code, name, full text and search text the addresses service gives, inside its grid', async () => {
    const grids = new Map(
      (await rows(t.deps, `SELECT g.id, g.code, g.county_code, g.boundary, c.name AS community FROM org_units g JOIN org_units c ON c.id = g.parent_id WHERE g.kind = 'grid'`)).map((g) => [g.id as string, g]),
    );
    const all = await rows(t.deps, `SELECT id, parent_id, level, name, code, full_text, search_text, grid_id, path, lng, lat FROM addresses ORDER BY code`);
    const byId = new Map(all.map((a) => [a.id as string, a]));
    const serials = new Map<string, number>();
    for (const a of all) {
      const n = normaliseName(a.level as Level, a.name as string);
      expect('error' in n ? n.error : n.name).toBe(a.name);
      const grid = grids.get(a.grid_id as string)!;
      const parent = a.parent_id ? byId.get(a.parent_id as string)! : undefined;
      const prefix = parent ? (parent.code as string) : streetCodeOf(grid.code as string);
      const width = parent ? SERIAL_WIDTH[parent.level as Level] : SERIAL_WIDTH.street;
      // codes of one parent (or one street) are consecutive serials
      const next = (serials.get(prefix) ?? 0) + 1;
      serials.set(prefix, next);
      expect(a.code).toBe(prefix + String(next).padStart(width, '0'));
      const full = parent
        ? (parent.full_text as string) + (a.name as string)
        : topFullText(divisionText(grid.code as string, grid.county_code as string), communityShortName(grid.community as string), a.name as string);
      expect(a.full_text).toBe(full);
      expect(a.search_text).toBe(searchKey(full));
      expect(a.path).toBe(`${parent ? parent.path : '/'}${a.id}/`);
      if (parent) expect(parent.grid_id).toBe(a.grid_id);
      const ring = (grid.boundary as { coordinates: number[][][] }).coordinates[0];
      const xs = ring.map((c) => c[0]);
      const ys = ring.map((c) => c[1]);
      expect(a.lng as number).toBeGreaterThanOrEqual(Math.min(...xs));
      expect(a.lng as number).toBeLessThanOrEqual(Math.max(...xs));
      expect(a.lat as number).toBeGreaterThanOrEqual(Math.min(...ys));
      expect(a.lat as number).toBeLessThanOrEqual(Math.max(...ys));
    }
    const [p] = await rows(t.deps, `SELECT
      (SELECT count(*) FROM addresses a WHERE a.level IN ('road', 'door', 'compound', 'building', 'room') AND NOT EXISTS (SELECT 1 FROM plates p WHERE p.address_id = a.id AND p.status = 'active')) AS unplated,
      (SELECT count(*) FROM plates WHERE length(token) < 22) AS short_tokens,
      (SELECT count(*) FROM addresses a WHERE a.level = 'room' AND NOT EXISTS (SELECT 1 FROM housing h WHERE h.address_id = a.id)) AS rooms_without_housing,
      (SELECT count(*) FROM addresses a WHERE NOT EXISTS (SELECT 1 FROM address_status_history h WHERE h.address_id = a.id)) AS no_history`);
    expect(p).toEqual({ unplated: 0, short_tokens: 0, rooms_without_housing: 0, no_history: 0 });
  });

  it('new addresses made by the service continue the generated serials', async () => {
    const admin = await t.login('admin');
    const [unit] = await rows(t.deps, `SELECT id, code, full_text FROM addresses WHERE level = 'unit' ORDER BY code LIMIT 1`);
    const [maxRoom] = await rows(t.deps, `SELECT max(code) AS code FROM addresses WHERE parent_id = '${unit.id as string}'`);
    const res = await t.call(admin, 'POST', '/api/v1/addresses', { parentId: unit.id, level: 'room', name: '9901' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: String(BigInt(maxRoom.code as string) + 1n), fullText: `${unit.full_text as string}9901室` });
  });

  it('every person belongs to the grid of the current residence; rentals have landlords and leases', async () => {
    const [c] = await rows(t.deps, `SELECT
      (SELECT count(*) FROM persons p WHERE NOT EXISTS (SELECT 1 FROM residences r JOIN addresses a ON a.id = r.address_id WHERE r.person_id = p.id AND r.to_date IS NULL AND a.grid_id = p.org_unit_id)) AS misplaced,
      (SELECT count(*) FROM residences r JOIN persons p ON p.id = r.person_id WHERE r.from_date < p.birth_date) AS before_birth,
      (SELECT count(*) FROM housing WHERE use = 'rent' AND (lease_from IS NULL OR lease_to IS NULL OR rental_registration IS NULL)) AS bad_leases,
      (SELECT count(*) FROM housing WHERE use = 'rent' AND landlord_person_id IS NOT NULL) AS landlords,
      (SELECT count(*) FROM persons WHERE person_type = 'floating' AND (floating_registered_on IS NULL OR expected_stay_until < floating_registered_on)) AS bad_floating,
      (SELECT count(*) FROM persons WHERE floating_registered_on > '${REGISTRY_REFERENCE_DATE}' OR permit_issued_on > '${REGISTRY_REFERENCE_DATE}') AS future`);
    expect({ ...c, landlords: Number(c.landlords) > 0 }).toEqual({ misplaced: 0, before_birth: 0, bad_leases: 0, landlords: true, bad_floating: 0, future: 0 });
  });

  it('writes one audit row for the load and the chain still verifies', async () => {
    const audit = await rows(t.deps, `SELECT detail FROM audit_log WHERE action = 'demo.seed_registry'`);
    expect(audit).toHaveLength(1);
    expect(audit[0].detail).toMatchObject({ seed: SEED, people: PEOPLE, units: result.units });
    expect((await verifyAuditChain(t.deps.db)).ok).toBe(true);
  });

  it('person search through the API finds a generated resident by name and by pinyin', async () => {
    const officer = await t.login('officer');
    const [p] = await rows(t.deps, `SELECT p.id, p.name, p.name_pinyin FROM persons p JOIN org_units g ON g.id = p.org_unit_id WHERE g.code = '371602005001001' ORDER BY p.id LIMIT 1`);
    for (const q of [p.name as string, p.name_pinyin as string]) {
      const res = await t.call(officer, 'GET', `/api/v1/persons?q=${encodeURIComponent(q)}&pageSize=100`);
      expect(res.statusCode, res.body).toBe(200);
      expect((res.json().items as Array<{ id: string }>).map((i) => i.id), q).toContain(p.id);
    }
  });
});
