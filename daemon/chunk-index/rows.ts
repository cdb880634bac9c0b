// daemon/chunk-index/rows.ts — the rows of the index's msgpack tables, as callers see them,
// and their stored forms where the two differ (64-bit nanosecond times are kept as decimal
// strings, since msgpackr writes large integers as floats).

/** `packs` row (key: the pack number, u32). */
export interface PackRow {
  /** SHA-256 of the pack file: its name under packs/. 32 bytes. */
  id: Buffer;
  /** 0 data, 1 tree (the trailer's top-level kind). */
  kind: 0 | 1;
  /** File size in bytes. */
  size: number;
  /** Number of units in the pack. */
  units: number;
  /** The pack salt from its header. 16 bytes. */
  salt: Buffer;
  /** Set by prune (condemnPacks): sessions treat its chunks as absent. */
  condemned: boolean;
  /** Index generation when the pack was added, or when it was condemned. */
  generation: number;
  /** Milliseconds since the epoch. */
  addedAt: number;
}

/** `files` row: the files cache entry of one file, as stat saw it when it was backed up. */
export interface FilesRow {
  size: number;
  mtimeNs: bigint;
  ctimeNs: bigint;
  ino: number;
  /** The file's chunk ids, in order, each with the pack number it was found in. */
  chunks: Array<[Buffer, number]>;
}

/** One files-cache entry to write: key = dirHash (8-byte xxh64 of the directory's absolute
 *  path bytes) ‖ name (the file's name bytes). */
export interface FilesEntry {
  dirHash: Uint8Array;
  name: Uint8Array;
  row: FilesRow;
}

/** `sessions` row: one backup session writing to the repository. */
export interface SessionRow {
  pid: number;
  /** Milliseconds since the epoch. */
  startedAt: number;
  /** Index generation when the session started. */
  generation: number;
  host: string;
}

/** `verify` row: when a pack's data was last read and authenticated in full. */
export interface VerifyRow {
  /** Milliseconds since the epoch. */
  checkedAt: number;
}

/** `snapshots` row: opaque to the index; the repository defines its fields. */
export type SnapshotRow = Record<string, unknown>;

/** `trash` row (key: the snapshot id): a forgotten snapshot's row; opaque to the index. */
export type TrashRow = Record<string, unknown>;

/** `meta` values. */
export interface MetaValues {
  /** Bumped by nextGeneration() and condemnPacks(). */
  generation: number;
  /** Last pack number handed out by addPack(). */
  packCounter: number;
  /** Layout of this index (INDEX_FORMAT_VERSION); set when the index is created. */
  formatVersion: number;
  /** The storage location the index was built for. */
  location: string;
  repositoryId: string;
}

/** The meta keys callers set; the others are kept by the index itself. */
export type SettableMeta = 'location' | 'repositoryId';

export interface StoredFilesRow {
  size: number;
  mtimeNs: string;
  ctimeNs: string;
  ino: number;
  chunks: Array<[Buffer, number]>;
}

export function storeFilesRow(r: FilesRow): StoredFilesRow {
  return { size: r.size, mtimeNs: r.mtimeNs.toString(), ctimeNs: r.ctimeNs.toString(), ino: r.ino, chunks: r.chunks };
}

export function loadFilesRow(s: StoredFilesRow): FilesRow {
  return { size: s.size, mtimeNs: BigInt(s.mtimeNs), ctimeNs: BigInt(s.ctimeNs), ino: s.ino, chunks: s.chunks };
}

/** A pack row with exactly the fields of PackRow (callers may pass wider objects). */
export function storePackRow(r: PackRow): PackRow {
  return {
    id: r.id, kind: r.kind, size: r.size, units: r.units, salt: r.salt,
    condemned: r.condemned, generation: r.generation, addedAt: r.addedAt,
  };
}
