// daemon/restore/selection.ts — what one selected path of a snapshot becomes in an output
// (a restore destination or an archive), shared by restore.ts and archive.ts:
//   `/`                      → the root's entries at the top of the output
//   a directory with rebase  → its entries at the top (its contents, not itself)
//   anything else with rebase → the entry itself at the top, by its name
//   without rebase           → the entry at its absolute path, each directory above it
//                              carried with its own snapshot metadata
import type { Repository } from '../repository/index.js';
import { lookupPath, NodeType, type TreeNode } from '../snapshot/index.js';

type SelectRepo = Pick<Repository, 'index' | 'readChunk'>;

export interface Selection {
  /** The selected path (absolute, cleaned). */
  path: Buffer;
  /** Directories between the output's top and the entry (outermost first), with their nodes. */
  ancestors: Array<{ name: Buffer; node: TreeNode }>;
  /** The entry itself; null when its contents go directly below the ancestors. */
  node: TreeNode | null;
  /** When `node` is null: the directory tree whose entries go there. */
  tree: Buffer | null;
}

const SLASH = Buffer.from('/');

/** Resolves one path (CairnError not-found when the snapshot has no such path). */
export async function selectPath(repo: SelectRepo, root: Buffer, path: Buffer, rebase: boolean): Promise<Selection> {
  const loc = await lookupPath(repo, root, path);
  if (loc.node === null || (rebase && loc.node.type === NodeType.dir)) {
    return { path: loc.path, ancestors: [], node: null, tree: loc.tree };
  }
  if (rebase) return { path: loc.path, ancestors: [], node: loc.node, tree: null };
  const parts = loc.path.subarray(1).toString('latin1').split('/').map((s) => Buffer.from(s, 'latin1'));
  const ancestors: Selection['ancestors'] = [];
  for (let i = 0; i < parts.length - 1; i++) {
    const anc = await lookupPath(repo, root, Buffer.concat(parts.slice(0, i + 1).flatMap((x) => [SLASH, x])));
    if (anc.node) ancestors.push({ name: parts[i]!, node: anc.node });
  }
  return { path: loc.path, ancestors, node: loc.node, tree: null };
}

/** True when `child` is `parent` or below it (byte paths, absolute). */
export function isInside(child: Buffer, parent: Buffer): boolean {
  if (parent.length === 1 && parent[0] === 0x2f) return true;
  return child.equals(parent)
    || (child.length > parent.length && child.subarray(0, parent.length).equals(parent) && child[parent.length] === 0x2f);
}
