// daemon/backup — the backup engine: scan → read → chunk/id → dedup → groups and packs →
// trees → snapshot (see backup.ts for the pipeline). Takes a Repository, `{signal,
// onProgress}`; knows nothing of jobs or HTTP. Called by daemon.ts's job runners.
export { backup, normaliseSources } from './backup.js';
export type { BackupOptions, BackupResult, BackupError } from './backup.js';
export type { BackupProgress } from './progress.js';
