// daemon/api/routes/files.ts — a file's bytes (API.md "Files"): the reader (Range, download,
// render), files/cat (decompress, highlight) and files/digest. All read through
// openFileRange, streamed: memory never grows with the file. The first piece of content is
// read before any header is sent, so an unreadable file answers API.md's error body; a
// failure later cuts the transfer (the client sees a short body). The reader's `?signature=`
// is checked by the access layer before this runs.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { DigestAlgorithm } from '../../../shared/schemas/index.js';
import { CairnError, CancelledError } from '../../errors.js';
import { lazyRequire } from '../../lazy-require.js';
import type { Registry } from '../../repository/index.js';
import { openFileRange, type TreeNode } from '../../snapshot/index.js';
import { codecOf, colourise, decompress, peek, uncompressedName } from '../files/cat-stream.js';
import { baseName, contentDisposition } from '../files/disposition.js';
import { clientGone, fileOf } from '../files/file-of.js';
import { parseRange } from '../files/http-range.js';
import { PAGE_CSP, RENDER_CAP, renderPage } from '../files/render-html.js';
import type { Handlers } from '../types.js';

/** mime-types, loaded by the first reader request: its database took ~20 ms of every start. */
const mimeTypes = lazyRequire<typeof import('mime-types')>('mime-types');

export interface FileDeps {
  registry: Registry;
}

const NODE_HASH: Record<DigestAlgorithm, string> = { SHA256: 'sha256', SHA1: 'sha1', MD5: 'md5', BLAKE2B: 'blake2b512' };

/** Bytes on the wire per piece: big chunks are handed to the socket in slices. */
const stream = (pieces: AsyncIterable<Buffer>): Readable => Readable.from(pieces, { objectMode: false, highWaterMark: 1 << 16 });

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const b of it) {
    parts.push(b);
    n += b.length;
  }
  return Buffer.concat(parts, n);
}

/** A strong validator of the bytes: the chunk ids in order (content addressed). */
function etagOf(node: TreeNode): string {
  const h = createHash('sha256');
  for (const id of node.content ?? []) h.update(id);
  return `"${h.update(String(node.size)).digest('hex').slice(0, 32)}"`;
}

/** A client that left mid-read is not a daemon error. */
function cancelled(e: unknown): unknown {
  return e instanceof CancelledError ? new CairnError('request-timeout', 'the client went away') : e;
}

/** HEAD: the GET's headers, no body, no read (fastify's HEAD would drain the stream). */
function headOnly(reply: FastifyReply, status: number, headers: Record<string, string>): FastifyReply {
  reply.hijack();
  reply.raw.writeHead(status, headers);
  reply.raw.end();
  return reply;
}

export function fileHandlers(d: FileDeps): Handlers {
  return {
    'snapshot.reader': async (request, reply) => {
      const f = await fileOf(d.registry, request);
      const { node } = f;
      const name = baseName(f.path);
      const q = request.query;
      if (q.render) {
        const bytes = await collect(openFileRange(f.repo, node, 0, Math.min(node.size, RENDER_CAP)));
        const html = await renderPage({ name: name.toString('utf8'), path: f.path.toString('utf8'), size: node.size, bytes, mode: q.render });
        reply.headers({ 'content-security-policy': PAGE_CSP, 'x-content-type-options': 'nosniff', 'cache-control': 'private' });
        return reply.type('text/html; charset=utf-8').send(html);
      }
      const etag = etagOf(node);
      const ifRange = request.headers['if-range'];
      const range = ifRange !== undefined && ifRange !== etag ? { kind: 'whole' as const } : parseRange(request.headers.range, node.size);
      const mime = mimeTypes();
      const type = mime.lookup(name.toString('utf8'));
      const headers: Record<string, string> = {
        'accept-ranges': 'bytes',
        'content-type': (type && mime.contentType(type)) || 'application/octet-stream',
        etag,
        'last-modified': new Date(node.mtime[0] * 1000).toUTCString(),
        'x-content-type-options': 'nosniff',
        // A page from the snapshot shown inline gets an origin of its own and no script.
        'content-security-policy': 'sandbox',
        'cache-control': 'private',
      };
      if (q.download) headers['content-disposition'] = contentDisposition('attachment', name);
      if (range.kind === 'unsatisfiable') {
        const message = `the range is outside the file's ${node.size} bytes`;
        return reply.code(416).headers({ 'content-range': `bytes */${node.size}`, 'accept-ranges': 'bytes' })
          .type('application/json; charset=utf-8')
          .send({ error: { code: 'invalid_params', message, params: { range: { code: 'invalid_argument', message } } } });
      }
      const [start, end] = range.kind === 'partial' ? [range.start, range.end] : [0, node.size];
      const status = range.kind === 'partial' ? 206 : 200;
      headers['content-length'] = String(end - start);
      if (status === 206) headers['content-range'] = `bytes ${start}-${end - 1}/${node.size}`;
      if (request.method === 'HEAD') return headOnly(reply, status, headers);
      const { all } = await peek(openFileRange(f.repo, node, start, end));
      return reply.code(status).headers(headers).send(stream(all));
    },

    'files.cat': async (request, reply) => {
      const f = await fileOf(d.registry, request);
      let name = baseName(f.path).toString('utf8');
      let pieces: AsyncIterable<Buffer> = openFileRange(f.repo, f.node, 0, f.node.size);
      if (request.query.decompress) {
        const { head, all } = await peek(pieces);
        const codec = codecOf(head);
        if (codec === null && head.length > 0) {
          await all.return(undefined);
          const message = 'the file is neither gzip nor zstd data';
          throw new CairnError('unprocessable', message, { path: { code: 'invalid_argument', message } });
        }
        pieces = codec ? decompress(all, codec) : all;
        name = uncompressedName(name);
      }
      if (request.query.highlight) pieces = colourise(pieces, name);
      const { all } = await peek(pieces);
      reply.headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'private' });
      return reply.type('text/plain; charset=utf-8').send(stream(all));
    },

    'files.digest': async (request, reply) => {
      const f = await fileOf(d.registry, request);
      const algorithm = request.query.algorithm ?? 'SHA256';
      const hash = createHash(NODE_HASH[algorithm]);
      try {
        for await (const b of openFileRange(f.repo, f.node, 0, f.node.size, { signal: clientGone(reply) })) hash.update(b);
      } catch (e) {
        throw cancelled(e);
      }
      return { path: f.path.toString('utf8'), algorithm, digest: hash.digest('hex'), size: f.node.size };
    },
  };
}
