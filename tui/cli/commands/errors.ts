// tui/cli/commands/errors.ts — `cairn errors SNAPSHOT[:PATH]`: the entries a backup could
// not read, with why, sorted by path (GET /api/snapshot/vfs/errors/{ref}, every page).
import type { Command } from 'commander';
import { formatSnapshotRef } from '../../../shared/snapshot-ref.js';
import { MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type ErrorList } from '../../../shared/schemas/index.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { allPages } from '../pages.js';
import { printable } from '../format.js';

export function listErrors(ctx: CliContext, ref: string): Promise<ErrorList> {
  return allPages((offset) => ctx.client().request('snapshot.errors', { params: { '*': ref }, query: { offset, limit: MAX_LIMIT } }));
}

export async function errors(ctx: CliContext, arg: string): Promise<number> {
  const { snapshot, path } = parseSnapshotArg(arg);
  const r = await listErrors(ctx, path ? formatSnapshotRef(snapshot, path) : snapshot);
  if (ctx.json) {
    ctx.printJson(r);
    return 0;
  }
  for (const e of r.items) ctx.print(`${printable(e.name)}: ${printable(e.error)}`);
  ctx.print(`${r.total} entr${r.total === 1 ? 'y' : 'ies'} could not be read`);
  return 0;
}

export const registerErrors: Register = (program, run) => {
  program.command('errors')
    .description('list the entries a backup could not read, and why')
    .argument('<snapshot[:path]>', 'a snapshot, optionally a path in it, e.g. latest:/home')
    .action((arg: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => errors(ctx, arg)));
};
