// daemon/snapshot/tree.ts — one directory as canonical msgpack (DESIGN §3 "Tree").
// A leaf page is `[1, entries]`; a directory too big for one page is an index page
// `[1, [], [[firstName, pageId, count]…]]` over leaf pages cut where xxh64(name) has
// `dirPage.bits` low zero bits. Entries are positional arrays sorted by raw name bytes.

import { encodeCanonical, decode } from '../msgpack.js';
import { CairnError } from '../errors.js';

export const NodeType = {
  file: 0, dir: 1, symlink: 2, fifo: 3, char: 4, block: 5, socket: 6,
} as const;
export type NodeTypeCode = 0 | 1 | 2 | 3 | 4 | 5 | 6;
export type Time = [number, number]; // seconds (may be negative), nanoseconds

export interface TreeNode {
  name: Buffer;
  type: NodeTypeCode;
  mode: number;           // st_mode & 0o7777
  uid: number;
  gid: number;
  user: string | null;
  group: string | null;
  size: number;
  mtime: Time;
  atime: Time;
  ctime: Time;
  ino: number;
  nlink: number;
  rdev: number;
  xattrs: Array<[Buffer, Buffer]>;
  target: Buffer | null;  // symlinks
  content: Buffer[] | null; // files: chunk ids in order
  subtree: Buffer | null; // directories: tree id
  error: string | null;   // could not be read during the backup
}

export interface TreePage { firstName: Buffer; id: Buffer; count: number }
export type DecodedTree = { kind: 'leaf'; nodes: TreeNode[] } | { kind: 'index'; pages: TreePage[] };

const V = 1;

function slot15(n: TreeNode): unknown {
  if (n.type === NodeType.dir) return n.subtree;
  if (n.type === NodeType.symlink) return n.target;
  if (n.type === NodeType.file) return n.content ?? [];
  return null;
}

export function nodeToArray(n: TreeNode): unknown[] {
  const a: unknown[] = [n.name, n.type, n.mode, n.uid, n.gid, n.user, n.group, n.size,
    n.mtime, n.atime, n.ctime, n.ino, n.nlink, n.rdev, n.xattrs, slot15(n)];
  if (n.error !== null) a.push(n.error);
  return a;
}

/** Encodes a leaf page; `nodes` must already be sorted by name bytes. */
export function encodeLeaf(nodes: TreeNode[]): Buffer {
  return encodeCanonical([V, nodes.map(nodeToArray)]);
}

export function encodeIndexPage(pages: TreePage[]): Buffer {
  return encodeCanonical([V, [], pages.map((p) => [p.firstName, p.id, p.count])]);
}

function bad(what: string): never {
  throw new CairnError('internal-error', `malformed tree: ${what}`);
}

function asBuf(x: unknown, what: string): Buffer {
  if (Buffer.isBuffer(x)) return x;
  if (x instanceof Uint8Array) return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return bad(what);
}

function asTime(x: unknown): Time {
  if (!Array.isArray(x) || x.length !== 2) bad('time');
  return [Number(x[0]), Number(x[1])];
}

function nodeFromArray(a: unknown): TreeNode {
  if (!Array.isArray(a) || a.length < 16) bad('entry');
  const type = Number(a[1]) as NodeTypeCode;
  const s = a[15];
  return {
    name: asBuf(a[0], 'name'),
    type,
    mode: Number(a[2]),
    uid: Number(a[3]),
    gid: Number(a[4]),
    user: (a[5] as string | null) ?? null,
    group: (a[6] as string | null) ?? null,
    size: Number(a[7]),
    mtime: asTime(a[8]),
    atime: asTime(a[9]),
    ctime: asTime(a[10]),
    ino: Number(a[11]),
    nlink: Number(a[12]),
    rdev: Number(a[13]),
    xattrs: (a[14] as unknown[]).map((kv) => {
      const p = kv as unknown[];
      return [asBuf(p[0], 'xattr'), asBuf(p[1], 'xattr')] as [Buffer, Buffer];
    }),
    target: type === NodeType.symlink && s != null ? asBuf(s, 'target') : null,
    content: type === NodeType.file ? ((s as unknown[] | null) ?? []).map((c) => asBuf(c, 'chunk id')) : null,
    subtree: type === NodeType.dir && s != null ? asBuf(s, 'subtree') : null,
    error: a.length > 16 ? String(a[16]) : null,
  };
}

export function decodeTree(bytes: Uint8Array): DecodedTree {
  const v = decode(bytes);
  if (!Array.isArray(v) || v[0] !== V) bad('version');
  if (v.length === 3) {
    return {
      kind: 'index',
      pages: (v[2] as unknown[]).map((p) => {
        const q = p as unknown[];
        return { firstName: asBuf(q[0], 'page name'), id: asBuf(q[1], 'page id'), count: Number(q[2]) };
      }),
    };
  }
  return { kind: 'leaf', nodes: (v[1] as unknown[]).map(nodeFromArray) };
}

export function compareNames(a: Buffer, b: Buffer): number {
  return Buffer.compare(a, b);
}
