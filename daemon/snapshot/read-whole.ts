// daemon/snapshot/read-whole.ts — a small file's whole content in one Buffer, through
// openFileRange (every byte authenticated, sparse holes without a read), for the few
// callers that need it in one piece: the unified diff of two versions. Refuses a file
// over `maxBytes` before reading anything.
import { CairnError } from '../errors.js';
import { openFileRange, type FileRangeRepo } from './open-file-range.js';
import type { TreeNode } from './tree.js';

export async function readWholeFile(repo: FileRangeRepo, node: TreeNode, maxBytes: number, signal?: AbortSignal): Promise<Buffer> {
  if (node.size > maxBytes) throw new CairnError('too-large', `the file is larger than ${maxBytes} bytes`, { size: node.size, max: maxBytes });
  const parts: Buffer[] = [];
  for await (const b of openFileRange(repo, node, 0, node.size, signal ? { signal } : {})) parts.push(b);
  return Buffer.concat(parts, node.size);
}
