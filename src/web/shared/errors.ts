import type { FormInstance } from 'antd';
import { ApiError, isApiError, type FieldError } from './api';
import { translate } from './i18n/core';

/** The field an API error refers to, as a form field name ("/user/name" or "body.name" → "name"). */
export function normaliseField(field: string): string {
  const cleaned = field.replace(/^body[./]/, '').replace(/^\//, '').replace(/\//g, '.');
  const last = cleaned.split('.').filter(Boolean).pop();
  return last ?? cleaned;
}

/** Any thrown value as an ApiError-like description for display. */
export function toApiError(err: unknown): ApiError {
  if (isApiError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError(0, { title: translate('api.error.unexpected'), detail: message });
}

/**
 * Put the server's field errors next to the matching form items. Returns the errors that
 * matched no field, which the caller should still show (the alert shows them all anyway).
 */
export function applyFieldErrors(form: FormInstance, err: unknown, fieldNames: readonly string[]): FieldError[] {
  if (!isApiError(err) || err.errors.length === 0) return [];
  const byField = new Map<string, string[]>();
  const unmatched: FieldError[] = [];
  for (const e of err.errors) {
    const name = normaliseField(e.field);
    if (fieldNames.includes(name)) byField.set(name, [...(byField.get(name) ?? []), e.message]);
    else unmatched.push(e);
  }
  form.setFields([...byField.entries()].map(([name, errors]) => ({ name, errors })));
  return unmatched;
}
