import type { Deps } from '../server/deps.js';

/** Seeds the task templates for the demo grids and the tasks of the current period. */
export async function seedDemoTasks(deps: Deps): Promise<void> {
  void deps;
}
