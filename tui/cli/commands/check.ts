// tui/cli/commands/check.ts — `cairn check [--read-data] [--read-data-subset N%]`: check
// the repository (POST /api/repository/check as a job). Exit 1 when it found errors.
import type { Command } from 'commander';
import type { RepositoryCheckBodyJson } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT, UsageError } from '../errors.js';
import { runJob } from '../follow-job.js';
import { formatBytes, printable } from '../format.js';

interface CheckOptions {
  readData?: boolean;
  readDataSubset?: string;
  wait: boolean;
}

/** As RepositoryCheckBody's pattern: a percentage from 0 to 100. */
const SUBSET = /^(100|[1-9]?[0-9](\.[0-9]+)?)%$/;

export async function check(ctx: CliContext, opts: CheckOptions): Promise<number> {
  const subset = opts.readDataSubset;
  if (subset !== undefined && !SUBSET.test(subset)) {
    throw new UsageError(`--read-data-subset: "${subset}" is not a percentage such as 10%`);
  }
  const body: RepositoryCheckBodyJson = { read_data: opts.readData === true, read_data_subset: subset ?? null };
  const result = await runJob(ctx, 'repository.check', { body }, !opts.wait);
  if (!result) return EXIT.ok;
  if (ctx.json) ctx.printJson(result);
  else {
    ctx.print(`checked ${result.checked_snapshots} snapshots and ${result.checked_packs} packs, read ${formatBytes(result.read_bytes)}`);
    for (const note of result.notes) ctx.print(`note: ${printable(note)}`);
    for (const e of result.errors) {
      const snaps = e.snapshots.length > 0 ? ` (snapshots ${e.snapshots.map((s) => s.slice(0, 8)).join(', ')})` : '';
      ctx.warn(`error: ${printable(e.object)}: ${printable(e.message)}${snaps}`);
    }
    if (result.status === 'success') ctx.print('no errors were found');
  }
  if (result.status === 'success' && result.errors.length === 0) return EXIT.ok;
  ctx.warn(`cairn: check found ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`);
  return EXIT.error;
}

export const registerCheck: Register = (program, run) => {
  program.command('check')
    .description('check the repository\'s structure (and, with --read-data, all of its data)')
    .option('--read-data', 'also read and authenticate every pack')
    .option('--read-data-subset <n%>', 'read this percentage of the packs')
    .option('--no-wait', 'start the check, print its job and exit')
    .action((opts: CheckOptions, cmd: Command) => run(cmd, (ctx) => check(ctx, opts)));
};
