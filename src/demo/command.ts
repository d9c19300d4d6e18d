import type { Deps } from '../server/deps.js';

/** Demo data of this part of 情指行, loaded after the demo incidents (src/demo/incidents.ts). */
export async function seedDemoCommand(deps: Deps): Promise<void> {
  void deps;
}
