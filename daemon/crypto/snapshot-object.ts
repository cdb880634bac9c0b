// daemon/crypto/snapshot-object.ts — sealed snapshot objects (`snapshots/<id>`):
// "CAIRNSN1" ‖ 12-byte random nonce ‖ AES-256-GCM(meta key, nonce, aad = "CAIRNSN1",
// zstd-3(record bytes)) ‖ tag. The record's msgpack is the caller's (repository/records).

import { randomBytes } from 'node:crypto';
import { compress, decompress } from 'zstd-napi';
import { CairnError } from '../errors.js';
import { seal, open, NONCE_SIZE, TAG_SIZE } from './aead.js';

const MAGIC = Buffer.from('CAIRNSN1', 'latin1');
const ZSTD_LEVEL = 3;

export interface SealSnapshotOptions {
  /** Fixed nonce (12 B), for golden vectors only. @default random */
  nonce?: Buffer;
}

export function sealSnapshot(metaKey: Uint8Array, recordBytes: Uint8Array, options: SealSnapshotOptions = {}): Buffer {
  const nonce = options.nonce ?? randomBytes(NONCE_SIZE);
  if (nonce.length !== NONCE_SIZE) throw new CairnError('internal-error', 'a snapshot nonce must be 12 bytes');
  const body = seal(metaKey, nonce, MAGIC, compress(recordBytes, { compressionLevel: ZSTD_LEVEL }));
  return Buffer.concat([MAGIC, nonce, body]);
}

/** The record bytes of a snapshot object; throws AuthError (or a CairnError) if damaged. */
export function openSnapshot(metaKey: Uint8Array, bytes: Uint8Array): Buffer {
  const head = MAGIC.length + NONCE_SIZE;
  if (bytes.length < head + TAG_SIZE || !MAGIC.equals(bytes.subarray(0, MAGIC.length))) {
    throw new CairnError('unprocessable', 'not a cairn snapshot object');
  }
  const z = open(metaKey, bytes.subarray(MAGIC.length, head), MAGIC, bytes.subarray(head));
  try {
    return decompress(z);
  } catch (e) {
    throw new CairnError('unprocessable', `snapshot object does not decompress: ${(e as Error).message}`);
  }
}
