// tui/cli/commands/locate.ts — `cairn locate PATTERN... [--snapshot S] [--since T]
// [--limit N]`: paths matching any glob across every snapshot, newest snapshot first
// (GET /api/search/locate; the daemon stops at the limit, 1000 at most, and says so).
import type { Command } from 'commander';
import type { LocateResult } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatTable, formatTime, printable } from '../format.js';

export interface LocateOptions {
  snapshot?: string;
  since?: string;
  limit?: string;
}

export async function locate(ctx: CliContext, patterns: string[], o: LocateOptions): Promise<number> {
  const limit = o.limit === undefined ? undefined : Number(o.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError(`--limit ${o.limit}: a positive whole number`);
  const r: LocateResult = await ctx.client().request('search.locate', {
    query: { patterns, snapshot: o.snapshot, since: o.since, limit },
  });
  if (ctx.json) {
    ctx.printJson(r);
    return 0;
  }
  const rows = r.matches.map((m) => [m.snapshot.id.slice(0, 8), formatTime(m.snapshot.timestamp), String(m.size), printable(m.path)]);
  for (const line of formatTable(['Snapshot', 'Time', 'Size', 'Path'], rows, { right: [2] })) ctx.print(line);
  if (r.has_next) ctx.warn(`cairn: stopped after ${r.total} matches; narrow the search with --snapshot or --since`);
  return 0;
}

export const registerLocate: Register = (program, run) => {
  program.command('locate')
    .description('find paths matching any pattern across all snapshots, newest first')
    .argument('<pattern...>', 'globs on names, e.g. "*.pdf" (with a /, on paths)')
    .option('--snapshot <snapshot>', 'only this snapshot (an id, a prefix or latest)')
    .option('--since <time>', 'only snapshots taken since this time (RFC 3339 or ISO 8601)')
    .option('--limit <n>', 'stop after this many matches (at most 1000)')
    .action((patterns: string[], opts: LocateOptions, cmd: Command) => run(cmd, (ctx) => locate(ctx, patterns, opts)));
};
