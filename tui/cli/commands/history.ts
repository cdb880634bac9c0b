// tui/cli/commands/history.ts — `cairn history`: finished jobs, most recently ended first
// (GET /api/history).
import { Option, type Command } from 'commander';
import { ENDED_JOB_STATUSES, JOB_KINDS, MAX_LIMIT } from '../../../shared/vocabulary.js';
import { type HistoryQueryJson, type Job } from '../../../shared/schemas/index.js';
import type { Register } from '../command.js';
import type { CliContext } from '../context.js';
import { UsageError } from '../errors.js';
import { formatDuration, formatTable, formatTime, printable } from '../format.js';

interface HistoryOptions {
  status?: HistoryQueryJson['status'];
  kind?: HistoryQueryJson['kind'];
  limit?: string;
}

function row(j: Job): string[] {
  const secs = j.started_at && j.ended_at ? (Date.parse(j.ended_at) - Date.parse(j.started_at)) / 1000 : null;
  const why = j.error ? printable(j.error.message) : '';
  return [j.id, j.kind, j.status, formatTime(j.ended_at), secs === null ? '-' : formatDuration(secs), j.trigger, printable(j.repository ?? ''), why];
}

export async function history(ctx: CliContext, opts: HistoryOptions): Promise<number> {
  const limit = opts.limit === undefined ? 50 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new UsageError(`--limit: "${opts.limit}" is not a number from 1 to ${MAX_LIMIT}`);
  const list = await ctx.client().request('history', {
    query: { limit, ...(opts.status ? { status: opts.status } : {}), ...(opts.kind ? { kind: opts.kind } : {}) },
  });
  if (ctx.json) {
    ctx.printJson(list);
    return 0;
  }
  if (list.items.length === 0) {
    ctx.print('no finished jobs');
    return 0;
  }
  const header = ['ID', 'Kind', 'Status', 'Ended', 'Took', 'Trigger', 'Repository', 'Error'];
  for (const line of formatTable(header, list.items.map(row), { right: [4] })) ctx.print(line);
  if (list.total > list.items.length) ctx.print(`(${list.items.length} of ${list.total} jobs)`);
  return 0;
}

export const registerHistory: Register = (program, run) => {
  program.command('history')
    .description('finished jobs, most recently ended first')
    .addOption(new Option('--status <status>', 'only jobs that ended so').choices(ENDED_JOB_STATUSES))
    .addOption(new Option('--kind <kind>', 'only jobs of this kind').choices(JOB_KINDS))
    .option('--limit <n>', 'at most this many (default 50)')
    .action((opts: HistoryOptions, cmd: Command) => run(cmd, (ctx) => history(ctx, opts)));
};
