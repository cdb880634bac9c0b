// daemon/storage — named bytes on a local disk (and, later, in an S3-compatible bucket).
// Everything above sees repository files only through the Storage contract (types.ts):
//   put(name, bytes)        small objects, atomic and durable (tmp/ + fsync + rename + dir fsync)
//   upload() → write… → commit(name) | abort()   streamed, content-named objects (packs)
//   get / getRange / stat / list(prefix) / remove / createExclusive
//   lock()                  one daemon per repository (flock on `lock`)
//   sweep()                 abandoned tmp/ files and empty packs/xx/ directories (maintenance)
// Also: parseLocation (`fs:/path` or `/path`), isLocalFilesystem (keeps the LMDB index off
// NFS/SMB/FUSE) and crashPoint (test-only SIGKILL at named steps of the write protocol).
// Called by repository/ (open, registry, packer, session) and reconcile/.
export { openLocalStorage } from './local.js';
export { parseLocation, isLocalFilesystem, remoteFilesystemName, type Location } from './location.js';
export { crashPoint } from './crash.js';
export { fsyncDir, writeFileAtomic, writeTempBeside } from './durable.js';
export type { Storage, Upload, Lock, StorageEntry, SweepReport } from './types.js';
