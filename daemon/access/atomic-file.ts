// daemon/access/atomic-file.ts — small state files of the access layer (keys.json,
// admin.token, url.key), written so that a reader sees the old or the new content, never
// a mix, and the new one survives a power cut: a 0600 temporary file beside it, fsync,
// rename over the name, fsync of the directory. Called by key-store, admin-token and
// signed-url.
import { randomBytes } from 'node:crypto';
import { constants, link, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Mode of every secret file the access layer writes. */
export const SECRET_MODE = 0o600;

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function writeTemp(file: string, data: string | Uint8Array): Promise<string> {
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(file)}.tmp-${randomBytes(6).toString('hex')}`);
  const fh = await open(tmp, 'wx', SECRET_MODE);
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

/** Replaces `file` with `data` atomically and durably (mode 0600). */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = await writeTemp(file, data);
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dirname(file));
}

/** Creates `file` with `data` only if it does not exist (mode 0600; a temporary file is
 *  linked into place, so two racing creators never both win). Returns whether it was
 *  this call that created it. */
export async function createFileOnce(file: string, data: string | Uint8Array): Promise<boolean> {
  const tmp = await writeTemp(file, data);
  try {
    await link(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await fsyncDir(dirname(file));
  return true;
}

/** Deletes `file` durably; a missing file is not an error. */
/** A text file's contents, or null when it does not exist (other errors throw). */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await fsyncDir(dirname(file));
}
