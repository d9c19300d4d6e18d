import type { Deps } from '../deps.js';

/**
 * A background loop of the server process: every `pollMs` one round, skipped while the previous one still runs.
 * `tick(now)` runs a round at once (tests inject the time); `stop()` waits for the rounds under way. Each subclass's
 * round claims its work with one UPDATE … RETURNING, so concurrent rounds (or processes) never act twice.
 */
export abstract class PollingRunner {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<number>>();

  constructor(
    protected readonly deps: Deps,
    private readonly opts: { pollMs: number },
    /** What the log says when a round fails. */
    private readonly failure: string,
  ) {}

  /** One round; returns how much it did. */
  protected abstract round(now: Date): Promise<number>;

  async tick(now = new Date()): Promise<number> {
    const run = this.round(now);
    this.running.add(run);
    try {
      return await run;
    } finally {
      this.running.delete(run);
    }
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.running.size) return; // the previous round is still running
      this.tick().catch((err) => this.deps.log.error({ err }, this.failure));
    }, this.opts.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.running]);
  }
}
