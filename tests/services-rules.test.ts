import { describe, expect, it } from 'vitest';
import { atCst, checkHours, cstParts, daySlots, formatDays, formatMdHm, haversineM, hoursText, openAt, reminderHorizon, weekdayOf } from '../src/server/modules/services/rules.js';

const weekdays = (open: string, close: string, days = [1, 2, 3, 4, 5]) => days.map((day) => ({ day, open, close }));

describe('opening hours', () => {
  it('accepts well-formed periods, midnight as 24:00 included', () => {
    expect(checkHours([...weekdays('08:30', '12:00'), ...weekdays('14:00', '17:30'), { day: 6, open: '20:00', close: '24:00' }])).toEqual([]);
  });

  it('names the offending field: bad times, open ≥ close, days outside 1..7, overlaps on one day', () => {
    expect(checkHours([{ day: 1, open: '8:30', close: '12:00' }])).toEqual([{ field: 'hours.0.open', message: expect.stringContaining('HH:MM') }]);
    expect(checkHours([{ day: 1, open: '08:30', close: '25:00' }])).toEqual([{ field: 'hours.0.close', message: expect.stringContaining('HH:MM') }]);
    expect(checkHours([{ day: 1, open: '12:00', close: '12:00' }]).map((e) => e.field)).toEqual(['hours.0.close']);
    expect(checkHours([{ day: 1, open: '14:00', close: '09:00' }])[0].message).toBe('结束时间须晚于开始时间');
    expect(checkHours([{ day: 0, open: '08:00', close: '09:00' }, { day: 8, open: '08:00', close: '09:00' }]).map((e) => e.field)).toEqual(['hours.0.day', 'hours.1.day']);
    const overlap = checkHours([
      { day: 2, open: '08:30', close: '12:00' },
      { day: 3, open: '11:00', close: '13:00' }, // another day: fine
      { day: 2, open: '11:30', close: '13:00' },
    ]);
    expect(overlap).toEqual([{ field: 'hours.2.open', message: '与同一天的 08:30–12:00 时段重叠' }]);
    // touching periods do not overlap
    expect(checkHours([{ day: 2, open: '08:30', close: '12:00' }, { day: 2, open: '12:00', close: '13:00' }])).toEqual([]);
  });

  it('groups equal days into readable lines, with weekends and evenings on their own lines', () => {
    const hours = [
      ...weekdays('14:00', '17:30'),
      ...weekdays('08:30', '12:00'),
      ...weekdays('19:00', '21:00', [2, 4]),
      { day: 6, open: '09:00', close: '12:00' },
      { day: 7, open: '09:00', close: '12:00' },
    ];
    expect(hoursText(hours)).toEqual(['周一至周五 08:30–12:00、14:00–17:30', '周六、周日 09:00–12:00', '周二、周四晚间 19:00–21:00']);
    expect(hoursText(weekdays('19:00', '21:00'))).toEqual(['周一至周五晚间 19:00–21:00']);
    expect(hoursText(weekdays('08:00', '20:00', [1, 2, 3, 4, 5, 6, 7]))).toEqual(['每天 08:00–20:00']);
    expect(hoursText([])).toEqual([]);
    // different days with different hours stay apart, in day order
    expect(hoursText([...weekdays('08:30', '17:00', [1, 2, 3, 5]), { day: 4, open: '08:30', close: '12:00' }])).toEqual([
      '周一至周三、周五 08:30–17:00',
      '周四 08:30–12:00',
    ]);
  });

  it('formats day sets', () => {
    expect(formatDays([1, 2, 3, 4, 5])).toBe('周一至周五');
    expect(formatDays([6, 7])).toBe('周六、周日');
    expect(formatDays([1, 3, 5])).toBe('周一、周三、周五');
    expect(formatDays([1, 2, 4, 5, 6])).toBe('周一、周二、周四至周六');
  });

  it('is open now in China Standard Time', () => {
    const hours = [...weekdays('08:30', '12:00'), ...weekdays('14:00', '17:30')];
    // 2026-11-23 is a Monday
    expect(weekdayOf('2026-11-23')).toBe(1);
    expect(openAt(hours, new Date('2026-11-23T00:30:00Z'))).toBe(true); // 08:30 CST
    expect(openAt(hours, new Date('2026-11-23T00:29:59Z'))).toBe(false);
    expect(openAt(hours, new Date('2026-11-23T04:00:00Z'))).toBe(false); // 12:00 CST: closed for lunch
    expect(openAt(hours, new Date('2026-11-23T09:29:00Z'))).toBe(true); // 17:29 CST
    expect(openAt(hours, new Date('2026-11-22T02:00:00Z'))).toBe(false); // Sunday 10:00 CST
    // 23:30 UTC on Sunday is Monday 07:30 CST
    expect(cstParts(new Date('2026-11-22T23:30:00Z'))).toEqual({ date: '2026-11-23', weekday: 1, minutes: 450 });
  });
});

describe('slots and time', () => {
  it('cuts whole slots from the periods of the weekday', () => {
    const hours = [{ day: 1, open: '08:30', close: '12:00' }, { day: 1, open: '14:00', close: '17:30' }, { day: 2, open: '09:00', close: '10:00' }];
    const monday = daySlots(hours, '2026-11-23', 30);
    expect(monday).toHaveLength(14);
    expect(monday[0]).toEqual({ start: new Date('2026-11-23T00:30:00Z'), end: new Date('2026-11-23T01:00:00Z') });
    expect(monday.at(-1)!.end).toEqual(new Date('2026-11-23T09:30:00Z'));
    // 40-minute slots in 08:30–12:00 (210 minutes): five whole ones, the last ending 11:50
    const forty = daySlots(hours, '2026-11-23', 40).filter((s) => s.start < new Date('2026-11-23T05:00:00Z'));
    expect(forty.map((s) => formatMdHm(s.start))).toEqual(['11月23日 08:30', '11月23日 09:10', '11月23日 09:50', '11月23日 10:30', '11月23日 11:10']);
    expect(daySlots(hours, '2026-11-29', 30)).toEqual([]); // Sunday
    expect(daySlots(hours, '2026-11-24', 90)).toEqual([]); // a period shorter than a slot
  });

  it('reminds the day before from 18:00, and sooner slots at once', () => {
    expect(reminderHorizon(new Date('2026-11-23T09:59:00Z'))).toEqual(atCst('2026-11-24', 0)); // 17:59 CST
    expect(reminderHorizon(new Date('2026-11-23T10:00:00Z'))).toEqual(atCst('2026-11-25', 0)); // 18:00 CST
  });

  it('measures distances in metres', () => {
    expect(haversineM({ lng: 117.9, lat: 37.33 }, { lng: 117.9, lat: 37.33 })).toBe(0);
    const d = haversineM({ lng: 117.9, lat: 37.33 }, { lng: 117.9, lat: 37.34 });
    expect(d).toBeGreaterThan(1100);
    expect(d).toBeLessThan(1120);
  });
});
