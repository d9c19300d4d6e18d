import type { ImportKind } from '../../../db/schema.js';
import { personsImport } from './persons.js';
import { unitsImport } from './units.js';
import { housingImport } from './housing.js';
import { addressesImport } from './addresses.js';
import { incidentsImport } from './incidents.js';
import type { ImportKindDef } from './types.js';

/** Every kind of import, by its API name. */
export const KINDS: Record<ImportKind, ImportKindDef<unknown>> = {
  persons: personsImport,
  units: unitsImport,
  housing: housingImport,
  addresses: addressesImport,
  incidents: incidentsImport as ImportKindDef<unknown>,
};

export const IMPORT_KINDS = ['addresses', 'persons', 'housing', 'units', 'incidents'] as const satisfies readonly ImportKind[];
