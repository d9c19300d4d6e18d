import type { ModuleSpecs } from './types.js';

/** Routes of field/tasks (docs/api-field.md): own and foreign requests for every role. */
export const tasksSpecs: ModuleSpecs = {
  specs() {
    return {};
  },
};
