// tui/cli/commands/restore.ts — `cairn restore SNAPSHOT[:PATH] --target DIR`
// (POST /api/snapshots/{id}/restore as a job). A whole snapshot restores every path at
// DIR/<absolute path>; SNAPSHOT:PATH puts PATH's contents directly into DIR (rebase).
// Exit 1 when some entries could not be restored.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { RestoreBodyJson } from '../../../shared/schemas/index.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';
import { runJob } from '../follow-job.js';
import { formatBytes, printable } from '../format.js';

const OVERWRITE = ['never', 'if-newer', 'always'] as const;

interface RestoreOptions {
  target: string;
  overwrite: (typeof OVERWRITE)[number];
  wait: boolean;
}

/** The body for `arg` restored into `target` (already absolute). */
export function restoreBody(path: Buffer | null, destination: string, overwrite: RestoreOptions['overwrite']): RestoreBodyJson {
  return path === null
    ? { destination, paths: [], rebase: false, overwrite }
    : { destination, paths: [path.toString('utf8')], rebase: true, overwrite };
}

export async function restore(ctx: CliContext, arg: string, opts: RestoreOptions): Promise<number> {
  const { snapshot, path } = parseSnapshotArg(arg);
  const destination = resolve(ctx.io.cwd, opts.target);
  const result = await runJob(ctx, 'snapshots.restore',
    { params: { id: snapshot }, body: restoreBody(path, destination, opts.overwrite) }, !opts.wait);
  if (!result) return EXIT.ok;
  if (ctx.json) ctx.printJson(result);
  else {
    ctx.print(`restored ${result.restored_files} files (${formatBytes(result.restored_bytes)}) to ${printable(destination)}`
      + (result.skipped > 0 ? `; ${result.skipped} left as they were` : ''));
    for (const e of result.errors) ctx.warn(`error: ${printable(e.path)}: ${printable(e.message)}`);
  }
  if (result.errors.length === 0) return EXIT.ok;
  ctx.warn(`cairn: ${result.errors.length} entries could not be restored`);
  return EXIT.error;
}

export const registerRestore: Register = (program, run) => {
  program.command('restore')
    .description('restore a snapshot, or one path of it, into a directory')
    .argument('<snapshot[:path]>', 'e.g. latest, or 1a2b3c4d:/home/ann/doc')
    .requiredOption('--target <dir>', 'the directory to restore into')
    .addOption(new Option('--overwrite <mode>', 'what to do with entries that exist').choices(OVERWRITE).default('never'))
    .option('--no-wait', 'start the restore, print its job and exit')
    .action((arg: string, opts: RestoreOptions, cmd: Command) => run(cmd, (ctx) => restore(ctx, arg, opts)));
};
