// tui/client/route-types.ts — the static types of a route's parameters, query, body and
// answers, read from shared/routes.ts's TypeBox schemas. Routes without schemas (not
// built yet) take and give loosely typed values.
import type { Static, TSchema } from '@sinclair/typebox';
import type { RouteKey, RouteOf } from '../../shared/routes.js';
import type {
  BackupResult, CheckResult, JobAccepted, MaintenanceResult, RestoreResult, SnapshotCheckResult,
} from '../../shared/schemas/index.js';

type SchemaOf<K extends RouteKey> = RouteOf<K> extends { schema: infer S } ? S : Record<never, never>;

/** A query value as the client writes it: arrays repeat the parameter. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;

export type ParamsOf<K extends RouteKey> =
  SchemaOf<K> extends { params: infer P extends TSchema } ? Static<P> : Record<string, string>;
export type QueryOf<K extends RouteKey> =
  SchemaOf<K> extends { querystring: infer Q extends TSchema } ? Static<Q> : Record<string, QueryValue>;
export type BodyOf<K extends RouteKey> =
  SchemaOf<K> extends { body: infer B extends TSchema } ? Static<B> : unknown;
type Schema200<K extends RouteKey> =
  SchemaOf<K> extends { response: { 200: infer R extends TSchema } } ? Static<R> : unknown;

/** Job routes' results by name: shared/routes.ts's `job()` helper takes its schema as a
 *  plain TSchema, so their 200 type reads as unknown there. Used only while it does. */
interface JobResults {
  'snapshots.create': BackupResult;
  'snapshots.restore': RestoreResult;
  'snapshots.check': SnapshotCheckResult;
  'repository.check': CheckResult;
  'repository.maintenance': MaintenanceResult;
}

/** The 200 answer. */
export type ResultOf<K extends RouteKey> = unknown extends Schema200<K>
  ? (K extends keyof JobResults ? JobResults[K] : unknown)
  : Schema200<K>;

/** Routes that run as a job: they answer `202 {job}` to `?async=true`. */
export type JobRouteKey = {
  [K in RouteKey]: SchemaOf<K> extends { response: { 202: TSchema } } ? K : never
}[RouteKey];

export interface RequestOptions<K extends RouteKey> {
  params?: ParamsOf<K>;
  query?: QueryOf<K>;
  body?: BodyOf<K>;
  signal?: AbortSignal;
}

export type { JobAccepted };
