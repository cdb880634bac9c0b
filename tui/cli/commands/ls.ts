// tui/cli/commands/ls.ts — `cairn ls SNAPSHOT[:PATH]`: a directory of a snapshot as
// `ls -l` shows it (GET /api/snapshot/vfs/children/{ref}, every page).
import type { Command } from 'commander';
import { formatSnapshotRef } from '../../../shared/snapshot-ref.js';
import { MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type ChildrenList, type Entry } from '../../../shared/schemas/index.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { allPages } from '../pages.js';
import { formatTable, formatTime, printable } from '../format.js';

export function listChildren(ctx: CliContext, ref: string): Promise<ChildrenList> {
  return allPages((offset) => ctx.client().request('snapshot.children', { params: { '*': ref }, query: { offset, limit: MAX_LIMIT } }));
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
