import type { Deps } from '../../deps.js';
import { sendDueReminders } from './appointments.js';
import { PollingRunner } from '../../platform/runner.js';

/**
 * Sends appointment reminders by SMS in the background of the server process: every `pollMs` it claims the
 * booked appointments that are due (the day before from 18:00, or sooner slots) and texts the resident.
 * A claim is one UPDATE … WHERE reminder_sent_at IS NULL, so two runners (or two processes) never send twice.
 */
export class ReminderRunner extends PollingRunner {
  constructor(deps: Deps, opts: { pollMs: number }) {
    super(deps, opts, 'appointment reminders failed');
  }

  /** Sends the reminders that are due now; returns how many were sent. */
  protected round(now: Date): Promise<number> {
    return sendDueReminders(this.deps, now);
  }
}
