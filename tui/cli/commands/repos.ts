// tui/cli/commands/repos.ts — `cairn repos`: the repositories cairnd knows
// (GET /api/repositories).
import type { Command } from 'commander';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { formatTable, printable } from '../format.js';

export async function repos(ctx: CliContext): Promise<number> {
  const list = await ctx.client().request('repositories.list');
  if (ctx.json) {
    ctx.printJson(list);
    return 0;
  }
  if (list.items.length === 0) {
    ctx.print('no repositories (create one with: cairn init LOCATION)');
    return 0;
  }
  const rows = list.items.map((r) => [r.default ? '*' : '', printable(r.name), printable(r.location)]);
  for (const line of formatTable(['', 'Name', 'Location'], rows)) ctx.print(line);
  return 0;
}

export const registerRepos: Register = (program, run) => {
  program.command('repos')
    .description('list the repositories registered with cairnd (* = the default)')
    .action((_opts: unknown, cmd: Command) => run(cmd, (ctx) => repos(ctx)));
};
