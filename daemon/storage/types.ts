// daemon/storage/types.ts — the Storage contract (DESIGN §3 "Storage interface"). Every
// layer above storage sees repository files only through this: no rename, append or
// in-place update above it. Implemented by local.ts (disk) and, later, S3.

/** A streamed object named by its content once complete (packs). */
export interface Upload {
  /** Appends bytes; resolves when they are handed to the OS (not yet durable). */
  write(bytes: Uint8Array): Promise<void>;
  /** Makes the object durable under `name` (local: fsync + rename + directory fsync). */
  commit(name: string): Promise<void>;
  /** Removes the partial object; safe to call after a failed write or twice. */
  abort(): Promise<void>;
  /** Bytes written so far. */
  readonly size: number;
}

export interface StorageEntry {
  /** Name relative to the storage root, '/'-separated, e.g. `packs/ab/ab12…`. */
  name: string;
  size: number;
}

export interface Lock {
  release(): Promise<void>;
}

/** What Storage.sweep removed. */
export interface SweepReport {
  /** Abandoned temporary files removed, and their bytes. */
  files: number;
  bytes: number;
  /** Empty `packs/xx/` directories removed (0 where storage has no directories). */
  dirs: number;
}

export interface Storage {
  /** Human-readable location, e.g. `fs:/srv/backup`. */
  readonly location: string;
  /** Writes a small object atomically and durably (replaces any object of that name). */
  put(name: string, bytes: Uint8Array): Promise<void>;
  /** Starts a streamed object (see Upload). */
  upload(): Promise<Upload>;
  /** Whole object. Throws CairnError('not-found') when absent. */
  get(name: string): Promise<Buffer>;
  /** `length` bytes from `offset`; a short read past the end throws CairnError('not-found'|'internal-error'). */
  getRange(name: string, offset: number, length: number): Promise<Buffer>;
  /** Every object whose name starts with `prefix` (e.g. 'packs/'), in no particular order;
   *  never lists tmp/ unless asked for 'tmp/'. */
  list(prefix: string): AsyncIterable<StorageEntry>;
  /** Removes an object; absent is not an error. */
  remove(name: string): Promise<void>;
  /** Size of an object, or null when absent. */
  stat(name: string): Promise<{ size: number } | null>;
  /** Creates `name` only if it does not exist; false if it did. */
  createExclusive(name: string, bytes: Uint8Array): Promise<boolean>;
  /** The one-daemon-per-repository lock (local: flock LOCK_EX|LOCK_NB on `lock`).
   *  Throws CairnError('conflict') when another process holds it. */
  lock(): Promise<Lock>;
  /** Housekeeping (maintenance `cleanup`): removes the files in tmp/ that no open upload or
   *  put of this storage is writing, and empty `packs/xx/` directories. Never an object
   *  outside tmp/. Safe while backups run. */
  sweep(): Promise<SweepReport>;
  /** Closes cached file handles. */
  close(): Promise<void>;
}
