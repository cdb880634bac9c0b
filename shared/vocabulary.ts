// shared/vocabulary.ts — the API's fixed word lists and limits as plain constants, without
// TypeBox: shared/schemas builds its schemas from them (and re-exports them), and the CLI
// imports them from here, so a `cairn` command does not load TypeBox (~120 ms) to run.

export const DIGEST_ALGORITHMS = ['SHA256', 'SHA1', 'MD5', 'BLAKE2B'] as const;

/** Largest `limit` a list honours; larger values are clamped, not refused (API.md). */
export const MAX_LIMIT = 1000;

export const JOB_STATUSES = ['pending', 'running', 'success', 'failed', 'canceled'] as const;

export const JOB_KINDS = ['backup', 'restore', 'check', 'prune', 'sync', 'maintenance', 'remove'] as const;

/** `/api/history`: finished jobs only, most recently ended first. */
export const ENDED_JOB_STATUSES = ['success', 'failed', 'canceled'] as const;

export const KEY_ROLES = ['admin', 'operator', 'reader', 'appender'] as const;

export const EVENT_NAMES = [
  'job.created', 'job.progress', 'job.finished', 'snapshot.created', 'snapshot.removed', 'mount.changed', 'schedule.changed',
] as const;
