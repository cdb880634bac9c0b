// tui/cli/commands/versions.ts — `cairn versions PATH [--since T] [--oldest-first]`: every
// version of one absolute path across the snapshots, newest first
// (GET /api/repository/locate-pathname, every page).
import type { Command } from 'commander';
import { MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type LocatePathnameResult } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { allPages } from '../pages.js';
import { UsageError } from '../errors.js';
import { formatTable, formatTime } from '../format.js';

export interface VersionsOptions {
  since?: string;
  oldestFirst?: boolean;
}

export function listVersions(ctx: CliContext, resource: string, o: VersionsOptions): Promise<LocatePathnameResult> {
  return allPages((offset) => ctx.client().request('repository.locatePathname', {
    query: { resource, since: o.since, sort: o.oldestFirst ? 'Timestamp' : '-Timestamp', offset, limit: MAX_LIMIT },
  }));
}

export async function versions(ctx: CliContext, path: string, o: VersionsOptions): Promise<number> {
  if (!path.startsWith('/')) throw new UsageError(`${path}: give the absolute path, as it was backed up`);
  const r = await listVersions(ctx, path, o);
  if (ctx.json) {
    ctx.printJson(r);
    return 0;
  }
  const rows = r.items.map((v) => [v.snapshot.id.slice(0, 8), formatTime(v.snapshot.timestamp), v.vfs_entry.permissions,
    String(v.vfs_entry.size), formatTime(v.vfs_entry.mtime)]);
  for (const line of formatTable(['Snapshot', 'Time', 'Mode', 'Size', 'Modified'], rows, { right: [3], rules: true })) ctx.print(line);
  ctx.print(`${r.total} version${r.total === 1 ? '' : 's'}`);
  return 0;
}

export const registerVersions: Register = (program, run) => {
  program.command('versions')
    .description('list every version of one path across the snapshots, newest first')
    .argument('<path>', 'an absolute path, as it was backed up')
    .option('--since <time>', 'only snapshots taken since this time (RFC 3339 or ISO 8601)')
    .option('--oldest-first', 'oldest snapshot first')
    .action((path: string, opts: VersionsOptions, cmd: Command) => run(cmd, (ctx) => versions(ctx, path, opts)));
};
