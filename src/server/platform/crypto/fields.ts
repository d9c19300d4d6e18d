import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Field-level protection for identity numbers and passports: AES-256-GCM ciphertext for the value and an
 * HMAC-SHA256 blind index for exact look-up, each under its own key. Format: `v1.<iv>.<tag>.<ciphertext>`
 * (base64url), so the scheme can be rotated later.
 */
export function encryptField(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function decryptField(key: Buffer, stored: string): string {
  const [version, iv, tag, ct] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown field-encryption format');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** Deterministic keyed index of a normalised value; `domain` separates kinds (resident ID, passport…). */
export function blindIndex(key: Buffer, domain: string, normalized: string): string {
  return createHmac('sha256', key).update(`${domain}:${normalized}`).digest('hex');
}
