// daemon/snapshot/paths.ts — finding a path inside a snapshot. Paths are bytes; the root
// tree is `/`. lookupPath walks one directory page per component.

import { CairnError } from '../errors.js';
import type { Repository } from '../repository/index.js';
import { findInDir } from './trees.js';
import { NodeType, type TreeNode } from './tree.js';

export interface Located {
  /** null for `/` itself, which has no node of its own */
  node: TreeNode | null;
  /** the directory tree id when the path is a directory (or `/`) */
  tree: Buffer | null;
  path: Buffer;
}

/** '/a/b/' → ['a', 'b'] as Buffers; rejects '.', '..' and NUL. */
export function splitPath(path: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i <= path.length; i++) {
    if (i === path.length || path[i] === 0x2f) {
      if (i > start) {
        const c = path.subarray(start, i);
        if ((c.length === 1 && c[0] === 0x2e) || (c.length === 2 && c[0] === 0x2e && c[1] === 0x2e) || c.includes(0)) {
          throw new CairnError('invalid_params', 'a path may not contain ".", ".." or NUL components', { path: { code: 'invalid_argument', message: 'bad path component' } });
        }
        parts.push(c);
      }
      start = i + 1;
    }
  }
  return parts;
}

export async function lookupPath(repo: Pick<Repository, 'index' | 'readChunk'>, root: Buffer, path: Buffer): Promise<Located> {
  const parts = splitPath(path);
  let tree: Buffer | null = root;
  let node: TreeNode | null = null;
  for (let i = 0; i < parts.length; i++) {
    if (!tree) throw new CairnError('not-found', 'path not found in snapshot', { path: path.toString('utf8') });
    node = await findInDir(repo, tree, parts[i]!);
    if (!node) throw new CairnError('not-found', 'path not found in snapshot', { path: path.toString('utf8') });
    tree = node.type === NodeType.dir ? node.subtree : null;
  }
  return { node, tree, path: parts.length === 0 ? Buffer.from('/') : Buffer.concat(parts.flatMap((p) => [Buffer.from('/'), p])) };
}
