// daemon/access/signed-url.ts — signed reader URLs (API.md "Files"): a GET of
// `/api/snapshot/reader/ID:/path?expires&single_use&nonce&key_id&signature` needs no token.
//   signature = hex HMAC-SHA256(url.key, "cairn/v1/url" ‖ repository id (32 B) ‖ snapshot
//   id (32 B) ‖ u32 path length ‖ path bytes ‖ u64 expires (s since the epoch) ‖
//   u8 single_use ‖ 16-byte nonce ‖ key id (UTF-8))
// `$STATE/url.key` is 32 random bytes, 0600, created once. A URL stops working when it
// expires (injected clock), when the key that signed it is deleted or expires, or — with
// single_use — after its first use (nonce-store.ts). Every refusal is 401 bad_auth.
// Called by access.ts (verify) and through it by the reader-sign-url route (sign).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSnapshotRef, percentEncodePath, SnapshotRefError } from '../../shared/snapshot-ref.js';
import { CairnError } from '../errors.js';
import { logger } from '../log.js';
import { createFileOnce } from './atomic-file.js';
import type { AccessClock } from './clock.js';
import { NonceStore } from './nonce-store.js';

const log = logger('access');

export const URL_KEY_FILE = 'url.key';
export const READER_PREFIX = '/api/snapshot/reader/';
/** s: a signed URL's lifetime unless the caller asks otherwise (API.md: 2 h). */
export const DEFAULT_URL_TTL_S = 7_200;
/** s: the longest lifetime a caller may ask for (30 days). */
export const MAX_URL_TTL_S = 30 * 86_400;

const DOMAIN = Buffer.from('cairn/v1/url');
const KEY_ID = /^[A-Za-z0-9-]{1,64}$/;

export interface SignedFields {
  /** The repository's id (64 hex) */
  repositoryId: string;
  /** The snapshot's full id (64 hex) */
  snapshotId: string;
  /** Absolute path bytes inside the snapshot */
  path: Uint8Array;
  /** s since the epoch */
  expires: number;
  singleUse: boolean;
  /** 16 bytes */
  nonce: Uint8Array;
  keyId: string;
}

/** 32 bytes of a 64-hex id; anything else (never expected) as its UTF-8 with its length. */
function idBytes(id: string): Buffer {
  if (/^[0-9a-f]{64}$/.test(id)) return Buffer.from(id, 'hex');
  const b = Buffer.from(id, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/** The hex HMAC of a signed URL's fields under `secret`. */
export function signatureOf(secret: Uint8Array, f: SignedFields): string {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(f.path.length);
  const exp = Buffer.alloc(8);
  exp.writeBigUInt64BE(BigInt(f.expires));
  return createHmac('sha256', secret)
    .update(DOMAIN).update(idBytes(f.repositoryId)).update(idBytes(f.snapshotId))
    .update(len).update(f.path).update(exp).update(Buffer.of(f.singleUse ? 1 : 0))
    .update(f.nonce).update(Buffer.from(f.keyId, 'utf8'))
    .digest('hex');
}

/** The reader URL (path and query, relative to the daemon's address) carrying `f`. */
export function signedReaderUrl(f: SignedFields, signature: string, repositoryName?: string): string {
  const q = new URLSearchParams({
    expires: String(f.expires), single_use: f.singleUse ? '1' : '0', nonce: Buffer.from(f.nonce).toString('hex'),
    key_id: f.keyId, signature,
  });
  if (repositoryName !== undefined) q.set('repository', repositoryName);
  return `${READER_PREFIX}${f.snapshotId}:${percentEncodePath(f.path)}?${q.toString()}`;
}

/** Bytes Node read as latin1 (unescaped non-ASCII in the request target) back to escapes. */
function escapeHighBytes(s: string): string {
  return s.replace(/[\u0080-\u00ff]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** What a request carries that claims a signature. */
export interface SignedRequest {
  fields: Omit<SignedFields, 'repositoryId'>;
  signature: string;
  /** `?repository=` or undefined for the default */
  repository: string | undefined;
}

const refuse = (message: string): CairnError => new CairnError('bad_auth', message);

/** Whether a request target is a reader URL with `signature=` in its query. */
export function hasSignature(originalUrl: string): boolean {
  const q = originalUrl.indexOf('?');
  return originalUrl.startsWith(READER_PREFIX) && q >= 0 && new URLSearchParams(originalUrl.slice(q + 1)).has('signature');
}

/** Parses a signed reader URL; 401 bad_auth when anything is missing or malformed. */
export function parseSignedUrl(originalUrl: string): SignedRequest {
  const q = originalUrl.indexOf('?');
  const pathPart = q < 0 ? originalUrl : originalUrl.slice(0, q);
  if (!pathPart.startsWith(READER_PREFIX) || q < 0) throw refuse('not a signed reader URL');
  const query = new URLSearchParams(originalUrl.slice(q + 1));
  const one = (name: string): string => {
    const all = query.getAll(name);
    if (all.length !== 1) throw refuse(`signed URL: "${name}" must appear once`);
    return all[0]!;
  };
  const signature = one('signature');
  const expires = one('expires');
  const singleUse = one('single_use');
  const nonce = one('nonce');
  const keyId = one('key_id');
  const repos = query.getAll('repository').filter((r) => r !== '');
  if (!/^[0-9a-f]{64}$/.test(signature) || !/^\d{1,12}$/.test(expires) || !/^[01]$/.test(singleUse)
    || !/^[0-9a-f]{32}$/.test(nonce) || !KEY_ID.test(keyId) || repos.length > 1) {
    throw refuse('signed URL: malformed signature parameters');
  }
  let ref;
  try {
    ref = parseSnapshotRef(escapeHighBytes(pathPart.slice(READER_PREFIX.length)));
  } catch (e) {
    if (e instanceof SnapshotRefError) throw refuse('signed URL: malformed snapshot reference');
    throw e;
  }
  if (ref.snapshot.kind !== 'id') throw refuse('signed URL: the snapshot must be named by its full id');
  return {
    fields: {
      snapshotId: ref.snapshot.id, path: ref.path, expires: Number(expires), singleUse: singleUse === '1',
      nonce: Buffer.from(nonce, 'hex'), keyId,
    },
    signature,
    repository: repos[0],
  };
}

async function loadUrlKey(stateDir: string): Promise<Buffer> {
  const file = join(stateDir, URL_KEY_FILE);
  if (await createFileOnce(file, randomBytes(32))) log.info('created the URL signing key', { file });
  const key = await readFile(file);
  if (key.length !== 32) throw new CairnError('unprocessable', `URL signing key ${file} is malformed: expected 32 bytes`);
  const mode = (await stat(file)).mode & 0o777;
  if (mode & 0o077) {
    log.warn('URL signing key was readable by others; mode set to 0600', { file, mode: mode.toString(8) });
    await chmod(file, 0o600);
  }
  return key;
}

export interface SignRequest {
  repositoryId: string;
  /** Put in the URL as `?repository=` (a non-default repository). */
  repositoryName?: string;
  snapshotId: string;
  path: Uint8Array;
  /** s; default DEFAULT_URL_TTL_S */
  ttl?: number;
  singleUse?: boolean;
  keyId: string;
}

export interface SignedUrl {
  signature: string;
  url: string;
  /** RFC 3339 */
  expires_at: string;
}

export class UrlSigner {
  readonly #secret: Buffer;
  readonly #clock: AccessClock;
  readonly #nonces: NonceStore;

  private constructor(secret: Buffer, clock: AccessClock, nonces: NonceStore) {
    this.#secret = secret;
    this.#clock = clock;
    this.#nonces = nonces;
  }

  static async open(stateDir: string, clock: AccessClock): Promise<UrlSigner> {
    return new UrlSigner(await loadUrlKey(stateDir), clock, await NonceStore.open(stateDir, clock));
  }

  sign(r: SignRequest): SignedUrl {
    const ttl = r.ttl ?? DEFAULT_URL_TTL_S;
    const expires = Math.floor(this.#clock.now() / 1000) + ttl;
    const fields: SignedFields = {
      repositoryId: r.repositoryId, snapshotId: r.snapshotId, path: r.path, expires,
      singleUse: r.singleUse === true, nonce: randomBytes(16), keyId: r.keyId,
    };
    const signature = signatureOf(this.#secret, fields);
    return { signature, url: signedReaderUrl(fields, signature, r.repositoryName), expires_at: new Date(expires * 1000).toISOString() };
  }

  /** Checks a parsed signed URL against the repository id it names, then that its key is
   *  still active, then consumes a single-use nonce. Throws 401 bad_auth for a wrong,
   *  expired or reused signature or a key deleted or expired since. */
  async verify(s: SignedRequest, repositoryId: string, keyIsActive: (keyId: string) => boolean): Promise<void> {
    const expected = Buffer.from(signatureOf(this.#secret, { ...s.fields, repositoryId }), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(s.signature, 'hex'))) throw refuse('invalid signature');
    if (Math.floor(this.#clock.now() / 1000) >= s.fields.expires) throw refuse('signed URL expired');
    if (!keyIsActive(s.fields.keyId)) throw refuse('the key that signed this URL was deleted or has expired');
    if (s.fields.singleUse && !(await this.#nonces.consume(Buffer.from(s.fields.nonce).toString('hex'), s.fields.expires))) {
      throw refuse('signed URL already used');
    }
  }
}
