// test/helpers/repo.ts — a real repository in a temp dir with a cheap KDF, its worker pool,
// reconciled and ready; closed at teardown.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openLocalStorage } from '../../daemon/storage/index.js';
import { initStorage, openRepository, type Repository } from '../../daemon/repository/index.js';
import { reconcile } from '../../daemon/reconcile/index.js';
import { WorkerPool } from '../../daemon/workers/index.js';
import { tmpDir } from './tmp.js';

process.env.CAIRN_KDF_N ??= '1024';

interface T { teardown(fn: () => void | Promise<void>): void }

export interface TestRepo {
  repo: Repository;
  pool: WorkerPool;
  dir: string;
  location: string;
  stateDir: string;
  reopen(): Promise<Repository>;
}

export async function makeTestRepo(t: T, passphrase = 'correct horse'): Promise<TestRepo> {
  const dir = tmpDir(t);
  const location = join(dir, 'repo');
  const stateDir = join(dir, 'state');
  mkdirSync(location);
  mkdirSync(stateDir);
  const pool = new WorkerPool({ threads: 2 });
  const storage = await openLocalStorage(location);
  await initStorage(storage, passphrase);
  const open = async (): Promise<Repository> => {
    const s = await openLocalStorage(location);
    const { repo } = await openRepository(s, { name: 'test', passphrase, stateDir, pool });
    await reconcile(repo);
    return repo;
  };
  const h: TestRepo = {
    repo: await open(), pool, dir, location, stateDir,
    async reopen() {
      await h.repo.close();
      h.repo = await open();
      return h.repo;
    },
  };
  t.teardown(async () => {
    await h.repo.close().catch(() => undefined);
    await pool.close();
    await storage.close();
  });
  return h;
}
