// shared/schemas/operations.ts — the snapshot jobs' bodies and results (API.md
// "Snapshots"): create (backup), restore and check.
import { Type, type Static } from '@sinclair/typebox';
import { ItemErrorSchema } from './common.js';

export const SnapshotCreateBody = Type.Object({
  source: Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })],
    { description: 'absolute paths' }),
  tags: Type.Optional(Type.Array(Type.String(), { default: [] })),
  excludes: Type.Optional(Type.Array(Type.String(), { default: [], description: 'as restic --exclude' })),
  exclude_caches: Type.Optional(Type.Boolean({ default: false })),
  one_file_system: Type.Optional(Type.Boolean({ default: false })),
  concurrency: Type.Optional(Type.Integer({ minimum: 1 })),
  check: Type.Optional(Type.Boolean({ default: false })),
  importer: Type.Optional(Type.Literal('fs', { default: 'fs' })),
});
export type SnapshotCreateBodyJson = Static<typeof SnapshotCreateBody>;

export const BackupResultSchema = Type.Object({
  snapshot_id: Type.String(),
  timestamp: Type.String(),
  summary: Type.Object({
    files: Type.Integer(),
    directories: Type.Integer(),
    symlinks: Type.Integer(),
    size: Type.Integer(),
    stored_size: Type.Integer(),
    errors: Type.Integer(),
    duration_ms: Type.Integer(),
  }),
  errors: Type.Array(ItemErrorSchema, { description: 'entries that could not be read' }),
});
export type BackupResult = Static<typeof BackupResultSchema>;

export const RestoreBody = Type.Object({
  destination: Type.String({ minLength: 1 }),
  paths: Type.Optional(Type.Array(Type.String(), { default: [] })),
  rebase: Type.Optional(Type.Boolean({ default: false })),
  skip_permissions: Type.Optional(Type.Boolean({ default: false })),
  overwrite: Type.Optional(Type.Union([Type.Literal('never'), Type.Literal('if-newer'), Type.Literal('always')],
    { default: 'never' })),
});
export type RestoreBodyJson = Static<typeof RestoreBody>;

export const RestoreResultSchema = Type.Object({
  restored_files: Type.Integer(),
  restored_bytes: Type.Integer(),
  skipped: Type.Integer(),
  errors: Type.Array(ItemErrorSchema),
});
export type RestoreResult = Static<typeof RestoreResultSchema>;

export const SnapshotCheckBody = Type.Object({
  fast: Type.Optional(Type.Boolean({ default: false })),
  no_verify: Type.Optional(Type.Boolean({ default: false, description: 'accepted and ignored' })),
  concurrency: Type.Optional(Type.Integer({ minimum: 1 })),
  paths: Type.Optional(Type.Array(Type.String(), { default: [] })),
});
export type SnapshotCheckBodyJson = Static<typeof SnapshotCheckBody>;

export const SnapshotCheckResultSchema = Type.Object({
  status: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  checked_files: Type.Integer(),
  errors: Type.Array(ItemErrorSchema),
});
export type SnapshotCheckResult = Static<typeof SnapshotCheckResultSchema>;
