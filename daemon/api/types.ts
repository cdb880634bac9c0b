// daemon/api/types.ts — the handler contract: one handler per route key of
// shared/routes.ts, typed from that route's schemas. Callers (routes/*.ts, daemon.ts)
// supply them to createApi; a route without a handler answers 404 after auth.
import type { Static, TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RouteKey, RouteOf } from '../../shared/routes.js';

type SchemaPart<K extends RouteKey, P extends 'body' | 'querystring' | 'params'> =
  RouteOf<K> extends { schema: infer S }
    ? S extends { [k in P]: infer T } ? (T extends TSchema ? Static<T> : unknown) : unknown
    : unknown;

/** The request of route K: body, query and params typed (and already validated). */
export type RouteRequest<K extends RouteKey> = FastifyRequest<{
  Body: SchemaPart<K, 'body'>;
  Querystring: SchemaPart<K, 'querystring'>;
  Params: SchemaPart<K, 'params'>;
}>;

/** Returns the response body (serialized by the route's response schema), or `reply`
 *  after sending or hijacking it itself. Throws CairnError for expected failures. */
export type RouteHandler<K extends RouteKey> = (request: RouteRequest<K>, reply: FastifyReply) => Promise<unknown>;

export type Handlers = { [K in RouteKey]?: RouteHandler<K> };
