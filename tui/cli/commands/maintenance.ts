// tui/cli/commands/maintenance.ts — `cairn maintenance [--cleanup] [--verify]
// [--rebuild-index]`: repository housekeeping as a job (POST /api/repository/maintenance).
// Without a flag it cleans up (abandoned temporary files, empty pack directories). Exit 1
// when an operation reported errors.
import type { Command } from 'commander';
import type { MaintenanceBodyJson } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';
import { runJob } from '../follow-job.js';
import { formatBytes, printable } from '../format.js';

interface MaintenanceOptions {
  cleanup?: boolean;
  verify?: boolean;
  rebuildIndex?: boolean;
  wait: boolean;
}

export async function maintenance(ctx: CliContext, opts: MaintenanceOptions): Promise<number> {
  const operations: MaintenanceBodyJson['operations'] = [];
  if (opts.cleanup || (!opts.verify && !opts.rebuildIndex)) operations.push('cleanup');
  if (opts.rebuildIndex) operations.push('rebuild_cache');
  if (opts.verify) operations.push('verify_integrity');
  const result = await runJob(ctx, 'repository.maintenance', { body: { operations } }, !opts.wait);
  if (!result) return EXIT.ok;
  if (ctx.json) ctx.printJson(result);
  else {
    if (operations.includes('cleanup')) ctx.print(`cleaned up ${result.cleaned_objects} object(s), ${formatBytes(result.reclaimed_space)}`);
    if (operations.includes('rebuild_cache')) ctx.print('index rebuilt');
    for (const e of result.errors) ctx.warn(`error: ${printable(e)}`);
    if (operations.includes('verify_integrity') && result.errors.length === 0) ctx.print('verified: no errors were found');
  }
  if (result.errors.length === 0) return EXIT.ok;
  ctx.warn(`cairn: maintenance found ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}`);
  return EXIT.error;
}

export const registerMaintenance: Register = (program, run) => {
  program.command('maintenance')
    .description('repository housekeeping: cleanup (the default), index rebuild, full verification')
    .option('--cleanup', 'remove abandoned temporary files and empty pack directories')
    .option('--verify', 'read and authenticate all data (as check --read-data)')
    .option('--rebuild-index', 'rebuild the index from the packs (runs alone)')
    .option('--no-wait', 'start the job, print it and exit')
    .action((opts: MaintenanceOptions, cmd: Command) => run(cmd, (ctx) => maintenance(ctx, opts)));
};
