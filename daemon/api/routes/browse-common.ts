// daemon/api/routes/browse-common.ts — what the browse routes (browse.ts, browse-diff.ts)
// share: the repository and snapshot of a request, a located path with `/` given a node,
// a signal that aborts when the client goes away, and running a walk under it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CairnError, CancelledError } from '../../errors.js';
import type { Registry, Repository } from '../../repository/index.js';
import { lookupPath, resolveSnapshot, type Located, type SnapshotInfo, type TreeNode } from '../../snapshot/index.js';
import { snapshotRefOf } from '../snapshot-url.js';
import { rootNode } from './present.js';
import { repoOf } from './repositories.js';

/** A snapshot whose record is known; one whose object could not be read is 422. */
export function readable(snap: SnapshotInfo): SnapshotInfo {
  if (snap.row.damaged && !snap.row.root) throw new CairnError('unprocessable', 'the snapshot object is damaged', { id: snap.hex });
  return snap;
}

export interface RefTarget { repo: Repository; snap: SnapshotInfo; path: Buffer }

/** `{id}[:path]` of a wildcard route, resolved in the request's repository. */
export function refTarget(registry: Registry, request: FastifyRequest): RefTarget {
  const ref = snapshotRefOf(request);
  const { repo } = repoOf(registry, request.query);
  const s = ref.snapshot;
  const snap = readable(resolveSnapshot(repo, s.kind === 'latest' ? 'latest' : s.kind === 'id' ? s.id : s.prefix));
  return { repo, snap, path: ref.path };
}

/** A path in a snapshot with a node also for `/` (a directory node standing for the root). */
export interface Found extends Located { node: TreeNode }

export async function locate(repo: Repository, snap: SnapshotInfo, path: Buffer): Promise<Found> {
  const root = Buffer.from(snap.row.root);
  const l = await lookupPath(repo, root, path);
  return { ...l, node: l.node ?? rootNode(root, snap.row.time) };
}

/** An AbortSignal that fires when the client closes the connection before the answer. */
export function disconnectSignal(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

/** Runs a walk; a walk cancelled because the client left ends as 408 (nobody reads it). */
export async function walking<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CancelledError) throw new CairnError('request-timeout', 'the client closed the connection');
    throw e;
  }
}
