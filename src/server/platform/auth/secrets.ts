import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { validationError } from '../errors/index.js';

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, ARGON2);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// A real hash to verify against when the username does not exist, so timing does not reveal it.
let dummyHash: Promise<string> | undefined;
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-real-password-0');
  await verifyPassword(await dummyHash, password);
}

/** ≥ 8 characters with at least one letter and one digit; never the username. */
export function checkPasswordPolicy(password: string, field = 'newPassword', username?: string): void {
  const problems: string[] = [];
  if (password.length < 8) problems.push('至少 8 位');
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password)) problems.push('须同时包含字母和数字');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('不能包含用户名');
  if (problems.length) throw validationError([{ field, message: `密码${problems.join('，')}` }]);
}

export const newToken = () => randomBytes(32).toString('base64url');

export const keyedHash = (key: Buffer, value: string) => createHmac('sha256', key).update(value).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
