import type { ImportKind } from '../../../db/schema.js';
import { personsImport } from './persons.js';
import { unitsImport } from './units.js';
import { housingImport } from './housing.js';
import { addressesImport } from './addresses.js';
import { incidentsImport } from './incidents.js';
import type { ImportKindDef } from './types.js';
import type { Permission } from '../../../platform/access/permissions.js';

/** Every kind of import, by its API name. */
export const KINDS: Record<ImportKind, ImportKindDef<unknown>> = {
  persons: personsImport,
  units: unitsImport,
  housing: housingImport,
  addresses: addressesImport,
  incidents: incidentsImport as ImportKindDef<unknown>,
};

export const IMPORT_KINDS = ['addresses', 'persons', 'housing', 'units', 'incidents'] as const satisfies readonly ImportKind[];

/** The permissions a kind needs, all of them: the import centre's (registry.import, or incident.import) and the write. */
export const kindPermissions = (def: ImportKindDef<unknown>): Permission[] => [...new Set([def.centre ?? 'registry.import', def.permission])];

/** The import centre opens with either permission; what each kind needs beyond it is checked per job. */
export const IMPORT_ACCESS = ['registry.import', 'incident.import'] as const satisfies readonly Permission[];

/** The kinds whose every permission the holder of `held` has (the jobs they may see and move on). */
export const kindsFor = (held: ReadonlySet<string>): ImportKind[] => IMPORT_KINDS.filter((k) => kindPermissions(KINDS[k]).every((p) => held.has(p)));
