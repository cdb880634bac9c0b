// daemon/walk/types.ts — what the metadata scan emits: nodes (one lstat'ed entry each) and
// the event stream that describes one tree rooted at `/` in depth-first, sorted order.

/** 0 file, 1 dir, 2 symlink, 3 fifo, 4 char device, 5 block device, 6 socket (DESIGN §3). */
export type NodeType = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export const NODE_FILE = 0;
export const NODE_DIR = 1;
export const NODE_SYMLINK = 2;
export const NODE_FIFO = 3;
export const NODE_CHAR = 4;
export const NODE_BLOCK = 5;
export const NODE_SOCKET = 6;

/** One entry's metadata, from `lstat(path, {bigint: true})`. Byte strings are raw: a
 *  name may be invalid UTF-8 and is never decoded. */
export interface ScanNode {
  /** The last component of path; empty for `/`. */
  name: Buffer;
  /** Absolute path, raw bytes. */
  path: Buffer;
  type: NodeType;
  /** st_mode & 0o7777. */
  mode: number;
  uid: number;
  gid: number;
  /** Names for display (restore uses the numeric ids); null when unknown. */
  user: string | null;
  group: string | null;
  size: number;
  /** [seconds since the epoch (may be negative), nanoseconds 0..999999999]. */
  mtime: [number, number];
  atime: [number, number];
  ctime: [number, number];
  ino: number;
  nlink: number;
  rdev: number;
  dev: number;
  blocks: number;
  /** Sorted by name bytes. */
  xattrs: Array<[Buffer, Buffer]>;
  /** Symlink target bytes; null for every other type. */
  target: Buffer | null;
  /** Set when the entry could not be read fully (a directory that cannot be listed,
   *  unreadable xattrs or link target); the metadata that was read is kept. */
  error: string | null;
}

export type ScanEvent =
  /** A directory begins; its entries follow, sorted by raw name bytes (Buffer.compare). */
  | { t: 'dir'; node: ScanNode }
  /** Any non-directory entry. */
  | { t: 'entry'; node: ScanNode }
  /** The directory at path is complete. */
  | { t: 'end'; path: Buffer }
  /** Something vanished or failed with no metadata to keep. */
  | { t: 'error'; path: Buffer; message: string }
  /** Information that is not an error, e.g. "socket skipped". */
  | { t: 'note'; path: Buffer; message: string };

export interface ScanOptions {
  /** Absolute source paths: sorted, deduplicated, none inside another. A root is never
   *  excluded and is never followed when it is a symlink. */
  roots: Buffer[];
  /** restic `--exclude` patterns (see compileExcludes). */
  excludes: string[];
  /** restic `--exclude-caches`: a directory holding a valid CACHEDIR.TAG keeps only that
   *  file. */
  excludeCaches: boolean;
  /** restic `--one-file-system`: a directory on another device than its root is kept
   *  empty (the mount point), other entries on another device are left out. */
  oneFileSystem: boolean;
}
