// tui/cli/commands/find.ts — `cairn find SNAPSHOT[:PATH] PATTERN [--mime M]
// [--no-recursive]`: entries below a path whose name matches a glob (or is that name),
// optionally of a mime type (GET /api/snapshot/vfs/search/{ref}, every page).
import type { Command } from 'commander';
import { formatSnapshotRef } from '../../../shared/snapshot-ref.js';
import { MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type SearchResult } from '../../../shared/schemas/index.js';
import { parseSnapshotArg, type Register } from '../command.js';
import type { CliContext } from '../context.js';
import { allPages } from '../pages.js';
import { formatTable, formatTime, printable } from '../format.js';

export interface FindOptions {
  mime?: string;
  recursive?: boolean;
}

export function search(ctx: CliContext, ref: string, pattern: string, o: FindOptions): Promise<SearchResult> {
  return allPages((offset) => ctx.client().request('snapshot.search', {
    params: { '*': ref },
    query: { pattern, mime: o.mime, recursive: o.recursive === false ? false : undefined, offset, limit: MAX_LIMIT },
  }));
}

export async function find(ctx: CliContext, arg: string, pattern: string, o: FindOptions): Promise<number> {
  const { snapshot, path } = parseSnapshotArg(arg);
  const r = await search(ctx, path ? formatSnapshotRef(snapshot, path) : snapshot, pattern, o);
  if (ctx.json) {
    ctx.printJson(r);
    return 0;
  }
  const rows = r.items.map((e) => [e.permissions, String(e.size), formatTime(e.mtime), printable(e.path)]);
  for (const line of formatTable(null, rows, { right: [1] })) ctx.print(line);
  ctx.print(`${r.total} match${r.total === 1 ? '' : 'es'}`);
  return 0;
}

export const registerFind: Register = (program, run) => {
  program.command('find')
    .description('find entries of a snapshot by name (a glob, or an exact name) below a path')
    .argument('<snapshot[:path]>', 'where to look, e.g. latest:/home/ann')
    .argument('<pattern>', 'a glob on names, e.g. "*.pdf" (with a /, on paths)')
    .option('--mime <type>', 'only files of this mime type or prefix, e.g. image/')
    .option('--no-recursive', 'only the directory itself, not below it')
    .action((arg: string, pattern: string, opts: FindOptions, cmd: Command) => run(cmd, (ctx) => find(ctx, arg, pattern, opts)));
};
