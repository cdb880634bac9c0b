// daemon/crypto/aead.ts — AES-256-GCM with a 16-byte tag appended. `open` returns bytes only
// after the tag verified; a failure is an AuthError (a CairnError, 'unprocessable').

import { createCipheriv, createDecipheriv } from 'node:crypto';
import { CairnError } from '../errors.js';

export const TAG_SIZE = 16;
export const NONCE_SIZE = 12;
export const KEY_SIZE = 32;

/** Sealed bytes did not authenticate: wrong key, nonce or AAD, or damaged bytes. */
export class AuthError extends CairnError {
  constructor(params: Record<string, unknown> = {}) {
    super('unprocessable', 'authentication failed', params);
    this.name = 'AuthError';
  }
}

export function isAuthError(e: unknown): e is AuthError {
  return e instanceof AuthError;
}

function checkParams(key: Uint8Array, nonce: Uint8Array): void {
  if (key.length !== KEY_SIZE) throw new CairnError('internal-error', `AES-256-GCM key must be 32 bytes, not ${key.length}`);
  if (nonce.length !== NONCE_SIZE) throw new CairnError('internal-error', `AES-256-GCM nonce must be 12 bytes, not ${nonce.length}`);
}

/** AES-256-GCM(key, nonce, aad, plaintext) ‖ tag. A (key, nonce) pair must never seal twice. */
export function seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Buffer {
  checkParams(key, nonce);
  const c = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_SIZE });
  c.setAAD(aad);
  const body = c.update(plaintext);
  const fin = c.final();
  return Buffer.concat([body, fin, c.getAuthTag()], plaintext.length + TAG_SIZE);
}

/** The plaintext of `sealed` (ciphertext ‖ tag); throws AuthError unless it authenticates. */
export function open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer {
  checkParams(key, nonce);
  if (sealed.length < TAG_SIZE) throw new AuthError({ reason: 'shorter than a tag' });
  const cut = sealed.length - TAG_SIZE;
  const d = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_SIZE });
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(cut));
  const body = d.update(sealed.subarray(0, cut));
  try {
    d.final();
  } catch {
    throw new AuthError();
  }
  return body;
}
