import type { Deps } from '../server/deps.js';
import { seedDemoRouting } from './field-routing.js';
import { seedDemoTasks } from './field-tasks.js';
import { seedDemoItems } from './field-items.js';

/** The field capability of the demo district, once its registry is loaded: rules, then tasks, then items. */
export async function seedDemoField(deps: Deps): Promise<void> {
  await seedDemoRouting(deps);
  await seedDemoTasks(deps);
  await seedDemoItems(deps);
}
