// daemon/snapshot/diff.ts — what changed between two snapshots (or two paths in them), as a
// merge walk of two sorted trees:
//   both sides' entries in name-byte order → same name: nodeChange (node-change.ts)
//   → only in a: removed, only in b: added (with everything below when recursive)
// Nothing identical is read twice: equal subtree ids are not descended, and in a directory
// cut into pages, a page whose id is the same on both sides is skipped unread (pages are
// cut at content-defined names, so they line up again after a change). File contents are
// compared by chunk ids, never read. Items come lazily in walk order; memory is one page
// per level of depth on each side. Called by the diff route (api/routes/browse-diff.ts).
import type { Repository } from '../repository/index.js';
import { nodeChange, sameMetadata } from './node-change.js';
import type { Located } from './paths.js';
import { loadTreeBytes } from './trees.js';
import { decodeTree, NodeType, type NodeTypeCode, type TreeNode } from './tree.js';
import { joinPath, Pacer, walkTree } from './walk.js';

type TreeRepo = Pick<Repository, 'index' | 'readChunk'>;

export type DiffChange = 'added' | 'removed' | 'modified' | 'metadata';

export interface Version { node: TreeNode; path: Buffer }

export interface DiffItem {
  change: DiffChange;
  /** Where the entry is: in b, or in a when it was removed. */
  path: Buffer;
  type: NodeTypeCode;
  before: Version | null;
  after: Version | null;
}

export interface DiffOptions {
  /** Descend into changed, added and removed directories; @default true. One level
   *  (false): a directory with any difference below it is one `modified` item. */
  recursive?: boolean;
  signal?: AbortSignal;
}

export interface DiffSummary {
  added: number;
  removed: number;
  modified: number;
  metadata: number;
  /** Sizes of added files, plus the growth of modified files. */
  bytes_added: number;
  /** Sizes of removed files, plus the shrinkage of modified files. */
  bytes_removed: number;
}

export function emptySummary(): DiffSummary {
  return { added: 0, removed: 0, modified: 0, metadata: 0, bytes_added: 0, bytes_removed: 0 };
}

/** Adds one item to a summary. */
export function countItem(s: DiffSummary, it: DiffItem): void {
  s[it.change]++;
  const before = it.before?.node.type === NodeType.file ? it.before.node.size : 0;
  const after = it.after?.node.type === NodeType.file ? it.after.node.size : 0;
  if (after > before) s.bytes_added += after - before;
  else s.bytes_removed += before - after;
}

/** One directory's entries with its page ids, pages decoded only when entered. */
class DirCursor {
  private p = 0;
  private i = 0;
  private constructor(private readonly repo: TreeRepo, private readonly pages: Array<{ id: Buffer; nodes: TreeNode[] | null }>) {}

  static async open(repo: TreeRepo, id: Buffer | null): Promise<DirCursor> {
    if (!id) return new DirCursor(repo, []);
    const t = decodeTree(await loadTreeBytes(repo, id));
    return new DirCursor(repo, t.kind === 'leaf' ? [{ id, nodes: t.nodes }] : t.pages.map((p) => ({ id: p.id, nodes: null })));
  }

  /** The id of the current page when no entry of it has been consumed yet. */
  pageAtStart(): Buffer | null {
    return this.i === 0 && this.p < this.pages.length ? this.pages[this.p]!.id : null;
  }

  skipPage(): void {
    this.pages[this.p]!.nodes = null;
    this.p++;
  }

  async peek(): Promise<TreeNode | null> {
    while (this.p < this.pages.length) {
      const page = this.pages[this.p]!;
      if (!page.nodes) {
        const t = decodeTree(await loadTreeBytes(this.repo, page.id));
        page.nodes = t.kind === 'leaf' ? t.nodes : [];
      }
      if (this.i < page.nodes.length) return page.nodes[this.i]!;
      this.skipPage();
      this.i = 0;
    }
    return null;
  }

  /** Consumes the entry peek() returned. */
  advance(): void {
    const page = this.pages[this.p]!;
    if (++this.i >= (page.nodes?.length ?? 0)) {
      this.skipPage();
      this.i = 0;
    }
  }
}

class Differ {
  private readonly recursive: boolean;
  private readonly pacer: Pacer;
  constructor(private readonly repo: TreeRepo, private readonly o: DiffOptions) {
    this.recursive = o.recursive ?? true;
    this.pacer = new Pacer(10, o.signal);
  }

  async* one(change: 'added' | 'removed', v: Version): AsyncGenerator<DiffItem> {
    const item = (w: Version): DiffItem => ({
      change, path: w.path, type: w.node.type, before: change === 'removed' ? w : null, after: change === 'added' ? w : null,
    });
    yield item(v);
    if (!this.recursive || v.node.type !== NodeType.dir || !v.node.subtree) return;
    const walk = walkTree(this.repo, v.node.subtree, v.path, this.o.signal ? { signal: this.o.signal } : {});
    for await (const e of walk) yield item({ node: e.node, path: e.path });
  }

  async* pair(a: Version, b: Version): AsyncGenerator<DiffItem> {
    const c = nodeChange(a.node, b.node);
    if (c === 'same') return;
    if (c === 'type') {
      yield* this.one('removed', a);
      yield* this.one('added', b);
      return;
    }
    const item = (change: DiffChange): DiffItem => ({ change, path: b.path, type: b.node.type, before: a, after: b });
    if (c === 'metadata') {
      yield item('metadata');
    } else if (b.node.type !== NodeType.dir) {
      yield item('modified');
    } else if (!this.recursive) {
      // Subtree ids also differ when only what diff ignores changed (atime, ctime): look.
      if (await this.anyChange(a.node.subtree, b.node.subtree)) yield item('modified');
      else if (!sameMetadata(a.node, b.node)) yield item('metadata');
    } else {
      if (!sameMetadata(a.node, b.node)) yield item('metadata');
      yield* this.dirs(a.node.subtree, a.path, b.node.subtree, b.path);
    }
  }

  /** Whether anything below two directories differs; stops at the first difference. */
  private async anyChange(ta: Buffer | null, tb: Buffer | null): Promise<boolean> {
    const deep = new Differ(this.repo, { ...this.o, recursive: true });
    const root = Buffer.from('/');
    for await (const _ of deep.dirs(ta, root, tb, root)) return true;
    return false;
  }

  /** The entries of two directories, merged by name. */
  async* dirs(ta: Buffer | null, pa: Buffer, tb: Buffer | null, pb: Buffer): AsyncGenerator<DiffItem> {
    if (ta && tb && ta.equals(tb)) return;
    const ca = await DirCursor.open(this.repo, ta);
    const cb = await DirCursor.open(this.repo, tb);
    for (;;) {
      await this.pacer.tick();
      const ida = ca.pageAtStart();
      const idb = cb.pageAtStart();
      if (ida && idb && ida.equals(idb)) {
        ca.skipPage();
        cb.skipPage();
        continue;
      }
      const na = await ca.peek();
      const nb = await cb.peek();
      if (!na && !nb) return;
      const c = !na ? 1 : !nb ? -1 : Buffer.compare(na.name, nb.name);
      if (c <= 0) ca.advance();
      if (c >= 0) cb.advance();
      if (c < 0) yield* this.one('removed', { node: na!, path: joinPath(pa, na!.name) });
      else if (c > 0) yield* this.one('added', { node: nb!, path: joinPath(pb, nb!.name) });
      else yield* this.pair({ node: na!, path: joinPath(pa, na!.name) }, { node: nb!, path: joinPath(pb, nb!.name) });
    }
  }
}

/**
 * The changes from `a` to `b`, each side a located path (null: absent on that side; at
 * least one must be present). Two directories: the changes below them (not the two
 * directories themselves). Otherwise the one entry's change, with what lies below an
 * added or removed directory when recursive.
 */
export async function* diffTrees(repo: TreeRepo, a: Located | null, b: Located | null, o: DiffOptions = {}): AsyncGenerator<DiffItem> {
  const d = new Differ(repo, o);
  if (a?.tree && b?.tree) {
    yield* d.dirs(a.tree, a.path, b.tree, b.path);
    return;
  }
  const va = a?.node ? { node: a.node, path: a.path } : null;
  const vb = b?.node ? { node: b.node, path: b.path } : null;
  if (va && vb) yield* d.pair(va, vb);
  else if (va) yield* d.one('removed', va);
  else if (vb) yield* d.one('added', vb);
}
