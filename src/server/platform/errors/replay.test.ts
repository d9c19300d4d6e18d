import { describe, expect, it } from 'vitest';
import { conflict, DomainError, validationError } from './domain-errors.js';
import { firstResultWins } from './replay.js';

/** A kept result that appears after `after` reads (what a concurrent first copy committing looks like). */
function keptAfter(after: number, value = 'first') {
  let reads = 0;
  return { read: async () => (++reads > after ? value : undefined), reads: () => reads };
}

describe('firstResultWins', () => {
  it('answers with the kept result without running the submission again', async () => {
    const kept = keptAfter(0);
    let ran = false;
    expect(await firstResultWins(kept.read, async () => ((ran = true), 'second'))).toBe('first');
    expect(ran).toBe(false);
  });

  it('runs the submission when nothing is kept, and reads once', async () => {
    const kept = keptAfter(Infinity);
    expect(await firstResultWins(kept.read, async () => 'new')).toBe('new');
    expect(kept.reads()).toBe(1);
  });

  it('a copy refused because the first just committed (409, 400 or 429) gets the first result', async () => {
    for (const refusal of [conflict('已登记', 'idNumber'), validationError([{ field: 'data.attachmentIds', message: '已被使用' }]), new DomainError('rate_limited', 429, '太多')]) {
      const kept = keptAfter(1);
      expect(
        await firstResultWins(kept.read, async () => {
          throw refusal;
        }),
      ).toBe('first');
      expect(kept.reads()).toBe(2);
    }
  });

  it('a refusal with nothing kept, a server fault or an unexpected error is passed on as it was', async () => {
    const refusal = conflict('已登记', 'idNumber');
    await expect(firstResultWins(keptAfter(Infinity).read, () => Promise.reject(refusal))).rejects.toBe(refusal);
    const fault = new DomainError('internal', 500, '故障');
    const afterFault = keptAfter(1);
    await expect(firstResultWins(afterFault.read, () => Promise.reject(fault))).rejects.toBe(fault);
    expect(afterFault.reads()).toBe(1);
    const bug = new TypeError('x is undefined');
    await expect(firstResultWins(keptAfter(1).read, () => Promise.reject(bug))).rejects.toBe(bug);
  });
});
