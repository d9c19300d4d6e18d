import { DomainError } from './domain-errors.js';

/**
 * Runs a submission that carries a client-chosen id. Two copies of it can race: the second looks the id up
 * before the first commits, then trips over what the first wrote (its identity number, its attachments, its
 * unique client id) and fails with a domain error. When that happens `replayed` is asked again, and a stored
 * first result is the answer instead of the error.
 */
export async function firstResultWins<T>(attempt: () => Promise<T>, replayed: () => Promise<T | undefined>): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (!(e instanceof DomainError) || e.status >= 500) throw e;
    const first = await replayed();
    if (first) return first;
    throw e;
  }
}
