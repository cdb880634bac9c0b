// daemon/access/admin-token.ts — the TCP admin token, `<state>/admin.token`: created once
// (0600, 43 letters and digits, written atomically: a temporary file linked into place,
// so two daemons never both win), then read at every start.
import { randomBytes, createHash, timingSafeEqual } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { adminTokenFile } from '../../shared/paths.js';
import { CairnError } from '../errors.js';
import { logger } from '../log.js';

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

async function readToken(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
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
  const file = adminTokenFile(stateDir);
  const existing = await readToken(file);
  if (existing) return existing;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(file), `.admin.token.tmp-${randomBytes(6).toString('hex')}`);
  const token = generateToken();
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(token + '\n');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, file);
    log.info('created the admin token', { file });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await unlink(tmp);
  }
  const token2 = await readToken(file);
  if (!token2) throw new CairnError('internal-error', `admin token file ${file} vanished`);
  return token2;
}
