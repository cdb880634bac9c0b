// daemon/restore/disk-writer.ts — writing restored file contents: positional writes that
// skip all-zero 4 KiB-aligned blocks (so sparse files stay sparse), ftruncate to the final
// size, and a bounded set of open handles.

import { open, constants, type FileHandle } from 'node:fs/promises';

const BLOCK = 4096;
const ZERO = Buffer.alloc(BLOCK);

/** Writes `data` at `pos`, leaving holes where whole aligned blocks are zero. */
export async function writeSparse(fh: FileHandle, data: Buffer, pos: number): Promise<void> {
  let i = 0;
  let runStart = -1;
  const flush = async (end: number): Promise<void> => {
    if (runStart >= 0) {
      let off = runStart;
      while (off < end) {
        const { bytesWritten } = await fh.write(data, off, end - off, pos + off);
        off += bytesWritten;
      }
      runStart = -1;
    }
  };
  while (i < data.length) {
    // the block containing file offset pos+i, clipped to the data
    const blockEnd = Math.min(data.length, i + (BLOCK - ((pos + i) % BLOCK)));
    const full = blockEnd - i === BLOCK;
    const zero = full && data.subarray(i, blockEnd).equals(ZERO);
    if (zero) await flush(i);
    else if (runStart < 0) runStart = i;
    i = blockEnd;
  }
  await flush(data.length);
}

export async function createFile(path: Buffer): Promise<FileHandle> {
  // Never follows a symlink planted where the file goes.
  return open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
}
