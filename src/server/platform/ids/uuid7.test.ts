import { describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { uuidv7Floor } from './uuid7.js';

describe('uuidv7Floor', () => {
  it('is the smallest id of its millisecond: ids of that moment and later sort after it, earlier ones before', () => {
    const at = new Date('2026-11-23T00:00:05.123+08:00');
    const floor = uuidv7Floor(at);
    expect(floor).toBe(`${at.getTime().toString(16).padStart(12, '0').replace(/^(.{8})/, '$1-')}-7000-8000-000000000000`);
    for (let i = 0; i < 50; i++) {
      expect(uuidv7({ msecs: at.getTime() }) >= floor).toBe(true);
      expect(uuidv7({ msecs: at.getTime() + 1 + i }) > floor).toBe(true);
      expect(uuidv7({ msecs: at.getTime() - 1 - i }) < floor).toBe(true);
    }
  });

  it('refuses a time no UUIDv7 can carry', () => {
    expect(() => uuidv7Floor(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => uuidv7Floor(new Date(-1))).toThrow(RangeError);
  });
});
