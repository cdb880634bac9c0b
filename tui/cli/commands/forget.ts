// tui/cli/commands/forget.ts — `cairn forget SNAPSHOT... [--dry-run]`: move snapshots to the
// trash (DELETE /api/snapshots/remove, a job); `cairn undelete` brings them back until a
// prune. With --dry-run nothing changes: it lists what would go.
import type { Command } from 'commander';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';
import { runJob } from '../follow-job.js';

interface ForgetOptions {
  dryRun?: boolean;
  wait: boolean;
}

export async function forget(ctx: CliContext, refs: string[], opts: ForgetOptions): Promise<number> {
  const result = await runJob(ctx, 'snapshots.remove', { body: { snapshot_ids: refs, apply: opts.dryRun !== true } }, !opts.wait);
  if (!result) return EXIT.ok;
  if (ctx.json) {
    ctx.printJson(result);
    return EXIT.ok;
  }
  const verb = opts.dryRun ? 'would move to the trash' : 'moved to the trash';
  if (result.removed.length === 0) ctx.print(opts.dryRun ? 'nothing would be forgotten' : 'nothing was forgotten');
  for (const id of result.removed) ctx.print(`${id.slice(0, 8)}  ${verb}`);
  if (!opts.dryRun && result.removed.length > 0) ctx.print(`(bring them back with: cairn undelete ${result.removed.map((id) => id.slice(0, 8)).join(' ')})`);
  return EXIT.ok;
}

export const registerForget: Register = (program, run) => {
  program.command('forget')
    .description('move snapshots to the trash (their data stays until a prune)')
    .argument('<snapshot...>', 'ids, unique prefixes, or latest')
    .option('--dry-run', 'list what would be forgotten, change nothing')
    .option('--no-wait', 'start the job, print it and exit')
    .action((refs: string[], opts: ForgetOptions, cmd: Command) => run(cmd, (ctx) => forget(ctx, refs, opts)));
};
