// tui/cli/commands/trash.ts — `cairn trash`: the forgotten snapshots, most recently
// forgotten first (GET /api/repository/trash, every page).
import type { Command } from 'commander';
import { MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type TrashItem, type TrashList } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { allPages } from '../pages.js';
import { formatBytes, formatTable, formatTime, printable } from '../format.js';

function listTrash(ctx: CliContext): Promise<TrashList> {
  return allPages((offset) => ctx.client().request('repository.trash', { query: { offset, limit: MAX_LIMIT } }));
}

function row(s: TrashItem): string[] {
  const paths = s.sources?.map((x) => x.importer.directory) ?? [];
  return [
    s.short_id + (s.status === 'complete' ? '' : ` (${s.status})`),
    formatTime(s.removed_at),
    formatTime(s.timestamp),
    printable(s.hostname ?? '-'),
    printable(paths.join(', ') || '-'),
    s.summary ? formatBytes(s.summary.size) : '-',
  ];
}

export async function trash(ctx: CliContext): Promise<number> {
  const list = await listTrash(ctx);
  if (ctx.json) {
    ctx.printJson(list);
    return 0;
  }
  if (list.total === 0) {
    ctx.print('the trash is empty');
    return 0;
  }
  const header = ['ID', 'Forgotten', 'Time', 'Host', 'Paths', 'Size'];
  for (const line of formatTable(header, list.items.map(row), { right: [5], rules: true })) ctx.print(line);
  ctx.print(`${list.total} snapshot${list.total === 1 ? '' : 's'} in the trash (bring one back with: cairn undelete ID)`);
  return 0;
}

export const registerTrash: Register = (program, run) => {
  program.command('trash')
    .description('list forgotten snapshots (restorable with cairn undelete until a prune)')
    .action((_opts: unknown, cmd: Command) => run(cmd, (ctx) => trash(ctx)));
};
