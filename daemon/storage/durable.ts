// daemon/storage/durable.ts — the steps of a durable local write: write everything, fsync a
// directory, and move a finished temp file under its final name so that both the file and
// every directory entry leading to it survive a power cut.
import { constants, mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Mode of directories storage creates (umask applies). */
export const DIR_MODE = 0o700;
/** Mode of object files storage creates (umask applies). */
export const FILE_MODE = 0o600;

/** Writes all of `bytes` at `position` (a short write is retried, never silently lost). */
export async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/** fsync of a directory: makes the entries created or renamed in it durable. */
export async function fsyncDir(path: string): Promise<void> {
  const fh = await open(path, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** mkdir -p `dir`; returns the directories whose entries changed and need an fsync once the
 *  new file is in place: `dir` itself, plus the parent of every directory just created. */
export async function makeDirs(dir: string): Promise<string[]> {
  const first = await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const dirty = [dir];
  if (first !== undefined) {
    // Created: first, …, dir. Each one's entry lives in its parent.
    for (let d = dir; ; d = dirname(d)) {
      dirty.push(dirname(d));
      if (d === first || dirname(d) === d) break;
    }
  }
  return [...new Set(dirty)];
}

/** Renames the finished, fsynced `tmp` to `dest` (creating parent directories) and fsyncs
 *  every directory involved. `dest` is replaced atomically if it exists. */
export async function placeFile(tmp: string, dest: string): Promise<void> {
  const dirty = await makeDirs(dirname(dest));
  await rename(tmp, dest);
  for (const d of dirty) await fsyncDir(d);
}
