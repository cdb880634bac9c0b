// daemon/repository/open.ts — creating a repository on empty storage and opening one:
// unlock a key file with the passphrase, verify the config's MAC, open the LMDB index in
// the state dir (moved aside and rebuilt when it was built for another location).

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { CairnError } from '../errors.js';
import { logger } from '../log.js';
import { isLocalFilesystem, type Storage } from '../storage/index.js';
import {
  createKeyFile, unlockKeyFile, kdfParamsFromEnv, deriveSubkeys, gearTable, encodeConfig,
  decodeConfig, defaultConfigBody, type RepoConfig,
} from '../crypto/index.js';
import { openChunkIndex } from '../chunk-index/index.js';
import type { WorkerPool } from '../workers/index.js';
import { Repository } from './repository.js';

const log = logger('repository');

/** Writes a new repository's key file and config to empty storage. */
export async function initStorage(storage: Storage, passphrase: string): Promise<string> {
  for await (const e of storage.list('')) {
    throw new CairnError('conflict', 'the location is not empty', { location: storage.location, found: e.name });
  }
  const master = randomBytes(64);
  const keyFile = await createKeyFile(passphrase, master, kdfParamsFromEnv());
  const keys = deriveSubkeys(master);
  const id = randomBytes(32).toString('hex');
  await storage.put(`keys/${createHash('sha256').update(keyFile).digest('hex')}`, keyFile);
  await storage.put('config', encodeConfig(keys.cfg, defaultConfigBody(id)));
  return id;
}

/** True when the storage holds a cairn repository (a config object). */
export async function isRepository(storage: Storage): Promise<boolean> {
  return (await storage.stat('config')) !== null;
}

async function unlock(storage: Storage, passphrase: string): Promise<Buffer> {
  let lastError: unknown = null;
  for await (const e of storage.list('keys/')) {
    try {
      return await unlockKeyFile(await storage.get(e.name), passphrase);
    } catch (err) {
      lastError = err;
    }
  }
  if (lastError) throw lastError;
  throw new CairnError('unprocessable', 'the repository has no key files', { location: storage.location });
}

/** Unlocks the repository on `storage` with `passphrase` and reads its authenticated
 *  config, changing nothing (no lock, no index): `/api/repositories/{name}/test` and the
 *  check of a new stored passphrase. A wrong passphrase is 422 with params.passphrase. */
export async function probeRepository(storage: Storage, passphrase: string): Promise<RepoConfig> {
  if (!(await isRepository(storage))) {
    throw new CairnError('unprocessable', 'no cairn repository at this location', { location: storage.location });
  }
  const keys = deriveSubkeys(await unlock(storage, passphrase));
  return decodeConfig(keys.cfg, await storage.get('config'));
}

export interface OpenOptions {
  name: string;
  passphrase: string;
  stateDir: string;
  pool: WorkerPool;
}

/** Opens a repository; the caller runs the startup reconcile before serving it. */
export async function openRepository(storage: Storage, o: OpenOptions): Promise<{ repo: Repository; rebuild: boolean }> {
  if (!(await isRepository(storage))) {
    throw new CairnError('unprocessable', 'no cairn repository at this location', { location: storage.location });
  }
  const master = await unlock(storage, o.passphrase);
  const keys = deriveSubkeys(master);
  const config = decodeConfig(keys.cfg, await storage.get('config'));
  const dir = join(o.stateDir, config.id);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (!(await isLocalFilesystem(dir))) {
    throw new CairnError('unprocessable', 'the index must live on a local filesystem', { state_dir: o.stateDir });
  }
  const indexPath = join(dir, 'index.lmdb');
  let index: Awaited<ReturnType<typeof openChunkIndex>>;
  let rebuild = false;
  try {
    index = await openChunkIndex(indexPath);
  } catch (e) {
    // A damaged or foreign index is a cache: move it aside and rebuild from storage.
    log.error('the index cannot be opened: moving it aside to rebuild it', { index: indexPath, error: (e as Error).message });
    await rename(indexPath, `${indexPath}.broken-${Date.now()}`).catch(() => undefined);
    index = await openChunkIndex(indexPath);
    rebuild = true;
  }
  const recorded = index.getMeta('location') as string | undefined;
  if (recorded !== undefined && recorded !== storage.location) {
    log.warn('repository moved: rebuilding its index', { from: recorded, to: storage.location });
    await index.close();
    await rename(indexPath, `${indexPath}.moved-${Date.now()}`);
    index = await openChunkIndex(indexPath);
    rebuild = true;
  }
  if (recorded === undefined) {
    await index.putMeta('location', storage.location);
    await index.putMeta('repositoryId', config.id);
  }
  const repo = new Repository({ name: o.name, storage, keys, config, gear: gearTable(keys.gear), index, pool: o.pool, stateDir: dir });
  return { repo, rebuild };
}
