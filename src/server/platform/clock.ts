/**
 * How far ahead of the server's clock a time sent by a phone or by another system (the 110 dispatch system) may
 * be: their clocks drift, and a few minutes ahead is not "in the future".
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Whether `at` lies in the future, beyond the allowed clock skew. */
export const isAhead = (at: Date, now = Date.now()) => at.getTime() > now + CLOCK_SKEW_MS;
