// shared/schemas/browse.ts — looking into snapshots without reading whole files (API.md
// "Snapshots" and "Repositories"): diff, vfs search, vfs errors, a file's chunks, every
// version of one path (locate-pathname), locate across snapshots, importer types.
import { Type, type Static } from '@sinclair/typebox';
import { ListOf, MAX_LIMIT, Nullable, Paging, RepositoryQuery } from './common.js';
import { ENTRY_TYPES, EntrySchema, SnapshotSummarySchema } from './snapshot.js';

const EntryType = Type.Union(ENTRY_TYPES.map((s) => Type.Literal(s)));
const PathRaw = Type.Optional(Type.String({ description: 'the path bytes percent-encoded, when UTF-8 lost information' }));

// ---- diff -----------------------------------------------------------------------------

export const DiffParams = Type.Object({
  a: Type.String({ minLength: 1, description: 'a snapshot reference, without a path' }),
  b: Type.String({ minLength: 1, description: 'a snapshot reference, without a path' }),
});

export const DiffQuery = Type.Object({
  ...RepositoryQuery.properties,
  path: Type.Optional(Type.String({ description: 'the path compared in both (default /); percent-escapes are decoded once into bytes' })),
  path_b: Type.Optional(Type.String({ description: 'a different path in b' })),
  recursive: Type.Optional(Type.Boolean({ default: true, description: 'false: one level; a directory whose contents differ is one `modified` item' })),
  highlight: Type.Optional(Type.Boolean({ default: false, description: 'with a text file path, `unified` holds a unified diff (needs the read permission)' })),
  ...Paging,
});
export type DiffQueryJson = Static<typeof DiffQuery>;

export const DIFF_CHANGES = ['added', 'removed', 'modified', 'metadata'] as const;

export const DiffItemSchema = Type.Object({
  path: Type.String({ description: 'in b; in a for a removed entry' }),
  path_raw: PathRaw,
  type: EntryType,
  change: Type.Union(DIFF_CHANGES.map((s) => Type.Literal(s)), {
    description: 'modified: the content differs (chunk ids, link target, device, a directory\'s entries when not recursive); metadata: only mode, owner, mtime or xattrs',
  }),
  before: Nullable(EntrySchema),
  after: Nullable(EntrySchema),
});
export type DiffItemJson = Static<typeof DiffItemSchema>;

export const DiffSummarySchema = Type.Object({
  added: Type.Integer(),
  removed: Type.Integer(),
  modified: Type.Integer(),
  metadata: Type.Integer(),
  bytes_added: Type.Integer({ description: 'sizes of added files plus the growth of modified files' }),
  bytes_removed: Type.Integer({ description: 'sizes of removed files plus the shrinkage of modified files' }),
});

/** Items are paged (`offset`, `limit`); `summary` and `total` count them all. */
export const DiffResultSchema = Type.Object({
  summary: DiffSummarySchema,
  total: Type.Integer({ minimum: 0 }),
  has_next: Type.Boolean(),
  items: Type.Array(DiffItemSchema),
  unified: Type.Optional(Type.String({ description: 'highlight=true on a text file: the unified diff of the two versions' })),
  note: Type.Optional(Type.String({ description: 'why there is no unified diff (binary, too large, not a file)' })),
});
export type DiffResult = Static<typeof DiffResultSchema>;

// ---- vfs search, errors, chunks -----------------------------------------------------------

export const SearchQuery = Type.Object({
  ...RepositoryQuery.properties,
  pattern: Type.Optional(Type.String({ maxLength: 4096, description: 'a glob on names (or an exact name); with a `/`, on paths' })),
  mime: Type.Optional(Type.String({ description: 'files whose type (from the name) starts with this, e.g. image/' })),
  recursive: Type.Optional(Type.Boolean({ default: true })),
  ...Paging,
});
export type SearchQueryJson = Static<typeof SearchQuery>;

export const SearchResultSchema = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  has_next: Type.Boolean(),
  items: Type.Array(EntrySchema),
});
export type SearchResult = Static<typeof SearchResultSchema>;

export const ERROR_SORTS = ['Name', '-Name'] as const;
export const ErrorsQuery = Type.Object({
  ...RepositoryQuery.properties,
  ...Paging,
  sort: Type.Optional(Type.Union(ERROR_SORTS.map((s) => Type.Literal(s)), { default: 'Name' })),
});
export type ErrorsQueryJson = Static<typeof ErrorsQuery>;

export const ErrorItemSchema = Type.Object({
  name: Type.String({ description: 'the entry\'s path' }),
  name_raw: PathRaw,
  error: Type.String(),
});
export const ErrorListSchema = ListOf(ErrorItemSchema);
export type ErrorList = Static<typeof ErrorListSchema>;

export const ChunksQuery = Type.Object({ ...RepositoryQuery.properties, ...Paging });

export const ChunkItemSchema = Type.Object({
  contentMAC: Type.String({ description: 'the chunk id (HMAC-SHA256 of its bytes), hex' }),
  length: Nullable(Type.Integer({ description: 'bytes; null when the index has no row for it' })),
  group: Type.Boolean({ description: 'a small file\'s single chunk, stored in a group with others' }),
});
export const ChunkListSchema = ListOf(ChunkItemSchema);
export type ChunkList = Static<typeof ChunkListSchema>;

// ---- locate ---------------------------------------------------------------------------

export const LOCATE_SORTS = ['Timestamp', '-Timestamp'] as const;
export const LocatePathnameQuery = Type.Object({
  ...RepositoryQuery.properties,
  resource: Type.String({ minLength: 1, description: 'an absolute path; percent-escapes are decoded once into bytes' }),
  since: Type.Optional(Type.String({ description: 'RFC 3339; ISO 8601 without an offset is UTC' })),
  importerType: Type.Optional(Type.String()),
  importerOrigin: Type.Optional(Type.String({ description: 'the host' })),
  importerDirectory: Type.Optional(Type.String({ description: 'one of the snapshot\'s backed-up paths' })),
  sort: Type.Optional(Type.Union(LOCATE_SORTS.map((s) => Type.Literal(s)), { default: '-Timestamp' })),
  ...Paging,
});
export type LocatePathnameQueryJson = Static<typeof LocatePathnameQuery>;

export const LocatedVersionSchema = Type.Object({
  snapshot: Type.Object({ id: Type.String(), timestamp: Type.String(), summary: SnapshotSummarySchema }),
  vfs_entry: EntrySchema,
});
export const LocatePathnameResultSchema = ListOf(LocatedVersionSchema);
export type LocatePathnameResult = Static<typeof LocatePathnameResultSchema>;

/** Matches wanted when the query has no `limit` (also the most one answer holds). */
export const LOCATE_DEFAULT_LIMIT = MAX_LIMIT;

export const LocateQuery = Type.Object({
  ...RepositoryQuery.properties,
  patterns: Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), { minItems: 1, maxItems: 100, description: 'repeatable (up to 100); globs on names (with a `/`, on paths)' }),
  snapshot: Type.Optional(Type.String({ description: 'only this snapshot (id, prefix or latest)' })),
  since: Type.Optional(Type.String()),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, default: LOCATE_DEFAULT_LIMIT, description: `default and most ${MAX_LIMIT}; the walk stops there` })),
});
export type LocateQueryJson = Static<typeof LocateQuery>;

export const LocateMatchSchema = Type.Object({
  snapshot: Type.Object({ id: Type.String(), timestamp: Type.String() }),
  path: Type.String(),
  path_raw: PathRaw,
  type: EntryType,
  size: Type.Integer(),
  mtime: Type.String(),
});

/** Snapshots newest first, each walked in tree order; `total` counts `matches`, and
 *  `has_next` says the walk stopped at the limit with more to find. */
export const LocateResultSchema = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  has_next: Type.Boolean(),
  matches: Type.Array(LocateMatchSchema),
});
export type LocateResult = Static<typeof LocateResultSchema>;

export const ImporterTypesSchema = ListOf(Type.Object({ name: Type.String() }));
export type ImporterTypes = Static<typeof ImporterTypesSchema>;
