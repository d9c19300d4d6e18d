import { DomainError } from './domain-errors.js';

/**
 * Runs a submission that carries a client-chosen id, once: `stored` reads the result kept for that id, and only
 * when there is none does `attempt` run. Two copies can race: the second reads nothing before the first commits,
 * then trips over what the first wrote (its identity number, its attachments, its unique client id) and fails
 * with a domain error. Then `stored` is read again, and the first result, now kept, is the answer instead of the
 * error.
 */
export async function firstResultWins<T>(stored: () => Promise<T | undefined>, attempt: () => Promise<T>): Promise<T> {
  const earlier = await stored();
  if (earlier) return earlier;
  try {
    return await attempt();
  } catch (e) {
    if (!(e instanceof DomainError) || e.status >= 500) throw e;
    const first = await stored();
    if (first) return first;
    throw e;
  }
}
