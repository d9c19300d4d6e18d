import type { Deps } from '../server/deps.js';

/** Seeds the items and changes the demo grid worker collected (through the sync service, so routing and tasks apply). */
export async function seedDemoItems(deps: Deps): Promise<void> {
  void deps;
}
