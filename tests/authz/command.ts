import type { ModuleSpecs } from './types.js';

/** Routes of docs/api-command.md (settings, directives, whistles, notifications): how each is scoped. */
export const commandSpecs: ModuleSpecs = {
  specs: () => ({
    'GET /api/v1/command-settings': { own: () => ({ url: '/api/v1/command-settings' }) },
    // an invalid body: allowed callers get the field errors, nothing is stored
    'PUT /api/v1/command-settings': { own: () => ({ url: '/api/v1/command-settings', body: { patrol: { basisDays: 1, pointsPerShift: 5, pointsPerHour: 2, absencePenalty: 0 } } }), ownOk: [400] },
  }),
};
