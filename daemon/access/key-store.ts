// daemon/access/key-store.ts — the API keys (API.md "Access"): `$STATE/keys.json`
// (key-file.ts: 0600, replaced atomically) holds each key's id, name, role, paths, times
// and the SHA-256 of its token, never the token. A key token is `ck-<id>-<43 letters and digits>` (≈ 256
// random bits), shown once by create and rotate; it is found by its id and compared by
// hash in constant time. `$STATE/admin.token` is the key `local-admin` (role admin):
// rotating it rewrites the file, deleting it deletes the file, and a new one is created at
// open only when no admin key is left. Expiry is judged by the injected clock;
// `last_used_at` is kept in memory and written at most once a minute (and at close).
// Called by access.ts; its list/create/delete/rotate serve the keys routes.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { adminTokenFile } from '../../shared/paths.js';
import { CairnError, invalidParam } from '../errors.js';
import { logger } from '../log.js';
import {
  deleteAdminToken, ensureAdminToken, generateToken, readAdminToken, rotateAdminToken, tokensEqual,
} from './admin-token.js';
import type { AccessClock } from './clock.js';
import { iso, readKeyFile, writeKeyFile, type LocalAdminMeta, type StoredKey } from './key-file.js';
import { ADMIN_BY_TOKEN, LOCAL_ADMIN_ID, isRole, permissionsOf, type Principal, type Role } from './principal.js';

const log = logger('access');

export const KEYS_FILE = 'keys.json';
/** ms: `last_used_at` reaches the file at most this long after a use. */
export const LAST_USED_FLUSH_MS = 60_000;
/** Longest key name, and most `paths` per key. */
export const MAX_NAME_LENGTH = 100;
export const MAX_KEY_PATHS = 100;

const KEY_TOKEN = /^ck-([0-9a-f]{16})-[A-Za-z0-9]{43}$/;
const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

/** A key as the API shows it. */
export interface KeyView {
  id: string;
  name: string;
  role: Role;
  permissions: string[];
  paths: string[];
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface NewKey {
  name: string;
  role: Role;
  /** ms since the epoch, or null for never. */
  expiresAt: number | null;
  paths: readonly string[];
}

/** An allowed root as stored: absolute, no NUL, `.`/`..` resolved lexically, no trailing `/`. */
export function normalizeKeyPath(p: string): string {
  if (typeof p !== 'string' || !p.startsWith('/')) throw invalidParam('paths', `${JSON.stringify(p)} is not an absolute path`);
  if (p.includes('\0')) throw invalidParam('paths', 'a path may not contain NUL');
  return posix.normalize(p).replace(/(.)\/+$/, '$1');
}

export class KeyStore {
  readonly #stateDir: string;
  readonly #clock: AccessClock;
  #keys = new Map<string, StoredKey>();
  #adminToken: string | null = null;
  #localAdmin: LocalAdminMeta | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #flushTimer: NodeJS.Timeout | null = null;
  #closed = false;

  private constructor(stateDir: string, clock: AccessClock) {
    this.#stateDir = stateDir;
    this.#clock = clock;
  }

  get file(): string {
    return join(this.#stateDir, KEYS_FILE);
  }

  /** Loads keys.json and admin.token; creates admin.token when no admin key is left. */
  static async open(stateDir: string, clock: AccessClock): Promise<KeyStore> {
    const store = new KeyStore(stateDir, clock);
    const meta = await store.#load();
    store.#adminToken = await readAdminToken(stateDir);
    const now = clock.now();
    if (store.#adminToken === null) {
      const anyAdmin = [...store.#keys.values()].some((k) => k.role === 'admin' && !store.#expired(k, now));
      if (!anyAdmin) {
        store.#adminToken = await ensureAdminToken(stateDir);
        store.#localAdmin = { created_at: now, last_used_at: null };
        await store.#save();
      }
    } else {
      const created = meta?.created_at ?? (await stat(adminTokenFile(stateDir))).mtimeMs;
      store.#localAdmin = { created_at: Math.floor(created), last_used_at: meta?.last_used_at ?? null };
    }
    return store;
  }

  async #load(): Promise<LocalAdminMeta | null> {
    const doc = await readKeyFile(this.file);
    for (const k of doc?.keys ?? []) this.#keys.set(k.id, k);
    return doc?.localAdmin ?? null;
  }

  async #save(): Promise<void> {
    await writeKeyFile(this.file, [...this.#keys.values()], this.#adminToken !== null ? this.#localAdmin : null);
  }

  /** Runs mutations one at a time; each ends with the file written. */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #expired(k: { expires_at: number | null }, now = this.#clock.now()): boolean {
    return k.expires_at !== null && now >= k.expires_at;
  }

  #view(k: StoredKey): KeyView {
    return {
      id: k.id, name: k.name, role: k.role, permissions: permissionsOf(k.role), paths: [...k.paths],
      created_at: iso(k.created_at)!, expires_at: iso(k.expires_at), last_used_at: iso(k.last_used_at),
    };
  }

  #localAdminView(): KeyView | null {
    if (this.#adminToken === null) return null;
    const m = this.#localAdmin ?? { created_at: 0, last_used_at: null };
    return {
      id: LOCAL_ADMIN_ID, name: LOCAL_ADMIN_ID, role: 'admin', permissions: permissionsOf('admin'), paths: [],
      created_at: iso(m.created_at)!, expires_at: null, last_used_at: iso(m.last_used_at),
    };
  }

  /** Every key, `local-admin` first (while admin.token exists), then by creation. */
  list(): KeyView[] {
    const local = this.#localAdminView();
    const keys = [...this.#keys.values()].sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
    return [...(local ? [local] : []), ...keys.map((k) => this.#view(k))];
  }

  /** Creates a key; its token is returned once. Names are unique (409 otherwise). */
  create(o: NewKey): Promise<{ key: KeyView; token: string }> {
    return this.#serial(async () => {
      const name = o.name.trim();
      if (name === '' || name.length > MAX_NAME_LENGTH || /[\u0000-\u001f\u007f]/.test(name)) {
        throw invalidParam('name', `1 to ${MAX_NAME_LENGTH} characters, no control characters`);
      }
      if (!isRole(o.role)) throw invalidParam('role', 'admin, operator, reader or appender');
      if (name === LOCAL_ADMIN_ID || [...this.#keys.values()].some((k) => k.name === name)) {
        throw new CairnError('conflict', `a key named "${name}" exists`, { name });
      }
      const now = this.#clock.now();
      if (o.expiresAt !== null && o.expiresAt <= now) throw invalidParam('expires_at', 'must be in the future');
      if (o.paths.length > MAX_KEY_PATHS) throw invalidParam('paths', `at most ${MAX_KEY_PATHS} paths`);
      const paths = [...new Set(o.paths.map(normalizeKeyPath))];
      let id: string;
      do id = randomBytes(8).toString('hex'); while (this.#keys.has(id));
      const token = `ck-${id}-${generateToken()}`;
      const key: StoredKey = {
        id, name, role: o.role, paths, created_at: now, expires_at: o.expiresAt, last_used_at: null,
        hash: sha256(token).toString('hex'),
      };
      this.#keys.set(id, key);
      try {
        await this.#save();
      } catch (e) {
        this.#keys.delete(id);
        throw e;
      }
      log.info('key created', { id, name, role: key.role });
      return { key: this.#view(key), token };
    });
  }

  /** Deletes a key (404 for an unknown id); `local-admin` deletes admin.token. */
  delete(id: string): Promise<KeyView> {
    return this.#serial(async () => {
      if (id === LOCAL_ADMIN_ID) {
        const view = this.#localAdminView();
        if (!view) throw new CairnError('not-found', 'Key not found', { id });
        await deleteAdminToken(this.#stateDir);
        this.#adminToken = null;
        this.#localAdmin = null;
        await this.#save();
        log.info('key deleted', { id });
        return view;
      }
      const key = this.#keys.get(id);
      if (!key) throw new CairnError('not-found', 'Key not found', { id });
      this.#keys.delete(id);
      try {
        await this.#save();
      } catch (e) {
        this.#keys.set(id, key);
        throw e;
      }
      log.info('key deleted', { id, name: key.name });
      return this.#view(key);
    });
  }

  /** A new token for the key (the old one stops working); `local-admin` rewrites admin.token. */
  rotate(id: string): Promise<{ key: KeyView; token: string }> {
    return this.#serial(async () => {
      if (id === LOCAL_ADMIN_ID) {
        if (this.#adminToken === null) throw new CairnError('not-found', 'Key not found', { id });
        const token = await rotateAdminToken(this.#stateDir);
        this.#adminToken = token;
        log.info('key rotated', { id });
        return { key: this.#localAdminView()!, token };
      }
      const key = this.#keys.get(id);
      if (!key) throw new CairnError('not-found', 'Key not found', { id });
      const token = `ck-${id}-${generateToken()}`;
      const old = key.hash;
      key.hash = sha256(token).toString('hex');
      try {
        await this.#save();
      } catch (e) {
        key.hash = old;
        throw e;
      }
      log.info('key rotated', { id, name: key.name });
      return { key: this.#view(key), token };
    });
  }

  /** The principal a bearer token proves; 401 bad_auth for an unknown, wrong or expired one. */
  authenticate(token: string): Principal {
    const m = KEY_TOKEN.exec(token);
    if (m) {
      const key = this.#keys.get(m[1]!);
      const presented = sha256(token);
      const expected = key ? Buffer.from(key.hash, 'hex') : sha256('\0');
      if (!timingSafeEqual(presented, expected) || !key) throw new CairnError('bad_auth', 'invalid token');
      const now = this.#clock.now();
      if (this.#expired(key, now)) throw new CairnError('bad_auth', 'token expired', { key_id: key.id });
      key.last_used_at = now;
      this.#touched();
      return { kind: 'key', role: key.role, keyId: key.id, via: 'token', paths: key.paths };
    }
    if (this.#adminToken !== null && tokensEqual(token, this.#adminToken)) {
      if (this.#localAdmin) this.#localAdmin.last_used_at = this.#clock.now();
      this.#touched();
      return ADMIN_BY_TOKEN;
    }
    throw new CairnError('bad_auth', 'invalid token');
  }

  /** The principal a key id stands for while that key exists and has not expired (signed
   *  URLs); null otherwise. */
  activePrincipal(id: string, via: Principal['via']): Principal | null {
    if (id === LOCAL_ADMIN_ID) {
      return this.#adminToken === null ? null : { kind: 'admin', role: 'admin', keyId: LOCAL_ADMIN_ID, via };
    }
    const key = this.#keys.get(id);
    if (!key || this.#expired(key)) return null;
    return { kind: 'key', role: key.role, keyId: key.id, via, paths: key.paths };
  }

  #touched(): void {
    if (this.#flushTimer || this.#closed) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = null;
      void this.#serial(() => this.#save()).catch((e: unknown) => {
        log.warn('cannot record keys\' last use', { error: (e as Error).message });
      });
    }, LAST_USED_FLUSH_MS);
    this.#flushTimer.unref();
  }

  /** Writes a pending `last_used_at` and stops the timer. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#flushTimer) {
      clearTimeout(this.#flushTimer);
      this.#flushTimer = null;
      await this.#serial(() => this.#save());
    }
    await this.#queue;
  }
}
