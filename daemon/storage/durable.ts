// daemon/storage/durable.ts — the steps of a durable local write: write everything, fsync a
// directory, and move a finished temp file under its final name so that both the file and
// every directory entry leading to it survive a power cut. Also the whole-file version for
// small state files outside a repository (registry, keys, tokens): writeFileAtomic.
import { randomBytes } from 'node:crypto';
import { constants, mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

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

/** Writes `data` to a new, fsynced temporary file beside `file` (creating its directory)
 *  and returns the temporary file's path; on failure nothing is left behind. */
export async function writeTempBeside(file: string, data: string | Uint8Array, mode = FILE_MODE): Promise<string> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  const tmp = join(dir, `.${basename(file)}.tmp-${randomBytes(6).toString('hex')}`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fh.close();
  return tmp;
}

/** Replaces `file` with `data` atomically (a reader sees the old or the new content) and
 *  durably: temporary file, fsync, rename over the name, fsync of the directory. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = FILE_MODE): Promise<void> {
  const tmp = await writeTempBeside(file, data, mode);
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dirname(file));
}
