// daemon/api/routes/repositories.ts — the repository routes: create, the registry list
// and POST (one entry's routes are in registry.ts), info, snapshots list, check (a job),
// and maintenance (maintenance.ts). `repoOf` resolves `?repository=NAME` for every route
// that acts on a repository (the default one without it; 404 for an unknown name).
import { arch, platform } from 'node:os';
import type {
  CheckResult, RepositoryCreateResult, RepositoryEntry, RepositoryInfo, RepositoryList, SnapshotList,
} from '../../../shared/schemas/index.js';
import { clampLimit } from '../../../shared/schemas/index.js';
import { invalidParam } from '../../errors.js';
import { check } from '../../check/index.js';
import type { Registry, Repository } from '../../repository/index.js';
import { listSnapshots } from '../../snapshot/index.js';
import { runAsJob } from '../run-as-job.js';
import type { Handlers } from '../types.js';
import { maintenanceHandlers } from './maintenance.js';
import { parseTime } from './time.js';
import { presentSnapshot, rfc3339 } from './present.js';

export interface RepositoryDeps {
  registry: Registry;
}

const DAY = 86_400_000;

/** The repository `?repository=` names (the default one when absent or empty). */
export function repoOf(registry: Registry, query: unknown): { repo: Repository; name: string } {
  const name = (query as { repository?: string } | undefined)?.repository;
  const repo = registry.get(name === '' ? undefined : name);
  return { repo, name: repo.name };
}

function info(repo: Repository): RepositoryInfo {
  const snaps = listSnapshots(repo);
  let storage = 0;
  for (const [, p] of repo.index.listPacks()) storage += p.size;
  let logical = 0;
  const perDay = new Array<number>(30).fill(0);
  const today = Math.floor(Date.now() / DAY);
  for (const s of snaps) {
    if (!s.row.time) continue;
    logical += s.row.stats.bytes;
    const age = today - Math.floor((s.row.time[0] * 1000) / DAY);
    if (age >= 0 && age < 30) perDay[29 - age]!++;
  }
  const c = repo.config;
  return {
    item: {
      location: repo.location,
      browsable: true,
      snapshots: {
        total: snaps.length,
        storage_size: storage,
        logical_size: logical,
        efficiency: logical > 0 ? Math.round(10000 * (1 - storage / logical)) / 100 : 0,
        snapshots_per_day: perDay,
      },
      configuration: {
        repository_id: c.id,
        version: c.v,
        // The format keeps no creation time: the oldest snapshot's stands in for it.
        timestamp: rfc3339(snaps.find((s) => s.row.time)?.row.time ?? [Math.floor(Date.now() / 1000), 0]) ?? '1970-01-01T00:00:00Z',
        hashing: { algorithm: 'HMAC-SHA256', bits: 256 },
        chunking: { algorithm: 'FASTCDC', min_size: c.chunker.min, normal_size: c.chunker.avg, max_size: c.chunker.max },
        compression: { algorithm: 'ZSTD', level: c.compression.dataLevel },
        encryption: { data_algorithm: 'AES256-GCM', kdf: 'SCRYPT' },
        packfile: { max_size: c.packTarget },
      },
      os: platform(),
      arch: arch(),
    },
  };
}

export function parseSubset(s: string | null | undefined): number | null {
  if (s === null || s === undefined || s === '') return null;
  const m = /^(\d+(?:\.\d+)?)%$/.exec(s);
  const v = m ? Number(m[1]) : NaN;
  if (!(v > 0 && v <= 100)) throw invalidParam('read_data_subset', 'a percentage above 0 and at most 100, like "10%"');
  return v / 100;
}

function presentCheck(r: Awaited<ReturnType<typeof check>>): CheckResult {
  return { status: r.status, checked_packs: r.checkedPacks, checked_snapshots: r.checkedSnapshots, read_bytes: r.readBytes, errors: r.errors, notes: r.notes };
}

export function repositoryHandlers(d: RepositoryDeps): Handlers {
  const { registry } = d;
  const entry = (name: string): RepositoryEntry => registry.list().find((e) => e.name === name)!;
  return {
    'repository.create': async (request): Promise<RepositoryCreateResult> => {
      const b = request.body;
      if (b.plaintext === true) throw invalidParam('plaintext', 'cairn repositories are always encrypted');
      const e = await registry.add({ location: b.location, passphrase: b.passphrase, create: true, ...(b.name !== undefined ? { name: b.name } : {}), ...(b.default !== undefined ? { default: b.default } : {}) });
      return { repository_id: registry.get(e.name).id, location: e.location, name: e.name };
    },
    'repositories.list': async (): Promise<RepositoryList> => {
      const items = registry.list();
      return { total: items.length, items };
    },
    'repositories.add': async (request): Promise<RepositoryEntry> => {
      const b = request.body;
      const e = await registry.add({ location: b.location, passphrase: b.passphrase, ...(b.create !== undefined ? { create: b.create } : {}), ...(b.name !== undefined ? { name: b.name } : {}), ...(b.default !== undefined ? { default: b.default } : {}) });
      return entry(e.name);
    },
    'repository.info': async (request): Promise<RepositoryInfo> => info(repoOf(registry, request.query).repo),
    'repository.snapshots': async (request): Promise<SnapshotList> => {
      const q = request.query;
      const { repo } = repoOf(registry, q);
      const since = q.since ? parseTime(q.since, 'since') : null;
      const until = q.until ? parseTime(q.until, 'until') : null;
      const tags = q.tag ?? [];
      const items = listSnapshots(repo).filter(({ row }) => {
        if (!row.time) return q.status !== 'checkpoint';
        if (q.status === 'checkpoint' ? row.status !== 'checkpoint' : row.status === 'checkpoint') return false;
        const ms = row.time[0] * 1000 + row.time[1] / 1e6;
        if (since !== null && ms < since) return false;
        if (until !== null && ms > until) return false;
        if (q.host && row.host !== q.host) return false;
        if (q.importer && q.importer !== 'fs') return false;
        return tags.every((t) => row.tags.includes(t));
      });
      if (q.sort === '-Timestamp') items.reverse();
      const offset = q.offset ?? 0;
      const limit = clampLimit(q.limit);
      return { total: items.length, items: items.slice(offset, offset + limit).map((s) => presentSnapshot(s.id, s.row)) };
    },
    'repository.check': async (request, reply) => {
      const b = request.body;
      const { repo, name } = repoOf(registry, request.query);
      const subset = parseSubset(b.read_data_subset);
      const readData = b.read_data === true || subset !== null;
      return runAsJob(request, reply, {
        kind: 'check', params: { ...b }, repository: name,
        run: async (ctx) => presentCheck(await check(repo, {
          readData, subset, signal: ctx.signal,
          onProgress: (p) => ctx.onProgress({ stage: p.stage, files_done: p.done, files_total: p.total, bytes_done: p.bytes }),
        })),
      });
    },
    ...maintenanceHandlers(d),
  };
}

