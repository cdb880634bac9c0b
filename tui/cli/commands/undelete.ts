// tui/cli/commands/undelete.ts — `cairn undelete SNAPSHOT...`: bring forgotten snapshots
// back from the trash (POST /api/snapshots/undelete); an id not in the trash fails (404).
import type { Command } from 'commander';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../errors.js';

export async function undelete(ctx: CliContext, refs: string[]): Promise<number> {
  const result = await ctx.client().request('snapshots.undelete', { body: { snapshot_ids: refs } });
  if (ctx.json) ctx.printJson(result);
  else for (const id of result.restored) ctx.print(`${id.slice(0, 8)}  restored from the trash`);
  return EXIT.ok;
}

export const registerUndelete: Register = (program, run) => {
  program.command('undelete')
    .description('bring forgotten snapshots back from the trash')
    .argument('<snapshot...>', 'ids or unique prefixes of snapshots in the trash (see: cairn trash)')
    .action((refs: string[], _opts: unknown, cmd: Command) => run(cmd, (ctx) => undelete(ctx, refs)));
};
