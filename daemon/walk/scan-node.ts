// daemon/walk/scan-node.ts — one ScanNode from an lstat result: type and mode bits,
// nanosecond times, owner names (cached per id for one scan), xattrs and link target.
// Used by scan-tree only.
import { readlinkSync, type BigIntStats } from 'node:fs';
import { getgrgid, getpwuid, lgetxattrs } from '../../native/index.js';
import {
  NODE_BLOCK, NODE_CHAR, NODE_DIR, NODE_FIFO, NODE_FILE, NODE_SOCKET, NODE_SYMLINK,
  type NodeType, type ScanNode,
} from './types.js';

const S_IFMT = 0o170000n;
const TYPE_BY_FORMAT = new Map<bigint, NodeType>([
  [0o100000n, NODE_FILE], [0o040000n, NODE_DIR], [0o120000n, NODE_SYMLINK], [0o010000n, NODE_FIFO],
  [0o020000n, NODE_CHAR], [0o060000n, NODE_BLOCK], [0o140000n, NODE_SOCKET],
]);

/** The node type of an st_mode, or null for a format cairn does not know. */
export function nodeTypeOf(mode: bigint): NodeType | null {
  return TYPE_BY_FORMAT.get(mode & S_IFMT) ?? null;
}

const NS = 1_000_000_000n;

/** Nanoseconds since the epoch → [seconds (floored, may be negative), ns 0..999999999]. */
export function timespec(ns: bigint): [number, number] {
  let s = ns / NS;
  let rest = ns % NS;
  if (rest < 0n) { s -= 1n; rest += NS; }
  return [Number(s), Number(rest)];
}

/** A short description of a failed fs call, e.g. "permission denied (EACCES, scandir)";
 *  the path is left out (events carry it as bytes). */
export function describeError(e: unknown): string {
  if (e instanceof Error) {
    const err = e as NodeJS.ErrnoException;
    const m = /^[A-Z0-9_]+: ([^,]+)/.exec(err.message);
    if (err.code && m) return `${m[1]} (${err.code}${err.syscall ? ', ' + err.syscall : ''})`;
    return err.message;
  }
  return String(e);
}

/** Owner names looked up once per id for the lifetime of one scan. */
export class NameCache {
  private readonly users = new Map<number, string | null>();
  private readonly groups = new Map<number, string | null>();

  user(uid: number): string | null {
    let v = this.users.get(uid);
    if (v === undefined) { v = getpwuid(uid); this.users.set(uid, v); }
    return v;
  }

  group(gid: number): string | null {
    let v = this.groups.get(gid);
    if (v === undefined) { v = getgrgid(gid); this.groups.set(gid, v); }
    return v;
  }
}

/** Builds the node for `path`; reading xattrs or the link target may fail, which sets
 *  `error` and keeps the rest. `type` comes from nodeTypeOf(st.mode). */
export function makeNode(name: Buffer, path: Buffer, type: NodeType, st: BigIntStats, names: NameCache): ScanNode {
  const uid = Number(st.uid);
  const gid = Number(st.gid);
  const problems: string[] = [];
  let xattrs: Array<[Buffer, Buffer]> = [];
  try {
    xattrs = lgetxattrs(path);
  } catch (e) {
    problems.push(`xattrs: ${describeError(e)}`);
  }
  let target: Buffer | null = null;
  if (type === NODE_SYMLINK) {
    try {
      target = readlinkSync(path, { encoding: 'buffer' });
    } catch (e) {
      problems.push(`link target: ${describeError(e)}`);
    }
  }
  return {
    name, path, type,
    mode: Number(st.mode & 0o7777n),
    uid, gid, user: names.user(uid), group: names.group(gid),
    size: Number(st.size),
    mtime: timespec(st.mtimeNs), atime: timespec(st.atimeNs), ctime: timespec(st.ctimeNs),
    ino: Number(st.ino), nlink: Number(st.nlink), rdev: Number(st.rdev), dev: Number(st.dev),
    blocks: Number(st.blocks),
    xattrs, target,
    error: problems.length > 0 ? problems.join('; ') : null,
  };
}
