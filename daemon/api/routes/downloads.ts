// daemon/api/routes/downloads.ts — archive downloads (API.md "Files"): POST
// /api/snapshot/vfs/downloader/{id} checks the snapshot and every path, and keeps a
// download under a random id (files/download-store.ts); GET
// /api/snapshot/vfs/downloader-sign-url/{download_id} (no token: the id is the credential)
// streams the archive from restore/'s archive walker. An unknown, expired or used id is
// 404 not-found. `?format=` overrides the format given at creation; one of them is needed.
import type { FastifyReply } from 'fastify';
import type { DownloadFormat } from '../../../shared/schemas/index.js';
import { CairnError, invalidParam } from '../../errors.js';
import { logger } from '../../log.js';
import type { Registry } from '../../repository/index.js';
import { archiveStream, isInside, type ArchiveFormat } from '../../restore/index.js';
import { lookupPath, resolveSnapshot, splitPath } from '../../snapshot/index.js';
import { contentDisposition } from '../files/disposition.js';
import { DownloadStore } from '../files/download-store.js';
import type { Handlers } from '../types.js';
import { repoOf } from './repositories.js';

const log = logger('downloads');

export interface DownloadDeps {
  registry: Registry;
  /** Prepared downloads; tests inject one with their own clock. */
  store?: DownloadStore;
}

const TYPES: Record<ArchiveFormat, string> = {
  zip: 'application/zip', tar: 'application/x-tar', 'tar.gz': 'application/gzip', 'tar.zst': 'application/zstd',
};

const formatOf = (f: DownloadFormat | undefined): ArchiveFormat | null => (f === undefined ? null : f === 'tarball' ? 'tar.gz' : f);

/** A body path as clean absolute bytes: `/` added, `//` and a trailing `/` dropped; `.`,
 *  `..` and NUL refused. */
function cleanPath(p: string): Buffer {
  if (p.includes('\0')) throw invalidParam('files', 'a path may not contain NUL');
  const parts = splitPath(Buffer.from(p, 'utf8'));
  return Buffer.concat(parts.length === 0 ? [Buffer.from('/')] : parts.flatMap((x) => [Buffer.from('/'), x]));
}

/** The file name: `name` (or cairn-<id8>) with the format's extension unless it has one. */
function fileName(name: string | null, snapshot: string, format: ArchiveFormat): string {
  const base = (name ?? '').replace(/[/\\\0]/g, '_') || `cairn-${snapshot.slice(0, 8)}`;
  return base.toLowerCase().endsWith(`.${format}`) || (format === 'tar.gz' && /\.tgz$/i.test(base)) ? base : `${base}.${format}`;
}

export function downloadHandlers(d: DownloadDeps): Handlers {
  const store = d.store ?? new DownloadStore();
  return {
    'snapshot.downloader': async (request) => {
      const b = request.body;
      const { repo, name } = repoOf(d.registry, request.query);
      const snap = resolveSnapshot(repo, request.params.id);
      if (snap.row.damaged && !snap.row.root) throw new CairnError('unprocessable', 'the snapshot object is damaged', { id: snap.hex });
      const root = Buffer.from(snap.row.root);
      const paths: Buffer[] = [];
      for (const p of [...(b.files ?? []), ...(b.items ?? []).map((i) => i.pathname)]) {
        const clean = cleanPath(p);
        if (paths.some((q) => q.equals(clean))) continue;
        const other = paths.find((q) => isInside(clean, q) || isInside(q, clean));
        if (other) throw invalidParam('files', `${clean.toString('utf8')} and ${other.toString('utf8')}: one is inside the other`);
        await lookupPath(repo, root, clean); // 404 for a path the snapshot does not have
        paths.push(clean);
      }
      const format = formatOf(b.format);
      const ticket = store.add({
        repository: name, snapshot: snap.hex, root, paths: paths.some((p) => p.length === 1) ? [] : paths,
        rebase: b.rebase ?? true, format, name: b.name ?? null, singleUse: b.single_use === true,
      });
      const url = `/api/snapshot/vfs/downloader-sign-url/${ticket.id}${format ? `?format=${encodeURIComponent(format)}` : ''}`;
      return { id: ticket.id, download_id: ticket.id, download_url: url };
    },

    'snapshot.downloaderSignUrl': async (request, reply: FastifyReply) => {
      const id = request.params.download_id;
      const seen = store.take(id, true);
      if (!seen) throw new CairnError('not-found', 'Download not found: unknown, expired or already used', { download_id: id });
      const format = formatOf(request.query.format) ?? seen.format;
      if (!format) throw invalidParam('format', 'give the archive format: zip, tar, tar.gz (tarball) or tar.zst', 'missing_argument');
      const repo = d.registry.get(seen.repository);
      if (!repo.snapshotRow(Buffer.from(seen.snapshot, 'hex'))) {
        throw new CairnError('not-found', 'the snapshot of this download is gone', { download_id: id });
      }
      const headers = {
        'content-type': TYPES[format],
        'content-disposition': contentDisposition('attachment', fileName(request.query.name ?? seen.name, seen.snapshot, format)),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      };
      if (request.method === 'HEAD') {
        reply.hijack();
        reply.raw.writeHead(200, headers);
        reply.raw.end();
        return reply;
      }
      const ticket = store.take(id);
      if (!ticket) throw new CairnError('not-found', 'Download not found: unknown, expired or already used', { download_id: id });
      let skipped = 0;
      const archive = archiveStream(repo, ticket.root, {
        paths: ticket.paths, rebase: ticket.rebase, format,
        onSkip: (path, reason) => {
          if (++skipped <= 20) log.info('left out of an archive', { download_id: id, path, reason });
        },
      });
      return reply.headers(headers).send(archive.output);
    },
  };
}
