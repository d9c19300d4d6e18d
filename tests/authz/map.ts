import type { ModuleSpecs } from './types.js';

/** Routes of docs/api-command.md (map): how each is scoped. */
export const mapSpecs: ModuleSpecs = {
  specs: () => ({}),
};
