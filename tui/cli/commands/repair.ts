// tui/cli/commands/repair.ts — `cairn repair index`: rebuild the repository's index from
// its packs (POST /api/repository/maintenance `rebuild_cache`, a job).
import type { Command } from 'commander';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';
import { runJob } from '../follow-job.js';
import { printable } from '../format.js';

interface RepairOptions {
  wait: boolean;
}

export async function repairIndex(ctx: CliContext, opts: RepairOptions): Promise<number> {
  const result = await runJob(ctx, 'repository.maintenance', { body: { operations: ['rebuild_cache'] } }, !opts.wait);
  if (!result) return EXIT.ok;
  if (ctx.json) ctx.printJson(result);
  else {
    for (const e of result.errors) ctx.warn(`error: ${printable(e)}`);
    if (result.errors.length === 0) ctx.print('index rebuilt');
  }
  if (result.errors.length === 0) return EXIT.ok;
  ctx.warn(`cairn: rebuilding the index met ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`);
  return EXIT.error;
}

export const registerRepair: Register = (program, run) => {
  const repair = program.command('repair').description('repair a repository');
  repair.command('index')
    .description('rebuild the index from the packs\' trailers')
    .option('--no-wait', 'start the rebuild, print its job and exit')
    .action((opts: RepairOptions, cmd: Command) => run(cmd, (ctx) => repairIndex(ctx, opts)));
};
