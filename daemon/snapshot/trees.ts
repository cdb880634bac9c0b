// daemon/snapshot/trees.ts — reading and writing directory trees through a repository.
// Reads use the LMDB `trees` cache of decrypted trees, else an authenticated unit read
// (then cached). Writing cuts a big directory into pages (DESIGN §3) and stores each page.

import xxhash from 'xxhash-wasm';
import { CairnError } from '../errors.js';
import type { Repository, Session } from '../repository/index.js';
import { decodeTree, encodeLeaf, encodeIndexPage, type TreeNode, type TreePage } from './tree.js';

type TreeRepo = Pick<Repository, 'index' | 'readChunk'>;

let h64: ((b: Uint8Array, seed?: bigint) => bigint) | null = null;
export async function initTrees(): Promise<void> {
  if (!h64) h64 = (await xxhash()).h64Raw;
}

/** The decoded bytes of a tree unit; `fromStorage` skips the cache (check). */
export async function loadTreeBytes(repo: TreeRepo, id: Buffer, fromStorage = false): Promise<Buffer> {
  if (!fromStorage) {
    const cached = repo.index.getTree(id);
    if (cached) return cached;
  }
  const bytes = await repo.readChunk(id);
  if (!fromStorage) await repo.index.putTree(id, bytes);
  return bytes;
}

/** Every entry of a directory, pages resolved, in name order. */
export async function loadDir(repo: TreeRepo, id: Buffer): Promise<TreeNode[]> {
  const t = decodeTree(await loadTreeBytes(repo, id));
  if (t.kind === 'leaf') return t.nodes;
  const out: TreeNode[] = [];
  for (const p of t.pages) {
    const page = decodeTree(await loadTreeBytes(repo, p.id));
    if (page.kind !== 'leaf') throw new CairnError('internal-error', 'nested tree index pages');
    out.push(...page.nodes);
  }
  return out;
}

/** Entries of a directory one page at a time (memory bounded by a page). */
export async function* iterDir(repo: TreeRepo, id: Buffer): AsyncGenerator<TreeNode> {
  const t = decodeTree(await loadTreeBytes(repo, id));
  if (t.kind === 'leaf') {
    yield* t.nodes;
    return;
  }
  for (const p of t.pages) {
    const page = decodeTree(await loadTreeBytes(repo, p.id));
    if (page.kind !== 'leaf') throw new CairnError('internal-error', 'nested tree index pages');
    yield* page.nodes;
  }
}

/** The entry `name` in directory `id`, or null. Uses the page index to read one page. */
export async function findInDir(repo: TreeRepo, id: Buffer, name: Buffer): Promise<TreeNode | null> {
  const t = decodeTree(await loadTreeBytes(repo, id));
  let nodes: TreeNode[];
  if (t.kind === 'leaf') nodes = t.nodes;
  else {
    let pick: TreePage | null = null;
    for (const p of t.pages) {
      if (Buffer.compare(p.firstName, name) <= 0) pick = p;
      else break;
    }
    if (!pick) return null;
    const page = decodeTree(await loadTreeBytes(repo, pick.id));
    nodes = page.kind === 'leaf' ? page.nodes : [];
  }
  let lo = 0;
  let hi = nodes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = Buffer.compare(nodes[mid]!.name, name);
    if (c === 0) return nodes[mid]!;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

export interface DirPageParams { bytes: number; bits: number; minEntries: number; maxEntries: number }

/**
 * Stores one directory (nodes sorted by name) and returns its tree id. Over `bytes`
 * encoded it is cut into leaf pages after entries whose xxh64(name) has `bits` low zero
 * bits (no page under minEntries, none over maxEntries) under one index page.
 */
export async function writeDir(session: Pick<Session, 'storeTree'>, nodes: TreeNode[], p: DirPageParams): Promise<Buffer> {
  const whole = encodeLeaf(nodes);
  if (whole.length <= p.bytes || nodes.length <= p.minEntries) return session.storeTree(whole);
  if (!h64) await initTrees();
  const mask = (1n << BigInt(p.bits)) - 1n;
  const pages: TreePage[] = [];
  let start = 0;
  const flush = async (end: number): Promise<void> => {
    const slice = nodes.slice(start, end);
    pages.push({ firstName: slice[0]!.name, id: await session.storeTree(encodeLeaf(slice)), count: slice.length });
    start = end;
  };
  for (let i = 0; i < nodes.length; i++) {
    const n = i + 1 - start;
    if ((n >= p.minEntries && (h64!(nodes[i]!.name) & mask) === 0n) || n >= p.maxEntries) await flush(i + 1);
  }
  if (start < nodes.length) await flush(nodes.length);
  return session.storeTree(encodeIndexPage(pages));
}
