// daemon/api/routes/browse-diff.ts — GET /api/snapshots/{a}/diff/{b}: the changes between
// two snapshots, or between `?path=` in both (`?path_b=` names another path in b), from
// snapshot/diff.ts's merge walk; items paged, summary over all. With `?highlight=true`
// (which needs the read permission) and a file path, `unified` holds a unified diff of
// the two versions (jsdiff), up to MAX_UNIFIED_BYTES a side (read with openFileRange),
// text only (no NUL, valid UTF-8); jsdiff runs in slices so other requests go on.
import type { DiffItemJson, DiffResult } from '../../../shared/schemas/index.js';
import { clampLimit } from '../../../shared/schemas/index.js';
import { percentEncodePath } from '../../../shared/snapshot-ref.js';
import { roleAllows } from '../../access/index.js';
import { CairnError } from '../../errors.js';
import type { Registry, Repository } from '../../repository/index.js';
import {
  countItem, diffTrees, emptySummary, NodeType, readWholeFile, resolveSnapshot, sameContent, type DiffItem, type SnapshotInfo,
} from '../../snapshot/index.js';
import { principalOf } from '../create-api.js';
import type { Handlers } from '../types.js';
import { disconnectSignal, locate, readable, walking, type Found } from './browse-common.js';
import { presentEntry, textOf } from './present.js';
import { absolutePathBytes, queryBytes } from './query-bytes.js';
import { repoOf } from './repositories.js';

/** Largest version (bytes) a unified diff reads, each side. */
export const MAX_UNIFIED_BYTES = 4 << 20;
/** jsdiff gives up after this long (it runs in slices between other requests), ms. */
const UNIFIED_TIMEOUT_MS = 10_000;

function presentItem(it: DiffItem): DiffItemJson {
  const before = it.before ? presentEntry(it.before.node, it.before.path) : null;
  const after = it.after ? presentEntry(it.after.node, it.after.path) : null;
  const p = textOf(it.path);
  return {
    path: p.text, ...(p.lossy ? { path_raw: percentEncodePath(it.path) } : {}),
    type: (after ?? before)!.type, change: it.change, before, after,
  };
}

async function sideOf(repo: Repository, snap: SnapshotInfo, path: Buffer): Promise<Found | null> {
  try {
    return await locate(repo, snap, path);
  } catch (e) {
    if (e instanceof CairnError && e.code === 'not-found') return null;
    throw e;
  }
}

/** Text, or null for bytes that are not (a NUL, or not UTF-8). */
function asText(b: Buffer): string | null {
  if (b.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return null;
  }
}

/** jsdiff's unified patch; jsdiff is loaded by the first one, not at every start. */
async function patch(nameA: string, nameB: string, a: string, b: string): Promise<string | undefined> {
  const { createTwoFilesPatch } = await import('diff');
  return new Promise((resolve) => {
    createTwoFilesPatch(nameA, nameB, a, b, undefined, undefined, { timeout: UNIFIED_TIMEOUT_MS, callback: resolve });
  });
}

/** The unified diff of two file versions (either may be absent), or why there is none. */
async function unified(repo: Repository, a: Found | null, b: Found | null, signal: AbortSignal): Promise<{ unified?: string; note?: string }> {
  const sides = [a, b].filter((s): s is Found => s !== null);
  if (sides.some((s) => s.node.type !== NodeType.file)) return { note: 'no unified diff: the path is not a file on both sides' };
  if (sides.some((s) => s.node.error)) return { note: 'no unified diff: a version could not be read during the backup' };
  if (a && b && sameContent(a.node, b.node)) return { unified: '' };
  if (sides.some((s) => s.node.size > MAX_UNIFIED_BYTES)) {
    return { note: `no unified diff: a version is larger than ${MAX_UNIFIED_BYTES} bytes` };
  }
  const texts: string[] = [];
  for (const s of [a, b]) {
    const t = s ? asText(await readWholeFile(repo, s.node, MAX_UNIFIED_BYTES, signal)) : '';
    if (t === null) return { note: 'no unified diff: binary file' };
    texts.push(t);
  }
  const name = (s: Found | null, prefix: string): string => (s ? `${prefix}${textOf(s.path).text}` : '/dev/null');
  const u = await patch(name(a, 'a'), name(b, 'b'), texts[0]!, texts[1]!);
  if (u === undefined) return { note: `no unified diff: too many differences to compute within ${UNIFIED_TIMEOUT_MS / 1000} s` };
  return { unified: u };
}

export function diffHandlers(d: { registry: Registry }): Handlers {
  return {
    'snapshots.diff': async (request, reply): Promise<DiffResult> => {
      const q = request.query;
      if (q.highlight === true) {
        const who = principalOf(request);
        if (!who || !roleAllows(who.role, 'read')) {
          throw new CairnError('forbidden', 'highlight=true shows file contents: it needs the read permission', { permission: 'read' });
        }
      }
      const { repo } = repoOf(d.registry, q);
      const sa = readable(resolveSnapshot(repo, request.params.a, 'a'));
      const sb = readable(resolveSnapshot(repo, request.params.b, 'b'));
      const pathA = absolutePathBytes(queryBytes(request, 'path') ?? Buffer.from('/'));
      const pathB = absolutePathBytes(queryBytes(request, 'path_b') ?? pathA);
      const a = await sideOf(repo, sa, pathA);
      const b = await sideOf(repo, sb, pathB);
      if (!a && !b) throw new CairnError('not-found', 'path not found in either snapshot', { path: textOf(pathA).text });
      const offset = q.offset ?? 0;
      const limit = clampLimit(q.limit);
      const summary = emptySummary();
      const items: DiffItemJson[] = [];
      let total = 0;
      const signal = disconnectSignal(reply);
      await walking(async () => {
        for await (const it of diffTrees(repo, a, b, { recursive: q.recursive !== false, signal })) {
          countItem(summary, it);
          if (total >= offset && items.length < limit) items.push(presentItem(it));
          total++;
        }
      });
      const out: DiffResult = { summary, total, has_next: offset + items.length < total, items };
      if (q.highlight === true) Object.assign(out, await walking(() => unified(repo, a, b, signal)));
      return out;
    },
  };
}
