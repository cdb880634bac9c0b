// daemon/api/routes/registry.ts — one registered repository (API.md "Repositories"):
//   GET    /api/repositories/{name}        the entry {name, location, default}
//   PUT    /api/repositories/{name}        {name?, default?, passphrase?}: a new passphrase is
//          checked first (it must unlock the repository: 422 params.passphrase otherwise), then
//          the rename, then `default: true`; `default: false` on the default is 409 (make
//          another one the default instead) → the entry
//   DELETE /api/repositories/{name}        forgets it and its stored passphrase, never its
//          data → the entry as it was; 409 while a job of it is pending or running, and for
//          the default while others are registered
//   POST   /api/repositories/{name}/test   open, unlock and read its config → {ok, latency_ms, error?}
// The list and POST are in repositories.ts.
import type { RepositoryEntry, RepositoryTestResult } from '../../../shared/schemas/index.js';
import { CairnError } from '../../errors.js';
import type { JobManager } from '../../jobs/index.js';
import type { Registry } from '../../repository/index.js';
import type { Handlers } from '../types.js';

export interface RegistryDeps {
  registry: Registry;
  jobs: JobManager;
}

export function registryHandlers(d: RegistryDeps): Handlers {
  const { registry, jobs } = d;
  return {
    'repositories.get': async (request): Promise<RepositoryEntry> => registry.entry(request.params.name),
    'repositories.update': async (request): Promise<RepositoryEntry> => {
      const b = request.body;
      let name = registry.entry(request.params.name).name;
      if (b.default === false && registry.entry(name).default) {
        throw new CairnError('conflict', `${name} is the default repository: make another one the default instead`, { repository: name });
      }
      if (b.name !== undefined && b.name !== name && registry.list().some((e) => e.name === b.name)) {
        throw new CairnError('conflict', `a repository named ${b.name} is already registered`, { name: b.name });
      }
      if (b.passphrase !== undefined) await registry.setPassphrase(name, b.passphrase);
      if (b.name !== undefined) name = (await registry.rename(name, b.name)).name;
      if (b.default === true) await registry.setDefault(name);
      return registry.entry(name);
    },
    'repositories.delete': async (request): Promise<RepositoryEntry> => {
      const name = registry.entry(request.params.name).name;
      const busy = [...jobs.list({ status: 'running', limit: 1000 }).items, ...jobs.list({ status: 'pending', limit: 1000 }).items]
        .filter((j) => j.repository === name);
      if (busy.length > 0) {
        throw new CairnError('conflict', `${name} has ${busy.length} job(s) pending or running: wait for them or cancel them first`,
          { repository: name, jobs: busy.map((j) => j.id) });
      }
      return registry.remove(name);
    },
    'repositories.test': async (request): Promise<RepositoryTestResult> => {
      const r = await registry.test(request.params.name);
      return { ok: r.ok, latency_ms: Math.round(r.latencyMs * 1000) / 1000, ...(r.error !== undefined ? { error: r.error } : {}) };
    },
  };
}
