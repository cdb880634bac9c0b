// shared/schemas/repository.ts — repository routes (API.md "Repositories"): create, info,
// check, maintenance and the registry.
import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable } from './common.js';

export const RepositoryCreateBody = Type.Object({
  location: Type.String({ minLength: 1, description: '`fs:/path` or a bare absolute path' }),
  passphrase: Type.String({ minLength: 1 }),
  hashing: Type.Optional(Type.Literal('SHA256', { default: 'SHA256' })),
  plaintext: Type.Optional(Type.Boolean({ default: false, description: 'only false is supported' })),
  name: Type.Optional(Type.String({ minLength: 1 })),
  default: Type.Optional(Type.Boolean()),
});
export type RepositoryCreateBodyJson = Static<typeof RepositoryCreateBody>;

export const RepositoryCreateResultSchema = Type.Object({
  repository_id: Type.String(),
  location: Type.String(),
  name: Type.String(),
});
export type RepositoryCreateResult = Static<typeof RepositoryCreateResultSchema>;

export const RepositoryInfoSchema = Type.Object({
  item: Type.Object({
    location: Type.String(),
    browsable: Type.Boolean(),
    snapshots: Type.Object({
      total: Type.Integer(),
      storage_size: Type.Integer(),
      logical_size: Type.Integer(),
      efficiency: Type.Number({ description: 'percent saved by dedup + compression' }),
      snapshots_per_day: Type.Array(Type.Integer(), { description: '30 days, oldest first' }),
    }),
    configuration: Type.Object({
      repository_id: Type.String(),
      version: Type.Number(),
      timestamp: Type.String(),
      hashing: Type.Object({ algorithm: Type.String(), bits: Type.Integer() }),
      chunking: Type.Object({
        algorithm: Type.String(),
        min_size: Type.Integer(),
        normal_size: Type.Integer(),
        max_size: Type.Integer(),
      }),
      compression: Nullable(Type.Object({ algorithm: Type.String(), level: Type.Integer() })),
      encryption: Nullable(Type.Object({ data_algorithm: Type.String(), kdf: Type.String() })),
      packfile: Type.Object({ max_size: Type.Integer() }),
    }),
    os: Type.String(),
    arch: Type.String(),
  }),
});
export type RepositoryInfo = Static<typeof RepositoryInfoSchema>;

export const RepositoryCheckBody = Type.Object({
  read_data: Type.Optional(Type.Boolean({ default: false })),
  read_data_subset: Type.Optional(Nullable(Type.String({ pattern: '^(100|[1-9]?[0-9](\\.[0-9]+)?)%$', description: 'e.g. "10%"' }))),
  concurrency: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type RepositoryCheckBodyJson = Static<typeof RepositoryCheckBody>;

export const CheckErrorSchema = Type.Object({
  object: Type.String({ description: 'e.g. packs/ab/ab12…, snapshots/<id>' }),
  message: Type.String(),
  snapshots: Type.Array(Type.String()),
  files: Type.Array(Type.Object({ snapshot: Type.String(), path: Type.String() })),
});
export type CheckError = Static<typeof CheckErrorSchema>;

export const CheckResultSchema = Type.Object({
  status: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  checked_packs: Type.Integer(),
  checked_snapshots: Type.Integer(),
  read_bytes: Type.Integer(),
  errors: Type.Array(CheckErrorSchema),
  notes: Type.Array(Type.String(), { description: 'e.g. unreferenced packs' }),
});
export type CheckResult = Static<typeof CheckResultSchema>;

export const MAINTENANCE_OPERATIONS = ['cleanup', 'rebuild_cache', 'verify_integrity'] as const;
export const MaintenanceBody = Type.Object({
  operations: Type.Array(Type.Union(MAINTENANCE_OPERATIONS.map((s) => Type.Literal(s))), { minItems: 1 }),
});
export type MaintenanceBodyJson = Static<typeof MaintenanceBody>;

export const MaintenanceResultSchema = Type.Object({
  cleaned_objects: Type.Integer(),
  reclaimed_space: Type.Integer({ description: 'bytes' }),
  errors: Type.Array(Type.String()),
});
export type MaintenanceResult = Static<typeof MaintenanceResultSchema>;

export const RepositoryEntrySchema = Type.Object({
  name: Type.String(),
  location: Type.String(),
  default: Type.Boolean(),
});
export type RepositoryEntry = Static<typeof RepositoryEntrySchema>;

export const RepositoryListSchema = ListOf(RepositoryEntrySchema);
export type RepositoryList = Static<typeof RepositoryListSchema>;

export const RepositoryAddBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, description: 'default: the location\'s basename, made unique' })),
  location: Type.String({ minLength: 1 }),
  passphrase: Type.String({ minLength: 1 }),
  create: Type.Optional(Type.Boolean({ default: true })),
  default: Type.Optional(Type.Boolean({ default: false })),
});
export type RepositoryAddBodyJson = Static<typeof RepositoryAddBody>;

/** PUT /api/repositories/{name}: any of the three; an empty body changes nothing. */
export const RepositoryUpdateBody = Type.Object({
  name: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: 'a new name: 1-64 letters, digits, ".", "_" or "-"' })),
  default: Type.Optional(Type.Boolean({ description: 'true makes it the default; false is refused for the default' })),
  passphrase: Type.Optional(Type.String({ minLength: 1, description: 'replaces the stored passphrase once it unlocks the repository' })),
});
export type RepositoryUpdateBodyJson = Static<typeof RepositoryUpdateBody>;

export const RepositoryTestResultSchema = Type.Object({
  ok: Type.Boolean(),
  latency_ms: Type.Number({ description: 'time to open, unlock and read the config' }),
  error: Type.Optional(Type.String()),
});
export type RepositoryTestResult = Static<typeof RepositoryTestResultSchema>;
