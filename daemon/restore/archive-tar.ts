// daemon/restore/archive-tar.ts — the tar ArchiveSink (tar-stream), optionally compressed:
// tar.gz through zlib (libuv's pool), tar.zst through zstd-napi's streaming compressor
// (level 3). USTAR headers, with a pax header where USTAR falls short: long or non-ASCII
// names and link targets (tar-stream adds those), mtimes with nanoseconds or outside
// 1970–2038, uids and gids over 262143. Modes, owners, symlinks, fifos and devices kept.
import { Readable, pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Header, Pack } from 'tar-stream';
import { CompressStream } from 'zstd-napi';
import { lazyRequire } from '../lazy-require.js';
import { logger } from '../log.js';
import { NodeType, type TreeNode } from '../snapshot/index.js';
import { archiveName, drained, type ArchiveSink } from './archive-sink.js';

const log = logger('archive');

// tar-stream is loaded by the first tar download, not at every start.
const tarStream = lazyRequire<typeof import('tar-stream')>('tar-stream');
const tarPack = (): Pack => tarStream().pack();

type TarHeaders = Partial<Header> & { name: string; pax?: Record<string, string> };

const USTAR_MAX_ID = 0o777777;
const MAX_OCTAL_TIME = 2 ** 31 - 1; // tar-stream writes seconds with `| 0`

/** S_IF* bits: tar-stream replaces a mode of 0 with a default, so the type bits stay in. */
const TYPE_BITS: Record<number, number> = {
  [NodeType.file]: 0o100000, [NodeType.dir]: 0o040000, [NodeType.symlink]: 0o120000,
  [NodeType.fifo]: 0o010000, [NodeType.char]: 0o020000, [NodeType.block]: 0o060000,
};

function headerOf(name: string, node: TreeNode, type: Header['type']): TarHeaders {
  const pax: Record<string, string> = {};
  const [s, ns] = node.mtime;
  if (ns !== 0 || s < 0 || s > MAX_OCTAL_TIME) pax.mtime = `${s}.${String(ns).padStart(9, '0')}`;
  if (node.uid > USTAR_MAX_ID) pax.uid = String(node.uid);
  if (node.gid > USTAR_MAX_ID) pax.gid = String(node.gid);
  const h: TarHeaders = {
    name,
    type,
    mode: (TYPE_BITS[node.type] ?? 0o100000) | (node.mode & 0o7777),
    uid: Math.min(node.uid, USTAR_MAX_ID),
    gid: Math.min(node.gid, USTAR_MAX_ID),
    mtime: new Date(Math.min(Math.max(s, 0), MAX_OCTAL_TIME) * 1000),
  };
  if (node.user) h.uname = node.user;
  if (node.group) h.gname = node.group;
  if (Object.keys(pax).length > 0) h.pax = pax;
  return h;
}

/** Linux's encoding of a device number into major and minor. */
function devOf(rdev: number): { devmajor: number; devminor: number } {
  const r = BigInt(rdev);
  return {
    devmajor: Number(((r >> 8n) & 0xfffn) | ((r >> 32n) & ~0xfffn)),
    devminor: Number((r & 0xffn) | ((r >> 12n) & ~0xffn)),
  };
}

export type TarCompression = 'none' | 'gzip' | 'zstd';

export function tarSink(compression: TarCompression): ArchiveSink {
  const pack: Pack = tarPack();
  // Failures reach the walker through entry callbacks and the output; an 'error' event
  // without a listener would throw out of the process.
  const ignore = (): void => undefined;
  pack.on('error', ignore);
  const tarBytes = Readable.from(pack, { objectMode: false, highWaterMark: 1 << 16 });
  const done = (err: Error | null | undefined): void => {
    if (err && (err as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') log.warn('tar output failed', { error: err.message });
  };
  const output: Readable = compression === 'gzip' ? pipeline(tarBytes, createGzip(), done)
    : compression === 'zstd' ? pipeline(tarBytes, new CompressStream({ compressionLevel: 3 }), done)
      : tarBytes;
  let closed: Error | null = null;
  output.once('close', () => { closed ??= new Error('archive output closed'); });

  /** One entry; resolves when tar-stream has taken all of it. */
  const entry = (h: TarHeaders, content: AsyncIterable<Buffer> | null): Promise<void> => {
    if (closed) return Promise.reject(closed);
    return new Promise<void>((resolve, reject) => {
      const w = pack.entry(h, (err) => (err ? reject(err) : resolve()));
      w.on('error', ignore);
      if (!content) return;
      void (async () => {
        for await (const chunk of content) {
          if (closed) throw closed;
          if (!w.write(chunk)) await drained(w as unknown as NodeJS.EventEmitter); // a streamx Writable
        }
        w.end(undefined);
      })().catch((e: unknown) => {
        const err = e instanceof Error ? e : new Error(String(e));
        w.destroy(err);
        reject(err);
      });
    });
  };

  return {
    output,
    directory: (name, node) => entry(headerOf(`${name}/`, node, 'directory'), null),
    file: (name, node, content) => entry({ ...headerOf(name, node, 'file'), size: node.size }, content),
    symlink: (name, node, target) => entry({ ...headerOf(name, node, 'symlink'), linkname: archiveName(target) }, null),
    async special(name, node) {
      const type = node.type === NodeType.fifo ? 'fifo' : node.type === NodeType.char ? 'character-device'
        : node.type === NodeType.block ? 'block-device' : null;
      if (type === null) return false;
      await entry({ ...headerOf(name, node, type), ...(type === 'fifo' ? {} : devOf(node.rdev)) }, null);
      return true;
    },
    async finish() {
      if (closed) throw closed;
      pack.finalize();
    },
    destroy(err) {
      closed ??= err ?? new Error('archive stopped');
      pack.destroy(err);
      output.destroy(err ?? undefined);
    },
  };
}
