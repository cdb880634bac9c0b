// daemon/restore/archive-zip.ts — the zip ArchiveSink (yazl). Entries are stored, not
// deflated: deflate runs at ~30 MB/s on this machine kind, which would make a zip of a
// big snapshot CPU-bound (tar.gz and tar.zst are the compressed formats). yazl switches to
// ZIP64 where sizes or offsets need it. Unix modes go in the external attributes and
// mtimes in the extended-timestamp field (whole seconds), which Info-ZIP's unzip restores;
// symlinks are entries with the symlink type bits whose content is the target. Fifos and
// devices have no zip form: skipped. yazl keeps each entry's central-directory record
// (~100 bytes + its name) until the end: zip's format needs them at the end.
import { Readable } from 'node:stream';
import { lazyRequire } from '../lazy-require.js';
import type { TreeNode } from '../snapshot/index.js';
import { mtimeDate, type ArchiveSink } from './archive-sink.js';

// yazl is loaded by the first zip download, not at every start.
const yazl = lazyRequire<typeof import('yazl')>('yazl');

export function zipSink(): ArchiveSink {
  const { ZipFile } = yazl();
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  let closed: Error | null = null;
  const waiters = new Set<(err: Error) => void>();
  let current: Readable | null = null;
  const fail = (err: Error): void => {
    closed ??= err;
    current?.destroy();
    current = null;
    for (const w of waiters) w(closed);
    waiters.clear();
  };
  output.once('close', () => fail(new Error('archive output closed')));
  zip.on('error', (err: Error) => {
    fail(err);
    output.destroy(err);
  });
  const perm = (n: TreeNode): number => n.mode & 0o7777;

  return {
    output,
    async directory(name, node) {
      if (closed) throw closed;
      zip.addEmptyDirectory(`${name}/`, { mtime: mtimeDate(node), mode: 0o040000 | perm(node) });
    },
    file(name, node, content) {
      if (closed) return Promise.reject(closed);
      return new Promise<void>((resolve, reject) => {
        waiters.add(reject);
        zip.addReadStreamLazy(name, { mtime: mtimeDate(node), mode: 0o100000 | perm(node), compress: false, size: node.size }, (cb) => {
          if (closed) {
            void content[Symbol.asyncIterator]().return?.();
            return;
          }
          const rs = Readable.from(content, { objectMode: false, highWaterMark: 1 << 16 });
          current = rs;
          rs.once('end', () => {
            current = null;
            waiters.delete(reject);
            resolve();
          });
          rs.once('error', (err) => {
            waiters.delete(reject);
            reject(err);
          });
          cb(null, rs);
        });
      });
    },
    async symlink(name, node, target) {
      if (closed) throw closed;
      zip.addBuffer(target, name, { mtime: mtimeDate(node), mode: 0o120000 | (perm(node) || 0o777), compress: false });
    },
    async special() {
      return false;
    },
    async finish() {
      if (closed) throw closed;
      zip.end();
    },
    destroy(err) {
      fail(err ?? new Error('archive stopped'));
      output.destroy(err ?? undefined);
    },
  };
}
