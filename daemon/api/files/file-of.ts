// daemon/api/files/file-of.ts — the regular file a `{id}:{path}` request names, for the
// reader, cat and digest: repository (`?repository=`), snapshot reference, path looked up.
// Anything but a regular file is refused with API.md's error body: a directory (or `/`),
// a symlink, a special file → 400 invalid_params naming `path`; a file that could not be
// read during the backup → 422 unprocessable. Also an AbortSignal for "the client left".
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SnapshotSelector } from '../../../shared/snapshot-ref.js';
import { CairnError } from '../../errors.js';
import type { Registry, Repository } from '../../repository/index.js';
import { lookupPath, NodeType, resolveSnapshot, type SnapshotInfo, type TreeNode } from '../../snapshot/index.js';
import { repoOf } from '../routes/repositories.js';
import { snapshotRefOf } from '../snapshot-url.js';

export interface FileOf {
  repo: Repository;
  snap: SnapshotInfo;
  node: TreeNode;
  /** Absolute, cleaned path bytes. */
  path: Buffer;
}

const selectorText = (s: SnapshotSelector): string => (s.kind === 'latest' ? 'latest' : s.kind === 'id' ? s.id : s.prefix);

function notAFile(what: string): CairnError {
  const message = `the path is ${what}, not a regular file`;
  return new CairnError('invalid_params', message, { path: { code: 'invalid_argument', message } });
}

export async function fileOf(registry: Registry, request: FastifyRequest): Promise<FileOf> {
  const ref = snapshotRefOf(request);
  const { repo } = repoOf(registry, request.query);
  const snap = resolveSnapshot(repo, selectorText(ref.snapshot));
  if (snap.row.damaged && !snap.row.root) throw new CairnError('unprocessable', 'the snapshot object is damaged', { id: snap.hex });
  const loc = await lookupPath(repo, Buffer.from(snap.row.root), ref.path);
  const node = loc.node;
  if (node === null || node.type === NodeType.dir) throw notAFile('a directory');
  if (node.type === NodeType.symlink) throw notAFile('a symlink');
  if (node.type !== NodeType.file) throw notAFile('a special file');
  if (node.error !== null) {
    throw new CairnError('unprocessable', `the file could not be read during the backup: ${node.error}`, { path: loc.path.toString('utf8') });
  }
  return { repo, snap, node, path: loc.path };
}

/** Aborted when the response closes before it was finished (the client went away). */
export function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}
