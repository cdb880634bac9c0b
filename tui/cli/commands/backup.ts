// tui/cli/commands/backup.ts — `cairn backup PATH...`: back up into a new snapshot
// (POST /api/snapshots/create as a job, then follow it). Paths are made absolute without
// resolving a final symlink; exclude files are read here and join `excludes`. Exit 3 when
// the snapshot was saved but some entries could not be read.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { SnapshotCreateBodyJson } from '../../../shared/schemas/index.js';
import { collect, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { CliError, EXIT } from '../errors.js';
import { runJob } from '../follow-job.js';
import { formatBytes, formatDuration, printable } from '../format.js';

interface BackupOptions {
  tag?: string[];
  exclude?: string[];
  excludeFile?: string[];
  excludeCaches?: boolean;
  oneFileSystem?: boolean;
  wait: boolean;
}

/** Patterns of an exclude file: one a line, surrounding blanks trimmed, blank and `#`
 *  lines skipped (as restic's --exclude-file). */
export function parseExcludeFile(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

function readExcludeFile(file: string, cwd: string): string[] {
  const path = resolve(cwd, file);
  try {
    return parseExcludeFile(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read exclude file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export async function backup(ctx: CliContext, paths: string[], opts: BackupOptions): Promise<number> {
  const body: SnapshotCreateBodyJson = {
    source: paths.map((p) => resolve(ctx.io.cwd, p)),
    tags: opts.tag ?? [],
    excludes: [...(opts.exclude ?? []), ...(opts.excludeFile ?? []).flatMap((f) => readExcludeFile(f, ctx.io.cwd))],
    exclude_caches: opts.excludeCaches === true,
    one_file_system: opts.oneFileSystem === true,
  };
  const result = await runJob(ctx, 'snapshots.create', { body }, !opts.wait);
  if (!result) return EXIT.ok;
  const s = result.summary;
  const short = result.snapshot_id.slice(0, 8);
  if (ctx.json) ctx.printJson(result);
  else {
    ctx.print(`snapshot ${short} saved: ${s.files} files, ${s.directories} directories, ${formatBytes(s.size)}`
      + ` (${formatBytes(s.stored_size)} added) in ${formatDuration(s.duration_ms / 1000)}`);
    for (const e of result.errors) ctx.warn(`error: ${printable(e.path)}: ${printable(e.message)}`);
  }
  if (result.errors.length === 0) return EXIT.ok;
  ctx.warn(`cairn: snapshot ${short} saved, but ${result.errors.length} entries could not be read`);
  return EXIT.partial;
}

export const registerBackup: Register = (program, run) => {
  program.command('backup')
    .description('back up files and directories into a new snapshot')
    .argument('<path...>', 'files or directories (relative to the working directory)')
    .option('--tag <tag>', 'tag the snapshot (repeatable)', collect)
    .option('--exclude <pattern>', 'exclude matching paths, as restic (repeatable)', collect)
    .option('--exclude-file <file>', 'read exclude patterns from FILE, one a line (repeatable)', collect)
    .option('--exclude-caches', 'skip directories holding a valid CACHEDIR.TAG')
    .option('--one-file-system', 'stay on the file system of each path')
    .option('--no-wait', 'start the backup, print its job and exit')
    .action((paths: string[], opts: BackupOptions, cmd: Command) => run(cmd, (ctx) => backup(ctx, paths, opts)));
};
