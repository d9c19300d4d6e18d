/** Typed errors thrown by services; one handler turns them into problem+json. */
export interface FieldError {
  field: string;
  message: string;
}

export type ProblemCode =
  | 'validation'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'totp_required'
  | 'invalid_totp'
  | 'account_locked'
  | 'account_disabled'
  | 'forbidden'
  | 'purpose_required'
  | 'not_found'
  | 'gone'
  | 'conflict'
  | 'rate_limited'
  | 'otp_invalid'
  | 'otp_expired'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'malformed_json'
  | 'internal';

export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    readonly status: number,
    /** Chinese detail for the user; the title comes from the catalogue by code. */
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? code);
  }
}

export const validationError = (errors: FieldError[], detail?: string) =>
  new DomainError('validation', 400, detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('；'), errors);
export const fieldError = (field: string, message: string) => validationError([{ field, message }], message);
export const notFound = (detail = '记录不存在或不在您的辖区内') => new DomainError('not_found', 404, detail);
export const forbidden = (detail = '您没有执行此操作的权限') => new DomainError('forbidden', 403, detail);
export const conflict = (detail: string, field?: string) =>
  new DomainError('conflict', 409, detail, field ? [{ field, message: detail }] : undefined);
export const unauthenticated = (detail = '请先登录') => new DomainError('unauthenticated', 401, detail);
export const rateLimited = (detail: string, retryAfterSeconds?: number) =>
  new DomainError('rate_limited', 429, detail, undefined, retryAfterSeconds ? { retryAfterSeconds } : undefined);
