// daemon/restore/metadata.ts — a tree node's metadata applied to a restored path, with
// the one implementation the IO threads use too (workers/apply-meta.ts).

import { applyMetaSync } from '../workers/index.js';
import type { TreeNode } from '../snapshot/index.js';

export interface MetaOptions {
  skipPermissions: boolean;
}

export function metaOf(n: TreeNode): Parameters<typeof applyMetaSync>[1] {
  return { type: n.type, uid: n.uid, gid: n.gid, mode: n.mode, atime: n.atime, mtime: n.mtime, xattrs: n.xattrs };
}

export async function applyMetadata(path: Buffer, n: TreeNode, o: MetaOptions): Promise<string[]> {
  return applyMetaSync(path, metaOf(n), o.skipPermissions);
}
