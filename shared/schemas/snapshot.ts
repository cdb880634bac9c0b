// shared/schemas/snapshot.ts — a snapshot and a vfs entry as the API shows them (API.md
// "Snapshots"), with the snapshot and vfs routes' queries.
import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, Paging, RepositoryQuery } from './common.js';

export const ImporterSchema = Type.Object({
  type: Type.String({ description: '"fs"' }),
  origin: Type.String({ description: 'hostname' }),
  directory: Type.String({ description: 'the backed-up path' }),
});

export const SnapshotSummarySchema = Type.Object({
  files: Type.Integer(),
  directories: Type.Integer(),
  symlinks: Type.Integer(),
  size: Type.Integer({ description: 'logical bytes' }),
  stored_size: Type.Integer({ description: 'bytes this snapshot added to the repository' }),
  errors: Type.Integer({ description: 'entries that could not be read' }),
  duration_ms: Type.Integer(),
});
export type SnapshotSummary = Static<typeof SnapshotSummarySchema>;

export const SNAPSHOT_STATUSES = ['complete', 'checkpoint', 'damaged'] as const;

/** A damaged snapshot without an index row has every field but id, identifier, short_id
 *  and status null. */
export const SnapshotSchema = Type.Object({
  id: Type.String({ description: '64 hex digits' }),
  status: Type.Union(SNAPSHOT_STATUSES.map((s) => Type.Literal(s))),
  identifier: Type.String({ description: '= id' }),
  short_id: Type.String({ description: 'the first 8 hex digits' }),
  timestamp: Nullable(Type.String({ description: 'RFC 3339 UTC' })),
  hostname: Nullable(Type.String()),
  username: Nullable(Type.String()),
  importer: Nullable(ImporterSchema),
  sources: Nullable(Type.Array(Type.Object({ importer: ImporterSchema }))),
  tags: Nullable(Type.Array(Type.String())),
  summary: Nullable(SnapshotSummarySchema),
  duration: Nullable(Type.Integer({ description: 'nanoseconds' })),
  parent: Nullable(Type.String()),
  job_id: Nullable(Type.String()),
});
export type Snapshot = Static<typeof SnapshotSchema>;

export const SnapshotItemSchema = Type.Object({ item: SnapshotSchema });
export const SnapshotListSchema = ListOf(SnapshotSchema);
export type SnapshotList = Static<typeof SnapshotListSchema>;

export const SnapshotListQuery = Type.Object({
  ...RepositoryQuery.properties,
  since: Type.Optional(Type.String({ description: 'RFC 3339; ISO 8601 without an offset is UTC' })),
  until: Type.Optional(Type.String()),
  importer: Type.Optional(Type.String()),
  tag: Type.Optional(Type.Array(Type.String(), { description: 'repeatable' })),
  host: Type.Optional(Type.String()),
  status: Type.Optional(Type.Literal('checkpoint', { description: 'list checkpoints instead' })),
  sort: Type.Optional(Type.Union([Type.Literal('Timestamp'), Type.Literal('-Timestamp')], { default: 'Timestamp' })),
  ...Paging,
});
export type SnapshotListQueryJson = Static<typeof SnapshotListQuery>;

export const ENTRY_TYPES = ['file', 'directory', 'symlink', 'fifo', 'device', 'socket'] as const;

export const FileInfoSchema = Type.Object({
  name: Type.String(),
  size: Type.Integer(),
  mode: Type.Integer({ description: 'Go FileMode bits (API.md)' }),
  mod_time: Type.String(),
  uid: Type.Integer(),
  gid: Type.Integer(),
  nlink: Type.Integer(),
  username: Nullable(Type.String()),
  groupname: Nullable(Type.String()),
});

/** `name`/`path` are the bytes as UTF-8 with U+FFFD; `name_raw`/`path_raw` (percent-encoded
 *  bytes) appear only when that lost information. */
export const EntrySchema = Type.Object({
  name: Type.String(),
  path: Type.String(),
  parent_path: Type.String(),
  name_raw: Type.Optional(Type.String()),
  path_raw: Type.Optional(Type.String()),
  type: Type.Union(ENTRY_TYPES.map((s) => Type.Literal(s))),
  size: Type.Integer(),
  mode: Type.String({ description: 'octal, e.g. "0644"' }),
  permissions: Type.String({ description: 'e.g. "-rw-r--r--"' }),
  mtime: Type.String(),
  uid: Type.Integer(),
  gid: Type.Integer(),
  username: Nullable(Type.String()),
  groupname: Nullable(Type.String()),
  nlink: Type.Integer(),
  target: Type.Optional(Type.String({ description: 'symlinks only' })),
  error: Type.Optional(Type.String({ description: 'why the entry could not be read during the backup' })),
  file_info: FileInfoSchema,
});
export type Entry = Static<typeof EntrySchema>;

export const VfsResultSchema = Type.Object({
  item: EntrySchema,
  children: Type.Optional(Type.Array(EntrySchema, { description: 'directories: the first 100' })),
  children_total: Type.Optional(Type.Integer()),
});
export type VfsResult = Static<typeof VfsResultSchema>;

export const CHILDREN_SORTS = ['Name', '-Name', 'Size', '-Size', 'ModTime', '-ModTime'] as const;
export const ChildrenQuery = Type.Object({
  ...RepositoryQuery.properties,
  ...Paging,
  sort: Type.Optional(Type.Union(CHILDREN_SORTS.map((s) => Type.Literal(s)), { default: 'Name' })),
});
export type ChildrenQueryJson = Static<typeof ChildrenQuery>;

export const ChildrenListSchema = ListOf(EntrySchema);
export type ChildrenList = Static<typeof ChildrenListSchema>;
