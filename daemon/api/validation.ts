// daemon/api/validation.ts — request validation from the route table's TypeBox schemas
// (DESIGN §4): bodies are checked as sent (no type coercion); query strings and params
// are coerced from text ("30" → 30, "true" → true, a lone value → [value]); an empty
// query value counts as absent; defaults are filled in. The first bad field becomes
// 400 invalid_params with `params: {field: {code, message}}`.
import type { TSchema, TObject } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';

type SchemaErrorDataVar = 'body' | 'headers' | 'params' | 'querystring';
import { CairnError } from '../errors.js';

type FieldCode = 'invalid_argument' | 'bad_number' | 'missing_argument';

function fieldOf(e: ValueError): string {
  return e.path.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~')).join('.');
}

function codeOf(e: ValueError): FieldCode {
  if (e.type === ValueErrorType.ObjectRequiredProperty) return 'missing_argument';
  const t = (e.schema as { type?: unknown }).type;
  return t === 'number' || t === 'integer' ? 'bad_number' : 'invalid_argument';
}

function describe(e: ValueError): string {
  const m = e.message.charAt(0).toLowerCase() + e.message.slice(1);
  return e.type === ValueErrorType.ObjectRequiredProperty ? 'is required' : m;
}

/** Query text to the schema's types: '' → absent, a lone value for an array → [value]. */
function prepareQuery(schema: TSchema, data: unknown): unknown {
  if (typeof data !== 'object' || data === null) return {};
  const props = (schema as TObject).properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (v === '' || (Array.isArray(v) && v.length === 0)) continue;
    const type = (props[k] as { type?: unknown } | undefined)?.type;
    out[k] = type === 'array' && !Array.isArray(v) ? [v] : v;
  }
  return Value.Convert(schema, out);
}

/** The validator compiler fastify uses for every route. A schema is compiled on its
 *  route's first request, not at start (~70 schemas, HEAD twins included, ~20 ms of every
 *  start for the few routes a session uses). */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  let compiled: ReturnType<typeof TypeCompiler.Compile> | null = null;
  return (data: unknown) => {
    const check = (compiled ??= TypeCompiler.Compile(schema));
    let value: unknown = data;
    if (httpPart === 'body') value = data === null || data === undefined ? {} : data;
    else if (httpPart === 'querystring') value = prepareQuery(schema, data);
    else if (httpPart === 'params') value = Value.Convert(schema, data);
    value = Value.Default(schema, value);
    if (check.Check(value)) return { value };
    const first = check.Errors(value).First();
    const field = first ? fieldOf(first) || httpPart || 'request' : httpPart ?? 'request';
    const error: FastifySchemaValidationError = {
      keyword: first ? codeOf(first) : 'invalid_argument',
      instancePath: field,
      schemaPath: '',
      params: {},
      message: first ? describe(first) : 'is invalid',
    };
    return { error: [error] };
  };
};

/** fastify's schemaErrorFormatter: the first error as API.md's invalid_params. */
export function schemaErrorFormatter(errors: FastifySchemaValidationError[], dataVar: SchemaErrorDataVar): Error {
  const e = errors[0];
  const field = e?.instancePath || dataVar;
  const message = `${field}: ${e?.message ?? 'is invalid'}`;
  return new CairnError('invalid_params', message, { [field]: { code: e?.keyword ?? 'invalid_argument', message } });
}
