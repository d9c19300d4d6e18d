import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { blindIndex, decryptField, encryptField } from './fields.js';

const key = randomBytes(32);
const other = randomBytes(32);

describe('field encryption', () => {
  it('round-trips and never repeats a ciphertext', () => {
    const a = encryptField(key, '11010519491231002X');
    const b = encryptField(key, '11010519491231002X');
    expect(a).not.toBe(b);
    expect(a).not.toContain('1101051949');
    expect(decryptField(key, a)).toBe('11010519491231002X');
  });

  it('refuses a wrong key and a tampered ciphertext', () => {
    const a = encryptField(key, '11010519491231002X');
    expect(() => decryptField(other, a)).toThrow();
    const parts = a.split('.');
    const ct = Buffer.from(parts[3], 'base64url');
    ct[0] ^= 1;
    expect(() => decryptField(key, [parts[0], parts[1], parts[2], ct.toString('base64url')].join('.'))).toThrow();
    expect(() => decryptField(key, 'v0.x.y.z')).toThrow(/format/);
  });

  it('blind indexes are deterministic per key and domain', () => {
    expect(blindIndex(key, 'id', 'X')).toBe(blindIndex(key, 'id', 'X'));
    expect(blindIndex(key, 'id', 'X')).not.toBe(blindIndex(other, 'id', 'X'));
    expect(blindIndex(key, 'id', 'X')).not.toBe(blindIndex(key, 'passport', 'X'));
  });
});
