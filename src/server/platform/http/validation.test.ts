import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import type { ErrorObject } from 'ajv';
import { fieldErrorsFromAjv, validatorCompiler } from './validation.js';

const schema = Type.Object({
  level: Type.Union([Type.Literal('red'), Type.Literal('orange'), Type.Literal('blue')]),
  mode: Type.Optional(Type.Union([Type.Literal('video'), Type.Literal('patrol'), Type.Null()])),
  size: Type.Optional(Type.Union([Type.String({ minLength: 2 }), Type.Integer()])),
});

function errorsOf(body: unknown): ErrorObject[] {
  const validate = validatorCompiler({ schema, httpPart: 'body', method: 'POST', url: '/x' }) as unknown as ((b: unknown) => boolean) & { errors?: ErrorObject[] };
  expect(validate(body)).toBe(false);
  return validate.errors ?? [];
}

describe('field errors from the schema validator', () => {
  it('a choice among fixed values is one message naming them, not one per value', () => {
    const errors = fieldErrorsFromAjv(errorsOf({ level: 'purple', mode: 'walk' }), false);
    expect(errors).toEqual([
      { field: 'level', message: '应为 red、orange、blue 之一' },
      { field: 'mode', message: '应为 video、patrol 之一（或 null）' },
    ]);
    expect(fieldErrorsFromAjv(errorsOf({ level: 'purple' }), true)).toEqual([{ field: 'level', message: 'must be one of: red, orange, blue' }]);
  });

  it('other unions keep the validator’s own messages', () => {
    const errors = fieldErrorsFromAjv(errorsOf({ level: 'red', size: 'x' }), false);
    expect(errors.map((e) => e.field)).toEqual(['size', 'size', 'size']);
    expect(errors.map((e) => e.message).join('；')).not.toContain('之一');
  });
});
