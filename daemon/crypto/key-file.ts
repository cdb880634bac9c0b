// daemon/crypto/key-file.ts — passphrase key files (`keys/<hex SHA-256 of the file>`): the
// 64-byte master secret wrapped under scrypt(passphrase). Canonical msgpack
// {v:1, kdf:"scrypt", N, r, p, salt (32 B), nonce (12 B), wrapped (64 B ‖ 16-byte tag)}.
// Readers take N, r, p from the file; new files take N from CAIRN_KDF_N (kdfParamsFromEnv).

import { randomBytes, scrypt } from 'node:crypto';
import { CairnError } from '../errors.js';
import { encodeCanonical, decode } from '../msgpack.js';
import { seal, open, isAuthError } from './aead.js';

export interface KdfParams {
  /** CPU/memory cost, a power of two. @default 2^17 */
  N: number;
  /** Block size. @default 8 */
  r: number;
  /** Parallelism. @default 1 */
  p: number;
}

/** scrypt may use up to this much memory (bytes); 128·N·r must stay below it. */
const SCRYPT_MAXMEM = 256 * 1024 * 1024;
const KEY_AAD = Buffer.from('cairn/v1/key', 'utf8');
const SALT_SIZE = 32;
const NONCE_SIZE = 12;
const MASTER_SIZE = 64;
const MIN_N = 2 ** 10;
/** The largest N whose scrypt fits SCRYPT_MAXMEM with r = 8 (measured: 2^18 is refused). */
const MAX_N = 2 ** 17;
const DEFAULT_N = 2 ** 17;

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n > 1 && (n & (n - 1)) === 0;
}

function scryptKey(passphrase: string | Buffer, salt: Buffer, k: KdfParams): Promise<Buffer> {
  const failed = (err: Error): CairnError =>
    new CairnError('unprocessable', `scrypt failed: ${err.message}`, { N: k.N, r: k.r, p: k.p });
  return new Promise((resolve, reject) => {
    try {
      // Parameters over maxmem throw here, synchronously; others arrive in the callback.
      scrypt(passphrase, salt, 32, { N: k.N, r: k.r, p: k.p, maxmem: SCRYPT_MAXMEM }, (err, key) => {
        if (err) reject(failed(err));
        else resolve(key);
      });
    } catch (e) {
      reject(failed(e as Error));
    }
  });
}

/** KDF parameters for new key files: N from CAIRN_KDF_N (a power of two, 2^10..2^17), r 8, p 1. */
export function kdfParamsFromEnv(env: NodeJS.ProcessEnv = process.env): KdfParams {
  const raw = env.CAIRN_KDF_N;
  if (raw === undefined || raw === '') return { N: DEFAULT_N, r: 8, p: 1 };
  const N = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!isPowerOfTwo(N) || N < MIN_N || N > MAX_N) {
    const message = `CAIRN_KDF_N must be a power of two from ${MIN_N} to ${MAX_N}, not ${JSON.stringify(raw)}`;
    throw new CairnError('invalid_params', message, { CAIRN_KDF_N: { code: 'invalid_argument', message } });
  }
  return { N, r: 8, p: 1 };
}

export interface KeyFileOptions {
  /** Fixed scrypt salt (32 B), for golden vectors only. @default random */
  salt?: Buffer;
  /** Fixed AES-GCM nonce (12 B), for golden vectors only. @default random */
  nonce?: Buffer;
}

/** A new key file wrapping `master` (64 B) under `passphrase`. */
export async function createKeyFile(passphrase: string | Buffer, master: Buffer, kdf: KdfParams,
  options: KeyFileOptions = {}): Promise<Buffer> {
  if (master.length !== MASTER_SIZE) throw new CairnError('internal-error', 'the master secret must be 64 bytes');
  if (!isPowerOfTwo(kdf.N) || kdf.N < MIN_N) throw new CairnError('internal-error', `scrypt N ${kdf.N} is not allowed`);
  const salt = options.salt ?? randomBytes(SALT_SIZE);
  const nonce = options.nonce ?? randomBytes(NONCE_SIZE);
  if (salt.length !== SALT_SIZE || nonce.length !== NONCE_SIZE) throw new CairnError('internal-error', 'bad key file salt or nonce size');
  const kek = await scryptKey(passphrase, salt, kdf);
  const wrapped = seal(kek, nonce, KEY_AAD, master);
  return encodeCanonical({ v: 1, kdf: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, salt, nonce, wrapped });
}

function malformed(reason: string): CairnError {
  return new CairnError('unprocessable', `malformed key file: ${reason}`);
}

/** The master secret in a key file; a wrong passphrase is a 422 naming `passphrase`. */
export async function unlockKeyFile(bytes: Uint8Array, passphrase: string | Buffer): Promise<Buffer> {
  let o: unknown;
  try {
    o = decode(bytes);
  } catch {
    throw malformed('not msgpack');
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw malformed('not a map');
  const f = o as Record<string, unknown>;
  if (f.v !== 1) throw malformed(`unknown version ${String(f.v)}`);
  if (f.kdf !== 'scrypt') throw malformed(`unknown kdf ${String(f.kdf)}`);
  const { N, r, p, salt, nonce, wrapped } = f;
  if (typeof N !== 'number' || !isPowerOfTwo(N) || typeof r !== 'number' || !Number.isSafeInteger(r) || r < 1
    || typeof p !== 'number' || !Number.isSafeInteger(p) || p < 1) throw malformed('bad scrypt parameters');
  if (!Buffer.isBuffer(salt) || salt.length !== SALT_SIZE) throw malformed('bad salt');
  if (!Buffer.isBuffer(nonce) || nonce.length !== NONCE_SIZE) throw malformed('bad nonce');
  if (!Buffer.isBuffer(wrapped) || wrapped.length !== MASTER_SIZE + 16) throw malformed('bad wrapped secret');
  const kek = await scryptKey(passphrase, salt, { N, r, p });
  try {
    return open(kek, nonce, KEY_AAD, wrapped);
  } catch (e) {
    if (!isAuthError(e)) throw e;
    throw new CairnError('unprocessable', 'wrong passphrase', {
      passphrase: { code: 'invalid_argument', message: 'wrong passphrase' },
    });
  }
}
