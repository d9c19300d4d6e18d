import type { ModuleSpecs } from './types.js';

/** Routes of docs/api-command.md (incidents): how each is scoped. */
export const incidentsSpecs: ModuleSpecs = {
  specs: () => ({}),
};
