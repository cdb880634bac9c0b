// daemon/restore/archive-sink.ts — what the archive walker (archive.ts) writes to: one
// ArchiveSink per format (archive-tar.ts: tar, tar.gz, tar.zst; archive-zip.ts: zip).
// Entries arrive one at a time, in path order; a file's content is an async iterable the
// sink consumes at the pace of its output (backpressure), so nothing holds a whole file.
import type { Readable } from 'node:stream';
import type { TreeNode } from '../snapshot/index.js';

export interface ArchiveSink {
  /** The archive's bytes. Destroying it (the client went away) makes pending calls reject. */
  readonly output: Readable;
  /** `name`: relative, `/`-separated, no trailing `/`. */
  directory(name: string, node: TreeNode): Promise<void>;
  /** Resolves once `content` (exactly node.size bytes) is consumed. */
  file(name: string, node: TreeNode, content: AsyncIterable<Buffer>): Promise<void>;
  symlink(name: string, node: TreeNode, target: Buffer): Promise<void>;
  /** fifo or device; false when the format cannot hold it (then it is skipped). */
  special(name: string, node: TreeNode): Promise<boolean>;
  /** No more entries: write the archive's end. */
  finish(): Promise<void>;
  /** Stops; the output is destroyed with `err` (null: stopped on purpose, no error). */
  destroy(err: Error | null): void;
}

/** A node's mtime as a Date (ms precision; formats that keep ns take node.mtime). */
export function mtimeDate(node: TreeNode): Date {
  return new Date(node.mtime[0] * 1000 + Math.floor(node.mtime[1] / 1e6));
}

/** Path bytes as archive text: UTF-8, each invalid byte U+FFFD (tar and zip names are text). */
export function archiveName(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/** Resolves when `w` drains; rejects when it closes or fails first. */
export function drained(w: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      w.off('drain', onDrain);
      w.off('error', onError);
      w.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = (): void => done();
    const onError = (e: Error): void => done(e);
    const onClose = (): void => done(new Error('archive output closed'));
    w.on('drain', onDrain);
    w.on('error', onError);
    w.on('close', onClose);
  });
}
