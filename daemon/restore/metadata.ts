// daemon/restore/metadata.ts — applying a node's metadata exactly (DESIGN §3 "Restoring
// exactly"): lchown with numeric ids; xattrs (after chown, which clears
// security.capability); chmod, never on symlinks (after chown, which clears setuid/setgid,
// and after xattrs, which a non-root owner cannot set on a read-only file); utimensat in
// nanoseconds without following links. Problems are returned as messages, not thrown.

import { lchown, chmod } from 'node:fs/promises';
import { lsetxattr, utimensat } from '../../native/index.js';
import { NodeType, type TreeNode } from '../snapshot/index.js';

const isRoot = process.getuid?.() === 0;

export interface MetaOptions {
  skipPermissions: boolean;
}

export async function applyMetadata(path: Buffer, n: TreeNode, o: MetaOptions): Promise<string[]> {
  const problems: string[] = [];
  if (!o.skipPermissions) {
    try {
      await lchown(path, n.uid, n.gid);
    } catch (e) {
      // Only root may give files away; a non-root restore keeps its own ids (as restic).
      if (isRoot) problems.push(`lchown: ${(e as Error).message}`);
    }
  }
  for (const [k, v] of n.xattrs) {
    try {
      lsetxattr(path, k, v);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!(code === 'EPERM' && !isRoot)) problems.push(`xattr ${k.toString('utf8')}: ${(e as Error).message}`);
    }
  }
  if (n.type !== NodeType.symlink) {
    try {
      await chmod(path, o.skipPermissions ? n.mode & 0o777 : n.mode);
    } catch (e) {
      problems.push(`chmod: ${(e as Error).message}`);
    }
  }
  try {
    utimensat(path, [BigInt(n.atime[0]), n.atime[1]], [BigInt(n.mtime[0]), n.mtime[1]], true);
  } catch (e) {
    problems.push(`utimensat: ${(e as Error).message}`);
  }
  return problems;
}
