// tui/cli/commands/cat.ts — `cairn cat SNAPSHOT:PATH`: a file of a snapshot on stdout
// (GET /api/files/cat/{ref}), streamed. `--decompress` gunzips a .gz or unzstds a .zst;
// colours (ANSI) by default when stdout is a terminal, `--highlight`/`--no-highlight` to
// choose. The output is the file itself, with or without --json.
import type { Command } from 'commander';
import { formatSnapshotRef } from '../../../shared/snapshot-ref.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { writeBytes } from './write-bytes.js';

interface CatOptions {
  decompress?: boolean;
  highlight?: boolean;
}

export async function cat(ctx: CliContext, arg: string, opts: CatOptions): Promise<number> {
  const { snapshot, path } = parseSnapshotArg(arg);
  if (path === null) throw new UsageError(`${arg}: name the file, as SNAPSHOT:PATH`);
  const highlight = opts.highlight ?? ctx.io.stdout.isTTY === true;
  const res = await ctx.client().bytes('files.cat', {
    params: { '*': formatSnapshotRef(snapshot, path) },
    query: { ...(opts.decompress ? { decompress: true } : {}), ...(highlight ? { highlight: true } : {}) },
  });
  await writeBytes(ctx.io.stdout, res.body);
  return EXIT.ok;
}

export const registerCat: Register = (program, run) => {
  program.command('cat')
    .description('print a file of a snapshot')
    .argument('<snapshot:path>', 'e.g. latest:/etc/hosts')
    .option('--decompress', 'gunzip a .gz, unzstd a .zst')
    .option('--highlight', 'colour the syntax (the default on a terminal)')
    .option('--no-highlight', 'never colour')
    .action((arg: string, opts: CatOptions, cmd: Command) => run(cmd, (ctx) => cat(ctx, arg, opts)));
};
