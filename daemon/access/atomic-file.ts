// daemon/access/atomic-file.ts — small state files of the access layer (keys.json,
// admin.token, url.key), written so that a reader sees the old or the new content, never
// a mix, and the new one survives a power cut (storage's durable writes, mode 0600).
// Called by key-store, admin-token and signed-url.
import { link, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir, writeFileAtomic as writeDurably, writeTempBeside } from '../storage/index.js';

/** Mode of every secret file the access layer writes. */
export const SECRET_MODE = 0o600;

/** Replaces `file` with `data` atomically and durably (mode 0600). */
export function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  return writeDurably(file, data, SECRET_MODE);
}

/** Creates `file` with `data` only if it does not exist (mode 0600; a temporary file is
 *  linked into place, so two racing creators never both win). Returns whether it was
 *  this call that created it. */
export async function createFileOnce(file: string, data: string | Uint8Array): Promise<boolean> {
  const tmp = await writeTempBeside(file, data, SECRET_MODE);
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

/** A text file's contents, or null when it does not exist (other errors throw). */
export async function readTextIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Deletes `file` durably; a missing file is not an error. */
export async function removeFile(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  await fsyncDir(dirname(file));
}
