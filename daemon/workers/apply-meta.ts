// daemon/workers/apply-meta.ts — applying a restored entry's metadata with synchronous
// calls (a few µs each): used by the IO threads that write small files and by the restore
// engine on the main thread. Order (DESIGN §3 "Restoring exactly"): lchown with numeric
// ids; xattrs (after chown, which clears security.capability); chmod, never on symlinks
// (after chown, which clears setuid/setgid, and after xattrs, which a non-root owner
// cannot set on a read-only file); utimensat in ns without following links.
// Problems come back as messages; nothing is thrown.

import { chmodSync, lchownSync } from 'node:fs';
import { lsetxattr, utimensat } from '../../native/index.js';

export interface EntryMeta {
  type: number;                 // tree node type: 2 = symlink
  uid: number;
  gid: number;
  mode: number;                 // & 0o7777
  atime: [number, number];
  mtime: [number, number];
  xattrs: Array<[Uint8Array, Uint8Array]>;
}

const isRoot = process.getuid?.() === 0;
const SYMLINK = 2;

export function applyMetaSync(path: Buffer, m: EntryMeta, skipPermissions: boolean): string[] {
  const problems: string[] = [];
  if (!skipPermissions) {
    try {
      lchownSync(path, m.uid, m.gid);
    } catch (e) {
      // Only root may give files away; a non-root restore keeps its own ids (as restic).
      if (isRoot) problems.push(`lchown: ${(e as Error).message}`);
    }
  }
  for (const [k, v] of m.xattrs) {
    try {
      lsetxattr(path, Buffer.from(k), Buffer.from(v));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!(code === 'EPERM' && !isRoot)) problems.push(`xattr ${Buffer.from(k).toString('utf8')}: ${(e as Error).message}`);
    }
  }
  if (m.type !== SYMLINK) {
    try {
      chmodSync(path, skipPermissions ? m.mode & 0o777 : m.mode);
    } catch (e) {
      problems.push(`chmod: ${(e as Error).message}`);
    }
  }
  try {
    utimensat(path, [BigInt(m.atime[0]), m.atime[1]], [BigInt(m.mtime[0]), m.mtime[1]], true);
  } catch (e) {
    problems.push(`utimensat: ${(e as Error).message}`);
  }
  return problems;
}
