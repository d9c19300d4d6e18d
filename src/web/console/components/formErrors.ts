import type { FormInstance } from 'antd';
import { isApiError, type FieldError } from '../../shared/api';

/** A form field's name: a string or a path into nested values (`['residence', 'addressId']`). */
export type FieldPath = string | (string | number)[];

/** The server's field name as a dotted path: "body/residence/addressId", "/residence/addressId" → "residence.addressId". */
export function problemFieldPath(field: string): string {
  return field.replace(/^body[./]/, '').replace(/^\//, '').replace(/\//g, '.');
}

/**
 * Puts the server's field errors next to the matching form items. `fields` maps the server's dotted field
 * names (`idNumber`, `residence.addressId`) to the form's field paths. Returns the errors that matched no
 * field (the problem alert above the form shows every error anyway).
 */
export function applyProblemFields(form: FormInstance, err: unknown, fields: Readonly<Record<string, FieldPath>>): FieldError[] {
  if (!isApiError(err) || err.errors.length === 0) return [];
  const byPath = new Map<string, { name: FieldPath; errors: string[] }>();
  const unmatched: FieldError[] = [];
  for (const e of err.errors) {
    const key = problemFieldPath(e.field);
    const name = fields[key];
    if (name === undefined) {
      unmatched.push(e);
      continue;
    }
    const id = JSON.stringify(name);
    const entry = byPath.get(id) ?? { name, errors: [] };
    entry.errors.push(e.message);
    byPath.set(id, entry);
  }
  form.setFields([...byPath.values()]);
  return unmatched;
}

/** `YYYY-MM-DD` of a date picker value, or undefined. */
export function dateString(value: { format: (f: string) => string } | null | undefined): string | undefined {
  return value ? value.format('YYYY-MM-DD') : undefined;
}
