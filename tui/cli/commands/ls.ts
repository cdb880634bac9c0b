// tui/cli/commands/ls.ts — `cairn ls SNAPSHOT[:PATH]`: a directory of a snapshot as
// `ls -l` shows it (GET /api/snapshot/vfs/children/{ref}, every page).
import type { Command } from 'commander';
import { formatSnapshotRef } from '../../../shared/snapshot-ref.js';
import { MAX_LIMIT, type ChildrenList, type Entry } from '../../../shared/schemas/index.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { formatTable, formatTime, printable } from '../format.js';

export async function listChildren(ctx: CliContext, ref: string): Promise<ChildrenList> {
  const items: Entry[] = [];
  let total = 0;
  for (;;) {
    const page = await ctx.client().request('snapshot.children', {
      params: { '*': ref }, query: { offset: items.length, limit: MAX_LIMIT },
    });
    total = page.total;
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= total) break;
  }
  return { total, items };
}

function row(e: Entry): string[] {
  const name = printable(e.name) + (e.type === 'symlink' && e.target !== undefined ? ` -> ${printable(e.target)}` : '');
  return [e.permissions, printable(e.username ?? String(e.uid)), printable(e.groupname ?? String(e.gid)),
    String(e.size), formatTime(e.mtime), name];
}

export async function ls(ctx: CliContext, arg: string): Promise<number> {
  const { snapshot, path } = parseSnapshotArg(arg);
  const list = await listChildren(ctx, path ? formatSnapshotRef(snapshot, path) : snapshot);
  if (ctx.json) ctx.printJson(list);
  else for (const line of formatTable(null, list.items.map(row), { right: [3] })) ctx.print(line);
  return 0;
}

export const registerLs: Register = (program, run) => {
  program.command('ls')
    .description('list a directory of a snapshot (SNAPSHOT is an id, a prefix or latest)')
    .argument('<snapshot[:path]>', 'e.g. latest:/home/ann')
    .action((arg: string, _opts: unknown, cmd: Command) => run(cmd, (ctx) => ls(ctx, arg)));
};
