// daemon/storage/location.ts — repository locations (`fs:/path` or a bare absolute path;
// other schemes arrive with the S3 backend) and the local-filesystem test that keeps the
// LMDB index off network and FUSE filesystems.
import { statfs } from 'node:fs/promises';
import { posix } from 'node:path';
import { CairnError, invalidParam } from '../errors.js';

export interface Location {
  scheme: 'fs';
  /** Absolute, normalised, without a trailing '/' (except the root itself). */
  path: string;
}

/** `fs:/srv/backup` or `/srv/backup` → {scheme:'fs', path}. Anything else is
 *  CairnError('invalid_params') with params.location. */
export function parseLocation(loc: string): Location {
  if (typeof loc !== 'string' || loc.length === 0) throw invalidParam('location', 'a location is required', 'missing_argument');
  if (loc.includes('\0')) throw invalidParam('location', 'a location may not contain NUL');
  let path = loc;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(loc);
  if (scheme) {
    if (scheme[1]!.toLowerCase() !== 'fs') {
      throw invalidParam('location', `unsupported location scheme "${scheme[1]}:" (supported: fs:/path or an absolute path)`);
    }
    path = loc.slice(scheme[0].length);
  }
  if (!path.startsWith('/')) throw invalidParam('location', 'a location must be an absolute path');
  let norm = posix.normalize(path);
  if (norm.length > 1 && norm.endsWith('/')) norm = norm.slice(0, -1);
  if (norm.startsWith('//')) norm = norm.replace(/^\/+/, '/');
  return { scheme: 'fs', path: norm };
}

// statfs f_type of filesystems the index must not live on (linux/magic.h).
const REMOTE_FS = new Map<bigint, string>([
  [0x6969n, 'nfs'],
  [0x517bn, 'smb'],
  [0xff534d42n, 'cifs'],
  [0xfe534d42n, 'smb2'],
  [0x65735546n, 'fuse'],
]);

/** False on NFS, SMB/CIFS and FUSE (where LMDB's locking and mmap are unsafe); true otherwise.
 *  `path` must exist. */
export async function isLocalFilesystem(path: string): Promise<boolean> {
  return (await remoteFilesystemName(path)) === null;
}

/** The kind of network/FUSE filesystem holding `path`, or null when it is local. */
export async function remoteFilesystemName(path: string): Promise<string | null> {
  let type: bigint;
  try {
    type = (await statfs(path, { bigint: true })).type;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CairnError('not-found', 'path not found', { path });
    }
    throw e;
  }
  return REMOTE_FS.get(BigInt.asUintN(32, type)) ?? null;
}
