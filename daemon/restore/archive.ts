// daemon/restore/archive.ts — a snapshot (or paths in it) as a streamed archive: zip, tar,
// tar.gz or tar.zst. The restore engine's other output (DESIGN §2: one restore walker
// writes to disk, tar, tar.zst and zip):
//   selected paths → selectPath (shared with restore: `/`, rebase, absolute paths with
//   their ancestors) → the lazy tree walk in path order → one entry at a time into the
//   format's ArchiveSink → a file's bytes from openFileRange, at the output's pace.
// It does not use restore's pack-order plan: an archive must be written in path order,
// each file whole and in sequence, so reading pack by pack would mean holding files in
// memory. Memory: one directory page per level, the chunks openFileRange reads ahead, the
// sink's buffers (and zip's central directory); no temporary files. Destroying the output
// (the client went away) or the signal stops the walk. Called by api/routes/files.ts.
import type { Readable } from 'node:stream';
import { CancelledError } from '../errors.js';
import { logger } from '../log.js';
import type { Repository } from '../repository/index.js';
import { GroupCache, NodeType, openFileRange, walkTree, type FileRangeRepo, type TreeNode } from '../snapshot/index.js';
import { archiveName, type ArchiveSink } from './archive-sink.js';
import { tarSink } from './archive-tar.js';
import { zipSink } from './archive-zip.js';
import { selectPath } from './selection.js';

const log = logger('archive');

export const ARCHIVE_FORMATS = ['zip', 'tar', 'tar.gz', 'tar.zst'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

export interface ArchiveOptions {
  /** Absolute paths inside the snapshot; empty = everything. None may be inside another. */
  paths: Buffer[];
  /** As restore's: a path's contents (or a file by its name) at the top of the archive. */
  rebase: boolean;
  format: ArchiveFormat;
  signal?: AbortSignal;
  /** An entry left out: unreadable during the backup, a socket, a fifo or device in a zip. */
  onSkip?: (path: string, reason: string) => void;
  /** See openFileRange. */
  readAheadBytes?: number;
}

export type ArchiveRepo = FileRangeRepo & Pick<Repository, 'readChunk'>;

const SLASH = Buffer.from('/');
const relJoin = (rel: Buffer, name: Buffer): Buffer => (rel.length === 0 ? name : Buffer.concat([rel, SLASH, name]));

function sinkFor(format: ArchiveFormat): ArchiveSink {
  if (format === 'zip') return zipSink();
  return tarSink(format === 'tar.gz' ? 'gzip' : format === 'tar.zst' ? 'zstd' : 'none');
}

async function writeEntries(repo: ArchiveRepo, root: Buffer, o: ArchiveOptions, sink: ArchiveSink, signal: AbortSignal): Promise<void> {
  const skip = (rel: Buffer, reason: string): void => o.onSkip?.(archiveName(rel), reason);
  const groups = new GroupCache(); // small files of one group, in a row, open it once
  const emit = async (rel: Buffer, node: TreeNode): Promise<void> => {
    if (signal.aborted) throw new CancelledError();
    const name = archiveName(rel);
    if (node.error !== null) return skip(rel, `it could not be read during the backup (${node.error})`);
    switch (node.type) {
      case NodeType.dir:
        return sink.directory(name, node);
      case NodeType.file:
        return sink.file(name, node, openFileRange(repo, node, 0, node.size, { signal, groups, ...(o.readAheadBytes ? { readAheadBytes: o.readAheadBytes } : {}) }));
      case NodeType.symlink:
        return sink.symlink(name, node, node.target ?? Buffer.alloc(0));
      case NodeType.socket:
        return skip(rel, 'sockets are not archived');
      default:
        if (!(await sink.special(name, node))) skip(rel, `${o.format} cannot hold fifos or devices`);
    }
  };
  const emitTree = async (tree: Buffer, rel: Buffer): Promise<void> => {
    const base = Buffer.concat([SLASH, rel]);
    for await (const e of walkTree(repo, tree, base, { signal, descend: (d) => d.node.error === null })) {
      await emit(e.path.subarray(1), e.node);
    }
  };

  const written = new Set<string>(); // ancestors already in the archive (shared by paths)
  for (const p of o.paths.length === 0 ? [SLASH] : o.paths) {
    const sel = await selectPath(repo, root, p, o.rebase);
    let rel: Buffer = Buffer.alloc(0);
    for (const anc of sel.ancestors) {
      rel = relJoin(rel, anc.name);
      const key = rel.toString('latin1');
      if (written.has(key)) continue;
      written.add(key);
      await emit(rel, anc.node);
    }
    if (sel.node) {
      const at = relJoin(rel, sel.node.name);
      await emit(at, sel.node);
      if (sel.node.type === NodeType.dir && sel.node.subtree && sel.node.error === null) await emitTree(sel.node.subtree, at);
    } else if (sel.tree) {
      await emitTree(sel.tree, rel);
    }
  }
}

export interface Archive {
  /** The archive's bytes. Destroy it to stop (a client that went away). */
  output: Readable;
  /** Settles when the walk has ended: finished, failed (the output is then destroyed with
   *  the error: its consumer must listen for 'error') or stopped. Never rejects. */
  done: Promise<void>;
}

/**
 * The archive of `root`'s selected paths. Paths are checked by the caller (selectPath
 * throws not-found for a missing one, which here ends the stream with an error). A failure
 * after the first bytes (a chunk that fails authentication) destroys the stream: the
 * client sees a cut transfer.
 */
export function archiveStream(repo: ArchiveRepo, root: Buffer, o: ArchiveOptions): Archive {
  const sink = sinkFor(o.format);
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  o.signal?.addEventListener('abort', stop, { once: true });
  sink.output.once('close', stop);
  const done = writeEntries(repo, root, o, sink, ac.signal)
    .then(() => sink.finish())
    .catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      if (ac.signal.aborted) {
        sink.destroy(null); // stopped on purpose: the output closes without an error
        return;
      }
      log.warn('archive stopped', { format: o.format, error: err.message });
      sink.destroy(err);
    })
    .finally(() => o.signal?.removeEventListener('abort', stop));
  return { output: sink.output, done };
}
