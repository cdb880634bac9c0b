// daemon/restore — the restore engine: selected trees → files and directories on disk,
// contents read pack by pack (each pack once), every byte authenticated before it is
// written, metadata applied exactly (metadata.ts). Takes a narrow Repository and
// `{signal, onProgress}`; knows nothing of jobs or HTTP. Called by daemon.ts's job runners.
export { restore } from './restore.js';
export type { RestoreOptions, RestoreResult, RestoreError, RestoreProgress, Overwrite } from './restore.js';
