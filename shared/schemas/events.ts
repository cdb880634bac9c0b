// shared/schemas/events.ts — what `/api/events` sends (API.md "Meta"): Server-Sent Events
// whose `event:` is one of EVENT_NAMES and whose `data:` is one JSON line. Job events carry
// the whole job; snapshot events name the snapshots. mount.changed and schedule.changed
// come with the issues that build mounts and schedules. A `: keep-alive` comment arrives
// every 15 s. An appender's stream holds only its own jobs and their snapshots.
import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from './common.js';
import type { Job } from './job.js';
import { EVENT_NAMES } from '../vocabulary.js';
export { EVENT_NAMES };

export type EventName = (typeof EVENT_NAMES)[number];

export const SnapshotCreatedEventSchema = Type.Object({
  repository: Type.String(),
  snapshot_id: Type.String(),
  job_id: Nullable(Type.String({ description: 'the backup job that made the snapshot' })),
  reason: Type.Union([Type.Literal('backup'), Type.Literal('undelete')]),
});
export type SnapshotCreatedEvent = Static<typeof SnapshotCreatedEventSchema>;

export const SnapshotRemovedEventSchema = Type.Object({
  repository: Type.String(),
  snapshot_ids: Type.Array(Type.String()),
  job_id: Nullable(Type.String({ description: 'the remove job' })),
});
export type SnapshotRemovedEvent = Static<typeof SnapshotRemovedEventSchema>;

/** One event of `/api/events`, decoded. */
export type ApiEvent =
  | { event: 'job.created' | 'job.progress' | 'job.finished'; data: Job }
  | { event: 'snapshot.created'; data: SnapshotCreatedEvent }
  | { event: 'snapshot.removed'; data: SnapshotRemovedEvent };
