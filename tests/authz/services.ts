import type { ModuleSpecs } from './types.js';

export const servicesSpecs: ModuleSpecs = {
  specs: () => ({}),
};
