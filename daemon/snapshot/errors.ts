// daemon/snapshot/errors.ts — the entries of a snapshot that could not be read during the
// backup (tree nodes with `error`), at or below a path. Backup also writes every error into
// one error page (`[1, [[path, message]…]]`, at most ERROR_PAGE_MAX rows; the record's
// `errors` id): while that page is complete it names every candidate, and each is looked
// up (one directory page per path component) instead of walking the whole tree. A page
// that was cut short, or cannot be read, falls back to the walker. Called by the vfs
// errors route (api/routes/browse.ts).
import { CairnError } from '../errors.js';
import { decode } from '../msgpack.js';
import type { Repository } from '../repository/index.js';
import { lookupPath, type Located } from './paths.js';
import type { TreeNode } from './tree.js';
import { Pacer, walkTree } from './walk.js';

type TreeRepo = Pick<Repository, 'index' | 'readChunk'>;

/** The most rows backup writes into a snapshot's error page. */
export const ERROR_PAGE_MAX = 100_000;

export interface ErrorSource {
  /** The snapshot's root tree. */
  root: Buffer;
  /** Its error page id (the record's `errors`), or null when it has none. */
  page: Buffer | null;
  /** How many errors the backup met (the record's stats.errors, before any cut). */
  count: number;
}

export interface ErrorEntry { path: Buffer; node: TreeNode }

const below = (p: Buffer, dir: Buffer): boolean => (dir.length === 1 && dir[0] === 0x2f)
  || (p.length > dir.length && p[dir.length] === 0x2f && p.subarray(0, dir.length).equals(dir));

/** The paths on an error page, or null when it cannot be used. */
async function pagePaths(repo: TreeRepo, s: ErrorSource): Promise<Buffer[] | null> {
  if (!s.page || s.count > ERROR_PAGE_MAX) return null;
  try {
    const v = decode(await repo.readChunk(s.page)) as unknown;
    if (!Array.isArray(v) || v[0] !== 1 || !Array.isArray(v[1])) return null;
    return (v[1] as unknown[]).map((row) => Buffer.from((row as [Uint8Array])[0]));
  } catch (e) {
    if (e instanceof CairnError) return null;
    throw e;
  }
}

/** Entries with an error at or below `at`, in no particular order, each once. */
export async function* entriesWithErrors(repo: TreeRepo, s: ErrorSource, at: Located, signal?: AbortSignal): AsyncGenerator<ErrorEntry> {
  if (at.node?.error) yield { path: at.path, node: at.node };
  if (!at.tree || s.count === 0) return;
  const paths = await pagePaths(repo, s);
  if (!paths) {
    for await (const e of walkTree(repo, at.tree, at.path, signal ? { signal } : {})) {
      if (e.node.error !== null) yield { path: e.path, node: e.node };
    }
    return;
  }
  const pacer = new Pacer(10, signal);
  const seen = new Set<string>();
  for (const p of paths) {
    await pacer.tick();
    if (!below(p, at.path) || seen.has(p.toString('latin1'))) continue;
    seen.add(p.toString('latin1'));
    let l: Located;
    try {
      l = await lookupPath(repo, s.root, p);
    } catch (e) {
      if (e instanceof CairnError && (e.code === 'not-found' || e.code === 'invalid_params')) continue; // not in the tree
      throw e;
    }
    if (l.node?.error) yield { path: l.path, node: l.node };
  }
}
