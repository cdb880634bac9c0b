// daemon/snapshot/walk.ts — the one lazy walker over a snapshot's tree: depth-first,
// pre-order, each directory's entries in name-byte order (a directory's entries come
// right after it). It holds one directory page per level of depth (iterDir), never a
// whole tree, and gives the event loop a turn every few milliseconds (trees read from
// the LMDB cache resolve without ever leaving the microtask queue). Called by search,
// errors, locate (api/routes/browse.ts) and diff.ts for added and removed subtrees.
import { CancelledError } from '../errors.js';
import type { Repository } from '../repository/index.js';
import { iterDir } from './trees.js';
import { NodeType, type TreeNode } from './tree.js';

type TreeRepo = Pick<Repository, 'index' | 'readChunk'>;

export interface WalkEntry {
  /** Absolute path bytes inside the snapshot. */
  path: Buffer;
  node: TreeNode;
  /** 1 for the entries of the directory the walk started in. */
  depth: number;
}

export interface WalkOptions {
  /** Descend into subdirectories; @default true (false: one level). */
  recursive?: boolean;
  /** Called for each directory entry; false skips its contents (the entry itself is still yielded). */
  descend?: (e: WalkEntry) => boolean;
  signal?: AbortSignal;
}

/** `dir` + `/` + `name` as bytes (`/` + `name` at the root). */
export function joinPath(dir: Buffer, name: Buffer): Buffer {
  return Buffer.concat(dir.length === 1 && dir[0] === 0x2f ? [dir, name] : [dir, Buffer.from('/'), name]);
}

/** Gives the event loop a turn when `budgetMs` has passed since the last one. */
export class Pacer {
  private last = performance.now();
  private n = 0;
  constructor(private readonly budgetMs = 10, private readonly signal?: AbortSignal) {}

  /** Call once per item; awaits a macrotask turn now and then; throws when aborted. */
  async tick(): Promise<void> {
    if ((++this.n & 127) !== 0) return;
    if (this.signal?.aborted) throw new CancelledError();
    const now = performance.now();
    if (now - this.last < this.budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.last = performance.now();
    if (this.signal?.aborted) throw new CancelledError();
  }
}

interface Level { it: AsyncGenerator<TreeNode>; path: Buffer; depth: number }

/**
 * Every entry below directory `tree` (whose own path is `base`), lazily. Memory: one
 * decoded page per level of depth. Stopping early (break, return) releases every level.
 */
export async function* walkTree(repo: TreeRepo, tree: Buffer, base: Buffer, o: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const recursive = o.recursive ?? true;
  const pacer = new Pacer(10, o.signal);
  const stack: Level[] = [{ it: iterDir(repo, tree), path: base, depth: 1 }];
  try {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const r = await top.it.next();
      if (r.done) {
        stack.pop();
        continue;
      }
      const node = r.value;
      const e: WalkEntry = { path: joinPath(top.path, node.name), node, depth: top.depth };
      yield e;
      await pacer.tick();
      if (recursive && node.type === NodeType.dir && node.subtree && (o.descend?.(e) ?? true)) {
        stack.push({ it: iterDir(repo, node.subtree), path: e.path, depth: top.depth + 1 });
      }
    }
  } finally {
    for (const l of stack) await l.it.return(undefined);
  }
}
