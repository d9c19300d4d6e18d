import type { ModuleSpecs } from './types.js';

/** Routes of docs/api-command.md (analysis): how each is scoped. */
export const analysisSpecs: ModuleSpecs = {
  specs: () => ({}),
};
