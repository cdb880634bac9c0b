// daemon/walk/scan-tree.ts — the synchronous depth-first scan behind backup's first stage.
//   roots → a trie from `/`; each directory above a root: lstat, `dir`, the children that
//   lead to roots in byte order, `end`; each root: lstat (never followed), then, for a
//   directory, readdir → sort names by bytes → per name: exclude patterns (not for roots)
//   → lstat → `entry`, or `dir` … `end` depth-first with an explicit stack.
// Per-item problems are events, never exceptions; only bad roots throw (CairnError).
import { closeSync, lstatSync, openSync, readdirSync, readSync, type BigIntStats } from 'node:fs';
import { CairnError } from '../errors.js';
import type { ExcludeMatcher } from './exclude-matcher.js';
import { describeError, makeNode, NameCache, nodeTypeOf } from './scan-node.js';
import { NODE_DIR, NODE_SOCKET, type ScanEvent, type ScanNode, type ScanOptions } from './types.js';

const SLASH = Buffer.from('/');
const CACHEDIR_TAG = Buffer.from('CACHEDIR.TAG');
/** https://bford.info/cachedir/ — a tag file must begin with exactly these bytes. */
const CACHEDIR_SIGNATURE = Buffer.from('Signature: 8a477f597d28d172789f06886806bc55');

interface TrieNode {
  name: Buffer;
  path: Buffer;
  isRoot: boolean;
  children: Map<string, TrieNode>;
}

/** A directory being listed: its sorted names and how far we are. */
interface Frame {
  path: Buffer;
  /** ['/', component, …] for the exclude matcher. */
  parts: Buffer[];
  names: Buffer[];
  next: number;
}

interface Ctx {
  opts: ScanOptions;
  matcher: ExcludeMatcher;
  shouldStop: () => boolean;
  names: NameCache;
  usePatterns: boolean;
}

function joinPath(dir: Buffer, name: Buffer): Buffer {
  return dir.length === 1 ? Buffer.concat([SLASH, name]) : Buffer.concat([dir, SLASH, name]);
}

function badRoot(message: string): CairnError {
  return new CairnError('invalid_params', message, { paths: { code: 'invalid_argument', message } });
}

/** The roots as a trie under `/`; duplicates are merged, a root inside another throws. */
function rootTrie(roots: Buffer[]): TrieNode {
  if (roots.length === 0) throw badRoot('no paths to scan');
  const top: TrieNode = { name: Buffer.alloc(0), path: SLASH, isRoot: false, children: new Map() };
  for (const root of roots) {
    if (root[0] !== 0x2f) throw badRoot(`path is not absolute: ${root.toString()}`);
    let node = top;
    for (const c of root.toString('latin1').split('/')) {
      if (c === '') continue;
      if (c === '.' || c === '..') throw badRoot(`path is not clean: ${root.toString()}`);
      if (node.isRoot) throw badRoot(`path is inside another: ${root.toString()}`);
      let child = node.children.get(c);
      if (!child) {
        const name = Buffer.from(c, 'latin1');
        child = { name, path: joinPath(node.path, name), isRoot: false, children: new Map() };
        node.children.set(c, child);
      }
      node = child;
    }
    if (node.children.size > 0) throw badRoot(`path contains another: ${root.toString()}`);
    node.isRoot = true;
  }
  return top;
}

function sortedChildren(node: TrieNode): TrieNode[] {
  return [...node.children.values()].sort((a, b) => Buffer.compare(a.name, b.name));
}

function rootsBelow(node: TrieNode): Buffer[] {
  if (node.isRoot) return [node.path];
  return sortedChildren(node).flatMap(rootsBelow);
}

/**
 * Scans `opts.roots` and yields the events describing one tree rooted at `/`. Pure
 * synchronous work; `shouldStop` is polled between entries and ends the scan early (the
 * stream is then incomplete). Throws CairnError invalid_params for roots that are empty,
 * relative, not clean or nested.
 */
export function* scanTree(opts: ScanOptions, matcher: ExcludeMatcher, shouldStop?: () => boolean): Generator<ScanEvent> {
  const top = rootTrie(opts.roots);
  const ctx: Ctx = {
    opts, matcher, shouldStop: shouldStop ?? (() => false), names: new NameCache(),
    usePatterns: matcher.patterns.length > 0,
  };
  yield* scanAncestor(ctx, top, [SLASH]);
}

/** A directory above the roots: its metadata and only the children leading to roots. */
function* scanAncestor(ctx: Ctx, node: TrieNode, parts: Buffer[]): Generator<ScanEvent, boolean> {
  if (ctx.shouldStop()) return false;
  if (node.isRoot) return yield* scanRoot(ctx, node, parts);
  let st: BigIntStats;
  try {
    st = lstatSync(node.path, { bigint: true });
  } catch (e) {
    for (const root of rootsBelow(node)) yield { t: 'error', path: root, message: `cannot read ${node.path.toString()}: ${describeError(e)}` };
    return true;
  }
  if (nodeTypeOf(st.mode) !== NODE_DIR) {
    for (const root of rootsBelow(node)) yield { t: 'error', path: root, message: `${node.path.toString()} is not a directory` };
    return true;
  }
  yield { t: 'dir', node: makeNode(node.name, node.path, NODE_DIR, st, ctx.names) };
  for (const child of sortedChildren(node)) {
    if (!(yield* scanAncestor(ctx, child, [...parts, child.name]))) return false;
  }
  yield { t: 'end', path: node.path };
  return true;
}

/** A root: never excluded, never followed. Returns false when stopped. */
function* scanRoot(ctx: Ctx, root: TrieNode, parts: Buffer[]): Generator<ScanEvent, boolean> {
  let st: BigIntStats;
  try {
    st = lstatSync(root.path, { bigint: true });
  } catch (e) {
    yield { t: 'error', path: root.path, message: describeError(e) };
    return true;
  }
  const type = nodeTypeOf(st.mode);
  if (type === null || type === NODE_SOCKET) {
    yield { t: 'note', path: root.path, message: type === null ? 'unknown file type skipped' : 'socket skipped' };
    return true;
  }
  const node = makeNode(root.name, root.path, type, st, ctx.names);
  if (type !== NODE_DIR) {
    yield { t: 'entry', node };
    return true;
  }
  return yield* scanDirectory(ctx, node, parts);
}

/** Reads a CACHEDIR.TAG like restic: it counts when its first bytes are the signature. */
function checkCacheTag(dir: Buffer): { tagged: boolean; problem: string | null } {
  const path = joinPath(dir, CACHEDIR_TAG);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return { tagged: false, problem: `could not open exclusion tagfile: ${describeError(e)}` };
  }
  try {
    const buf = Buffer.alloc(CACHEDIR_SIGNATURE.length);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    if (got < buf.length) return { tagged: false, problem: 'invalid (too short) signature in exclusion tagfile' };
    if (!buf.equals(CACHEDIR_SIGNATURE)) return { tagged: false, problem: 'invalid signature in exclusion tagfile' };
    return { tagged: true, problem: null };
  } catch (e) {
    return { tagged: false, problem: `could not read signature from exclusion tagfile: ${describeError(e)}` };
  } finally {
    closeSync(fd);
  }
}

/** Emits `dir` for node and, when it can be listed, pushes its frame; otherwise `dir`
 *  with `error` set and `end` at once. */
function* enterDirectory(ctx: Ctx, node: ScanNode, parts: Buffer[], stack: Frame[]): Generator<ScanEvent> {
  let names: Buffer[];
  try {
    names = readdirSync(node.path, { encoding: 'buffer' });
  } catch (e) {
    node.error = `cannot list directory: ${describeError(e)}`;
    yield { t: 'dir', node };
    yield { t: 'end', path: node.path };
    return;
  }
  names.sort(Buffer.compare);
  let note: ScanEvent | null = null;
  if (ctx.opts.excludeCaches && names.some((n) => n.equals(CACHEDIR_TAG))) {
    const { tagged, problem } = checkCacheTag(node.path);
    // restic keeps the directory and its tag file, and nothing else in it.
    if (tagged) names = [CACHEDIR_TAG];
    if (problem) note = { t: 'note', path: joinPath(node.path, CACHEDIR_TAG), message: problem };
  }
  yield { t: 'dir', node };
  if (note) yield note;
  stack.push({ path: node.path, parts, names, next: 0 });
}

/** A directory root and everything below it. Returns false when stopped. */
function* scanDirectory(ctx: Ctx, rootNode: ScanNode, rootParts: Buffer[]): Generator<ScanEvent, boolean> {
  const { opts, matcher, names: nameCache } = ctx;
  const rootDev = rootNode.dev;
  const stack: Frame[] = [];
  yield* enterDirectory(ctx, rootNode, rootParts, stack);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.names.length) {
      stack.pop();
      yield { t: 'end', path: frame.path };
      continue;
    }
    if (ctx.shouldStop()) return false;
    const name = frame.names[frame.next++]!;
    const path = joinPath(frame.path, name);
    const parts = ctx.usePatterns ? [...frame.parts, name] : frame.parts;
    if (ctx.usePatterns && matcher.excludesParts(parts)) continue;
    let st: BigIntStats;
    try {
      st = lstatSync(path, { bigint: true });
    } catch (e) {
      yield { t: 'error', path, message: `vanished or unreadable: ${describeError(e)}` };
      continue;
    }
    const type = nodeTypeOf(st.mode);
    if (type === null || type === NODE_SOCKET) {
      yield { t: 'note', path, message: type === null ? 'unknown file type skipped' : 'socket skipped' };
      continue;
    }
    const otherDevice = opts.oneFileSystem && Number(st.dev) !== rootDev;
    // restic's --one-file-system: only a directory (a mount point) survives the crossing.
    if (otherDevice && type !== NODE_DIR) continue;
    const node = makeNode(name, path, type, st, nameCache);
    if (type !== NODE_DIR) {
      yield { t: 'entry', node };
    } else if (otherDevice) {
      yield { t: 'dir', node };
      yield { t: 'end', path };
    } else {
      yield* enterDirectory(ctx, node, parts, stack);
    }
  }
  return true;
}
