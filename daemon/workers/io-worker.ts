// daemon/workers/io-worker.ts — what the IO threads run (piscina's filename for the io
// pool): small files written whole with their metadata for restore (`writeFiles`), with
// synchronous calls. (Backup reads small files with native/'s readSmallFiles instead.)
// Its own entry, apart from the CPU worker's: IO threads start on demand and stop when
// idle, so a restore or backup often waits for one to start, and this one loads no
// chunker, pack or scan code (measured: its first task answers ~20-40 ms sooner here).
// Must not throw for per-file problems: they are returned as data.

import { closeSync, constants, ftruncateSync, openSync, writeSync } from 'node:fs';
import { applyMetaSync } from './apply-meta.js';
import { dataRuns } from './data-runs.js';
import type { IoTask, WriteFilesTask, WriteFilesResult } from './tasks.js';

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/** Writes data at 0, leaving holes for all-zero aligned 4 KiB blocks. */
function writeSparseSync(fd: number, data: Buffer): void {
  for (const [start, end] of dataRuns(data, 0)) {
    for (let off = start; off < end;) off += writeSync(fd, data, off, end - off, off);
  }
}

/** Whole files of a restore: create, write, truncate to size, close, then metadata. */
function writeFiles(t: WriteFilesTask): WriteFilesResult {
  const data = Buffer.from(t.buf);
  return {
    files: t.files.map((f) => {
      const path = Buffer.from(f.path.buffer, f.path.byteOffset, f.path.byteLength);
      let fd = -1;
      try {
        fd = openSync(path, WRITE_FLAGS, 0o600);
        writeSparseSync(fd, data.subarray(f.off, f.off + f.len));
        ftruncateSync(fd, f.size);
        closeSync(fd);
        fd = -1;
        return { ok: true as const, problems: applyMetaSync(path, f.meta, t.skipPermissions) };
      } catch (e) {
        if (fd >= 0) closeSync(fd);
        return { ok: false as const, message: (e as Error).message };
      }
    }),
  };
}

export default function run(t: IoTask): unknown {
  switch (t.task) {
    case 'writeFiles': return writeFiles(t);
  }
}
