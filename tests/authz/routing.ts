import type { ModuleSpecs } from './types.js';

/** Routes of field/routing (docs/api-field.md): own and foreign requests for every role. */
export const routingSpecs: ModuleSpecs = {
  specs() {
    return {};
  },
};
