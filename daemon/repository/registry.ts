// daemon/repository/registry.ts — the repositories this daemon serves: the registry file
// `$STATE/repositories.json` ([{name, location, default}]) and each passphrase in
// `$STATE/secrets/<name>.passphrase` (0600), so every registered repository reopens at
// start. Opening takes the repository's lock and runs the injected `prepare` (the startup
// reconcile) before the repository is served. Entries can be renamed, made the default,
// given a new stored passphrase (once it unlocks), tested, and forgotten (never their data).

import { mkdir, readFile, rename, stat, readdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CairnError, invalidParam } from '../errors.js';
import { logger } from '../log.js';
import { openLocalStorage, parseLocation, writeFileAtomic, type Lock, type Storage } from '../storage/index.js';
import type { WorkerPool } from '../workers/index.js';
import { initStorage, isRepository, openRepository, probeRepository } from './open.js';
import type { Repository } from './repository.js';

const log = logger('registry');

export interface RepoEntry {
  name: string;
  location: string;
  default: boolean;
}

export interface AddOptions {
  name?: string;
  location: string;
  passphrase: string;
  /** Create when missing or empty; @default true */
  create?: boolean;
  default?: boolean;
}

interface Open {
  repo: Repository;
  lock: Lock;
  ready: boolean;
}

export type Prepare = (repo: Repository, rebuild: boolean) => Promise<void>;

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;


export class Registry {
  private entries: RepoEntry[] = [];
  private readonly open = new Map<string, Open>();

  private constructor(private readonly stateDir: string, private readonly pool: WorkerPool, private readonly prepare: Prepare) {}

  /** Loads the registry file and reopens every registered repository. */
  static async load(stateDir: string, pool: WorkerPool, prepare: Prepare): Promise<Registry> {
    const r = new Registry(stateDir, pool, prepare);
    await mkdir(join(stateDir, 'secrets'), { recursive: true, mode: 0o700 });
    try {
      r.entries = JSON.parse(await readFile(join(stateDir, 'repositories.json'), 'utf8')) as RepoEntry[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new CairnError('internal-error', `cannot read repositories.json: ${(e as Error).message}`);
    }
    for (const e of r.entries) {
      try {
        const pass = await readFile(r.secretPath(e.name), 'utf8');
        await r.openEntry(e, pass);
      } catch (err) {
        log.error('cannot open registered repository', { name: e.name, location: e.location, error: (err as Error).message });
      }
    }
    return r;
  }

  private secretPath(name: string): string {
    return join(this.stateDir, 'secrets', `${name}.passphrase`);
  }

  /** Where a repository's passphrase is kept (0600). */
  secretFile(name: string): string {
    return this.secretPath(name);
  }

  /** Makes `name` the default repository. */
  async setDefault(name: string): Promise<void> {
    if (!this.entries.some((e) => e.name === name)) throw new CairnError('not-found', `no repository named ${name}`, { repository: name });
    for (const e of this.entries) e.default = e.name === name;
    await this.save();
  }

  private async save(): Promise<void> {
    await writeFileAtomic(join(this.stateDir, 'repositories.json'), JSON.stringify(this.entries, null, 2) + '\n', 0o600);
  }

  list(): RepoEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** One entry; 404 for an unknown name. */
  entry(name: string): RepoEntry {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new CairnError('not-found', `no repository named ${name}`, { repository: name });
    return { ...e };
  }

  /** Renames a registered repository: its entry, its stored passphrase and the open
   *  repository (jobs already started keep the old name in their records). */
  async rename(name: string, to: string): Promise<RepoEntry> {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new CairnError('not-found', `no repository named ${name}`, { repository: name });
    if (to === name) return { ...e };
    if (!NAME_RE.test(to)) throw invalidParam('name', 'a name is 1-64 letters, digits, ".", "_" or "-"');
    if (this.entries.some((x) => x.name === to)) throw new CairnError('conflict', `a repository named ${to} is already registered`, { name: to });
    await rename(this.secretPath(name), this.secretPath(to)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    e.name = to;
    const o = this.open.get(name);
    if (o) {
      this.open.delete(name);
      this.open.set(to, o);
      o.repo.name = to;
    }
    await this.save();
    log.info('repository renamed', { from: name, to });
    return { ...e };
  }

  /** Replaces the stored passphrase once it unlocks the repository (422 with
   *  params.passphrase otherwise). The repository's keys are unchanged. */
  async setPassphrase(name: string, passphrase: string): Promise<void> {
    const e = this.entry(name);
    const storage = await openLocalStorage(parseLocation(e.location).path);
    try {
      await probeRepository(storage, passphrase);
    } finally {
      await storage.close();
    }
    await writeFileAtomic(this.secretPath(name), passphrase, 0o600);
    log.info('stored passphrase replaced', { name });
  }

  /** Opens the repository's storage beside the open one, unlocks it with the stored
   *  passphrase and reads its config; resolves with the failure instead of throwing it. */
  async test(name: string, now: () => number = () => performance.now()): Promise<{ ok: boolean; latencyMs: number; error?: string }> {
    const e = this.entry(name);
    const start = now();
    try {
      const passphrase = await readFile(this.secretPath(name), 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new CairnError('unprocessable', err.code === 'ENOENT' ? 'no stored passphrase' : `cannot read the stored passphrase: ${err.code ?? err.message}`);
      });
      const storage = await openLocalStorage(parseLocation(e.location).path);
      try {
        const config = await probeRepository(storage, passphrase);
        const o = this.open.get(name);
        if (o && o.repo.id !== config.id) throw new CairnError('conflict', `the location now holds another repository (${config.id})`);
      } finally {
        await storage.close();
      }
      return { ok: true, latencyMs: now() - start };
    } catch (err) {
      return { ok: false, latencyMs: now() - start, error: (err as Error).message };
    }
  }

  /** The repository named (the default one when `name` is undefined). */
  get(name?: string): Repository {
    const entry = name === undefined ? this.entries.find((e) => e.default) : this.entries.find((e) => e.name === name);
    if (!entry) {
      throw name === undefined
        ? new CairnError('not-found', 'no default repository; create one first', {})
        : new CairnError('not-found', `no repository named ${name}`, { repository: name });
    }
    const o = this.open.get(entry.name);
    if (!o) throw new CairnError('unavailable', `repository ${entry.name} could not be opened; see the daemon log`, { repository: entry.name });
    if (!o.ready) throw new CairnError('unavailable', `repository ${entry.name} is being rebuilt`, { repository: entry.name });
    return o.repo;
  }

  /** Every open repository (for shutdown and reconcile). */
  all(): Repository[] {
    return [...this.open.values()].map((o) => o.repo);
  }

  private uniqueName(location: string): string {
    const base = (basename(location).replace(/[^A-Za-z0-9._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'repo').slice(0, 48);
    let name = base;
    for (let i = 2; this.entries.some((e) => e.name === name); i++) name = `${base}-${i}`;
    return name;
  }

  private async openEntry(entry: RepoEntry, passphrase: string): Promise<Repository> {
    const storage = await openLocalStorage(parseLocation(entry.location).path);
    let lock: Lock | null = null;
    try {
      lock = await storage.lock();
      const { repo, rebuild } = await openRepository(storage, { name: entry.name, passphrase, stateDir: this.stateDir, pool: this.pool });
      for (const [other, o] of this.open) {
        if (o.repo.id === repo.id) {
          await repo.close();
          throw new CairnError('conflict', `this repository is already open as ${other}`, { repository: other });
        }
      }
      const o: Open = { repo, lock, ready: false };
      this.open.set(entry.name, o);
      if (rebuild) {
        // Rebuilding reads every trailer: the daemon gets ready meanwhile and this
        // repository's routes answer 503 until it is done.
        void this.prepare(repo, true).then(() => {
          o.ready = true;
          log.info('index rebuilt', { name: entry.name });
        }, (e: unknown) => log.error('index rebuild failed', { name: entry.name, error: (e as Error).message }));
        return repo;
      }
      await this.prepare(repo, false);
      o.ready = true;
      return repo;
    } catch (e) {
      this.open.delete(entry.name);
      if (lock) await lock.release();
      await storage.close().catch(() => undefined);
      throw e;
    }
  }

  /** Opens (or creates) a repository and registers it (POST /api/repositories). */
  async add(o: AddOptions): Promise<RepoEntry> {
    const { path } = parseLocation(o.location);
    const location = `fs:${path}`;
    if (o.name !== undefined && !NAME_RE.test(o.name)) throw invalidParam('name', 'a name is 1-64 letters, digits, ".", "_" or "-"');
    const name = o.name ?? this.uniqueName(path);
    if (this.entries.some((e) => e.name === name)) throw new CairnError('conflict', `a repository named ${name} is already registered`, { name });
    if (this.entries.some((e) => e.location === location)) throw new CairnError('conflict', `${location} is already registered`, { location });
    const st = await stat(path).catch(() => null);
    if (st && !st.isDirectory()) throw new CairnError('unprocessable', `${path} is not a directory`, { location: { code: 'invalid_argument', message: 'not a directory' } });
    let created = false;
    if (!st || (await readdir(path)).length === 0) {
      if (o.create === false) throw new CairnError('not-found', `no repository at ${path}`, { location });
      await mkdir(path, { recursive: true, mode: 0o700 });
      const storage = await openLocalStorage(path);
      try {
        await initStorage(storage, o.passphrase);
      } finally {
        await storage.close();
      }
      created = true;
    } else {
      const storage = await openLocalStorage(path);
      const ok = await isRepository(storage).finally(() => storage.close());
      if (!ok) throw new CairnError('unprocessable', `${path} is not empty and not a cairn repository`, { location: { code: 'invalid_argument', message: 'not a repository' } });
    }
    const entry: RepoEntry = { name, location, default: this.entries.length === 0 || o.default === true };
    await this.openEntry(entry, o.passphrase);
    if (entry.default) for (const e of this.entries) e.default = false;
    this.entries.push(entry);
    await writeFileAtomic(this.secretPath(name), o.passphrase, 0o600);
    await this.save();
    log.info(created ? 'repository created' : 'repository registered', { name, location });
    return { ...entry };
  }

  /** Forgets a repository and its stored passphrase; never deletes data (nor its index,
   *  a cache). The default goes only when it is the last one: with others registered, make
   *  one of them the default first (409 conflict otherwise), so the default never changes
   *  behind a client's back. */
  async remove(name: string): Promise<RepoEntry> {
    const i = this.entries.findIndex((e) => e.name === name);
    if (i < 0) throw new CairnError('not-found', `no repository named ${name}`, { repository: name });
    if (this.entries[i]!.default && this.entries.length > 1) {
      const others = this.entries.filter((e) => e.name !== name).map((e) => e.name);
      throw new CairnError('conflict', `${name} is the default repository: make another one the default first`, { repository: name, others });
    }
    const o = this.open.get(name);
    if (o) {
      await o.repo.close();
      await o.lock.release();
      this.open.delete(name);
    }
    const [gone] = this.entries.splice(i, 1);
    await unlink(this.secretPath(name)).catch(() => undefined);
    await this.save();
    log.info('repository forgotten (its data stays)', { name, location: gone!.location });
    return { ...gone! };
  }

  /** Marks a repository unavailable while its index is rebuilt (503 until done). */
  setReady(name: string, ready: boolean): void {
    const o = this.open.get(name);
    if (o) o.ready = ready;
  }

  async close(): Promise<void> {
    for (const [name, o] of this.open) {
      try {
        await o.repo.close();
        await o.lock.release();
      } catch (e) {
        log.warn('close failed', { name, error: (e as Error).message });
      }
    }
    this.open.clear();
  }
}

export type { Storage };
