// daemon/snapshot/node-change.ts — how two versions of one entry differ, from their tree
// nodes alone (no data is read). Pure; used by diff.ts and tested with tables.
//   content: a file's chunk list (and size, and whether it could be read), a symlink's
//            target, a device's number, a directory's subtree id
//   metadata: mode, uid, gid, user and group names, mtime, xattrs — never atime, ctime,
//            inode or link count, which change without the entry changing
import { NodeType, type TreeNode } from './tree.js';

export type NodeChange = 'same' | 'type' | 'content' | 'metadata';

const bufEq = (a: Buffer | null, b: Buffer | null): boolean => (a === null || b === null ? a === b : a.equals(b));

export function sameContent(a: TreeNode, b: TreeNode): boolean {
  if (a.error !== b.error) return false;
  switch (a.type) {
    case NodeType.file: {
      const ca = a.content ?? [];
      const cb = b.content ?? [];
      return a.size === b.size && ca.length === cb.length && ca.every((id, i) => id.equals(cb[i]!));
    }
    case NodeType.dir: return bufEq(a.subtree, b.subtree);
    case NodeType.symlink: return bufEq(a.target, b.target);
    case NodeType.char: case NodeType.block: return a.rdev === b.rdev;
    default: return true;
  }
}

export function sameMetadata(a: TreeNode, b: TreeNode): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.user === b.user && a.group === b.group
    && a.mtime[0] === b.mtime[0] && a.mtime[1] === b.mtime[1]
    && a.xattrs.length === b.xattrs.length
    && a.xattrs.every(([k, v], i) => k.equals(b.xattrs[i]![0]) && v.equals(b.xattrs[i]![1]));
}

/** What changed from `a` to `b` (same name): the type, the content, only metadata, or nothing. */
export function nodeChange(a: TreeNode, b: TreeNode): NodeChange {
  if (a.type !== b.type) return 'type';
  if (!sameContent(a, b)) return 'content';
  return sameMetadata(a, b) ? 'same' : 'metadata';
}
