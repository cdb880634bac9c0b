// tui/cli/commands/download.ts — `cairn download SNAPSHOT[:PATH]... [--format F] [-o FILE]`:
// paths of one snapshot as a zip, tar, tar.gz or tar.zst archive, streamed to FILE or to
// stdout (never to a terminal). Prepares a single-use download (POST
// /api/snapshot/vfs/downloader/{id}), then streams it (GET …/downloader-sign-url/{id}).
// Each path's contents go at the top of the archive (rebase) unless --full-paths; the
// format follows FILE's extension when --format is not given (else tar). A transfer cut
// short leaves no FILE behind.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Option, type Command } from 'commander';
import type { DownloadFormat } from '../../../shared/schemas/index.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { formatBytes, printable } from '../format.js';
import { writeBytes } from './write-bytes.js';

const FORMATS = ['zip', 'tar', 'tar.gz', 'tar.zst'] as const;
type Format = (typeof FORMATS)[number];

interface DownloadOptions {
  format?: Format;
  output?: string;
  fullPaths?: boolean;
}

/** The format a file name's extension names, or null. */
export function formatOfName(name: string): Format | null {
  const n = name.toLowerCase();
  if (n.endsWith('.tar.gz') || n.endsWith('.tgz')) return 'tar.gz';
  if (n.endsWith('.tar.zst') || n.endsWith('.tzst')) return 'tar.zst';
  if (n.endsWith('.tar')) return 'tar';
  if (n.endsWith('.zip')) return 'zip';
  return null;
}

export async function download(ctx: CliContext, args: string[], opts: DownloadOptions): Promise<number> {
  const refs = args.map(parseSnapshotArg);
  const snapshot = refs[0]!.snapshot;
  if (refs.some((r) => r.snapshot !== snapshot)) throw new UsageError('every path must be in the same snapshot');
  const files = refs.flatMap((r) => (r.path ? [r.path.toString('utf8')] : []));
  if (files.length > 0 && files.length < refs.length) throw new UsageError(`${snapshot} alone means the whole snapshot: give paths, or nothing else`);
  const format: Format = opts.format ?? (opts.output ? formatOfName(opts.output) : null) ?? 'tar';
  if (!opts.output && ctx.io.stdout.isTTY) throw new UsageError('refusing to write an archive to a terminal: use -o FILE or a pipe');
  if (!opts.output && ctx.json) throw new UsageError('--json needs -o FILE (stdout carries the archive)');

  const client = ctx.client();
  const prepared = await client.request('snapshot.downloader', {
    params: { id: snapshot }, body: { files, format: format as DownloadFormat, rebase: opts.fullPaths !== true, single_use: true },
  });
  const res = await client.bytes('snapshot.downloaderSignUrl', { params: { download_id: prepared.download_id }, query: { format } });
  if (!opts.output) {
    await writeBytes(ctx.io.stdout, res.body);
    return EXIT.ok;
  }
  const file = resolve(ctx.io.cwd, opts.output);
  let bytes = 0;
  res.body.on('data', (b: Buffer) => { bytes += b.length; });
  try {
    await pipeline(res.body, createWriteStream(file));
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  if (ctx.json) ctx.printJson({ download_id: prepared.download_id, format, file, bytes });
  else ctx.print(`wrote ${formatBytes(bytes)} (${format}) to ${printable(file)}`);
  return EXIT.ok;
}

export const registerDownload: Register = (program, run) => {
  program.command('download')
    .description('download paths of a snapshot as an archive')
    .argument('<snapshot[:path]...>', 'e.g. latest:/home/ann/doc latest:/etc (one snapshot)')
    .addOption(new Option('--format <format>', 'archive format (default: from -o\'s extension, else tar)').choices(FORMATS))
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--full-paths', 'keep each path\'s absolute path in the archive')
    .action((args: string[], opts: DownloadOptions, cmd: Command) => run(cmd, (ctx) => download(ctx, args, opts)));
};
