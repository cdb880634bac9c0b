// daemon/access/admin-token.ts — the TCP admin token, `<state>/admin.token` (API.md
// "Access"; the key `local-admin`): 43 letters and digits, 0600. Created once (a temporary
// file linked into place, so two daemons never both win), read at every start, replaced
// atomically by a rotation, deleted with its key. Called by key-store.ts.
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { chmod, stat } from 'node:fs/promises';
import { adminTokenFile } from '../../shared/paths.js';
import { CairnError } from '../errors.js';
import { logger } from '../log.js';
import { createFileOnce, readTextIfExists, removeFile, writeFileAtomic } from './atomic-file.js';

const log = logger('access');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const TOKEN_LENGTH = 43; // 43 × log2(62) ≈ 256 bits
const VALID = /^[A-Za-z0-9]{32,}$/;

/** A fresh token: TOKEN_LENGTH letters and digits, uniformly random. */
export function generateToken(length = TOKEN_LENGTH): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length * 2)) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62]; // 248 = 4 × 62: no modulo bias
    }
  }
  return out;
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokensEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length === expected.length;
}

/** The admin token of this state dir, or null when the file does not exist. A loose mode
 *  is tightened to 0600; a malformed token is refused. */
export async function readAdminToken(stateDir: string): Promise<string | null> {
  const file = adminTokenFile(stateDir);
  const text = await readTextIfExists(file);
  if (text === null) return null;
  const token = text.trim();
  if (!VALID.test(token)) {
    throw new CairnError('unprocessable', `admin token file ${file} is malformed: expected 32 or more letters and digits`);
  }
  const mode = (await stat(file)).mode & 0o777;
  if (mode & 0o077) {
    log.warn('admin token file was readable by others; mode set to 0600', { file, mode: mode.toString(8) });
    await chmod(file, 0o600);
  }
  return token;
}

/** The admin token of this state dir, created if absent. */
export async function ensureAdminToken(stateDir: string): Promise<string> {
  const existing = await readAdminToken(stateDir);
  if (existing) return existing;
  const file = adminTokenFile(stateDir);
  if (await createFileOnce(file, generateToken() + '\n')) log.info('created the admin token', { file });
  const token = await readAdminToken(stateDir);
  if (!token) throw new CairnError('internal-error', `admin token file ${file} vanished`);
  return token;
}

/** Replaces the admin token (rotation of `local-admin`); returns the new one. */
export async function rotateAdminToken(stateDir: string): Promise<string> {
  const token = generateToken();
  await writeFileAtomic(adminTokenFile(stateDir), token + '\n');
  return token;
}

/** Deletes the admin token file (deletion of `local-admin`). */
export async function deleteAdminToken(stateDir: string): Promise<void> {
  await removeFile(adminTokenFile(stateDir));
}
