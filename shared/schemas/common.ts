// shared/schemas/common.ts — pieces every route shares (API.md "Conventions"): the error
// body, list paging, `?repository=` and `?async=`. Used by shared/routes.ts, the daemon's
// validation and the typed client.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_LIMIT } from '../vocabulary.js';
export { MAX_LIMIT };

/** `T | null` as JSON Schema `anyOf`. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** `limit` when the query has none. */
export const DEFAULT_LIMIT = 50;

export const FieldErrorSchema = Type.Object({
  code: Type.String({ description: 'invalid_argument | bad_number | missing_argument' }),
  message: Type.String(),
});

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    params: Type.Record(Type.String(), Type.Unknown()),
  }),
}, { description: 'Every error response' });
export type ErrorBodyJson = Static<typeof ErrorBodySchema>;

export const RepositoryQuery = Type.Object({
  repository: Type.Optional(Type.String({ description: 'a registered repository; the default one when absent' })),
});

/** Query of a route that starts a job (API.md "Long operations"). */
export const JobRouteQuery = Type.Object({
  repository: Type.Optional(Type.String()),
  async: Type.Optional(Type.Boolean({ description: 'answer 202 {job} at once instead of waiting' })),
});
export type JobRouteQueryJson = Static<typeof JobRouteQuery>;

export const Paging = {
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, default: DEFAULT_LIMIT, description: `clamped to ${MAX_LIMIT}` })),
};

/** `{total, items}`: every list response. */
export const ListOf = <T extends TSchema>(item: T) =>
  Type.Object({ total: Type.Integer({ minimum: 0 }), items: Type.Array(item) });

/** A per-item problem reported as data (a file that could not be read or written). */
export const ItemErrorSchema = Type.Object({ path: Type.String(), message: Type.String() });
export type ItemError = Static<typeof ItemErrorSchema>;

export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const NameParams = Type.Object({ name: Type.String({ minLength: 1 }) });
/** Routes written `{id}[:path]` in API.md: the wildcard holds the raw `SNAPSHOT[:path]`. */
export const RefParams = Type.Object({ '*': Type.String() });

/** Clamps a list's `limit` (API.md: larger values are clamped to 1000). */
export function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit) || limit < 1) return DEFAULT_LIMIT;
  return Math.min(Math.floor(limit), MAX_LIMIT);
}
