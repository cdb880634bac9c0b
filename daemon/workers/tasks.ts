// daemon/workers/tasks.ts — the messages between the main thread and the worker pool.
// Every task carries what it needs (keys are 32 bytes; the gear table 2 KiB), so any worker
// serves any repository. Big byte arrays travel as transferred ArrayBuffers and come back
// the same way: a buffer ping-pongs between the reader and the workers without copies.

import type { MessagePort } from 'node:worker_threads';
import type { ChunkerParams } from '../chunking/index.js';
import type { EntryMeta } from './apply-meta.js';

/** Content-defined chunking and chunk ids for one segment of a file. */
export interface ChunkIdsTask {
  task: 'chunkIds';
  buf: ArrayBuffer;
  off: number;            // the segment starts here in buf
  len: number;            // its bytes
  final: boolean;         // the segment ends the file
  gear: Uint8Array;
  params: ChunkerParams;
  idKey: Uint8Array;
}
export interface ChunkIdsResult {
  buf: ArrayBuffer;       // the input, handed back
  cuts: Uint32Array;      // end offsets of complete chunks, from `off`
  ids: Uint8Array;        // 32 bytes per cut
}

/** Write whole small files (contents, then metadata) with synchronous calls. */
export interface WriteFilesTask {
  task: 'writeFiles';
  buf: ArrayBuffer;
  files: Array<{ path: Uint8Array; off: number; len: number; size: number; meta: EntryMeta }>;
  skipPermissions: boolean;
}
export interface WriteFilesResult {
  /** per file: problems applying metadata, or the error that stopped it */
  files: Array<{ ok: true; problems: string[] } | { ok: false; message: string }>;
}

/** One unit to seal: bytes [off, off+len) of the task's buffer. */
export interface SealItem {
  off: number;
  len: number;
  unit: number;           // unit index in its pack (the nonce)
  kind: number;           // 0 data, 1 group, 2 tree, 3 error page
  id: Uint8Array;         // 32 bytes; zeros for a group
}
/** Compress (when it saves ≥ 2 %) and seal units for one pack. */
export interface SealTask {
  task: 'seal';
  buf: ArrayBuffer;
  items: SealItem[];
  packKey: Uint8Array;
  salt: Uint8Array;
  level: number;          // zstd level
}
export interface SealResult {
  buf: ArrayBuffer;       // the input, handed back
  sealed: ArrayBuffer;    // the sealed units back to back
  parts: Array<{ off: number; len: number; codec: number }>;
}

/** One sealed unit to authenticate and decode: [off, off+len) of the task's buffer. */
export interface OpenItem {
  off: number;
  len: number;
  unit: number;
  kind: number;
  codec: number;
  rawLen: number;
  id: Uint8Array;
}
export interface OpenTask {
  task: 'open';
  buf: ArrayBuffer;
  items: OpenItem[];
  packKey: Uint8Array;
  salt: Uint8Array;
  /** Re-HMAC each data chunk (kind 0) and tree against its id; and each member listed. */
  verify: { idKey: Uint8Array; members?: Array<Array<[number, number, Uint8Array]>> } | null;
  /** Also hash the whole buffer (SHA-256): check --read-data passes the whole pack. */
  digest?: boolean;
  /** Decoded bytes are not wanted back (verification only). */
  discard?: boolean;
  /** Unless discarding: where the decoded units go, back to back from `outOff`, each
   *  rawLen bytes (a unit that fails leaves its room unspecified). Sent back as `plain`. */
  out: ArrayBuffer | null;
  outOff: number;
}
export interface OpenResult {
  plain: ArrayBuffer;     // `out`, holding the decoded units (empty when discarded)
  parts: Array<{ off: number; len: number } | { error: string }>;
  sha256?: Uint8Array;
}

/** Run the metadata scan, streaming batches to `port` (see walk/). */
export interface ScanTask {
  task: 'scan';
  roots: Uint8Array[];
  excludes: string[];
  excludeCaches: boolean;
  oneFileSystem: boolean;
  /** Warm the kernel's caches ahead of the walk (native/src/prefetch.c); ignored when
   *  anything is excluded, as it would read excluded trees too, which may be huge. */
  prefetch: boolean;
  port: MessagePort;
  control: SharedArrayBuffer;
}

/** What each pool's threads run: worker.ts, io-worker.ts, scan-worker.ts. */
export type CpuTask = ChunkIdsTask | SealTask | OpenTask;
export type IoTask = WriteFilesTask;
