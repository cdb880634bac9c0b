// tui/cli/commands/snapshots.ts — `cairn snapshots`: the repository's snapshots, oldest
// first (GET /api/repository/snapshots, every page).
import type { Command } from 'commander';
import { MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type Snapshot, type SnapshotList } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { allPages } from '../pages.js';
import { formatBytes, formatTable, formatTime, printable } from '../format.js';

export function listSnapshots(ctx: CliContext): Promise<SnapshotList> {
  return allPages((offset) => ctx.client().request('repository.snapshots', { query: { offset, limit: MAX_LIMIT } }));
}

function row(s: Snapshot): string[] {
  const paths = s.sources?.map((x) => x.importer.directory) ?? (s.importer ? [s.importer.directory] : []);
  return [
    s.short_id + (s.status === 'complete' ? '' : ` (${s.status})`),
    formatTime(s.timestamp),
    printable(s.hostname ?? '-'),
    printable(paths.join(', ') || '-'),
    printable(s.tags?.join(',') ?? ''),
    s.summary ? String(s.summary.files) : '-',
    s.summary ? formatBytes(s.summary.size) : '-',
  ];
}

export async function snapshots(ctx: CliContext): Promise<number> {
  const list = await listSnapshots(ctx);
  if (ctx.json) {
    ctx.printJson(list);
    return 0;
  }
  const header = ['ID', 'Time', 'Host', 'Paths', 'Tags', 'Files', 'Size'];
  for (const line of formatTable(header, list.items.map(row), { right: [5, 6], rules: true })) ctx.print(line);
  ctx.print(`${list.total} snapshot${list.total === 1 ? '' : 's'}`);
  return 0;
}

export const registerSnapshots: Register = (program, run) => {
  program.command('snapshots')
    .description('list the snapshots of the repository, oldest first')
    .action((_opts: unknown, cmd: Command) => run(cmd, (ctx) => snapshots(ctx)));
};
