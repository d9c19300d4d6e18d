import type { ModuleSpecs } from './types.js';

export const portalSpecs: ModuleSpecs = {
  specs: () => ({}),
};
