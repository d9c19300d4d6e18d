import type { Deps } from '../../../deps.js';
import { generateAll } from './service.js';

/** Generates the current period of every active task template (hourly) and tells workers of new tasks by SMS. */
export class TaskRunner {
  private timer: NodeJS.Timeout | undefined;
  private first: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  constructor(
    private readonly deps: Deps,
    private readonly opts: { pollMs: number },
  ) {}

  /**
   * One round; returns how many tasks were created. Idempotent: a round repeated (or one interrupted and run
   * again) creates only what is missing. Rounds in one process never overlap.
   */
  async tick(now = new Date()): Promise<number> {
    while (this.running) await this.running.catch(() => 0);
    this.running = generateAll(this.deps, now);
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  start(): void {
    if (this.timer) return;
    const round = () => {
      this.tick().catch((err) => this.deps.log.error({ err }, 'task generation failed'));
    };
    this.timer = setInterval(round, this.opts.pollMs);
    this.timer.unref();
    // a server restarted more often than hourly still generates a new period soon after it begins (tests drive
    // tick() themselves)
    if (this.deps.config.env !== 'test') {
      this.first = setTimeout(round, Math.min(60_000, this.opts.pollMs));
      this.first.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.first) clearTimeout(this.first);
    this.timer = undefined;
    this.first = undefined;
    await this.running?.catch(() => 0);
  }
}
