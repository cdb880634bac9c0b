// shared/schemas/trash.ts — forgetting snapshots to the trash and bringing them back
// (API.md "Snapshots": remove, undelete; "Repositories": trash; DESIGN §3 trash/).
import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, Paging, RepositoryQuery } from './common.js';
import { SnapshotSchema } from './snapshot.js';

/** Most snapshots one remove or undelete names. */
export const MAX_SNAPSHOT_IDS = 1000;

const SnapshotIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
  minItems: 1, maxItems: MAX_SNAPSHOT_IDS, description: 'full ids, unique prefixes of 4+ hex digits, or "latest"',
});

export const SnapshotRemoveBody = Type.Object({
  snapshot_ids: SnapshotIds,
  apply: Type.Optional(Type.Boolean({ default: true, description: 'false: list what would go, change nothing' })),
});
export type SnapshotRemoveBodyJson = Static<typeof SnapshotRemoveBody>;

export const SnapshotRemoveResultSchema = Type.Object({
  removed: Type.Array(Type.String(), { description: 'full ids moved to the trash (or that would be, with apply:false)' }),
});
export type SnapshotRemoveResult = Static<typeof SnapshotRemoveResultSchema>;

export const SnapshotUndeleteBody = Type.Object({
  snapshot_ids: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
    minItems: 1, maxItems: MAX_SNAPSHOT_IDS, description: 'full ids or unique prefixes (4+ hex digits) of trashed snapshots',
  }),
});
export type SnapshotUndeleteBodyJson = Static<typeof SnapshotUndeleteBody>;

export const SnapshotUndeleteResultSchema = Type.Object({ restored: Type.Array(Type.String()) });
export type SnapshotUndeleteResult = Static<typeof SnapshotUndeleteResultSchema>;

/** A trashed snapshot: the snapshot as listed before, and when it was forgotten. */
export const TrashItemSchema = Type.Object({
  ...SnapshotSchema.properties,
  removed_at: Nullable(Type.String({ description: 'RFC 3339 UTC; null when the index was rebuilt since (storage keeps no time)' })),
});
export type TrashItem = Static<typeof TrashItemSchema>;

export const TrashListSchema = ListOf(TrashItemSchema);
export type TrashList = Static<typeof TrashListSchema>;

export const TrashQuery = Type.Object({
  ...RepositoryQuery.properties,
  ...Paging,
});
export type TrashQueryJson = Static<typeof TrashQuery>;
