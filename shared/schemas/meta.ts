// shared/schemas/meta.ts — /api/info and /api/health (API.md "Meta").
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.js';

export const InfoSchema = Type.Object({
  repository_id: Nullable(Type.String({ description: 'the default repository; null when none is registered' })),
  authenticated: Type.Boolean(),
  version: Type.String(),
  browsable: Type.Boolean(),
  demo_mode: Type.Boolean(),
});
export type Info = Static<typeof InfoSchema>;

export const HealthSchema = Type.Object({
  status: Type.Union([Type.Literal('healthy'), Type.Literal('unhealthy')]),
  uptime: Type.Number({ description: 'seconds since the daemon started' }),
  timestamp: Type.String({ description: 'RFC 3339 UTC' }),
  database: Type.String({ description: '"ok", or what is wrong with an index' }),
  memory: Type.Object({ rss: Type.Integer(), heapUsed: Type.Integer(), heapTotal: Type.Integer() }),
  responseTime: Type.Number({ description: 'milliseconds spent answering' }),
  version: Type.String(),
});
export type Health = Static<typeof HealthSchema>;

/** /api/openapi.json: an OpenAPI 3.1 document (its parts are described by OpenAPI itself). */
export const OpenApiDocumentSchema = Type.Object({
  openapi: Type.String(),
  info: Type.Object({ title: Type.String(), version: Type.String() }, { additionalProperties: true }),
  paths: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())),
  components: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  security: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Array(Type.String())))),
}, { additionalProperties: true });
export type OpenApiDocument = Static<typeof OpenApiDocumentSchema>;
