// daemon/restore/disk-writer.ts — writing restored file contents: positional writes that
// skip all-zero 4 KiB-aligned blocks (so sparse files stay sparse), ftruncate to the final
// size (the zero-block rule is workers/data-runs.ts, shared with the IO threads).

import { open, constants, type FileHandle } from 'node:fs/promises';
import { dataRuns } from '../workers/index.js';

/** Writes `data` at `pos`, leaving holes where whole aligned blocks are zero. */
export async function writeSparse(fh: FileHandle, data: Buffer, pos: number): Promise<void> {
  for (const [start, end] of dataRuns(data, pos)) {
    for (let off = start; off < end;) off += (await fh.write(data, off, end - off, pos + off)).bytesWritten;
  }
}

export async function createFile(path: Buffer): Promise<FileHandle> {
  // Never follows a symlink planted where the file goes.
  return open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
}
