import type { ModuleSpecs } from './types.js';

/** Routes of field/collection (docs/api-field.md): own and foreign requests for every role. */
export const fieldSpecs: ModuleSpecs = {
  specs() {
    return {};
  },
};
