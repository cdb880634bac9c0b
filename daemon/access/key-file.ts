// daemon/access/key-file.ts — `$STATE/keys.json`, the API keys at rest: `{v: 1, keys:
// [{id, name, role, paths, created_at, expires_at, last_used_at, hash}], local_admin?:
// {created_at, last_used_at}}` with RFC 3339 times and `hash` the hex SHA-256 of the
// token (never the token). Written atomically, 0600. A malformed file is refused (422)
// with its name, so cairnd does not start on keys it cannot read. Called by key-store.ts.
import { CairnError } from '../errors.js';
import { readTextIfExists, writeFileAtomic } from './atomic-file.js';
import { isRole, type Role } from './principal.js';

const KEY_ID = /^[0-9a-f]{16}$/;

/** A key in memory: times in ms since the epoch. */
export interface StoredKey {
  id: string;
  name: string;
  role: Role;
  paths: string[];
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  /** hex SHA-256 of the token */
  hash: string;
}

export interface LocalAdminMeta { created_at: number; last_used_at: number | null }

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function parseTimeField(v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new Error(`${what} is not a time`);
  return ms;
}

function parseStored(v: unknown, i: number): StoredKey {
  const o = v as Record<string, unknown>;
  const what = `keys[${i}]`;
  if (typeof o !== 'object' || o === null) throw new Error(`${what} is not an object`);
  if (typeof o.id !== 'string' || !KEY_ID.test(o.id)) throw new Error(`${what}.id is not 16 hex digits`);
  if (typeof o.name !== 'string' || !isRole(o.role)) throw new Error(`${what} has no name or no valid role`);
  if (typeof o.hash !== 'string' || !/^[0-9a-f]{64}$/.test(o.hash)) throw new Error(`${what}.hash is not a SHA-256`);
  const paths = Array.isArray(o.paths) && o.paths.every((p) => typeof p === 'string') ? o.paths as string[] : [];
  return {
    id: o.id, name: o.name, role: o.role, paths, hash: o.hash,
    created_at: parseTimeField(o.created_at, `${what}.created_at`) ?? 0,
    expires_at: parseTimeField(o.expires_at, `${what}.expires_at`),
    last_used_at: parseTimeField(o.last_used_at, `${what}.last_used_at`),
  };
}

/** The keys and local-admin's metadata, or null when the file does not exist. */
export async function readKeyFile(file: string): Promise<{ keys: StoredKey[]; localAdmin: LocalAdminMeta | null } | null> {
  const text = await readTextIfExists(file);
  if (text === null) return null;
  try {
    const doc = JSON.parse(text) as { keys?: unknown; local_admin?: Record<string, unknown> };
    if (!Array.isArray(doc.keys)) throw new Error('"keys" is not a list');
    const keys = doc.keys.map((v, i) => parseStored(v, i));
    if (new Set(keys.map((k) => k.id)).size !== keys.length) throw new Error('a key id appears twice');
    const la = doc.local_admin;
    const localAdmin = la
      ? { created_at: parseTimeField(la.created_at, 'local_admin.created_at') ?? 0, last_used_at: parseTimeField(la.last_used_at, 'local_admin.last_used_at') }
      : null;
    return { keys, localAdmin };
  } catch (e) {
    throw new CairnError('unprocessable', `key file ${file} is malformed: ${(e as Error).message}`);
  }
}

/** Replaces the file (atomically, durably, 0600). */
export async function writeKeyFile(file: string, keys: readonly StoredKey[], localAdmin: LocalAdminMeta | null): Promise<void> {
  const out = keys.map((k) => ({
    id: k.id, name: k.name, role: k.role, paths: k.paths, created_at: iso(k.created_at),
    expires_at: iso(k.expires_at), last_used_at: iso(k.last_used_at), hash: k.hash,
  }));
  const la = localAdmin ? { local_admin: { created_at: iso(localAdmin.created_at), last_used_at: iso(localAdmin.last_used_at) } } : {};
  await writeFileAtomic(file, JSON.stringify({ v: 1, keys: out, ...la }, null, 2) + '\n');
}
