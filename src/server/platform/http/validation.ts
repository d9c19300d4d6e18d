import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import localizeZhModule from 'ajv-i18n/localize/zh/index.js';
import localizeEnModule from 'ajv-i18n/localize/en/index.js';
import type { FastifySchemaCompiler } from 'fastify';
import type { FieldError } from '../errors/index.js';

type Localize = (errors?: ErrorObject[] | null) => void;
// CommonJS default exports seen through NodeNext
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
const localizeZh = ((localizeZhModule as unknown as { default?: Localize }).default ?? localizeZhModule) as Localize;
const localizeEn = ((localizeEnModule as unknown as { default?: Localize }).default ?? localizeEnModule) as Localize;

function makeAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    removeAdditional: false, // unknown fields are an error, not silently dropped
    useDefaults: true,
    coerceTypes: coerce ? 'array' : false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/** JSON bodies are checked strictly (no "12" for 12); query strings, params and headers are coerced. */
const strict = makeAjv(false);
const coercing = makeAjv(true);

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema as object) as ReturnType<FastifySchemaCompiler<unknown>>;
};

/**
 * A choice among fixed values (a union of constants, possibly nullable) fails with one error per constant and one
 * for the union ("must be equal to constant" × n, "must match a schema in anyOf"). They become one message naming
 * the allowed values.
 */
function collapseChoices(errors: ErrorObject[], english: boolean): ErrorObject[] {
  let out: ErrorObject[] = [];
  for (const e of errors) {
    if (e.keyword !== 'anyOf') {
      out.push(e);
      continue;
    }
    const prefix = `${e.schemaPath}/`;
    const branches = out.filter((b) => b.instancePath === e.instancePath && b.schemaPath.startsWith(prefix));
    const isChoice = (b: ErrorObject) => b.keyword === 'const' || (b.keyword === 'type' && (b.params as { type?: unknown }).type === 'null');
    if (!branches.length || !branches.every(isChoice)) {
      out.push(e);
      continue;
    }
    const values = branches.filter((b) => b.keyword === 'const').map((b) => String((b.params as { allowedValue?: unknown }).allowedValue));
    const nullable = branches.some((b) => b.keyword === 'type');
    const list = values.join(english ? ', ' : '、');
    const message = english ? `must be one of: ${list}${nullable ? ', or null' : ''}` : `应为 ${list} 之一${nullable ? '（或 null）' : ''}`;
    out = [...out.filter((b) => !branches.includes(b)), { ...e, keyword: 'choice', message }];
  }
  return out;
}

/** Turns Ajv errors into `{field, message}` pairs in the caller's language. */
export function fieldErrorsFromAjv(errors: ErrorObject[], english: boolean): FieldError[] {
  const copy = errors.map((e) => ({ ...e }));
  (english ? localizeEn : localizeZh)(copy);
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const e of collapseChoices(copy, english)) {
    let field = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required' && typeof params.missingProperty === 'string')
      field = field ? `${field}.${params.missingProperty}` : params.missingProperty;
    if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string')
      field = field ? `${field}.${params.additionalProperty}` : params.additionalProperty;
    let message = e.message ?? (english ? 'is invalid' : '格式不正确');
    if (e.keyword === 'additionalProperties') message = english ? 'unknown field' : '不允许的字段';
    if (e.keyword === 'required') message = english ? 'is required' : '必填';
    const key = `${field}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ field: field || '(body)', message });
  }
  return out;
}
