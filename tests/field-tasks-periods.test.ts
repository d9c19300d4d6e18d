import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  currentPeriod,
  dueDateOf,
  isoWeeksInYear,
  overlappingPeriods,
  parsePeriod,
  periodOf,
  periodsHolding,
  RECURRENCES,
  shiftPeriod,
} from '../src/server/modules/field/tasks/periods.js';
import { addDays } from '../src/server/modules/population/rules.js';

/** Task periods in Asia/Shanghai: ISO weeks, months, quarters (pure functions). */

const day = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2100, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));

describe('periods', () => {
  it('names ISO weeks, months and quarters', () => {
    expect(periodOf('weekly', '2026-11-18')).toBe('2026-W47');
    expect(parsePeriod('2026-W47')).toEqual({ period: '2026-W47', recurrence: 'weekly', start: '2026-11-16', end: '2026-11-22' });
    expect(periodOf('monthly', '2026-11-30')).toBe('2026-11');
    expect(parsePeriod('2026-02')).toMatchObject({ start: '2026-02-01', end: '2026-02-28' });
    expect(parsePeriod('2028-02')).toMatchObject({ end: '2028-02-29' });
    expect(periodOf('quarterly', '2026-11-30')).toBe('2026-Q4');
    expect(parsePeriod('2026-Q4')).toMatchObject({ start: '2026-10-01', end: '2026-12-31' });
    expect(dueDateOf('2026-Q1')).toBe('2026-03-31');
  });

  it('handles the ISO year boundaries (2026 has 53 weeks; 2027-01-03 still belongs to 2026-W53)', () => {
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2027)).toBe(52);
    expect(periodOf('weekly', '2025-12-29')).toBe('2026-W01');
    expect(periodOf('weekly', '2026-12-28')).toBe('2026-W53');
    expect(periodOf('weekly', '2027-01-03')).toBe('2026-W53');
    expect(periodOf('weekly', '2027-01-04')).toBe('2027-W01');
    expect(parsePeriod('2026-W53')).toMatchObject({ start: '2026-12-28', end: '2027-01-03' });
    expect(parsePeriod('2027-W53')).toBeUndefined();
    expect(shiftPeriod('2026-W53', 1)).toBe('2027-W01');
    expect(shiftPeriod('2027-W01', -1)).toBe('2026-W53');
    expect(shiftPeriod('2026-12', 1)).toBe('2027-01');
    expect(shiftPeriod('2026-Q4', 1)).toBe('2027-Q1');
    expect(shiftPeriod('2026-Q1', -1)).toBe('2025-Q4');
  });

  it('refuses what is not a period', () => {
    for (const p of ['2026-W00', '2026-W54', '2026-13', '2026-00', '2026-Q5', '2026-Q0', '2026', '26-11', '2026-11-01', 'W47']) expect(parsePeriod(p), p).toBeUndefined();
  });

  it('the current period is the day in China Standard Time', () => {
    // 2026-11-22 16:30 UTC is already Monday 23 November in Beijing
    expect(currentPeriod('weekly', new Date('2026-11-22T16:30:00Z'))).toBe('2026-W48');
    expect(currentPeriod('weekly', new Date('2026-11-22T15:59:00Z'))).toBe('2026-W47');
    expect(currentPeriod('monthly', new Date('2026-11-30T16:00:00Z'))).toBe('2026-12');
    expect(currentPeriod('quarterly', new Date('2026-12-31T16:00:00Z'))).toBe('2027-Q1');
  });

  it('every day belongs to exactly one period of each kind, and the due date is its last day', () => {
    fc.assert(
      fc.property(day, (d) => {
        for (const r of RECURRENCES) {
          const p = periodOf(r, d);
          const range = parsePeriod(p)!;
          expect(range.recurrence).toBe(r);
          expect(range.start <= d && d <= range.end).toBe(true);
          expect(dueDateOf(p)).toBe(range.end);
          expect(periodOf(r, range.start)).toBe(p);
          expect(periodOf(r, range.end)).toBe(p);
          // the neighbours are other periods, and consecutive periods leave no gap
          expect(periodOf(r, addDays(range.start, -1))).not.toBe(p);
          expect(periodOf(r, addDays(range.end, 1))).toBe(shiftPeriod(p, 1));
          expect(parsePeriod(shiftPeriod(p, 1))!.start).toBe(addDays(range.end, 1));
          if (r === 'weekly') {
            expect(new Date(`${range.start}T00:00:00Z`).getUTCDay()).toBe(1); // Monday
            expect(new Date(`${range.end}T00:00:00Z`).getUTCDay()).toBe(0); // due Sunday
          }
        }
        expect(periodsHolding(d)).toEqual(RECURRENCES.map((r) => periodOf(r, d)));
      }),
      { numRuns: 500 },
    );
  });

  it('a period overlaps the periods of every kind that share a day with it', () => {
    const nov = overlappingPeriods('2026-11');
    expect(nov).toEqual(expect.arrayContaining(['2026-11', '2026-Q4', '2026-W44', '2026-W45', '2026-W48', '2026-W49']));
    expect(nov).not.toContain('2026-W43');
    expect(nov).not.toContain('2026-W50');
    expect(nov).not.toContain('2026-10');
    expect(overlappingPeriods('2026-W53').sort()).toEqual(['2026-12', '2026-Q4', '2026-W53', '2027-01', '2027-Q1'].sort());
    fc.assert(
      fc.property(day, fc.constantFrom(...RECURRENCES), (d, r) => {
        const p = periodOf(r, d);
        for (const q of periodsHolding(d)) expect(overlappingPeriods(p)).toContain(q);
      }),
      { numRuns: 100 },
    );
  });
});
