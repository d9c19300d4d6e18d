import type { Deps } from '../../deps.js';
import { sendDueReminders } from './appointments.js';

/**
 * Sends appointment reminders by SMS in the background of the server process: every `pollMs` it claims the
 * booked appointments that are due (the day before from 18:00, or sooner slots) and texts the resident.
 * A claim is one UPDATE … WHERE reminder_sent_at IS NULL, so two runners (or two processes) never send twice.
 */
export class ReminderRunner {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<number>>();

  constructor(
    private readonly deps: Deps,
    private readonly opts: { pollMs: number },
  ) {}

  /** Sends the reminders that are due now; returns how many were sent. */
  async tick(now = new Date()): Promise<number> {
    const run = sendDueReminders(this.deps, now);
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
      if (this.running.size) return; // the previous round is still sending
      this.tick().catch((err) => this.deps.log.error({ err }, 'appointment reminders failed'));
    }, this.opts.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.running]);
  }
}
