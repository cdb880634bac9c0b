// daemon/restore — the restore engine: selected trees → files and directories on disk,
// contents read pack by pack (each pack once), every byte authenticated before it is
// written, metadata applied exactly (metadata.ts); and the same selection streamed as an
// archive (archive.ts: zip, tar, tar.gz, tar.zst) in path order. Takes a narrow Repository
// and `{signal, onProgress}`; knows nothing of jobs or HTTP. Called by daemon.ts's job
// runners and api/routes/files.ts (downloads).
export { restore } from './restore.js';
export type { RestoreOptions, RestoreResult, RestoreError, RestoreProgress, Overwrite } from './restore.js';
export { archiveStream, ARCHIVE_FORMATS } from './archive.js';
export type { Archive, ArchiveFormat, ArchiveOptions, ArchiveRepo } from './archive.js';
export { isInside } from './selection.js';
