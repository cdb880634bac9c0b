// daemon/storage/local.ts — Storage on a local directory (DESIGN §3 "Storage interface").
//   put:    tmp/<random> → write → fsync → rename onto the name → fsync the directories
//   upload: tmp/<random> written through one FileHandle; commit = fsync → rename → fsync dirs
//   reads:  an LRU of open read-only handles makes ranged reads of one pack cheap
//   lock:   flock(LOCK_EX|LOCK_NB) on `<root>/lock`; the kernel drops it when we die
//   sweep:  tmp/ files not open here, then empty packs/xx/ (never while a file is being
//           placed: a rename into a directory removed under it would fail)
// No partial object is ever visible under a final name.
import { randomBytes } from 'node:crypto';
import { constants, open, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { flock } from '../../native/index.js';
import { CairnError } from '../errors.js';
import { crashPoint } from './crash.js';
import { FILE_MODE, fsyncDir, makeDirs, placeFile, writeAll } from './durable.js';
import { HandleCache } from './handle-cache.js';
import { listTree } from './list-tree.js';
import { removeEmptyPackDirs, sweepTmp } from './sweep.js';
import type { Lock, Storage, StorageEntry, SweepReport, Upload } from './types.js';

/** Open read handles kept per storage. */
const HANDLE_CACHE_SIZE = 64;
const TMP = 'tmp';

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

/** Object names are relative, '/'-separated, without empty, '.' or '..' segments. */
function checkName(name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('\0') || name.startsWith('/')
    || name.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new CairnError('invalid_params', 'bad object name', {
      object: { code: 'invalid_argument', message: `bad object name ${JSON.stringify(name)}` },
    });
  }
}

/** ENOENT and the like of an open() for reading → CairnError('not-found'). */
function mapReadError(e: unknown, name: string): unknown {
  const code = errnoOf(e);
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return new CairnError('not-found', 'object not found', { object: name });
  }
  return e;
}

class LocalUpload implements Upload {
  private written = 0;
  private state: 'open' | 'committed' | 'aborted' = 'open';
  private failed = false;
  private closed = false;

  constructor(private readonly storage: LocalStorage, private readonly fh: FileHandle, private readonly tmp: string) {}

  get size(): number {
    return this.written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.state !== 'open') throw new CairnError('internal-error', `upload is ${this.state}`);
    const position = this.written; // reserved now, so unawaited writes land in call order
    this.written += bytes.length;
    try {
      await writeAll(this.fh, bytes, position);
    } catch (e) {
      this.failed = true;
      throw e;
    }
  }

  async commit(name: string): Promise<void> {
    checkName(name);
    if (this.state !== 'open') throw new CairnError('internal-error', `upload is ${this.state}`);
    if (this.failed) throw new CairnError('internal-error', 'upload had a failed write: abort it');
    await this.fh.sync();
    await this.close();
    crashPoint('upload-tmp-written');
    await this.storage.evictHandle(name);
    await this.storage.placing(() => placeFile(this.tmp, this.storage.pathOf(name)));
    this.state = 'committed';
    this.storage.released(this.tmp);
  }

  async abort(): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'aborted';
    await this.close();
    await unlink(this.tmp).catch((e: unknown) => {
      if (errnoOf(e) !== 'ENOENT') throw e;
    });
    this.storage.released(this.tmp);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

class LocalStorage implements Storage {
  readonly location: string;
  private readonly handles = new HandleCache(HANDLE_CACHE_SIZE);
  private readonly locks = new Set<FileHandle>(); // held locks stay referenced (a collected fd would drop the lock)
  private tmpReady: Promise<void> | null = null;
  /** tmp/ files of open uploads and puts: sweep leaves them. */
  private readonly active = new Set<string>();
  /** Files being renamed into place now, and the sweep of empty directories, exclude each other. */
  private placingCount = 0;
  private sweepingDirs: Promise<void> | null = null;

  constructor(readonly root: string) {
    this.location = `fs:${root}`;
  }

  pathOf(name: string): string {
    checkName(name);
    return join(this.root, name);
  }

  evictHandle(name: string): Promise<void> {
    return this.handles.evict(name);
  }

  /** Runs `place` (a rename into a directory that may have to be made) outside a sweep. */
  async placing<T>(place: () => Promise<T>): Promise<T> {
    while (this.sweepingDirs) await this.sweepingDirs;
    this.placingCount++;
    try {
      return await place();
    } finally {
      this.placingCount--;
    }
  }

  /** A tmp/ file is no longer written through this storage (committed, aborted, or put). */
  released(tmp: string): void {
    this.active.delete(tmp);
  }

  /** A new file in tmp/; creates tmp/ (durably) on the first write, or again if it vanished. */
  private async newTmpFile(retry = true): Promise<{ fh: FileHandle; tmp: string }> {
    this.tmpReady ??= (async () => {
      for (const d of await makeDirs(join(this.root, TMP))) await fsyncDir(d);
    })().catch((e: unknown) => {
      this.tmpReady = null;
      throw e;
    });
    await this.tmpReady;
    const tmp = join(this.root, TMP, randomBytes(16).toString('hex'));
    this.active.add(tmp);
    try {
      return { fh: await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE), tmp };
    } catch (e) {
      this.active.delete(tmp);
      if (errnoOf(e) !== 'ENOENT' || !retry) throw e;
      this.tmpReady = null;
      return this.newTmpFile(false);
    }
  }

  async put(name: string, bytes: Uint8Array): Promise<void> {
    const dest = this.pathOf(name);
    const { fh, tmp } = await this.newTmpFile();
    try {
      try {
        await writeAll(fh, bytes, 0);
        await fh.sync();
      } finally {
        await fh.close();
      }
      crashPoint(`put-tmp-written:${name.split('/')[0]}`);
      await this.handles.evict(name);
      await this.placing(() => placeFile(tmp, dest));
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    } finally {
      this.active.delete(tmp);
    }
  }

  async upload(): Promise<Upload> {
    const { fh, tmp } = await this.newTmpFile();
    return new LocalUpload(this, fh, tmp);
  }

  /** Whole objects (config, keys, snapshots, a pack for --read-data) bypass the handle cache,
   *  which is kept for ranged reads of packs. */
  async get(name: string): Promise<Buffer> {
    const path = this.pathOf(name);
    try {
      const fh = await open(path, 'r');
      try {
        const { size } = await fh.stat();
        return await readExactly(fh, name, 0, size);
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw mapReadError(e, name);
    }
  }

  async getRange(name: string, offset: number, length: number): Promise<Buffer> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new CairnError('internal-error', 'bad range', { object: name, offset, length });
    }
    const path = this.pathOf(name);
    try {
      return await this.handles.use(name, path, (fh) => readExactly(fh, name, offset, length));
    } catch (e) {
      throw mapReadError(e, name);
    }
  }


  async *list(prefix: string): AsyncIterable<StorageEntry> {
    // The directories a prefix names must be valid; its last segment may be partial or empty.
    const slash = prefix.lastIndexOf('/');
    if (slash >= 0) checkName(prefix.slice(0, slash));
    yield* listTree(this.root, prefix);
  }

  async remove(name: string): Promise<void> {
    const path = this.pathOf(name);
    await this.handles.evict(name);
    await unlink(path).catch((e: unknown) => {
      if (errnoOf(e) !== 'ENOENT') throw e;
    });
  }

  async stat(name: string): Promise<{ size: number } | null> {
    const path = this.pathOf(name);
    try {
      const st = await stat(path);
      return st.isFile() ? { size: st.size } : null;
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw e;
    }
  }

  async createExclusive(name: string, bytes: Uint8Array): Promise<boolean> {
    const path = this.pathOf(name);
    const dirty = await makeDirs(dirname(path));
    let fh: FileHandle;
    try {
      fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, FILE_MODE);
    } catch (e) {
      if (errnoOf(e) === 'EEXIST') return false;
      throw e;
    }
    try {
      await writeAll(fh, bytes, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
    for (const d of dirty) await fsyncDir(d);
    return true;
  }

  async lock(): Promise<Lock> {
    const fh = await open(join(this.root, 'lock'), constants.O_RDWR | constants.O_CREAT, FILE_MODE);
    let held = false;
    try {
      held = flock(fh.fd, 'ex', true);
    } finally {
      if (!held) await fh.close();
    }
    if (!held) throw new CairnError('conflict', 'repository is locked by another process', { location: this.location });
    this.locks.add(fh);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.locks.delete(fh);
        try {
          flock(fh.fd, 'un', false);
        } finally {
          await fh.close();
        }
      },
    };
  }

  async sweep(): Promise<SweepReport> {
    const { files, bytes } = await sweepTmp(this.root, (path) => this.active.has(path));
    const out: SweepReport = { files, bytes, dirs: 0 };
    if (this.placingCount > 0 || this.sweepingDirs) return out; // a file is being placed: next time
    const dirs = removeEmptyPackDirs(this.root);
    this.sweepingDirs = dirs.then(() => undefined, () => undefined);
    try {
      out.dirs = await dirs;
    } finally {
      this.sweepingDirs = null;
    }
    return out;
  }

  async close(): Promise<void> {
    await this.handles.clear();
  }
}

/** Reads exactly `length` bytes at `offset`; fewer (the object ends first) is a short read. */
async function readExactly(fh: FileHandle, name: string, offset: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, offset + done);
    if (bytesRead === 0) throw new CairnError('internal-error', 'short read', { object: name, offset, length, read: done });
    done += bytesRead;
  }
  return buf;
}

/** Storage over the existing directory `dir` (see parseLocation); its location is `fs:<absolute dir>`. */
export async function openLocalStorage(dir: string): Promise<Storage> {
  const root = resolve(dir);
  const st = await stat(root).catch((e: unknown) => {
    if (errnoOf(e) === 'ENOENT') return null;
    throw e;
  });
  if (!st || !st.isDirectory()) {
    const message = st ? `${root} is not a directory` : `${root} does not exist`;
    throw new CairnError('invalid_params', message, { location: { code: 'invalid_argument', message } });
  }
  return new LocalStorage(root);
}
