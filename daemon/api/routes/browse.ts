// daemon/api/routes/browse.ts — looking into snapshots without reading file contents:
// vfs search, vfs errors, a file's chunks, every version of one path (locate-pathname),
// locate across snapshots, importer types; the diff route is in browse-diff.ts.
// Every walk is the lazy walker of daemon/snapshot (one page per level in memory), keeps
// only the page of answers asked for, and stops when the client goes away; vfs errors
// look up the paths of the snapshot's error page instead of walking, when it is complete.
import type {
  ChunkList, Entry, ErrorList, ImporterTypes, LocatePathnameResult, LocateResult, SearchResult,
} from '../../../shared/schemas/index.js';
import { clampLimit, LOCATE_DEFAULT_LIMIT } from '../../../shared/schemas/index.js';
import { percentEncodePath } from '../../../shared/snapshot-ref.js';
import { CairnError, invalidParam } from '../../errors.js';
import type { Registry, Repository } from '../../repository/index.js';
import {
  compileFind, entriesWithErrors, listSnapshots, lookupPath, NodeType, resolveSnapshot, splitPath, walkTree,
  type SnapshotInfo,
} from '../../snapshot/index.js';
import type { Handlers } from '../types.js';
import { disconnectSignal, locate, readable, refTarget, walking } from './browse-common.js';
import { diffHandlers } from './browse-diff.js';
import { presentEntry, presentSnapshot, rfc3339, textOf } from './present.js';
import { absolutePathBytes, queryBytes } from './query-bytes.js';
import { repoOf } from './repositories.js';
import { parseTime } from './time.js';

export interface BrowseDeps {
  registry: Registry;
}

/** Keeps the first `keep` items under `cmp` of everything offered (for sorted pages). */
class Smallest<T> {
  readonly items: T[] = [];
  constructor(private readonly keep: number, private readonly cmp: (a: T, b: T) => number) {}
  offer(x: T): void {
    const a = this.items;
    if (a.length >= this.keep && this.cmp(x, a[a.length - 1]!) >= 0) return;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(a[mid]!, x) <= 0) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, x);
    if (a.length > this.keep) a.pop();
  }
}

/** Snapshots a walk across the repository may read: complete or damaged with a root. */
function browsable(repo: Repository, sinceMs: number | null): SnapshotInfo[] {
  return listSnapshots(repo).filter((s) => s.row.time && s.row.root && s.row.status !== 'checkpoint'
    && (sinceMs === null || s.row.time[0] * 1000 + Math.floor(s.row.time[1] / 1e6) >= sinceMs));
}

export function browseHandlers(d: BrowseDeps): Handlers {
  const { registry } = d;
  return {
    ...diffHandlers(d),

    'repository.importerTypes': async (request): Promise<ImporterTypes> => {
      repoOf(registry, request.query);
      return { total: 1, items: [{ name: 'fs' }] };
    },

    'snapshot.search': async (request, reply): Promise<SearchResult> => {
      const q = request.query;
      const match = compileFind({ patterns: q.pattern ? [q.pattern] : [], mime: q.mime });
      const { repo, snap, path } = refTarget(registry, request);
      const at = await locate(repo, snap, path);
      if (!at.tree) throw invalidParam('path', 'not a directory: search looks below a directory');
      const offset = q.offset ?? 0;
      const limit = clampLimit(q.limit);
      const items: Entry[] = [];
      let total = 0;
      const signal = disconnectSignal(reply);
      await walking(async () => {
        for await (const e of walkTree(repo, at.tree!, at.path, { recursive: q.recursive !== false, signal })) {
          if (!match(e.node, e.path)) continue;
          if (total >= offset && items.length < limit) items.push(presentEntry(e.node, e.path));
          total++;
        }
      });
      return { total, has_next: offset + items.length < total, items };
    },

    'snapshot.errors': async (request, reply): Promise<ErrorList> => {
      const q = request.query;
      const { repo, snap, path } = refTarget(registry, request);
      const at = await locate(repo, snap, path);
      const offset = q.offset ?? 0;
      const limit = clampLimit(q.limit);
      const desc = q.sort === '-Name';
      const found = new Smallest<{ path: Buffer; error: string }>(offset + limit, (a, b) => (desc ? -1 : 1) * Buffer.compare(a.path, b.path));
      let total = 0;
      const source = { root: Buffer.from(snap.row.root), page: snap.row.errors ? Buffer.from(snap.row.errors) : null, count: snap.row.stats.errors };
      const signal = disconnectSignal(reply);
      await walking(async () => {
        for await (const e of entriesWithErrors(repo, source, at, signal)) {
          found.offer({ path: e.path, error: e.node.error! });
          total++;
        }
      });
      return {
        total,
        items: found.items.slice(offset).map((x) => {
          const t = textOf(x.path);
          return { name: t.text, ...(t.lossy ? { name_raw: percentEncodePath(x.path) } : {}), error: x.error };
        }),
      };
    },

    'snapshot.chunks': async (request): Promise<ChunkList> => {
      const q = request.query;
      const { repo, snap, path } = refTarget(registry, request);
      const { node } = await locate(repo, snap, path);
      if (node.type !== NodeType.file) throw invalidParam('path', 'not a file: only files have chunks');
      const content = node.content ?? [];
      const offset = q.offset ?? 0;
      const limit = clampLimit(q.limit);
      return {
        total: content.length,
        items: content.slice(offset, offset + limit).map((id) => {
          const loc = repo.index.getChunk(id);
          return { contentMAC: id.toString('hex'), length: loc ? loc.memberLen : null, group: loc?.kind === 1 };
        }),
      };
    },

    'repository.locatePathname': async (request): Promise<LocatePathnameResult> => {
      const q = request.query;
      const resource = absolutePathBytes(queryBytes(request, 'resource') ?? Buffer.from(q.resource));
      let parts: Buffer[];
      try {
        parts = splitPath(resource);
      } catch (e) {
        throw invalidParam('resource', (e as Error).message);
      }
      if (parts.length === 0) throw invalidParam('resource', 'a path below /, not / itself');
      const sinceMs = q.since ? parseTime(q.since, 'since') : null;
      const { repo } = repoOf(registry, q);
      const offset = q.offset ?? 0;
      const limit = clampLimit(q.limit);
      let snaps = browsable(repo, sinceMs).filter((s) => (q.importerType ?? 'fs') === 'fs'
        && (q.importerOrigin === undefined || s.row.host === q.importerOrigin)
        && (q.importerDirectory === undefined || s.row.paths.some((p) => Buffer.from(p).equals(Buffer.from(q.importerDirectory!)))));
      if (q.sort !== 'Timestamp') snaps = snaps.reverse();
      const items: LocatePathnameResult['items'] = [];
      let total = 0;
      for (const s of snaps) {
        let found;
        try {
          found = await lookupPath(repo, Buffer.from(s.row.root), resource);
        } catch (e) {
          // Not in this snapshot (or, in a damaged one, not readable): not a version.
          if (e instanceof CairnError && (e.code === 'not-found' || s.row.damaged)) continue;
          throw e;
        }
        if (!found.node) continue;
        if (total >= offset && items.length < limit) {
          const p = presentSnapshot(s.id, s.row);
          items.push({ snapshot: { id: p.id, timestamp: p.timestamp!, summary: p.summary! }, vfs_entry: presentEntry(found.node, found.path) });
        }
        total++;
      }
      return { total, items };
    },

    'search.locate': async (request, reply): Promise<LocateResult> => {
      const q = request.query;
      const match = compileFind({ patterns: q.patterns }, 'patterns');
      const { repo } = repoOf(registry, q);
      const sinceMs = q.since ? parseTime(q.since, 'since') : null;
      const snaps = q.snapshot ? [readable(resolveSnapshot(repo, q.snapshot, 'snapshot'))] : browsable(repo, sinceMs).reverse();
      const offset = q.offset ?? 0;
      const limit = Math.min(q.limit ?? LOCATE_DEFAULT_LIMIT, LOCATE_DEFAULT_LIMIT);
      const matches: LocateResult['matches'] = [];
      let seen = 0;
      let more = false;
      const signal = disconnectSignal(reply);
      await walking(async () => {
        for (const s of snaps) {
          const snapshot = { id: s.hex, timestamp: rfc3339(s.row.time) ?? '' };
          for await (const e of walkTree(repo, Buffer.from(s.row.root), Buffer.from('/'), { signal })) {
            if (!match(e.node, e.path)) continue;
            if (matches.length >= limit) {
              more = true;
              return;
            }
            if (seen++ < offset) continue;
            const entry = presentEntry(e.node, e.path);
            matches.push({
              snapshot, path: entry.path, ...(entry.path_raw ? { path_raw: entry.path_raw } : {}),
              type: entry.type, size: entry.size, mtime: entry.mtime,
            });
          }
        }
      });
      return { total: matches.length, has_next: more, matches };
    },
  };
}
