// native/index.ts — typed door to cairn's N-API C addon (native/src/*.c), for what Node
// lacks: FastCDC split points (cdc.c), SO_PEERCRED (peercred.c), sd_notify (sd-notify.c),
// the C allocator's settings (malloc.c: mallopt, malloc_trim),
// file metadata calls a backup/restore needs (fsmeta.c: flock, utimensat/futimens with
// nanoseconds, mknod, mkfifo, xattrs, SEEK_DATA/SEEK_HOLE, getpwuid_r/getgrgid_r),
// backup's batch reader of small files on libuv's thread pool (read-small.c) and the
// cache warming ahead of a re-backup's scan (prefetch.c).
//   load: createRequire(<repo>/native/build/Release/cairn_native.node), once per thread
//   calls: synchronous (readSmallFiles: a promise); failures throw Node-style errors
//   (code, errno, syscall, path)
// Called by daemon/chunking (chunker), storage (flock), walk/restore (fsmeta), access
// (peerCred), systemd (sdNotify), daemon/memory.ts (malloc), backup/small-files.ts
// (readSmallFiles), workers/scan-worker.ts (prefetch). Loads in worker_threads too
// (no global state in C).
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** FastCDC parameters with the gear table (DESIGN §3, "fastcdc2"). */
export interface ChunkerConfig {
  /** 2048 bytes: 256 big-endian u64. */
  gear: Uint8Array;
  /** Bytes: minimum, target average and maximum chunk size; 0 < min <= avg <= max < 2^32. */
  min: number;
  avg: number;
  max: number;
  /** u64 masks: maskS before `avg` bytes, maskL after. */
  maskS: bigint;
  maskL: bigint;
}

export interface NativeChunker {
  /** End offsets (exclusive) of every complete chunk in buf, scanning from offset 0.
   *  With final=false, trailing bytes not followed by a cut are left out (the caller
   *  prepends them to the next buffer). With final=true the rest is the last chunk. */
  cuts(buf: Uint8Array, final: boolean): Uint32Array;
}

/** A timestamp: [seconds since the epoch (may be negative), nanoseconds 0..999999999]. */
export type Timespec = [bigint, number];

/** Error thrown by every call that reaches the kernel, shaped like Node's fs errors. */
export interface NativeErrnoError extends Error {
  code: string;
  errno: number;
  syscall: string;
  path?: Buffer | string;
}

interface Binding {
  createChunker(gear: Uint8Array, min: number, avg: number, max: number, maskS: bigint, maskL: bigint): NativeChunker;
  peerCred(fd: number): { pid: number; uid: number; gid: number };
  sdNotify(state: string, socketPath: string | undefined): boolean;
  flock(fd: number, op: number, nonBlocking: boolean): boolean;
  utimensat(path: Buffer | string, aSec: bigint, aNsec: number, mSec: bigint, mNsec: number, noFollow: boolean): void;
  futimens(fd: number, aSec: bigint, aNsec: number, mSec: bigint, mNsec: number): void;
  mknod(path: Buffer | string, mode: number, rdev: bigint): void;
  mkfifo(path: Buffer | string, mode: number): void;
  lgetxattrs(path: Buffer | string): Array<[Buffer, Buffer]>;
  lsetxattr(path: Buffer | string, name: Buffer, value: Buffer): void;
  fgetxattrs(fd: number): Array<[Buffer, Buffer]>;
  fsetxattr(fd: number, name: Buffer, value: Buffer): void;
  seekData(fd: number, offset: number): number;
  seekHole(fd: number, offset: number): number;
  getpwuid(uid: number): string | null;
  getgrgid(gid: number): string | null;
  mallocTune(arenaMax: number, mmapThreshold: number): boolean;
  mallocTrim(): boolean;
  readSmall(paths: Uint8Array, ends: Uint32Array, limit: number, idKey: Uint8Array, out: Uint8Array,
    lens: Uint32Array, stamps: BigInt64Array, flags: Uint8Array, errnos: Int32Array, ids: Uint8Array): Promise<number>;
  prefetchStart(roots: Uint8Array[], oneFileSystem: boolean, threads: number): PrefetchHandle;
  prefetchStop(handle: PrefetchHandle): void;
}

/** A running prefetch (prefetch.c); opaque. */
export interface PrefetchHandle { readonly __prefetch: unique symbol }

// The compiled file lives at <repo>/dist/native/index.js; the addon at <repo>/native/build.
const ADDON_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'build', 'Release', 'cairn_native.node');

let binding: Binding | undefined;

function native(): Binding {
  if (binding) return binding;
  if (!existsSync(ADDON_PATH)) throw new Error('cairn native addon is not built: run npm run bootstrap');
  binding = createRequire(import.meta.url)(ADDON_PATH) as Binding;
  return binding;
}

/** Path of the addon file this module loads. */
export const nativeAddonPath = ADDON_PATH;

/** A chunker bound to one configuration; reusable and stateless between calls. */
export function createChunker(c: ChunkerConfig): NativeChunker {
  return native().createChunker(c.gear, c.min, c.avg, c.max, c.maskS, c.maskL);
}

/** SO_PEERCRED of a connected Unix socket fd. */
export function peerCred(fd: number): { pid: number; uid: number; gid: number } {
  return native().peerCred(fd);
}

/** Sends `state` (e.g. "READY=1") as one datagram to process.env.NOTIFY_SOCKET; false when
 *  it is unset or empty. Abstract sockets ('@name') are supported; send failures throw. */
export function sdNotify(state: string): boolean {
  return native().sdNotify(state, process.env.NOTIFY_SOCKET);
}

/** glibc's allocator settings (0 leaves one alone): at most `arenaMax` arenas, and
 *  blocks of `mmapThreshold` bytes or more always mmapped (so freeing them returns them).
 *  Call first thing, before threads allocate. False where the C library has no mallopt. */
export function mallocTune(arenaMax: number, mmapThreshold: number): boolean {
  return native().mallocTune(arenaMax, mmapThreshold);
}

/** malloc_trim(0): gives free allocator pages back to the kernel. */
export function mallocTrim(): boolean {
  return native().mallocTrim();
}

const FLOCK_OPS = { ex: 2, sh: 1, un: 8 } as const; // LOCK_EX, LOCK_SH, LOCK_UN

/** flock(2) on an open file description. Returns false when nonBlocking and the lock is
 *  held elsewhere (EWOULDBLOCK); other failures throw. */
export function flock(fd: number, op: 'ex' | 'sh' | 'un', nonBlocking: boolean): boolean {
  const code = FLOCK_OPS[op];
  if (code === undefined) throw new TypeError(`flock: bad op ${String(op)}`);
  return native().flock(fd, code, nonBlocking);
}

/** Sets access and modification times in nanoseconds; noFollow sets a symlink's own times. */
export function utimensat(path: Buffer | string, atime: Timespec, mtime: Timespec, noFollow: boolean): void {
  native().utimensat(path, atime[0], atime[1], mtime[0], mtime[1], noFollow);
}

/** Sets access and modification times of an open file in nanoseconds. */
export function futimens(fd: number, atime: Timespec, mtime: Timespec): void {
  native().futimens(fd, atime[0], atime[1], mtime[0], mtime[1]);
}

/** mknod(2): mode includes the file type (S_IFCHR, S_IFBLK, S_IFIFO, S_IFREG, S_IFSOCK);
 *  rdev is st_rdev exactly as fs.lstatSync(p, {bigint: true}) reports it. */
export function mknod(path: Buffer | string, mode: number, rdev: bigint): void {
  native().mknod(path, mode, rdev);
}

/** mkfifo(3); the process umask applies. */
export function mkfifo(path: Buffer | string, mode: number): void {
  native().mkfifo(path, mode);
}

/** All extended attributes of path (not following a symlink), sorted by name bytes;
 *  [] when the file system does not support them. */
export function lgetxattrs(path: Buffer | string): Array<[Buffer, Buffer]> {
  return native().lgetxattrs(path);
}

/** Sets one extended attribute on path without following a symlink. */
export function lsetxattr(path: Buffer | string, name: Buffer, value: Buffer): void {
  native().lsetxattr(path, name, value);
}

/** All extended attributes of an open file, sorted by name bytes; [] when unsupported. */
export function fgetxattrs(fd: number): Array<[Buffer, Buffer]> {
  return native().fgetxattrs(fd);
}

/** Sets one extended attribute on an open file (restore writes xattrs through its fd). */
export function fsetxattr(fd: number, name: Buffer, value: Buffer): void {
  native().fsetxattr(fd, name, value);
}

/** lseek(fd, offset, SEEK_DATA): the next data offset at or after `offset`, -1 when none. */
export function seekData(fd: number, offset: number): number {
  return native().seekData(fd, offset);
}

/** lseek(fd, offset, SEEK_HOLE): the next hole at or after `offset` (end of file counts),
 *  -1 when offset is at or past the end. */
export function seekHole(fd: number, offset: number): number {
  return native().seekHole(fd, offset);
}

/** The user name of uid (getpwuid_r), or null when unknown. */
export function getpwuid(uid: number): string | null {
  return native().getpwuid(uid);
}

/** The group name of gid (getgrgid_r), or null when unknown. */
export function getgrgid(gid: number): string | null {
  return native().getgrgid(gid);
}

/** SmallFilesRead.flags bits. */
export const SMALL_STABLE = 1;   // size, mtime and ctime the same after the read as before
export const SMALL_GREW = 2;     // `limit` bytes or more now: not read
export const SMALL_NOROOM = 4;   // bigger than what was left of `out`: not read
export const SMALL_NOTREG = 8;   // no longer a regular file: not read

/** What readSmallFiles found, file by file (index i = paths[i]). */
export interface SmallFilesRead {
  /** Bytes of `out` used: the files read, back to back in order. */
  used: number;
  lens: Uint32Array;
  /** Four per file, from the stat before the read: size, mtime ns, ctime ns, inode. */
  stamps: BigInt64Array;
  flags: Uint8Array;
  /** errno of the call that failed for file i (open, fstat, read), 0 when none. */
  errnos: Int32Array;
  /** HMAC-SHA256(idKey, contents), 32 bytes per file read. */
  ids: Uint8Array;
}

/**
 * Reads whole small files on libuv's thread pool: for each path, open (O_NOFOLLOW,
 * O_NOATIME when allowed, never blocking on a fifo), fstat, read it all into `out`, fstat
 * again, close, and its keyed id. `out` must not be touched until the promise settles.
 */
export async function readSmallFiles(paths: Uint8Array[], limit: number, idKey: Uint8Array, out: Uint8Array): Promise<SmallFilesRead> {
  const n = paths.length;
  const ends = new Uint32Array(n);
  let total = 0;
  paths.forEach((p, i) => { ends[i] = total += p.byteLength; });
  const joined = new Uint8Array(total);
  paths.forEach((p, i) => joined.set(p, ends[i]! - p.byteLength));
  const r = {
    lens: new Uint32Array(n), stamps: new BigInt64Array(n * 4), flags: new Uint8Array(n),
    errnos: new Int32Array(n), ids: new Uint8Array(n * 32),
  };
  const used = await native().readSmall(joined, ends, limit, idKey, out, r.lens, r.stamps, r.flags, r.errnos, r.ids);
  return { used, ...r };
}

/**
 * Starts `threads` threads that read the directories under `roots` (depth-first, names
 * sorted, as the scan does) and fstat every entry, to warm the kernel's caches ahead of the
 * scan. Changes no result. With oneFileSystem it does not descend into mount points.
 */
export function prefetchStart(roots: Uint8Array[], oneFileSystem: boolean, threads: number): PrefetchHandle {
  return native().prefetchStart(roots, oneFileSystem, threads);
}

/** Stops a prefetch and waits for its threads (they stop within one directory entry). */
export function prefetchStop(handle: PrefetchHandle): void {
  native().prefetchStop(handle);
}
